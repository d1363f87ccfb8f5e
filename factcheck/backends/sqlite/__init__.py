"""The default backend: SQLite + a FAISS file in one data folder (``sqlite:///<dir>``).

One process owns a folder (an exclusive lock on ``<dir>/lock``): the FAISS file is a cache kept
in step by that process alone. Several workers on one database is what the PostgreSQL backend
is for.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from factcheck.backends.sqlite.db import SCHEMA_VERSION
from factcheck.backends.sqlite.repository import SqliteRepository
from factcheck.errors import StoreError

if TYPE_CHECKING:
    from factcheck.backends import BackendOptions
    from factcheck.backends.faiss.cache import FileVectors
    from factcheck.ports import ArticleRepository

DB_FILE = "factcheck.sqlite3"
LOCK_FILE = "lock"

__all__ = [
    "DB_FILE",
    "LOCK_FILE",
    "SCHEMA_VERSION",
    "LockedSqliteRepository",
    "SqliteRepository",
    "data_dir_of",
    "open_sqlite_repository",
    "open_sqlite_vectors",
]


def data_dir_of(url: str) -> Path:
    """The data folder of ``sqlite://<dir>`` (``sqlite:///abs`` or ``sqlite://relative``)."""
    scheme, _, rest = url.partition("://")
    if scheme.lower() != "sqlite" or not rest:
        raise StoreError(
            f"{url!r} is not a SQLite store URL; use sqlite:///<data dir>",
            detail={"url": url},
        )
    return Path(rest).expanduser()


class LockedSqliteRepository(SqliteRepository):
    """A ``SqliteRepository`` that holds its folder's lock until closed."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self._lock_fd: int | None = lock_dir(data_dir)
        try:
            super().__init__(data_dir / DB_FILE)
        except BaseException:
            self._release()
            raise

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()

    def _release(self) -> None:
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor drops the flock
            self._lock_fd = None


def open_sqlite_repository(url: str, options: BackendOptions) -> LockedSqliteRepository:
    """The repository of ``sqlite://<dir>``: ``<dir>/factcheck.sqlite3``, the folder locked."""
    return LockedSqliteRepository(data_dir_of(url))


def open_sqlite_vectors(
    url: str, repository: ArticleRepository, options: BackendOptions
) -> FileVectors:
    """FAISS over the stored vectors, cached in ``<dir>/index.faiss``."""
    from factcheck.backends.faiss.cache import FileVectors

    return FileVectors(
        data_dir_of(url),
        repository,
        dim=options.dim,
        embedder=options.embedder,
        exact_limit=options.exact_limit,
        save_every=options.save_every,
        save_interval=options.save_interval,
    )


def lock_dir(data_dir: Path) -> int | None:
    """Hold an exclusive lock on the data directory: two processes must not share an index."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(
            f"cannot use {data_dir} as the data directory ({exc.strerror}); choose a writable "
            "--data-dir (or FACTCHECK_DATA_DIR)",
            detail={"path": str(data_dir)},
        ) from exc
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks, carry on without
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise StoreError(
            f"{data_dir} is in use by another factcheck process; stop it first or give this one "
            "its own --data-dir",
            detail={"path": str(data_dir)},
        ) from None
    return fd
