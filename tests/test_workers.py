"""WorkerPool: the order of results, and where the work runs."""

from __future__ import annotations

import threading
import time

from factcheck.workers import WorkerPool, default_workers


def test_results_come_back_in_input_order_from_the_pool_threads() -> None:
    pool = WorkerPool(2, "test-pool")
    seen: set[str] = set()

    def slow_square(x: int) -> int:
        seen.add(threading.current_thread().name)
        time.sleep(0.01 * (5 - x))  # later items finish first
        return x * x

    assert list(pool.map(slow_square, [0, 1, 2, 3, 4])) == [0, 1, 4, 9, 16]
    assert seen and all(name.startswith("test-pool") for name in seen)
    pool.close()
    assert list(pool.map(slow_square, [2, 3])) == [4, 9]  # restarts after close
    pool.close()


def test_one_worker_or_one_item_runs_on_the_calling_thread() -> None:
    me = threading.current_thread().name
    for pool, items in ((WorkerPool(1, "p1"), [1, 2, 3]), (WorkerPool(4, "p4"), [7])):
        names = list(pool.map(lambda _: threading.current_thread().name, items))
        assert names == [me] * len(items)


def test_default_workers_is_the_given_count_or_the_cores() -> None:
    assert default_workers(3) == 3 and default_workers(0) == 1
    assert default_workers(None) >= 1
