"""Batch runs over a corpus: ``ingest`` (into a store) and ``compare`` (a report), blocked by
publication-time window, with the analysis map on any engine.

Stages: the corpus is cut into window blocks (date order, ``undated`` last; corpus order inside a
block) and the blocks into batches; the engine analyses the batches (the parallel part) and hands
them back in order; the driver matches each article against the stored articles of its window
(``matching.BlockIndex``) and writes it in its own store transaction
(``store_write.ingest_analysed``) while the engine goes on with later batches. The driver is one
writer in one order, so the same corpus gives the same store whichever engine analysed it, and a
re-run adds nothing (ids are content hashes; stored articles are skipped before analysis).
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from factcheck.batch.blocks import Window, block_keys, blocks
from factcheck.batch.local import Engine, plan
from factcheck.batch.matching import BlockIndex
from factcheck.batch.store_write import ingest_analysed, stored_summaries
from factcheck.batch.summary import IngestSummary

if TYPE_CHECKING:
    from factcheck.pipeline import AnalysedArticle, Pipeline
    from factcheck.types import Article, Report
    from factcheck.workspace import Workspace

Say = Callable[[str], None]  # one progress line (the CLI prints it on stderr)


def _canonical(ws: Workspace, articles: Sequence[Article]) -> list[Article]:
    """The articles under their stored ids (content hashes), so blocks know them by that id."""
    keyed = [(a, ws.article_key(a)) for a in articles]
    return [a if a.id == key else replace(a, id=key) for a, key in keyed]


def ingest(
    ws: Workspace,
    articles: Sequence[Article],
    engine: Engine,
    window: Window,
    *,
    say: Say = lambda line: None,
) -> IngestSummary:
    """Analyse ``articles`` on ``engine`` and store them, matched inside their windows."""
    t0 = time.perf_counter()
    articles = _canonical(ws, articles)
    existing: dict[str, list[str]] = {}  # window -> stored article ids, oldest first
    stored_ids: set[str] = set()
    for row in sorted(stored_summaries(ws), key=lambda r: (str(r["created_at"]), r["id"])):
        existing.setdefault(window.key(_date(row.get("published"))), []).append(row["id"])
        stored_ids.add(row["id"])
    todo = [a for a in articles if a.id not in stored_ids]
    todo = list({a.id: a for a in todo}.values())  # the same text twice is analysed once
    say(f"{len(articles)} article(s) read, {len(articles) - len(todo)} already stored")
    grouped = blocks(todo, window)
    batches = plan(grouped.values())
    keys = block_keys(todo, window)
    stored = duplicates = conflicts = 0
    driver = 0.0  # seconds matching and writing in the driver (the part that does not scale)
    key, index = None, None
    for part, analysed in _analysed(ws.pipeline, todo, batches, engine, say):
        t1 = time.perf_counter()
        if keys[part[0]] != key:  # a new block: batches never straddle two
            key, index = keys[part[0]], _block_index(ws)
            index.add_all(ws.analysed_articles(existing.get(key, [])))
        assert index is not None
        for a in analysed:
            written = ingest_analysed(ws, a, index)
            stored += written.created
            duplicates += written.duplicates
            conflicts += written.conflicts
        driver += time.perf_counter() - t1
    say(f"matching and writing in the driver: {driver:.1f} s")
    ws.flush()
    ids = {a.id for a in articles}
    stories = {s["story_id"] for s in stored_summaries(ws) if s["id"] in ids and s["story_id"]}
    return IngestSummary(
        articles=len(articles),
        stored=stored,
        already=len(articles) - stored,
        duplicates=duplicates,
        conflicts=conflicts,
        stories=len(stories),
        blocks=len(grouped),
        seconds=time.perf_counter() - t0,
        engine=engine.name,
        window=str(window),
    )


def compare(
    pipeline: Pipeline,
    articles: Sequence[Article],
    engine: Engine,
    window: Window,
    *,
    say: Say = lambda line: None,
) -> Report:
    """``Pipeline.compare`` with the analysis on ``engine`` and comparison per window block;
    the blocks' reports joined (articles in corpus order). Nothing is stored."""
    from factcheck.pipeline import check_sources

    check_sources(articles)
    grouped = blocks(articles, window)
    keys = block_keys(articles, window)
    per_block: dict[str, list[AnalysedArticle]] = {}
    for part, analysed in _analysed(pipeline, articles, plan(grouped.values()), engine, say):
        per_block.setdefault(keys[part[0]], []).extend(analysed)
    reports = [pipeline.compare_analysed(per_block[k]) for k in grouped]
    if len(reports) == 1:
        return reports[0]
    say(f"{len(grouped)} window block(s) compared")
    return join_reports(reports, [a.id for a in articles])


def join_reports(reports: Sequence[Report], order: Sequence[str]) -> Report:
    """One report from the reports of disjoint blocks: articles back in ``order``, stories
    sorted as ``align.stories`` sorts them (largest first, then id)."""
    from factcheck.types import Report

    rank = {aid: i for i, aid in enumerate(order)}
    stories = sorted(
        (s for r in reports for s in r.stories), key=lambda s: (-len(s.article_ids), s.id)
    )
    return Report(
        articles=tuple(
            sorted((a for r in reports for a in r.articles), key=lambda a: rank.get(a.id, -1))
        ),
        sentences=tuple(s for r in reports for s in r.sentences),
        matches=tuple(m for r in reports for m in r.matches),
        conflicts=tuple(c for r in reports for c in r.conflicts),
        duplicates=tuple(d for r in reports for d in r.duplicates),
        stories=tuple(stories),
        settings=dict(reports[0].settings) if reports else {},
        variants=tuple(v for r in reports for v in r.variants),
    )


def _analysed(
    pipeline: Pipeline,
    articles: Sequence[Article],
    batches: Sequence[Sequence[int]],
    engine: Engine,
    say: Say,
) -> Iterator[tuple[Sequence[int], list[AnalysedArticle]]]:
    """(positions, analyses) of each batch in plan order, with a progress line every ~10 %."""
    t0 = time.perf_counter()
    total, done = len(articles), 0
    step = max(1, total // 10)
    for part, analysed in zip(batches, engine.analyse(pipeline, articles, batches), strict=True):
        before, done = done, done + len(part)
        if done // step != before // step or done == total:
            say(f"analysed {done}/{total} on {engine.name}")
        yield part, analysed
    if total:
        secs = time.perf_counter() - t0
        say(f"{total} article(s) analysed and matched in {secs:.1f} s ({total / secs:.1f}/s)")


def _block_index(ws: Workspace) -> BlockIndex:
    """An empty window index searching as the workspace searches the whole store."""
    from factcheck.workspace import COPY_SCORE, MAX_SEARCH_K

    return BlockIndex(
        ws.dim,
        related=ws.pipeline.related_threshold,
        search_k=ws.search_k,
        max_candidates=ws.max_candidates,
        copy_score=COPY_SCORE,
        max_search_k=MAX_SEARCH_K,
    )


def _date(value: object) -> dt.date | None:
    from factcheck.ingest import parse_date

    return parse_date(value) if value else None
