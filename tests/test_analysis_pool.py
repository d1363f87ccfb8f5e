"""The spaCy analysis in worker processes: the same facts as in-process, a dead worker gives a
clear error and a fresh pool (never a hang), a cancelled task that has not started never runs,
and the service starts and stops its pool with its lifespan."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factcheck.analysis_pool import AnalysisPool
from factcheck.errors import CancelledError, WorkerError
from factcheck.facts import analyse_many
from factcheck.ingest import from_text
from factcheck.pipeline import Pipeline
from service.app import create_app
from service.settings import Settings

TEXT = (
    "A pedestrian bridge collapsed in Westhaven on Tuesday evening, injuring 14 people.\n\n"
    '"We had it inspected in March," Mayor Laura Finch told reporters, adding that repairs '
    "would cost $2.5 million.\n\n"
    "Emergency crews closed the coastal road for six hours while divers searched the water."
)


@pytest.fixture(scope="module")
def pool() -> Iterator[AnalysisPool]:
    with AnalysisPool(1) as p:
        p.start()
        yield p


def test_the_pool_gives_the_facts_an_in_process_analysis_gives(pool: AnalysisPool) -> None:
    articles = [from_text(TEXT, source="wire"), from_text(TEXT.upper(), source="caps")]
    in_process = [tuple(f) for f in analyse_many(articles)]
    in_pool = pool.analyse_many(articles)
    assert in_pool == in_process
    assert any(f.facts for f in in_pool[0])  # numbers, dates, people: not an empty analysis


def test_a_pipeline_with_a_pool_analyses_like_one_without(
    pool: AnalysisPool, fake_pipeline: Pipeline
) -> None:
    article = from_text(TEXT, source="wire")
    here = fake_pipeline.analyse(article)
    there = fake_pipeline.analyse(article, pool=pool)
    assert there.facts == here.facts
    assert (there.vectors == here.vectors).all()


def test_a_worker_that_dies_gives_a_clear_error_and_a_fresh_pool(pool: AnalysisPool) -> None:
    before = pool.pids()
    started = time.monotonic()
    with pytest.raises(WorkerError, match="retry the request"):
        pool.call(os._exit, 3)
    assert time.monotonic() - started < 60
    assert pool.rebuilds >= 1
    out = pool.analyse_many([from_text(TEXT, source="wire")])  # the next task runs
    assert out and out[0]
    assert pool.pids() and pool.pids() != before


def test_a_cancelled_task_that_has_not_started_is_withdrawn(pool: AnalysisPool) -> None:
    busy = threading.Thread(target=pool.call, args=(time.sleep, 1.5))
    busy.start()  # the one worker sleeps: the next task waits in the queue
    time.sleep(0.3)
    cancel = threading.Event()
    timer = threading.Timer(0.2, cancel.set)
    timer.start()
    try:
        with pytest.raises(CancelledError) as info:
            pool.analyse_many([from_text(TEXT, source="wire")], cancel)
    finally:
        busy.join(timeout=30)
        timer.cancel()
    assert info.value.detail == {"stage": "analysis", "started": False}


def test_the_service_runs_posts_through_its_pool_and_stops_it(
    tmp_path: Path, fake_pipeline: Pipeline, story_records: dict[str, dict[str, Any]]
) -> None:
    settings = Settings(data_dir=tmp_path / "data", analysis_workers=1)
    app = create_app(settings, pipeline=fake_pipeline)
    with TestClient(app) as client:
        ws = app.state.workspace
        pool = ws.analysis_pool
        assert isinstance(pool, AnalysisPool) and len(pool.pids()) == 1
        a = client.post("/articles", json=story_records["wire"])
        b = client.post("/articles", json=story_records["paper"])
        assert (a.status_code, b.status_code) == (201, 201), b.text
        assert any(c["type"] == "number" for c in b.json()["conflicts"])
        pids = pool.pids()
    for pid in pids:  # the lifespan stopped the workers
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_a_post_whose_worker_was_killed_is_answered_and_the_next_one_stored(
    tmp_path: Path, fake_pipeline: Pipeline, story_records: dict[str, dict[str, Any]]
) -> None:
    import signal

    app = create_app(Settings(data_dir=tmp_path / "d", analysis_workers=1), pipeline=fake_pipeline)
    with TestClient(app) as client:
        pool = app.state.workspace.analysis_pool
        for pid in pool.pids():
            os.kill(pid, signal.SIGKILL)
        first = client.post("/articles", json=story_records["wire"])
        assert first.status_code in (201, 503), first.text
        if first.status_code == 503:
            assert first.json()["error"]["code"] == "analysis_worker_failed"
        again = client.post("/articles", json=story_records["wire"])
        assert again.status_code in (200, 201), again.text
        assert client.get("/health").json()["counts"]["articles"] == 1


def test_the_pool_size_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FACTCHECK_ANALYSIS_WORKERS")
    assert Settings(data_dir=tmp_path).analysis_pool_size() == min(2, os.cpu_count() or 1)
    monkeypatch.setenv("FACTCHECK_ANALYSIS_WORKERS", "3")
    assert Settings(data_dir=tmp_path).analysis_pool_size() == 3
    monkeypatch.setenv("FACTCHECK_ANALYSIS_WORKERS", "0")
    assert Settings(data_dir=tmp_path).analysis_pool_size() == 0
    assert Pipeline(relation=None).analysis_pool is None  # the library parses in-process
