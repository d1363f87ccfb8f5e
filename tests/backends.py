"""The backends the contract suite (tests/contract/) runs on, by name.

Each entry makes the URL of a fresh, empty store for one test: ``factory(request, tmp_path)``.
A backend that needs a server adds itself here when the server can be started (its fixture is
reached through ``request.getfixturevalue``), e.g.::

    BACKENDS["postgresql"] = lambda request, tmp: request.getfixturevalue("pg_fresh_url")

SQLite + FAISS needs nothing and is always listed.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from postgres_server import skipped as postgres_skipped

from factcheck.backends import sqlite_url

StoreFactory = Callable[[pytest.FixtureRequest, Path], str]


def _sqlite(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return sqlite_url(tmp_path / "data")


BACKENDS: dict[str, StoreFactory] = {"sqlite": _sqlite}

# PostgreSQL + pgvector: a fresh database per test on the session's real server
# (tests/postgres_server.py); FACTCHECK_TEST_POSTGRES=0 leaves it out on purpose.
if not postgres_skipped():
    BACKENDS["postgresql"] = lambda request, tmp: request.getfixturevalue("postgres_fresh_url")
