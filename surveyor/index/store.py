"""A store: paper records, chunk vectors (Chroma) and a lexical index, local or on a Chroma server.

A local store is a directory:
  manifest.json    embedding model and chunking the vectors were made with
  papers.sqlite    source of truth: papers, chunks, pending index work, lexical segment bookkeeping
  lexical/         BM25 segments over the chunks (lexical.py)
  chroma/          Chroma persistent client: the chunk collection (a reindex builds the next one)
  write.lock       one writer at a time (filelock)

With `store = http://HOST:PORT` everything lives on that Chroma server (remote.py); this client keeps
only a cache it can rebuild (papers.sqlite and lexical/, under `cache_dir/stores/<hash>`), brought
up to date, incrementally, whenever the server's change counter moves.

One Store serves many threads: SQLite connections are per thread, lazily opened parts are opened
once under a lock, and the lexical view is an immutable snapshot swapped in whole.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

import numpy as np
from filelock import FileLock, Timeout

from surveyor.corpus.chunking import embedding_text
from surveyor.errors import SurveyorError
from surveyor.index.chroma import chroma_errors, is_missing_collection, open_client, retry_on_switch, server_url
from surveyor.index.lexical import (
    LexicalIndex,
    OutdatedSegment,
    Segment,
    merge_plan,
    merge_segments,
    remove_unlisted,
    write_segment,
)
from surveyor.index.paperdb import PaperDB
from surveyor.records import Chunk
from surveyor.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

    from surveyor.index.remote import Remote

MANIFEST_VERSION = 1
# A server store checks its change counter at most this often (seconds) on the read path.
FRESHNESS_SECONDS = 1.0
T = TypeVar("T")


class Store:
    """One corpus. Opening never creates anything; `create=True` does."""

    def __init__(self, settings: Settings, *, create: bool = False) -> None:
        self.settings = settings
        self.server = server_url(settings.store)
        self.manifest: dict[str, object] = {
            "version": MANIFEST_VERSION,
            "embedding_model": settings.embedding_model,
            "chunk_tokens": settings.chunk_tokens,
        }
        self.remote: Remote | None = None
        if self.server is None:
            self.root = Path(settings.store)
            self.manifest = _open_manifest(self.root, self.manifest, create)
        else:
            from surveyor.index.remote import Remote

            self.root = cache_root(settings)
            self.root.mkdir(parents=True, exist_ok=True)
            self.remote = Remote(settings, self.manifest)
        self._create = create
        self._db = PaperDB(self.root / "papers.sqlite")
        self._lock = FileLock(str(self.root / ("cache.lock" if self.remote else "write.lock")))
        self.client: ClientAPI | None = None  # the Chroma client, once the collection is open
        self._collection: Collection | None = None
        self._open_lock = threading.Lock()
        self._pull_lock = threading.Lock()
        self._checked = 0.0
        self._lexical: LexicalIndex | None = None
        self._lexical_lock = threading.Lock()

    @property
    def lexical_dir(self) -> Path:
        return self.root / "lexical"

    @property
    def db(self) -> PaperDB:
        """The records (for a server store: the cache, filled from the server on first use)."""
        if self.remote is not None and self._collection is None:
            self._open()
        return self._db

    @property
    def collection_name(self) -> str:
        """The current chunk collection; the first is named after model and chunking, so vectors of
        different models can never mix."""
        return self.collection.name

    def _first_collection_name(self) -> str:
        digest = hashlib.sha1(f"{self.manifest['embedding_model']}|{self.manifest['chunk_tokens']}".encode())
        return f"chunks-{digest.hexdigest()[:12]}"

    def prefetch(self) -> None:
        """Open Chroma in the background (its import alone takes ~1 s) while the caller embeds."""

        def open_quietly() -> None:
            with suppress(Exception):  # the caller's own access raises it again, with context
                self._open()

        threading.Thread(target=open_quietly, daemon=True).start()

    @property
    def collection(self) -> Collection:
        return self._open()

    def _open(self) -> Collection:
        """Open the Chroma client and chunk collection once; a server store also fills its cache."""
        with self._open_lock:
            if self._collection is None:
                if self.remote is None:
                    self.client = self.client or open_client(self.settings, self.root / "chroma")
                    self._collection = self._local_collection(self.client)
                else:
                    if self.remote.client is None:
                        self.remote.open(self._create)
                    self.client = self.remote.client
                    self._pull()  # the cache first: until it is filled, the store is not open
                    if self._collection is None:
                        self._collection = self.remote.chunk_collection()
            return self._collection

    def _local_collection(self, client: ClientAPI) -> Collection:
        """The collection the records name; a stale name (a reindex switched meanwhile) is read
        again rather than re-created empty."""
        with chroma_errors(self.settings, self.root / "chroma"):
            for _ in range(3):
                name = self._db.meta("vectors")
                try:
                    return client.get_collection(name or self._first_collection_name(), embedding_function=None)
                except Exception as exc:
                    if not is_missing_collection(exc):
                        raise
                if name is None:  # a new store
                    return client.get_or_create_collection(
                        self._first_collection_name(),
                        configuration={"hnsw": {"space": "cosine"}},
                        embedding_function=None,
                    )
            raise SurveyorError(f"the chunk collection named in {self.root} is missing: run `surveyor reindex`")

    def reopen(self) -> None:
        """Forget the open chunk collection (a reindex switched to another one)."""
        with self._open_lock:
            if self.remote is None:
                self._collection = None
            elif self._collection is not None:
                self._collection = self.remote.chunk_collection()
        self._open()

    def _on_collection(self, call: Callable[[Collection], T]) -> T:
        """Run a Chroma call on the current chunk collection, following a reindex's switch."""
        with chroma_errors(self.settings, self.root / "chroma" if self.remote is None else None):
            return retry_on_switch(lambda: call(self.collection), self.reopen)

    # -- keeping a server store's cache fresh -------------------------------------------------------
    def refresh(self, *, force: bool = False) -> None:
        """For a server store: apply what changed on the server since the last look. Readers look at
        most once a second and never wait for another thread's look; `force` always looks."""
        if self.remote is None:
            return
        self._open()
        if not force and time.monotonic() - self._checked < FRESHNESS_SECONDS:
            return
        if not self._pull_lock.acquire(blocking=force):
            return
        try:
            self._pull()
        finally:
            self._pull_lock.release()

    def _pull(self) -> None:
        assert self.remote is not None
        with self._lock:  # one process at a time changes the cache
            name = self.remote.pull(self._db)
            if name is not None and (self._collection is None or self._collection.name != name):
                self._collection = self.remote.chunk_collection(name)
            if self._db.has_unlexed():
                self.update_lexical()
        self._checked = time.monotonic()

    # -- vectors ----------------------------------------------------------------------------------
    def upsert_vectors(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        from surveyor.index.remote import chunk_metadata

        self._on_collection(
            lambda c: c.upsert(
                ids=[c.chunk_id for c in chunks],
                embeddings=vectors,
                documents=[c.text for c in chunks],
                metadatas=[chunk_metadata(c) for c in chunks],
            )
        )

    def delete_vectors(self, chunk_ids: Sequence[str]) -> None:
        # Chroma caps one call at a few thousand ids.
        for start in range(0, len(chunk_ids), 4096):
            self._delete_batch(list(chunk_ids[start : start + 4096]))

    def _delete_batch(self, chunk_ids: list[str]) -> None:
        self._on_collection(lambda c: c.delete(ids=chunk_ids))

    def vector_ids(self) -> set[str]:
        return set(self._on_collection(lambda c: c.get(include=[]))["ids"])

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, np.ndarray]:
        """Stored vectors by chunk id (those Chroma has)."""
        if not chunk_ids:
            return {}
        stored = self._on_collection(lambda c: c.get(ids=list(chunk_ids), include=["embeddings"]))
        embeddings = stored["embeddings"] if stored["embeddings"] is not None else []
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(stored["ids"], embeddings)}

    def chunk_vectors(self, paper_ids: Sequence[str]) -> dict[str, list[tuple[Chunk, np.ndarray]]]:
        """Each paper's chunks with their stored vectors (no re-embedding)."""
        chunks = {c.chunk_id: c for pid in dict.fromkeys(paper_ids) for c in self.db.chunks_of(pid)}
        found: dict[str, list[tuple[Chunk, np.ndarray]]] = {pid: [] for pid in paper_ids}
        for chunk_id, vector in self.vectors(list(chunks)).items():
            chunk = chunks[chunk_id]
            found[chunk.paper_id].append((chunk, vector))
        return found

    def nearest(self, vector: np.ndarray, limit: int) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) best first."""
        # The records know whether there is anything to search; asking Chroma costs ~10 ms at 100k chunks.
        if not self.db.has_chunks():
            return []
        result = self._on_collection(
            lambda c: c.query(query_embeddings=vector.reshape(1, -1), n_results=limit, include=["distances"])
        )
        distances = (result["distances"] or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], distances)]

    # -- lexical ----------------------------------------------------------------------------------
    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 view of the records as they are now (a snapshot, safe to use from any thread)."""
        self.refresh()
        db = self.db
        current = (db.lexical_version(), db.generation())
        snapshot = self._lexical
        if snapshot is not None and snapshot.version == current:
            return snapshot
        with self._lexical_lock:
            snapshot = self._lexical
            if snapshot is None or snapshot.version != current:
                if db.has_unlexed():
                    self._index_if_free()
                    current = (db.lexical_version(), db.generation())
                snapshot = self._open_lexical(current)
                self._lexical = snapshot
        return snapshot

    def _open_lexical(self, version: tuple[int, int]) -> LexicalIndex:
        for _ in range(5):
            state = self._db.lexical_state()
            try:
                return LexicalIndex.open(self.lexical_dir, list(state.segments), state.dead, version, self._lexical)
            except FileNotFoundError:
                continue  # a writer merged those segments away just now: read the list again
            except OutdatedSegment:
                self.rebuild_lexical()  # once, after an upgrade; waits for a writer to finish first
        raise SurveyorError(f"the lexical index in {self.lexical_dir} keeps changing under this reader; try again")

    def _index_if_free(self) -> None:
        """Chunks nobody indexed yet (a store made by an older version, a killed run): index them
        here, unless a writer holds the lock (it will index them itself)."""
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            return
        try:
            self.update_lexical()
        except OSError:
            pass  # a read-only store: search what is indexed
        finally:
            self._lock.release()

    def update_lexical(self) -> None:
        """Index the chunks that are in no segment yet, then merge segments. Holds the write lock."""
        with self._lock:
            for legacy in ("bm25", "bm25.tmp", "bm25.old"):  # the index of versions before segments
                shutil.rmtree(self.root / legacy, ignore_errors=True)
            chunks = self._db.unlexed_chunks()
            if chunks:
                papers = self._db.get(c.paper_id for c in chunks)
                chunks = [c for c in chunks if c.paper_id in papers]
                self.lexical_dir.mkdir(parents=True, exist_ok=True)
                texts = (embedding_text(papers[c.paper_id], c) for c in chunks)
                name = write_segment(self.lexical_dir, [c.chunk_id for c in chunks], texts)
                self._db.add_segment(name, [c.chunk_id for c in chunks])
            self._merge_segments()

    def rebuild_lexical(self) -> None:
        """One fresh segment for all chunks (reindex). Readers keep their snapshot until it is in place."""
        with self._lock:
            chunks = self._db.all_chunks()
            papers = self._db.get(c.paper_id for c in chunks)
            self.lexical_dir.mkdir(parents=True, exist_ok=True)
            texts = (embedding_text(papers[c.paper_id], c) for c in chunks)
            name = write_segment(self.lexical_dir, [c.chunk_id for c in chunks], texts)
            self._db.reset_lexical(name, [c.chunk_id for c in chunks])
            remove_unlisted(self.lexical_dir, {name})

    def _merge_segments(self) -> None:
        while True:
            state = self._db.lexical_state()
            plan = merge_plan(state.segments, state.dead)
            if not plan:
                break
            try:
                segments = [Segment.load(self.lexical_dir / name) for name in plan]
            except OutdatedSegment:
                self.rebuild_lexical()
                return
            live = sum(s.size - len(state.dead.get(s.name, ())) for s in segments)
            merged = merge_segments(self.lexical_dir, segments, state.dead) if live else None
            self._db.replace_segments(plan, merged, live)
        remove_unlisted(self.lexical_dir, set(self._db.lexical_state().segments))

    def lexical_current(self) -> bool:
        return not self.db.has_unlexed()

    # -- writers ----------------------------------------------------------------------------------
    @contextmanager
    def write_lock(self, wait: bool = True, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """One writer at a time per local store (readers never take it): wait for it, or fail at once.
        Writers of a server store share no folder and need no lock: their writes commute (remote.py)."""
        if self.remote is not None:
            yield
            return
        try:
            self._lock.acquire(timeout=0)
        except Timeout:
            if not wait:
                raise SurveyorError(f"store {self.root} is being written by another process") from None
            if on_wait:
                on_wait()
            self._lock.acquire()
        try:
            yield
        finally:
            self._lock.release()

    def new_collection(self) -> Collection:
        """An empty chunk collection for a reindex to fill before `switch_collection`."""
        suffix = os.urandom(4).hex()
        if self.remote is not None:
            return self.remote.create_chunk_collection(f"{self.remote.prefix}-{self._first_collection_name()}-{suffix}")
        self._open()
        assert self.client is not None
        with chroma_errors(self.settings, self.root / "chroma"):
            return self.client.get_or_create_collection(
                f"{self._first_collection_name()}-{suffix}",
                configuration={"hnsw": {"space": "cosine"}},
                embedding_function=None,
            )

    def switch_collection(self, collection: Collection) -> None:
        """Make `collection` the store's chunk collection and drop the old one. Readers that still
        hold the old one reopen when Chroma says it is gone."""
        old = self.collection
        if self.remote is not None:
            self.remote.switch_chunks(collection.name)
        else:
            with self._db.transaction():
                self._db.set_meta("vectors", collection.name)
        with self._open_lock:
            self._collection = collection
        assert self.client is not None
        with chroma_errors(self.settings):
            self.client.delete_collection(old.name)

    def close(self) -> None:
        self._db.close()


def cache_root(settings: Settings) -> Path:
    """Where this client caches a server store: one directory per server, tenant, database and prefix."""
    identity = "|".join(
        [settings.store.rstrip("/"), settings.chroma_tenant, settings.chroma_database, settings.chroma_collection]
    )
    return Path(settings.cache_dir) / "stores" / hashlib.sha1(identity.encode()).hexdigest()[:16]


def _open_manifest(root: Path, wanted: dict[str, object], create: bool) -> dict[str, object]:
    path = root / "manifest.json"
    if not path.exists():
        if not create:
            raise SurveyorError(f"no store at {root}: run `surveyor ingest PATH` first")
        root.mkdir(parents=True, exist_ok=True)
        _write_atomic(path, json.dumps(wanted, indent=2))
        return wanted
    try:
        manifest: dict[str, object] = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise SurveyorError(f"{path}: unreadable store manifest ({exc})") from exc
    if manifest.get("embedding_model") != wanted["embedding_model"]:
        raise SurveyorError(
            f"store {root} was built with embedding model {manifest.get('embedding_model')!r}, "
            f"not {wanted['embedding_model']!r}: use that model or another --store"
        )
    if manifest.get("chunk_tokens") != wanted["chunk_tokens"]:
        raise SurveyorError(
            f"store {root} was chunked at {manifest.get('chunk_tokens')} tokens, not "
            f"{wanted['chunk_tokens']}: use that setting or another --store"
        )
    return manifest


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
