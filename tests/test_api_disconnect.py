"""A POST whose client goes away stops its work and stores nothing: a real uvicorn server (in a
thread, over the gated fake embedder) and a raw socket that is closed while the article is
being embedded."""

from __future__ import annotations

import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from test_workspace_lock import LONG, GatedEmbedder

from factcheck.pipeline import Pipeline
from service.app import create_app
from service.settings import Settings


class ThreadServer:
    def __init__(self, app: FastAPI, port: int) -> None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.port = port
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            assert time.monotonic() < deadline and self.thread.is_alive(), "no server"
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)

    def send_post(self, record: dict[str, str]) -> socket.socket:
        body = json.dumps(record).encode()
        head = (
            f"POST /articles HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode()
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        sock.sendall(head + body)
        return sock


@pytest.fixture
def gated() -> Iterator[GatedEmbedder]:
    emb = GatedEmbedder()
    yield emb
    emb.release.set()


def wait_for(check: object, timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_a_post_whose_client_went_away_stops_and_stores_nothing(
    tmp_path: Path, free_port: int, gated: GatedEmbedder, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="service")
    caplog.set_level(logging.INFO, logger="factcheck")
    gated.release.set()  # the warm-up at startup must not block
    app = create_app(
        Settings(data_dir=tmp_path / "api"), pipeline=Pipeline(embedder=gated, relation=None)
    )
    with ThreadServer(app, free_port) as srv:
        ws = app.state.workspace
        gated.release.clear()
        sock = srv.send_post({"source": "a", "text": LONG})
        try:
            assert gated.long_started.wait(timeout=30), "the POST never reached embedding"
        finally:
            sock.close()  # the client goes away while its article is embedded
        noticed = wait_for(lambda: "the client went away" in caplog.text)
        gated.release.set()
        assert noticed, "the server did not notice the client had gone"
        assert wait_for(lambda: ws.cancelled == 1), "the ingest was not stopped"
        time.sleep(0.3)
        assert ws.store.counts()["articles"] == 0
        assert len(ws.index) == 0
        assert "cancelled by its caller: cancelled before matching" in caplog.text

        # the server goes on: the same article, with a client that waits, is stored
        sock = srv.send_post({"source": "a", "text": LONG})
        try:
            sock.settimeout(60)
            answer = sock.recv(65536).decode(errors="replace")
        finally:
            sock.close()
        assert answer.startswith("HTTP/1.1 201"), answer[:200]
        assert ws.store.counts()["articles"] == 1
