"""BM25 over chunk texts, kept in immutable segments so indexing N new chunks costs O(N).

A segment is a directory of numpy arrays (per term: the chunks holding it and how often), memory-
mapped at query time. Every write adds a small segment; segments of similar size are merged, so
there are O(log corpus) of them and each chunk is rewritten O(log corpus) times (amortised). Which
segments are live, and which of their chunks were replaced since, is recorded in the records
database in the same transactions that change the chunks (`PaperDB.lexical_state`). Segment
directories get unique names and are never changed in place: a reader keeps the ones it opened.
"""

from __future__ import annotations

import json
import math
import os
import shutil
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from surveyor.text.tokens import STOPWORDS, TOKENIZER_VERSION, tokenize

# Lucene's BM25 (what bm25s used before): idf = ln(1 + (N - df + 0.5) / (df + 0.5)).
K1, B = 1.5, 0.75
# Segments whose sizes share a tier (powers of MERGE_FACTOR) are merged once MERGE_FACTOR of them exist.
MERGE_FACTOR = 4
FORMAT = f"surveyor-lexical-1/{TOKENIZER_VERSION}"


class OutdatedSegment(Exception):
    """A segment made by another version (say, of the tokenizer): the index needs a rebuild."""


@dataclass(frozen=True)
class Segment:
    """One immutable slice of the index; column t of (indptr, docs, freqs) lists term t's chunks."""

    name: str
    terms: dict[str, int]
    chunk_ids: list[str]
    lengths: np.ndarray  # tokens per chunk
    distinct: np.ndarray  # distinct terms per chunk
    indptr: np.ndarray
    docs: np.ndarray
    freqs: np.ndarray

    @classmethod
    def load(cls, directory: Path) -> Segment:
        meta = json.loads((directory / "segment.json").read_text())
        if meta.get("format") != FORMAT:
            raise OutdatedSegment(f"{directory}: written by another version ({meta.get('format')})")
        arrays = {name: np.load(directory / f"{name}.npy", mmap_mode="r") for name in _ARRAYS}
        return cls(
            directory.name,
            {term: column for column, term in enumerate(meta["terms"])},
            meta["chunk_ids"],
            **arrays,
        )

    @property
    def size(self) -> int:
        return len(self.chunk_ids)

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray] | None:
        column = self.terms.get(term)
        if column is None:
            return None
        start, end = int(self.indptr[column]), int(self.indptr[column + 1])
        return np.asarray(self.docs[start:end]), np.asarray(self.freqs[start:end])


_ARRAYS = ("lengths", "distinct", "indptr", "docs", "freqs")


def segment_name() -> str:
    """Unique across processes and machines, so two builders never touch each other's files."""
    return f"seg-{uuid.uuid4().hex}"


def write_segment(parent: Path, chunk_ids: Sequence[str], texts: Iterable[str]) -> str:
    """Index `texts` (one per chunk id) as a new segment under `parent`; returns its name."""
    terms: dict[str, int] = {}
    columns: list[int] = []
    docs: list[int] = []
    freqs: list[int] = []
    lengths: list[int] = []
    for doc, text in enumerate(texts):
        tokens = tokenize(text)
        counts = Counter(tokens)
        lengths.append(len(tokens))
        for term, count in counts.items():
            columns.append(terms.setdefault(term, len(terms)))
            docs.append(doc)
            freqs.append(count)
    postings = (np.asarray(columns, np.int64), np.asarray(docs, np.int64), np.asarray(freqs, np.float32))
    return _save(parent, list(terms), list(chunk_ids), np.asarray(lengths, np.float32), *postings)


