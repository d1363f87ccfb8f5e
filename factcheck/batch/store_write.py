"""The driver's write: an already-analysed article into the workspace, matched inside its block.

``Workspace.ingest`` analyses and then matches against every stored article; a batch has the
analysis already (from the engine's parallel map) and must only match inside the article's time
window. This is that second half of ``Workspace.ingest`` with the core's own rules
(``stories.story_links``, ``recording.new_article``, ``stories.store_article``: one transaction
per article, idempotent, stories merged inside it), with one change: candidates come from the
window's own index (``matching.BlockIndex``), not from a search over the whole store. It still
takes the workspace's writer lock and analysis cache (``_write_lock``, ``_remember``); a public
``Workspace.ingest_analysed(analysed, candidates)`` would make this a call (asked for).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from factcheck.batch.matching import BlockIndex
    from factcheck.pipeline import AnalysedArticle
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
    from factcheck.recording import new_article
    from factcheck.records import stored_precision
    from factcheck.stories import store_article, story_links

    key = ws.article_key(analysed.article)
    if analysed.article.id != key:
        analysed = replace(analysed, article=replace(analysed.article, id=key))
    with ws._write_lock:
        if ws.store.has_article(key):
            return Written(key, created=False)
        others = ws.analysed_articles(block.candidates(analysed))
        report = ws.pipeline.match(analysed, others)
        links = story_links(analysed, others, report, ws.pipeline.thresholds.story)
        new = new_article(analysed, report, links)
        stored = store_article(ws.store, new)  # one transaction: all of it or nothing
        if stored is None:  # another writer (an API worker) stored the same text first
            return Written(key, created=False)
        vectors = stored_precision(analysed.vectors, ws.store.vector_dtype)
        ws.index.committed((np.asarray(stored.view_ids, dtype=np.int64), vectors), [])
        ws._remember(replace(analysed, vectors=vectors))
        block.add(key, vectors)
    return Written(key, True, duplicates=len(new.duplicates), conflicts=len(new.conflicts))


def stored_summaries(ws: Workspace, page: int = 500) -> Iterator[dict[str, Any]]:
    """Every stored article's summary (id, published, story_id, ...), page by page."""
    offset: int | None = 0
    while offset is not None:
        listing = ws.articles(limit=page, offset=offset)
        yield from listing.items
        offset = listing.next_offset
