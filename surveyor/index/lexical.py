"""BM25 over chunk texts (bm25s), saved beside the vector index and rebuilt from the records."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import bm25s

_STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between
    both but by can could did do does doing down during each few for from further had has have having he her here
    hers him his how i if in into is it its itself just me more most my no nor not now of off on once only or
    other our ours out over own same she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who whom why will with would
    you your paper propose proposed approach method methods show shows work""".split()
)


def tokenize(text: str) -> list[str]:
    """Lowercased word tokens without stopwords, lightly stemmed so 'videos' meets 'video'."""
    return [_stem(w) for w in re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.lower()) if w not in _STOPWORDS]


def _stem(word: str) -> str:
    if word.endswith("ies") and len(word) > 5:
        word = word[:-3] + "y"
    elif word.endswith("s") and len(word) > 4 and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ing") and len(word) > 6:
        word = word[:-3]
    return word


class LexicalIndex:
    """A BM25 index over chunks, addressed by position in `chunk_ids`."""

    def __init__(self, model: bm25s.BM25, chunk_ids: list[str], doc_freq: dict[str, int]) -> None:
        self._model = model
        self.chunk_ids = chunk_ids
        self.doc_freq = doc_freq
        self._vocab: dict[str, int] = model.vocab_dict

    @classmethod
    def build(cls, chunk_ids: list[str], texts: Sequence[str]) -> LexicalIndex:
        import bm25s

        tokens = [tokenize(t) or [""] for t in texts]
        model = bm25s.BM25()
        model.index(tokens, show_progress=False)
        return cls(model, chunk_ids, dict(Counter(term for doc in tokens for term in set(doc))))

    def save(self, directory: Path, generation: int) -> None:
        """Write to a fresh folder, then swap it in: a reader never sees half an index."""
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        self._model.save(str(tmp), show_progress=False)
        (tmp / "chunk_ids.json").write_text(json.dumps(self.chunk_ids))
        (tmp / "doc_freq.json").write_text(json.dumps(self.doc_freq))
        (tmp / "generation").write_text(str(generation))
        old = directory.with_name(directory.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if directory.exists():
            directory.rename(old)
        tmp.rename(directory)
        shutil.rmtree(old, ignore_errors=True)

    @staticmethod
    def saved_generation(directory: Path) -> int | None:
        try:
            return int((directory / "generation").read_text())
        except (OSError, ValueError):
            return None

    @classmethod
    def load(cls, directory: Path, generation: int) -> LexicalIndex | None:
        """The saved index if it matches the records' generation, else None (caller rebuilds)."""
        if cls.saved_generation(directory) != generation:
            return None
        import bm25s

        model = bm25s.BM25.load(str(directory), mmap=True, show_progress=False)
        chunk_ids = json.loads((directory / "chunk_ids.json").read_text())
        return cls(model, chunk_ids, json.loads((directory / "doc_freq.json").read_text()))

    def rare_terms(self, query: str, share: float) -> set[str]:
        """Query terms found in at most `share` of the chunks: names like 'HNeRV' that pin a paper down."""
        limit = max(2, int(share * len(self.chunk_ids)))
        return {t for t in tokenize(query) if 0 < self.doc_freq.get(t, 0) <= limit}

    def search(self, query: str, limit: int) -> list[tuple[str, float]]:
        """(chunk_id, bm25 score) best first; only chunks sharing a term with the query."""
        terms = [t for t in tokenize(query) if t in self._vocab]
        if not terms or not self.chunk_ids:
            return []
        k = min(limit, len(self.chunk_ids))
        positions, scores = self._model.retrieve([terms], k=k, show_progress=False, n_threads=1)
        return [(self.chunk_ids[int(p)], float(s)) for p, s in zip(positions[0], scores[0]) if s > 0]
