"""The engine of the service: ingest, delete, compare and read, over the storage ports.

A ``Workspace`` holds a repository (the source of truth) and a vector search over the stored
views, both opened from a store URL by ``factcheck.backends.open_backend`` (a data folder path
means ``sqlite://<folder>``: SQLite + a FAISS file, the default), and a pipeline. It never
touches a backend directly, so the same rules run on SQLite + FAISS and PostgreSQL + pgvector.

One lock serialises this process's writes (the store transaction of an ingest or delete and the
vector update after it); the analysis of a new article runs before it, outside the lock, and
reads go straight to the repository in parallel. Across processes the repository's transaction
is what serialises: an ingest is stored only if no write landed since its matching (the
generation is read inside the transaction), else it is matched again. Story rules live in
``factcheck.stories``.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from factcheck.backends import (
    DEFAULT_SAVE_EVERY,
    DEFAULT_SAVE_INTERVAL,
    BackendOptions,
    open_backend,
    redact,
    scheme_of,
    store_url,
)
from factcheck.errors import CancelledError
from factcheck.recording import new_article
from factcheck.records import ConflictFilter, Page, stored_precision
from factcheck.stories import StaleWrite, delete_article, store_article, story_links
from factcheck.types import Article, Report

if TYPE_CHECKING:
    from factcheck.analysis_pool import AnalysisPool
    from factcheck.pipeline import AnalysedArticle, Pipeline
    from factcheck.ports import ArticleRepository, WorkspaceVectors

    Candidates = Callable[[AnalysedArticle], Sequence[str]]  # stored ids to compare, best first

log = logging.getLogger(__name__)

DEFAULT_SEARCH_K = 16  # neighbours per view when looking for candidate articles
DEFAULT_MAX_CANDIDATES = 32  # stored articles compared in full with a new one
_ANALYSIS_CACHE = 256  # stored analyses kept in memory (JSON parsing is the slow part)
MAX_REMATCH = 8  # an ingest matched again this often when other workers keep writing
COPY_SCORE = 0.999  # cosine of a verbatim copy (float16 vectors and int8 search included)
MAX_SEARCH_K = 4096


@dataclass(frozen=True)
class IngestResult:
    """What ``Workspace.ingest`` did: ``created`` is False when the article was already stored."""

    created: bool
    article: dict[str, Any]  # the stored view: id, source, sentences, matches, conflicts, ...
    report: Report | None = None  # the match report of a fresh ingest

    @property
    def id(self) -> str:
        return str(self.article["id"])


class Workspace:
    """Repository + vector search + pipeline over one store (a data folder or a store URL)."""

    def __init__(
        self,
        location: Path | str,
        pipeline: Pipeline,
        *,
        search_k: int = DEFAULT_SEARCH_K,
        max_candidates: int = DEFAULT_MAX_CANDIDATES,
        save_every: int = DEFAULT_SAVE_EVERY,
        save_interval: float = DEFAULT_SAVE_INTERVAL,
        analysis_pool: AnalysisPool | None = None,
        backend_options: dict[str, Any] | None = None,
    ) -> None:
        self.url = store_url(location)
        # the data folder of a SQLite store (None for a database server)
        self.data_dir: Path | None = (
            Path(self.url.partition("://")[2]).expanduser()
            if scheme_of(self.url) == "sqlite"
            else None
        )
        # spaCy analysis in worker processes (None: the pipeline's own, else in this process)
        self.analysis_pool = analysis_pool
        self.cancelled = 0  # ingests stopped by their caller (a client that went away)
        self.pipeline = pipeline
        self.search_k = search_k
        self.max_candidates = max_candidates
        self.embedder_name = pipeline.embedder_name
        self.dim = int(pipeline.embedder.dim)
        self._write_lock = threading.RLock()  # store writes + vector updates; never analysis
        self._cache: OrderedDict[str, AnalysedArticle] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._closed = False
        options = BackendOptions(
            dim=self.dim,
            embedder=self.embedder_name,
            exact_limit=pipeline.config.exact_index_limit,
            save_every=save_every,
            save_interval=save_interval,
            extra=dict(backend_options or {}),
        )
        self.backend = open_backend(self.url, options)
        self.store: ArticleRepository = self.backend.repository
        self.index: WorkspaceVectors = self.backend.vectors

    # --- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Save a dirty index and close the backend (idempotent)."""
        if not self._closed:
            self._closed = True
            with self._write_lock:
                self.backend.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def flush(self) -> None:
        """Make the vector search durable now (a FAISS file is written if writes happened)."""
        with self._write_lock:
            self.index.flush()

    def rebuild_index(self) -> None:
        """Rebuild the vector search from the stored vectors."""
        with self._write_lock:
            self.index.rebuild()

    # --- writes -------------------------------------------------------------------------------

    @staticmethod
    def article_key(article: Article) -> str:
        """The stored id: a hash of source and normalised text, so re-posting finds it."""
        from factcheck.ingest import article_id

        return article_id(article.source, article.text)

    def ingest(self, article: Article, *, cancel: threading.Event | None = None) -> IngestResult:
        """Analyse, match against stored articles of other sources, and store; idempotent.

        ``cancel``, once set (the service sets it when the client has gone), stops the ingest
        before its next stage (analysis, embedding, matching, the store transaction) with
        ``CancelledError``; nothing is stored then.

        Only the store transaction (and the index update that follows it) holds the writer lock.
        Analysis (sentences, facts, embeddings) runs outside it, so a long article does not stop
        other writers; so does a first matching against the stored articles. Under the lock the
        match is kept if no write landed meanwhile (the store's generation is unchanged), else it
        is redone against the store as it now is (relation scores come from the cache by then).
        The generation is checked again inside the transaction, where other processes sharing
        the store cannot write either.
        """
        key = self.article_key(article)
        if article.id != key:
            article = replace(article, id=key)
        if self.store.has_article(key):
            return IngestResult(created=False, article=self.store.article(key))
        try:
            self._check_cancel(cancel, "analysis")
            analysed = self.pipeline.analyse(article, pool=self.analysis_pool, cancel=cancel)
            self._check_cancel(cancel, "matching")
        except CancelledError as exc:
            self._note_cancelled(key, exc)
            raise
        return self.ingest_analysed(analysed, cancel=cancel)

    def ingest_analysed(
        self,
        analysed: AnalysedArticle,
        *,
        candidates: Candidates | None = None,
        cancel: threading.Event | None = None,
    ) -> IngestResult:
        """The second half of ``ingest``, for an article analysed already (a batch analyses in
        parallel first): match it against stored candidates and store it; idempotent.

        ``candidates(analysed)`` names the stored articles to compare with, best first (default:
        the vector search over the whole store; a batch passes its time window's own).
        """
        key = self.article_key(analysed.article)
        if analysed.article.id != key:
            analysed = replace(analysed, article=replace(analysed.article, id=key))
        with self._write_lock:  # a generation read under the lock: the index agrees with it
            seen = self.store.generation()
        others, report = self._match(analysed, candidates)
        with self._write_lock:
            for attempt in range(MAX_REMATCH + 1):
                if self.store.has_article(key):  # a concurrent request stored it meanwhile
                    return IngestResult(created=False, article=self.store.article(key))
                try:
                    self._check_cancel(cancel, "the store transaction")
                except CancelledError as exc:
                    self._note_cancelled(key, exc)
                    raise
                now = self.store.generation()
                if now != seen:  # other writes landed: match what is stored now
                    seen = now
                    others, report = self._match(analysed, candidates)
                links = story_links(analysed, others, report, self.pipeline.thresholds.story)
                new = new_article(analysed, report, links)
                try:  # the last attempt stores whatever landed meanwhile
                    stored = store_article(
                        self.store, new, generation=seen if attempt < MAX_REMATCH else None
                    )
                except StaleWrite:  # another worker wrote since ``seen``: match again
                    continue
                break
            if stored is None:  # another worker stored the same text first
                return IngestResult(created=False, article=self.store.article(key))
            # The index gets the vectors as the store keeps them, so a rebuild changes nothing.
            vectors = stored_precision(analysed.vectors, self.store.vector_dtype)
            self.index.committed((np.asarray(stored.view_ids, dtype=np.int64), vectors), [])
            # cached as the store would give it back, so later matches do not change on restart
            self._remember(replace(analysed, vectors=vectors))
        return IngestResult(created=True, article=self.store.article(key), report=report)

    @staticmethod
    def _check_cancel(cancel: threading.Event | None, stage: str) -> None:
        from factcheck.pipeline import check_cancel

        check_cancel(cancel, stage)

    def _note_cancelled(self, key: str, exc: CancelledError) -> None:
        self.cancelled += 1
        log.info("ingest of %s cancelled by its caller: %s; nothing stored", key, exc.message)

    def _match(
        self, analysed: AnalysedArticle, candidates: Candidates | None = None
    ) -> tuple[list[AnalysedArticle], Report]:
        """The stored candidates of ``analysed`` and its match report against them."""
        found = (candidates or self._candidates)(analysed)
        others = self.analysed_articles(found)
        return others, self.pipeline.match(analysed, others)

    def delete(self, article_id: str) -> None:
        """Remove an article from the store, the index, its story and every conflict it had."""
        with self._write_lock:
            view_ids = delete_article(self.store, article_id)  # NotFoundError if unknown
            with self._cache_lock:
                self._cache.pop(article_id, None)
            self.index.committed(None, view_ids)

    def compare(self, articles: Sequence[Article]) -> Report:
        """Compare articles without storing anything (the service's POST /compare)."""
        return self.pipeline.compare(articles, pool=self.analysis_pool)

    def _candidates(self, analysed: AnalysedArticle) -> list[str]:
        """Stored articles with a view close to one of the new article's views, best first."""
        if len(self.index) == 0 or len(analysed.vectors) == 0:
            return []
        k = min(self.search_k, len(self.index))
        scores, ids = self.index.search(analysed.vectors, k)
        # verbatim copies of a sentence fill the window (republished wire copy): look deeper
        # until the window ends below a copy, so the original and other reports are still found
        while k < min(len(self.index), MAX_SEARCH_K) and bool((scores[:, -1] >= COPY_SCORE).any()):
            k = min(k * 4, len(self.index), MAX_SEARCH_K)
            scores, ids = self.index.search(analysed.vectors, k)
        keep = (ids >= 0) & (scores >= self.pipeline.related_threshold)
        best: dict[int, float] = {}
        for vid, score in zip(ids[keep].tolist(), scores[keep].tolist(), strict=True):
            best[vid] = max(score, best.get(vid, -1.0))
        owners = self.store.view_articles(best)
        per_article: dict[str, tuple[float, int]] = {}
        for vid, score in best.items():
            if vid in owners:
                aid = owners[vid][0]
                old = per_article.get(aid, (-1.0, vid))
                per_article[aid] = (max(score, old[0]), min(vid, old[1]))
        per_article.pop(analysed.article.id, None)
        # best first; among copies scoring the same, the one stored first (the original)
        ranked = sorted(per_article, key=lambda a: (-per_article[a][0], per_article[a][1], a))
        return ranked[: self.max_candidates]

    def analysed_articles(self, article_ids: Sequence[str]) -> list[AnalysedArticle]:
        """Stored analyses (from the in-memory cache or the store), in the order asked."""
        from factcheck.serialize import analysed_from_json

        found: dict[str, AnalysedArticle] = {}
        with self._cache_lock:
            for aid in article_ids:
                if aid in self._cache:
                    self._cache.move_to_end(aid)
                    found[aid] = self._cache[aid]
        missing = [a for a in article_ids if a not in found]
        for stored in self.store.analyses(missing):
            found[stored.article_id] = analysed_from_json(stored.analysed, stored.vectors)
            self._remember(found[stored.article_id])
        return [found[a] for a in article_ids if a in found]

    def _remember(self, analysed: AnalysedArticle) -> None:
        with self._cache_lock:
            self._cache[analysed.article.id] = analysed
            self._cache.move_to_end(analysed.article.id)
            while len(self._cache) > _ANALYSIS_CACHE:
                self._cache.popitem(last=False)

    # --- reads --------------------------------------------------------------------------------

    def get(self, article_id: str) -> dict[str, Any]:
        return self.store.article(article_id)

    def articles(
        self,
        *,
        limit: int | None = None,
        offset: int | None = None,
        source: str | None = None,
        story: str | None = None,
    ) -> Page:
        return self.store.articles(limit=limit, offset=offset, source=source, story=story)

    def conflicts(
        self,
        filters: ConflictFilter | None = None,
        *,
        limit: int | None = None,
        offset: int | None = None,
        order: str = "newest",
    ) -> Page:
        return self.store.conflicts(filters, limit=limit, offset=offset, order=order)

    def stories(self, *, limit: int | None = None, offset: int | None = None) -> Page:
        return self.store.stories(limit=limit, offset=offset)

    def story(self, story_id: str, **options: Any) -> dict[str, Any]:
        """``ArticleRepository.story``: ``limit`` and ``articles_offset`` / ``claims_offset`` /
        ``conflicts_offset`` page its lists."""
        return self.store.story(story_id, **options)

    def health(self) -> dict[str, Any]:
        """Status, counts, model, index and store description (``degraded`` if they disagree)."""
        counts = self.store.counts()
        index = self.index.describe()
        consistent = index["size"] == counts["views"]
        described = self.store.describe()
        return {
            "status": "ok" if consistent else "degraded",
            "model": self.embedder_name,
            "relation_model": getattr(self.pipeline.relation, "name", None),
            "counts": counts,
            "index": index,
            "store": {
                "backend": described.get("backend"),
                "schema_version": described.get("schema_version"),
                "generation": self.store.generation(),
            },
            "data_dir": str(self.data_dir) if self.data_dir is not None else redact(self.url),
        }
