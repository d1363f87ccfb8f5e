"""End to end: a real uvicorn process with the real models on a SQLite file in tmp_path.

POST two reports of one story that disagree on a number, find the conflict, stop the server,
start it again on the same data directory, find everything still there, then DELETE.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

REPO = Path(__file__).resolve().parents[1]
STARTUP_TIMEOUT = 240.0  # loading spaCy, the embedder and the relation model on a busy machine


class Server:
    """``python -m service`` on 127.0.0.1:port over data_dir; output goes to a log file."""

    def __init__(self, port: int, data_dir: Path, log: Path) -> None:
        self.url = f"http://127.0.0.1:{port}"
        self.port, self.data_dir, self.log_path = port, data_dir, log
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        env.pop("FACTCHECK_API_KEY", None)
        env.pop("FACTCHECK_READ_KEY", None)
        env.pop("FACTCHECK_ANALYSIS_WORKERS", None)  # the default: a pool of spaCy workers
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "service", "--host", "127.0.0.1", "--port",
                 str(self.port), "--data-dir", str(self.data_dir)],
                cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                pytest.fail(f"the server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        self.stop()
        pytest.fail(f"the server did not answer within {STARTUP_TIMEOUT}s:\n{self.log()}")

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)  # graceful: lifespan shutdown closes the store
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")[-4000:]

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return httpx.get(f"{self.url}{path}", timeout=60, **kw)

    def post(self, path: str, **kw: Any) -> httpx.Response:
        return httpx.post(f"{self.url}{path}", timeout=120, **kw)

    def delete(self, path: str) -> httpx.Response:
        return httpx.delete(f"{self.url}{path}", timeout=60)


@pytest.fixture
def server(tmp_path: Path, free_port: int) -> Iterator[Server]:
    srv = Server(free_port, tmp_path / "data", tmp_path / "server.log")
    yield srv
    srv.stop()


@pytest.mark.slow
def test_real_server_keeps_everything_across_a_restart(
    server: Server, story_records: dict[str, dict[str, Any]]
) -> None:
    server.start()
    health = server.get("/health").json()
    assert health["status"] == "ok" and "MiniLM" in health["model"]

    wire = server.post("/articles", json=story_records["wire"])
    assert wire.status_code == 201, wire.text
    paper = server.post("/articles", json=story_records["paper"])
    assert paper.status_code == 201, paper.text
    wire_id, paper_id = wire.json()["id"], paper.json()["id"]
    numbers = [c for c in paper.json()["conflicts"] if c["type"] == "number"]
    assert numbers, paper.json()["conflicts"]
    assert {numbers[0]["a"]["source"], numbers[0]["b"]["source"]} == {"coast-wire", "harbor-daily"}
    assert paper.json()["story_id"] == wire.json()["story_id"]

    before = {p: server.get(p).json() for p in ("/articles", "/conflicts", "/stories")}
    server.stop()
    assert (server.data_dir / "factcheck.sqlite3").is_file()

    server.start()
    assert {p: server.get(p).json() for p in before} == before
    health = server.get("/health").json()
    assert health["counts"]["articles"] == 2
    assert health["index"]["size"] == health["counts"]["views"] > 0
    again = server.post("/articles", json=story_records["paper"])
    assert again.status_code == 200 and again.json()["id"] == paper_id

    gone = server.delete(f"/articles/{paper_id}")
    assert gone.status_code == 200, gone.text
    assert server.get(f"/articles/{paper_id}").status_code == 404
    assert server.get("/conflicts").json()["total"] == 0
    assert [a["id"] for a in server.get("/articles").json()["items"]] == [wire_id]


@pytest.mark.slow
def test_real_server_drops_a_post_whose_client_went_away(server: Server) -> None:
    """The server runs its spaCy workers (the default pool); a client that sends a long article
    and hangs up at once gets nothing stored, and the log says why."""
    import json
    import socket

    server.start()
    text = "\n\n".join(
        f"Paragraph {i}: the harbor authority said repairs to pier {i} would cost {i + 2} "
        f"million dollars and take {i + 5} weeks, officials in district {i} said on Monday."
        for i in range(150)
    )
    body = json.dumps({"source": "gone-wire", "text": text}).encode()
    head = (
        f"POST /articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        sock.sendall(head + body)
        time.sleep(0.2)  # the server has the body and is analysing it
    deadline = time.monotonic() + 60
    while "the client went away" not in server.log() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "the client went away" in server.log(), server.log()
    deadline = time.monotonic() + 60
    while "nothing stored" not in server.log() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "nothing stored" in server.log(), server.log()
    assert server.get("/health").json()["counts"]["articles"] == 0
    assert "analysis worker" in server.log()  # it ran on the pool (the startup line says so)
