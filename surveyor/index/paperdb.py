"""The paper records in SQLite: papers, their chunks, pending index work, and the lexical segments.

In a local store this is the source of truth; for a Chroma server store it is the client's cache of
the server's records, rebuilt from the server whenever needed.

Every change is one transaction, so a crash leaves either the old or the new paper. Chunks carry an
`indexed` flag and replaced chunks become tombstones until the vector index has caught up: the next
run finishes whatever a killed run left undone. Chunks name the lexical segment holding them (NULL
until indexed); a replaced chunk that was in a segment is recorded as dead there.

Each thread gets its own connection (SQLite connections must not be shared mid-statement), so
many readers run at once while one writer writes (WAL mode).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from surveyor.records import Chunk, Paper

SCHEMA_VERSION = 2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS papers (
    paper_id TEXT PRIMARY KEY, key TEXT NOT NULL UNIQUE, digest TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS aliases (alias TEXT PRIMARY KEY, paper_id TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, paper_id TEXT NOT NULL, ordinal INTEGER NOT NULL, text TEXT NOT NULL,
    first_sentence INTEGER NOT NULL, last_sentence INTEGER NOT NULL, indexed INTEGER NOT NULL DEFAULT 0,
    segment TEXT);
CREATE INDEX IF NOT EXISTS chunks_by_paper ON chunks(paper_id);
CREATE INDEX IF NOT EXISTS chunks_pending ON chunks(indexed) WHERE indexed = 0;
CREATE TABLE IF NOT EXISTS tombstones (chunk_id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
"""
# Version 2: lexical segments instead of one rebuilt BM25 directory; the server cache's bookkeeping.
_SCHEMA_2 = """
CREATE INDEX IF NOT EXISTS chunks_unlexed ON chunks(segment) WHERE segment IS NULL;
CREATE INDEX IF NOT EXISTS chunks_by_segment ON chunks(segment);
CREATE TABLE IF NOT EXISTS lexical_segments (name TEXT PRIMARY KEY, chunks INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS lexical_dead (segment TEXT NOT NULL, chunk_id TEXT NOT NULL, PRIMARY KEY (segment, chunk_id));
CREATE TABLE IF NOT EXISTS stamps (paper_id TEXT PRIMARY KEY, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS applied_changes (change_id TEXT PRIMARY KEY);
"""


@dataclass(frozen=True)
class LexicalState:
    """Which segments are live and which of their chunks were replaced, read in one snapshot."""

    version: int
    segments: dict[str, int]
    dead: dict[str, set[str]]


