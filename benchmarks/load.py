"""Load and crash test: N concurrent writers against a real ``factcheck serve``, killed mid-burst.

    python benchmarks/load.py [--writers 8] [--per-writer 20] [--kill-at 0.5] [--json PATH]

Starts ``python -m service`` (uvicorn, the real models) on 127.0.0.1 over a fresh temporary data
directory, runs ``--writers`` threads that each POST ``--per-writer`` invented articles (a few
event templates told by several outlets with varying figures, plus verbatim wire reprints, so
stories, conflicts and wire copies form), and ``kill -9``s the server once ``--kill-at`` of the
articles have been answered. It then restarts the server on the same directory and checks:

* every article whose POST got a 2xx is stored (``GET /articles/{id}``; lost must be 0);
* no stored article is partial: each has all its sentences and one stored vector per view
  (read with the store's own ``Store.article`` / ``Store.analyses``; partial must be 0);
* the index holds exactly the stored vectors (``/health``);
* SQLite ``PRAGMA integrity_check`` is ``ok`` (after a clean stop of the restarted server).

Printed: requests, acknowledged, lost, partial, POST p50/p95 under the writers before the kill,
restart time (process start to ``/health`` answering, index rebuilt). Bounded: every request has
a timeout, the whole run a deadline (``--deadline``); loopback only; it stops by itself.
``--fake`` (debugging only) serves the FakeEmbedder without the relation model; figures quoted in
the README come from a run without it.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STARTUP_TIMEOUT = 300.0
REQUEST_TIMEOUT = 120.0

# --- invented articles ---------------------------------------------------------------------------

EVENTS = [
    (
        "A pedestrian bridge collapsed in the harbor town of {town} on Tuesday evening, "
        "injuring {n} people who were crossing it.",
        "Mayor {person} said the steel structure had passed a safety inspection in March.",
        "Emergency crews closed the coastal road for {hours} hours while divers searched "
        "the water.",
        "The town council will hold an emergency meeting on {day} to discuss the repairs.",
    ),
    (
        "Heavy rain flooded the river valley town of {town} on Monday night, and at least {n} "
        "people were killed, officials said.",
        "Rescue teams from {hours} provinces searched the flooded streets of {town} for survivors.",
        "Governor {person} declared a state of emergency across the whole river valley.",
        "Schools in the valley will stay closed until {day}, the education office said.",
    ),
    (
        "A fire destroyed a textile warehouse in the industrial port of {town} early on "
        "Sunday, and {n} workers were treated for smoke inhalation.",
        "Fire chief {person} said the blaze started in a storage room on the ground floor.",
        "Firefighters needed {hours} hours to bring the flames under control.",
        "Investigators will present their first findings on {day}, the port authority said.",
    ),
    (
        "Bus drivers in the city of {town} walked out on Wednesday, and {n} routes were "
        "cancelled during the morning rush.",
        "Union leader {person} said the strike would continue until wages were raised.",
        "Commuters waited up to {hours} hours for replacement shuttles at the central station.",
        "Talks between the union and the transport company will resume on {day}.",
    ),
]
TOWNS = ["Westhaven", "Marlow", "Eastport", "Kellby", "Dunmore", "Ashford"]
PEOPLE = ["Laura Finch", "Tomas Reyes", "Ana Lind", "Owen Price", "Mira Chand", "Piet Vos"]
DAYS = ["Friday", "Thursday", "Monday"]
SOURCES = ["coast-wire", "harbor-daily", "bay-times", "valley-post", "river-herald", "city-news"]
REPRINTERS = ["regional-news", "metro-digest", "evening-star"]
EXTRA = [
    "Residents gathered near the scene late into the night, {witness} told reporters.",
    "Officials promised a full account of what happened, {witness} said.",
    "Local businesses offered shelter and food to those affected, {witness} said.",
]
WITNESSES = ["a shopkeeper", "a teacher", "a taxi driver", "a nurse", "a retired sailor"]


def invented_articles(count: int, seed: int = 7) -> list[dict[str, Any]]:
    """``count`` article records: ~count/8 events told by several outlets with figures that
    differ (so conflicts form), and about one in six a verbatim reprint (a wire copy) of an
    earlier article by another outlet. Texts are unique per (source, text)."""
    rng = random.Random(seed)
    n_events = max(2, count // 8)
    events = []
    for e in range(n_events):
        template = EVENTS[e % len(EVENTS)]
        base: dict[str, Any] = {
            "town": TOWNS[e % len(TOWNS)] + ("" if e < len(TOWNS) else f" {e}"),
            "person": PEOPLE[e % len(PEOPLE)],
            "n": rng.randint(5, 40),
            "hours": rng.randint(2, 9),
            "day": rng.choice(DAYS),
        }
        events.append((template, base))
    out: list[dict[str, Any]] = []
    for i in range(count):
        if out and i % 6 == 5:  # a wire copy: an earlier text, verbatim, by a reprinter
            taken = {(r["source"], r["text"]) for r in out}
            options = [
                (source, r)
                for r in out
                if r["source"] in SOURCES
                for source in REPRINTERS
                if (source, r["text"]) not in taken
            ]
            if options:
                source, original = rng.choice(options)
                out.append({"source": source, "title": original["title"], "text": original["text"]})
                continue
        template, base = events[i % n_events]
        values = dict(base)
        if rng.random() < 0.4:  # this outlet gives another figure
            values["n"] = base["n"] + rng.choice([-3, 2, 5])
        if rng.random() < 0.2:
            values["day"] = rng.choice(DAYS)
        sentences = [s.format(**values) for s in template]
        sentences.insert(2, rng.choice(EXTRA).format(witness=rng.choice(WITNESSES)))
        sentences.append(f"This is report number {i} of the load test.")
        out.append(
            {
                "source": SOURCES[i % len(SOURCES)],
                "title": sentences[0].split(",")[0][:60],
                "text": "\n\n".join(sentences),
            }
        )
    return out


# --- the server ----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


_FAKE_SERVER = """
import sys, uvicorn
sys.path.insert(0, {tests!r})
from fakes import FakeEmbedder
from factcheck.pipeline import Pipeline
from service.app import create_app
from service.settings import Settings
pipeline = Pipeline(embedder=FakeEmbedder(), relation=None)
app = create_app(Settings(data_dir={data!r}), pipeline=pipeline)
uvicorn.run(app, host="127.0.0.1", port={port}, log_level="warning")
"""


class Server:
    """``python -m service`` on 127.0.0.1 (or the fake-model app with ``fake``)."""

    def __init__(self, data_dir: Path, port: int, log: Path, *, fake: bool = False) -> None:
        self.data_dir, self.port, self.log_path, self.fake = data_dir, port, log, fake
        self.url = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = STARTUP_TIMEOUT) -> float:
        """Start and wait for ``/health``; returns the seconds it took."""
        import httpx

        env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
        for key in ("FACTCHECK_API_KEY", "FACTCHECK_READ_KEY"):
            env.pop(key, None)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        if self.fake:
            code = _FAKE_SERVER.format(
                tests=str(ROOT / "tests"), data=str(self.data_dir), port=self.port
            )
            cmd = [sys.executable, "-c", code]
        else:
            cmd = [sys.executable, "-m", "service", "--host", "127.0.0.1", "--port",
                   str(self.port), "--data-dir", str(self.data_dir)]  # fmt: skip
        started = time.monotonic()
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=log)
        while time.monotonic() - started < timeout:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"the server did not answer within {timeout:.0f}s:\n{self.log()}")

    def kill(self) -> None:
        """``kill -9``: no shutdown handler runs, the index file is not saved."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=30)
        self.proc = None

    def stop(self) -> None:
        """A clean stop (SIGTERM: the lifespan closes the store)."""
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.kill()
        self.proc = None

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""


