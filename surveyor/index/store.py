"""A store: manifest, paper records (SQLite), Chroma collection and BM25 index.

<records>/manifest.json   embedding model and chunking the vectors were made with
<records>/papers.sqlite   source of truth: papers, chunks, pending index work
<records>/chroma/         Chroma persistent client (one collection of chunk vectors), or
                          with store=http://HOST:PORT the collection lives on that Chroma server
<records>/bm25/           bm25s index over the same chunks, tagged with the records' generation

<records> is the store directory itself, or for a Chroma server store the `records` directory.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import numpy as np

from surveyor.corpus.chunking import embedding_text
from surveyor.errors import SurveyorError
from surveyor.index.lexical import LexicalIndex
from surveyor.index.paperdb import PaperDB
from surveyor.records import Chunk
from surveyor.settings import Settings

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

MANIFEST_VERSION = 1


class Store:
    """One corpus on disk. Opening never creates anything; `create=True` does."""

    def __init__(self, settings: Settings, *, create: bool = False) -> None:
        self.server = urlsplit(settings.store) if settings.store.startswith(("http://", "https://")) else None
        if self.server is not None and settings.records is None:
            raise SurveyorError(
                f"--store {settings.store} keeps only vectors on the Chroma server: name the directory for the "
                "paper records with --records DIR (or SURVEYOR_RECORDS)"
            )
        self.root = Path(settings.records) if self.server is not None and settings.records else Path(settings.store)
        self.settings = settings
        self.manifest = self._open_manifest(create)
        self.db = PaperDB(self.root / "papers.sqlite")
        self._collection: Collection | None = None
        self.client: ClientAPI | None = None  # the Chroma client, once the collection is open
        self._collection_lock = threading.Lock()
        self._lexical: LexicalIndex | None = None
        self._lexical_generation = -1

    def _open_manifest(self, create: bool) -> dict[str, object]:
        path = self.root / "manifest.json"
        wanted = {
            "version": MANIFEST_VERSION,
            "embedding_model": self.settings.embedding_model,
            "chunk_tokens": self.settings.chunk_tokens,
        }
        if not path.exists():
            if not create:
                raise SurveyorError(f"no store at {self.root}: run `surveyor ingest PATH` first")
            self.root.mkdir(parents=True, exist_ok=True)
            _write_atomic(path, json.dumps(wanted, indent=2))
            return wanted
        try:
            manifest: dict[str, object] = json.loads(path.read_text())
        except (OSError, ValueError) as exc:
            raise SurveyorError(f"{path}: unreadable store manifest ({exc})") from exc
        if manifest.get("embedding_model") != wanted["embedding_model"]:
            raise SurveyorError(
                f"store {self.root} was built with embedding model {manifest.get('embedding_model')!r}, "
                f"not {wanted['embedding_model']!r}: use that model or another --store"
            )
        if manifest.get("chunk_tokens") != wanted["chunk_tokens"]:
            raise SurveyorError(
                f"store {self.root} was chunked at {manifest.get('chunk_tokens')} tokens, not "
                f"{wanted['chunk_tokens']}: use that setting or another --store"
            )
        return manifest

    @property
    def collection_name(self) -> str:
        """Named after model and chunking, so vectors of different models can never mix."""
        digest = hashlib.sha1(f"{self.manifest['embedding_model']}|{self.manifest['chunk_tokens']}".encode())
        return f"chunks-{digest.hexdigest()[:12]}"

    def prefetch(self) -> None:
        """Open Chroma in the background (its import alone takes ~1 s) while the caller embeds."""
        threading.Thread(target=lambda: self.collection, daemon=True).start()

    @property
    def collection(self) -> Collection:
        with self._collection_lock:
            return self._open_collection()

    def _open_collection(self) -> Collection:
        if self._collection is None:
            os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            try:
                client = (
                    chromadb.HttpClient(
                        host=self.server.hostname or "127.0.0.1",
                        port=self.server.port or 8000,
                        ssl=self.server.scheme == "https",
                        settings=chroma_settings,
                    )
                    if self.server is not None
                    else chromadb.PersistentClient(path=str(self.root / "chroma"), settings=chroma_settings)
                )
                self.client = client
                self._collection = client.get_or_create_collection(
                    self.collection_name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=None
                )
            except Exception as exc:  # chromadb raises bare ValueErrors and connection errors alike
                where = f"the Chroma server at {self.settings.store}" if self.server else f"{self.root / 'chroma'}"
                raise SurveyorError(f"cannot open {where}: {' '.join(str(exc).split())[:200]}") from exc
        return self._collection

    # -- vectors ----------------------------------------------------------------------------------
    def upsert_vectors(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        self.collection.upsert(
            ids=[c.chunk_id for c in chunks],
            embeddings=vectors,
            documents=[c.text for c in chunks],
            metadatas=[
                {"paper_id": c.paper_id, "ordinal": c.ordinal, "first": c.first_sentence, "last": c.last_sentence}
                for c in chunks
            ],
        )

    def delete_vectors(self, chunk_ids: Sequence[str]) -> None:
        # Chroma caps one call at a few thousand ids.
        for start in range(0, len(chunk_ids), 4096):
            self.collection.delete(ids=list(chunk_ids[start : start + 4096]))

    def vector_ids(self) -> set[str]:
        return set(self.collection.get(include=[])["ids"])

    def chunk_vectors(self, paper_ids: Sequence[str]) -> dict[str, list[tuple[Chunk, np.ndarray]]]:
        """Each paper's chunks with their stored vectors (no re-embedding)."""
        chunks = {c.chunk_id: c for pid in dict.fromkeys(paper_ids) for c in self.db.chunks_of(pid)}
        found: dict[str, list[tuple[Chunk, np.ndarray]]] = {pid: [] for pid in paper_ids}
        if chunks:
            stored = self.collection.get(ids=list(chunks), include=["embeddings"])
            for chunk_id, vector in zip(
                stored["ids"], stored["embeddings"] if stored["embeddings"] is not None else []
            ):
                chunk = chunks[chunk_id]
                found[chunk.paper_id].append((chunk, np.asarray(vector, dtype=np.float32)))
        return found

    def nearest(self, vector: np.ndarray, limit: int) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) best first."""
        # The records know whether there is anything to search; asking Chroma costs ~10 ms at 100k chunks.
        if self.db.chunk_count() == 0:
            return []
        result = self.collection.query(query_embeddings=vector.reshape(1, -1), n_results=limit, include=["distances"])
        distances = (result["distances"] or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(result["ids"][0], distances)]

    # -- lexical ----------------------------------------------------------------------------------
    @property
    def lexical(self) -> LexicalIndex:
        """The BM25 index, rebuilt first if the records changed since it was saved."""
        generation = self.db.generation()
        if self._lexical is None or self._lexical_generation != generation:
            self.refresh_lexical()
            self._lexical = LexicalIndex.load(self.root / "bm25")
            self._lexical_generation = generation
        return self._lexical

    def refresh_lexical(self) -> None:
        """Rebuild the saved BM25 index if the records changed since it was built."""
        generation = self.db.generation()
        if not LexicalIndex.is_current(self.root / "bm25", generation):
            chunks = self.db.all_chunks()
            papers = self.db.get(c.paper_id for c in chunks)
            texts = [embedding_text(papers[c.paper_id], c) for c in chunks]
            LexicalIndex.build(self.root / "bm25", [c.chunk_id for c in chunks], texts, generation)

    # -- writers ----------------------------------------------------------------------------------
    @contextmanager
    def write_lock(self, wait: bool = True, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
        """One writer at a time per store (readers never take it): wait for it, or fail at once."""
        with open(self.root / "write.lock", "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if not wait:
                    raise SurveyorError(f"store {self.root} is being written by another process") from None
                if on_wait:
                    on_wait()
                fcntl.flock(handle, fcntl.LOCK_EX)
            yield

    def close(self) -> None:
        self.db.close()


def _write_atomic(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, path)
