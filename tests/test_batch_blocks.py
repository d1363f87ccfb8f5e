"""Time-window blocks, --store urls and engine choice: plumbing of factcheck.batch (no model)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pytest

from factcheck.batch import blocks as blk
from factcheck.batch import open_engine, parse_window
from factcheck.batch.local import plan
from factcheck.errors import InputError
from factcheck.types import Article


def art(i: int, published: dt.date | None) -> Article:
    return Article(id=f"a{i}", source="s", text=f"text {i}", published=published)


@pytest.mark.parametrize(
    ("text", "days"), [("1d", 1), ("3d", 3), (" 2W ", 14), ("none", 0), ("0", 0)]
)
def test_parse_window(text: str, days: int) -> None:
    assert parse_window(text) == blk.Window(days)


@pytest.mark.parametrize("text", ["", "0d", "12h", "1.5d", "d", "-1d"])
def test_a_bad_window_says_what_is_accepted(text: str) -> None:
    with pytest.raises(InputError) as err:
        parse_window(text)
    assert err.value.message == (
        f"--window {text!r} is not a window; give a number of days or weeks such as 1d, 3d or "
        "2w (publication dates are whole days), or none to compare every article with every "
        "other"
    )


def test_one_day_windows_are_calendar_days() -> None:
    w = blk.Window(1)
    assert w.key(dt.date(2025, 2, 14)) == "2025-02-14"
    assert w.key(dt.datetime(2025, 2, 14, 23, 59)) == "2025-02-14"
    assert w.key(None) == blk.UNDATED
    assert blk.Window(0).key(dt.date(2025, 2, 14)) == blk.Window(0).key(None) == blk.ALL


def test_week_windows_tumble_from_the_epoch() -> None:
    w = blk.Window(7)
    # 1970-01-01 + 7k days: 2025-02-13 starts a window (20132 = 7 * 2876)
    assert w.key(dt.date(2025, 2, 13)) == w.key(dt.date(2025, 2, 19)) == "2025-02-13"
    assert w.key(dt.date(2025, 2, 12)) == "2025-02-06"
    assert w.key(dt.date(2025, 2, 20)) == "2025-02-20"


def test_blocks_in_date_order_undated_last_members_in_corpus_order() -> None:
    corpus = [
        art(0, None),
        art(1, dt.date(2025, 2, 15)),
        art(2, dt.date(2025, 2, 14)),
        art(3, dt.date(2025, 2, 15)),
        art(4, None),
    ]
    assert blk.blocks(corpus, blk.Window(1)) == {
        "2025-02-14": [2],
        "2025-02-15": [1, 3],
        "undated": [0, 4],
    }
    assert blk.blocks(corpus, blk.Window(0)) == {"all": [0, 1, 2, 3, 4]}


def test_batches_are_cut_inside_blocks_in_order() -> None:
    big = list(range(35))
    assert plan([big], 16) == [big[:16], big[16:32], big[32:]]
    assert plan([[4, 0], [1, 2, 3]], 2) == [[4, 0], [1, 2], [3]]
    assert plan([]) == []


def test_engine_choice() -> None:
    assert open_engine("local").name == "local"
    assert open_engine("auto", corpus_size=10).name == "local"  # too small to pay for Ray
    with pytest.raises(InputError, match=r"--engine 'spark' is not an engine; use one of auto"):
        open_engine("spark")
    with pytest.raises(InputError, match=r"--address .* needs --engine ray \(or auto\)"):
        open_engine("local", address="ray://head:10001")


def test_summary_formats() -> None:
    from factcheck.batch import IngestSummary

    s = IngestSummary(
        articles=3, stored=2, already=1, duplicates=1, conflicts=4, stories=1, blocks=2,
        seconds=1.5, engine="local", window="1d", skipped_files=("news/b.txt",),
    )  # fmt: skip
    assert s.render("csv") == (
        "articles,stored,already_stored,duplicates,conflicts,stories,blocks,seconds,"
        "articles_per_second,engine,window,skipped_files\n"
        "3,2,1,1,4,1,2,1.5,2.0,local,1d,news/b.txt\n"
    )
    assert '"skipped_files": [\n    "news/b.txt"\n  ]' in s.render("json")
    table = s.render("table").splitlines()
    assert table[0] == "articles             3" and table[-1] == "skipped files        news/b.txt"


def _unit(rows: list[list[float]]) -> np.ndarray:
    v = np.asarray(rows, dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _analysed(article_id: str, vectors: np.ndarray) -> Any:
    from factcheck.pipeline import AnalysedArticle

    return AnalysedArticle(
        article=Article(id=article_id, source=article_id, text="x"),
        facts=(),
        view_sentence=np.arange(len(vectors), dtype=np.int32),
        vectors=vectors,
    )


def test_block_index_ranks_window_articles_like_the_workspace() -> None:
    """Best view score per article, above the related threshold, best first, ties to the one
    indexed first, itself left out, at most max_candidates (real FAISS, invented vectors)."""
    from factcheck.batch.matching import BlockIndex

    index = BlockIndex(
        3, related=0.5, search_k=8, max_candidates=2, copy_score=0.999, max_search_k=64
    )
    assert index.candidates(_analysed("new", _unit([[1, 0, 0]]))) == []
    index.add("far", _unit([[0, 0, 1]]))  # below the threshold
    index.add("close", _unit([[1, 0.2, 0], [0, 1, 0]]))
    index.add("twin-a", _unit([[1, 0.5, 0]]))
    index.add("twin-b", _unit([[1, 0.5, 0]]))  # the same score: after twin-a
    index.add("new", _unit([[1, 0, 0]]))  # itself, as after its own write
    new = _analysed("new", _unit([[1, 0, 0], [0, 1, 0.01]]))
    assert index.candidates(new) == ["close", "twin-a"]
    index.max_candidates = 10
    assert index.candidates(new) == ["close", "twin-a", "twin-b"]


def test_block_index_looks_past_verbatim_copies() -> None:
    """Twenty verbatim copies fill a k=2 window; the search widens until it ends below a copy,
    so the paraphrase behind them is still a candidate."""
    from factcheck.batch.matching import BlockIndex

    index = BlockIndex(
        3, related=0.5, search_k=2, max_candidates=32, copy_score=0.999, max_search_k=64
    )
    for i in range(20):
        index.add(f"copy-{i:02d}", _unit([[1, 0, 0]]))
    index.add("paraphrase", _unit([[1, 0.3, 0]]))
    found = index.candidates(_analysed("new", _unit([[1, 0, 0]])))
    assert found[:20] == [f"copy-{i:02d}" for i in range(20)] and found[20] == "paraphrase"
