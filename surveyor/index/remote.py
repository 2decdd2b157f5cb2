"""A store on a Chroma server: records, vectors and store metadata all live there; a client keeps
only a cache (records and lexical index, in SQLite) that it can rebuild from the server.

Collections, named `<prefix>-...` (`settings.chroma_collection`, "surveyor" by default):

  <prefix>-papers    one record per paper (ids as in a local store): the paper as JSON, and metadata
                     key, digest, chunk count, state (pending/done), write time, title id, and one `s:`/`a:` key per
                     source file and alias. Its collection metadata is the manifest: embedding
                     model, chunking, and the name of the current chunk collection.
  <prefix>-keys      citation key claims (id = key). `add` never overwrites, so when two machines
                     want the same key at once, exactly one gets it.
  <prefix>-changes   the change log: one record per written batch, naming its papers. A client
                     applies the records it has not seen; their number is the change counter.
  <prefix>-chunks-*  chunk vectors, ids as in a local store; a reindex builds a new one and switches.

No lock spans machines. Writers converge because every write is idempotent and they commute: ids
are deterministic, a chunk id hashes its content, metadata keys merge on upsert (sources and aliases
are unions), a paper record is written after its chunks and marked done after stale chunks are
gone, and the change record comes last. A reader shows a paper only once all the chunks its record
names are there, so it never sees half a paper; a writer killed midway leaves a pending record that
the next ingest completes.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, cast

import numpy as np

from surveyor.corpus.chunking import chunk_id_for, content_digest, embedding_text
from surveyor.corpus.identity import assign_key, combine, title_id
from surveyor.errors import SurveyorError
from surveyor.index.chroma import chroma_errors, is_missing_collection, open_client
from surveyor.index.paperdb import PaperDB, paper_from_json, paper_to_json
from surveyor.records import Chunk, Paper
from surveyor.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection
    from chromadb.api.types import Where

MANIFEST_VERSION = 2
PAGE = 1000
# Vectors for chunks (embedded, or copied from where they already are).
VectorSource = Callable[[Sequence[tuple[Paper, Chunk]]], np.ndarray]
Chunker = Callable[[Paper], list[Chunk]]


@dataclass(frozen=True)
class Head:
    """A paper record as the server holds it."""

    paper: Paper
    digest: str
    chunks: int
    pending: bool
    at: float

    def chunk_ids(self) -> list[str]:
        return [chunk_id_for(self.paper.paper_id, self.digest, n) for n in range(self.chunks)]


@dataclass
class Write:
    """A paper to store; `replaces` is an older id of it to remove (a richer record moved it)."""

    paper: Paper
    replaces: str | None = None
    cached: bool = True  # whether the client's cache held it complete (else its chunks are checked)


@dataclass
class WriteStats:
    papers: int = 0
    chunks_written: int = 0  # vectors upserted (embedded, or copied from elsewhere)
    keys_renamed: dict[str, str] = field(default_factory=dict)


class Remote:
    """The server side of a store: opens its collections and reads and writes them."""

    def __init__(self, settings: Settings, manifest: dict[str, object]) -> None:
        self.settings = settings
        self.wanted = manifest
        self.prefix = settings.chroma_collection
        self.client: ClientAPI | None = None
        self.store_id = ""
        self._papers: Collection | None = None
        self._keys: Collection | None = None
        self._changes: Collection | None = None

    # -- opening ----------------------------------------------------------------------------------
    def open(self, create: bool) -> None:
        """Connect and check the manifest; `create` makes the collections if the store is new."""
        client = open_client(self.settings, None)
        name = f"{self.prefix}-papers"
        with chroma_errors(self.settings):
            if create:
                papers = client.get_or_create_collection(name, metadata=self._new_manifest(), embedding_function=None)
            else:
                try:
                    papers = client.get_collection(name, embedding_function=None)
                except Exception as exc:
                    if not is_missing_collection(exc):
                        raise
                    raise SurveyorError(
                        f"no surveyor store on the Chroma server at {self.settings.store} (collections "
                        f"'{self.prefix}-*'): run `surveyor ingest PATH --store {self.settings.store}` first"
                    ) from None
            self._check_manifest(dict(papers.metadata or {}))
            self._keys = client.get_or_create_collection(f"{self.prefix}-keys", embedding_function=None)
            self._changes = client.get_or_create_collection(f"{self.prefix}-changes", embedding_function=None)
        self.client, self._papers, self.store_id = client, papers, str(papers.id)

    def _new_manifest(self) -> dict[str, str | int]:
        digest = hashlib.sha1(f"{self.wanted['embedding_model']}|{self.wanted['chunk_tokens']}".encode())
        return {
            "surveyor": MANIFEST_VERSION,
            "embedding_model": str(self.wanted["embedding_model"]),
            "chunk_tokens": int(str(self.wanted["chunk_tokens"])),
            "chunks": f"{self.prefix}-chunks-{digest.hexdigest()[:12]}",
        }

    def _check_manifest(self, found: Mapping[str, object]) -> None:
        where = f"the store on {self.settings.store}"
        if found.get("embedding_model") != self.wanted["embedding_model"]:
            raise SurveyorError(
                f"{where} was built with embedding model {found.get('embedding_model')!r}, "
                f"not {self.wanted['embedding_model']!r}: use that model or another --store"
            )
        if found.get("chunk_tokens") != self.wanted["chunk_tokens"]:
            raise SurveyorError(
                f"{where} was chunked at {found.get('chunk_tokens')} tokens, not "
                f"{self.wanted['chunk_tokens']}: use that setting or another --store"
            )

    @property
    def papers(self) -> Collection:
        assert self._papers is not None, "Remote.open() first"
        return self._papers

    @property
    def keys(self) -> Collection:
        assert self._keys is not None, "Remote.open() first"
        return self._keys

    @property
    def changes(self) -> Collection:
        assert self._changes is not None, "Remote.open() first"
        return self._changes

    def manifest(self) -> dict[str, Any]:
        """The manifest as the server has it now (a reindex may have switched the chunk collection)."""
        assert self.client is not None
        with chroma_errors(self.settings):
            return dict(self.client.get_collection(f"{self.prefix}-papers", embedding_function=None).metadata or {})

    def chunk_collection(self, name: str | None = None) -> Collection:
        """The named chunk collection, by default the current one (made on the store's first use).
        Never re-creates one a reindex dropped: a stale name leads to the current collection."""
        assert self.client is not None
        wanted = name or str(self.manifest()["chunks"])
        with chroma_errors(self.settings):
            try:
                return self.client.get_collection(wanted, embedding_function=None)
            except Exception as exc:
                if not is_missing_collection(exc):
                    raise
            current = str(self.manifest()["chunks"])
            if current != wanted:
                return self.client.get_collection(current, embedding_function=None)
            return self.create_chunk_collection(current)

    def create_chunk_collection(self, name: str) -> Collection:
        assert self.client is not None
        with chroma_errors(self.settings):
            return self.client.get_or_create_collection(
                name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
            )

    # -- reading ----------------------------------------------------------------------------------
    def heads(self, paper_ids: Iterable[str]) -> dict[str, Head]:
        found: dict[str, Head] = {}
        for batch in _batches(list(dict.fromkeys(paper_ids)), PAGE):
            got = self.papers.get(ids=batch, include=["documents", "metadatas"])
            found.update((h.paper.paper_id, h) for h in _heads(got))
        return found

    def all_heads(self) -> dict[str, Head]:
        found: dict[str, Head] = {}
        for page in _pages(self.papers, ["documents", "metadatas"]):
            found.update((h.paper.paper_id, h) for h in _heads(page))
        return found

    def pending_heads(self) -> list[Head]:
        # A string field: Chroma filters strings through an index, booleans by scanning.
        return list(_heads(self.papers.get(where={"state": "pending"}, include=["documents", "metadatas"])))

    def chunks_of(self, collection: Collection, paper_ids: Sequence[str]) -> dict[str, list[Chunk]]:
        """The chunks the server holds for these papers (every digest), by paper."""
        found: dict[str, list[Chunk]] = {}
        for batch in _batches(list(paper_ids), 200):
            got = collection.get(where=_where({"paper_id": {"$in": batch}}), include=["documents", "metadatas"])
            for chunk in _chunks(got):
                found.setdefault(chunk.paper_id, []).append(chunk)
        return found

    def all_chunks(self, collection: Collection) -> dict[str, list[Chunk]]:
        found: dict[str, list[Chunk]] = {}
        for page in _pages(collection, ["documents", "metadatas"]):
            for chunk in _chunks(page):
                found.setdefault(chunk.paper_id, []).append(chunk)
        return found

    def chunk_index(self, collection: Collection) -> dict[str, tuple[str, str]]:
        """Every chunk id on the server with its paper id and digest (for verify)."""
        found: dict[str, tuple[str, str]] = {}
        for page in _pages(collection, ["metadatas"]):
            for chunk_id, meta in zip(page["ids"], page["metadatas"] or []):
                found[chunk_id] = (str(meta.get("paper_id", "")), str(meta.get("digest", "")))
        return found

    def change_count(self) -> int:
        return int(self.changes.count())

    def change_ids(self) -> set[str]:
        return {i for page in _pages(self.changes, []) for i in page["ids"]}

    def changed_papers(self, change_ids: Sequence[str]) -> set[str]:
        touched: set[str] = set()
        for batch in _batches(list(change_ids), PAGE):
            for document in self.changes.get(ids=batch, include=["documents"])["documents"] or []:
                data = json.loads(document or "{}")
                touched.update(data.get("papers", []), data.get("removed", []))
        return touched

    # -- writing ----------------------------------------------------------------------------------
    def write(
        self,
        writes: Sequence[Write],
        chunker: Chunker,
        vectors: VectorSource,
        progress: Callable[[int, int], None] | None = None,
    ) -> WriteStats:
        """Store the papers, batch by batch; each batch ends with its change record."""
        stats = WriteStats()
        collection = self.chunk_collection()
        # Each writer takes the papers in its own order: two machines ingesting the same files then
        # mostly find the other's chunks already there instead of both embedding everything.
        writes = random.Random(uuid.uuid4().int).sample(list(writes), len(writes))
        # A batch is a unit of progress: everything before it survives a kill.
        size = max(4, 2 * self.settings.batch_size)
        for start in range(0, len(writes), size):
            batch = writes[start : start + size]
            with chroma_errors(self.settings):
                collection = self._write_batch(batch, collection, chunker, vectors, stats)
            stats.papers += len(batch)
            if progress:
                progress(start + len(batch), len(writes))
        return stats

    def _write_batch(
        self, batch: Sequence[Write], collection: Collection, chunker: Chunker, vectors: VectorSource, stats: WriteStats
    ) -> Collection:
        max_tokens = int(str(self.wanted["chunk_tokens"]))
        server = self.heads([w.paper.paper_id for w in batch])
        planned: list[tuple[Paper, str, list[Chunk] | None]] = []
        for write in batch:
            head = server.get(write.paper.paper_id)
            paper = combine(head.paper, write.paper) if head else write.paper
            digest = content_digest(paper, max_tokens)
            settled = head is not None and not head.pending and head.digest == digest and write.cached
            if settled and head is not None and paper == head.paper:
                continue  # another writer stored exactly this already
            planned.append((paper, digest, None if settled else chunker(paper)))
        if not planned and not any(w.replaces for w in batch):
            return collection
        self._claim_keys([p for p, _, _ in planned], server, stats)
        pairs = [(p, c) for p, _, chunks in planned for c in chunks or []]
        collection = self.ensure_vectors(collection, pairs, vectors, stats)
        with chroma_errors(self.settings):
            if planned:  # records after their chunks: a record on the server means its chunks are there
                self.papers.upsert(
                    ids=[p.paper_id for p, _, _ in planned],
                    embeddings=_points([p.paper_id for p, _, _ in planned]),
                    documents=[paper_to_json(p) for p, _, _ in planned],
                    metadatas=[
                        _head_metadata(p, d, len(c) if c is not None else server[p.paper_id].chunks, c is not None)
                        for p, d, c in planned
                    ],
                )
            self._settle(collection, [(p, d) for p, d, c in planned if c is not None], batch)
            touched = [p.paper_id for p, _, _ in planned]
            removed = [w.replaces for w in batch if w.replaces and w.replaces != w.paper.paper_id]
            absorbed, gone = self._absorb_duplicates(collection, [p for p, _, _ in planned])
            self.log_change([*touched, *absorbed], [*removed, *gone])
        return self._follow_switch(
            collection, lambda: [(p, c) for p, _, _ in planned for c in chunker(p)], vectors, stats
        )

    def _claim_keys(self, papers: Sequence[Paper], server: Mapping[str, Head], stats: WriteStats) -> None:
        """Make each paper the owner of its key, taking the next free key where another paper has it."""
        refused: set[str] = set()
        todo = [p for p in papers if p.paper_id not in server or server[p.paper_id].paper.key != p.key]
        for _ in range(100):
            if not todo:
                return
            with chroma_errors(self.settings):
                self.keys.add(
                    ids=[p.key for p in todo],
                    embeddings=_points([p.key for p in todo]),
                    metadatas=[{"paper_id": p.paper_id} for p in todo],
                )
                got = self.keys.get(ids=[p.key for p in todo], include=["metadatas"])
            owners = {k: str(m.get("paper_id")) for k, m in zip(got["ids"], got["metadatas"] or [])}
            lost: list[Paper] = []
            moved: list[Paper] = []
            for paper in todo:
                owner = owners.get(paper.key)
                if owner == paper.paper_id:
                    continue
                (moved if owner in paper.aliases else lost).append(paper)
            if moved:  # the key's owner is this paper under an older id
                with chroma_errors(self.settings):
                    self.keys.upsert(
                        ids=[p.key for p in moved],
                        embeddings=_points([p.key for p in moved]),
                        metadatas=[{"paper_id": p.paper_id} for p in moved],
                    )
            for paper in lost:
                refused.add(paper.key)
                old = paper.key
                paper.key = assign_key(replace(paper, key=""), refused)
                stats.keys_renamed[old] = paper.key
            todo = lost
        raise SurveyorError("could not claim unique citation keys on the server (too many concurrent writers?)")

    def ensure_vectors(
        self,
        collection: Collection,
        pairs: Sequence[tuple[Paper, Chunk]],
        vectors: VectorSource,
        stats: WriteStats | None = None,
    ) -> Collection:
        """Upsert the vectors of whichever of these chunks the collection lacks."""
        stats = stats or WriteStats()
        for batch in _batches(list(pairs), PAGE):
            with chroma_errors(self.settings):
                try:
                    present = set(collection.get(ids=[c.chunk_id for _, c in batch], include=[])["ids"])
                except Exception as exc:
                    if not is_missing_collection(exc):
                        raise
                    collection = self.chunk_collection()  # a reindex switched collections meanwhile
                    present = set(collection.get(ids=[c.chunk_id for _, c in batch], include=[])["ids"])
            missing = [(p, c) for p, c in batch if c.chunk_id not in present]
            for start in range(0, len(missing), self.settings.batch_size):
                part = missing[start : start + self.settings.batch_size]
                found = vectors(part)
                with chroma_errors(self.settings):
                    upsert_chunks(collection, part, found)
                stats.chunks_written += len(part)
        return collection

    def _settle(self, collection: Collection, written: Sequence[tuple[Paper, str]], batch: Sequence[Write]) -> None:
        """Delete chunks of older versions and records of moved ids; then mark the records done."""
        now = self.heads([p.paper_id for p, _ in written])
        mine = [(p, d) for p, d in written if p.paper_id in now and now[p.paper_id].digest == d]
        if mine:
            # One $in/$nin filter, not an $or per paper (which Chroma evaluates slowly): a digest
            # hashes title and abstract, so no paper's old chunks carry another paper's digest.
            ids, digests = [p.paper_id for p, _ in mine], sorted({d for _, d in mine})
            collection.delete(where=_where({"$and": [{"paper_id": {"$in": ids}}, {"digest": {"$nin": digests}}]}))
        removed = [w.replaces for w in batch if w.replaces and w.replaces != w.paper.paper_id]
        if removed:
            self.papers.delete(ids=removed)
            collection.delete(where=_where({"paper_id": {"$in": removed}}))
        if mine:
            self.papers.update(ids=[p.paper_id for p, _ in mine], metadatas=[{"state": "done"} for _ in mine])

    def _absorb_duplicates(self, collection: Collection, papers: Sequence[Paper]) -> tuple[list[str], list[str]]:
        """Two writers that stored one paper at once under different ids (say a title id and an
        arXiv id) both look once their record is in: the better record absorbs the other's sources
        and aliases, the other goes. Whoever wrote last sees both, and both would do the same.
        Returns (records that absorbed, records removed)."""
        names = {n for p in papers for n in (p.paper_id, *p.aliases)}
        found = self.heads(names)
        # Records of one paper share its title id (an alias of each); one indexed $in finds them.
        for batch in _batches(sorted({title_id(p.title) for p in papers}), PAGE):
            got = self.papers.get(where=_where({"title_id": {"$in": batch}}), include=["documents", "metadatas"])
            found.update((h.paper.paper_id, h) for h in _heads(got))
        absorbed: list[str] = []
        removed: list[str] = []
        for paper in papers:
            mine = found.get(paper.paper_id)
            if mine is None or paper.paper_id in removed:
                continue
            group = [h for h in found.values() if h.paper.paper_id not in removed and _same_paper(h, mine)]
            winner = max(group, key=lambda h: _rank(h.paper.paper_id, h.at))
            for loser in (h for h in group if h is not winner):
                extra = {**_name_metadata(loser.paper), f"a:{_short(loser.paper.paper_id)}": loser.paper.paper_id}
                self.papers.update(ids=[winner.paper.paper_id], metadatas=[extra])
                self.papers.delete(ids=[loser.paper.paper_id])
                collection.delete(where=_where({"paper_id": loser.paper.paper_id}))
                absorbed.append(winner.paper.paper_id)
                removed.append(loser.paper.paper_id)
        return absorbed, removed

    def _follow_switch(
        self,
        collection: Collection,
        pairs: Callable[[], Sequence[tuple[Paper, Chunk]]],
        vectors: VectorSource,
        stats: WriteStats,
    ) -> Collection:
        """If a reindex switched chunk collections while this batch was written, write it there too.
        (A reindex re-checks every batch logged before its switch; this covers those logged after.)"""
        current = str(self.manifest()["chunks"])
        if current == collection.name:
            return collection
        return self.ensure_vectors(self.chunk_collection(current), pairs(), vectors, stats)

    def switch_chunks(self, name: str) -> None:
        """Point the store at another chunk collection (the last step of a reindex)."""
        manifest = self.manifest()
        manifest["chunks"] = name
        with chroma_errors(self.settings):
            self.papers.modify(metadata=manifest)

    def log_change(self, papers: Sequence[str], removed: Sequence[str] = ()) -> None:
        with chroma_errors(self.settings):
            self.changes.add(
                ids=[uuid.uuid4().hex],
                embeddings=_points(["change"]),
                documents=[json.dumps({"papers": list(papers), "removed": list(removed)})],
                metadatas=[{"at": time.time(), "papers": len(papers)}],
            )

    def delete_records(self, collection: Collection, paper_ids: Sequence[str], chunk_ids: Sequence[str]) -> None:
        with chroma_errors(self.settings):
            for batch in _batches(list(chunk_ids), PAGE):
                collection.delete(ids=batch)
            if paper_ids:
                self.papers.delete(ids=list(paper_ids))

    # -- the client's cache -----------------------------------------------------------------------
    def pull(self, db: PaperDB) -> str | None:
        """Bring the cache up to date with the server. Costs one count when nothing changed, and
        O(changed papers) when something did; then returns the current chunk collection's name."""
        with chroma_errors(self.settings):
            count = self.change_count()
            same_store = db.meta("remote_store") == self.store_id
            if same_store and db.meta("remote_changes") == str(count):
                return None
            change_ids = self.change_ids()
            name = str(self.manifest()["chunks"])
            collection = self.chunk_collection(name)
            if not same_store:
                self._rebuild(db, collection, change_ids)
                return name
            new = sorted(change_ids - db.applied_changes())
            touched = self.changed_papers(new)
            for batch in _batches(sorted(touched), 200):
                heads = self.heads(batch)
                chunks = self.chunks_of(collection, list(heads))
                with db.transaction():
                    for paper_id in batch:
                        if paper_id not in heads:
                            db.remove(paper_id)
                    for head in heads.values():
                        apply_head(db, head, chunks.get(head.paper.paper_id, []))
                    db.clear_tombstones(db.tombstones())  # the server deletes vectors, not this cache
                    db.bump_generation()
        with db.transaction():
            db.mark_applied(new)
            db.set_meta("remote_changes", str(len(change_ids)))
        return name

    def _rebuild(self, db: PaperDB, collection: Collection, change_ids: set[str]) -> None:
        """The whole cache from the server (a new client, or the server's store was recreated)."""
        heads = self.all_heads()
        chunks = self.all_chunks(collection)
        with db.transaction():
            db.clear()
            for head in heads.values():
                apply_head(db, head, chunks.get(head.paper.paper_id, []))
            db.set_meta("remote_store", self.store_id)
            db.mark_applied(change_ids)
            db.set_meta("remote_changes", str(len(change_ids)))
            db.bump_generation()


def apply_head(db: PaperDB, head: Head, chunks: Sequence[Chunk]) -> bool:
    """Put a server record into the cache if it is complete and no better record of the same paper is there."""
    paper = head.paper
    mine = sorted(
        (c for c in chunks if c.chunk_id.startswith(f"{paper.paper_id}#{head.digest}#")), key=lambda c: c.ordinal
    )
    if len(mine) != head.chunks or not mine:
        return False  # still being written (or a writer died): its last complete version stays
    others = db.owners([paper.paper_id, *paper.aliases]) - {paper.paper_id}
    if others:
        stamps = db.stamps(others)
        ranks = {o: _rank(o, stamps.get(o, 0.0)) for o in others}
        if max(ranks.values()) > _rank(paper.paper_id, head.at):
            return False
        for other in others:
            db.remove(other)
    owner = db.paper_of_key(paper.key)
    if owner is not None and owner != paper.paper_id:  # a claim conflict the writers have not settled yet
        paper = replace(paper, key=f"{paper.key}-{hashlib.sha1(paper.paper_id.encode()).hexdigest()[:4]}")
    db.put(paper, head.digest, [paper.paper_id, *paper.aliases], mine, indexed=True)
    db.set_stamp(paper.paper_id, head.at)
    return True


def _rank(paper_id: str, at: float) -> tuple[bool, float, str]:
    """Which of two records of one paper wins: a real id over a title id, then the later write."""
    return (not paper_id.startswith("t:"), at, paper_id)


def upsert_chunks(collection: Collection, pairs: Sequence[tuple[Paper, Chunk]], vectors: np.ndarray) -> None:
    collection.upsert(
        ids=[c.chunk_id for _, c in pairs],
        embeddings=vectors,
        documents=[c.text for _, c in pairs],
        metadatas=[chunk_metadata(c) for _, c in pairs],
    )


def chunk_metadata(chunk: Chunk) -> dict[str, str | int]:
    digest = chunk.chunk_id.rsplit("#", 2)[-2] if chunk.chunk_id.count("#") >= 2 else ""
    return {
        "paper_id": chunk.paper_id,
        "digest": digest,
        "ordinal": chunk.ordinal,
        "first": chunk.first_sentence,
        "last": chunk.last_sentence,
    }


def embedding_texts(pairs: Sequence[tuple[Paper, Chunk]]) -> list[str]:
    return [embedding_text(p, c) for p, c in pairs]


def _head_metadata(paper: Paper, digest: str, chunks: int, pending: bool) -> dict[str, str | int | float | bool]:
    meta: dict[str, str | int | float | bool] = {
        "key": paper.key,
        "digest": digest,
        "chunks": chunks,
        "state": "pending" if pending else "done",
        "title_id": title_id(paper.title),
        "at": time.time(),
    }
    meta.update(_name_metadata(paper))
    return meta


def _name_metadata(paper: Paper) -> dict[str, str | int | float | bool]:
    """One metadata key per source and alias: upserts merge keys, so concurrent writers' sets unite."""
    meta: dict[str, str | int | float | bool] = {f"s:{_short(s)}": s for s in paper.sources}
    meta.update({f"a:{_short(a)}": a for a in paper.aliases})
    return meta


def _same_paper(one: Head, other: Head) -> bool:
    names = {one.paper.paper_id, *one.paper.aliases}
    return bool(names & {other.paper.paper_id, *other.paper.aliases})


def _heads(got: Mapping[str, Any]) -> Iterator[Head]:
    for paper_id, document, meta in zip(got["ids"], got["documents"] or [], got["metadatas"] or []):
        if not document or meta is None:
            continue
        paper = paper_from_json(document)
        sources = {str(v) for k, v in meta.items() if k.startswith("s:")}
        aliases = {str(v) for k, v in meta.items() if k.startswith("a:")}
        paper = replace(
            paper,
            paper_id=paper_id,
            key=str(meta.get("key") or paper.key),
            sources=sorted({*paper.sources, *sources}),
            aliases=sorted({*paper.aliases, *aliases} - {paper_id}),
        )
        pending = meta.get("state") == "pending"
        yield Head(paper, str(meta["digest"]), int(meta["chunks"]), pending, float(meta.get("at", 0)))


def _chunks(got: Mapping[str, Any]) -> Iterator[Chunk]:
    for chunk_id, text, meta in zip(got["ids"], got["documents"] or [], got["metadatas"] or []):
        if meta is None:
            continue
        yield Chunk(
            chunk_id, str(meta["paper_id"]), int(meta["ordinal"]), text or "", int(meta["first"]), int(meta["last"])
        )


def _pages(collection: Collection, include: list[Any]) -> Iterator[Mapping[str, Any]]:
    """All records, page by page. Pages overlap a little, so a record deleted meanwhile does not
    make the next page skip one."""
    offset, overlap, seen = 0, 50, set()
    while True:
        page = cast("dict[str, Any]", collection.get(include=include, limit=PAGE, offset=offset))
        fresh = [i for i, record_id in enumerate(page["ids"]) if record_id not in seen]
        seen.update(page["ids"])
        yield {
            key: _pick(value, fresh) if key in ("ids", "documents", "metadatas") else value
            for key, value in page.items()
        }
        if len(page["ids"]) < PAGE:
            return
        offset += PAGE - overlap


def _pick(values: list[Any] | None, indexes: list[int]) -> list[Any] | None:
    return None if values is None else [values[i] for i in indexes]


def _points(names: Sequence[str]) -> np.ndarray:
    """Placeholder vectors (Chroma wants one per record), spread on a circle so the index stays cheap."""
    angles = [int(hashlib.sha1(n.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF * 2 * math.pi for n in names]
    return np.asarray([[math.cos(a), math.sin(a)] for a in angles], dtype=np.float32)


def _where(clause: Mapping[str, Any]) -> Where:
    """A metadata filter (Chroma's Where type is stricter than the nested dicts it accepts)."""
    return cast("Where", clause)


def _short(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()[:12]


def _batches(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