class PaperDB:
    """Typed access to the records database of one store."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._opened: list[sqlite3.Connection] = []
        self._opened_lock = threading.Lock()
        self._migrate(self._conn)

    @property
    def _conn(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=60, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            self._local.conn = conn
            with self._opened_lock:
                self._opened.append(conn)
        return conn

    @staticmethod
    def _migrate(conn: sqlite3.Connection) -> None:
        """Create the schema, or bring a store made by an older version up to date (once, in a transaction)."""
        if conn.execute("PRAGMA user_version").fetchone()[0] >= SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                _execute_all(conn, _SCHEMA)
                columns = {row[1] for row in conn.execute("PRAGMA table_info(chunks)")}
                if "segment" not in columns:
                    conn.execute("ALTER TABLE chunks ADD COLUMN segment TEXT")
                _execute_all(conn, _SCHEMA_2)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        with self._opened_lock:
            for conn in self._opened:
                conn.close()
            self._opened.clear()
        self._local = threading.local()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """One atomic write; other writers wait, readers keep reading the last committed state."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that see one committed state."""
        conn = self._conn
        conn.execute("BEGIN")
        try:
            yield
        finally:
            conn.execute("COMMIT")

    # -- papers -----------------------------------------------------------------------------------
    def papers(self) -> list[Paper]:
        rows = self._conn.execute("SELECT data FROM papers ORDER BY paper_id").fetchall()
        return [paper_from_json(row[0]) for row in rows]

    def get(self, paper_ids: Iterable[str]) -> dict[str, Paper]:
        found: dict[str, Paper] = {}
        for batch in _batches(list(dict.fromkeys(paper_ids))):
            marks = ",".join("?" * len(batch))
            rows = self._conn.execute(f"SELECT data FROM papers WHERE paper_id IN ({marks})", batch).fetchall()
            for (data,) in rows:
                paper = paper_from_json(data)
                found[paper.paper_id] = paper
        return found

    def resolve(self, name: str) -> Paper | None:
        """A paper by id, alias (arXiv/DOI/title id, normalized title) or citation key."""
        found = self.resolve_stored(name)
        return found[0] if found else None

    def resolve_stored(self, name: str) -> tuple[Paper, str] | None:
        """`resolve`, with the digest of the content its chunks were made from."""
        row = self._conn.execute(
            "SELECT data, digest FROM papers WHERE paper_id = ?1 OR key = ?1 OR paper_id = "
            "(SELECT paper_id FROM aliases WHERE alias = ?1) LIMIT 1",
            (name,),
        ).fetchone()
        return (paper_from_json(row[0]), row[1]) if row else None

    def digests(self) -> dict[str, str]:
        return dict(self._conn.execute("SELECT paper_id, digest FROM papers").fetchall())

    def keys(self) -> set[str]:
        return {row[0] for row in self._conn.execute("SELECT key FROM papers")}

    def key_taken(self, key: str) -> bool:
        return self._conn.execute("SELECT 1 FROM papers WHERE key = ?", (key,)).fetchone() is not None

    def count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM papers").fetchone()[0])

    def put(
        self,
        paper: Paper,
        digest: str,
        aliases: Sequence[str],
        chunks: Sequence[Chunk] | None,
        *,
        indexed: bool = False,
    ) -> None:
        """Insert or replace a paper; `chunks=None` keeps its chunks (metadata-only change)."""
        self._conn.execute(
            "INSERT INTO papers VALUES (?, ?, ?, ?) ON CONFLICT(paper_id) DO UPDATE SET "
            "key = excluded.key, digest = excluded.digest, data = excluded.data",
            (paper.paper_id, paper.key, digest, paper_to_json(paper)),
        )
        self._conn.executemany("INSERT OR REPLACE INTO aliases VALUES (?, ?)", [(a, paper.paper_id) for a in aliases])
        if chunks is not None:
            self._replace_chunks(paper.paper_id, chunks, indexed)

    def remove(self, paper_id: str) -> None:
        """Drop a paper (its id moved, e.g. to an arXiv id); its chunks become tombstones."""
        self._replace_chunks(paper_id, [], False)
        self._conn.execute("DELETE FROM papers WHERE paper_id = ?", (paper_id,))
        self._conn.execute("DELETE FROM stamps WHERE paper_id = ?", (paper_id,))

    def _replace_chunks(self, paper_id: str, chunks: Sequence[Chunk], indexed: bool) -> None:
        new_ids = {c.chunk_id for c in chunks}
        old = self._conn.execute("SELECT chunk_id, segment FROM chunks WHERE paper_id = ?", (paper_id,)).fetchall()
        stale = [(chunk_id, segment) for chunk_id, segment in old if chunk_id not in new_ids]
        self._conn.executemany("INSERT OR IGNORE INTO tombstones VALUES (?)", [(c,) for c, _ in stale])
        self._conn.executemany(
            "INSERT OR IGNORE INTO lexical_dead VALUES (?, ?)", [(s, c) for c, s in stale if s is not None]
        )
        self._conn.executemany("DELETE FROM chunks WHERE chunk_id = ?", [(c,) for c, _ in stale])
        self._conn.executemany(
            "INSERT OR IGNORE INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
            [
                (c.chunk_id, c.paper_id, c.ordinal, c.text, c.first_sentence, c.last_sentence, int(indexed))
                for c in chunks
            ],
        )
        self._conn.executemany("DELETE FROM tombstones WHERE chunk_id = ?", [(i,) for i in new_ids])
        if any(s is not None for _, s in stale):
            self._bump("lexical_version")

    # -- chunks -----------------------------------------------------------------------------------
    def chunks(self, chunk_ids: Iterable[str]) -> dict[str, Chunk]:
        found: dict[str, Chunk] = {}
        for batch in _batches(list(dict.fromkeys(chunk_ids))):
            marks = ",".join("?" * len(batch))
            query = f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({marks})"
            found.update((row[0], Chunk(*row)) for row in self._conn.execute(query, batch).fetchall())
        return found

    def chunks_of(self, paper_id: str) -> list[Chunk]:
        query = f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE paper_id = ? ORDER BY ordinal"
        return [Chunk(*row) for row in self._conn.execute(query, (paper_id,)).fetchall()]

    def all_chunks(self) -> list[Chunk]:
        query = f"SELECT {_CHUNK_COLUMNS} FROM chunks ORDER BY chunk_id"
        return [Chunk(*row) for row in self._conn.execute(query).fetchall()]

    def chunk_ids(self) -> set[str]:
        return {row[0] for row in self._conn.execute("SELECT chunk_id FROM chunks")}

    def chunk_count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])

    def has_chunks(self) -> bool:
        return self._conn.execute("SELECT 1 FROM chunks LIMIT 1").fetchone() is not None

    def pending_chunks(self) -> list[Chunk]:
        query = f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE indexed = 0 ORDER BY chunk_id"
        return [Chunk(*row) for row in self._conn.execute(query).fetchall()]

    def pending_count(self) -> int:
        return int(self._conn.execute("SELECT COUNT(*) FROM chunks WHERE indexed = 0").fetchone()[0])

    def mark_indexed(self, chunk_ids: Sequence[str]) -> None:
        self._conn.executemany("UPDATE chunks SET indexed = 1 WHERE chunk_id = ?", [(i,) for i in chunk_ids])

    def mark_all_indexed(self) -> None:
        self._conn.execute("UPDATE chunks SET indexed = 1 WHERE indexed = 0")

    def mark_all_pending(self) -> None:
        self._conn.execute("UPDATE chunks SET indexed = 0")

    def mark_pending(self, chunk_ids: Sequence[str]) -> None:
        self._conn.executemany("UPDATE chunks SET indexed = 0 WHERE chunk_id = ?", [(i,) for i in chunk_ids])

    def add_tombstones(self, chunk_ids: Sequence[str]) -> None:
        self._conn.executemany("INSERT OR IGNORE INTO tombstones VALUES (?)", [(i,) for i in chunk_ids])

    def tombstones(self) -> list[str]:
        return [row[0] for row in self._conn.execute("SELECT chunk_id FROM tombstones").fetchall()]

    def clear_tombstones(self, chunk_ids: Sequence[str]) -> None:
        self._conn.executemany("DELETE FROM tombstones WHERE chunk_id = ?", [(i,) for i in chunk_ids])

    # -- lexical segments ---------------------------------------------------------------------------
    def lexical_version(self) -> int:
        return self._counter("lexical_version")

    def lexical_state(self) -> LexicalState:
        with self.snapshot():
            segments = dict(self._conn.execute("SELECT name, chunks FROM lexical_segments").fetchall())
            dead: dict[str, set[str]] = {}
            for segment, chunk_id in self._conn.execute("SELECT segment, chunk_id FROM lexical_dead").fetchall():
                dead.setdefault(segment, set()).add(chunk_id)
            return LexicalState(self.lexical_version(), segments, dead)

    def unlexed_chunks(self) -> list[Chunk]:
        query = f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE segment IS NULL ORDER BY chunk_id"
        return [Chunk(*row) for row in self._conn.execute(query).fetchall()]

    def has_unlexed(self) -> bool:
        return self._conn.execute("SELECT 1 FROM chunks WHERE segment IS NULL LIMIT 1").fetchone() is not None

    def add_segment(self, name: str, chunk_ids: Sequence[str]) -> None:
        """Record a new segment holding these (so far unindexed) chunks."""
        with self.transaction():
            self._conn.execute("INSERT INTO lexical_segments VALUES (?, ?)", (name, len(chunk_ids)))
            self._conn.executemany(
                "UPDATE chunks SET segment = ? WHERE chunk_id = ? AND segment IS NULL", [(name, c) for c in chunk_ids]
            )
            self._bump("lexical_version")

    def replace_segments(self, old: Sequence[str], new: str | None, chunks: int) -> None:
        """Swap merged segments for the one that holds their live chunks (None: they had none)."""
        with self.transaction():
            for name in old:
                self._conn.execute("DELETE FROM lexical_segments WHERE name = ?", (name,))
                self._conn.execute("DELETE FROM lexical_dead WHERE segment = ?", (name,))
                self._conn.execute("UPDATE chunks SET segment = ? WHERE segment = ?", (new, name))
            if new is not None:
                self._conn.execute("INSERT INTO lexical_segments VALUES (?, ?)", (new, chunks))
            self._bump("lexical_version")

    def reset_lexical(self, name: str, chunk_ids: Sequence[str]) -> None:
        """One segment for all chunks (a rebuild); chunks added meanwhile stay unindexed."""
        with self.transaction():
            self._conn.execute("DELETE FROM lexical_segments")
            self._conn.execute("DELETE FROM lexical_dead")
            self._conn.execute("UPDATE chunks SET segment = NULL")
            self._conn.execute("INSERT INTO lexical_segments VALUES (?, ?)", (name, len(chunk_ids)))
            self._conn.executemany("UPDATE chunks SET segment = ? WHERE chunk_id = ?", [(name, c) for c in chunk_ids])
            self._bump("lexical_version")

    # -- meta -------------------------------------------------------------------------------------
    def generation(self) -> int:
        """Bumped by every change to chunks, so derived indexes know when they are stale."""
        return self._counter("generation")

    def bump_generation(self) -> None:
        self._bump("generation")

    def meta(self, name: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, name: str, value: str) -> None:
        self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (name, value))

    def _counter(self, name: str) -> int:
        value = self.meta(name)
        return int(value) if value else 0

    def _bump(self, name: str) -> None:
        self._conn.execute(
            "INSERT INTO meta VALUES (?, '1') ON CONFLICT(name) DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (name,),
        )

    # -- a server store's cache ---------------------------------------------------------------------
    def stamps(self, paper_ids: Iterable[str]) -> dict[str, float]:
        found: dict[str, float] = {}
        for batch in _batches(list(paper_ids)):
            marks = ",".join("?" * len(batch))
            found.update(self._conn.execute(f"SELECT paper_id, at FROM stamps WHERE paper_id IN ({marks})", batch))
        return found

    def set_stamp(self, paper_id: str, at: float) -> None:
        self._conn.execute("INSERT OR REPLACE INTO stamps VALUES (?, ?)", (paper_id, at))

    def owners(self, names: Iterable[str]) -> set[str]:
        """Ids of the papers that have any of `names` as id or alias."""
        found: set[str] = set()
        for batch in _batches(list(dict.fromkeys(names))):
            marks = ",".join("?" * len(batch))
            found.update(
                r[0] for r in self._conn.execute(f"SELECT paper_id FROM papers WHERE paper_id IN ({marks})", batch)
            )
            found.update(
                r[0]
                for r in self._conn.execute(
                    f"SELECT a.paper_id FROM aliases a JOIN papers p ON p.paper_id = a.paper_id WHERE alias IN ({marks})",
                    batch,
                )
            )
        return found

    def paper_of_key(self, key: str) -> str | None:
        row = self._conn.execute("SELECT paper_id FROM papers WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def applied_changes(self) -> set[str]:
        return {row[0] for row in self._conn.execute("SELECT change_id FROM applied_changes")}

    def mark_applied(self, change_ids: Iterable[str]) -> None:
        self._conn.executemany("INSERT OR IGNORE INTO applied_changes VALUES (?)", [(i,) for i in change_ids])

    def clear(self) -> None:
        """Forget everything (a cache about to be rebuilt)."""
        for table in (
            "papers",
            "aliases",
            "chunks",
            "tombstones",
            "lexical_segments",
            "lexical_dead",
            "stamps",
            "applied_changes",
        ):
            self._conn.execute(f"DELETE FROM {table}")
        # Counters keep counting, so nobody mistakes the rebuilt state for one seen before.
        self._conn.execute("DELETE FROM meta WHERE name NOT IN ('generation', 'lexical_version')")
        self._bump("generation")
        self._bump("lexical_version")


_CHUNK_COLUMNS = "chunk_id, paper_id, ordinal, text, first_sentence, last_sentence"
_PAPER_FIELDS = {f.name for f in dataclasses.fields(Paper)}


def paper_to_json(paper: Paper) -> str:
    return json.dumps(dataclasses.asdict(paper), ensure_ascii=False)


def paper_from_json(data: str) -> Paper:
    """A stored paper; fields added or dropped since it was written are tolerated."""
    return Paper(**{k: v for k, v in json.loads(data).items() if k in _PAPER_FIELDS})


def _execute_all(conn: sqlite3.Connection, script: str) -> None:
    # Statement by statement: executescript() would commit the surrounding transaction first.
    for statement in filter(str.strip, script.split(";")):
        conn.execute(statement)


def _batches(ids: list[str], size: int = 900) -> Iterator[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
