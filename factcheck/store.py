"""SQLite persistence: the source of truth of the service.

Everything a running service knows lives here (articles, sentences, the analysed record, the view
embeddings, matches, conflicts, duplicates, stories), so the FAISS index is only a cache that can be
rebuilt from the ``views`` table. One ingest is one transaction: a crash or kill part-way leaves no
half-stored article. WAL mode lets readers run while one writer commits; each thread gets its own
connection because sqlite3 connections must not be shared by concurrent threads.

The store speaks plain data (dicts, numpy arrays, the dataclasses below) and never imports the
pipeline, so it can be tested and migrated on its own.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.errors import NotFoundError, StoreError
from factcheck.types import SEVERITY_RANK

SCHEMA_VERSION = 1
VECTOR_DTYPE = "float16"  # of view vectors in new stores (see Store._vector_format)
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
COPIES_LISTED = 20  # repeats through wire copies listed under a folded conflict (all counted)

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

_MIGRATIONS: tuple[str, ...] = (_SCHEMA_V1,)  # _MIGRATIONS[n] takes user_version n to n + 1


def now() -> str:
    """UTC timestamp as stored (ISO 8601, microseconds, so string order is time order)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def timestamp(value: dt.datetime | dt.date) -> str:
    """A date or datetime in the stored timestamp format (naive values are taken as UTC)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


# --- what one ingest writes -------------------------------------------------------------------


@dataclass(frozen=True)
class NewMatch:
    """A match between a sentence of the new article and one of a stored article."""

    a_article: str
    a_index: int
    b_article: str
    b_index: int
    a_source: str
    b_source: str
    score: float
    relation: str
    record: dict[str, Any]  # the report schema's match dict


@dataclass(frozen=True)
class NewConflict:
    """A conflict on a match (its sentences are named by article id + sentence index)."""

    match: NewMatch
    type: str
    severity: str
    explanation: str
    a_spans: list[dict[str, Any]]
    b_spans: list[dict[str, Any]]
    record: dict[str, Any]  # the report schema's conflict dict


@dataclass(frozen=True)
class NewDuplicate:
    """The new article is a (near-)copy of a stored one."""

    duplicate_of: str
    score: float
    shared_sentences: int
    record: dict[str, Any]


@dataclass(frozen=True)
class NewArticle:
    """Everything one ingest stores, in plain data, written in one transaction."""

    id: str
    source: str
    text: str
    record: dict[str, Any]  # the report schema's article dict
    analysed: dict[str, Any]  # the serialised analysed record (facts, cues, ...)
    sentences: Sequence[dict[str, Any]]  # report schema sentence dicts, in index order
    sentence_spans: Sequence[tuple[int, int, int, str]]  # (index, start, end, text) per sentence
    view_sentence: np.ndarray  # int32: sentence index of each view
    vectors: np.ndarray  # float32 (n_views, dim)
    title: str | None = None
    url: str | None = None
    published: str | None = None
    origin: str | None = None
    removed: Sequence[str] = ()
    matches: Sequence[NewMatch] = ()
    conflicts: Sequence[NewConflict] = ()
    duplicates: Sequence[NewDuplicate] = ()
    links: Sequence[str] = ()  # stored articles about the same event (story membership)


@dataclass(frozen=True)
class StoredAnalysis:
    """What the pipeline needs to compare a stored article again."""

    article_id: str
    source: str
    analysed: dict[str, Any]
    view_sentence: np.ndarray
    vectors: np.ndarray


@dataclass(frozen=True)
class Page:
    """One page of a listing; ``next_offset`` is None on the last page."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        end = self.offset + len(self.items)
        return end if end < self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "next_offset": self.next_offset,
        }


@dataclass(frozen=True)
class ConflictFilter:
    """Filters of the conflict listing; None means "any"."""

    type: str | None = None
    severity: str | None = None  # exact severity
    min_severity: str | None = None
    source: str | None = None  # either side
    story: str | None = None
    article: str | None = None  # either side
    since: str | None = None  # stored timestamp format, inclusive
    types: tuple[str, ...] = field(default=())


# ORDER BY clauses of the conflict listing, by name
CONFLICT_ORDERS: dict[str, str] = {
    "newest": "c.created_at DESC, c.id DESC",
    "severity": "c.severity_rank DESC, c.created_at DESC, c.id DESC",
}


