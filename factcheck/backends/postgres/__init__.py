"""PostgreSQL + pgvector backend (``postgresql://user@host:port/db``): one database, many workers.

Install with ``pip install 'factcheck[postgres]'``; the server needs the pgvector extension
(0.7+, for ``halfvec``), created by the first factcheck run when it may (superuser) or once by an
admin (``CREATE EXTENSION vector``). Importing this module registers the ``postgresql`` and
``postgres`` schemes with ``factcheck.backends.open_backend``.

Options (``BackendOptions.extra``): ``pool_size`` (connections per process, default 8),
``pool_timeout`` (seconds to wait for one, default 30; then HTTP 503) and ``ef_search`` (HNSW
candidates per query; default ``vectors.auto_ef_search`` of the store size).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from factcheck.backends import register
from factcheck.backends.postgres.pool import (
    DEFAULT_POOL_SIZE,
    DEFAULT_POOL_TIMEOUT,
    connect,
    open_pool,
    redacted,
)
from factcheck.backends.postgres.repository import PostgresRepository
from factcheck.backends.postgres.schema import SCHEMA_VERSION, migrate
from factcheck.backends.postgres.vectors import PgVectorSearch
from factcheck.errors import StoreError

if TYPE_CHECKING:
    from factcheck.backends import BackendOptions
    from factcheck.ports import ArticleRepository

__all__ = [
    "SCHEMA_VERSION",
    "PgVectorSearch",
    "PostgresRepository",
    "open_postgres_repository",
    "open_postgres_vectors",
    "psycopg_url",
]


def psycopg_url(url: str) -> str:
    """The URL psycopg understands: ``postgres://`` and ``postgresql+psycopg://`` normalised."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower().split("+", 1)[0] not in ("postgresql", "postgres"):
        raise StoreError(
            f"{redacted(url)} is not a PostgreSQL URL; use postgresql://user@host:port/database",
            detail={"url": redacted(url)},
        )
    return "postgresql://" + rest


def open_postgres_repository(url: str, options: BackendOptions) -> PostgresRepository:
    """Migrate the database to this version's schema, then open a pool over it."""
    target = psycopg_url(url)
    with connect(target) as conn:
        try:
            migrate(conn, options.dim, redacted(url))
        except StoreError:
            raise
        except Exception as exc:  # e.g. the vector extension is missing or may not be created
            raise StoreError(
                f"cannot prepare the factcheck schema in {redacted(url)} ({str(exc).strip()}); "
                "the server needs pgvector 0.7+ and, once, CREATE EXTENSION vector by a "
                "superuser; the user needs CREATE rights in the database",
                detail={"url": redacted(url)},
            ) from exc
    size = int(options.extra.get("pool_size", DEFAULT_POOL_SIZE))
    timeout = float(options.extra.get("pool_timeout", DEFAULT_POOL_TIMEOUT))
    return PostgresRepository(url, open_pool(target, max_size=size, timeout=timeout))


def open_postgres_vectors(
    url: str, repository: ArticleRepository, options: BackendOptions
) -> PgVectorSearch:
    """pgvector search over the repository's ``views`` table (shared by every worker)."""
    if not isinstance(repository, PostgresRepository):
        raise StoreError("the pgvector search needs the PostgreSQL repository of the same URL")
    ef: Any = options.extra.get("ef_search")
    return PgVectorSearch(
        repository.pool, options.dim, table="views", ef_search=None if ef is None else int(ef)
    )


register("postgresql", open_postgres_repository, open_postgres_vectors)
register("postgres", open_postgres_repository, open_postgres_vectors)
