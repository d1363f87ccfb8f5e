"""The Ray Data engine gives what the in-process engine gives: the same store (articles,
duplicates, stories, conflicts) and the same compare report, on a real local Ray runtime."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_batch import snapshot, write_corpus

from factcheck import batch
from factcheck.cli_ingest import load_corpus

ray = pytest.importorskip("ray")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def ray_runtime() -> Iterator[None]:
    """One small local Ray runtime for the module (2 CPUs, no dashboard), stopped after."""
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, configure_logging=False)
    try:
        yield
    finally:
        ray.shutdown()


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    corpus = write_corpus(tmp_path_factory.mktemp("corpus") / "news")
    return load_corpus(str(corpus), keep_going=False, say=print)[0]


def test_ray_stores_what_local_stores(
    ray_runtime: None, tmp_path: Path, real_pipeline: Any, articles: list[Any]
) -> None:
    from factcheck.workspace import Workspace

    window = batch.parse_window("1d")
    with Workspace(tmp_path / "local", real_pipeline) as ws:
        local = batch.ingest(ws, articles, batch.LocalEngine(), window)
        expected = snapshot(ws)
    engine = batch.open_engine("ray")
    assert engine.name == "ray"
    lines: list[str] = []
    with Workspace(tmp_path / "ray", real_pipeline) as ws:
        on_ray = batch.ingest(ws, articles, engine, window, say=lines.append)
        got = snapshot(ws)
    engine.close()
    assert ray.is_initialized()  # a runtime the caller started is the caller's to stop
    assert got == expected
    assert len(expected["conflicts"]) >= 5 and expected["duplicates"]
    same = ("articles", "stored", "duplicates", "conflicts", "stories", "blocks")
    assert [getattr(on_ray, k) for k in same] == [getattr(local, k) for k in same]
    assert "analysed 10/10 on ray" in lines


def test_ray_compare_gives_the_local_report(
    ray_runtime: None, real_pipeline: Any, articles: list[Any]
) -> None:
    from factcheck.report import report_to_dict

    window = batch.parse_window("none")
    local = batch.compare(real_pipeline, articles, batch.LocalEngine(), window)
    on_ray = batch.compare(real_pipeline, articles, batch.open_engine("ray"), window)
    assert report_to_dict(on_ray) == report_to_dict(local)
    assert {c.type for c in local.conflicts} >= {"number", "update"}


def test_a_failing_worker_is_a_worker_error(ray_runtime: None, articles: list[Any]) -> None:
    """An actor that cannot start (here: a config it cannot read) ends the run with a
    WorkerError that says what to check, not a Ray traceback."""
    from factcheck.errors import WorkerError

    class Broken:
        config = "not a config"

    with pytest.raises(WorkerError) as err:
        list(batch.open_engine("ray").analyse(Broken(), articles[:1], [[0]]))  # type: ignore[arg-type]
    assert re.fullmatch(
        r"the analysis failed on a Ray worker \(ActorDiedError: AttributeError: 'str' object "
        r"has no attribute '\w+'\); the articles stored before it are stored whole, a rerun "
        r"resumes\. Check that every Ray worker has factcheck and its models installed "
        r"\(`factcheck doctor` on a worker\), or rerun with --engine local to see which "
        r"article fails",
        err.value.message,
    )


def test_cli_ingest_on_ray(
    ray_runtime: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`factcheck ingest --engine ray` end to end (the runtime this module started is joined and
    left running); a second run on the local engine finds everything stored."""
    import json

    from click.testing import CliRunner

    from factcheck.cli import cli

    monkeypatch.chdir(tmp_path)
    write_corpus(tmp_path / "news")
    args = ["ingest", "news", "--store", "desk", "--format", "json"]
    res = CliRunner().invoke(cli, [*args, "--engine", "ray"])
    assert res.exit_code == 0, res.output
    assert "analysed 10/10 on ray" in res.stderr
    first = json.loads(res.stdout)
    assert [first[k] for k in ("engine", "stored", "stories", "blocks")] == ["ray", 10, 5, 5]
    again = CliRunner().invoke(cli, [*args, "--engine", "local", "--no-progress"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout)["already_stored"] == 10
    assert ray.is_initialized()
