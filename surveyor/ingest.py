"""Ingest: files -> records -> deduplicated papers -> chunks -> vectors, incrementally.

Local store: records are written first (one transaction), with their new chunks pending and replaced
chunks as tombstones; then the vector and lexical indexes catch up batch by batch. A run killed
anywhere leaves pending work that the next run (or `reindex`) finishes, and never loses a stored paper.

Server store: the same plan, written through the server batch by batch (remote.py); records a killed
writer left pending are completed by the next ingest, from any machine.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from surveyor.corpus.chunking import chunk_paper, content_digest
from surveyor.corpus.identity import assign_key, combine, merge
from surveyor.corpus.readers import read_paths
from surveyor.index.embeddings import Embedder
from surveyor.index.maintenance import chunker_for, complete_pending, embedding_source, sync_index
from surveyor.index.paperdb import PaperDB
from surveyor.index.remote import Write
from surveyor.index.store import Store
from surveyor.records import Paper, ReadError, Record
from surveyor.text.roles import sentence_roles

__all__ = ["IngestReport", "Progress", "ingest", "sync_index"]

Progress = Callable[[int, int], None]


@dataclass
class IngestReport:
    """What one ingest run did; the `ingest --json` shape."""

    files: int = 0
    records: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicates: int = 0
    chunks: int = 0
    errors: list[ReadError] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        data = dataclasses.asdict(self)
        data["errors"] = [e.as_dict() for e in self.errors]
        return data


def ingest(
    store: Store,
    embedder: Embedder,
    paths: Sequence[Path],
    fmt: str | None = None,
    progress: Progress | None = None,
    wait: bool = True,
    on_wait: Callable[[], None] | None = None,
) -> IngestReport:
    """Read `paths` and bring the store up to date with them."""
    report = IngestReport()
    records: list[Record] = []
    files: set[str] = set()
    for item in read_paths(paths, fmt):
        files.add(item.file)
        if isinstance(item, ReadError):
            report.errors.append(item)
        else:
            records.append(item)
    report.files, report.records = len(files), len(records)
    groups = merge(records)
    report.duplicates = len(records) - len(groups)
    incoming = [paper for paper, _ in groups]
    if store.remote is not None:
        _ingest_remote(store, embedder, incoming, report, progress)
        return report
    with store.write_lock(wait, on_wait):
        _write_records(store, embedder, plan(store.db, incoming, store.settings.chunk_tokens, report))
        report.chunks = sync_index(store, embedder, progress)
    return report


@dataclass
class Change:
    """A paper to store, and the stored version it replaces (None for a new paper)."""

    paper: Paper
    digest: str
    stored: Paper | None
    stored_digest: str | None

    @property
    def moved_from(self) -> str | None:
        """The stored id, when the paper moved to a better id (e.g. from a title id to an arXiv id)."""
        return self.stored.paper_id if self.stored and self.stored.paper_id != self.paper.paper_id else None


def plan(db: PaperDB, incoming: Sequence[Paper], max_tokens: int, report: IngestReport) -> list[Change]:
    """Compare the incoming papers with the stored ones: what is new, changed, or unchanged.
    Costs O(incoming) lookups, whatever the size of the store."""
    taken = _TakenKeys(db)
    changes: list[Change] = []
    for paper in sorted(incoming, key=lambda p: p.paper_id):
        found = next(filter(None, (db.resolve_stored(n) for n in (paper.paper_id, *paper.aliases))), None)
        stored, stored_digest = found if found else (None, None)
        combined = combine(stored, paper)
        combined.roles = sentence_roles(combined)  # classified once, here, and kept with the paper
        digest = content_digest(combined, max_tokens)
        if stored is None:
            combined.key = assign_key(combined, taken)
            taken.add(combined.key)
            report.added += 1
        elif combined == stored and stored_digest == digest:
            report.unchanged += 1
            continue
        else:
            report.updated += 1
        changes.append(Change(combined, digest, stored, stored_digest))
    return changes


class _TakenKeys:
    """Citation keys in use: the stored ones (looked up one by one) and those given out this run."""

    def __init__(self, db: PaperDB) -> None:
        self._db = db
        self._given: set[str] = set()

    def __contains__(self, key: object) -> bool:
        return key in self._given or (isinstance(key, str) and self._db.key_taken(key))

    def add(self, key: str) -> None:
        self._given.add(key)


def _write_records(store: Store, embedder: Embedder, changes: Sequence[Change]) -> None:
    if not changes:
        return
    db, max_tokens = store.db, store.settings.chunk_tokens
    with db.transaction():
        for change in changes:
            if change.moved_from:
                db.remove(change.moved_from)
            keep_chunks = change.stored is not None and not change.moved_from and change.stored_digest == change.digest
            chunks = None if keep_chunks else chunk_paper(change.paper, embedder.count_tokens, max_tokens)
            db.put(change.paper, change.digest, [change.paper.paper_id, *change.paper.aliases], chunks)
        db.bump_generation()


def _ingest_remote(
    store: Store, embedder: Embedder, incoming: Sequence[Paper], report: IngestReport, progress: Progress | None
) -> None:
    """Plan against the (freshly pulled) cache, write through the server, pull what landed."""
    assert store.remote is not None
    store.refresh(force=True)
    report.chunks = complete_pending(store, embedder)
    changes = plan(store.db, incoming, store.settings.chunk_tokens, report)
    writes = [Write(c.paper, replaces=c.moved_from, cached=c.stored is not None) for c in changes]
    if writes:
        stats = store.remote.write(writes, chunker_for(store, embedder), embedding_source(embedder), progress)
        report.chunks += stats.chunks_written
    store.refresh(force=True)
