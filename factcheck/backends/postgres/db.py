"""Transactions and the SQL dialect of the PostgreSQL backend.

The repository's queries are the SQLite backend's (one set of SQL, one behaviour): ``Compat``
runs them on a psycopg connection, turning ``?`` into ``%s`` and the few SQLite-only forms into
their PostgreSQL equivalents, and returns rows that index by position and by column name like
``sqlite3.Row``. Results are fetched whole, so a pooled connection goes back to the pool as soon
as a statement outside a transaction has run.

Concurrency across workers: every write transaction first takes one advisory lock
(``WRITE_LOCK``), so writes queue across all processes as they do on SQLite's ``BEGIN
IMMEDIATE``; the story rules read then write under it and never race, and an article posted to
two workers at once is stored once (the second sees it under the lock; ``articles.id`` is the
primary key besides). Reads run in ``REPEATABLE READ READ ONLY`` snapshots and never wait.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from factcheck.backends.postgres.pool import connection
from factcheck.errors import StoreError

WRITE_LOCK = 0x46430002  # advisory lock key of the write transaction ("FC" + 2)
_INSERT_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO\s", re.IGNORECASE)


@functools.lru_cache(maxsize=512)
def translate(sql: str) -> str:
    """SQLite SQL of this package -> PostgreSQL (placeholders, INSERT OR IGNORE, rowid)."""
    out: list[str] = []
    quoted = False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
            out.append(ch)
        elif ch == "?" and not quoted:
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    text = "".join(out)
    if _INSERT_OR_IGNORE.match(text):
        text = _INSERT_OR_IGNORE.sub("INSERT INTO ", text, count=1) + " ON CONFLICT DO NOTHING"
    if re.search(r"\bINSERT\s+OR\s+REPLACE\b", text, re.IGNORECASE):
        raise StoreError("INSERT OR REPLACE has no PostgreSQL form here; write an upsert")
    return re.sub(r"\b(\w+)\.rowid\b", r"\1.seq", text)


class Row(tuple):
    """A result row: ``row[0]`` and ``row["name"]`` (as ``sqlite3.Row``)."""

    names: dict[str, int]

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        return list(self.names)


class Result:
    """The rows of one statement, fetched whole (``fetchone``, ``fetchall``, iteration)."""

    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None = None) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    def fetchone(self) -> Row | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    def fetchall(self) -> list[Row]:
        rest = self._rows[self._next :]
        self._next = len(self._rows)
        return rest

    def __iter__(self) -> Iterator[Row]:
        return iter(self.fetchall())


def _run(conn: Any, sql: str, params: Sequence[Any] | None) -> Result:
    cur = conn.execute(translate(sql), None if params is None else list(params))
    if cur.description is None:
        return Result([], cur.rowcount)
    row_type = _row_type(tuple(d.name for d in cur.description))
    return Result([row_type(r) for r in cur.fetchall()], cur.rowcount)


@functools.lru_cache(maxsize=256)
def _row_type(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"names": {n: i for i, n in enumerate(names)}})


class Compat:
    """SQLite-style ``execute`` / ``executemany`` over one psycopg connection."""

    def __init__(self, conn: Any) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Result:
        return _run(self.raw, sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(translate(sql), rows)

    @property
    def in_transaction(self) -> bool:
        return True


class PoolCompat:
    """Statements outside a transaction: each borrows a pooled connection for its run."""

    def __init__(self, pool: Any) -> None:
        self.pool = pool

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> Result:
        with connection(self.pool) as conn:
            return _run(conn, sql, params)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        with connection(self.pool) as conn, conn.transaction():
            Compat(conn).executemany(sql, rows)

    @property
    def in_transaction(self) -> bool:
        return False


class Database:
    """The pool of one PostgreSQL database and its transactions (the SQLite ``Database``'s API)."""

    vector_dtype: np.dtype[Any] = np.dtype("float16")  # halfvec

    def __init__(self, pool: Any) -> None:
        self.pool = pool
        self._local = threading.local()

    def conn(self) -> Compat | PoolCompat:
        """This thread's transaction if it is in one, else a pooled connection per statement."""
        current: Compat | None = getattr(self._local, "tx", None)
        return current if current is not None else PoolCompat(self.pool)

    @contextmanager
    def _transaction(self, begin: str, lock: bool) -> Iterator[Compat]:
        with connection(self.pool) as raw:
            raw.execute(begin)
            tx = Compat(raw)
            self._local.tx = tx
            try:
                if lock:
                    raw.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
                yield tx
                if lock:
                    raw.execute(
                        "INSERT INTO meta(key, value) VALUES ('generation', '1') "
                        "ON CONFLICT(key) DO UPDATE SET "
                        "value = (CAST(meta.value AS BIGINT) + 1)::text"
                    )
            except BaseException:
                self._local.tx = None
                raw.execute("ROLLBACK")
                raise
            self._local.tx = None
            raw.execute("COMMIT")

    @contextmanager
    def write(self) -> Iterator[Compat]:
        """One write transaction, queued behind every other writer of every worker."""
        if getattr(self._local, "tx", None) is not None:
            raise StoreError("a write transaction cannot start inside another transaction")
        with self._transaction("BEGIN ISOLATION LEVEL READ COMMITTED", lock=True) as tx:
            yield tx

    @contextmanager
    def read(self) -> Iterator[Compat]:
        """A read snapshot, so a multi-query answer never mixes two states of the store."""
        current: Compat | None = getattr(self._local, "tx", None)
        if current is not None:  # nested read inside a read or write: reuse it
            yield current
            return
        with self._transaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", lock=False) as tx:
            yield tx

    def close(self) -> None:
        self.pool.close()
