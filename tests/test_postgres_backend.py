"""The PostgreSQL backend on a real server: migrations, the same answers as SQLite, and writers
of several workers racing on one database (each worker here is a ``Workspace`` with its own
connection pool, as separate processes would have)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg
import pytest
from postgres_server import create_database

from factcheck.backends import BackendOptions, open_backend
from factcheck.backends.postgres.db import translate
from factcheck.backends.postgres.schema import SCHEMA_VERSION
from factcheck.errors import StoreError

if TYPE_CHECKING:
    from factcheck.pipeline import Pipeline
    from factcheck.workspace import Workspace

Records = dict[str, dict[str, Any]]
OPTIONS = BackendOptions(dim=384, embedder="fake-bag-of-words")


@pytest.fixture
def db_url(postgres_server: str) -> str:
    """A fresh database per test (these tests count rows)."""
    return create_database(postgres_server)


def test_translate_keeps_one_set_of_sql() -> None:
    assert translate("SELECT * FROM t WHERE a = ? AND b LIKE '50%?'") == (
        "SELECT * FROM t WHERE a = %s AND b LIKE '50%%?'"
    )
    assert translate("INSERT OR IGNORE INTO t(a) VALUES (?)") == (
        "INSERT INTO t(a) VALUES (%s) ON CONFLICT DO NOTHING"
    )
    assert translate("ORDER BY a.created_at DESC, a.rowid DESC") == (
        "ORDER BY a.created_at DESC, a.seq DESC"
    )
    with pytest.raises(StoreError, match="upsert"):
        translate("INSERT OR REPLACE INTO t(a) VALUES (?)")


def test_migrations_are_versioned_and_run_once(db_url: str) -> None:
    first = open_backend(db_url, OPTIONS)
    first.close()
    again = open_backend(db_url, OPTIONS)  # a second open applies nothing
    assert again.repository.describe()["schema_version"] == SCHEMA_VERSION
    assert again.vectors.describe()["kind"] == "pgvector_hnsw"
    again.close()
    with psycopg.connect(db_url) as conn:
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_version ORDER BY 1")]
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes")}
        vector_type = conn.execute(
            "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
            "WHERE attrelid = 'views'::regclass AND attname = 'vector'"
        ).fetchone()
    assert versions == list(range(1, SCHEMA_VERSION + 1))
    assert "views_vector_hnsw" in indexes and vector_type == ("halfvec(384)",)


def test_a_newer_schema_or_another_dimension_is_refused(db_url: str) -> None:
    open_backend(db_url, OPTIONS).close()
    with pytest.raises(StoreError, match="dimensional vectors"):
        open_backend(db_url, BackendOptions(dim=768, embedder="other"))
    with psycopg.connect(db_url) as conn:
        conn.execute(
            "INSERT INTO schema_version(version, description) VALUES (%s, 'from the future')",
            (SCHEMA_VERSION + 1,),
        )
    with pytest.raises(StoreError, match="upgrade factcheck"):
        open_backend(db_url, OPTIONS)


def test_a_server_that_is_not_there_says_what_to_check() -> None:
    with pytest.raises(StoreError, match="check that the server runs"):
        open_backend("postgresql://nobody@127.0.0.1:1/none", OPTIONS)


def _snapshot(ws: Workspace) -> dict[str, Any]:
    """What the API would show, without ids and times that differ between stores."""
    stories = ws.stories(limit=500).items
    return {
        "counts": ws.store.counts(),
        "stories": sorted(
            (tuple(s["sources"]), s["n_articles"], s["n_copies"], s["n_conflicts"], s["n_matches"])
            for s in stories
        ),
        "conflicts": sorted(
            (c["type"], c["severity"], c["explanation"], c["n_copies"])
            for c in ws.conflicts(limit=500).items
        ),
        "articles": sorted(
            (a["source"], a["n_sentences"], a["n_conflicts"]) for a in ws.articles().items
        ),
        "claims": sorted(
            len(ws.story(s["id"])["claims"]) for s in stories
        ),
    }


def _open(location: str | Path, pipeline: Pipeline) -> Workspace:
    from factcheck.workspace import Workspace

    return Workspace(location, pipeline)


def test_same_answers_as_sqlite(
    db_url: str, tmp_path: Path, fake_pipeline: Pipeline, story_records: Records
) -> None:
    from factcheck.ingest import from_text

    articles = [  # the wire text, a report that disagrees, a wire copy, an unrelated article
        from_text(story_records[role]["text"], source=story_records[role]["source"])
        for role in ("wire", "paper", "reprint", "unrelated")
    ]
    seen = {}
    for name, location in (("sqlite", tmp_path / "data"), ("postgresql", db_url)):
        with _open(location, fake_pipeline) as ws:
            ids = [ws.ingest(a).id for a in articles]
            assert not ws.ingest(articles[1]).created
            before = _snapshot(ws)
            ws.delete(ids[1])
            seen[name] = (before, _snapshot(ws), ws.health()["status"])
    assert seen["postgresql"] == seen["sqlite"]
    assert seen["sqlite"][0]["counts"]["conflicts"] > 0  # the comparison saw conflicts


@pytest.fixture
def two_workers(db_url: str, fake_pipeline: Pipeline) -> Iterator[list[Workspace]]:
    first = _open(db_url, fake_pipeline)  # migrates first, so the two do not race on that
    second = _open(db_url, fake_pipeline)
    try:
        yield [first, second]
    finally:
        first.close()
        second.close()


def test_concurrent_writers_store_each_text_once_in_one_story(
    two_workers: list[Workspace], story_records: Records
) -> None:
    from factcheck.ingest import from_text

    wire, paper = story_records["wire"]["text"], story_records["paper"]["text"]
    texts = {  # one story told by six outlets, three of them posting the same wire text
        f"outlet-{i}": wire if i % 2 == 0 else paper for i in range(6)
    }
    start = threading.Barrier(12)
    results: list[tuple[bool, str, str]] = []
    errors: list[BaseException] = []

    def post(ws: Workspace, source: str, text: str) -> None:
        start.wait()
        try:
            r = ws.ingest(from_text(text, source=source))
            results.append((r.created, r.id, str(r.article["story_id"])))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    # every outlet's text is posted to both workers at the same moment
    threads = [
        threading.Thread(target=post, args=(ws, source, text))
        for source, text in texts.items()
        for ws in two_workers
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    assert len(results) == 12
    created = [r for r in results if r[0]]
    assert len(created) == 6 and len({r[1] for r in results}) == 6  # once per (source, text)
    a, b = two_workers
    assert a.store.counts() == b.store.counts()
    assert a.store.counts()["articles"] == 6 and a.store.counts()["stories"] == 1
    story = a.stories().items[0]
    assert story["n_articles"] == 6 and sorted(story["sources"]) == sorted(texts)
    assert {r[2] for r in results} == {story["id"]}  # no answer named a story merged away
    assert a.health()["status"] == b.health()["status"] == "ok"


def test_a_server_that_goes_away_is_a_store_error_then_recovers(
    fake_pipeline: Pipeline, story_records: Records
) -> None:
    """Reads and writes while the server is down fail with StoreError (HTTP 503, retry), not a
    driver exception; once it is back, the same workspace works again with nothing half-stored."""
    from postgres_server import LocalPostgres

    from factcheck.ingest import from_text

    server = LocalPostgres().start()
    try:
        url = create_database(server.url())
        from factcheck.workspace import Workspace

        with Workspace(url, fake_pipeline, backend_options={"pool_timeout": 3}) as ws:
            wire = story_records["wire"]
            ws.ingest(from_text(wire["text"], source=wire["source"]))
            server._run([str(server.bins / "pg_ctl"), "-D", str(server.data), "-w", "-m",
                         "fast", "stop"])  # fmt: skip
            with pytest.raises(StoreError, match="did not answer"):
                ws.store.counts()
            paper = story_records["paper"]
            with pytest.raises(StoreError, match="did not answer"):
                ws.ingest(from_text(paper["text"], source=paper["source"]))
            server._run([str(server.bins / "pg_ctl"), "-D", str(server.data), "-w", "-o",
                         f"-h 127.0.0.1 -p {server.port} -k {server.root}", "-l",
                         str(server.root / "server.log"), "start"])  # fmt: skip
            # the pool reconnects in the background, with backoff: give it a few seconds
            deadline = time.monotonic() + 60
            while True:
                try:
                    counts = ws.store.counts()
                    break
                except StoreError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
            assert counts["articles"] == 1
            assert ws.ingest(from_text(paper["text"], source=paper["source"])).created
            assert ws.store.counts()["articles"] == 2 and ws.health()["status"] == "ok"
    finally:
        server.stop()
