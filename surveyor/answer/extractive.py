"""The offline answerer: the abstract sentences that best answer the question, lightly rewritten
into the third person, each followed by its source marker."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from surveyor.corpus.sentences import sentence_spans
from surveyor.index.lexical import tokenize
from surveyor.records import Hit, Paper

MAX_SENTENCES = 5
_FACT_CUE = re.compile(
    r"\b(how (much|many|fast|large|big|well|long)|what is the|by how|accuracy|speed\s?up|faster|percent|"
    r"score|psnr|number of|size|parameters?|accura\w*|precise\w*|latency|memory)\b",
    re.IGNORECASE,
)
# Sentences that only make sense after the one before them.
_ANAPHORIC = re.compile(
    r"^(This|These|Such|It|They|Its|Their|However|Moreover|Furthermore|In addition|Additionally|Thus|Hence|"
    r"Therefore|Consequently|As a result)\b"
)
# "We propose ..." (after an optional short lead-in clause such as "To tackle this," or "In this paper,").
_VERBS = (
    "propose|present|introduce|develop|show|demonstrate|find|study|describe|derive|provide|explore|"
    "investigate|report|design|prove|formulate|establish|evaluate|argue|analyze|analyse|examine|"
    "train|release|build|construct|leverage|use|apply|achieve|obtain|observe|identify|conduct|perform"
)
LEAD = re.compile(rf"^(?:[^,.;]{{0,60}},\s+)?[Ww]e\s+(?:also\s+|further\s+|then\s+|first\s+)?((?:{_VERBS})(?:d|ed)?)\b")
# "... observes X and propose Y": the second verb must agree with the new subject too.
_COORDINATED = re.compile(rf"\b(and|then|also|and then)\s+({_VERBS})\b")


@dataclass
class _Candidate:
    source: int
    start: int
    text: str
    score: float


ChunkSimilarity = dict[str, list[tuple[int, int, float]]]


def compose(question: str, hits: list[Hit], chunk_similarity: ChunkSimilarity, doc_freq: dict[str, int]) -> str:
    """Answer text with `[n]` markers, n being the 1-based position of the hit it quotes."""
    weights = _idf(tokenize(question), doc_freq)
    wants_number = bool(_FACT_CUE.search(question))
    candidates = [
        c for n, hit in enumerate(hits, 1) for c in _candidates(n, hit, weights, chunk_similarity, wants_number)
    ]
    chosen = _select(candidates)
    names = Names()
    return " ".join(third_person(c.text, hits[c.source - 1].paper, c.source, names) for c in chosen)


def _idf(terms: list[str], doc_freq: dict[str, int]) -> dict[str, float]:
    total = max(sum(doc_freq.values()) // 50, 1)
    return {t: math.log(1 + total / (1 + doc_freq.get(t, 0))) for t in terms}


def _candidates(
    n: int, hit: Hit, weights: dict[str, float], chunk_similarity: ChunkSimilarity, wants_number: bool
) -> list[_Candidate]:
    paper = hit.paper
    spans = sentence_spans(paper.abstract)
    mass = sum(weights.values()) or 1.0
    similarity = chunk_similarity.get(paper.paper_id, [])
    found = []
    for index, (start, end) in enumerate(spans):
        text = paper.abstract[start:end]
        terms = set(tokenize(text))
        coverage = sum(w for t, w in weights.items() if t in terms) / mass
        near = max((s for (first, last, s) in similarity if first <= index <= last), default=hit.similarity)
        score = 0.6 * coverage + 0.4 * near - 0.03 * (n - 1)
        # A fact question wants the sentence holding the number, even a short "They are 3x faster."
        states_number = wants_number and re.search(r"\d", text) is not None
        if states_number:
            score += 0.25
        if LEAD.match(text):
            score += 0.05
        elif _ANAPHORIC.match(text) and not states_number:
            score -= 0.1
        if (len(text) < 40 and not states_number) or "http" in text:
            score -= 0.3
        found.append(_Candidate(n, start, text, score))
    return found


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Best sentences, at most two per paper, no near-repeats, ordered by source then position."""
    if not candidates:
        return []
    ranked = sorted(candidates, key=lambda c: c.score, reverse=True)
    floor = ranked[0].score * 0.6
    chosen: list[_Candidate] = []
    for candidate in ranked:
        if len(chosen) == MAX_SENTENCES or candidate.score < floor:
            break
        same_paper = [c for c in chosen if c.source == candidate.source]
        if len(same_paper) == 2 or (same_paper and candidate.score < ranked[0].score * 0.85):
            continue
        if any(_jaccard(candidate.text, c.text) > 0.6 for c in chosen):
            continue
        chosen.append(candidate)
    first_use = {c.source: i for i, c in reversed(list(enumerate(chosen)))}
    return sorted(chosen, key=lambda c: (first_use[c.source], c.start))


def _jaccard(a: str, b: str) -> float:
    x, y = set(tokenize(a)), set(tokenize(b))
    return len(x & y) / max(len(x | y), 1)


class Names:
    """How papers are named in prose: short name, first author, else 'One study', 'Another study', ...
    A paper keeps the name it was first given."""

    _ANONYMOUS = ("One study", "Another study", "A further study", "A related study", "Other work")

    def __init__(self) -> None:
        self._given: dict[str, tuple[str, bool]] = {}

    def subject(self, paper: Paper) -> tuple[str, bool]:
        """The name, and whether it takes a plural verb ('Chen et al. propose')."""
        if paper.paper_id not in self._given:
            self._given[paper.paper_id] = self._name(paper)
        return self._given[paper.paper_id]

    def _name(self, paper: Paper) -> tuple[str, bool]:
        if paper.short_name:
            return paper.short_name, False
        if paper.authors:
            surname = paper.authors[0].split()[-1]
            return (f"{surname} et al.", True) if len(paper.authors) > 1 else (surname, False)
        anonymous = sum(1 for name, _ in self._given.values() if name in self._ANONYMOUS)
        return self._ANONYMOUS[min(anonymous, len(self._ANONYMOUS) - 1)], False


def third_person(sentence: str, paper: Paper, n: int, names: Names) -> str:
    """'We propose X.' -> 'HNeRV [1] proposes X.'; other sentences get the marker at their end."""
    text = re.sub(r"\[(\d[\d,\s\-–]*)\]", r"(\1)", sentence.strip())  # a source's own brackets are not ours
    if text[-1] not in ".!?":
        text += "."  # every sentence ends, so the verifier splits claims where they end
    lead = LEAD.match(text)
    if lead:
        rest = text[lead.end() :]
        subject, plural = names.subject(paper)
        if plural:
            return _pronouns(f"{subject} [{n}] {lead.group(1)}{rest}")
        rest = _COORDINATED.sub(lambda m: f"{m.group(1)} {_third_person_verb(m.group(2))}", rest)
        return _pronouns(f"{subject} [{n}] {_third_person_verb(lead.group(1))}{rest}")
    text = _pronouns(text)
    return f"{text[:-1]} [{n}]{text[-1]}"


def _third_person_verb(verb: str) -> str:
    if verb.endswith("ed"):  # "we proposed" stays in the past tense
        return verb
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")


def _pronouns(text: str) -> str:
    text = re.sub(r"\b[Ww]e\b", "the authors", text)
    text = re.sub(r"\bOur\b", "Their", re.sub(r"\bour\b", "their", text))
    text = re.sub(r"\bus\b", "them", text)
    return text[0].upper() + text[1:] if text else text
