"""The driver's write: an already-analysed article into the workspace, matched inside its block.

``Workspace.ingest`` analyses and then matches against every stored article; a batch has the
analysis already (from the engine's parallel map) and must only match inside the article's time
window. This is that second half of ``Workspace.ingest``, step for step (the same candidate
search, story links, store record and index update, one store transaction per article), with
one change: candidates outside the window are dropped before the best ``max_candidates`` are
kept. It uses the workspace's internals; a public ``Workspace.ingest_analysed(analysed,
candidates=...)`` would let this module shrink to the blocking rule (asked for in the report).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from factcheck.pipeline import AnalysedArticle
    from factcheck.types import Report
    from factcheck.workspace import Workspace

InBlock = Callable[[str], bool]  # is this stored article id inside the new article's window?


@dataclass(frozen=True)
class Written:
    """What one driver write did: ``created`` False when the article was already stored."""

    article_id: str
    created: bool
    duplicates: int = 0  # near-duplicate (wire copy) links stored with it
    conflicts: int = 0  # conflicts stored with it


def ingest_analysed(ws: Workspace, analysed: AnalysedArticle, in_block: InBlock) -> Written:
    """Match ``analysed`` against stored articles of its block and store it (idempotent)."""
    from factcheck.store import stored_precision

    key = ws.article_key(analysed.article)
    if analysed.article.id != key:
        analysed = replace(analysed, article=replace(analysed.article, id=key))
    with ws._write_lock:
        if ws.store.has_article(key):
            return Written(key, created=False)
        others = ws.analysed_articles(_candidates(ws, analysed, in_block))
        report: Report = ws.pipeline.match(analysed, others)
        links = ws._story_links(analysed, others, report)
        new = ws._new_article(analysed, report, links)
        _, view_ids = ws.store.add_article(new)  # one transaction: all of it or nothing
        stored = stored_precision(analysed.vectors, ws.store.vector_dtype)
        ws._index_changed((view_ids, stored), [])
        ws._remember(replace(analysed, vectors=stored))
    return Written(key, True, duplicates=len(new.duplicates), conflicts=len(new.conflicts))


def _candidates(ws: Workspace, analysed: AnalysedArticle, in_block: InBlock) -> list[str]:
    """The workspace's own candidate ranking, restricted to the block, best first."""
    keep = ws.max_candidates
    ws.max_candidates = 1 << 30  # rank them all; the window cuts before the best few are kept
    try:
        ranked = ws._candidates(analysed)
    finally:
        ws.max_candidates = keep
    return [a for a in ranked if in_block(a)][:keep]


def stored_summaries(ws: Workspace, page: int = 500) -> Iterator[dict[str, Any]]:
    """Every stored article's summary (id, published, story_id, ...), page by page."""
    offset: int | None = 0
    while offset is not None:
        listing = ws.articles(limit=page, offset=offset)
        yield from listing.items
        offset = listing.next_offset
