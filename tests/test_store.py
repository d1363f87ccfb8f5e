"""The SQLite repository on its own, driven by the core story rules: plain data in, plain data
out (no models). The backend-neutral rules are in tests/contract/; here the SQLite specifics."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from factcheck import records as store_mod
from factcheck import stories
from factcheck.backends.sqlite import SCHEMA_VERSION, SqliteRepository
from factcheck.backends.sqlite import writes as writes_mod
from factcheck.errors import NotFoundError, StoreError
from factcheck.records import (
    NewArticle,
    NewConflict,
    NewDuplicate,
    NewMatch,
    stored_precision,
)

Store = SqliteRepository


def add(store: SqliteRepository, new: NewArticle) -> tuple[str, list[int]]:
    """Store through the core rules, as the workspace does: (story id, view ids)."""
    stored = stories.store_article(store, new)
    assert stored is not None
    return stored.story_id, stored.view_ids


DIM = 8


def _sentence(article_id: str, source: str, index: int, text: str) -> dict[str, Any]:
    return {"article_id": article_id, "source": source, "index": index, "text": text}


def make_article(
    article_id: str,
    source: str,
    texts: list[str],
    *,
    matches: tuple[NewMatch, ...] = (),
    conflicts: tuple[NewConflict, ...] = (),
    duplicates: tuple[NewDuplicate, ...] = (),
    links: tuple[str, ...] = (),
    seed: int = 0,
) -> NewArticle:
    rng = np.random.default_rng(seed)
    vectors = rng.standard_normal((len(texts), DIM)).astype(np.float32)
    spans, pos = [], 0
    for i, t in enumerate(texts):
        spans.append((i, pos, pos + len(t), t))
        pos += len(t) + 1
    return NewArticle(
        id=article_id,
        source=source,
        text=" ".join(texts),
        record={"id": article_id, "source": source},
        analysed={"article": {"id": article_id}, "sentences": len(texts)},
        sentences=[_sentence(article_id, source, i, t) for i, t in enumerate(texts)],
        sentence_spans=spans,
        view_sentence=np.arange(len(texts), dtype=np.int32),
        vectors=vectors,
        title=f"Title {article_id}",
        published="2024-03-01",
        matches=matches,
        conflicts=conflicts,
        duplicates=duplicates,
        links=links,
    )


def match(a: str, ai: int, b: str, bi: int, a_src: str, b_src: str) -> NewMatch:
    return NewMatch(a, ai, b, bi, a_src, b_src, 0.9, "same_claim", {"relation": "same_claim"})


def conflict(m: NewMatch, kind: str = "number", severity: str = "high") -> NewConflict:
    record = {"id": f"{kind}-{m.a_article}-{m.b_article}", "type": kind, "severity": severity}
    return NewConflict(m, kind, severity, f"{kind} differs", [], [], record)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "db.sqlite3")
    yield s
    s.close()


def test_new_store_has_schema_version_wal_and_foreign_keys(store: Store) -> None:
    conn = sqlite3.connect(store.path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    conn.close()
    assert store.db.conn().execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_newer_schema_is_refused_with_a_fix(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="upgrade factcheck or use another --data-dir"):
        Store(path)


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(StoreError, match="is not a usable factcheck database"):
        Store(path)


def test_vectors_and_analyses_come_back_at_stored_precision(store: Store) -> None:
    a = make_article("a1", "wire", ["One.", "Two.", "Three."])
    _, view_ids = add(store, a)
    assert store.vector_dtype == np.float16  # new stores keep half-precision vectors
    want = stored_precision(a.vectors, store.vector_dtype)
    np.testing.assert_allclose(want, a.vectors, atol=1e-3)
    ids, vecs = next(store.iter_vectors())
    assert ids.tolist() == view_ids and vecs.dtype == np.float32
    np.testing.assert_array_equal(vecs, want)
    (stored,) = store.analyses(["a1", "unknown"])
    assert stored.analysed == a.analysed and stored.source == "wire"
    assert stored.view_sentence.tolist() == [0, 1, 2]
    np.testing.assert_array_equal(stored.vectors, want)
    assert store.view_articles([*view_ids, 999]) == {v: ("a1", "wire") for v in view_ids}


def test_a_store_written_with_float32_vectors_still_reads_them(tmp_path: Path) -> None:
    """Stores created before float16 storage keep their format (no silent rewrite)."""
    old = Store(tmp_path / "old.sqlite")  # made to look like a store from before the change:
    old.db.vector_dtype = np.dtype(np.float32)  # float32 blobs and no 'vector_dtype' meta row
    with old.db.write() as conn:
        conn.execute("DELETE FROM meta WHERE key = 'vector_dtype'")
    a = make_article("a1", "wire", ["One.", "Two."])
    add(old, a)
    old.close()
    again = Store(tmp_path / "old.sqlite")
    assert again.vector_dtype == np.float32
    np.testing.assert_array_equal(next(again.iter_vectors())[1], a.vectors)
    again.close()


def test_failure_mid_ingest_leaves_nothing_behind(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    add(store, make_article("a1", "wire", ["Ten people were hurt."]))
    before, generation = store.counts(), store.generation()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed after the article row was written")

    monkeypatch.setattr(writes_mod, "insert_sentences", boom)
    with pytest.raises(RuntimeError, match="killed"):
        add(store, make_article("b1", "paper", ["Twelve people were hurt."]))
    assert not store.has_article("b1")
    assert store.counts() == before
    assert store.generation() == generation


def test_generation_counts_committed_writes_only(store: Store) -> None:
    g0 = store.generation()
    add(store, make_article("a1", "wire", ["One."]))
    assert store.generation() == g0 + 1
    stories.delete_article(store, "a1")
    assert store.generation() == g0 + 2
    with pytest.raises(NotFoundError):
        stories.delete_article(store, "a1")
    assert store.generation() == g0 + 2


def test_readers_in_other_threads_see_committed_state(store: Store) -> None:
    add(store, make_article("a1", "wire", ["One."]))
    seen: list[int] = []

    def read() -> None:
        seen.append(store.counts()["articles"])

    threads = [threading.Thread(target=read) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == [1, 1, 1, 1]


def test_timestamp_format_sorts_like_time() -> None:
    import datetime as dt

    assert store_mod.timestamp(dt.date(2024, 1, 2)) == "2024-01-02T00:00:00.000000+00:00"
    assert store_mod.timestamp(dt.date(2024, 1, 2)) < store_mod.now()


_KILL_SCRIPT = """
import os, sys
sys.path[:0] = [sys.argv[2], sys.argv[3]]
from test_store import make_article
from factcheck.backends.sqlite import SqliteRepository, writes
from factcheck.stories import store_article

store = SqliteRepository(sys.argv[1])
store_article(store, make_article("a1", "wire", ["Ten people were hurt."]))

def die(*args, **kwargs):
    os._exit(9)  # like SIGKILL: no cleanup, no rollback, no atexit

writes.insert_sentences = die
store_article(store, make_article("b1", "paper", ["Twelve people were hurt."]))
"""


def test_a_process_killed_mid_ingest_leaves_no_half_stored_article(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "db.sqlite3"
    repo, tests = Path(__file__).resolve().parents[1], Path(__file__).resolve().parent
    proc = subprocess.run(
        [sys.executable, "-c", _KILL_SCRIPT, str(path), str(repo), str(tests)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 9, proc.stderr
    store = Store(path)
    try:
        assert store.db.conn().execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert store.has_article("a1") and not store.has_article("b1")
        counts = store.counts()
        assert counts["articles"] == 1 and counts["sentences"] == 1 and counts["views"] == 1
    finally:
        store.close()