def merge_segments(parent: Path, segments: Sequence[Segment], dead: dict[str, set[str]]) -> str:
    """One segment holding the live chunks of `segments`; returns its name."""
    terms: dict[str, int] = {}
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    chunk_ids: list[str] = []
    lengths: list[np.ndarray] = []
    for segment in segments:
        alive = _alive(segment, dead.get(segment.name, set()))
        renumber = np.cumsum(alive) - 1 + len(chunk_ids)
        vocabulary = sorted(segment.terms, key=segment.terms.__getitem__)
        column_map = np.asarray([terms.setdefault(t, len(terms)) for t in vocabulary], np.int64)
        columns = np.repeat(np.arange(len(vocabulary)), np.diff(np.asarray(segment.indptr)))
        docs = np.asarray(segment.docs)
        keep = alive[docs]
        parts.append((column_map[columns[keep]], renumber[docs[keep]], np.asarray(segment.freqs)[keep]))
        chunk_ids += [c for c, live in zip(segment.chunk_ids, alive) if live]
        lengths.append(np.asarray(segment.lengths)[alive])
    merged = [np.concatenate([p[i] for p in parts]) if parts else np.zeros(0) for i in range(3)]
    all_lengths = np.concatenate(lengths) if lengths else np.zeros(0, np.float32)
    return _save(parent, list(terms), chunk_ids, all_lengths, merged[0], merged[1], merged[2])


def _save(
    parent: Path,
    terms: list[str],
    chunk_ids: list[str],
    lengths: np.ndarray,
    columns: np.ndarray,
    docs: np.ndarray,
    freqs: np.ndarray,
) -> str:
    """Write a segment under a temporary unique name, then rename it into place (atomic)."""
    order = np.lexsort((docs, columns))
    counts = np.bincount(columns.astype(np.int64), minlength=len(terms)) if len(terms) else np.zeros(0, np.int64)
    name = segment_name()
    tmp = parent / f"tmp-{name}"
    tmp.mkdir(parents=True)
    arrays: dict[str, np.ndarray] = {
        "lengths": lengths.astype(np.float32),
        "distinct": np.bincount(docs.astype(np.int64), minlength=len(chunk_ids)).astype(np.int32),
        "indptr": np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
        "docs": docs[order].astype(np.int32),
        "freqs": freqs[order].astype(np.float32),
    }
    for key, array in arrays.items():
        np.save(tmp / f"{key}.npy", array)
    (tmp / "segment.json").write_text(json.dumps({"format": FORMAT, "terms": terms, "chunk_ids": chunk_ids}))
    os.replace(tmp, parent / name)
    return name


def _alive(segment: Segment, dead: set[str]) -> np.ndarray:
    alive = np.ones(segment.size, dtype=bool)
    if dead:
        alive[[i for i, c in enumerate(segment.chunk_ids) if c in dead]] = False
    return alive


def merge_plan(sizes: dict[str, int], dead: dict[str, set[str]]) -> list[str]:
    """Segments to merge now: MERGE_FACTOR of one size tier, or any segment mostly replaced."""
    tiers: dict[int, list[str]] = {}
    for name, size in sizes.items():
        live = size - len(dead.get(name, ()))
        if size and live < size / 2:
            return [name, *sorted((n for n in sizes if n != name), key=sizes.__getitem__)[:1]]
        tiers.setdefault(int(math.log(max(live, 1), MERGE_FACTOR)), []).append(name)
    for members in tiers.values():
        if len(members) >= MERGE_FACTOR:
            return members
    return []


def remove_unlisted(parent: Path, live: set[str]) -> None:
    """Delete segment directories no longer listed (merged away, or left by a killed writer).
    Only a writer holding the store's write lock calls this; readers keep the files they mapped."""
    if not parent.is_dir():
        return
    for entry in parent.iterdir():
        if entry.name not in live:
            shutil.rmtree(entry, ignore_errors=True)