# --- the run -------------------------------------------------------------------------------------


@dataclass
class Result:
    writers: int
    articles: int
    fake: bool
    requests: int = 0  # POSTs sent (answered or not)
    acknowledged: int = 0  # answered 2xx
    failed: int = 0  # no answer (the kill) or a non-2xx
    non_2xx: int = 0
    lost: int = 0  # acknowledged but not stored after the restart
    partial: int = 0  # stored without all its sentences or vectors
    stored: int = 0
    integrity: str = ""
    index_size: int = -1
    stored_vectors: int = -1
    index_ok: bool = False
    health_status: str = ""
    model: str = ""  # the embedder and claim-relation model the server ran (from /health)
    relation_model: str = ""
    post_p50_ms: float = 0.0  # 2xx POSTs answered before the kill
    post_p95_ms: float = 0.0
    post_max_ms: float = 0.0
    startup_s: float = 0.0
    restart_s: float = 0.0
    write_after_restart: int = 0  # status of one new POST after the restart (201 expected)
    burst_s: float = 0.0
    killed_after: int = 0  # answered requests when the kill was sent
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.lost == 0
            and self.partial == 0
            and self.integrity == "ok"
            and self.index_ok
            and self.acknowledged > 0
            and self.write_after_restart == 201
        )


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def check_store(data_dir: Path, acknowledged: set[str]) -> tuple[int, int, str, list[str]]:
    """(stored articles, partial articles, integrity_check, problems) from the store's reads."""
    from factcheck.backends import open_repository, sqlite_url
    from factcheck.records import MAX_PAGE_SIZE

    url = sqlite_url(data_dir)
    store = open_repository(url)
    problems: list[str] = []
    try:
        conn = sqlite3.connect(store.describe()["path"])
        try:
            integrity = "; ".join(str(r[0]) for r in conn.execute("PRAGMA integrity_check"))
        finally:
            conn.close()
        ids: list[str] = []
        offset: int | None = 0
        while offset is not None:
            page = store.articles(limit=MAX_PAGE_SIZE, offset=offset)
            ids += [str(a["id"]) for a in page.items]
            offset = page.next_offset
        partial = 0
        for aid in ids:
            article = store.article(aid)
            (analysis,) = store.analyses([aid])
            n_expected = article["article"].get("sentences")
            n_sentences = len(article["sentences"])
            n_views = len(analysis.view_sentence)
            bad = (
                n_sentences == 0
                or n_sentences != n_expected
                or n_views == 0
                or analysis.vectors.shape[0] != n_views
            )
            if bad:
                partial += 1
                problems.append(
                    f"partial article {aid}: {n_sentences}/{n_expected} sentences, "
                    f"{n_views} views, {analysis.vectors.shape[0]} vectors"
                )
        missing = sorted(acknowledged - set(ids))
        problems += [f"acknowledged article {aid} is not in the store" for aid in missing]
    finally:
        store.close()
    return len(ids), partial, integrity, problems


