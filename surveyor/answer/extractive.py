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
    r"score|psnr|number of|size|parameters?)\b",
    re.IGNORECASE,
)
# Sentences that only make sense after the one before them.
_ANAPHORIC = re.compile(r"^(This|These|Such|It|They|Its|Their|However|Moreover|Furthermore|In addition|Additionally)\b")
# "We propose ..." (after an optional short lead-in clause such as "To tackle this," or "In this paper,").
_LEAD = re.compile(
    r"^(?:[^,.;]{0,60},\s+)?"
    r"[Ww]e\s+(?:also\s+|further\s+|then\s+|first\s+)?"
    r"(propose|present|introduce|develop|show|demonstrate|find|study|describe|derive|provide|explore|"
    r"investigate|report|design|prove|formulate|establish|evaluate|argue|analyze|analyse|examine|"
    r"train|release|build|construct|leverage|use|apply|achieve|obtain|observe|identify|conduct|perform)\b"
)


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
        c
        for n, hit in enumerate(hits, 1)
        for c in _candidates(n, hit, weights, chunk_similarity, wants_number)
    ]
    chosen = _select(candidates)
    names = _Names()
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
        if wants_number and re.search(r"\d", text):
            score += 0.15
        if _LEAD.match(text):
            score += 0.05
        elif _ANAPHORIC.match(text):
            score -= 0.1
        if len(text) < 40 or "http" in text:
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


class _Names:
    """How a paper is named in prose: its short name, its first author, or 'one study'/'another study'."""

    def __init__(self) -> None:
        self._anonymous = 0

    def subject(self, paper: Paper) -> str:
        if paper.short_name:
            return paper.short_name
        if paper.authors:
            surname = paper.authors[0].split()[-1]
            return f"{surname} et al." if len(paper.authors) > 1 else surname
        self._anonymous += 1
        return "One study" if self._anonymous == 1 else "Another study"


def third_person(sentence: str, paper: Paper, n: int, names: _Names) -> str:
    """'We propose X.' -> 'HNeRV [1] proposes X.'; other sentences get the marker at their end."""
    text = re.sub(r"\[(\d[\d,\s\-–]*)\]", r"(\1)", sentence.strip())  # a source's own brackets are not ours
    lead = _LEAD.match(text)
    if lead:
        rest = text[lead.end() :]
        text = f"{names.subject(paper)} [{n}] {_third_person_verb(lead.group(1))}{rest}"
        return _pronouns(text)
    text = _pronouns(text)
    body, punct = (text[:-1], text[-1]) if text[-1] in ".!?" else (text, ".")
    return f"{body} [{n}]{punct}"


def _third_person_verb(verb: str) -> str:
    if verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")


def _pronouns(text: str) -> str:
    text = re.sub(r"\b[Ww]e\b", "the authors", text)
    text = re.sub(r"\bOur\b", "Their", re.sub(r"\bour\b", "their", text))
    text = re.sub(r"\bus\b", "them", text)
    return text[0].upper() + text[1:] if text else text
