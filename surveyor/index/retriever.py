"""Hybrid retrieval: dense (Chroma) and BM25 rankings fused by reciprocal rank, grouped per paper.

Lexical ranking runs here, on the client, for local and server stores alike: a self-hosted Chroma
server has no BM25 or hybrid search (those are Chroma Cloud features)."""

from __future__ import annotations

import threading
from collections import defaultdict

import numpy as np

from surveyor.corpus.chunking import embedding_text
from surveyor.index.embeddings import Embedder
from surveyor.index.store import Store
from surveyor.records import Chunk, Hit
from surveyor.text.sentences import split_sentences
from surveyor.text.tokens import tokenize


class Retriever:
    """Searches one store; holds the loaded model and indexes so repeated queries are fast."""

    def __init__(self, store: Store, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder
        store.prefetch()
        self._recent: dict[str, np.ndarray] = {}
        self._recent_lock = threading.Lock()
        settings = store.settings
        self.min_similarity = settings.min_similarity
        self.rare_term_similarity = settings.rare_term_similarity
        self.rare_term_share = settings.rare_term_share
        self.candidates = settings.candidates
        self.rrf_k = settings.rrf_k

    def search(self, query: str, k: int = 10, *, floor: bool = True) -> list[Hit]:
        """Up to `k` papers, best first; none at all when nothing clears the relevance floor. Without the
        `floor`, once anything clears it, the best `k` whether or not they do (a draft tells the relevant
        papers from the field's background level, which it needs candidates below the floor to see)."""
        vector = self.query_vector(query)
        limit = max(self.candidates, 3 * k)
        index = self.store.lexical
        lexical = index.search(query, limit)
        dense = self.store.nearest(vector, limit)
        fused: dict[str, float] = defaultdict(float)
        for ranking in (dense, lexical):
            for rank, (chunk_id, _) in enumerate(ranking):
                fused[chunk_id] += 1.0 / (self.rrf_k + rank + 1)
        similarity = dict(dense)
        similarity.update(self._similarities(vector, [c for c in fused if c not in similarity]))
        relevant = self._relevant(query, fused, similarity, index.rare_terms(query, self.rare_term_share))
        if relevant and not floor:
            relevant = dict(fused)
        return self._per_paper(query, relevant, similarity, k)

    def _relevant(
        self, query: str, fused: dict[str, float], similarity: dict[str, float], rare: set[str]
    ) -> dict[str, float]:
        """The relevance floor: similar enough; or, a little less similar, naming a rare query term
        ('HNeRV') and holding at least half of the query's terms, so one odd word lets nothing in."""
        relevant = {c: s for c, s in fused.items() if similarity.get(c, 0.0) >= self.min_similarity}
        maybe = [c for c in fused if c not in relevant and similarity.get(c, 0.0) >= self.rare_term_similarity]
        terms = set(tokenize(query))
        if rare and maybe:
            chunks = self.store.db.chunks(maybe)
            papers = self.store.db.get(c.paper_id for c in chunks.values())
            for chunk_id, chunk in chunks.items():
                found = terms.intersection(tokenize(embedding_text(papers[chunk.paper_id], chunk)))
                if rare & found and 2 * len(found) >= len(terms):
                    relevant[chunk_id] = fused[chunk_id]
        return relevant

    def query_vector(self, query: str) -> np.ndarray:
        """The query's embedding; the last few are kept, since answering embeds the question again."""
        with self._recent_lock:
            vector = self._recent.get(query)
        if vector is None:
            vector = self.embedder.embed([query])[0]
            with self._recent_lock:
                self._recent[query] = vector
                while len(self._recent) > 32:
                    del self._recent[next(iter(self._recent))]
        return vector

    def hits_of(self, query: str, paper_ids: list[str]) -> list[Hit]:
        """These papers as hits for the query, each by its passage closest to it, whether or not a search
        would rank them (score 0: no ranking placed them)."""
        vector = self.query_vector(query)
        papers = self.store.db.get(paper_ids)
        found = []
        for paper_id, chunks in self.store.chunk_vectors(paper_ids).items():
            if paper_id not in papers or not chunks:
                continue
            similarity, chunk = max(((float(v @ vector), c) for c, v in chunks), key=lambda x: x[0])
            found.append(Hit(paper=papers[paper_id], score=0.0, similarity=similarity, chunk=chunk,
                             snippet=best_sentence(query, chunk.text)))
        return found

    def _similarities(self, vector: np.ndarray, chunk_ids: list[str]) -> dict[str, float]:
        """Cosine similarity for lexical-only hits, from their stored vectors."""
        return {i: float(e @ vector) for i, e in self.store.vectors(chunk_ids).items()}

    def _per_paper(self, query: str, fused: dict[str, float], similarity: dict[str, float], k: int) -> list[Hit]:
        chunks = self.store.db.chunks(fused)
        best: dict[str, Chunk] = {}
        for chunk_id in sorted(fused, key=fused.__getitem__, reverse=True):
            chunk = chunks.get(chunk_id)
            if chunk is not None:
                best.setdefault(chunk.paper_id, chunk)
        ranked = sorted(best.values(), key=lambda c: fused[c.chunk_id], reverse=True)[:k]
        papers = self.store.db.get(c.paper_id for c in ranked)
        top_score = 2.0 / (self.rrf_k + 1)
        return [
            Hit(
                paper=papers[c.paper_id],
                score=fused[c.chunk_id] / top_score,
                similarity=similarity[c.chunk_id],
                chunk=c,
                snippet=best_sentence(query, c.text),
            )
            for c in ranked
            if c.paper_id in papers
        ]


def best_sentence(query: str, text: str) -> str:
    """The sentence of `text` sharing the most query terms (the earliest on ties)."""
    terms = set(tokenize(query))
    sentences = split_sentences(text) or [text]
    return max(sentences, key=lambda s: len(terms.intersection(tokenize(s))))
