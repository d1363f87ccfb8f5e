"""The writer lock covers the store transaction only: a long article's analysis does not stop
other writers, and concurrent ingests still store each article once and match consistently."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fakes import FakeEmbedder
from fastapi.testclient import TestClient

from factcheck.backends.sqlite import writes as sqlite_writes
from factcheck.ingest import from_text
from factcheck.pipeline import Pipeline
from factcheck.workspace import Workspace
from service.app import create_app
from service.settings import Settings

LONG = "\n\n".join(
    f"Paragraph {i}: the harbor authority said repairs to pier {i} would cost {i + 2} million "
    f"dollars and take {i + 5} weeks, officials in district {i} confirmed on Monday."
    for i in range(60)
)
SHORT = "The orchestra opened its winter season with a program of Baltic composers on Friday."


class GatedEmbedder(FakeEmbedder):
    """Blocks while embedding a long article (> 40 texts) until ``release`` is set."""

    def __init__(self) -> None:
        super().__init__()
        self.long_started = threading.Event()
        self.release = threading.Event()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if len(texts) > 40:
            self.long_started.set()
            self.release.wait(timeout=60)
        return super().encode(texts)


@pytest.fixture
def gated() -> Iterator[GatedEmbedder]:
    emb = GatedEmbedder()
    yield emb
    emb.release.set()


@pytest.fixture
def ws(tmp_path: Path, gated: GatedEmbedder) -> Iterator[Workspace]:
    with Workspace(tmp_path / "data", Pipeline(embedder=gated, relation=None)) as w:
        yield w


def test_a_short_ingest_completes_while_a_long_article_is_analysed(
    ws: Workspace, gated: GatedEmbedder
) -> None:
    long_result: list[object] = []
    t = threading.Thread(target=lambda: long_result.append(ws.ingest(from_text(LONG, source="a"))))
    t.start()
    assert gated.long_started.wait(timeout=30), "the long article never reached embedding"
    short: list[object] = []
    s = threading.Thread(target=lambda: short.append(ws.ingest(from_text(SHORT, source="b"))))
    s.start()
    s.join(timeout=30)
    try:
        assert short and not long_result, "the short ingest waited for the long analysis"
        assert ws.store.counts()["articles"] == 1
    finally:
        gated.release.set()
        t.join(timeout=60)
    assert long_result and ws.store.counts()["articles"] == 2
    assert len(ws.index) == ws.store.counts()["views"]


def test_a_short_post_completes_while_a_long_post_is_analysed(
    tmp_path: Path, gated: GatedEmbedder
) -> None:
    pipe = Pipeline(embedder=gated, relation=None)
    gated.release.set()  # the warm-up at startup must not block
    app = create_app(Settings(data_dir=tmp_path / "api"), pipeline=pipe)
    with TestClient(app) as client:
        gated.release.clear()
        codes: dict[str, int] = {}

        def post(name: str, source: str, text: str) -> None:
            r = client.post("/articles", json={"source": source, "text": text})
            codes[name] = r.status_code

        t = threading.Thread(target=post, args=("long", "a", LONG))
        t.start()
        assert gated.long_started.wait(timeout=30)
        s = threading.Thread(target=post, args=("short", "b", SHORT))
        s.start()
        s.join(timeout=30)
        try:
            assert codes == {"short": 201}, codes
        finally:
            gated.release.set()
            t.join(timeout=60)
        assert codes == {"short": 201, "long": 201}
        assert client.get("/health").json()["counts"]["articles"] == 2


def test_a_write_that_lands_during_analysis_is_matched_against(
    tmp_path: Path, gated: GatedEmbedder
) -> None:
    """Article A is matched (outside the lock) against an empty store; article B of another
    source is stored before A takes the lock. A's match must be redone and find B."""
    gated.release.set()
    with Workspace(tmp_path / "d", Pipeline(embedder=gated, relation=None)) as ws:
        wire = LONG
        paper = LONG.replace("pier 3 would cost 5 million", "pier 3 would cost 9 million")
        real_match = ws._match
        a_matched, b_stored = threading.Event(), threading.Event()
        calls: list[tuple[str, int]] = []

        def match(analysed: object, candidates: object = None) -> object:
            out = real_match(analysed, candidates)  # type: ignore[arg-type]
            source = analysed.article.source  # type: ignore[attr-defined]
            calls.append((source, len(out[0])))
            if source == "a" and not a_matched.is_set():
                a_matched.set()
                assert b_stored.wait(timeout=30)
            return out

        ws._match = match  # type: ignore[method-assign]
        result: list[object] = []
        t = threading.Thread(target=lambda: result.append(ws.ingest(from_text(wire, source="a"))))
        t.start()
        assert a_matched.wait(timeout=30)
        b = ws.ingest(from_text(paper, source="b"))
        b_stored.set()
        t.join(timeout=60)
        a = result[0]
        assert calls == [("a", 0), ("b", 0), ("a", 1)]  # A matched again, against B
        assert ws.store.counts()["articles"] == 2 and ws.store.counts()["conflicts"] >= 1
        assert a.report is not None and a.report.conflicts  # type: ignore[attr-defined]
        assert a.article["story_id"] == ws.get(b.id)["story_id"]  # type: ignore[attr-defined]


def test_a_write_by_another_worker_inside_the_transaction_window_is_matched_against(
    tmp_path: Path, gated: GatedEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Workers sharing a store do not share this process's lock: article B is committed by
    "another worker" after A's generation check, right before A's transaction. The generation
    read inside the transaction catches it; A is matched again and finds B."""
    from factcheck import workspace as workspace_mod

    gated.release.set()
    paper = LONG.replace("pier 3 would cost 5 million", "pier 3 would cost 9 million")
    with Workspace(tmp_path / "d", Pipeline(embedder=gated, relation=None)) as ws:
        real = workspace_mod.store_article
        calls: list[str] = []

        def racing(repository: Any, new: Any, *, generation: int | None = None) -> Any:
            calls.append(new.source)
            if len(calls) == 1:  # the other worker commits B first
                ws.ingest(from_text(paper, source="b"))
            return real(repository, new, generation=generation)

        monkeypatch.setattr(workspace_mod, "store_article", racing)
        a = ws.ingest(from_text(LONG, source="a"))
        assert calls == ["a", "b", "a"]  # A's first transaction refused, A stored after rematch
        assert a.report is not None and a.report.conflicts
        b_id = ws.articles(source="b").items[0]["id"]
        assert a.article["story_id"] == ws.get(b_id)["story_id"]
        assert len(ws.index) == ws.store.counts()["views"]


def test_posting_the_same_article_concurrently_stores_it_once(
    ws: Workspace, gated: GatedEmbedder
) -> None:
    gated.release.set()
    results: list[bool] = []
    lock = threading.Lock()

    def go() -> None:
        r = ws.ingest(from_text(SHORT, source="b"))
        with lock:
            results.append(r.created)

    threads = [threading.Thread(target=go) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [False] * 5 + [True]
    assert ws.store.counts()["articles"] == 1 and len(ws.index) == ws.store.counts()["views"]


def test_a_failed_store_transaction_leaves_the_store_as_it_was(
    ws: Workspace, gated: GatedEmbedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    gated.release.set()
    ws.ingest(from_text(SHORT, source="b"))
    counts, size, gen = ws.store.counts(), len(ws.index), ws.store.generation()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(sqlite_writes, "insert_sentences", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        ws.ingest(from_text(LONG, source="a"))
    monkeypatch.undo()
    assert ws.store.counts() == counts and len(ws.index) == size
    assert ws.store.generation() == gen
    assert ws.ingest(from_text(LONG, source="a")).created