class LexicalIndex:
    """A consistent view over the live segments: BM25 search, document frequencies, rare terms."""

    def __init__(self, segments: Sequence[Segment], dead: dict[str, set[str]], version: object = None) -> None:
        self.version = version
        self.segments = list(segments)
        self._alive = [_alive(s, dead.get(s.name, set())) if dead.get(s.name) else None for s in self.segments]
        self.chunk_count = sum(s.size if a is None else int(a.sum()) for s, a in zip(self.segments, self._alive))
        self.postings = sum(
            int(np.sum(s.distinct if a is None else np.asarray(s.distinct)[a]))
            for s, a in zip(self.segments, self._alive)
        )
        total_length = sum(
            float(np.sum(s.lengths if a is None else np.asarray(s.lengths)[a]))
            for s, a in zip(self.segments, self._alive)
        )
        average = total_length / self.chunk_count if self.chunk_count else 1.0
        self._norms = [K1 * (1 - B + B * np.asarray(s.lengths) / max(average, 1e-9)) for s in self.segments]

    @classmethod
    def open(
        cls, parent: Path, names: Sequence[str], dead: dict[str, set[str]], version: object, reuse: LexicalIndex | None
    ) -> LexicalIndex:
        """Map the named segments, reusing those `reuse` already has open."""
        known = {s.name: s for s in reuse.segments} if reuse is not None else {}
        return cls([known.get(n) or Segment.load(parent / n) for n in names], dead, version)

    def _live_postings(self, term: str) -> list[tuple[int, np.ndarray, np.ndarray]]:
        found = []
        for index, (segment, alive) in enumerate(zip(self.segments, self._alive)):
            postings = segment.postings(term)
            if postings is None:
                continue
            docs, freqs = postings
            if alive is not None:
                keep = alive[docs]
                docs, freqs = docs[keep], freqs[keep]
            if len(docs):
                found.append((index, docs, freqs))
        return found

    def document_frequencies(self, terms: Iterable[str]) -> dict[str, int]:
        """How many live chunks hold each term."""
        return {t: sum(len(docs) for _, docs, _ in self._live_postings(t)) for t in dict.fromkeys(terms)}

    def rare_terms(self, query: str, share: float) -> set[str]:
        """Query terms found in at most `share` of the chunks: names like 'HNeRV' that pin a paper down."""
        limit = max(2, int(share * self.chunk_count))
        return {t for t, df in self.document_frequencies(tokenize(query)).items() if 0 < df <= limit}

    def search(self, query: str, limit: int) -> list[tuple[str, float]]:
        """(chunk_id, bm25 score) best first; only chunks sharing a term with the query."""
        scores = [np.zeros(s.size, dtype=np.float32) for s in self.segments]
        for term in self._terms(query):
            postings = self._live_postings(term)
            df = sum(len(docs) for _, docs, _ in postings)
            if not df:
                continue
            idf = math.log(1 + (self.chunk_count - df + 0.5) / (df + 0.5))
            for index, docs, freqs in postings:
                scores[index][docs] += idf * freqs / (freqs + self._norms[index][docs])
        return self._top(scores, limit)

    def _terms(self, query: str) -> list[str]:
        """The query's terms; a phrase hyphenated into one word ('denial-of-service') that no chunk holds, by its
        parts ('Denial of Service')."""
        terms: list[str] = []
        for term in dict.fromkeys(tokenize(query)):
            phrase = "-" in term and any(part in STOPWORDS for part in term.split("-"))
            absent = phrase and not any(len(docs) for _, docs, _ in self._live_postings(term))
            terms += tokenize(term.replace("-", " ")) if absent else [term]
        return list(dict.fromkeys(terms))

    def _top(self, scores: list[np.ndarray], limit: int) -> list[tuple[str, float]]:
        candidates: list[tuple[float, int, int]] = []  # (score, segment, row)
        for index, row in enumerate(scores):
            hits = np.flatnonzero(row > 0)
            if len(hits) > limit:  # the best `limit`, and whatever ties with the last of them
                threshold = np.partition(row[hits], len(hits) - limit)[len(hits) - limit]
                hits = hits[row[hits] >= threshold]
            candidates += [(float(row[d]), index, int(d)) for d in hits]
        # Ties go to the smaller chunk id, so results do not depend on how segments happen to be cut.
        found = [(self.segments[i].chunk_ids[d], score) for score, i, d in candidates]
        found.sort(key=lambda c: (-c[1], c[0]))
        return found[:limit]