def run(
    *,
    writers: int = 8,
    per_writer: int = 20,
    kill_at: float = 0.5,
    fake: bool = False,
    data_dir: Path | None = None,
    deadline: float = 1800.0,
    log: Path | None = None,
    quiet: bool = False,
) -> Result:
    """One load-and-crash run; see the module docstring."""
    import httpx

    def say(msg: str) -> None:
        if not quiet:
            print(msg, file=sys.stderr, flush=True)

    started = time.monotonic()
    tmp = None
    if data_dir is None:
        tmp = Path(tempfile.mkdtemp(prefix="factcheck-load-"))
        data_dir = tmp / "data"
    log_path = log or data_dir.parent / "server.log"
    records = invented_articles(writers * per_writer)
    result = Result(writers=writers, articles=len(records), fake=fake)
    server = Server(data_dir, free_port(), log_path, fake=fake)
    try:
        say(f"starting the server over {data_dir} (log {log_path}) ...")
        result.startup_s = round(server.start(), 2)
        say(f"ready in {result.startup_s:.1f}s; {writers} writers x {per_writer} articles")
        kill_after = max(1, int(len(records) * kill_at))
        lock = threading.Lock()
        killed = threading.Event()
        acked: set[str] = set()
        latencies: list[float] = []
        answered = 0
        end_by = started + deadline

        def writer(w: int) -> None:
            nonlocal answered
            with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as client:
                for j in range(per_writer):
                    if killed.is_set() or time.monotonic() > end_by:
                        return
                    record = records[j * writers + w]  # interleaved: stories form across writers
                    t0 = time.perf_counter()
                    with lock:
                        result.requests += 1
                    try:
                        r = client.post("/articles", json=record)
                    except httpx.TransportError:
                        with lock:
                            result.failed += 1
                        return  # the server is gone: this writer stops
                    ms = (time.perf_counter() - t0) * 1000
                    with lock:
                        answered += 1
                        if 200 <= r.status_code < 300:
                            result.acknowledged += 1  # distinct texts: one id per POST
                            acked.add(str(r.json()["id"]))
                            if not killed.is_set():
                                latencies.append(ms)
                        else:
                            result.failed += 1
                            result.non_2xx += 1
                            result.problems.append(f"POST answered {r.status_code}: {r.text[:200]}")
                        if answered >= kill_after and not killed.is_set():
                            killed.set()
                            result.killed_after = answered
                            server.kill()  # kill -9 while the other writers are mid-request

        burst_start = time.monotonic()
        threads = [threading.Thread(target=writer, args=(w,), daemon=True) for w in range(writers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=max(1.0, end_by - time.monotonic()))
        result.burst_s = round(time.monotonic() - burst_start, 2)
        if not killed.is_set():
            result.problems.append("the burst ended before the kill (deadline?)")
            server.kill()
        result.post_p50_ms = round(statistics.median(latencies), 1) if latencies else 0.0
        result.post_p95_ms = round(_percentile(latencies, 0.95), 1)
        result.post_max_ms = round(max(latencies, default=0.0), 1)
        say(
            f"killed (kill -9) after {result.killed_after} answers; {result.acknowledged} "
            f"acknowledged of {result.requests} sent; restarting ..."
        )

        result.restart_s = round(server.start(), 2)
        with httpx.Client(base_url=server.url, timeout=REQUEST_TIMEOUT) as client:
            for aid in sorted(acked):
                if client.get(f"/articles/{aid}").status_code != 200:
                    result.lost += 1
            # the restarted server takes writes again (and indexes them)
            again = client.post("/articles", json={**records[0], "source": "after-restart"})
            result.write_after_restart = again.status_code
            if again.status_code != 201:
                result.problems.append(f"a POST after the restart answered {again.status_code}")
            health = client.get("/health").json()
        result.health_status = str(health.get("status"))
        result.model = str(health.get("model"))
        result.relation_model = str(health.get("relation_model"))
        result.index_size = int(health["index"]["size"])
        result.stored_vectors = int(health["counts"]["views"])
        result.index_ok = result.index_size == result.stored_vectors
        server.stop()
        stored, partial, integrity, problems = check_store(data_dir, acked)
        result.stored, result.partial, result.integrity = stored, partial, integrity
        result.lost = max(result.lost, sum(1 for p in problems if p.startswith("acknowledged")))
        result.problems += problems
    finally:
        server.kill()
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    return result


def report(result: Result) -> str:
    lines = [
        f"writers {result.writers}, articles planned {result.articles}"
        + (" (FAKE embedder: not for the README)" if result.fake else ""),
        f"requests {result.requests}, acknowledged (2xx) {result.acknowledged}, "
        f"failed {result.failed} (non-2xx {result.non_2xx}), killed after {result.killed_after}",
        f"POST p50 {result.post_p50_ms:.0f} ms, p95 {result.post_p95_ms:.0f} ms, "
        f"max {result.post_max_ms:.0f} ms under {result.writers} writers (before the kill)",
        f"lost {result.lost}, partial {result.partial}, stored {result.stored}, "
        f"integrity {result.integrity}, index {result.index_size} == vectors "
        f"{result.stored_vectors}: {result.index_ok}",
        f"startup {result.startup_s:.1f} s, restart after kill -9 {result.restart_s:.1f} s, "
        f"a POST after it: {result.write_after_restart} "
        f"(models: {result.model}, relation {result.relation_model})",
        "OK" if result.ok else "FAILED",
    ]
    lines += [f"  problem: {p}" for p in result.problems[:20]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--per-writer", type=int, default=20)
    parser.add_argument("--kill-at", type=float, default=0.5, help="fraction answered, then kill")
    parser.add_argument("--deadline", type=float, default=1800.0, help="seconds for the burst")
    parser.add_argument("--fake", action="store_true", help="FakeEmbedder (debugging only)")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)
    if args.writers < 1 or args.per_writer < 1 or not 0 < args.kill_at < 1:
        parser.error("--writers and --per-writer must be >= 1, --kill-at between 0 and 1")
    result = run(
        writers=args.writers,
        per_writer=args.per_writer,
        kill_at=args.kill_at,
        fake=args.fake,
        deadline=args.deadline,
    )
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps({**asdict(result), "ok": result.ok}, indent=2) + "\n")
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
