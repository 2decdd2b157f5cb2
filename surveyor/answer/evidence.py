"""How well each abstract sentence of the retrieved papers answers a question: the share of the question's
terms it holds (rare terms weigh more) and its embedding similarity to the question."""

from __future__ import annotations

import math
import re

import numpy as np

from surveyor.answer.extractive import Candidate
from surveyor.index.retriever import Retriever
from surveyor.records import Hit
from surveyor.text.roles import BACKGROUND, roles_of
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import same_term, tokenize

# Sentences embedded per question: each paper's two most promising by terms and passage similarity, then
# the most promising overall up to this many (embedding every sentence would triple the time of an answer).
EMBEDDED = 24


def candidates(question: str, hits: list[Hit], retriever: Retriever, numbers: bool = False) -> list[Candidate]:
    """Every sentence of every hit, scored: relevance = mean of term coverage and similarity.
    `numbers`: the question asks for a number, so sentences stating one are always embedded."""
    vector = retriever.query_vector(question)
    weights = _idf(tokenize(question), retriever.store.lexical.doc_freq)
    chunk_vectors = retriever.store.chunk_vectors([h.paper.paper_id for h in hits])
    rows: list[tuple[int, int, str, bool, float, float]] = []
    for n, hit in enumerate(hits, 1):
        paper = hit.paper
        sentences = split_sentences(paper.abstract) or [paper.abstract]
        roles = roles_of(paper)
        passages = [(c.first_sentence, c.last_sentence, float(v @ vector)) for c, v in chunk_vectors[paper.paper_id]]
        for i, text in enumerate(sentences):
            near = max((s for first, last, s in passages if first <= i <= last), default=hit.similarity)
            rows.append((n, i, text, roles[i] == BACKGROUND, _coverage(weights, text), near))
    similarity = _sentence_similarity(rows, vector, retriever, numbers)
    return [
        Candidate(n, i, text, background, 0.6 * coverage + 0.4 * near - 0.03 * (n - 1),
                  bool(re.search(r"\d", text)), coverage)
        for k, (n, i, text, background, coverage, near) in enumerate(rows)
    ]


def _sentence_similarity(
    rows: list[tuple[int, int, str, bool, float, float]], vector: np.ndarray, retriever: Retriever, numbers: bool
) -> dict[int, float]:
    """Embedding similarity of the question to the most promising sentences (by row index)."""
    ranked = sorted(range(len(rows)), key=lambda k: 0.6 * rows[k][4] + 0.4 * rows[k][5], reverse=True)
    per_paper: dict[int, list[int]] = {}
    for k in ranked:
        per_paper.setdefault(rows[k][0], []).append(k)
    first = [k for ks in per_paper.values() for k in ks[:2]]
    if numbers:
        first += [k for ks in per_paper.values() for k in [k for k in ks if re.search(r"\d", rows[k][2])][:2]]
    promising = list(dict.fromkeys(first + ranked))[: EMBEDDED + (len(per_paper) if numbers else 0)]
    if not promising:
        return {}
    embedded = retriever.embedder.embed([rows[k][2] for k in promising])
    return {k: float(v @ vector) for k, v in zip(promising, embedded)}


def _idf(terms: list[str], doc_freq: dict[str, int]) -> dict[str, float]:
    total = max(sum(doc_freq.values()) // 50, 1)
    return {t: math.log(1 + total / (1 + doc_freq.get(t, 0))) for t in terms}


def _coverage(weights: dict[str, float], text: str) -> float:
    """Share of the question's term weight the sentence holds ('converge' meets 'convergence')."""
    mass = sum(weights.values())
    if not mass:
        return 0.0
    held = set(tokenize(text))
    return sum(w for t, w in weights.items() if t in held or any(same_term(t, u) for u in held)) / mass