def page_bounds(limit: int | None, offset: int | None) -> tuple[int, int]:
    """Clamp paging arguments to sane values (the service validates them before this)."""
    lim = DEFAULT_PAGE_SIZE if limit is None else max(1, min(int(limit), MAX_PAGE_SIZE))
    off = 0 if offset is None else max(0, int(offset))
    return lim, off


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Store:
    """The SQLite database of one data directory (``path`` is the database file)."""

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
            conn = self._conn()
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

    # --- connections and transactions ---------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
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
        """One write transaction: everything inside commits together or not at all."""
        conn = self._conn()
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
        conn = self._conn()
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
                for statement in _MIGRATIONS[version].split(";"):
                    if statement.strip():
                        conn.execute(statement)
                version += 1
                conn.execute(f"PRAGMA user_version = {version}")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # --- meta ---------------------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self._conn().execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str) -> None:
        with self.write() as conn:
            conn.execute(
                "INSERT INTO meta(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def generation(self) -> int:
        """High-water mark: bumped by every committed write, saved with the index file."""
        value = self.meta("generation")
        return 0 if value is None else int(value)

    # --- writes -------------------------------------------------------------------------------

    def has_article(self, article_id: str) -> bool:
        row = self._conn().execute("SELECT 1 FROM articles WHERE id = ?", (article_id,))
        return row.fetchone() is not None

    def add_article(self, new: NewArticle) -> tuple[str, list[int]]:
        """Store one analysed article with its matches; return (story id, view ids).

        The article joins the story of every stored article it is linked to or duplicates
        (stories it bridges are merged into the oldest one).
        """
        with self.write() as conn:
            view_ids = self._insert_article(conn, new)
            story_id = self._assign_story(conn, new)
        return story_id, view_ids

    def _insert_article(self, conn: sqlite3.Connection, new: NewArticle) -> list[int]:
        created = now()
        conn.execute(
            "INSERT INTO articles(id, source, title, url, published, origin, text, removed, "
            "analysed, record, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                new.id,
                new.source,
                new.title,
                new.url,
                new.published,
                new.origin,
                new.text,
                _dumps(list(new.removed)),
                _dumps(new.analysed),
                _dumps(new.record),
                created,
            ),
        )
        sentence_ids = self._insert_sentences(conn, new)
        vectors = np.ascontiguousarray(new.vectors, dtype=np.float32)
        view_ids: list[int] = []
        for position, (sent_index, vector) in enumerate(
            zip(new.view_sentence.tolist(), vectors, strict=True)
        ):
            cur = conn.execute(
                "INSERT INTO views(article_id, sentence_id, position, vector) VALUES (?, ?, ?, ?)",
                (
                    new.id,
                    sentence_ids[int(sent_index)],
                    position,
                    vector.astype(self.vector_dtype).tobytes(),
                ),
            )
            view_ids.append(int(cur.lastrowid or 0))
        match_ids: dict[tuple[int, int], int] = {}
        for match in new.matches:
            self._insert_match(conn, match, created, match_ids)
        for conflict in new.conflicts:
            match_id = self._insert_match(conn, conflict.match, created, match_ids)
            a_sent, b_sent = self._sentence_pair(conn, conflict.match)
            conn.execute(
                "INSERT INTO conflicts(match_id, type, severity, severity_rank, explanation, "
                "a_spans, b_spans, a_sentence, b_sentence, a_article, b_article, a_source, "
                "b_source, record, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    match_id,
                    conflict.type,
                    conflict.severity,
                    SEVERITY_RANK.get(conflict.severity, 0),
                    conflict.explanation,
                    _dumps(conflict.a_spans),
                    _dumps(conflict.b_spans),
                    a_sent,
                    b_sent,
                    conflict.match.a_article,
                    conflict.match.b_article,
                    conflict.match.a_source,
                    conflict.match.b_source,
                    _dumps(conflict.record),
                    created,
                ),
            )
        conn.executemany(
            "INSERT OR IGNORE INTO story_links(article_id, linked_to) VALUES (?, ?)",
            [(new.id, other) for other in sorted(set(new.links)) if other != new.id],
        )
        for dup in new.duplicates:
            conn.execute(
                "INSERT OR REPLACE INTO duplicates(article_id, duplicate_of, score, "
                "shared_sentences, record) VALUES (?, ?, ?, ?, ?)",
                (new.id, dup.duplicate_of, dup.score, dup.shared_sentences, _dumps(dup.record)),
            )
        return view_ids

    def _insert_sentences(self, conn: sqlite3.Connection, new: NewArticle) -> dict[int, int]:
        ids: dict[int, int] = {}
        for (index, start, end, text), record in zip(
            new.sentence_spans, new.sentences, strict=True
        ):
            cur = conn.execute(
                'INSERT INTO sentences(article_id, idx, start, "end", text, record) '
                "VALUES (?, ?, ?, ?, ?, ?)",
                (new.id, index, start, end, text, _dumps(record)),
            )
            ids[index] = int(cur.lastrowid or 0)
        return ids

    @staticmethod
    def _sentence_pair(conn: sqlite3.Connection, match: NewMatch) -> tuple[int, int]:
        ids = []
        for article, index in ((match.a_article, match.a_index), (match.b_article, match.b_index)):
            row = conn.execute(
                "SELECT id FROM sentences WHERE article_id = ? AND idx = ?", (article, index)
            ).fetchone()
            if row is None:
                raise StoreError(
                    f"a match names sentence {index} of article {article}, which is not stored; "
                    "this is a bug in the caller, please report it",
                    detail={"article": article, "index": index},
                )
            ids.append(int(row[0]))
        return ids[0], ids[1]

    def _insert_match(
        self,
        conn: sqlite3.Connection,
        match: NewMatch,
        created: str,
        seen: dict[tuple[int, int], int],
    ) -> int:
        key = self._sentence_pair(conn, match)
        if key in seen:
            return seen[key]
        conn.execute(
            "INSERT INTO matches(a_sentence, b_sentence, a_article, b_article, a_source, b_source, "
            "score, relation, record, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT(a_sentence, b_sentence) DO NOTHING",
            (
                key[0],
                key[1],
                match.a_article,
                match.b_article,
                match.a_source,
                match.b_source,
                match.score,
                match.relation,
                _dumps(match.record),
                created,
            ),
        )
        row = conn.execute(
            "SELECT id FROM matches WHERE a_sentence = ? AND b_sentence = ?", key
        ).fetchone()
        seen[key] = int(row[0])
        return seen[key]

    def _assign_story(self, conn: sqlite3.Connection, new: NewArticle) -> str:
        linked = self._neighbours(conn, new.id)
        stories = [
            (str(r[0]), str(r[1]))
            for r in conn.execute(
                "SELECT s.id, s.created_at FROM stories s "
                "JOIN story_articles m ON m.story_id = s.id "
                f"WHERE m.article_id IN ({','.join('?' * len(linked))}) "
                "GROUP BY s.id ORDER BY s.created_at, s.id",
                sorted(linked),
            )
        ]
        if not stories:
            story_id = self._new_story(conn)
        else:
            story_id = stories[0][0]
            for other, _ in stories[1:]:
                conn.execute(
                    "UPDATE story_articles SET story_id = ? WHERE story_id = ?", (story_id, other)
                )
                conn.execute("DELETE FROM stories WHERE id = ?", (other,))
        conn.execute(
            "INSERT INTO story_articles(story_id, article_id) VALUES (?, ?)", (story_id, new.id)
        )
        return story_id

    @staticmethod
    def _new_story(conn: sqlite3.Connection) -> str:
        story_id = "s_" + uuid.uuid4().hex[:16]
        conn.execute("INSERT INTO stories(id, created_at) VALUES (?, ?)", (story_id, now()))
        return story_id

    @staticmethod
    def _neighbours(conn: sqlite3.Connection, article_id: str) -> set[str]:
        rows = conn.execute(
            "SELECT linked_to FROM story_links WHERE article_id = ? "
            "UNION SELECT article_id FROM story_links WHERE linked_to = ? "
            "UNION SELECT duplicate_of FROM duplicates WHERE article_id = ? "
            "UNION SELECT article_id FROM duplicates WHERE duplicate_of = ?",
            (article_id,) * 4,
        )
        return {str(r[0]) for r in rows} - {article_id}

    def delete_article(self, article_id: str) -> list[int]:
        """Remove an article and everything that depended on it; return its view ids.

        Its story loses it; if it was the only link between parts of the story, the story splits
        (the part holding the oldest article keeps the id), and an emptied story is dropped.
        """
        with self.write() as conn:
            row = conn.execute(
                "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
            ).fetchone()
            if not conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone():
                raise NotFoundError(
                    f"no article with id {article_id!r}; list stored ids with GET /articles",
                    detail={"id": article_id},
                )
            view_ids = [
                int(r[0])
                for r in conn.execute("SELECT id FROM views WHERE article_id = ?", (article_id,))
            ]
            conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            if row is not None:
                self._split_story(conn, str(row[0]))
        return view_ids

    def _split_story(self, conn: sqlite3.Connection, story_id: str) -> None:
        members = [
            str(r[0])
            for r in conn.execute(
                "SELECT a.id FROM story_articles m JOIN articles a ON a.id = m.article_id "
                "WHERE m.story_id = ? ORDER BY a.created_at, a.id",
                (story_id,),
            )
        ]
        if not members:
            conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))
            return
        parent = {m: m for m in members}

        def find(x: str) -> str:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for m in members:
            for other in self._neighbours(conn, m):
                if other in parent:
                    ra, rb = find(m), find(other)
                    if ra != rb:
                        parent[rb] = ra
        groups: dict[str, list[str]] = {}
        for m in members:  # members are oldest first, so the first group holds the oldest
            groups.setdefault(find(m), []).append(m)
        for group in list(groups.values())[1:]:
            new_id = self._new_story(conn)
            conn.executemany(
                "UPDATE story_articles SET story_id = ? WHERE article_id = ?",
                [(new_id, m) for m in group],
            )

    # --- reads for the pipeline ---------------------------------------------------------------

    def view_articles(self, view_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """view id -> (article id, source) for the ids that are still stored."""
        ids = sorted({int(v) for v in view_ids})
        out: dict[int, tuple[str, str]] = {}
        conn = self._conn()
        for chunk in _chunks(ids, 500):
            rows = conn.execute(
                "SELECT v.id, v.article_id, a.source FROM views v JOIN articles a "
                f"ON a.id = v.article_id WHERE v.id IN ({','.join('?' * len(chunk))})",
                chunk,
            )
            out.update({int(r[0]): (str(r[1]), str(r[2])) for r in rows})
        return out

    def analyses(self, article_ids: Sequence[str]) -> list[StoredAnalysis]:
        """The analysed records and view vectors of stored articles (unknown ids skipped)."""
        out: list[StoredAnalysis] = []
        with self.read() as conn:
            for article_id in article_ids:
                row = conn.execute(
                    "SELECT source, analysed FROM articles WHERE id = ?", (article_id,)
                ).fetchone()
                if row is None:
                    continue
                views = conn.execute(
                    "SELECT s.idx, v.vector FROM views v JOIN sentences s ON s.id = v.sentence_id "
                    "WHERE v.article_id = ? ORDER BY v.position",
                    (article_id,),
                ).fetchall()
                out.append(
                    StoredAnalysis(
                        article_id=article_id,
                        source=str(row[0]),
                        analysed=json.loads(row[1]),
                        view_sentence=np.array([int(v[0]) for v in views], dtype=np.int32),
                        vectors=_vectors([v[1] for v in views], self.vector_dtype),
                    )
                )
        return out

    def iter_vectors(self, batch: int = 4096) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """All stored view vectors as (int64 ids, float32 matrix) batches, in id order."""
        conn = self._conn()
        last = -1
        while True:
            rows = conn.execute(
                "SELECT id, vector FROM views WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            ).fetchall()
            if not rows:
                return
            last = int(rows[-1][0])
            yield (
                np.array([int(r[0]) for r in rows], dtype=np.int64),
                _vectors([r[1] for r in rows], self.vector_dtype),
            )

    def view_count(self) -> int:
        return int(self._conn().execute("SELECT COUNT(*) FROM views").fetchone()[0])

    # --- reads for the API --------------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self.read() as conn:
            return {
                table: int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
                for table in (
                    "articles",
                    "sentences",
                    "views",
                    "matches",
                    "conflicts",
                    "duplicates",
                    "stories",
                )
            }

    def article(self, article_id: str) -> dict[str, Any]:
        """The full stored view of one article (raises NotFoundError)."""
        with self.read() as conn:
            row = conn.execute(
                "SELECT a.*, m.story_id FROM articles a LEFT JOIN story_articles m "
                "ON m.article_id = a.id WHERE a.id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                raise NotFoundError(
                    f"no article with id {article_id!r}; list stored ids with GET /articles",
                    detail={"id": article_id},
                )
            sentences = [
                json.loads(r[0])
                for r in conn.execute(
                    "SELECT record FROM sentences WHERE article_id = ? ORDER BY idx", (article_id,)
                )
            ]
            matches = [
                _row_record(r)
                for r in conn.execute(
                    "SELECT created_at, record FROM matches "
                    "WHERE a_article = ? OR b_article = ? ORDER BY id",
                    (article_id, article_id),
                )
            ]
            conflicts = self._conflict_rows(
                conn, "WHERE (c.a_article = ? OR c.b_article = ?)", [article_id, article_id]
            )
            dup_rows = conn.execute(
                "SELECT article_id, duplicate_of, score, shared_sentences FROM duplicates "
                "WHERE article_id = ? OR duplicate_of = ? ORDER BY score DESC, duplicate_of",
                (article_id, article_id),
            ).fetchall()
        duplicates = [
            {
                "article_id": str(r[0]),
                "duplicate_of": str(r[1]),
                "score": float(r[2]),
                "shared_sentences": int(r[3]),
            }
            for r in dup_rows
        ]
        duplicate_of = next(
            (d["duplicate_of"] for d in duplicates if d["article_id"] == article_id), None
        )
        return {
            **_article_summary(row),
            "text": row["text"],
            "removed": json.loads(row["removed"]),
            "removed_reasons": _removed_reasons(row),
            "article": json.loads(row["record"]),
            "sentences": sentences,
            "matches": matches,
            "conflicts": conflicts,
            "duplicate_of": duplicate_of,
            "duplicates": duplicates,
        }

    def articles(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        source: str | None = None,
        story: str | None = None,
    ) -> Page:
        """Article summaries, newest first."""
        lim, off = page_bounds(limit, offset)
        where, params = [], []
        if source is not None:
            where.append("a.source = ?")
            params.append(source)
        if story is not None:
            where.append("m.story_id = ?")
            params.append(story)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        base = "FROM articles a LEFT JOIN story_articles m ON m.article_id = a.id " + clause
        with self.read() as conn:
            total = int(conn.execute(f"SELECT COUNT(*) {base}", params).fetchone()[0])
            rows = conn.execute(
                f"SELECT a.*, m.story_id {base} ORDER BY a.created_at DESC, a.rowid DESC "
                "LIMIT ? OFFSET ?",
                [*params, lim, off],
            ).fetchall()
            items = [self._summary_with_counts(conn, r) for r in rows]
        return Page(items, total, lim, off)

    def _summary_with_counts(self, conn: sqlite3.Connection, row: sqlite3.Row) -> dict[str, Any]:
        article_id = row["id"]
        n_sent = conn.execute("SELECT COUNT(*) FROM sentences WHERE article_id = ?", (article_id,))
        n_conf = conn.execute(
            "SELECT COUNT(*) FROM conflicts WHERE a_article = ? OR b_article = ?",
            (article_id, article_id),
        )
        dup = conn.execute(
            "SELECT duplicate_of FROM duplicates WHERE article_id = ? "
            "ORDER BY score DESC, duplicate_of LIMIT 1",
            (article_id,),
        ).fetchone()
        return {
            **_article_summary(row),
            "n_sentences": int(n_sent.fetchone()[0]),
            "n_conflicts": int(n_conf.fetchone()[0]),
            "duplicate_of": None if dup is None else str(dup[0]),
        }

    def _conflict_rows(
        self,
        conn: sqlite3.Connection,
        where: str,
        params: Sequence[object],
        tail: str = "ORDER BY c.created_at, c.id",
        rowids: list[int] | None = None,
    ) -> list[dict[str, Any]]:
        """Conflict records with their story and both articles; ``rowids`` (if given) gets
        each row's ``conflicts.id``, in the same order."""
        rows = conn.execute(
            "SELECT c.id AS cid, c.record, c.created_at, m.story_id, "
            "a.id AS a_id, a.source AS a_source, a.title AS a_title, a.url AS a_url, "
            "a.published AS a_published, "
            "b.id AS b_id, b.source AS b_source, b.title AS b_title, b.url AS b_url, "
            "b.published AS b_published "
            "FROM conflicts c LEFT JOIN story_articles m ON m.article_id = c.a_article "
            "JOIN articles a ON a.id = c.a_article JOIN articles b ON b.id = c.b_article "
            f"{where} {tail}",
            list(params),
        )
        out = []
        for r in rows:
            if rowids is not None:
                rowids.append(int(r["cid"]))
            item = _row_record(r)
            item["story_id"] = r["story_id"]
            for side in ("a", "b"):
                item[f"{side}_article"] = {
                    key: r[f"{side}_{key}"] for key in ("id", "source", "title", "url", "published")
                }
            out.append(item)
        return out

    def conflicts(
        self,
        filters: ConflictFilter | None = None,
        *,
        limit: int | None = None,
        offset: int | None = None,
        order: str = "newest",
    ) -> Page:
        """Conflicts matching ``filters``, newest first; ``order="severity"``: most severe
        first, newest first within a severity."""
        if order not in CONFLICT_ORDERS:
            raise ValueError(f"unknown conflict order {order!r}; use one of {CONFLICT_ORDERS}")
        f = filters or ConflictFilter()
        lim, off = page_bounds(limit, offset)
        where: list[str] = []
        params: list[object] = []
        if f.type is not None:
            where.append("c.type = ?")
            params.append(f.type)
        if f.types:
            where.append(f"c.type IN ({','.join('?' * len(f.types))})")
            params.extend(f.types)
        if f.severity is not None:
            where.append("c.severity = ?")
            params.append(f.severity)
        if f.min_severity is not None:
            where.append("c.severity_rank >= ?")
            params.append(SEVERITY_RANK.get(f.min_severity, 0))
        if f.source is not None:
            where.append("(c.a_source = ? OR c.b_source = ?)")
            params.extend([f.source, f.source])
        if f.article is not None:
            where.append("(c.a_article = ? OR c.b_article = ?)")
            params.extend([f.article, f.article])
        if f.story is not None:
            where.append("m.story_id = ?")
            params.append(f.story)
        if f.since is not None:
            where.append("c.created_at >= ?")
            params.append(f.since)
        clause = f"WHERE {' AND '.join(where)}" if where else ""
        with self.read() as conn:
            roots = self._copy_roots(conn)
            if not roots:  # no wire copies stored: nothing to fold, page in SQL
                total = int(
                    conn.execute(
                        "SELECT COUNT(*) FROM conflicts c LEFT JOIN story_articles m "
                        f"ON m.article_id = c.a_article {clause}",
                        params,
                    ).fetchone()[0]
                )
                items = self._conflict_rows(
                    conn,
                    clause,
                    [*params, lim, off],
                    f"ORDER BY {CONFLICT_ORDERS[order]} LIMIT ? OFFSET ?",
                )
                return Page([{**c, "n_copies": 0, "copies": []} for c in items], total, lim, off)
            groups = self._folded_conflicts(conn, clause, params, CONFLICT_ORDERS[order], roots)
            items = self._conflict_groups(conn, [g for _, g in groups[off : off + lim]])
        return Page(items, len(groups), lim, off)

    # --- wire copies --------------------------------------------------------------------------

    @staticmethod
    def _copy_roots(conn: sqlite3.Connection) -> dict[str, str]:
        """Wire copy id -> the original it copies (through copies of copies): the article's
        ``duplicate_of`` as the API gives it (best score first), followed to its end."""
        best: dict[str, str] = {}
        for r in conn.execute(
            "SELECT article_id, duplicate_of FROM duplicates ORDER BY score DESC, duplicate_of"
        ):
            best.setdefault(str(r[0]), str(r[1]))
        roots = {}
        for aid in best:
            seen, current = {aid}, aid
            while current in best and best[current] not in seen:
                current = best[current]
                seen.add(current)
            roots[aid] = current
        return roots

    @staticmethod
    def _folded_conflicts(
        conn: sqlite3.Connection,
        clause: str,
        params: Sequence[object],
        order: str,
        roots: dict[str, str],
    ) -> list[tuple[str, list[int]]]:
        """Conflicts (``clause`` over ``c``/``m``) with their repeats through wire copies folded:
        (type, row ids) per group, the shown one first, groups in ``order``.

        A repeat has the same type and the same evidence (sentence text after normalisation, and
        span texts: the rule of ``report.fold_conflicts``) between the same articles once each
        copy is read as its original. The shown one has the fewest copies among its two sides
        (the original when stored), then comes first in ``order``; a group takes the place of
        its first member.
        """
        from factcheck.normalize import duplicate_key

        rows = conn.execute(
            "SELECT c.id, c.type, c.a_article, c.b_article, c.a_spans, c.b_spans, "
            "sa.text, sb.text FROM conflicts c "
            "LEFT JOIN story_articles m ON m.article_id = c.a_article "
            "JOIN sentences sa ON sa.id = c.a_sentence JOIN sentences sb ON sb.id = c.b_sentence "
            f"{clause} ORDER BY {order}",
            list(params),
        ).fetchall()
        groups: dict[tuple[str, frozenset[object]], list[tuple[int, int, int]]] = {}
        for position, r in enumerate(rows):
            sides: list[object] = []
            for article, spans, text in ((r[2], r[4], r[6]), (r[3], r[5], r[7])):
                span_texts = tuple(str(sp.get("text", "")) for sp in json.loads(spans))
                sides.append((roots.get(article, article), duplicate_key(text), span_texts))
            copies = sum(1 for article in (r[2], r[3]) if article in roots)
            key = (str(r[1]), frozenset(sides))
            groups.setdefault(key, []).append((copies, position, int(r[0])))
        ordered = []
        for (ctype, _), members in groups.items():
            first = min(position for _, position, _ in members)
            members.sort()
            ordered.append((first, ctype, [rowid for _, _, rowid in members]))
        ordered.sort()
        return [(ctype, ids) for _, ctype, ids in ordered]

    def _conflict_groups(
        self, conn: sqlite3.Connection, groups: Sequence[list[int]]
    ) -> list[dict[str, Any]]:
        """Each group (row ids, the shown one first) as its shown conflict with ``n_copies``
        and ``copies``: the repeats through wire copies (id, type, severity, both sides'
        article and sentence), the first ``COPIES_LISTED`` of them."""
        wanted = [rowid for g in groups for rowid in g[: 1 + COPIES_LISTED]]
        by_rowid: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(wanted, 500):
            rowids: list[int] = []
            items = self._conflict_rows(
                conn, f"WHERE c.id IN ({','.join('?' * len(chunk))})", chunk, rowids=rowids
            )
            by_rowid.update(zip(rowids, items, strict=True))
        out = []
        for g in groups:
            shown = by_rowid[g[0]]
            copies = [_copy_ref(by_rowid[r]) for r in g[1 : 1 + COPIES_LISTED]]
            out.append({**shown, "n_copies": len(g) - 1, "copies": copies})
        return out

    def stories(self, *, limit: int | None = None, offset: int | None = None) -> Page:
        """Story summaries, most recently updated first."""
        lim, off = page_bounds(limit, offset)
        with self.read() as conn:
            total = int(conn.execute("SELECT COUNT(*) FROM stories").fetchone()[0])
            rows = conn.execute(
                "SELECT s.id, MAX(a.created_at) AS last_seen FROM stories s "
                "JOIN story_articles m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id "
                "GROUP BY s.id ORDER BY last_seen DESC, s.id LIMIT ? OFFSET ?",
                (lim, off),
            ).fetchall()
            roots = self._copy_roots(conn)
            items = [self._story_summary(conn, str(r[0]), roots) for r in rows]
        return Page(items, total, lim, off)

    def _story_summary(
        self,
        conn: sqlite3.Connection,
        story_id: str,
        roots: dict[str, str],
        folded: list[tuple[str, list[int]]] | None = None,
    ) -> dict[str, Any]:
        """Counts with wire copies folded: ``n_copies`` of the ``n_articles`` are wire copies,
        a conflict or match repeated through a copy counts once (``roots``: ``_copy_roots``;
        ``folded``: the story's ``_folded_conflicts`` when the caller has them already)."""
        row = conn.execute(
            "SELECT s.created_at, COUNT(a.id), MIN(a.created_at), MAX(a.created_at), "
            "MIN(a.published), MAX(a.published) FROM stories s "
            "LEFT JOIN story_articles m ON m.story_id = s.id "
            "LEFT JOIN articles a ON a.id = m.article_id WHERE s.id = ? GROUP BY s.id",
            (story_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(
                f"no story with id {story_id!r}; list stored stories with GET /stories",
                detail={"id": story_id},
            )
        sources = conn.execute(
            "SELECT a.source, COUNT(*) FROM story_articles m JOIN articles a "
            "ON a.id = m.article_id WHERE m.story_id = ? GROUP BY a.source ORDER BY a.source",
            (story_id,),
        ).fetchall()
        by_type = conn.execute(
            "SELECT c.type, COUNT(*) FROM conflicts c JOIN story_articles m "
            "ON m.article_id = c.a_article WHERE m.story_id = ? GROUP BY c.type ORDER BY c.type",
            (story_id,),
        ).fetchall()
        n_matches = conn.execute(
            "SELECT COUNT(*) FROM matches x JOIN story_articles m ON m.article_id = x.a_article "
            "WHERE m.story_id = ?",
            (story_id,),
        ).fetchone()[0]
        conflicts_by_type = {str(r[0]): int(r[1]) for r in by_type}
        members = [
            str(r[0])
            for r in conn.execute(
                "SELECT article_id FROM story_articles WHERE story_id = ?", (story_id,)
            )
        ]
        n_copies = sum(1 for a in members if a in roots)
        if n_copies:
            if folded is None:
                folded = self._folded_conflicts(
                    conn, "WHERE m.story_id = ?", [story_id], CONFLICT_ORDERS["newest"], roots
                )
            by_folded_type: dict[str, int] = {}
            for ctype, _ in folded:
                by_folded_type[ctype] = by_folded_type.get(ctype, 0) + 1
            conflicts_by_type = dict(sorted(by_folded_type.items()))
            n_matches = self._folded_match_count(conn, story_id, roots)
        return {
            "id": story_id,
            "sources": [str(r[0]) for r in sources],
            "articles_by_source": {str(r[0]): int(r[1]) for r in sources},
            "n_articles": int(row[1]),
            "n_copies": n_copies,
            "n_sources": len(sources),
            "n_matches": int(n_matches),
            "n_conflicts": sum(conflicts_by_type.values()),
            "conflicts_by_type": conflicts_by_type,
            "first_seen": row[2],
            "last_seen": row[3],
            "first_published": row[4],
            "last_published": row[5],
            "created_at": row[0],
        }

    @staticmethod
    def _folded_match_count(conn: sqlite3.Connection, story_id: str, roots: dict[str, str]) -> int:
        """A story's matches, one for each pair of sentences repeated through wire copies."""
        from factcheck.normalize import duplicate_key

        rows = conn.execute(
            "SELECT x.a_article, x.b_article, sa.text, sb.text FROM matches x "
            "JOIN story_articles m ON m.article_id = x.a_article "
            "JOIN sentences sa ON sa.id = x.a_sentence JOIN sentences sb ON sb.id = x.b_sentence "
            "WHERE m.story_id = ?",
            (story_id,),
        )
        pairs = set()
        for r in rows:
            pair = frozenset(
                {
                    (roots.get(r[0], r[0]), duplicate_key(r[2])),
                    (roots.get(r[1], r[1]), duplicate_key(r[3])),
                }
            )
            if len(pair) == 2 or r[0] == r[1]:  # not a copy matching its own original
                pairs.add(pair)
        return len(pairs)

    def story(
        self,
        story_id: str,
        *,
        limit: int | None = None,
        articles_offset: int | None = None,
        claims_offset: int | None = None,
        conflicts_offset: int | None = None,
        every_conflict: bool = False,
    ) -> dict[str, Any]:
        """One story: summary, then one page (``limit`` items) of each of its lists: articles
        (oldest first), aligned claims and conflicts (wire-copy repeats folded, each with its
        ``copies``; most severe first, then oldest); ``pages`` gives each list's total, limit,
        offset and next_offset. ``every_conflict`` adds ``every_conflict``: all its conflicts,
        copies included, oldest first, from the same snapshot (for its disagreements, which
        name every outlet that gave a value)."""
        lim = page_bounds(limit, None)[0]
        offsets = {
            "articles": page_bounds(lim, articles_offset)[1],
            "claims": page_bounds(lim, claims_offset)[1],
            "conflicts": page_bounds(lim, conflicts_offset)[1],
        }
        with self.read() as conn:
            roots = self._copy_roots(conn)
            if conn.execute("SELECT 1 FROM stories WHERE id = ?", (story_id,)).fetchone() is None:
                self._story_summary(conn, story_id, roots)  # raises NotFoundError
            groups = self._folded_conflicts(
                conn,
                "WHERE m.story_id = ?",
                [story_id],
                "c.severity_rank DESC, c.created_at, c.id",
                roots,
            )
            summary = self._story_summary(conn, story_id, roots, groups)
            off = offsets["articles"]
            rows = conn.execute(
                "SELECT a.*, m.story_id FROM story_articles m JOIN articles a "
                "ON a.id = m.article_id WHERE m.story_id = ? ORDER BY a.created_at, a.id "
                "LIMIT ? OFFSET ?",
                (story_id, lim, off),
            ).fetchall()
            articles = Page(
                [self._summary_with_counts(conn, r) for r in rows], summary["n_articles"], lim, off
            )
            claims = self._claims(conn, story_id, lim, offsets["claims"])
            off = offsets["conflicts"]
            conflicts = Page(
                self._conflict_groups(conn, [g for _, g in groups[off : off + lim]]),
                len(groups),
                lim,
                off,
            )
            every = (
                self._conflict_rows(conn, "WHERE m.story_id = ?", [story_id])
                if every_conflict
                else None
            )
        pages = {
            name: {k: v for k, v in page.to_dict().items() if k != "items"}
            for name, page in (("articles", articles), ("claims", claims), ("conflicts", conflicts))
        }
        return {
            **summary,
            "articles": articles.items,
            "claims": claims.items,
            "conflicts": conflicts.items,
            "pages": pages,
            **({} if every is None else {"every_conflict": every}),
        }

    @staticmethod
    def _claims(conn: sqlite3.Connection, story_id: str, limit: int, offset: int) -> Page:
        """Aligned claims: groups of sentences linked by matches (connected components), in
        order of their first sentence; only the page asked for is read in full."""
        edges = conn.execute(
            "SELECT x.a_sentence, x.b_sentence, x.relation, x.score FROM matches x "
            "JOIN story_articles m ON m.article_id = x.a_article WHERE m.story_id = ? "
            "ORDER BY x.id",
            (story_id,),
        ).fetchall()
        parent: dict[int, int] = {}

        def find(x: int) -> int:
            parent.setdefault(x, x)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for a, b, _, _ in edges:
            ra, rb = find(int(a)), find(int(b))
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        groups: dict[int, list[int]] = {}
        for sid in sorted(parent):
            groups.setdefault(find(sid), []).append(sid)
        conflicted = {
            int(r[0])
            for r in conn.execute(
                "SELECT a_sentence FROM conflicts c JOIN story_articles m "
                "ON m.article_id = c.a_article WHERE m.story_id = ? "
                "UNION SELECT b_sentence FROM conflicts c JOIN story_articles m "
                "ON m.article_id = c.a_article WHERE m.story_id = ?",
                (story_id, story_id),
            )
        }
        claims = []
        every = list(groups.values())
        for members in every[offset : offset + limit]:
            rows = conn.execute(
                f"SELECT s.id, s.article_id, s.idx, s.text, a.source FROM sentences s "
                f"JOIN articles a ON a.id = s.article_id WHERE s.id IN "
                f"({','.join('?' * len(members))}) ORDER BY a.created_at, s.idx",
                members,
            ).fetchall()
            claims.append(
                {
                    "sentences": [
                        {"article_id": r[1], "index": int(r[2]), "text": r[3], "source": r[4]}
                        for r in rows
                    ],
                    "sources": sorted({str(r[4]) for r in rows}),
                    "conflicted": any(int(r[0]) in conflicted for r in rows),
                }
            )
        return Page(claims, len(every), limit, offset)


def _article_summary(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "source": row["source"],
        "title": row["title"],
        "url": row["url"],
        "published": row["published"],
        "origin": row["origin"],
        "created_at": row["created_at"],
        "story_id": row["story_id"],
    }


def _copy_ref(conflict: dict[str, Any]) -> dict[str, Any]:
    """A conflict repeated through a wire copy, as listed under the one shown."""

    def side(key: str) -> dict[str, Any]:
        s = conflict.get(key) or {}
        return {k: s.get(k) for k in ("article_id", "source", "index")}

    return {
        "id": conflict.get("id"),
        "type": conflict.get("type"),
        "severity": conflict.get("severity"),
        "a": side("a"),
        "b": side("b"),
        "a_article": conflict.get("a_article"),
        "b_article": conflict.get("b_article"),
    }


def _row_record(row: sqlite3.Row) -> dict[str, Any]:
    """A stored report-schema record plus when it was stored."""
    record = json.loads(row["record"])
    out = dict(record) if isinstance(record, dict) else {"record": record}
    out["created_at"] = row["created_at"]
    return out


def _vectors(blobs: Sequence[bytes], dtype: np.dtype[Any]) -> np.ndarray:
    if not blobs:
        return np.zeros((0, 0), dtype=np.float32)
    return np.stack([np.frombuffer(b, dtype=dtype) for b in blobs]).astype(np.float32)


def stored_precision(vectors: np.ndarray, dtype: np.dtype[Any]) -> np.ndarray:
    """``vectors`` as they read back from a store of ``dtype`` (float32 out)."""
    return np.asarray(vectors, dtype=np.float32).astype(dtype).astype(np.float32)


def _chunks(items: Sequence[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(items), size):
        yield list(items[start : start + size])


def _removed_reasons(row: sqlite3.Row) -> list[dict[str, str]]:
    """Each paragraph cleaning removed, with the rule that removed it (from the stored
    analysis; stores written before rules were kept say "unrecorded")."""
    removed = json.loads(row["removed"])
    try:
        reasons = json.loads(row["analysed"]).get("article", {}).get("removal_reasons") or []
    except (ValueError, AttributeError):
        reasons = []
    return [
        {"reason": str(reasons[i]) if i < len(reasons) else "unrecorded", "text": str(text)}
        for i, text in enumerate(removed)
    ]
