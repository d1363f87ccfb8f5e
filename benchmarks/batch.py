"""Batch benchmark: `factcheck ingest` of one corpus on the local engine and on Ray Data.

    python benchmarks/batch.py [--articles 200] [--engines local,ray] [--json PATH]

The corpus is written to a temporary folder as JSON Lines: stories of 4 outlets each, every
article ~20 real news sentences (``speed.StoryWriter``: MRPC sentences read from
``../shared/data/mrpc`` at run time, template sentences when absent), published over 3 days.
Each engine ingests it into a fresh store in its own process (`factcheck ingest ... --format
json`); printed: wall seconds of the process (model load and Ray start-up included) and the
run's own seconds and articles/s (from the summary), plus the store counts, which must agree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from speed import StoryWriter  # the benchmark folder is not a package

ROOT = Path(__file__).resolve().parents[1]


def write_corpus(path: Path, n: int, outlets: int = 4) -> None:
    writer = StoryWriter(seed=13, per=20)
    day0 = dt.date(2025, 3, 1)
    rows = []
    story = 0
    while len(rows) < n:
        for k, text in enumerate(writer.story(outlets)):
            day = day0 + dt.timedelta(days=story % 3)
            rows.append({"source": f"outlet-{k}", "published": day.isoformat(), "text": text})
        story += 1
    path.write_text("\n".join(json.dumps(r) for r in rows[:n]) + "\n", encoding="utf-8")


def run(engine: str, corpus: Path, store: Path | str) -> dict[str, object]:
    """One ``factcheck ingest`` process; ``store`` a data folder or a store URL."""
    url = str(store) if "://" in str(store) else f"sqlite://{store}"
    cmd = [sys.executable, "-m", "factcheck.cli", "ingest", str(corpus), "--engine", engine,
           "--store", url, "--format", "json"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - t0
    if out.returncode != 0:
        raise SystemExit(f"{engine}: exit {out.returncode}\n{out.stderr[-3000:]}")
    summary = json.loads(out.stdout)
    summary["wall_seconds"] = round(wall, 1)
    # the progress line "matching and writing in the driver: S s" (the part that does not scale)
    tag = "matching and writing in the driver: "
    lines = [x for x in out.stderr.splitlines() if x.startswith(tag)]
    summary["driver_seconds"] = float(lines[-1][len(tag) :].split(" s")[0]) if lines else None
    return summary


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200)
    ap.add_argument("--engines", default="local,ray")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    results: dict[str, dict[str, object]] = {}
    with tempfile.TemporaryDirectory(prefix="fc-batch-") as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        write_corpus(corpus, args.articles)
        for engine in args.engines.split(","):
            results[engine] = run(engine, corpus, Path(tmp) / f"store-{engine}")
            r = results[engine]
            print(f"{engine:>6}: {r['articles']} articles, wall {r['wall_seconds']} s, run "
                  f"{r['seconds']} s ({r['articles_per_second']} articles/s; matching and "
                  f"writing in the driver {r['driver_seconds']} s); stored "
                  f"{r['stored']}, duplicates {r['duplicates']}, stories {r['stories']}, "
                  f"conflicts {r['conflicts']}, blocks {r['blocks']}", flush=True)  # fmt: skip
    keys = ("stored", "duplicates", "stories", "conflicts", "blocks")
    same = len({tuple(r[k] for k in keys) for r in results.values()}) == 1
    print(f"same counts on every engine: {same}; cpus: {os.cpu_count()}")
    if args.json:
        args.json.write_text(json.dumps({"cpus": os.cpu_count(), **results}, indent=2) + "\n")


if __name__ == "__main__":
    main()
