"""The seams between the core and where it keeps things: storage and vector search.

The core (``factcheck.workspace``, ``factcheck.stories``) talks only to these protocols, so the
same rules run on every backend: SQLite + FAISS in a folder (the default) or PostgreSQL +
pgvector shared by several workers. A backend implements them and registers itself in
``factcheck.backends``; adapters never import a backend.

Three ports:

* ``ArticleRepository``: the source of truth. Reads for the API and the pipeline, and
  ``transaction()``: one ``WriteTransaction`` per ingest or delete, committed whole or not at all.
  Writers are serialised by the backend (SQLite ``BEGIN IMMEDIATE``; PostgreSQL a lock taken at
  the start of the transaction), so the story rules, which read then write, never race.
* ``WriteTransaction``: the primitive writes and reads the story rules need; it stores, it does
  not decide (``factcheck.stories`` decides which articles form a story).
* ``VectorSearch``: add / remove / search / describe over (int64 id, float32 vector) pairs; the
  pipeline uses an in-memory one per ``compare``. ``WorkspaceVectors`` adds how the search of a
  workspace stays in step with its repository: a FAISS file is a cache rebuilt from the stored
  vectors, pgvector lives in the repository's own transaction.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, runtime_checkable

import numpy as np

from factcheck.records import ConflictFilter, NewArticle, Page, StoredAnalysis


@runtime_checkable
class VectorSearch(Protocol):
    """Nearest neighbours by inner product over unit vectors, keyed by int64 ids."""

    @property
    def dim(self) -> int: ...

    def __len__(self) -> int: ...

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        """Add (id, vector) pairs; ids must be new."""

    def remove(self, ids: Iterable[int]) -> int:
        """Remove ids (unknown ones are skipped); return how many were removed."""

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """(scores, ids), each (len(queries), k), best first; missing hits have id -1."""

    def get(self, ids: Iterable[int]) -> np.ndarray:
        """The stored vectors of ``ids`` (float32, in the order asked)."""

    def ids(self) -> np.ndarray:
        """Every stored id (int64)."""

    def describe(self) -> dict[str, Any]:
        """Kind, size, dimension and tuning, for /health and benchmarks."""


@runtime_checkable
class WorkspaceVectors(VectorSearch, Protocol):
    """The vector search of a workspace, kept in step with its repository."""

    def committed(
        self, added: tuple[np.ndarray, np.ndarray] | None, removed: Sequence[int]
    ) -> None:
        """Apply a write the repository has committed (views added and removed)."""

    def rebuild(self) -> None:
        """Rebuild from the vectors the repository holds (the source of truth)."""

    def flush(self) -> None:
        """Make what is in memory durable now (a no-op where the repository holds it)."""

    def close(self) -> None:
        """Flush and release resources (idempotent)."""


class WriteTransaction(Protocol):
    """One unit of work: what an ingest or a delete writes, committed together."""

    def has_article(self, article_id: str) -> bool: ...

    def generation(self) -> int:
        """The store's generation as this transaction sees it (before its own bump)."""

    def insert_article(self, new: NewArticle) -> list[int]:
        """Store the article, its sentences, views (vectors), matches, conflicts, duplicates and
        story links; return the view ids (in the order of ``new.vectors``, increasing). Raises
        ``StoreError`` when a match names a sentence that is not stored."""

    def delete_article(self, article_id: str) -> tuple[list[int], str | None]:
        """Remove the article and what depended on it; return (its view ids, its story id).
        Raises ``NotFoundError`` when it is not stored."""

    def neighbours(self, article_id: str) -> set[str]:
        """Stored articles linked to it (same event) or duplicating it, either direction."""

    def stories_of(self, article_ids: Collection[str]) -> list[str]:
        """The distinct stories holding these articles, oldest first (created, then id)."""

    def story_members(self, story_id: str) -> list[str]:
        """A story's articles, oldest first (stored, then id)."""

    def new_story(self) -> str:
        """Create an empty story; return its id."""

    def assign_story(self, story_id: str, article_ids: Collection[str]) -> None:
        """Put articles in a story (moving them out of the one they were in)."""

    def drop_story(self, story_id: str) -> None:
        """Delete a story (its members must have been moved first)."""


class ArticleRepository(Protocol):
    """The source of truth of a workspace: every article and what was found about it."""

    @property
    def vector_dtype(self) -> np.dtype[Any]:
        """The precision vectors are stored at (the core keeps its copies at the same one)."""

    def transaction(self) -> AbstractContextManager[WriteTransaction]:
        """One serialised write transaction; bumps ``generation`` when it commits."""

    def close(self) -> None: ...

    def describe(self) -> dict[str, Any]:
        """Backend name, schema version, where it lives (no secrets), for /health."""

    # --- meta -----------------------------------------------------------------------------

    def meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def generation(self) -> int:
        """High-water mark bumped by every committed write."""

    # --- reads for the pipeline -----------------------------------------------------------

    def has_article(self, article_id: str) -> bool: ...

    def view_articles(self, view_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
        """view id -> (article id, source) for the ids still stored."""

    def analyses(self, article_ids: Sequence[str]) -> list[StoredAnalysis]:
        """Analysed records and view vectors of stored articles (unknown ids skipped)."""

    def iter_vectors(self, batch: int = 4096) -> Iterator[tuple[np.ndarray, np.ndarray]]:
        """Every stored view vector as (int64 ids, float32 matrix) batches, in id order."""

    def view_count(self) -> int: ...

    # --- reads for the adapters -----------------------------------------------------------

    def counts(self) -> dict[str, int]:
        """Rows per kind: articles, sentences, views, matches, conflicts, duplicates, stories."""

    def article(self, article_id: str) -> dict[str, Any]:
        """The full stored view of one article (raises ``NotFoundError``)."""

    def articles(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        source: str | None = None,
        story: str | None = None,
    ) -> Page:
        """Article summaries, newest first."""

    def conflicts(
        self,
        filters: ConflictFilter | None = None,
        *,
        limit: int | None = None,
        offset: int | None = None,
        order: str = "newest",
    ) -> Page:
        """Conflicts matching ``filters`` (wire-copy repeats folded), in ``order``."""

    def stories(self, *, limit: int | None = None, offset: int | None = None) -> Page:
        """Story summaries, most recently updated first."""

    def story(
        self,
        story_id: str,
        *,
        limit: int | None = None,
        articles_offset: int | None = None,
        claims_offset: int | None = None,
        conflicts_offset: int | None = None,
        every_conflict: bool = False,
    ) -> dict[str, Any]:
        """One story: summary plus one page of its articles, aligned claims and conflicts."""
