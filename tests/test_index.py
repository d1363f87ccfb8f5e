"""VectorIndex against a brute-force numpy oracle, in both kinds (exact and IVF-SQ8)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from factcheck.backends.faiss.index import KIND_FLAT, KIND_IVF_SQ8, VectorIndex
from factcheck.errors import NotFoundError, StoreError

DIM = 64


def unit(x: np.ndarray) -> np.ndarray:
    return (x / np.linalg.norm(x, axis=1, keepdims=True)).astype(np.float32)


def clustered(
    n: int, *, dim: int = DIM, clusters: int = 100, noise: float = 0.6, seed: int = 0
) -> np.ndarray:
    """Unit vectors around random centres: neighbours are close but not trivially separable."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((clusters, dim))
    labels = rng.integers(0, clusters, n)
    return unit(centres[labels] + noise * rng.standard_normal((n, dim)))


def oracle(
    ids: np.ndarray, vectors: np.ndarray, queries: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k by inner product: (scores, ids), best first."""
    scores = queries @ vectors.T
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, order, axis=1), ids[order]


def recall_at(found: np.ndarray, truth: np.ndarray) -> float:
    k = truth.shape[1]
    return float(np.mean([len(set(f) & set(t)) / k for f, t in zip(found, truth, strict=True)]))


Big = tuple[np.ndarray, np.ndarray, np.ndarray, VectorIndex]


@pytest.fixture(scope="module")
def big() -> Big:
    """~20k clustered vectors in an index forced approximate by a small exact_limit."""
    data = clustered(20_500, seed=1)
    vectors, queries = data[:20_000], data[20_000:]
    ids = np.arange(len(vectors), dtype=np.int64) * 7 + 3  # not row numbers
    index = VectorIndex.build(ids, vectors, exact_limit=1_000)
    return ids, vectors, queries, index


def test_small_index_is_exact_and_equals_oracle() -> None:
    vectors = clustered(3_000, seed=2)
    ids = np.arange(3_000, dtype=np.int64)[::-1].copy() * 11
    queries = clustered(50, seed=3)
    index = VectorIndex.build(ids, vectors, exact_limit=10_000)
    assert index.kind == KIND_FLAT and len(index) == 3_000
    scores, found = index.search(queries, 10)
    want_scores, want_ids = oracle(ids, vectors, queries, 10)
    np.testing.assert_array_equal(found, want_ids)
    np.testing.assert_allclose(scores, want_scores, atol=1e-5)


def test_approximate_index_meets_recall_target(big: Big) -> None:
    ids, vectors, queries, index = big
    assert index.kind == KIND_IVF_SQ8
    assert index.describe()["params"]["nlist"] > 1
    _, found = index.search(queries, 10)
    _, truth = oracle(ids, vectors, queries, 10)
    assert recall_at(found, truth) >= 0.95
    scores, _ = index.search(queries, 10)
    assert np.all(np.diff(scores, axis=1) <= 1e-6), "results must be best first"


def test_approximate_scores_are_close_to_exact(big: Big) -> None:
    ids, vectors, queries, index = big
    scores, found = index.search(queries[:20], 5)
    row = {int(i): r for r, i in enumerate(ids)}
    for q, (srow, irow) in enumerate(zip(scores, found, strict=True)):
        exact = vectors[[row[int(i)] for i in irow]] @ queries[q]
        np.testing.assert_allclose(srow, exact, atol=0.02)  # 8-bit codes: small error only


def test_growing_past_exact_limit_switches_kind_and_keeps_everything() -> None:
    vectors = clustered(4_000, seed=4)
    ids = np.arange(4_000, dtype=np.int64) + 100
    index = VectorIndex(DIM, exact_limit=2_500)
    for start in range(0, 4_000, 1_000):
        index.add(ids[start : start + 1_000], vectors[start : start + 1_000])
        expected = KIND_FLAT if start + 1_000 <= 2_500 else KIND_IVF_SQ8
        assert index.kind == expected
    assert len(index) == 4_000
    assert sorted(index.ids().tolist()) == ids.tolist()
    # Every stored vector finds itself first.
    _, found = index.search(vectors[::50], 1)
    assert found[:, 0].tolist() == ids[::50].tolist()


@pytest.mark.parametrize("exact_limit", [100_000, 500])
def test_removed_ids_are_never_returned(exact_limit: int) -> None:
    vectors = clustered(3_000, seed=5)
    ids = np.arange(3_000, dtype=np.int64) * 2
    index = VectorIndex.build(ids, vectors, exact_limit=exact_limit)
    gone = ids[::3]
    assert index.remove([*gone.tolist(), 999_999]) == len(gone)  # unknown id: ignored
    assert index.remove(gone) == 0
    assert len(index) == 3_000 - len(gone)
    _, found = index.search(vectors, 20)  # queries = the removed vectors themselves, too
    assert not set(found.ravel().tolist()) & set(gone.tolist())
    assert int(gone[0]) not in index and int(ids[1]) in index
    with pytest.raises(NotFoundError):
        index.get([int(gone[0])])
    # The survivors are still found.
    keep = np.setdiff1d(np.arange(3_000), np.arange(0, 3_000, 3))
    _, first = index.search(vectors[keep], 1)
    assert np.mean(first[:, 0] == ids[keep]) > 0.99


@pytest.mark.parametrize("exact_limit", [100_000, 500])
def test_adding_an_existing_id_replaces_its_vector(exact_limit: int) -> None:
    vectors = clustered(2_000, seed=6)
    ids = np.arange(2_000, dtype=np.int64)
    index = VectorIndex.build(ids, vectors, exact_limit=exact_limit)
    new = clustered(2_001, seed=6)[2_000:]  # a fresh vector from the same distribution
    index.add(np.array([7]), new)
    assert len(index) == 2_000
    np.testing.assert_allclose(index.get([7])[0], new[0], atol=0.02)
    _, found = index.search(new, 1)
    assert found[0, 0] == 7


@pytest.mark.parametrize("exact_limit", [100_000, 500])
def test_id_to_vector_consistency(exact_limit: int) -> None:
    vectors = clustered(2_000, seed=7)
    ids = np.random.default_rng(0).permutation(10_000)[:2_000].astype(np.int64)
    index = VectorIndex.build(ids, vectors, exact_limit=exact_limit)
    pick = [5, 17, 1_999, 0]
    got = index.get(ids[pick].tolist())
    atol = 0.0 if index.kind == KIND_FLAT else 0.02
    np.testing.assert_allclose(got, vectors[pick], atol=atol)
    assert sorted(index.ids().tolist()) == sorted(ids.tolist())


def test_repeated_id_in_one_batch_keeps_the_last_vector() -> None:
    vectors = clustered(3, seed=8)
    index = VectorIndex(DIM)
    index.add(np.array([1, 2, 1]), vectors)
    assert len(index) == 2
    np.testing.assert_allclose(index.get([1])[0], vectors[2])


def test_search_pads_when_fewer_than_k() -> None:
    index = VectorIndex(DIM)
    scores, found = index.search(clustered(2, seed=9), 3)
    assert (found == -1).all() and np.isneginf(scores).all()
    index.add(np.array([4, 5]), clustered(2, seed=10))
    scores, found = index.search(clustered(1, seed=11), 4)
    assert sorted(found[0, :2].tolist()) == [4, 5]
    assert found[0, 2:].tolist() == [-1, -1] and np.isneginf(scores[0, 2:]).all()


def test_bad_input_is_rejected() -> None:
    index = VectorIndex(DIM)
    with pytest.raises(ValueError, match="dimension"):
        index.add(np.array([1]), np.ones((1, DIM + 1), dtype=np.float32))
    with pytest.raises(ValueError, match=">= 0"):
        index.add(np.array([-1]), clustered(1))
    with pytest.raises(ValueError, match="ids for"):
        index.add(np.array([1, 2]), clustered(1))


def test_chunked_search_equals_unchunked(big: Big) -> None:
    _, _, queries, index = big
    whole = index.search(queries, 10)
    chunked = index.search(queries, 10, chunk_size=7)
    np.testing.assert_array_equal(whole[1], chunked[1])
    np.testing.assert_array_equal(whole[0], chunked[0])


def test_range_search_matches_oracle() -> None:
    vectors = clustered(2_000, seed=12)
    ids = np.arange(2_000, dtype=np.int64) + 1
    index = VectorIndex.build(ids, vectors)
    queries = vectors[:5]
    results = index.range_search(queries, 0.5)
    for q, (scores, found) in zip(queries, results, strict=True):
        sims = vectors @ q
        assert set(found.tolist()) == set(ids[sims > 0.5].tolist())
        assert np.all(np.diff(scores) <= 0)


@pytest.mark.parametrize("exact_limit", [100_000, 500])
def test_save_load_round_trip(tmp_path: Path, exact_limit: int) -> None:
    vectors = clustered(3_000, seed=13)
    ids = np.arange(3_000, dtype=np.int64) * 5
    index = VectorIndex.build(ids, vectors, exact_limit=exact_limit)
    index.remove(ids[:10])
    path = tmp_path / "sub" / "vectors.fcidx"
    index.save(path)
    loaded = VectorIndex.load(path)
    assert loaded.describe() == index.describe()
    queries = clustered(40, seed=14)
    for a, b in zip(index.search(queries, 10), loaded.search(queries, 10), strict=True):
        np.testing.assert_array_equal(a, b)
    assert sorted(loaded.ids().tolist()) == sorted(index.ids().tolist())
    # Still mutable after loading: removal and addition work on the loaded index.
    assert loaded.remove([int(ids[20])]) == 1
    loaded.add(np.array([1]), vectors[:1])
    assert int(ids[20]) not in loaded and 1 in loaded
    assert [p.name for p in path.parent.iterdir()] == ["vectors.fcidx"]  # no temp files left


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:200] + bytes([b[200] ^ 0xFF]) + b[201:],  # one flipped byte
        lambda b: b"not an index at all",
        lambda b: b"",
    ],
)
def test_corrupt_file_raises_store_error(tmp_path: Path, damage: Callable[[bytes], bytes]) -> None:
    path = tmp_path / "v.fcidx"
    VectorIndex.build(np.arange(100, dtype=np.int64), clustered(100)).save(path)
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(StoreError, match="rebuild"):
        VectorIndex.load(path)


def test_missing_file_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="build it"):
        VectorIndex.load(tmp_path / "nope.fcidx")


def test_concurrent_search_and_add_are_safe() -> None:
    vectors = clustered(6_000, seed=15)
    ids = np.arange(6_000, dtype=np.int64)
    index = VectorIndex.build(ids[:2_000], vectors[:2_000], exact_limit=4_000)
    errors: list[BaseException] = []

    def writer() -> None:
        try:
            for start in range(2_000, 6_000, 500):  # crosses exact_limit mid-way
                index.add(ids[start : start + 500], vectors[start : start + 500])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def reader() -> None:
        try:
            for _ in range(30):
                _, found = index.search(vectors[:50], 5)
                assert found[:, 0].tolist() == ids[:50].tolist()
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer)] + [
        threading.Thread(target=reader) for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(index) == 6_000 and index.kind == KIND_IVF_SQ8


def test_nprobe_tuning_stops_where_more_lists_stop_helping() -> None:
    """An unreachable recall target must not make every search scan all lists: past the
    plateau the 8-bit codes, not the lists, limit recall, and a full scan costs 100x."""
    vectors = clustered(12_000, clusters=20, noise=0.5, seed=3)
    index = VectorIndex.build(
        np.arange(len(vectors)), vectors, exact_limit=1_000, target_recall=1.01
    )
    params = index.describe()["params"]
    assert index.nprobe is not None and index.nprobe < params["nlist"] // 4
    full = VectorIndex.build(np.arange(len(vectors)), vectors, exact_limit=1_000)
    full.nprobe = params["nlist"]
    queries = clustered(200, clusters=20, noise=0.5, seed=3)  # same centres, other draws
    _, truth = oracle(np.arange(len(vectors)), vectors, queries, 10)
    tuned_recall = recall_at(index.search(queries, 10)[1], truth)
    full_recall = recall_at(full.search(queries, 10)[1], truth)
    assert tuned_recall >= full_recall - 0.02
