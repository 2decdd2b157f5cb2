"""The paper records (source of truth) in SQLite: papers, their chunks, and pending index work.

Every change is one transaction, so a crash leaves either the old or the new paper. Chunks carry an
`indexed` flag and replaced chunks become tombstones until the vector index has caught up: the next
run finishes whatever a killed run left undone.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from surveyor.records import Chunk, Paper

_SCHEMA = """
CREATE TABLE IF NOT EXISTS papers (
    paper_id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, digest TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS aliases (alias TEXT PRIMARY KEY, paper_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, paper_id TEXT NOT NULL, ordinal INTEGER NOT NULL, text TEXT NOT NULL,
    first_sentence INTEGER NOT NULL, last_sentence INTEGER NOT NULL, indexed INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS chunks_by_paper ON chunks(paper_id);
CREATE INDEX IF NOT EXISTS chunks_pending ON chunks(indexed) WHERE indexed = 0;
CREATE TABLE IF NOT EXISTS tombstones (chunk_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


class PaperDB:
    """Typed access to the records database of one store."""

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(_SCHEMA)

    def close(self) -> None:
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    # -- papers -----------------------------------------------------------------------------------
    def papers(self) -> list[Paper]:
        rows = self._conn.execute("SELECT data FROM papers ORDER BY paper_id")
        return [_paper(row[0]) for row in rows]

    def get(self, paper_ids: Iterable[str]) -> dict[str, Paper]:
        ids = list(dict.fromkeys(paper_ids))
        found: dict[str, Paper] = {}
        for batch in _batches(ids):
            marks = ",".join("?" * len(batch))
            for (data,) in self._conn.execute(f"SELECT data FROM papers WHERE paper_id IN ({marks})", batch):
                paper = _paper(data)
                found[paper.paper_id] = paper
        return found

    def resolve(self, name: str) -> Paper | None:
        """A paper by id, alias (arXiv/DOI/title id, normalized title) or citation key."""
        row = self._conn.execute(
            "SELECT data FROM papers WHERE paper_id = ?1 OR key = ?1 OR paper_id = "
            "(SELECT paper_id FROM aliases WHERE alias = ?1)",
            (name,),
        ).fetchone()
        return _paper(row[0]) if row else None

    def digests(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT paper_id, digest FROM papers").fetchall())

    def keys(self) -> set[str]:
        return {row[0] for row in self._conn.execute("SELECT key FROM papers")}

    def count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0])

    def put(self, paper: Paper, digest: str, aliases: Sequence[str], chunks: Sequence[Chunk] | None) -> None:
        """Insert or replace a paper; `chunks=None` keeps its chunks (metadata-only change)."""
        self._conn.execute(
            "INSERT OR REPLACE INTO papers VALUES (?, ?, ?, ?)",
            (paper.paper_id, paper.key, digest, json.dumps(dataclasses.asdict(paper))),
        )
        self._conn.executemany("INSERT OR REPLACE INTO aliases VALUES (?, ?)", [(a, paper.paper_id) for a in aliases])
        if chunks is not None:
            self._replace_chunks(paper.paper_id, chunks)

    def remove(self, paper_id: str) -> None:
        """Drop a paper (its id moved, e.g. to an arXiv id); its chunks become tombstones."""
        self._replace_chunks(paper_id, [])
        self._conn.execute("DELETE FROM papers WHERE paper_id = ?", (paper_id,))

    def _replace_chunks(self, paper_id: str, chunks: Sequence[Chunk]) -> None:
        new_ids = {c.chunk_id for c in chunks}
        old_ids = [r[0] for r in self._conn.execute("SELECT chunk_id FROM chunks WHERE paper_id = ?", (paper_id,))]
        stale = [(i,) for i in old_ids if i not in new_ids]
        self._conn.executemany("INSERT OR IGNORE INTO tombstones VALUES (?)", stale)
        self._conn.executemany("DELETE FROM chunks WHERE chunk_id = ?", stale)
        self._conn.executemany(
            "INSERT OR IGNORE INTO chunks VALUES (?, ?, ?, ?, ?, ?, 0)",
            [(c.chunk_id, c.paper_id, c.ordinal, c.text, c.first_sentence, c.last_sentence) for c in chunks],
        )
        self._conn.executemany("DELETE FROM tombstones WHERE chunk_id = ?", [(i,) for i in new_ids])

    # -- chunks -----------------------------------------------------------------------------------
    def chunks(self, chunk_ids: Iterable[str]) -> dict[str, Chunk]:
        ids = list(dict.fromkeys(chunk_ids))
        found: dict[str, Chunk] = {}
        for batch in _batches(ids):
            marks = ",".join("?" * len(batch))
            query = f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({marks})"
            found.update((row[0], Chunk(*row)) for row in self._conn.execute(query, batch))
        return found

    def chunks_of(self, paper_id: str) -> list[Chunk]:
        query = f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE paper_id = ? ORDER BY ordinal"
        return [Chunk(*row) for row in self._conn.execute(query, (paper_id,))]

    def all_chunks(self) -> list[Chunk]:
        query = f"SELECT {_CHUNK_COLUMNS} FROM chunks ORDER BY chunk_id"
        return [Chunk(*row) for row in self._conn.execute(query)]

    def chunk_count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def pending_chunks(self) -> list[Chunk]:
        query = f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE indexed = 0 ORDER BY chunk_id"
        return [Chunk(*row) for row in self._conn.execute(query)]

    def mark_indexed(self, chunk_ids: Sequence[str]) -> None:
        self._conn.executemany("UPDATE chunks SET indexed = 1 WHERE chunk_id = ?", [(i,) for i in chunk_ids])

    def mark_all_pending(self) -> None:
        self._conn.execute("UPDATE chunks SET indexed = 0")

    def mark_pending(self, chunk_ids: Sequence[str]) -> None:
        self._conn.executemany("UPDATE chunks SET indexed = 0 WHERE chunk_id = ?", [(i,) for i in chunk_ids])

    def add_tombstones(self, chunk_ids: Sequence[str]) -> None:
        self._conn.executemany("INSERT OR IGNORE INTO tombstones VALUES (?)", [(i,) for i in chunk_ids])

    def tombstones(self) -> list[str]:
        return [row[0] for row in self._conn.execute("SELECT chunk_id FROM tombstones")]

    def clear_tombstones(self, chunk_ids: Sequence[str]) -> None:
        self._conn.executemany("DELETE FROM tombstones WHERE chunk_id = ?", [(i,) for i in chunk_ids])

    # -- meta -------------------------------------------------------------------------------------
    def generation(self) -> int:
        """Bumped by every change to chunks, so derived indexes know when they are stale."""
        row = self._conn.execute("SELECT value FROM meta WHERE name = 'generation'").fetchone()
        return int(row[0]) if row else 0

    def bump_generation(self) -> None:
        self._conn.execute(
            "INSERT INTO meta VALUES ('generation', '1') "
            "ON CONFLICT(name) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )


_CHUNK_COLUMNS = "chunk_id, paper_id, ordinal, text, first_sentence, last_sentence"


def _paper(data: str) -> Paper:
    return Paper(**json.loads(data))


def _batches(ids: list[str], size: int = 900) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
