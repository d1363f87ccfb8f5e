"""``factcheck ingest`` and batch compare on the real models, SQLite and FAISS: window blocks,
idempotent re-runs, exact error text, nothing half-stored.

The corpus is invented: the three fixture articles (Feb 14), variants of them on Feb 15, an
invented flood told on Feb 16 and Feb 17, and an undated invented bridge story.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from texts import FLOOD_FIRST, FLOOD_NEXT, STORY_PAPER, STORY_WIRE

from factcheck import batch
from factcheck.batch.store_write import stored_summaries
from factcheck.cli import cli
from factcheck.cli_ingest import load_corpus

FIXTURES = Path(__file__).parent / "fixtures" / "articles"
pytestmark = pytest.mark.slow


def corpus_records() -> list[dict[str, Any]]:
    """The generated part of the corpus (JSON Lines records)."""
    wire = json.loads((FIXTURES / "coastal-wire.json").read_text(encoding="utf-8"))
    courier = wire["text"].replace("$55 million", "$62 million").replace("1,180", "1,400")
    return [
        {"source": "Bay Courier", "published": "2025-02-15", "text": courier},
        {"source": "North Ledger", "published": "2025-02-15", "text": wire["text"]},
        {"source": "valley-post", "published": "2025-02-16", "text": FLOOD_FIRST},
        {"source": "river-herald", "published": "2025-02-17", "text": FLOOD_NEXT},
        {"source": "coast-wire", "text": STORY_WIRE},
        {"source": "harbor-daily", "text": STORY_PAPER},
        {"source": "regional-news", "text": STORY_WIRE},
    ]


def write_corpus(folder: Path) -> Path:
    """The test corpus as a folder: the fixture files plus one JSON Lines file (10 articles)."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in FIXTURES.iterdir():
        shutil.copy(f, folder / f.name)
    lines = [json.dumps(r) for r in corpus_records()]
    (folder / "variants.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def snapshot(ws: Any) -> dict[str, Any]:
    """What a store holds, independent of insertion times and story ids."""
    summaries = list(stored_summaries(ws))
    stories: dict[str, list[str]] = {}
    for s in summaries:
        stories.setdefault(s["story_id"] or s["id"], []).append(s["id"])
    conflicts = set()
    offset: int | None = 0
    while offset is not None:
        page = ws.conflicts(limit=500, offset=offset)
        for c in page.items:
            for x in [c, *c.get("copies", [])]:
                a, b = x["a"], x["b"]
                conflicts.add((x["type"], x["severity"], a["article_id"], a["index"],
                               b["article_id"], b["index"]))  # fmt: skip
        offset = page.next_offset
    duplicates = {
        (d["article_id"], d["duplicate_of"])
        for s in summaries
        for d in ws.get(s["id"])["duplicates"]
    }
    return {
        "counts": ws.health()["counts"],  # rows of every kind, folded or not
        "articles": sorted(s["id"] for s in summaries),
        "stories": sorted(sorted(v) for v in stories.values()),
        "conflicts": sorted(conflicts),
        "duplicates": sorted(duplicates),
    }


def story_of(ws: Any) -> dict[str, str]:
    """Source -> story id, for the corpus where each source appears once."""
    return {s["source"]: s["story_id"] for s in stored_summaries(ws)}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus") / "news")


@pytest.fixture(scope="module")
def articles(corpus: Path) -> list[Any]:
    loaded, skipped = load_corpus(str(corpus), keep_going=False, say=print)
    assert skipped == [] and len(loaded) == 10
    return loaded


@pytest.fixture(scope="module")
def ingested(
    tmp_path_factory: pytest.TempPathFactory, real_pipeline: Any, articles: list[Any]
) -> Iterator[tuple[Any, batch.IngestSummary]]:
    """The corpus ingested once with 1-day windows, on the local engine."""
    from factcheck.workspace import Workspace

    with Workspace(tmp_path_factory.mktemp("store"), real_pipeline) as ws:
        yield ws, batch.ingest(ws, articles, batch.LocalEngine(), batch.parse_window("1d"))


def test_one_day_windows_keep_days_apart(ingested: tuple[Any, batch.IngestSummary]) -> None:
    ws, summary = ingested
    assert (summary.articles, summary.stored, summary.already, summary.blocks) == (10, 10, 0, 5)
    story = story_of(ws)
    # Feb 14: the three fixture articles are one story; Feb 15's variants are another
    assert story["Coastal Wire"] == story["harbor-herald"] == story["The Daily Post"]
    assert story["Bay Courier"] == story["North Ledger"] != story["Coastal Wire"]
    # the flood told on two days: two windows, two stories, no `update` between them
    assert story["valley-post"] != story["river-herald"]
    types = {c["type"] for c in ws.conflicts(limit=500).items}
    assert "update" not in types
    # undated articles are compared among themselves: 14 vs 19 injured is found
    assert story["coast-wire"] == story["harbor-daily"] == story["regional-news"]
    stored = snapshot(ws)
    ids = {s["source"]: s["id"] for s in stored_summaries(ws)}
    assert any(c[0] == "number" and {c[2], c[4]} == {ids["coast-wire"], ids["harbor-daily"]}
               for c in stored["conflicts"])  # fmt: skip
    days = {s["id"]: s["published"] for s in stored_summaries(ws)}
    assert all(days[c[2]] == days[c[4]] for c in stored["conflicts"])  # never across windows
    assert summary.stories == 5  # Feb 14, Feb 15, the flood's two days, the undated bridge
    assert summary.conflicts == ws.health()["counts"]["conflicts"] >= len(stored["conflicts"])


def test_without_windows_the_days_meet(
    tmp_path: Path, real_pipeline: Any, articles: list[Any]
) -> None:
    from factcheck.workspace import Workspace

    flood = [a for a in articles if a.source in ("valley-post", "river-herald")]
    with Workspace(tmp_path, real_pipeline) as ws:
        summary = batch.ingest(ws, flood, batch.LocalEngine(), batch.parse_window("none"))
        story = story_of(ws)
        assert summary.blocks == 1
        assert story["valley-post"] == story["river-herald"]
        assert [c["type"] for c in ws.conflicts().items] == ["update"]


def test_a_rerun_adds_nothing(ingested: tuple[Any, batch.IngestSummary], articles: Any) -> None:
    ws, _ = ingested
    before = snapshot(ws)
    again = batch.ingest(ws, articles, batch.LocalEngine(), batch.parse_window("1d"))
    assert (again.stored, again.already, again.conflicts, again.duplicates) == (0, 10, 0, 0)
    assert snapshot(ws) == before


def test_batch_compare_by_window_is_the_join_of_per_window_compares(
    real_pipeline: Any, articles: list[Any]
) -> None:
    from factcheck.report import report_to_dict

    fixtures = [a for a in articles if a.published and a.published.day in (14, 15)]
    report = batch.compare(real_pipeline, fixtures, batch.LocalEngine(), batch.parse_window("1d"))
    day14 = [a for a in fixtures if a.published.day == 14]
    day15 = [a for a in fixtures if a.published.day == 15]
    joined = batch.join_reports(
        [real_pipeline.compare(day14), real_pipeline.compare(day15)], [a.id for a in fixtures]
    )
    assert report_to_dict(report) == report_to_dict(joined)
    assert {c.type for c in report.conflicts} >= {"number", "date", "negation"}
    first = {a.id for a in day14}
    assert all((c.match.a.article_id in first) == (c.match.b.article_id in first)
               for c in report.conflicts)  # fmt: skip


# --- the command line -----------------------------------------------------------------------


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # error messages name the paths as the user typed them
    monkeypatch.delenv("FACTCHECK_STORE_URL", raising=False)
    monkeypatch.delenv("FACTCHECK_DATA_DIR", raising=False)
    return CliRunner()


def test_cli_missing_corpus(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(cli, ["ingest", "nope/", "--engine", "local"])
    assert res.exit_code == 1
    assert res.output == (
        "Error: nope/: no such file or directory; give a folder of article files or one "
        f".jsonl file (relative paths start from {tmp_path})\n"
    )
    assert not Path("factcheck-data").exists()


def _bad_corpus() -> None:
    Path("news").mkdir()
    (Path("news") / "a.txt").write_text(STORY_WIRE, encoding="utf-8")
    (Path("news") / "b.txt").write_bytes("Le conseil a vot\xe9 le budget mardi.".encode("latin-1"))
    record = {"source": "harbor-daily", "text": STORY_PAPER}
    (Path("news") / "c.json").write_text(json.dumps(record), encoding="utf-8")


def test_cli_bad_file_stops_the_run_and_stores_nothing(runner: CliRunner) -> None:
    _bad_corpus()
    res = runner.invoke(cli, ["ingest", "news", "--store", "sqlite://desk", "--engine", "local"])
    assert res.exit_code == 1
    assert res.output == (
        "Error: news/b.txt: is not UTF-8 text (byte 0xe9 at byte offset 16). Convert it to UTF-8 "
        "and retry, e.g. `iconv -f latin1 -t utf-8 news/b.txt > b.utf8.txt` (use the "
        "file's real encoding instead of latin1 if you know it) (nothing was stored; fix or "
        "remove news/b.txt, or pass --keep-going to skip files that cannot be read)\n"
    )
    assert not Path("desk").exists()  # the store is not even opened


def test_cli_keep_going_skips_the_bad_file(runner: CliRunner) -> None:
    _bad_corpus()
    args = ["ingest", "news", "--store", "sqlite://desk", "--keep-going", "--format", "json"]
    res = runner.invoke(cli, [*args, "--no-progress"])
    assert res.exit_code == 0, res.output
    assert res.stderr.startswith("Skipped: news/b.txt: is not UTF-8 text (byte 0xe9")
    out = json.loads(res.stdout)
    assert {k: out[k] for k in ("articles", "stored", "already_stored", "stories", "blocks")} == {
        "articles": 2,
        "stored": 2,
        "already_stored": 0,
        "stories": 1,
        "blocks": 1,
    }
    assert out["conflicts"] >= 1 and out["skipped_files"] == ["news/b.txt"]
    again = runner.invoke(cli, [*args[:-2], "--format", "csv", "--no-progress"])
    assert again.exit_code == 0, again.output
    header, row = again.stdout.splitlines()
    assert header.split(",")[:4] == ["articles", "stored", "already_stored", "duplicates"]
    assert row.split(",")[:5] == ["2", "0", "2", "0", "0"]


def test_cli_bad_window_and_store(runner: CliRunner) -> None:
    _bad_corpus()
    res = runner.invoke(cli, ["ingest", "news", "--window", "12h"])
    assert res.exit_code == 1
    assert res.output.startswith("Error: --window '12h' is not a window; give a number of days")
    res = runner.invoke(cli, ["ingest", "news", "--store", "redis://x"])
    assert res.exit_code == 1
    assert res.output.startswith("Error: unknown store URL scheme 'redis' in redis://x; use one of")


def test_cli_ingest_has_help(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["ingest", "--help"])
    assert res.exit_code == 0
    for option in ("--store", "--engine", "--address", "--window", "--keep-going", "--format"):
        assert option in res.output


def test_cli_compare_with_windows(runner: CliRunner, flood_records: dict[str, Any]) -> None:
    """The flood told on two days: one `update` without windows, none with one-day windows."""
    for role, record in flood_records.items():
        Path(f"{role}.json").write_text(json.dumps(record), encoding="utf-8")
    files = ["first.json", "next.json", "--format", "json", "--no-progress"]
    whole = runner.invoke(cli, ["compare", *files])
    daily = runner.invoke(cli, ["compare", *files, "--window", "1d", "--engine", "local"])
    assert whole.exit_code == daily.exit_code == 0, whole.output + daily.output
    whole_report, daily_report = json.loads(whole.stdout), json.loads(daily.stdout)
    assert [c["type"] for c in whole_report["conflicts"]] == ["update"]
    assert daily_report["conflicts"] == [] and len(daily_report["articles"]) == 2
    bad = runner.invoke(cli, ["compare", *files, "--window", "soon"])
    assert bad.exit_code == 1
    assert bad.output.startswith("Error: --window 'soon' is not a window;")


def test_an_interrupted_run_resumes_to_the_same_store(
    tmp_path: Path,
    real_pipeline: Any,
    articles: list[Any],
    ingested: tuple[Any, batch.IngestSummary],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Stopped at the 5th write: 4 whole articles stay; the re-run stores the rest, and the
    store ends as one uninterrupted run leaves it."""
    from factcheck.batch import runner
    from factcheck.workspace import Workspace

    real_write = runner.ingest_analysed
    calls = [0]

    def dies_at_the_fifth(*args: Any) -> Any:
        calls[0] += 1
        if calls[0] == 5:
            raise KeyboardInterrupt
        return real_write(*args)

    window = batch.parse_window("1d")
    with Workspace(tmp_path, real_pipeline) as ws:
        monkeypatch.setattr(runner, "ingest_analysed", dies_at_the_fifth)
        with pytest.raises(KeyboardInterrupt):
            batch.ingest(ws, articles, batch.LocalEngine(), window)
        assert len(snapshot(ws)["articles"]) == 4
        monkeypatch.setattr(runner, "ingest_analysed", real_write)
        resumed = batch.ingest(ws, articles, batch.LocalEngine(), window)
        assert (resumed.stored, resumed.already) == (6, 4)
        assert snapshot(ws) == snapshot(ingested[0])


def test_cli_one_jsonl_file_and_an_empty_folder(
    runner: CliRunner, flood_records: dict[str, Any]
) -> None:
    lines = [json.dumps(flood_records["first"]), json.dumps(flood_records["next"])]
    Path("day.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = runner.invoke(cli, ["ingest", "day.jsonl", "--store", "desk", "--format", "json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert [out[k] for k in ("articles", "stored", "stories", "blocks")] == [2, 2, 2, 2]
    assert "analysed 2/2 on local" in res.stderr
    Path("empty").mkdir()
    res = runner.invoke(cli, ["ingest", "empty", "--keep-going"])
    assert res.exit_code == 1
    assert res.output.startswith("Error: empty: the directory holds no article files; put files")
    assert "nothing was stored" not in res.output
