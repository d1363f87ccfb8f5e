"""A FAISS index in a file beside the repository: a cache of the stored view vectors.

The repository is the source of truth; ``index.faiss`` only saves rebuilding the index on every
start. The in-memory index follows each committed write at once, but the file is rewritten
(atomically, with the repository's generation in ``index.json``) only every ``save_every`` writes
or ``save_interval`` seconds, and on ``close``: at 1M sentences a save writes ~400 MB, far too much
per article. Nothing is lost by a crash in between: on open, a missing, unreadable or stale file
(generation or size differs) is rebuilt from the stored vectors. One process owns the file (the
SQLite backend locks its folder), so the generation check is enough.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.backends.faiss import fileformat
from factcheck.backends.faiss.index import VectorIndex
from factcheck.errors import StoreError
from factcheck.ports import ArticleRepository

log = logging.getLogger(__name__)

INDEX_FILE = "index.faiss"
INDEX_META_FILE = "index.json"

_SAVER = ThreadPoolExecutor(1, thread_name_prefix="fc-index-save")


class FileVectors:
    """``WorkspaceVectors`` over a ``VectorIndex`` saved in ``folder`` (thread-safe)."""

    def __init__(
        self,
        folder: Path,
        repository: ArticleRepository,
        *,
        dim: int,
        embedder: str,
        exact_limit: int,
        save_every: int,
        save_interval: float,
    ) -> None:
        self.folder = Path(folder)
        self.repository = repository
        self.embedder = embedder
        self.exact_limit = exact_limit
        self.save_every = max(1, save_every)
        self.save_interval = save_interval
        self._dim = dim
        self._lock = threading.RLock()  # the index and its saving; held briefly
        self.unsaved = 0  # committed writes not yet in the file
        self.saver: Future[None] | None = None  # the save running in the background
        self._saved_at = time.monotonic()
        self._closed = False
        self.index = self._open()

    # --- the VectorSearch port ------------------------------------------------------------

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def path(self) -> Path:
        return self.folder / INDEX_FILE

    @property
    def meta_path(self) -> Path:
        return self.folder / INDEX_META_FILE

    def __len__(self) -> int:
        return len(self.index)

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        self.index.add(ids, vectors)

    def remove(self, ids: Iterable[int]) -> int:
        return self.index.remove(ids)

    def search(self, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        return self.index.search(queries, k)

    def get(self, ids: Iterable[int]) -> np.ndarray:
        return self.index.get(ids)

    def ids(self) -> np.ndarray:
        return self.index.ids()

    def describe(self) -> dict[str, Any]:
        return {**self.index.describe(), "unsaved_writes": self.unsaved, "file": str(self.path)}

    # --- in step with the repository ------------------------------------------------------

    def _open(self) -> VectorIndex:
        reason = None
        try:
            index = VectorIndex.load(self.path)
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
            generation, views = self.repository.generation(), self.repository.view_count()
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
            reason = f"no usable {self.meta_path.name} ({exc})"
        if self.repository.view_count():
            log.warning("rebuilding the vector index from the store: %s", reason)
        return self._rebuilt()

    def rebuild(self) -> None:
        """Build the index from the stored vectors and save it."""
        self._rebuilt()

    def _rebuilt(self) -> VectorIndex:
        """Exact below ``exact_limit`` vectors; above it the approximate index is trained once
        on all stored vectors (``VectorIndex.build``) rather than grown from a small sample."""
        with self._lock:
            if self.repository.view_count() > self.exact_limit:
                parts = list(self.repository.iter_vectors(batch=65_536))
                ids = np.concatenate([p[0] for p in parts])
                vectors = np.concatenate([p[1] for p in parts])
                del parts
                index = VectorIndex.build(ids, vectors, exact_limit=self.exact_limit)
            else:
                index = VectorIndex(self.dim, exact_limit=self.exact_limit)
                for ids, vectors in self.repository.iter_vectors():
                    index.add(ids, vectors)
            self.index = index
            self._save()
            return index

    def committed(
        self, added: tuple[np.ndarray, np.ndarray] | None, removed: Sequence[int]
    ) -> None:
        """Apply a committed write; save when due; rebuild from the repository if that fails.
        The caller serialises writes, so the generation read at save time matches."""
        with self._lock:
            try:
                if len(removed):
                    self.index.remove(removed)
                if added is not None and len(added[0]):
                    self.index.add(np.asarray(added[0], dtype=np.int64), added[1])
                self.unsaved += 1
                due = time.monotonic() - self._saved_at >= self.save_interval
                if self.unsaved >= self.save_every or due:
                    self._save(background=True)
            except Exception:
                log.exception("updating the vector index failed; rebuilding it from the store")
                self._rebuilt()

    def flush(self) -> None:
        """Write the file now if writes happened since the last save (waits for a save running
        in the background first)."""
        self._wait_for_saver()
        with self._lock:
            if self.unsaved:
                self._save()

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            self.flush()
        except Exception:  # the store is the source of truth: a stale index is rebuilt
            log.exception("saving the vector index on close failed; it is rebuilt on open")

    def _save(self, *, background: bool = False) -> None:
        """Save the index, then the generation it matches (a crash between leaves it stale).

        With ``background`` only the in-memory snapshot is taken here (a copy: at 1M vectors
        ~0.4 GB, a fraction of a second) and a worker thread writes it, so a POST due for a save
        does not wait seconds for the disk; at most one save runs at a time.
        """
        if background and self.saver is not None and not self.saver.done():
            return  # the previous save is still writing: try again at the next write
        snap = self.index.snapshot()
        meta = {
            "generation": self.repository.generation(),
            "views": snap.size,
            "embedder": self.embedder,
            "dim": self.dim,
        }
        self.unsaved = 0
        self._saved_at = time.monotonic()

        def write() -> None:
            try:
                fileformat.write_snapshot(self.path, snap)
                tmp = self.meta_path.with_name(f".{self.meta_path.name}.tmp-{os.getpid()}")
                tmp.write_text(json.dumps(meta), encoding="utf-8")
                os.replace(tmp, self.meta_path)
            except Exception:
                self.unsaved = max(self.unsaved, 1)  # retried by the next write or close
                raise

        if not background:
            self._wait_for_saver()  # an older snapshot must not land after this one
            write()
            return
        self.saver = _SAVER.submit(write)
        self.saver.add_done_callback(_log_save_failure)

    def _wait_for_saver(self) -> None:
        if self.saver is not None:
            with contextlib.suppress(Exception):  # logged by the callback; the next save retries
                self.saver.result()


def _log_save_failure(fut: Future[None]) -> None:
    exc = fut.exception()
    if exc is not None:
        log.error("saving the vector index failed (%s); it is saved again later", exc)
