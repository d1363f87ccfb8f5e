"""Connections to PostgreSQL: one psycopg pool per process, vectors adapted by pgvector.

Connections are in autocommit mode and every unit of work opens its own ``conn.transaction()``,
so nothing stays open between requests. Each connection learns the ``halfvec`` type when the pool
opens it (the extension must exist by then: ``migrate`` or ``create_extension`` makes it).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from factcheck.errors import StoreError

DEFAULT_POOL_SIZE = 8  # per process: request threads of one worker + the analysis stages
DEFAULT_POOL_TIMEOUT = 30.0  # seconds a request waits for a connection (writers queue holding one)


def _require() -> tuple[Any, Any]:
    try:
        import psycopg
        import psycopg_pool
    except ImportError as exc:
        raise StoreError(
            f"the postgresql backend needs psycopg 3 ({exc}); install it with "
            "pip install 'factcheck[postgres]'"
        ) from exc
    return psycopg, psycopg_pool


def _configure(conn: Any) -> None:
    from pgvector.psycopg import register_vector

    register_vector(conn)


def connect(url: str) -> Any:
    """One autocommit connection (migrations, admin); raises StoreError saying what to fix."""
    psycopg, _ = _require()
    try:
        return psycopg.connect(url, autocommit=True, connect_timeout=10)
    except psycopg.OperationalError as exc:
        raise StoreError(
            f"cannot connect to PostgreSQL at {redacted(url)} ({str(exc).strip()}); check that "
            "the server runs and the URL (user, host, port, database) is right",
            detail={"url": redacted(url)},
        ) from exc


def open_pool(
    url: str,
    *,
    min_size: int = 1,
    max_size: int = DEFAULT_POOL_SIZE,
    create_extension: bool = False,
    timeout: float = DEFAULT_POOL_TIMEOUT,
) -> Any:
    """An open ``psycopg_pool.ConnectionPool`` (use it as a context manager or ``close()`` it)."""
    _psycopg, psycopg_pool = _require()
    if create_extension:
        with connect(url) as conn:
            conn.execute("CREATE EXTENSION IF NOT EXISTS vector")
    pool = psycopg_pool.ConnectionPool(
        url,
        min_size=min_size,
        max_size=max(min_size, max_size),
        kwargs={"autocommit": True, "connect_timeout": 10},
        configure=_configure,
        timeout=timeout,
        open=False,
        name="factcheck",
    )
    try:
        pool.open(wait=True, timeout=30)
    except psycopg_pool.PoolTimeout as exc:
        pool.close()
        raise StoreError(
            f"cannot open connections to PostgreSQL at {redacted(url)}; check that the server "
            "runs, accepts this many connections, and has the pgvector extension",
            detail={"url": redacted(url)},
        ) from exc
    return pool


@contextmanager
def connection(pool: Any) -> Iterator[Any]:
    """A pooled connection; losing the server (down, restarted, network) becomes a StoreError
    (HTTP 503: retry; an interrupted transaction was rolled back, nothing is half-stored)."""
    psycopg, psycopg_pool = _require()
    try:
        with pool.connection() as conn:
            yield conn
    except (psycopg.OperationalError, psycopg_pool.PoolTimeout) as exc:
        raise StoreError(
            f"PostgreSQL did not answer ({str(exc).strip() or type(exc).__name__}); check that "
            "the server runs and accepts connections, then retry: nothing was half-stored",
        ) from exc


def redacted(url: str) -> str:
    """``url`` without a password (for messages and /health)."""
    from urllib.parse import urlsplit, urlunsplit

    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))
