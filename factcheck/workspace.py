"""A data directory the service works in: the SQLite store, the FAISS index file and a pipeline.

The store is the source of truth; ``index.faiss`` is a cache of the stored view embeddings. The
in-memory index is updated after each committed write, but the file is rewritten (atomically,
together with the store's generation in ``index.json``) only every ``save_every`` writes or
``save_interval`` seconds, and on ``close``: at 1M sentences a save writes ~400 MB, far too much per
article. Nothing is lost by a crash in between: on open, a missing, unreadable or stale index
(generation or size differs) is rebuilt from the stored embeddings. One lock serialises the
writes (the store transaction of an ingest, a delete) so the index never sees two writers; the
analysis of a new article runs before it, outside the lock, and reads go straight to SQLite in
parallel.

Stories are connected groups of articles: a new article joins the story of every stored article
it is linked to (by the rule ``compare`` groups stories with: shared claims or close article
vectors) or duplicates, and merges stories it bridges.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from factcheck.errors import CancelledError, StoreError
from factcheck.store import (
    SCHEMA_VERSION,
    ConflictFilter,
    NewArticle,
    NewConflict,
    NewDuplicate,
    NewMatch,
    Page,
    Store,
    stored_precision,
)
from factcheck.types import Article, Report

if TYPE_CHECKING:
    from factcheck.analysis_pool import AnalysisPool
    from factcheck.index import VectorIndex
    from factcheck.pipeline import AnalysedArticle, Pipeline

log = logging.getLogger(__name__)

DB_FILE = "factcheck.sqlite3"
INDEX_FILE = "index.faiss"
INDEX_META_FILE = "index.json"
LOCK_FILE = "lock"
DEFAULT_SEARCH_K = 16  # neighbours per view when looking for candidate articles
DEFAULT_MAX_CANDIDATES = 32  # stored articles compared in full with a new one
_ANALYSIS_CACHE = 256  # stored analyses kept in memory (JSON parsing is the slow part)
DEFAULT_SAVE_EVERY = 64  # writes between index-file saves (the store is the source of truth)
DEFAULT_SAVE_INTERVAL = 60.0  # seconds: a dirty index is saved on the first write after this


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
    """Store + vector index + pipeline over one data directory."""

    def __init__(
        self,
        data_dir: Path | str,
        pipeline: Pipeline,
        *,
        search_k: int = DEFAULT_SEARCH_K,
        max_candidates: int = DEFAULT_MAX_CANDIDATES,
        save_every: int = DEFAULT_SAVE_EVERY,
        save_interval: float = DEFAULT_SAVE_INTERVAL,
        analysis_pool: AnalysisPool | None = None,
    ) -> None:
        self.data_dir = Path(data_dir)
        # spaCy analysis in worker processes (None: the pipeline's own, else in this process)
        self.analysis_pool = analysis_pool
        self.cancelled = 0  # ingests stopped by their caller (a client that went away)
        self.save_every = max(1, save_every)
        self.save_interval = save_interval
        self._unsaved = 0  # committed writes not yet in the index file
        self._saver: Future[None] | None = None  # the index save running in the background
        self._saved_at = time.monotonic()
        self.pipeline = pipeline
        self.search_k = search_k
        self.max_candidates = max_candidates
        self._write_lock = threading.RLock()  # store writes + index updates; never analysis
        self._cache: OrderedDict[str, AnalysedArticle] = OrderedDict()
        self._cache_lock = threading.Lock()
        self._lock_fd = _lock_dir(self.data_dir)
        try:
            self.store = Store(self.data_dir / DB_FILE)
            self.embedder_name = self._check_embedder()
            self.dim = int(pipeline.embedder.dim)
            self.index = self._open_index()
        except BaseException:
            self.close()
            raise

    # --- lifecycle ----------------------------------------------------------------------------

    def close(self) -> None:
        """Save a dirty index, close the store and release the data directory (idempotent)."""
        store = getattr(self, "store", None)
        if store is not None and not getattr(self, "_closed", False):
            self._closed = True
            try:
                self.flush()
            except Exception:  # the store is the source of truth: a stale index is rebuilt
                log.exception("saving the vector index on close failed; it is rebuilt on open")
            store.close()
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # closing the descriptor drops the flock
            self._lock_fd = None

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def index_path(self) -> Path:
        return self.data_dir / INDEX_FILE

    def _check_embedder(self) -> str:
        name = self.pipeline.embedder_name
        stored = self.store.meta("embedder")
        if stored is None:
            self.store.set_meta("embedder", name)
        elif stored != name and self.store.view_count():
            raise StoreError(
                f"{self.data_dir} holds embeddings of model {stored!r} but this run uses "
                f"{name!r}; run with the same model, or use a new --data-dir",
                detail={"stored": stored, "running": name},
            )
        return name

    # --- the index ----------------------------------------------------------------------------

    def _open_index(self) -> VectorIndex:
        from factcheck.index import VectorIndex

        reason = None
        meta_path = self.data_dir / INDEX_META_FILE
        try:
            index = VectorIndex.load(self.index_path)
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            generation, views = self.store.generation(), self.store.view_count()
            if int(meta.get("generation", -1)) != generation:
                reason = f"stale (index generation {meta.get('generation')}, store {generation})"
            elif len(index) != views:
                reason = f"stale ({len(index)} vectors, store has {views})"
            elif index.dim != self.dim:
                reason = f"built for dimension {index.dim}, the model has {self.dim}"
            else:
                return index
        except StoreError as exc:
            reason = exc.message
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            reason = f"no usable {meta_path.name} ({exc})"
        if self.store.view_count():
            log.warning("rebuilding the vector index from the store: %s", reason)
        return self.rebuild_index()

    def flush(self) -> None:
        """Write the index file now if writes happened since the last save (waits for a save
        running in the background first)."""
        self._wait_for_saver()
        with self._write_lock:
            if self._unsaved and getattr(self, "index", None) is not None:
                self._save_index()

    def rebuild_index(self) -> VectorIndex:
        """Build the index from the stored embeddings and save it; returns the new index.

        Exact below ``exact_index_limit`` vectors; above it the approximate index is trained once
        on all stored vectors (``VectorIndex.build``) rather than grown from a small sample.
        """
        from factcheck.index import VectorIndex

        limit = self.pipeline.config.exact_index_limit
        with self._write_lock:
            if self.store.view_count() > limit:
                parts = list(self.store.iter_vectors(batch=65_536))
                ids = np.concatenate([p[0] for p in parts])
                vectors = np.concatenate([p[1] for p in parts])
                del parts
                index = VectorIndex.build(ids, vectors, exact_limit=limit)
            else:
                index = VectorIndex(self.dim, exact_limit=limit)
                for ids, vectors in self.store.iter_vectors():
                    index.add(ids, vectors)
            self.index = index
            self._save_index()
            return index

    def _save_index(self, *, background: bool = False) -> None:
        """Save the index, then the generation it matches (a crash between leaves it stale).

        The caller holds the write lock, so the snapshot and the generation agree. With
        ``background`` only the in-memory snapshot is taken here (a copy: at 1M vectors ~0.4 GB,
        a fraction of a second) and a worker thread writes it, so a POST that happens to be due
        for a save does not wait seconds for the disk; at most one save runs at a time.
        """
        from factcheck.index import write_snapshot

        if background and self._saver is not None and not self._saver.done():
            return  # the previous save is still writing: try again at the next write
        snap = self.index.snapshot()
        meta = {
            "generation": self.store.generation(),
            "views": snap.size,
            "embedder": self.embedder_name,
            "dim": self.dim,
        }
        self._unsaved = 0
        self._saved_at = time.monotonic()

        def write() -> None:
            try:
                write_snapshot(self.index_path, snap)
                meta_path = self.data_dir / INDEX_META_FILE
                tmp = meta_path.with_name(f".{meta_path.name}.tmp-{os.getpid()}")
                tmp.write_text(json.dumps(meta), encoding="utf-8")
                os.replace(tmp, meta_path)
            except Exception:
                self._unsaved = max(self._unsaved, 1)  # retried by the next write or close
                raise

        if not background:
            self._wait_for_saver()  # an older snapshot must not land after this one
            write()
            return
        self._saver = _SAVER.submit(write)
        self._saver.add_done_callback(_log_save_failure)

    def _wait_for_saver(self) -> None:
        saver = getattr(self, "_saver", None)
        if saver is not None:
            with contextlib.suppress(Exception):  # logged by the callback; the next save retries
                saver.result()

    def _index_changed(self, add: tuple[list[int], np.ndarray] | None, remove: list[int]) -> None:
        """Apply a committed write to the index; save it when due; rebuild if that fails."""
        try:
            if remove:
                self.index.remove(remove)
            if add is not None and add[0]:
                self.index.add(np.asarray(add[0], dtype=np.int64), add[1])
            self._unsaved += 1
            due = time.monotonic() - self._saved_at >= self.save_interval
            if self._unsaved >= self.save_every or due:
                self._save_index(background=True)
        except Exception:
            log.exception("updating the vector index failed; rebuilding it from the store")
            self.rebuild_index()

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
        with self._write_lock:  # a generation read under the lock: the index agrees with it
            seen = self.store.generation()
        others, report = self._match(analysed)
        with self._write_lock:
            if self.store.has_article(key):  # a concurrent request stored it meanwhile
                return IngestResult(created=False, article=self.store.article(key))
            try:
                self._check_cancel(cancel, "the store transaction")
            except CancelledError as exc:
                self._note_cancelled(key, exc)
                raise
            if self.store.generation() != seen:  # other writes landed: match what is stored now
                others, report = self._match(analysed)
            new = self._new_article(analysed, report, self._story_links(analysed, others, report))
            _, view_ids = self.store.add_article(new)
            # The index gets the vectors as the store keeps them, so a rebuild changes nothing.
            stored = stored_precision(analysed.vectors, self.store.vector_dtype)
            self._index_changed((view_ids, stored), [])
            # cached as the store would give it back, so later matches do not change on restart
            self._remember(replace(analysed, vectors=stored))
        return IngestResult(created=True, article=self.store.article(key), report=report)

    @staticmethod
    def _check_cancel(cancel: threading.Event | None, stage: str) -> None:
        from factcheck.pipeline import check_cancel

        check_cancel(cancel, stage)

    def _note_cancelled(self, key: str, exc: CancelledError) -> None:
        self.cancelled += 1
        log.info("ingest of %s cancelled by its caller: %s; nothing stored", key, exc.message)

    def _match(self, analysed: AnalysedArticle) -> tuple[list[AnalysedArticle], Report]:
        """The stored candidates of ``analysed`` and its match report against them."""
        others = self.analysed_articles(self._candidates(analysed))
        return others, self.pipeline.match(analysed, others)

    def delete(self, article_id: str) -> None:
        """Remove an article from the store, the index, its story and every conflict it had."""
        with self._write_lock:
            view_ids = self.store.delete_article(article_id)  # NotFoundError if unknown
            with self._cache_lock:
                self._cache.pop(article_id, None)
            self._index_changed(None, view_ids)

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

    def _story_links(
        self, analysed: AnalysedArticle, others: Sequence[AnalysedArticle], report: Report
    ) -> list[str]:
        """Stored articles about the same event, by the rule ``compare`` groups stories with:
        enough shared claims, or article vectors past the calibrated story threshold."""
        from factcheck import align

        new_id = analysed.article.id
        everyone = [analysed, *others]
        sources = {a.article.id: a.article.source for a in everyone}
        vector = analysed.article_vector()
        threshold = self.pipeline.thresholds.story
        close = [
            (new_id, o.article.id)
            for o in others
            if vector.shape == o.article_vector().shape
            and float(vector @ o.article_vector()) >= threshold
        ]
        groups = align.stories([a.article.id for a in everyone], sources, report.matches, close)
        for story in groups:
            if new_id in story.article_ids:
                return [a for a in story.article_ids if a != new_id]
        return []

    @staticmethod
    def _new_article(analysed: AnalysedArticle, report: Report, links: list[str]) -> NewArticle:
        from factcheck.report import (
            article_to_dict,
            conflict_to_dict,
            duplicate_to_dict,
            match_to_dict,
            sentence_to_dict,
        )
        from factcheck.serialize import analysed_to_json

        a = analysed.article
        sentences = analysed.sentences

        def new_match(m: Any) -> NewMatch:
            return NewMatch(
                a_article=m.a.article_id,
                a_index=m.a.index,
                b_article=m.b.article_id,
                b_index=m.b.index,
                a_source=m.a_source,
                b_source=m.b_source,
                score=float(m.score),
                relation=m.relation,
                record=match_to_dict(m),
            )

        duplicates = []
        for d in report.duplicates:
            if a.id not in (d.a_id, d.b_id) or d.a_id == d.b_id:
                continue
            other = d.b_id if d.a_id == a.id else d.a_id
            duplicates.append(
                NewDuplicate(
                    duplicate_of=other,
                    score=float(d.score),
                    shared_sentences=int(d.shared_sentences),
                    record=duplicate_to_dict(d),
                )
            )
        return NewArticle(
            id=a.id,
            source=a.source,
            text=a.text,
            title=a.title,
            url=a.url,
            published=a.published.isoformat() if a.published else None,
            origin=a.origin,
            removed=list(a.removed),
            record=article_to_dict(a, len(sentences)),
            analysed=analysed_to_json(analysed),
            sentences=[sentence_to_dict(s, a.source) for s in sentences],
            sentence_spans=[(s.index, s.start, s.end, s.text) for s in sentences],
            view_sentence=np.asarray(analysed.view_sentence, dtype=np.int32),
            vectors=np.asarray(analysed.vectors, dtype=np.float32),
            matches=[new_match(m) for m in report.matches],
            conflicts=[
                NewConflict(
                    match=new_match(c.match),
                    type=c.type,
                    severity=c.severity,
                    explanation=c.explanation,
                    a_spans=[{"start": s.start, "end": s.end, "text": s.text} for s in c.a_spans],
                    b_spans=[{"start": s.start, "end": s.end, "text": s.text} for s in c.b_spans],
                    record=conflict_to_dict(c),
                )
                for c in report.conflicts
            ],
            duplicates=duplicates,
            links=links,
        )

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
        """``Store.story``: ``limit`` and ``articles_offset`` / ``claims_offset`` /
        ``conflicts_offset`` page its lists."""
        return self.store.story(story_id, **options)

    def health(self) -> dict[str, Any]:
        """Status, counts, model and index description (``degraded`` if they disagree)."""
        counts = self.store.counts()
        index = {**self.index.describe(), "unsaved_writes": self._unsaved}
        consistent = index["size"] == counts["views"]
        return {
            "status": "ok" if consistent else "degraded",
            "model": self.embedder_name,
            "relation_model": getattr(self.pipeline.relation, "name", None),
            "counts": counts,
            "index": index,
            "store": {"schema_version": SCHEMA_VERSION, "generation": self.store.generation()},
            "data_dir": str(self.data_dir),
        }


COPY_SCORE = 0.999  # cosine of a verbatim copy (float16 vectors and int8 search included)
MAX_SEARCH_K = 4096

_SAVER = ThreadPoolExecutor(1, thread_name_prefix="fc-index-save")


def _log_save_failure(fut: Future[None]) -> None:
    exc = fut.exception()
    if exc is not None:
        log.error("saving the vector index failed (%s); it is saved again later", exc)


def _lock_dir(data_dir: Path) -> int | None:
    """Hold an exclusive lock on the data directory: two processes must not share an index."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise StoreError(
            f"cannot use {data_dir} as the data directory ({exc.strerror}); choose a writable "
            "--data-dir (or FACTCHECK_DATA_DIR)",
            detail={"path": str(data_dir)},
        ) from exc
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks, carry on without
        return fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        raise StoreError(
            f"{data_dir} is in use by another factcheck process; stop it first or give this one "
            "its own --data-dir",
            detail={"path": str(data_dir)},
        ) from None
    return fd
