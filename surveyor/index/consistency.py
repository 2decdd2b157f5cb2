"""`surveyor verify`: does the index hold exactly what the paper records say? (`--repair` makes it so.)"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from surveyor.index.lexical import LexicalIndex
from surveyor.index.store import Store


@dataclass
class Consistency:
    papers: int
    chunks: int
    vectors: int
    missing_vectors: list[str] = field(default_factory=list)
    orphan_vectors: list[str] = field(default_factory=list)
    pending_chunks: int = 0
    tombstones: int = 0
    lexical_current: bool = True

    @property
    def ok(self) -> bool:
        return not (self.missing_vectors or self.orphan_vectors or self.pending_chunks or self.tombstones) and (
            self.lexical_current
        )

    def problems(self) -> list[str]:
        found = []
        if self.missing_vectors:
            found.append(f"{len(self.missing_vectors)} chunks have no vector in Chroma")
        if self.orphan_vectors:
            found.append(f"{len(self.orphan_vectors)} vectors in Chroma belong to no stored chunk")
        if self.pending_chunks:
            found.append(f"{self.pending_chunks} chunks wait to be embedded (an interrupted ingest)")
        if self.tombstones:
            found.append(f"{self.tombstones} replaced chunks wait to be deleted from Chroma")
        if not self.lexical_current:
            found.append("the BM25 index is older than the records")
        return found

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.update(ok=self.ok, problems=self.problems(), missing_vectors=len(self.missing_vectors),
                    orphan_vectors=len(self.orphan_vectors))
        return data


def check(store: Store) -> Consistency:
    """Compare the records (source of truth) with Chroma and BM25."""
    expected = {c.chunk_id for c in store.db.all_chunks()}
    present = store.vector_ids()
    return Consistency(
        papers=store.db.count(),
        chunks=len(expected),
        vectors=len(present),
        missing_vectors=sorted(expected - present),
        orphan_vectors=sorted(present - expected),
        pending_chunks=len(store.db.pending_chunks()),
        tombstones=len(store.db.tombstones()),
        lexical_current=LexicalIndex.is_current(store.root / "bm25", store.db.generation()),
    )


def queue_repairs(store: Store, found: Consistency) -> None:
    """Turn what `check` found into pending work that `sync_index` then carries out."""
    with store.db.transaction():
        store.db.mark_pending(found.missing_vectors)
        store.db.add_tombstones(found.orphan_vectors)
