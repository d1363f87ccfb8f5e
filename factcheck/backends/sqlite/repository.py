"""The SQLite ``ArticleRepository``: one database file, the source of truth of a data folder.

Everything a workspace knows lives here (articles, sentences, the analysed record, the view
vectors, matches, conflicts, duplicates, stories), so a vector index is only a cache that can be
rebuilt from the ``views`` table. One ingest is one transaction: a crash or kill part-way leaves
no half-stored article. It speaks plain data (``factcheck.records``) and never imports the
pipeline, so it can be tested and migrated on its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.backends.sqlite.db import SCHEMA_VERSION, Database
from factcheck.backends.sqlite.listings import Listings
from factcheck.backends.sqlite.reads import ArticleReads
from factcheck.backends.sqlite.writes import SqliteTransaction


class SqliteRepository(ArticleReads, Listings):
    """The ``ArticleRepository`` of one SQLite file (``path``)."""

    def __init__(self, path: Path | str) -> None:
        self.db = Database(path)

    @property
    def path(self) -> Path:
        return self.db.path

    @property
    def vector_dtype(self) -> np.dtype[Any]:
        return self.db.vector_dtype

    def close(self) -> None:
        """Close every thread's connection (call once, when the service stops)."""
        self.db.close()

    @contextmanager
    def transaction(self) -> Iterator[SqliteTransaction]:
        """One write transaction (writers queue on ``BEGIN IMMEDIATE``)."""
        with self.db.write() as conn:
            yield SqliteTransaction(conn, self.db.vector_dtype)

    def describe(self) -> dict[str, Any]:
        return {
            "backend": "sqlite",
            "url": "sqlite://" + str(self.path.parent),
            "path": str(self.path),
            "schema_version": SCHEMA_VERSION,
            "vector_dtype": str(self.vector_dtype),
        }
