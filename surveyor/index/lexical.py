"""BM25 over chunk texts (bm25s), saved beside the vector index and rebuilt from the records."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from surveyor.text.tokens import TOKENIZER_VERSION, tokenize


class LexicalIndex:
    """BM25 (Lucene variant) over chunks. bm25s builds and saves it; queries read its score
    matrix with numpy alone, so a cold search does not pay for importing bm25s and scipy."""

    def __init__(self, directory: Path, chunk_ids: list[str], doc_freq: dict[str, int]) -> None:
        self.chunk_ids = chunk_ids
        self.doc_freq = doc_freq
        self._vocab: dict[str, int] = json.loads((directory / "vocab.index.json").read_text())
        # Column t of the CSC matrix holds the precomputed BM25 term scores of term t per chunk.
        self._data = np.load(directory / "data.csc.index.npy", mmap_mode="r")
        self._indices = np.load(directory / "indices.csc.index.npy", mmap_mode="r")
        self._indptr = np.load(directory / "indptr.csc.index.npy", mmap_mode="r")

    @staticmethod
    def build(directory: Path, chunk_ids: list[str], texts: Sequence[str], generation: int) -> None:
        """Index `texts` and swap the result in at `directory`: a reader never sees half an index."""
        import bm25s

        tokens = [tokenize(t) or [""] for t in texts]
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        if tokens:
            model = bm25s.BM25()
            model.index(tokens, show_progress=False)
            model.save(str(tmp), show_progress=False)
        else:  # bm25s cannot index nothing; an empty store still gets a loadable index
            tmp.mkdir(parents=True)
            (tmp / "vocab.index.json").write_text("{}")
            for name in ("data", "indices", "indptr"):
                np.save(tmp / f"{name}.csc.index.npy", np.zeros(1 if name == "indptr" else 0, dtype=np.int32))
        (tmp / "chunk_ids.json").write_text(json.dumps(chunk_ids))
        (tmp / "doc_freq.json").write_text(json.dumps(Counter(term for doc in tokens for term in set(doc))))
        (tmp / "generation").write_text(f"{generation}/{TOKENIZER_VERSION}")
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def is_current(directory: Path, generation: int) -> bool:
        """Whether the saved index was built from these records with this tokenizer."""
        try:
            return (directory / "generation").read_text() == f"{generation}/{TOKENIZER_VERSION}"
        except OSError:
            return False

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        chunk_ids = json.loads((directory / "chunk_ids.json").read_text())
        return cls(directory, chunk_ids, json.loads((directory / "doc_freq.json").read_text()))

    def rare_terms(self, query: str, share: float) -> set[str]:
        """Query terms found in at most `share` of the chunks: names like 'HNeRV' that pin a paper down."""
        limit = max(2, int(share * len(self.chunk_ids)))
        return {t for t in tokenize(query) if 0 < self.doc_freq.get(t, 0) <= limit}

    def search(self, query: str, limit: int) -> list[tuple[str, float]]:
        """(chunk_id, bm25 score) best first; only chunks sharing a term with the query."""
        term_ids = [self._vocab[t] for t in dict.fromkeys(tokenize(query)) if t in self._vocab]
        if not term_ids or not self.chunk_ids:
            return []
        scores = np.zeros(len(self.chunk_ids), dtype=np.float32)
        for term in term_ids:
            start, end = int(self._indptr[term]), int(self._indptr[term + 1])
            np.add.at(scores, self._indices[start:end], self._data[start:end])
        limit = min(limit, len(scores))
        top = np.argpartition(-scores, limit - 1)[:limit]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.chunk_ids[int(i)], float(scores[i])) for i in top if scores[i] > 0]
