"""A batch ingest into a real PostgreSQL + pgvector store gives what it gives on SQLite + FAISS:
the same articles, duplicates, stories and conflicts; a re-run adds nothing.

The server is the tests' own (``tests/postgres_server.py``, fixture ``postgres_url``); where
that module is not in the tree the test is skipped, saying so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from test_batch import snapshot, write_corpus

from factcheck import batch
from factcheck.cli_ingest import load_corpus

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def pg_url(request: pytest.FixtureRequest) -> str:
    try:
        return str(request.getfixturevalue("postgres_url"))
    except pytest.FixtureLookupError:
        pytest.skip("no PostgreSQL test server in this tree (tests/postgres_server.py)")


def test_batch_into_postgresql_stores_what_sqlite_stores(
    pg_url: str, tmp_path: Path, real_pipeline: Any
) -> None:
    from factcheck.workspace import Workspace

    articles = load_corpus(str(write_corpus(tmp_path / "news")), keep_going=False, say=print)[0]
    window = batch.parse_window("1d")
    with Workspace(tmp_path / "sqlite", real_pipeline) as ws:
        batch.ingest(ws, articles, batch.LocalEngine(), window)
        expected = snapshot(ws)
    with Workspace(pg_url, real_pipeline) as ws:
        first = batch.ingest(ws, articles, batch.LocalEngine(), window)
        assert snapshot(ws) == expected
        again = batch.ingest(ws, articles, batch.LocalEngine(), window)
        assert (first.stored, again.stored, again.already) == (10, 0, 10)
        assert snapshot(ws) == expected
