"""The driver's write: an already-analysed article into the workspace, matched inside its block.

``Workspace.ingest`` analyses and then matches against every stored article; a batch has the
analysis already (from the engine's parallel map) and must only match inside the article's time
window. This is that second half of ``Workspace.ingest``, step for step (story links, store
record and index update, one store transaction per article), with one change: candidates come
from the window's own index (``matching.BlockIndex``), not from a search over the whole store.
It uses the workspace's internals; a public ``Workspace.ingest_analysed(analysed,
candidates)`` would let this module shrink to a call (asked for in the report).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from factcheck.batch.matching import BlockIndex
    from factcheck.pipeline import AnalysedArticle
    from factcheck.types import Report
    from factcheck.workspace import Workspace



@dataclass(frozen=True)
class Written:
    """What one driver write did: ``created`` False when the article was already stored."""

    article_id: str
    created: bool
    duplicates: int = 0  # near-duplicate (wire copy) links stored with it
    conflicts: int = 0  # conflicts stored with it


def ingest_analysed(ws: Workspace, analysed: AnalysedArticle, block: BlockIndex) -> Written:
    """Match ``analysed`` against the stored articles of its window and store it (idempotent);
    ``block`` is the window's index, and gets the article's views once it is stored."""
    from factcheck.store import stored_precision

    key = ws.article_key(analysed.article)
    if analysed.article.id != key:
        analysed = replace(analysed, article=replace(analysed.article, id=key))
    with ws._write_lock:
        if ws.store.has_article(key):
            return Written(key, created=False)
        others = ws.analysed_articles(block.candidates(analysed))
        report: Report = ws.pipeline.match(analysed, others)
        links = ws._story_links(analysed, others, report)
        new = ws._new_article(analysed, report, links)
        _, view_ids = ws.store.add_article(new)  # one transaction: all of it or nothing
        stored = stored_precision(analysed.vectors, ws.store.vector_dtype)
        ws._index_changed((view_ids, stored), [])
        ws._remember(replace(analysed, vectors=stored))
        block.add(key, stored)
    return Written(key, True, duplicates=len(new.duplicates), conflicts=len(new.conflicts))


def stored_summaries(ws: Workspace, page: int = 500) -> Iterator[dict[str, Any]]:
    """Every stored article's summary (id, published, story_id, ...), page by page."""
    offset: int | None = 0
    while offset is not None:
        listing = ws.articles(limit=page, offset=offset)
        yield from listing.items
        offset = listing.next_offset
