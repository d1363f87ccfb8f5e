"""The vector-search contract, on every backend: what ``search`` returns equals a brute-force
oracle over the vectors the repository holds, through ingests, deletes and a reopen."""

from __future__ import annotations

import numpy as np
import pytest
from builders import DIM, delete, ingest, make_article, unit_vectors

from factcheck.backends import Backend, BackendOptions, memory_search, open_backend
from factcheck.ports import VectorSearch, WorkspaceVectors


def oracle(backend: Backend, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-k by inner product over every stored view vector."""
    parts = list(backend.repository.iter_vectors())
    ids = np.concatenate([p[0] for p in parts])
    vectors = np.concatenate([p[1] for p in parts])
    scores = queries @ vectors.T
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return np.take_along_axis(scores, order, axis=1), ids[order]


def assert_same_neighbours(
    got: tuple[np.ndarray, np.ndarray], want: tuple[np.ndarray, np.ndarray]
) -> None:
    """Same ids in the same order up to ties; the same scores (a half-precision backend may
    round the last digits)."""
    np.testing.assert_allclose(got[0], want[0], atol=2e-3)
    for row_got, row_want, scores in zip(got[1], want[1], want[0], strict=True):
        if list(row_got) != list(row_want):  # only a tie may swap two neighbours
            assert set(row_got) == set(row_want)
            assert np.ptp(scores) < 1e-3 or len(set(np.round(scores, 3))) < len(scores)


def _fill(backend: Backend, n: int) -> None:
    for i in range(n):
        texts = [f"Sentence {j} of article {i}." for j in range(3)]
        ingest(backend, make_article(f"a{i}", f"outlet{i % 3}", texts, seed=100 + i))


def test_search_equals_the_oracle_through_ingest_and_delete(backend: Backend) -> None:
    vectors = backend.vectors
    assert isinstance(vectors, WorkspaceVectors) and vectors.dim == DIM
    assert len(vectors) == 0
    _fill(backend, 12)
    assert len(vectors) == backend.repository.view_count() == 36
    queries = unit_vectors(20, seed=7)
    assert_same_neighbours(vectors.search(queries, 5), oracle(backend, queries, 5))
    removed = delete(backend, "a3") + delete(backend, "a7")
    assert len(vectors) == 30
    scores, ids = vectors.search(queries, 30)
    assert not set(removed) & set(ids.ravel().tolist())
    assert_same_neighbours((scores, ids), oracle(backend, queries, 30))
    assert sorted(vectors.ids().tolist()) == sorted(
        np.concatenate([p[0] for p in backend.repository.iter_vectors()]).tolist()
    )
    assert vectors.describe()["size"] == 30


def test_a_stored_vector_finds_itself_first(backend: Backend) -> None:
    _fill(backend, 4)
    ids, stored = next(backend.repository.iter_vectors())
    scores, found = backend.vectors.search(stored, 1)
    assert found[:, 0].tolist() == ids.tolist()
    np.testing.assert_allclose(scores[:, 0], 1.0, atol=2e-3)
    np.testing.assert_allclose(backend.vectors.get(ids[:2]), stored[:2], atol=2e-3)


def test_k_past_the_size_pads_with_minus_one(backend: Backend) -> None:
    _fill(backend, 1)
    _, ids = backend.vectors.search(unit_vectors(2, seed=1), 5)
    assert ids.shape == (2, 5)
    assert sorted(ids[0, :3].tolist()) == sorted(backend.vectors.ids().tolist())
    assert ids[:, 3:].tolist() == [[-1, -1], [-1, -1]]


def test_a_reopened_backend_searches_the_same(backend_url: str) -> None:
    options = BackendOptions(dim=DIM, embedder="contract-test", save_every=1_000)
    first = open_backend(backend_url, options)
    _fill(first, 6)
    queries = unit_vectors(5, seed=3)
    before = first.vectors.search(queries, 4)
    first.close()
    again = open_backend(backend_url, options)
    try:
        assert len(again.vectors) == again.repository.view_count() == 18
        assert_same_neighbours(again.vectors.search(queries, 4), before)
    finally:
        again.close()


def test_another_model_is_refused(backend_url: str) -> None:
    from factcheck.errors import StoreError

    first = open_backend(backend_url, BackendOptions(dim=DIM, embedder="model-a"))
    _fill(first, 1)
    first.close()
    with pytest.raises(StoreError, match="holds embeddings of model 'model-a'"):
        open_backend(backend_url, BackendOptions(dim=DIM, embedder="model-b"))


def test_the_in_memory_search_equals_brute_force() -> None:
    """The pipeline's per-compare search (``memory_search``), add / remove / search."""
    search: VectorSearch = memory_search(DIM, exact_limit=1_000)
    vectors = unit_vectors(200, seed=5)
    ids = np.arange(10, 210, dtype=np.int64)
    search.add(ids, vectors)
    assert search.remove([10, 11, 999]) == 2
    keep = ids >= 12
    queries = unit_vectors(15, seed=6)
    sims = queries @ vectors[keep].T
    order = np.argsort(-sims, axis=1)[:, :10]
    scores, found = search.search(queries, 10)
    np.testing.assert_allclose(scores, np.take_along_axis(sims, order, axis=1), atol=1e-5)
    assert found.tolist() == ids[keep][order].tolist()
