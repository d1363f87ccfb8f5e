"""A process pool for spaCy analysis, the costly part of an ingest that threads cannot share.

spaCy is not thread-safe, so in one process every parse runs under one lock (``factcheck.nlp``)
and holds the GIL while it runs: two articles posted together parse one after the other on one
core. ``AnalysisPool`` runs ``facts.analyse_many`` in worker processes instead (``spawn``: a fresh
interpreter, no forked locks or ONNX threads), each of which loads spaCy once in its initializer,
so ``workers`` articles parse side by side. What crosses the boundary is plain data: the
``Article`` in, the tuple of ``SentenceFacts`` out (frozen dataclasses, pickled), the same values
an in-process analysis gives.

A worker that dies (killed, out of memory) breaks a ``ProcessPoolExecutor`` for good: the pool is
then rebuilt, the task that was running fails with ``WorkerError`` (HTTP 503, retry) and the next
one runs on fresh workers; nothing waits forever. A task is handed to the executor only when a
worker is free (the executor would otherwise move queued tasks into its call queue, where they
count as running and can no longer be cancelled); until then it waits here. A caller may pass a
``threading.Event``: it is polled while the task waits for a worker and while its result is
awaited; once it is set a task that has not started is dropped and ``CancelledError`` raised; a
parse already running finishes in its worker and its result is discarded.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from factcheck.errors import CancelledError, WorkerError
from factcheck.types import Article, SentenceFacts

log = logging.getLogger(__name__)

R = TypeVar("R")
POLL_SECONDS = 0.05  # how often a waiting caller looks at its cancel flag
START_METHOD = "spawn"


def default_workers() -> int:
    """Two workers, or one on a one-core machine."""
    return min(2, os.cpu_count() or 1)


def _init_worker() -> None:
    """Load spaCy once per worker process, before its first task."""
    from factcheck.nlp import get_nlp

    get_nlp()


def _ready() -> int:
    return os.getpid()


def _analyse(articles: Sequence[Article]) -> list[tuple[SentenceFacts, ...]]:
    from factcheck.facts import analyse_many

    return [tuple(f) for f in analyse_many(articles)]


class AnalysisPool:
    """``analyse_many`` of ``factcheck.facts`` in ``workers`` processes (rebuilt if one dies)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, workers if workers is not None else default_workers())
        self.rebuilds = 0  # times a broken pool was replaced
        self._lock = threading.Lock()
        self._slots = threading.Semaphore(self.workers)  # free workers
        self._closed = False
        self._executor = self._new_executor()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            self.workers,
            mp_context=multiprocessing.get_context(START_METHOD),
            initializer=_init_worker,
        )

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> list[int]:
        """Start every worker now (spaCy loads in each) and wait for them; their process ids.

        Workers start on demand: ``workers`` tasks submitted before any worker is idle start
        ``workers`` processes.
        """
        futures = [self._submit(_ready) for _ in range(self.workers)]
        return sorted({self._wait(f) for f in futures})

    def pids(self) -> list[int]:
        """Process ids of the running workers (for tests and diagnostics)."""
        procs = getattr(self._executor, "_processes", None) or {}
        return sorted(procs)

    def close(self) -> None:
        """Stop the workers; queued tasks are cancelled (idempotent)."""
        with self._lock:
            self._closed = True
            executor = self._executor
        executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> AnalysisPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- work ---------------------------------------------------------------------------------

    def analyse_many(
        self, articles: Sequence[Article], cancel: threading.Event | None = None
    ) -> list[tuple[SentenceFacts, ...]]:
        """``facts.analyse_many(articles)`` in a worker; ``cancel`` withdraws it (see module)."""
        return self.call(_analyse, list(articles), cancel=cancel)

    def call(self, fn: Callable[..., R], *args: Any, cancel: threading.Event | None = None) -> R:
        """``fn(*args)`` in a worker (``fn`` and ``args`` must pickle)."""
        while not self._slots.acquire(timeout=POLL_SECONDS):
            if cancel is not None and cancel.is_set():
                raise CancelledError(
                    "the analysis was cancelled before it started",
                    detail={"stage": "analysis", "started": False},
                )
        try:
            future = self._submit(fn, *args)
        except BaseException:
            self._slots.release()
            raise
        future.add_done_callback(lambda _f: self._slots.release())
        return self._wait(future, cancel)

    def _submit(self, fn: Callable[..., R], *args: Any) -> Future[R]:
        with self._lock:
            if self._closed:
                raise WorkerError("the analysis pool is shut down; the server is stopping")
            executor = self._executor
        try:
            return executor.submit(fn, *args)
        except BrokenProcessPool:  # broke after an earlier task: this one runs on a fresh pool
            self._rebuild(executor)
            with self._lock:
                executor = self._executor
            return executor.submit(fn, *args)

    def _wait(self, future: Future[R], cancel: threading.Event | None = None) -> R:
        executor = self._executor
        while True:
            try:
                return future.result(timeout=POLL_SECONDS if cancel is not None else None)
            except TimeoutError:
                if cancel is not None and cancel.is_set():
                    withdrawn = future.cancel()
                    raise CancelledError(
                        "the analysis was cancelled "
                        + ("before it started" if withdrawn else "while it ran; result dropped"),
                        detail={"stage": "analysis", "started": not withdrawn},
                    ) from None
            except BrokenProcessPool as exc:
                self._rebuild(executor)
                raise WorkerError(
                    "an analysis worker process died while analysing this request (killed or "
                    "out of memory); the workers were restarted: retry the request",
                    detail={"workers": self.workers},
                ) from exc

    def _rebuild(self, broken: ProcessPoolExecutor) -> None:
        """Replace ``broken`` by a fresh executor (once, however many callers noticed)."""
        with self._lock:
            if self._closed or self._executor is not broken:
                return
            self._executor = self._new_executor()
            self.rebuilds += 1
        log.error("an analysis worker died; the analysis pool was restarted")
        broken.shutdown(wait=False, cancel_futures=True)
