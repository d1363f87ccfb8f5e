"""A small lazy thread pool for running ONNX sessions one item at a time, side by side.

Why one item at a time: both shipped models are int8 with *dynamic* activation quantisation,
whose scale is taken over the whole input tensor, so in a padded batch one item's result would
depend on its batch mates. Run alone, an item depends only on itself; ONNX Runtime releases the
GIL while it runs, so ``workers`` items on one intra-op thread each use the cores instead.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def default_workers(threads: int | None) -> int:
    """``threads`` if given, else one worker per CPU core."""
    return max(1, threads if threads is not None else (os.cpu_count() or 1))


class WorkerPool:
    """``map`` over a lazily started pool of ``workers`` threads (inline for one worker or item)."""

    def __init__(self, workers: int, name: str) -> None:
        self.workers = max(1, workers)
        self._name = name
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
        """``fn`` of each item, in input order."""
        if self.workers == 1 or len(items) <= 1:
            return map(fn, items)
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix=self._name)
            pool = self._pool
        return pool.map(fn, items)

    def close(self) -> None:
        """Stop the threads (they also stop with the process)."""
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None
