"""pgvector search on a real PostgreSQL: HNSW recall against an exact oracle, and the basics.

The vectors mimic sentence embeddings the way ``benchmarks/speed.py`` builds large stores: a few
hundred random "sentences", each stored many times as a near-paraphrase (Gaussian noise,
re-normalised, cosine ~0.8 to its origin); queries are fresh paraphrases, not stored vectors.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from factcheck.backends.postgres.vectors import PgVectorSearch, auto_ef_search

DIM = 384
NOISE = 0.045  # per-dimension sigma: cos(noisy, origin) ~ 0.8, as in benchmarks/speed.py


def paraphrases(base: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    v = base[rng.integers(0, len(base), n)] + rng.normal(0, NOISE, (n, base.shape[1]))
    return (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture(scope="module")
def pool(postgres_url: str) -> Iterator[Any]:
    from factcheck.backends.postgres.pool import open_pool

    with open_pool(postgres_url, max_size=4, create_extension=True) as p:
        yield p


def test_hnsw_recall_at_10_against_exact_search(pool: Any) -> None:
    rng = np.random.default_rng(13)
    base = rng.normal(size=(400, DIM))
    base /= np.linalg.norm(base, axis=1, keepdims=True)
    stored = paraphrases(base, 4000, rng)
    queries = paraphrases(base, 150, rng)
    search = PgVectorSearch(pool, DIM, table="recall_vectors")
    search.create_table()
    search.add(np.arange(len(stored)), stored)
    with pool.connection() as conn:  # the oracle must be beaten by the index, not by a seq scan
        conn.execute("ANALYZE recall_vectors")
        plan = "\n".join(
            r[0]
            for r in conn.execute(
                "EXPLAIN SELECT id FROM recall_vectors ORDER BY vector <#> %s LIMIT 10",
                (search_vector(queries[0]),),
            )
        )
    assert "recall_vectors_hnsw" in plan, plan
    # exact top 10 at the stored precision (halfvec), by brute force
    truth = np.argsort(-(queries @ stored.astype(np.float16).astype(np.float32).T), axis=1)[:, :10]
    scores, ids = search.search(queries, 10)
    recall = np.mean([len(set(g) & set(t)) / 10 for g, t in zip(ids, truth, strict=True)])
    assert search.ef_search is None and search.effective_ef_search() == 40  # the default
    assert recall >= 0.95, recall
    assert np.all(np.diff(scores, axis=1) <= 1e-6)  # best first
    exact = np.sum(queries[:, None, :] * search.get(ids[:, 0])[:, None, :], axis=2)[:, 0]
    np.testing.assert_allclose(scores[:, 0], exact, atol=2e-3)


def search_vector(v: np.ndarray) -> Any:
    from factcheck.backends.postgres.vectors import half

    return half(v)


def test_add_remove_get_and_short_results(pool: Any) -> None:
    rng = np.random.default_rng(5)
    vecs = rng.normal(size=(3, DIM)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    search = PgVectorSearch(pool, DIM, table="small_vectors")
    search.create_table()
    search.add(np.array([10, 20, 30]), vecs)
    assert len(search) == 3
    assert sorted(search.ids().tolist()) == [10, 20, 30]
    scores, ids = search.search(vecs[1], 5)
    assert ids[0].tolist()[:3][0] == 20 and set(ids[0, :3].tolist()) == {10, 20, 30}
    assert ids[0, 3:].tolist() == [-1, -1] and np.all(np.isneginf(scores[0, 3:]))
    np.testing.assert_allclose(search.get([30]), vecs[2:3], atol=2e-3)
    assert search.remove([20, 99]) == 1
    assert 20 not in search.search(vecs[1], 5)[1][0].tolist()
    assert search.describe()["kind"] == "pgvector_hnsw" and search.describe()["size"] == 2
    with pytest.raises(ValueError, match="dimension"):
        search.search(np.ones(DIM + 1, dtype=np.float32), 3)


def test_ef_search_grows_with_the_store() -> None:
    """Measured (README): 40 holds recall@10 >= 0.95 up to 100k vectors; 1M needs ~400."""
    assert auto_ef_search(0) == auto_ef_search(100_000) == 40
    assert auto_ef_search(1_000_000) == 400
    assert auto_ef_search(10**9) == 1000
