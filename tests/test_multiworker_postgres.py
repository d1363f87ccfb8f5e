"""Two real ``python -m service`` workers (real models) on ONE PostgreSQL database, end to end.

Clients post concurrently to both workers: distinct articles, the same text to both at once,
and two reports of one story that disagree on a number, each to a different worker. Afterwards
the store holds every article exactly once, the two reports share a story and a conflict, and
both workers answer every read the same way (the vectors are shared through pgvector, so a worker
finds what the other stored).
"""

from __future__ import annotations

import itertools
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT = 300.0  # two workers load spaCy, the embedder and the relation model at once

_TOWNS = ["Alderbury", "Brackenford", "Cresthollow", "Dunmere", "Elmsworth", "Fenwick"]
_EVENTS = [
    ("opened a new public library", "The building holds {n} thousand books on three floors."),
    ("approved a budget for road repairs", "The council set aside {n} million for the work."),
    ("held its annual harvest fair", "Organisers counted {n} thousand visitors over the weekend."),
]


def invented_article(i: int) -> str:
    """A short invented local-news article, different for every ``i``."""
    town = _TOWNS[i % len(_TOWNS)]
    what, detail = _EVENTS[i % len(_EVENTS)]
    return (
        f"The town of {town} {what} on day {i} of the season, officials said.\n\n"
        f"{detail.format(n=10 + 3 * i)}\n\n"
        f"Residents of {town} had waited {i + 2} years for the decision, the mayor's office said."
    )


class Worker:
    """``python -m service`` on 127.0.0.1:port over a PostgreSQL store URL."""

    def __init__(self, port: int, store: str, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.port, self.store, self.log_path = port, store, log
        self.proc: subprocess.Popen[bytes] | None = None

    def launch(self) -> None:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        for name in ("FACTCHECK_API_KEY", "FACTCHECK_READ_KEY", "FACTCHECK_DATA_DIR"):
            env.pop(name, None)
        env["FACTCHECK_ANALYSIS_WORKERS"] = "0"  # two servers on two cores: parse in-process
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "service", "--host", "127.0.0.1", "--port",
                 str(self.port), "--store", self.store],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip

    def wait_ready(self, deadline: float) -> None:
        assert self.proc is not None
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"worker {self.port} exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        pytest.fail(f"worker {self.port} did not answer within {STARTUP_TIMEOUT}s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def get(self, path: str) -> Any:
        response = httpx.get(f"{self.url}{path}", timeout=60)
        assert response.status_code == 200, response.text
        return response.json()

    def post(self, record: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        response = httpx.post(f"{self.url}/articles", json=record, timeout=300)
        return response.status_code, response.json()


def free_ports(n: int) -> list[int]:
    """``n`` distinct TCP ports on 127.0.0.1 that were free a moment ago."""
    socks = [socket.socket(socket.AF_INET, socket.SOCK_STREAM) for _ in range(n)]
    try:
        for sock in socks:
            sock.bind(("127.0.0.1", 0))
        return [int(sock.getsockname()[1]) for sock in socks]
    finally:
        for sock in socks:
            sock.close()


@pytest.fixture
def workers(postgres_url: str, tmp_path: Path) -> Iterator[list[Worker]]:
    ports = free_ports(2)
    started = [Worker(p, postgres_url, tmp_path / f"worker-{p}.log") for p in ports]
    try:
        for w in started:
            w.launch()
        deadline = time.monotonic() + STARTUP_TIMEOUT
        for w in started:
            w.wait_ready(deadline)
        yield started
    finally:
        for w in started:
            w.stop()


@pytest.mark.slow
def test_two_workers_on_one_database_lose_and_duplicate_nothing(
    workers: list[Worker], story_records: dict[str, dict[str, Any]], postgres_url: str
) -> None:
    distinct = [
        {"source": f"outlet-{i % 3}", "title": f"Local {i}", "text": invented_article(i)}
        for i in range(8)
    ]
    same = {"source": "echo-daily", "title": "Posted twice", "text": invented_article(99)}
    jobs: list[tuple[Worker, dict[str, Any]]] = [
        (w, r) for w, r in zip(itertools.cycle(workers), distinct, strict=False)
    ]
    jobs += [(workers[0], same), (workers[1], same), (workers[0], same), (workers[1], same)]
    jobs += [(workers[0], story_records["wire"]), (workers[1], story_records["paper"])]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda job: job[0].post(job[1]), jobs))

    for status, body in results:
        assert status in (200, 201), body
    same_results = results[len(distinct) : len(distinct) + 4]
    assert sorted(s for s, _ in same_results) == [200, 200, 200, 201]  # stored once
    assert len({b["id"] for _, b in same_results}) == 1
    ids = {b["id"] for _, b in results}
    assert len(ids) == len(distinct) + 3

    a, b = workers
    listing = a.get("/articles?limit=500")
    assert listing["total"] == len(ids)  # nothing lost, nothing twice
    assert sorted(x["id"] for x in listing["items"]) == sorted(ids)
    for path in ("/articles?limit=500", "/conflicts?limit=500", "/stories?limit=500"):
        assert a.get(path) == b.get(path), path  # one truth whichever worker answers
    health_a, health_b = a.get("/health"), b.get("/health")
    assert health_a["counts"] == health_b["counts"]
    assert health_a["index"]["kind"] == "pgvector_hnsw"
    assert health_a["index"]["size"] == health_a["counts"]["views"] > 0

    # the two reports of one story, stored by different workers at the same time
    wire_id, paper_id = results[-2][1]["id"], results[-1][1]["id"]
    wire, paper = b.get(f"/articles/{wire_id}"), a.get(f"/articles/{paper_id}")
    assert wire["story_id"] == paper["story_id"]
    numbers = [c for c in paper["conflicts"] if c["type"] == "number"]
    assert numbers and {numbers[0]["a"]["source"], numbers[0]["b"]["source"]} == {
        "coast-wire",
        "harbor-daily",
    }
    assert paper["matches"] and wire["conflicts"] == paper["conflicts"]
    story = a.get(f"/stories/{paper['story_id']}")
    assert story["n_articles"] == 2 and story["n_conflicts"] >= 1

    import psycopg

    with psycopg.connect(postgres_url) as conn:
        rows = conn.execute(
            "SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(DISTINCT article_id) FROM "
            "story_articles), (SELECT COUNT(*) FROM story_articles), "
            "(SELECT COUNT(*) FROM views v LEFT JOIN articles x ON x.id = v.article_id "
            "WHERE x.id IS NULL)"
        ).fetchone()
    assert rows == (len(ids), len(ids), len(ids), 0)  # each article in exactly one story
