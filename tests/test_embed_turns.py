"""Concurrent callers of the ONNX embedder take turns: a short request is not held up until a
long article's thousands of sentences are embedded, and the vectors are the same bit for bit."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from factcheck import embed
from factcheck.embed import DEFAULT_ONNX_DIR, Embedder, _FairLock

LONG = [
    f"Paragraph {i}: the harbor authority said pier {i} would cost {i + 2} million dollars."
    for i in range(600)
]
SHORT = ["The orchestra opened its winter season with Baltic composers on Friday."]


def test_fair_lock_is_granted_in_arrival_order() -> None:
    lock = _FairLock()
    order: list[int] = []
    lock.__enter__()
    threads = []
    for i in range(5):
        t = threading.Thread(
            target=lambda i=i: (lock.__enter__(), order.append(i), lock.__exit__())
        )
        t.start()
        threads.append(t)
        time.sleep(0.05)  # each waits before the next arrives
    lock.__exit__()
    for t in threads:
        t.join(timeout=10)
    assert order == [0, 1, 2, 3, 4]


@pytest.fixture(scope="module")
def onnx() -> Embedder:
    if not (DEFAULT_ONNX_DIR / "manifest.json").is_file():
        pytest.skip("models/embedder/ is absent; run python -m training.export_embedder")
    return Embedder(backend="onnx", cache_size=0)


def test_a_short_encode_finishes_before_a_long_one(onnx: Embedder) -> None:
    started = threading.Event()
    real = onnx._embed

    def embed_(texts: list[str]) -> np.ndarray:
        started.set()
        return real(texts)

    onnx._embed = embed_  # type: ignore[method-assign]
    done: dict[str, float] = {}
    out: dict[str, np.ndarray] = {}

    def run(name: str, texts: list[str]) -> None:
        out[name] = onnx.encode(texts)
        done[name] = time.perf_counter()

    try:
        long_thread = threading.Thread(target=run, args=("long", LONG))
        long_thread.start()
        assert started.wait(timeout=30)
        run("short", SHORT)
        long_thread.join(timeout=300)
    finally:
        del onnx._embed
    assert done["short"] < done["long"], "the short encode waited for the whole long one"
    alone = np.stack([onnx.encode([t])[0] for t in LONG[:40]])
    assert np.array_equal(out["long"][:40], alone)  # turns do not change a vector
    assert np.array_equal(out["short"], onnx.encode(SHORT))
    assert len(LONG) > embed._TURN
