"""benchmarks/load.py: concurrent writers, ``kill -9`` of the real server mid-burst, restart.

The article generator is checked without a server; the crash run itself loads the real models
(``slow``): no acknowledged article may be lost, none stored partially, SQLite stays intact and
the rebuilt index holds exactly the stored vectors.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import load  # noqa: E402


def test_invented_articles_form_stories_with_other_figures_and_wire_copies() -> None:
    records = load.invented_articles(60)
    assert len(records) == 60
    keys = {(r["source"], r["text"]) for r in records}
    assert len(keys) == 60  # every POST is a new article
    texts = [r["text"] for r in records]
    reprints = [r for r in records if r["source"] in load.REPRINTERS]
    assert reprints and all(texts.count(r["text"]) >= 2 for r in reprints)
    firsts = {t.split("\n\n")[0] for t in texts}
    assert len(firsts) > len(load.EVENTS)  # figures differ between outlets of one event
    assert load.invented_articles(60) == records  # deterministic


@pytest.mark.slow
def test_kill_9_mid_burst_loses_no_acknowledged_article(tmp_path: Path) -> None:
    result = load.run(
        writers=4,
        per_writer=15,
        kill_at=0.5,
        data_dir=tmp_path / "data",
        log=tmp_path / "server.log",
        deadline=900,
        quiet=True,
    )
    assert result.acknowledged >= 30, load.report(result)
    assert result.killed_after >= 30 and result.requests < 60, load.report(result)
    assert result.lost == 0, load.report(result)
    assert result.partial == 0, load.report(result)
    assert result.integrity == "ok", load.report(result)
    assert result.index_ok and result.health_status == "ok", load.report(result)
    assert result.stored >= result.acknowledged + 1, load.report(result)  # + the POST after
    assert result.write_after_restart == 201, load.report(result)
    assert result.ok
