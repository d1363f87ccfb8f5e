"""Workspace: store + index file + pipeline (FakeEmbedder, real spaCy facts and conflict rules)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from factcheck.backends.faiss import INDEX_FILE, INDEX_META_FILE
from factcheck.backends.sqlite import writes as sqlite_writes
from factcheck.errors import NotFoundError, StoreError
from factcheck.pipeline import Pipeline
from factcheck.records import ConflictFilter
from factcheck.types import Article
from factcheck.workspace import Workspace

Records = dict[str, dict[str, Any]]


@pytest.fixture
def articles(story_records: Records, make_article: Callable[..., Article]) -> dict[str, Article]:
    return {
        role: make_article(r["text"], source=r["source"], title=r["title"])
        for role, r in story_records.items()
    }


@pytest.fixture
def ws(tmp_path: Path, fake_pipeline: Pipeline) -> Iterator[Workspace]:
    w = Workspace(tmp_path / "data", fake_pipeline)
    yield w
    w.close()


def reopen(ws: Workspace) -> Workspace:
    ws.close()
    return Workspace(ws.data_dir, ws.pipeline)


def test_ingest_is_idempotent(ws: Workspace, articles: dict[str, Article]) -> None:
    first = ws.ingest(articles["wire"])
    counts = ws.store.counts()
    again = ws.ingest(articles["wire"])
    assert first.created and not again.created
    assert again.id == first.id == Workspace.article_key(articles["wire"])
    assert again.article == first.article
    assert ws.store.counts() == counts
    assert len(ws.index) == counts["views"] > 0


def test_second_source_gets_matches_conflict_and_the_same_story(
    ws: Workspace, articles: dict[str, Article]
) -> None:
    wire = ws.ingest(articles["wire"]).article
    paper = ws.ingest(articles["paper"]).article
    assert paper["story_id"] == wire["story_id"]
    assert paper["matches"], "the shared sentences should align"
    numbers = [c for c in paper["conflicts"] if c["type"] == "number"]
    assert numbers, paper["conflicts"]
    spans = {s["text"] for side in ("a", "b") for s in numbers[0][side]["spans"]}
    assert any("14" in s for s in spans) and any("19" in s for s in spans)
    # the stored article sees the conflict too
    assert [c["id"] for c in ws.get(wire["id"])["conflicts"]] == [c["id"] for c in numbers]


def test_an_analysed_article_is_matched_against_the_candidates_given(
    ws: Workspace, articles: dict[str, Article]
) -> None:
    """``ingest_analysed`` (a batch's write): the caller picks the stored articles to compare."""
    wire = ws.ingest(articles["wire"]).article
    alone = ws.pipeline.analyse(articles["paper"])
    result = ws.ingest_analysed(alone, candidates=lambda a: [])  # outside the window: unseen
    assert result.created and result.article["conflicts"] == []
    assert result.article["story_id"] != wire["story_id"]
    ws.delete(result.id)
    asked: list[str] = []

    def window(a: object) -> list[str]:
        asked.append(a.article.id)  # type: ignore[attr-defined]
        return [wire["id"]]

    again = ws.ingest_analysed(alone, candidates=window)
    assert asked == [again.id] and again.article["story_id"] == wire["story_id"]
    assert any(c["type"] == "number" for c in again.article["conflicts"])
    assert not ws.ingest_analysed(alone, candidates=window).created  # idempotent


def test_unrelated_article_starts_its_own_story(
    ws: Workspace, articles: dict[str, Article]
) -> None:
    wire = ws.ingest(articles["wire"]).article
    other = ws.ingest(articles["unrelated"]).article
    assert other["story_id"] != wire["story_id"]
    assert other["matches"] == [] and other["conflicts"] == []
    assert ws.stories().total == 2


def test_republished_wire_copy_is_flagged_as_duplicate(
    ws: Workspace, articles: dict[str, Article]
) -> None:
    wire = ws.ingest(articles["wire"]).article
    reprint = ws.ingest(articles["reprint"]).article
    assert reprint["id"] != wire["id"]
    assert reprint["duplicate_of"] == wire["id"]
    assert reprint["story_id"] == wire["story_id"]


def test_delete_removes_article_vectors_conflicts_and_story_membership(
    ws: Workspace, articles: dict[str, Article]
) -> None:
    wire = ws.ingest(articles["wire"]).article
    wire_views = len(ws.index)
    paper = ws.ingest(articles["paper"]).article
    assert ws.conflicts().total >= 1 and len(ws.index) > wire_views
    ws.delete(paper["id"])
    assert not ws.store.has_article(paper["id"])
    assert ws.conflicts().total == 0
    assert ws.story(wire["story_id"])["n_articles"] == 1
    assert len(ws.index) == ws.store.counts()["views"] == wire_views
    with pytest.raises(NotFoundError, match="no article with id"):
        ws.delete(paper["id"])
    # re-posting the deleted article works and finds the conflict again
    again = ws.ingest(articles["paper"])
    assert again.created and again.article["conflicts"]


def test_everything_survives_a_restart(ws: Workspace, articles: dict[str, Article]) -> None:
    ws.ingest(articles["wire"])
    ws.ingest(articles["paper"])
    before = (ws.store.counts(), ws.conflicts().to_dict(), ws.stories().to_dict())
    ws2 = reopen(ws)
    try:
        assert (ws2.store.counts(), ws2.conflicts().to_dict(), ws2.stories().to_dict()) == before
        assert len(ws2.index) == before[0]["views"]
        assert not ws2.ingest(articles["paper"]).created
    finally:
        ws2.close()


@pytest.mark.parametrize("damage", ["delete", "truncate", "stale_meta", "delete_meta"])
def test_missing_damaged_or_stale_index_is_rebuilt_on_open(
    ws: Workspace, articles: dict[str, Article], damage: str
) -> None:
    ws.ingest(articles["wire"])
    ws.ingest(articles["paper"])
    views = ws.store.counts()["views"]
    probe = ws.analysed_articles([ws.articles().items[0]["id"]])[0].vectors[:1]
    expected = ws.index.search(probe, 3)
    index_path, meta_path = ws.data_dir / INDEX_FILE, ws.data_dir / INDEX_META_FILE
    ws.close()
    if damage == "delete":
        index_path.unlink()
    elif damage == "truncate":
        index_path.write_bytes(index_path.read_bytes()[:100])
    elif damage == "stale_meta":
        meta = json.loads(meta_path.read_text())
        meta_path.write_text(json.dumps({**meta, "generation": meta["generation"] - 1}))
    else:
        meta_path.unlink()
    ws2 = Workspace(ws.data_dir, ws.pipeline)
    try:
        assert len(ws2.index) == views
        got = ws2.index.search(probe, 3)
        np.testing.assert_array_equal(got[1], expected[1])
        assert ws2.health()["status"] == "ok"
        assert index_path.is_file() and meta_path.is_file()
    finally:
        ws2.close()


def test_a_kill_after_commit_before_the_index_save_is_repaired_on_open(
    ws: Workspace, articles: dict[str, Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.ingest(articles["wire"])
    monkeypatch.setattr(type(ws.index), "committed", lambda self, added, removed: None)
    ws.ingest(articles["paper"])  # committed, but the index file was never updated
    monkeypatch.undo()
    ws2 = reopen(ws)
    try:
        assert len(ws2.index) == ws2.store.counts()["views"]
    finally:
        ws2.close()


def test_failure_mid_ingest_stores_nothing_and_leaves_the_index_alone(
    ws: Workspace, articles: dict[str, Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    ws.ingest(articles["wire"])
    counts, size = ws.store.counts(), len(ws.index)

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed after the article row was written")

    monkeypatch.setattr(sqlite_writes, "insert_sentences", boom)
    with pytest.raises(RuntimeError, match="killed"):
        ws.ingest(articles["paper"])
    monkeypatch.undo()
    assert ws.store.counts() == counts and len(ws.index) == size
    assert not ws.store.has_article(Workspace.article_key(articles["paper"]))
    assert ws.ingest(articles["paper"]).created  # and the next attempt goes through


def test_concurrent_ingests_lose_nothing(
    ws: Workspace, make_article: Callable[..., Article]
) -> None:
    texts = [
        f"Report {i}: the harbor of town number {i} reopened after {i + 3} days of repairs, "
        f"officials from district {i} said on Monday."
        for i in range(8)
    ]
    errors: list[BaseException] = []

    def post(i: int) -> None:
        try:
            ws.ingest(make_article(texts[i], source=f"outlet-{i % 3}"))
            ws.ingest(make_article(texts[i], source=f"outlet-{i % 3}"))  # and a retry
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ws.store.counts()["articles"] == len(texts)
    assert len(ws.index) == ws.store.counts()["views"]
    ws2 = reopen(ws)  # what was saved on disk is complete too
    try:
        assert len(ws2.index) == ws2.store.counts()["views"]
    finally:
        ws2.close()


def test_second_workspace_on_the_same_directory_is_refused(
    ws: Workspace, fake_pipeline: Pipeline
) -> None:
    with pytest.raises(StoreError, match="is in use by another factcheck process"):
        Workspace(ws.data_dir, fake_pipeline)


def test_store_written_with_another_model_is_refused(
    ws: Workspace, articles: dict[str, Article]
) -> None:
    from fakes import FakeEmbedder

    ws.ingest(articles["wire"])
    ws.close()
    other = Pipeline(embedder=FakeEmbedder(name="another-model"), relation=None)
    with pytest.raises(StoreError, match="holds embeddings of model 'fake-bag-of-words'"):
        Workspace(ws.data_dir, other)


def test_health_reports_counts_model_and_index(ws: Workspace, articles: dict[str, Article]) -> None:
    ws.ingest(articles["wire"])
    h = ws.health()
    assert h["status"] == "ok" and h["model"] == "fake-bag-of-words"
    assert h["counts"]["articles"] == 1
    assert h["index"]["kind"] == "flat" and h["index"]["size"] == h["counts"]["views"]


def test_conflict_filters_through_the_workspace(
    ws: Workspace, articles: dict[str, Article]
) -> None:
    ws.ingest(articles["wire"])
    ws.ingest(articles["paper"])
    assert ws.conflicts(ConflictFilter(type="number")).total >= 1
    assert ws.conflicts(ConflictFilter(source="arts-weekly")).total == 0


def test_a_due_index_save_runs_in_the_background_and_lands_on_flush(
    tmp_path: Path,
    fake_pipeline: Pipeline,
    articles: dict[str, Article],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An ingest that makes a save due does not wait for the disk (at 1M vectors the index file
    is ~0.4 GB); the save lands later, consistent with the store."""
    from factcheck.backends.faiss import fileformat as index_mod
    from factcheck.backends.faiss.index import VectorIndex

    release = threading.Event()
    real_write = index_mod.write_snapshot

    def slow_write(path: Any, snap: Any) -> None:
        assert release.wait(10), "the test never released the save"
        real_write(path, snap)

    w = Workspace(tmp_path / "data", fake_pipeline, save_every=1)
    monkeypatch.setattr(index_mod, "write_snapshot", slow_write)
    first, second = list(articles.values())[:2]
    w.ingest(first)  # returns although its save is blocked
    assert w.index.saver is not None and not w.index.saver.done()
    w.ingest(second)  # a save is still running: this one is left for later, not queued
    release.set()
    w.flush()
    saved = VectorIndex.load(w.index.path)
    meta = json.loads((w.data_dir / INDEX_META_FILE).read_text())
    assert len(saved) == len(w.index) and meta["views"] == len(w.index)
    assert meta["generation"] == w.store.generation()
    w.close()


def test_a_new_articles_cached_analysis_equals_what_the_store_gives_back(
    ws: Workspace, articles: dict[str, Article]
) -> None:
    """Matches against an article must not change when the workspace restarts (the store
    keeps vectors at half precision, so the in-memory copy must too)."""
    first = next(iter(articles.values()))
    aid = ws.ingest(first).article["id"]
    cached = ws.analysed_articles([aid])[0].vectors
    again = reopen(ws)
    try:
        np.testing.assert_array_equal(again.analysed_articles([aid])[0].vectors, cached)
    finally:
        again.close()


def test_an_original_is_found_behind_many_verbatim_copies(ws: Workspace) -> None:
    """More stored copies of each sentence than the search window: the original still comes
    up as a candidate (the window widens while it holds only copies), and first among them."""
    from factcheck.ingest import from_text

    text = (
        "The harbor bridge in Westhaven will close for repairs on Monday, the council said.\n\n"
        "Repairs to the steel deck will cost 12 million dollars and take six weeks."
    )
    original = ws.ingest(from_text(text, source="origin-wire"))
    for i in range(ws.search_k + 4):
        ws.ingest(from_text(text, source=f"reprint-{i:02d}"))
    new = ws.pipeline.analyse(from_text(text.replace("12 million", "15 million"), source="new"))
    candidates = ws._candidates(new)
    assert candidates[0] == original.id
