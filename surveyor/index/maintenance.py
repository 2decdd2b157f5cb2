"""Bringing the indexes in line with the records: catch-up after ingest, reindex, push to a server.

Local stores: Chroma and the lexical index follow the records (pending chunks, tombstones).
Server stores: the remote writer (remote.py) does the same work through the server.
Reindex never leaves the store empty: it fills a new chunk collection and switches when complete.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from surveyor.corpus.chunking import chunk_paper, content_digest, embedding_text
from surveyor.errors import SurveyorError
from surveyor.index.embeddings import Embedder
from surveyor.index.remote import PAGE, Chunker, VectorSource, Write, embedding_texts, upsert_chunks
from surveyor.index.store import Store
from surveyor.records import Chunk, Paper

if TYPE_CHECKING:
    from chromadb.api.models.Collection import Collection

Progress = Callable[[int, int], None]


def chunker_for(store: Store, embedder: Embedder) -> Chunker:
    max_tokens = store.settings.chunk_tokens
    return lambda paper: chunk_paper(paper, embedder.count_tokens, max_tokens)


def embedding_source(embedder: Embedder) -> VectorSource:
    return lambda pairs: embedder.embed(embedding_texts(pairs))


def sync_index(store: Store, embedder: Embedder, progress: Progress | None = None) -> int:
    """Bring a local store's Chroma collection and lexical index in line with its records;
    returns how many chunks were embedded. The caller holds the write lock."""
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
    store.update_lexical()
    return len(pending)


def complete_pending(store: Store, embedder: Embedder, progress: Progress | None = None) -> int:
    """Finish what writers killed midway left on the server; returns chunks embedded."""
    assert store.remote is not None
    writes = [Write(head.paper, cached=False) for head in store.remote.pending_heads()]
    if not writes:
        return 0
    stats = store.remote.write(writes, chunker_for(store, embedder), embedding_source(embedder), progress)
    return stats.chunks_written


def reindex(store: Store, embedder: Embedder, progress: Progress | None = None) -> int:
    """Re-embed every chunk into a new collection and rebuild the lexical index, then switch.
    Searches keep answering from the old collection until the new one is complete."""
    if store.remote is not None:
        return _reindex_remote(store, embedder, progress)
    with store.write_lock():
        db = store.db
        chunks = db.all_chunks()
        fresh = store.new_collection()
        _fill(fresh, db.get(c.paper_id for c in chunks), chunks, embedding_source(embedder), store, progress)
        with db.transaction():  # the switch and the bookkeeping it makes true, at once
            db.set_meta("vectors", fresh.name)
            db.mark_all_indexed()
            db.clear_tombstones(db.tombstones())
        store.switch_collection(fresh)
        store.rebuild_lexical()
        return len(chunks)


def _reindex_remote(store: Store, embedder: Embedder, progress: Progress | None) -> int:
    remote = store.remote
    assert remote is not None
    store.refresh(force=True)
    before = remote.change_ids()
    chunks = store.db.all_chunks()
    fresh = store.new_collection()
    _fill(fresh, store.db.get(c.paper_id for c in chunks), chunks, embedding_source(embedder), store, progress)
    remote.switch_chunks(fresh.name)
    # Batches written meanwhile went to the old collection: copy them over. (Writers check for a
    # switch after logging each batch, so batches logged from now on copy themselves.)
    touched = remote.changed_papers(sorted(remote.change_ids() - before))
    heads = remote.heads(touched)
    chunker = chunker_for(store, embedder)
    remote.ensure_vectors(
        fresh, [(h.paper, c) for h in heads.values() for c in chunker(h.paper)], embedding_source(embedder)
    )
    store.switch_collection(fresh)
    remote.log_change([])  # every client re-reads which collection is current
    store.refresh(force=True)
    store.rebuild_lexical()
    return len(chunks)


def _fill(
    collection: Collection,
    papers: dict[str, Paper],
    chunks: Sequence[Chunk],
    vectors: VectorSource,
    store: Store,
    progress: Progress | None,
) -> None:
    pairs = [(papers[c.paper_id], c) for c in chunks if c.paper_id in papers]
    pairs.sort(key=lambda pc: len(pc[1].text) + len(pc[0].title))
    size = store.settings.batch_size
    for start in range(0, len(pairs), size):
        batch = pairs[start : start + size]
        upsert_chunks(collection, batch, vectors(batch))
        if progress:
            progress(start + len(batch), len(pairs))


def push(source: Store, target: Store, embedder: Embedder, progress: Progress | None = None) -> tuple[int, int]:
    """Copy a local store's papers and vectors to a server store (no re-embedding of what is
    indexed); returns (papers sent, chunks that had to be embedded). Safe to repeat: it converges
    like any ingest."""
    if target.remote is None:
        raise SurveyorError(f"push needs a Chroma server URL, not {target.settings.store!r}")
    if source.manifest.get("embedding_model") != target.manifest.get("embedding_model") or source.manifest.get(
        "chunk_tokens"
    ) != target.manifest.get("chunk_tokens"):
        raise SurveyorError("the stores use different embedding models or chunking: ingest an export instead")
    target.refresh(force=True)
    papers = source.db.papers()
    writes = []
    for paper in papers:
        found = target.db.resolve_stored(paper.paper_id)
        writes.append(Write(paper, cached=found is not None))

    embedded = 0

    def copied(pairs: Sequence[tuple[Paper, Chunk]]) -> np.ndarray:
        nonlocal embedded
        stored = source.vectors([c.chunk_id for _, c in pairs])
        missing = [(p, c) for p, c in pairs if c.chunk_id not in stored]
        if missing:
            stored.update(zip((c.chunk_id for _, c in missing), embedder.embed(embedding_texts(missing))))
            embedded += len(missing)
        return np.vstack([stored[c.chunk_id] for _, c in pairs])

    def local_chunks(paper: Paper) -> list[Chunk]:
        """The source's chunks when they are of this very version (else chunk it afresh)."""
        prefix = f"{paper.paper_id}#{content_digest(paper, source.settings.chunk_tokens)}#"
        chunks = source.db.chunks_of(paper.paper_id)
        if chunks and all(c.chunk_id.startswith(prefix) for c in chunks):
            return chunks
        return chunker_for(source, embedder)(paper)

    assert target.remote is not None
    for start in range(0, len(writes), PAGE):
        target.remote.write(writes[start : start + PAGE], local_chunks, copied)
        if progress:
            progress(min(start + PAGE, len(writes)), len(writes))
    target.refresh(force=True)
    return len(writes), embedded
