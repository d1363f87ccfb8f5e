"""The driver's write: an already-analysed article into the workspace, matched inside its window.

``Workspace.ingest_analysed`` is the second half of ``Workspace.ingest`` (match, story links, one
store transaction, vector update; idempotent, rematched if another worker wrote meanwhile); the
batch gives it the window's own candidate search (``matching.BlockIndex``) instead of the search
over the whole store, and adds the stored article's views to that window index.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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
    from factcheck.records import stored_precision

    result = ws.ingest_analysed(analysed, candidates=block.candidates)
    if not result.created:
        return Written(result.id, created=False)
    block.add(result.id, stored_precision(analysed.vectors, ws.store.vector_dtype))
    conflicts = len(result.report.conflicts) if result.report is not None else 0
    return Written(result.id, True, len(result.article["duplicates"]), conflicts)


def stored_summaries(ws: Workspace, page: int = 500) -> Iterator[dict[str, Any]]:
    """Every stored article's summary (id, published, story_id, ...), page by page."""
    offset: int | None = 0
    while offset is not None:
        listing = ws.articles(limit=page, offset=offset)
        yield from listing.items
        offset = listing.next_offset
