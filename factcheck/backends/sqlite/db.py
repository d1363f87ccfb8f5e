"""The SQLite schema, its versioned migrations, and the per-thread connections of one file.

``PRAGMA user_version`` is the schema version; ``MIGRATIONS[n]`` takes version n to n + 1, each in
its own transaction, so an older file is brought up to date on open and a newer one is refused.
WAL mode lets readers run while one writer commits; each thread gets its own connection because
sqlite3 connections must not be shared by concurrent threads.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.errors import StoreError

SCHEMA_VERSION = 1
VECTOR_DTYPE = "float16"  # of view vectors in new stores (see Database.vector_format)

_SCHEMA_V1 = """
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT,
    url TEXT,
    published TEXT,
    origin TEXT,
    text TEXT NOT NULL,
    removed TEXT NOT NULL DEFAULT '[]',
    analysed TEXT NOT NULL,
    record TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX articles_created ON articles(created_at);
CREATE INDEX articles_source ON articles(source);
CREATE TABLE sentences (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    record TEXT NOT NULL,
    UNIQUE (article_id, idx)
);
CREATE TABLE views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    sentence_id INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX views_article ON views(article_id);
CREATE INDEX views_sentence ON views(sentence_id);
CREATE TABLE matches (
    id INTEGER PRIMARY KEY,
    a_sentence INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    b_sentence INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    a_article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    b_article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    a_source TEXT NOT NULL,
    b_source TEXT NOT NULL,
    score REAL NOT NULL,
    relation TEXT NOT NULL,
    record TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (a_sentence, b_sentence)
);
CREATE INDEX matches_a ON matches(a_article);
CREATE INDEX matches_b ON matches(b_article);
CREATE TABLE conflicts (
    id INTEGER PRIMARY KEY,
    match_id INTEGER NOT NULL REFERENCES matches(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    severity TEXT NOT NULL,
    severity_rank INTEGER NOT NULL,
    explanation TEXT NOT NULL,
    a_spans TEXT NOT NULL,
    b_spans TEXT NOT NULL,
    a_sentence INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    b_sentence INTEGER NOT NULL REFERENCES sentences(id) ON DELETE CASCADE,
    a_article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    b_article TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    a_source TEXT NOT NULL,
    b_source TEXT NOT NULL,
    record TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX conflicts_created ON conflicts(created_at);
CREATE INDEX conflicts_a ON conflicts(a_article);
CREATE INDEX conflicts_b ON conflicts(b_article);
CREATE INDEX conflicts_match ON conflicts(match_id);
CREATE TABLE duplicates (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    duplicate_of TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    score REAL NOT NULL,
    shared_sentences INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (article_id, duplicate_of)
);
CREATE INDEX duplicates_of ON duplicates(duplicate_of);
CREATE TABLE story_links (
    article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    linked_to TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, linked_to)
);
CREATE INDEX story_links_to ON story_links(linked_to);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL
);
CREATE TABLE story_articles (
    story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
    article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (story_id, article_id)
);
"""

MIGRATIONS: tuple[str, ...] = (_SCHEMA_V1,)  # MIGRATIONS[n] takes user_version n to n + 1


class Database:
    """The connections to one SQLite file, its migrations and its transactions."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._closed = False
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the data directory {self.path.parent}: {exc.strerror}; "
                "choose a writable --data-dir (or FACTCHECK_DATA_DIR)",
                detail={"path": str(self.path.parent)},
            ) from exc
        try:
            conn = self.conn()
            conn.execute("PRAGMA journal_mode=WAL")
            self._migrate(conn)
            self.vector_dtype = self._vector_format(conn)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise StoreError(
                f"{self.path} is not a usable factcheck database ({exc}); move it away or "
                "choose another --data-dir",
                detail={"path": str(self.path)},
            ) from exc

    def conn(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            if self._closed:
                raise StoreError("the store is closed; open the workspace again")
            conn = sqlite3.connect(
                self.path, isolation_level=None, check_same_thread=False, timeout=30.0
            )
            with self._conns_lock:
                self._conns.append(conn)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute("PRAGMA busy_timeout=30000")
            self._local.conn = conn
        return conn

    def close(self) -> None:
        """Close every thread's connection (call once, when the service stops)."""
        self._closed = True
        with self._conns_lock:
            for conn in self._conns:
                conn.close()
            self._conns.clear()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``: writers queue here, so a read-then-write
        rule never races); everything inside commits together, with the generation bumped."""
        conn = self.conn()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            conn.execute(
                "INSERT INTO meta(key, value) VALUES ('generation', '1') ON CONFLICT(key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A read snapshot, so a multi-query answer never mixes two states of the store."""
        conn = self.conn()
        if conn.in_transaction:  # nested read inside a read or write: reuse it
            yield conn
            return
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    def _vector_format(self, conn: sqlite3.Connection) -> np.dtype[Any]:
        """How view vectors are stored: float16 in stores created since it was introduced (half
        the disk; cosine changes by < 1e-3), float32 in older ones (read as they are)."""
        row = conn.execute("SELECT value FROM meta WHERE key = 'vector_dtype'").fetchone()
        if row is None:
            empty = conn.execute("SELECT 1 FROM views LIMIT 1").fetchone() is None
            value = VECTOR_DTYPE if empty else "float32"
            conn.execute(
                "INSERT OR IGNORE INTO meta(key, value) VALUES ('vector_dtype', ?)", (value,)
            )
            row = conn.execute("SELECT value FROM meta WHERE key = 'vector_dtype'").fetchone()
        if str(row[0]) not in ("float16", "float32"):
            raise StoreError(
                f"{self.path} stores vectors as {row[0]!r}, which this factcheck cannot read; "
                "upgrade factcheck or use another --data-dir"
            )
        return np.dtype(str(row[0]))

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {version} but this factcheck understands up to "
                f"{SCHEMA_VERSION}; upgrade factcheck or use another --data-dir",
                detail={"schema_version": version},
            )
        while version < SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                for statement in MIGRATIONS[version].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                version += 1
                conn.execute(f"PRAGMA user_version = {version}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
