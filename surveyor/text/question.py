"""What kind of answer a question wants, read from its words: a definition, a number, a named work, a
survey of approaches, or a plain explanation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Intent = Literal["definition", "fact", "which", "broad", "general"]

_DEFINITION = re.compile(
    r"^\s*(?:what|who)\s+(?:is|are|was|were)\s+(?:an?\s+|the\s+(?=\w+\s*(?:\?|$|and\b)))?(?P<term>[^?,]+?)"
    r"(?:\s*(?:,|\band\b|\bor\b)\s+(?:why|how|what|when|where|which)\b[^?]*)?\s*\??\s*$|"
    r"^\s*(?:(?:define|explain the term|what do you mean by)\s+(?P<term2>[^?]+?)|what (?:does|do)\s+(?P<term3>[^?]+?)"
    r"\s+mean)\s*\??\s*$",
    re.IGNORECASE,
)
_FACT = re.compile(
    r"\b(?:how (?:much|many|fast|large|big|well|long|small|accurate|quickly)|by how|what (?:[\w-]+ )?(?:speed-?up|"
    r"accuracy|score|fid|psnr|rate|size|latency|throughput|cost|percentage|bandwidth|resolution|memory|error|"
    r"perplexity|compression ratio)|at what|how many times|number of)\b",
    re.IGNORECASE,
)
_WHICH = re.compile(r"^\s*(?:which|what|name the)\s+(?:paper|work|study|method|model|system|approach|algorithm)\b",
                    re.IGNORECASE)
_BROAD = re.compile(
    r"\b(?:what|which)\s+(?:\w+\s+){0,2}(?:approaches|methods|techniques|ways|strategies|works|papers|studies|"
    r"solutions|models|systems|algorithms|directions|ideas)\b|\b(?:approaches|methods|techniques|ways|strategies)"
    r"\s+(?:to|for|that)\b|\b(?:survey|overview|landscape)\b",
    re.IGNORECASE,
)


# 'How long did it take ...': the number wanted is a duration.
_ASKS_TIME = re.compile(r"\bhow long\b|\bhow much (?:\w+ )?time\b|\bhow many (?:hours|days|minutes|seconds|weeks)\b",
                        re.IGNORECASE)
_STATES_TIME = re.compile(
    r"\b\d[\d.,]*\s*(?:hours?|minutes?|mins?|seconds?|days?|weeks?|months?|h|ms)\b|"
    r"\b(?:an?|one|two|three|few|several)\s+(?:hours?|minutes?|days?|weeks?|months?)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Reading:
    """How a question reads: its intent, for a definition the term to define, and for a fact whether the
    number wanted is a duration."""

    intent: Intent
    term: str = ""
    duration: bool = False

    def answers_kind(self, sentence: str) -> bool:
        """Whether the sentence states the kind of number asked for (any number, unless a duration is)."""
        return not self.duration or _STATES_TIME.search(sentence) is not None


def read_question(question: str) -> Reading:
    """'what is grokking and why does it happen?' -> definition of 'grokking'; 'how much faster ...' -> fact;
    'which paper ...' -> which; 'what approaches ...' -> broad; anything else -> general."""
    if _BROAD.search(question):
        return Reading("broad")
    if _WHICH.search(question):
        return Reading("which")
    if _FACT.search(question):
        return Reading("fact", duration=_ASKS_TIME.search(question) is not None)
    match = _DEFINITION.match(question)
    if match:
        term = (match.group("term") or match.group("term2") or match.group("term3") or "").strip()
        if 0 < len(term.split()) <= 5 and not re.search(r"(?<![\w-])(?:of|for|in|between|to)(?![\w-])", term):
            return Reading("definition", term)
    return Reading("general")


def defines(sentence: str, term: str) -> bool:
    """Whether the sentence states what `term` is: 'Grokking, or delayed generalization, is a phenomenon ...',
    'Mixture-of-Experts (MoE) models are ...', 'X refers to ...'."""
    words = [re.escape(w.rstrip("s")) + "s?" for w in re.split(r"[\s-]+", term.strip()) if w]
    name = r"(?:\s*\([^)]*\))?[\s-]+".join(words)
    pattern = (
        rf"^\s*(?:the\s+|an?\s+)?{name}\b(?:\s*\([^)]*\))?(?:,[^,]{{1,80}},)?\s+"
        r"(?:is|are|refers? to|denotes?|describes?|means|has been defined as|can be defined as)\b"
    )
    return re.search(pattern, sentence, re.IGNORECASE) is not None
