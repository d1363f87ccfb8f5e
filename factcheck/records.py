"""What the core and every storage backend exchange: plain, frozen records and paging rules.

These types sit above any backend (SQLite, PostgreSQL, ...) so adapters (the CLI, the service,
the dashboard) and the core import them from here, never from a backend module. An ingest is
described by one ``NewArticle`` (with its matches, conflicts, duplicates and story links), which
a repository writes in one transaction; listings come back as ``Page``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500
COPIES_LISTED = 20  # repeats through wire copies listed under a folded conflict (all counted)


def now() -> str:
    """UTC timestamp as stored (ISO 8601, microseconds, so string order is time order)."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def timestamp(value: dt.datetime | dt.date) -> str:
    """A date or datetime in the stored timestamp format (naive values are taken as UTC)."""
    if not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


# --- what one ingest writes -------------------------------------------------------------------


@dataclass(frozen=True)
class NewMatch:
    """A match between a sentence of the new article and one of a stored article."""

    a_article: str
    a_index: int
    b_article: str
    b_index: int
    a_source: str
    b_source: str
    score: float
    relation: str
    record: dict[str, Any]  # the report schema's match dict


@dataclass(frozen=True)
class NewConflict:
    """A conflict on a match (its sentences are named by article id + sentence index)."""

    match: NewMatch
    type: str
    severity: str
    explanation: str
    a_spans: list[dict[str, Any]]
    b_spans: list[dict[str, Any]]
    record: dict[str, Any]  # the report schema's conflict dict


@dataclass(frozen=True)
class NewDuplicate:
    """The new article is a (near-)copy of a stored one."""

    duplicate_of: str
    score: float
    shared_sentences: int
    record: dict[str, Any]


@dataclass(frozen=True)
class NewArticle:
    """Everything one ingest stores, in plain data, written in one transaction."""

    id: str
    source: str
    text: str
    record: dict[str, Any]  # the report schema's article dict
    analysed: dict[str, Any]  # the serialised analysed record (facts, cues, ...)
    sentences: Sequence[dict[str, Any]]  # report schema sentence dicts, in index order
    sentence_spans: Sequence[tuple[int, int, int, str]]  # (index, start, end, text) per sentence
    view_sentence: np.ndarray  # int32: sentence index of each view
    vectors: np.ndarray  # float32 (n_views, dim)
    title: str | None = None
    url: str | None = None
    published: str | None = None
    origin: str | None = None
    removed: Sequence[str] = ()
    matches: Sequence[NewMatch] = ()
    conflicts: Sequence[NewConflict] = ()
    duplicates: Sequence[NewDuplicate] = ()
    links: Sequence[str] = ()  # stored articles about the same event (story membership)


@dataclass(frozen=True)
class StoredAnalysis:
    """What the pipeline needs to compare a stored article again."""

    article_id: str
    source: str
    analysed: dict[str, Any]
    view_sentence: np.ndarray
    vectors: np.ndarray


@dataclass(frozen=True)
class Page:
    """One page of a listing; ``next_offset`` is None on the last page."""

    items: list[dict[str, Any]]
    total: int
    limit: int
    offset: int

    @property
    def next_offset(self) -> int | None:
        end = self.offset + len(self.items)
        return end if end < self.total else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "total": self.total,
            "limit": self.limit,
            "offset": self.offset,
            "next_offset": self.next_offset,
        }


@dataclass(frozen=True)
class ConflictFilter:
    """Filters of the conflict listing; None means "any"."""

    type: str | None = None
    severity: str | None = None  # exact severity
    min_severity: str | None = None
    source: str | None = None  # either side
    story: str | None = None
    article: str | None = None  # either side
    since: str | None = None  # stored timestamp format, inclusive
    types: tuple[str, ...] = field(default=())


# orders of the conflict listing: newest first, or most severe first (newest first within)
CONFLICT_ORDERS: tuple[str, ...] = ("newest", "severity")


def page_bounds(limit: int | None, offset: int | None) -> tuple[int, int]:
    """Clamp paging arguments to sane values (the service validates them before this)."""
    lim = DEFAULT_PAGE_SIZE if limit is None else max(1, min(int(limit), MAX_PAGE_SIZE))
    off = 0 if offset is None else max(0, int(offset))
    return lim, off


def stored_precision(vectors: np.ndarray, dtype: np.dtype[Any]) -> np.ndarray:
    """``vectors`` as they read back from a store of ``dtype`` (float32 out)."""
    return np.asarray(vectors, dtype=np.float32).astype(dtype).astype(np.float32)
