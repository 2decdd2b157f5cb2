"""`surveyor verify`: does the index hold exactly what the paper records say? (`--repair` makes it so.)

A local store compares its records with its Chroma collection. A server store compares the paper
records on the server with the chunk vectors there: every record's chunks present, no chunk without
its record, nothing left pending by a killed writer, no paper stored twice under two ids.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace

from surveyor.index.embeddings import Embedder
from surveyor.index.maintenance import chunker_for, embedding_source, sync_index
from surveyor.index.remote import Head, Write
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
    duplicate_records: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        problems = self.missing_vectors or self.orphan_vectors or self.pending_chunks or self.tombstones
        return not (problems or self.duplicate_records) and self.lexical_current

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
        if self.duplicate_records:
            found.append(f"{len(self.duplicate_records)} papers are stored twice, under an old and a new id")
        if not self.lexical_current:
            found.append("the lexical index is behind the records")
        return found

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data.update(
            ok=self.ok,
            problems=self.problems(),
            missing_vectors=len(self.missing_vectors),
            orphan_vectors=len(self.orphan_vectors),
            duplicate_records=len(self.duplicate_records),
        )
        return data


def check(store: Store) -> Consistency:
    """Compare the records (source of truth) with the vectors and the lexical index."""
    if store.remote is not None:
        return _check_remote(store)
    expected = store.db.chunk_ids()
    present = store.vector_ids()
    return Consistency(
        papers=store.db.count(),
        chunks=len(expected),
        vectors=len(present),
        missing_vectors=sorted(expected - present),
        orphan_vectors=sorted(present - expected),
        pending_chunks=store.db.pending_count(),
        tombstones=len(store.db.tombstones()),
        lexical_current=store.lexical_current(),
    )


def repair(store: Store, embedder: Embedder, found: Consistency) -> None:
    """Carry out what `check` found missing or left over."""
    if store.remote is not None:
        _repair_remote(store, embedder, found)
        return
    with store.write_lock():
        with store.db.transaction():
            store.db.mark_pending(found.missing_vectors)
            store.db.add_tombstones(found.orphan_vectors)
        sync_index(store, embedder)


def _check_remote(store: Store) -> Consistency:
    assert store.remote is not None
    store.refresh(force=True)
    heads = store.remote.all_heads()
    index = store.remote.chunk_index(store.collection)
    expected = {chunk_id for head in heads.values() for chunk_id in head.chunk_ids()}
    return Consistency(
        papers=len(heads) - len(_superseded(heads)),
        chunks=len(expected),
        vectors=len(index),
        missing_vectors=sorted(expected - index.keys()),
        orphan_vectors=sorted(index.keys() - expected),
        pending_chunks=sum(h.chunks for h in heads.values() if h.pending),
        lexical_current=store.lexical_current(),
        duplicate_records=sorted(_superseded(heads)),
    )


def _superseded(heads: dict[str, Head]) -> dict[str, str]:
    """Records of a paper that another record of it replaces (a real id beats a title id, then the
    later write wins), as {old id: the record that wins}. Records sharing an id or alias are one paper."""
    holders: dict[str, set[str]] = {}
    for head in heads.values():
        for name in {head.paper.paper_id, *head.paper.aliases}:
            holders.setdefault(name, set()).add(head.paper.paper_id)
    beaten: dict[str, str] = {}
    for paper_id, head in heads.items():
        rivals = set().union(*(holders[n] for n in {paper_id, *head.paper.aliases}))
        best = max(rivals, key=lambda i: _rank(heads[i]))
        if best != paper_id:
            beaten[paper_id] = best
    final: dict[str, str] = {}
    for loser, winner in beaten.items():
        seen = {loser}
        while winner in beaten and winner not in seen:
            seen.add(winner)
            winner = beaten[winner]
        final[loser] = winner
    return final


def _rank(head: Head) -> tuple[bool, float, str]:
    return (not head.paper.paper_id.startswith("t:"), head.at, head.paper.paper_id)


def _repair_remote(store: Store, embedder: Embedder, found: Consistency) -> None:
    remote = store.remote
    assert remote is not None
    heads = remote.all_heads()
    losers = _superseded(heads)
    broken = {chunk_id.rsplit("#", 2)[0] for chunk_id in found.missing_vectors}
    writes = [Write(heads[i].paper, cached=False) for i in sorted(broken) if i in heads and i not in losers]
    writes += [
        Write(h.paper, cached=False) for i, h in heads.items() if h.pending and i not in broken and i not in losers
    ]
    for loser, winner in sorted(losers.items()):
        merged = replace(
            heads[winner].paper,
            sources=sorted({*heads[winner].paper.sources, *heads[loser].paper.sources}),
            aliases=sorted({*heads[winner].paper.aliases, *heads[loser].paper.aliases, loser} - {winner}),
        )
        writes.append(Write(merged, replaces=loser, cached=False))
    if writes:
        remote.write(writes, chunker_for(store, embedder), embedding_source(embedder))
    orphans = [c for c in found.orphan_vectors if c.rsplit("#", 2)[0] not in losers]
    if orphans:
        remote.delete_records(store.collection, [], orphans)
    store.refresh(force=True)
