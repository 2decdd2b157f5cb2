"""Ingest: files -> records -> deduplicated papers -> chunks -> vectors, incrementally.

Records are written first (one transaction), with their new chunks pending and replaced chunks as
tombstones; then the vector index catches up batch by batch. A run killed anywhere leaves pending
work that the next run (or `reindex`) finishes, and never loses a stored paper.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from surveyor.corpus.chunking import chunk_paper, content_digest, embedding_text
from surveyor.corpus.identity import assign_key, merge, title_id
from surveyor.corpus.readers import read_paths
from surveyor.index.embeddings import Embedder
from surveyor.index.store import Store
from surveyor.records import Paper, ReadError, Record
from surveyor.text.roles import sentence_roles

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
    with store.write_lock(wait, on_wait):
        _write_records(store, embedder, [paper for paper, _ in groups], report)
        report.chunks = sync_index(store, embedder, progress)
    return report


def _write_records(store: Store, embedder: Embedder, incoming: list[Paper], report: IngestReport) -> None:
    db, max_tokens = store.db, store.settings.chunk_tokens
    digests = db.digests()
    taken = db.keys()
    changes: list[tuple[Paper, Paper | None]] = []
    for paper in sorted(incoming, key=lambda p: p.paper_id):
        stored = next(filter(None, (db.resolve(n) for n in (paper.paper_id, *paper.aliases))), None)
        combined = _combine(stored, paper)
        combined.roles = sentence_roles(combined)  # classified once, here, and kept with the paper
        if stored is None:
            combined.key = assign_key(combined, taken)
            taken.add(combined.key)
            report.added += 1
        elif combined == stored and digests.get(stored.paper_id) == content_digest(combined, max_tokens):
            report.unchanged += 1
            continue
        else:
            report.updated += 1
        changes.append((combined, stored))
    if not changes:
        return
    with db.transaction():
        for paper, stored in changes:
            digest = content_digest(paper, max_tokens)
            if stored is not None and stored.paper_id != paper.paper_id:
                db.remove(stored.paper_id)
            keep_chunks = (
                stored is not None and stored.paper_id == paper.paper_id and digests.get(stored.paper_id) == digest
            )
            chunks = None if keep_chunks else chunk_paper(paper, embedder.count_tokens, max_tokens)
            db.put(paper, digest, [paper.paper_id, *paper.aliases], chunks)
        db.bump_generation()


def _combine(stored: Paper | None, incoming: Paper) -> Paper:
    """The incoming version wins field by field; the stored one fills gaps and keeps its key."""
    if stored is None:
        return dataclasses.replace(incoming)
    real_id = next((i for i in (incoming.paper_id, stored.paper_id) if not i.startswith("t:")), stored.paper_id)
    aliases = {*stored.aliases, *incoming.aliases, stored.paper_id, incoming.paper_id, title_id(incoming.title)}
    return Paper(
        paper_id=real_id,
        key=stored.key,
        title=incoming.title,
        abstract=incoming.abstract,
        authors=incoming.authors or stored.authors,
        year=incoming.year or stored.year,
        venue=incoming.venue or stored.venue,
        url=incoming.url or stored.url,
        doi=incoming.doi or stored.doi,
        arxiv_id=incoming.arxiv_id or stored.arxiv_id,
        sources=sorted({*stored.sources, *incoming.sources}),
        aliases=sorted(aliases - {real_id}),
    )


def sync_index(store: Store, embedder: Embedder, progress: Progress | None = None) -> int:
    """Bring Chroma and BM25 in line with the records; returns how many chunks were embedded."""
    db = store.db
    tombstones = db.tombstones()
    if tombstones:
        store.delete_vectors(tombstones)
        db.clear_tombstones(tombstones)
    pending = db.pending_chunks()
    papers = db.get(c.paper_id for c in pending)
    # Similar lengths in one batch waste less padding.
    pending.sort(key=lambda c: len(c.text) + len(papers[c.paper_id].title))
    batch_size = store.settings.batch_size
    for start in range(0, len(pending), batch_size):
        batch = pending[start : start + batch_size]
        vectors = embedder.embed([embedding_text(papers[c.paper_id], c) for c in batch])
        store.upsert_vectors(batch, vectors)
        db.mark_indexed([c.chunk_id for c in batch])
        if progress:
            progress(start + len(batch), len(pending))
    store.refresh_lexical()
    return len(pending)
