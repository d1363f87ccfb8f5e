"""Preset sentence starts are written in one pass (``Doc.from_array``), not token by token.

The old loop set ``Token.is_sent_start`` on every token; spaCy's setter scans the whole doc each
time, so parsing was quadratic in article length (171 KB took 46 s). These tests pin that the
one-pass version gives exactly what the old loop gave — the preset annotation, the parse, and
every analysis built on it — on the project's fixture articles, and that it is linear.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np
import pytest

from factcheck import nlp
from factcheck.ingest import load_paths
from factcheck.pipeline import Pipeline
from factcheck.sentences import sentence_spans
from factcheck.serialize import analysed_to_json
from factcheck.types import Article

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLE_FILES = [
    *sorted((FIXTURES / "articles").iterdir()),
    FIXTURES / "ingest" / "page.html",
    FIXTURES / "ingest" / "page_dump.txt",
    FIXTURES / "ingest" / "articles.jsonl",
]
PARSE_ATTRS = [
    "ORTH", "SENT_START", "HEAD", "DEP", "TAG", "POS", "MORPH", "LEMMA", "ENT_IOB", "ENT_TYPE",
]  # fmt: skip


def _old_preset(doc: object, starts: Iterable[int]) -> None:
    """The token-by-token assignment ``parse`` used before (the reference)."""
    for tok in doc:  # type: ignore[attr-defined]
        tok.is_sent_start = tok.i == 0
    for start in sorted(starts):
        k = nlp._first_token_at(doc, start)  # type: ignore[arg-type]
        if k is not None and k > 0:
            doc[k].is_sent_start = True  # type: ignore[index]


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    return load_paths(ARTICLE_FILES)


@pytest.fixture
def old_way(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(nlp, "_preset_sentence_starts", _old_preset)
    yield


def _parse_arrays(text: str) -> np.ndarray:
    doc = nlp.parse([(text, sentence_spans(text))])[0]
    return doc.to_array(PARSE_ATTRS)


def test_preset_matches_the_token_by_token_loop(articles: list[Article]) -> None:
    tricky = [
        "",
        "One.",
        "  Leading space. Then more.",
        'He said: "Yes." She said: "No." \n\nNew paragraph... and more',
    ]
    for text in [a.text for a in articles] + tricky:
        spans = sentence_spans(text)
        starts = [a for a, _b in spans] + [0, len(text), len(text) + 5]  # edges too
        nlp_ = nlp.get_nlp()
        new, old = nlp_.make_doc(text), nlp_.make_doc(text)
        nlp._preset_sentence_starts(new, starts)
        _old_preset(old, starts)
        assert [t.is_sent_start for t in new] == [t.is_sent_start for t in old], text[:60]
        assert new.to_array(["SENT_START"]).tolist() == old.to_array(["SENT_START"]).tolist()


def test_parse_is_identical_to_the_old_way_on_the_fixture_articles(
    articles: list[Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    new = [_parse_arrays(a.text) for a in articles]
    monkeypatch.setattr(nlp, "_preset_sentence_starts", _old_preset)
    old = [_parse_arrays(a.text) for a in articles]
    assert len(articles) >= 6
    for a, n, o in zip(articles, new, old, strict=True):
        assert n.shape == o.shape, a.source
        assert np.array_equal(n, o), a.source


def test_analysis_is_identical_to_the_old_way_on_the_fixture_articles(
    articles: list[Article], fake_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    def dump(analysed: object) -> str:
        return json.dumps(analysed_to_json(analysed), sort_keys=True)  # type: ignore[arg-type]

    new = [dump(x) for x in fake_pipeline.analyse_many(articles)]
    monkeypatch.setattr(nlp, "_preset_sentence_starts", _old_preset)
    old = [dump(x) for x in fake_pipeline.analyse_many(articles)]
    assert new == old


def test_preset_is_linear_in_article_length() -> None:
    """Only the preset step is timed (no model): the old loop took ~1 s at 100 KB and grew
    with the square of the length; this is ~10 ms and grows linearly. The bound is loose (ratio
    of per-token times < 3 between 10x sizes; the quadratic loop gives ~10)."""
    paragraph = (
        "Moorfield will spend $80 million to repair the Old Harbor Bridge, Mayor Elena Ruiz "
        "announced on Wednesday. Work starts on March 3, 2025, officials said.\n\n"
    )
    nlp_ = nlp.get_nlp()

    def per_token(size: int) -> float:
        text = paragraph * (size // len(paragraph))
        starts = [a for a, _b in sentence_spans(text)]
        doc = nlp_.make_doc(text)
        best = float("inf")
        for _ in range(3):
            t0 = time.perf_counter()
            nlp._preset_sentence_starts(doc, starts)
            best = min(best, time.perf_counter() - t0)
        return best / len(doc)

    small, large = per_token(20_000), per_token(200_000)
    assert large / small < 3, (small, large)
