"""The HTTP API on PostgreSQL + pgvector answers exactly as on SQLite + FAISS.

The same requests go to an app over each backend (TestClient; FakeEmbedder, real facts and
conflict rules); every answer is compared after replacing what differs by nature (article and
story ids are the same hashes on both, but story ids are random, and times differ).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factcheck.pipeline import Pipeline
from service.app import create_app
from service.settings import Settings

_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+\+00:00")
_STORY = re.compile(r"s_[0-9a-f]{16}")


def normalised(value: Any, stories: dict[str, str]) -> Any:
    """``value`` with stored times blanked and story ids numbered in order of appearance."""
    if isinstance(value, dict):
        return {k: normalised(v, stories) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [normalised(v, stories) for v in value]
    if isinstance(value, str):
        value = _TIME.sub("<time>", value)
        return _STORY.sub(lambda m: stories.setdefault(m.group(0), f"story-{len(stories)}"), value)
    return value


def session(client: TestClient, records: dict[str, dict[str, Any]]) -> list[Any]:
    """Post the story's reports and read everything back, as a dashboard user would."""
    out: list[Any] = []
    ids = []
    for role in ("wire", "paper", "reprint", "unrelated"):
        r = client.post("/articles", json=records[role])
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
        out.append(r.json())
    again = client.post("/articles", json=records["paper"])
    out.append((again.status_code, again.json()["id"]))
    story = out[1]["story_id"]
    for path in (
        "/articles",
        "/conflicts",
        "/conflicts?sort=severity&type=number",
        "/conflicts?source=regional-news",
        "/stories",
        f"/stories/{story}",
        f"/stories/{story}?limit=1&claims_offset=1",
        f"/articles/{ids[1]}",
    ):
        r = client.get(path)
        assert r.status_code == 200, (path, r.text)
        out.append((path, r.json()))
    assert client.delete(f"/articles/{ids[1]}").status_code == 200
    out.append(client.get("/stories").json())
    health = client.get("/health").json()
    out.append((health["status"], health["counts"]))
    return out


@pytest.fixture
def apps(
    tmp_path: Path, postgres_fresh_url: str, fake_pipeline: Pipeline
) -> Iterator[dict[str, TestClient]]:
    settings = {
        "sqlite": Settings(data_dir=tmp_path / "data"),
        "postgresql": Settings(store_url=postgres_fresh_url),
    }
    clients = {
        name: TestClient(create_app(s, pipeline=fake_pipeline)) for name, s in settings.items()
    }
    for client in clients.values():
        client.__enter__()
    try:
        yield clients
    finally:
        for client in clients.values():
            client.__exit__(None, None, None)


def test_every_answer_is_the_same_on_both_backends(
    apps: dict[str, TestClient], story_records: dict[str, dict[str, Any]]
) -> None:
    answers = {name: normalised(session(c, story_records), {}) for name, c in apps.items()}
    assert answers["postgresql"] == answers["sqlite"]
    posted = answers["postgresql"][:4]
    assert posted[1]["conflicts"] and posted[1]["matches"]  # the comparison saw real work
    assert answers["postgresql"][4] == [200, posted[1]["id"]]
    assert apps["postgresql"].get("/health").json()["index"]["kind"] == "pgvector_hnsw"
