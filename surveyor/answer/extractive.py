"""The offline answerer: the abstract sentences that best answer the question, lightly rewritten
into the third person, each followed by its source marker."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from surveyor.records import Hit
from surveyor.text.prose import LEAD, Names, third_person
from surveyor.text.sentences import sentence_spans
from surveyor.text.tokens import tokenize

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
@dataclass
class _Candidate:
    source: int
    start: int
    text: str
    score: float


ChunkSimilarity = dict[str, list[tuple[int, int, float]]]


def compose(
    question: str, hits: list[Hit], chunk_similarity: ChunkSimilarity, doc_freq: dict[str, int], postings: int
) -> str:
    """Answer text with `[n]` markers, n being the 1-based position of the hit it quotes.
    `doc_freq` holds the question terms' chunk counts; `postings` is the sum over all terms."""
    weights = _idf(tokenize(question), doc_freq, postings)
    wants_number = bool(_FACT_CUE.search(question))
    candidates = [
        c for n, hit in enumerate(hits, 1) for c in _candidates(n, hit, weights, chunk_similarity, wants_number)
    ]
    chosen = _select(candidates)
    names = Names()
    return " ".join(third_person(c.text, hits[c.source - 1].paper, c.source, names) for c in chosen)


def _idf(terms: list[str], doc_freq: dict[str, int], postings: int) -> dict[str, float]:
    total = max(postings // 50, 1)
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
