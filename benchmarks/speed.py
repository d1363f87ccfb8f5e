"""Speed benchmark: embedding, ingest, vector search, API latency, memory, batch compare.

    python benchmarks/speed.py [--quick] [--json PATH]

``--quick`` measures stores of 100k sentences only (a few minutes); without it 1M too. Targets
(2-core machine): embed.speedup >= 2, search <= 5 ms/query at 1M with recall@10 >= 0.95, POST p95
<= 300 ms at 1M, <= 1 KB of RAM per indexed sentence at 1M. The goals live here, not in timed tests.

Data: quality-relevant timings use real text (MRPC sentences read from ``../shared/data/mrpc``,
never copied into the repo). Large stores are SYNTHETIC: real sentence vectors plus Gaussian
noise, re-normalised (each a near-paraphrase of a real sentence; cos ~0.8 to its origin);
articles for ingest/API are real news sentences (MRPC) assembled into stories: each outlet's
version of a story takes one side of each MRPC pair (same sentence, paraphrase or
near-miss), so versions of one story share drifted claims and stories share nothing
(``StoryWriter``); template-generated invented text when MRPC is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"
THREADS = os.cpu_count() or 2
FILL_SENTENCES = 2048  # real sentences whose noisy vectors fill the large stores
NOISE = 0.045  # per-dimension sigma: cos(noisy, origin) ~ 1/sqrt(1 + 384 * sigma^2) ~ 0.8
TARGETS = {
    "embed.speedup": (">=", 2.0),
    "search.1m.ms_per_query": ("<=", 5.0),
    "search.1m.recall_at_10": (">=", 0.95),
    "api.post_p95_ms": ("<=", 300.0),
    "memory.bytes_per_sentence": ("<=", 1024.0),
}

_PLACES = ["Riverton", "Lakeside", "Northfield", "Port Alden", "Greyhaven", "Marlow", "Eastbrook"]
_ORGS = [
    "the city council",
    "the transport ministry",
    "the harbour authority",
    "the fire service",
    "the health board",
    "the regional court",
    "the central bank",
    "the school district",
]
_PEOPLE = [
    "Mayor Ana Ruiz",
    "Minister Tom Hale",
    "Chief Li Wen",
    "Judge Mara Olsen",
    "spokesman Piet de Vries",
    "director Sara Kim",
    "governor Omar Haddad",
]
_EVENTS = [
    "the bridge closure",
    "the factory fire",
    "the water shortage",
    "the rail strike",
    "the budget vote",
    "the flood",
    "the power outage",
    "the port expansion",
]
_TEMPLATES = [
    "{person} said on {day} that {event} in {place} had affected {n} residents.",
    "According to {org}, {event} cost about {m} million dollars.",
    "{org} announced that repairs after {event} would take {n} days.",
    '"We are doing everything we can," {person} told reporters in {place}.',
    "At least {n} people were injured in {event}, officials in {place} said.",
    "{person} denied that {org} had been warned about {event} before {day}.",
    "The investigation into {event} is expected to finish by {month}, {org} said.",
    "Residents of {place} said they had waited {n} hours for help after {event}.",
    "{org} said it would spend {m} million dollars on new equipment in {place}.",
    "Critics accused {org} of ignoring {event} for {n} weeks.",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTHS = ["March", "April", "June", "September", "October", "December"]


def synthetic_sentence(rng: random.Random) -> str:
    return rng.choice(_TEMPLATES).format(
        person=rng.choice(_PEOPLE),
        org=rng.choice(_ORGS),
        event=rng.choice(_EVENTS),
        place=rng.choice(_PLACES),
        day=rng.choice(_DAYS),
        month=rng.choice(_MONTHS),
        n=rng.randint(2, 900),
        m=rng.randint(2, 90),
    )


def synthetic_article(rng: random.Random, n_sentences: int = 30) -> str:
    return " ".join(synthetic_sentence(rng) for _ in range(n_sentences))


def mrpc_pairs() -> list[tuple[str, str]]:
    """MRPC sentence pairs (both labels: paraphrases and near-misses), read at run time."""
    out: list[tuple[str, str]] = []
    for f in sorted((SHARED / "data" / "mrpc").glob("msr_paraphrase_*.txt")):
        for line in f.read_text(encoding="utf-8-sig").splitlines():
            parts = line.split("\t")
            if len(parts) == 5 and parts[0] in ("0", "1"):
                out.append((parts[3], parts[4]))
    return out


class StoryWriter:
    """Realistic news articles in stories: each story is 30 real news sentence slots (MRPC
    pairs); each outlet's version of it takes, per slot, one side of the pair (the same
    sentence, or a paraphrase / near-miss of it) and drops a few slots. So articles of one story
    share claims in drifted words, and articles of different stories share nothing, as on a
    monitoring desk. Falls back to template sentences when ../shared/data/mrpc is absent."""

    def __init__(self, seed: int, per: int = 30) -> None:
        self.rng = random.Random(seed)
        # Sentences whose vectors seed the synthetic store stay out of the articles: a new
        # article must not meet noisy copies of its own sentences under another text.
        taken = set(mrpc_sentences(FILL_SENTENCES))
        self.pairs = [p for p in mrpc_pairs() if p[0] not in taken and p[1] not in taken]
        self.rng.shuffle(self.pairs)
        self.per = per
        self.next = 0

    def story(self, outlets: int) -> list[str]:
        """``outlets`` versions (article texts) of one new story."""
        if len(self.pairs) < self.per:
            return [synthetic_article(self.rng, self.per) for _ in range(outlets)]
        if self.next + self.per > len(self.pairs):
            self.next = 0
        slots = self.pairs[self.next : self.next + self.per]
        self.next += self.per
        out = []
        for _ in range(outlets):
            sents = [pair[self.rng.random() < 0.5] for pair in slots if self.rng.random() < 0.9]
            out.append(" ".join(sents))
        return out


def other_topic_sentences(limit: int) -> list[str]:
    """Real sentences on other topics than the posted news (PAWS: Wikipedia), whose noisy
    vectors fill the API store: old stories a new article does not belong to, as most of a
    monitoring store is. MRPC sentences when PAWS is absent."""
    seen: dict[str, None] = {}
    f = SHARED / "data" / "paws_wiki" / "dev.tsv"
    if f.is_file():
        for line in f.read_text(encoding="utf-8").splitlines()[1:]:
            parts = line.split("\t")
            if len(parts) == 4:
                seen.setdefault(parts[1])
            if len(seen) >= limit:
                break
    return list(seen) if len(seen) >= limit else mrpc_sentences(limit)


def mrpc_sentences(limit: int | None = None) -> list[str]:
    """Distinct real news sentences from MRPC (read at run time, never stored in the repo)."""
    out = list(dict.fromkeys(s for pair in mrpc_pairs() for s in pair))
    if not out:
        rng = random.Random(7)
        out = [synthetic_sentence(rng) for _ in range(limit or 2000)]
        print("warning: ../shared/data/mrpc missing; using synthetic sentences", file=sys.stderr)
    return out[:limit] if limit else out


def noisy_vectors(base: np.ndarray, n: int, seed: int) -> np.ndarray:
    """``n`` synthetic unit vectors: random real vectors + Gaussian noise, re-normalised."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    step = 100_000
    for s in range(0, n, step):
        m = min(step, n - s)
        v = base[rng.integers(0, len(base), m)] + rng.normal(0, NOISE, (m, base.shape[1]))
        out[s : s + m] = (v / np.linalg.norm(v, axis=1, keepdims=True)).astype(np.float32)
    return out


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t = time.perf_counter()
    r = fn()
    return time.perf_counter() - t, r


# -- sections ---------------------------------------------------------------------------------


def bench_embed(res: dict[str, Any], n: int) -> np.ndarray:
    """Our embedder vs plain SentenceTransformer.encode (batch 32, same threads, same run)."""
    import torch

    from factcheck.embed import Embedder, _default_model_path, _load_model

    sents = mrpc_sentences(n)
    torch.set_num_threads(THREADS)
    ours = Embedder(threads=THREADS, cache_size=0)
    st = _load_model(_default_model_path(), "cpu", THREADS)
    ours.encode_uncached(sents[:64])  # warm-up both
    st.encode(sents[:64], batch_size=32)
    # Alternate the two, three rounds, and keep each one's best time: on a shared VM a single
    # timing swings by +-25 % with the neighbours; the best of three is what the code can do.
    t_ours = t_base = float("inf")
    for _ in range(3):
        t, v_ours = timed(lambda: ours.encode_uncached(sents))
        t_ours = min(t_ours, t)
        t, v_base = timed(
            lambda: st.encode(
                sents, batch_size=32, normalize_embeddings=True, convert_to_numpy=True
            )
        )
        t_base = min(t_base, t)
    cos = np.sum(v_ours * v_base, axis=1)
    res["embed.backend"] = ours.name
    res["embed.sentences"] = len(sents)
    res["embed.timing"] = "best of 3 alternating rounds each"
    res["embed.threads"] = THREADS
    res["embed.sentences_per_s"] = round(len(sents) / t_ours, 1)
    res["embed.baseline_sentences_per_s"] = round(len(sents) / t_base, 1)
    res["embed.speedup"] = round(t_base / t_ours, 2)
    res["embed.cos_vs_fp32_mean"] = round(float(cos.mean()), 4)
    res["embed.cos_vs_fp32_min"] = round(float(cos.min()), 4)
    manifest = ours.model_path / "manifest.json"
    if manifest.is_file():
        mrpc = json.loads(manifest.read_text()).get("mrpc", {})
        res["embed.mrpc_f1_fp32"] = mrpc.get("f1_fp32")
        res["embed.mrpc_f1_int8"] = mrpc.get("f1_int8")
    return v_ours


def bench_search(res: dict[str, Any], base: np.ndarray, size: int, tag: str) -> None:
    """Single-query latency and recall@10 vs exact search of the index the service would pick."""
    import faiss

    from factcheck.backends.faiss import VectorIndex

    vecs = noisy_vectors(base, size, seed=size)
    ids = np.arange(size, dtype=np.int64)
    t_build, index = timed(lambda: VectorIndex.build(ids, vecs, threads=THREADS))
    queries = noisy_vectors(base, 300, seed=size + 1)
    exact = faiss.IndexFlatIP(vecs.shape[1])
    exact.add(vecs)
    _, truth = exact.search(queries, 10)
    index.search(queries[:10], 10)
    lat = []
    got = np.empty((len(queries), 10), dtype=np.int64)
    for i, q in enumerate(queries):
        t = time.perf_counter()
        _, lab = index.search(q[None, :], 10)
        lat.append(time.perf_counter() - t)
        got[i] = lab[0]
    recall = np.mean([len(set(g) & set(t)) / 10 for g, t in zip(got, truth, strict=True)])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "i.faiss"
        index.save(path)
        index_bytes = path.stat().st_size
    res[f"search.{tag}.index_kind"] = index.kind
    res[f"search.{tag}.build_s"] = round(t_build, 1)
    res[f"search.{tag}.ms_per_query"] = round(1000 * statistics.mean(lat), 3)
    res[f"search.{tag}.recall_at_10"] = round(float(recall), 4)
    res[f"memory.{tag}.bytes_per_sentence"] = round(index_bytes / size, 1)
    res[f"disk.{tag}.bytes_per_sentence"] = round(index_bytes / size + 2 * vecs.shape[1], 1)


def make_pipeline() -> Any:
    from factcheck.pipeline import Pipeline

    return Pipeline()


def bench_ingest(res: dict[str, Any], pipeline: Any, n_articles: int) -> None:
    from factcheck.types import Article
    from factcheck.workspace import Workspace

    writer = StoryWriter(seed=11)
    texts = [t for _ in range(0, n_articles + 1, 4) for t in writer.story(4)][: n_articles + 1]
    arts = [Article(id=f"a{i}", source=f"outlet-{i % 4}", text=t) for i, t in enumerate(texts)]
    with tempfile.TemporaryDirectory() as tmp, Workspace(Path(tmp), pipeline) as ws:
        ws.ingest(arts[0])  # warm-up (spaCy, relation model)
        t, _ = timed(lambda: [ws.ingest(a) for a in arts[1:]])
        counts = ws.store.counts()
    res["ingest.articles"] = n_articles
    res["ingest.articles_per_s"] = round(n_articles / t, 2)
    res["ingest.conflicts_stored"] = counts.get("conflicts")


INGEST_SIZES = ((10_000, "10kb"), (100_000, "100kb"), (1_000_000, "1mb"))


def long_article(size: int, seed: int = 5) -> str:
    """About ``size`` characters of news text: real MRPC sentences (templates without MRPC) in
    paragraphs of five sentences, each sentence used once where the data allows."""
    rng = random.Random(seed)
    pool = [s for pair in mrpc_pairs() for s in pair]
    rng.shuffle(pool)
    paragraphs: list[str] = []
    sentences: list[str] = []
    total, k = 0, 0
    while total < size:
        sentence = pool[k % len(pool)] if pool else synthetic_sentence(rng)
        k += 1
        sentences.append(sentence)
        total += len(sentence) + 1
        if len(sentences) == 5:
            paragraphs.append(" ".join(sentences))
            sentences = []
            total += 1
    if sentences:
        paragraphs.append(" ".join(sentences))
    return "\n\n".join(paragraphs)[:size].rsplit(" ", 1)[0] + "."


def bench_ingest_sizes(
    res: dict[str, Any], pipeline: Any, sizes: tuple[tuple[int, str], ...] = INGEST_SIZES
) -> None:
    """``ingest.ms_per_kb`` for one article of each size, raw text to stored (text cleaning,
    sentences, parse, facts, embeddings, store) into an empty store: flat when ingest is linear
    in article length (spaCy sentence starts used to be set token by token: quadratic)."""
    from factcheck.ingest import from_text
    from factcheck.workspace import Workspace

    with tempfile.TemporaryDirectory() as tmp, Workspace(Path(tmp), pipeline) as ws:
        ws.ingest(from_text(long_article(2_000, seed=1), source="warm-up"))
        for size, tag in sizes:
            text = long_article(size)
            t0 = time.perf_counter()
            result = ws.ingest(from_text(text, source=f"s-{size}"))
            t = time.perf_counter() - t0
            kb = len(text) / 1000
            res[f"ingest.{tag}.sentences"] = len(result.article["sentences"])
            res[f"ingest.{tag}.seconds"] = round(t, 2)
            res[f"ingest.{tag}.ms_per_kb"] = round(1000 * t / kb, 1)
            print(f"  ingest {tag}: {t:.2f} s, {1000 * t / kb:.1f} ms/KB", file=sys.stderr)
    first, last = sizes[0][1], sizes[-1][1]
    res["ingest.ms_per_kb"] = res[f"ingest.{last}.ms_per_kb"]
    res["ingest.ms_per_kb_growth"] = round(
        res[f"ingest.{last}.ms_per_kb"] / res[f"ingest.{first}.ms_per_kb"], 2
    )


def _fill_store(ws: Any, vectors: np.ndarray) -> None:
    """Clone one stored article into fillers whose views carry the synthetic vectors (raw SQL:
    the public path would take hours); the index is rebuilt from the store on reopen. Each
    filler gets the template's sentences and views exactly (so its stored analysis stays
    consistent); a last partial chunk of vectors is dropped."""
    conn: sqlite3.Connection = ws.store.db.conn()  # the SQLite home's own connection
    (template,) = conn.execute("SELECT id FROM articles LIMIT 1").fetchone()
    a_cols = [r[1] for r in conn.execute("PRAGMA table_info(articles)")]
    s_cols = [r[1] for r in conn.execute("PRAGMA table_info(sentences)") if r[1] != "id"]
    sents = conn.execute(
        f"SELECT {', '.join(chr(34) + c + chr(34) for c in s_cols)} FROM sentences "
        "WHERE article_id = ? ORDER BY idx",
        (template,),
    ).fetchall()
    view_idx = [
        int(r[0])
        for r in conn.execute(
            "SELECT s.idx FROM views v JOIN sentences s ON s.id = v.sentence_id "
            "WHERE v.article_id = ? ORDER BY v.position",
            (template,),
        )
    ]
    per = len(view_idx)
    idx_col = s_cols.index("idx")
    a_sel = ", ".join("?" if c == "id" else f'"{c}"' for c in a_cols)
    s_q = ", ".join(f'"{c}"' for c in s_cols)
    dtype = ws.store.vector_dtype
    conn.execute("BEGIN")
    for k in range(0, len(vectors) - per + 1, per):
        aid = f"filler-{k // per:07d}"
        conn.execute(
            f"INSERT INTO articles({', '.join(chr(34) + c + chr(34) for c in a_cols)}) "
            f"SELECT {a_sel} FROM articles WHERE id = ?",
            (aid, template),
        )
        sid: dict[int, int] = {}
        for row in sents:
            vals = [aid if c == "article_id" else v for c, v in zip(s_cols, row, strict=True)]
            cur = conn.execute(
                f"INSERT INTO sentences({s_q}) VALUES ({', '.join('?' * len(s_cols))})", vals
            )
            sid[int(row[idx_col])] = int(cur.lastrowid or 0)
        for j, (idx, vec) in enumerate(zip(view_idx, vectors[k : k + per], strict=True)):
            conn.execute(
                "INSERT INTO views(article_id, sentence_id, position, vector) VALUES (?,?,?,?)",
                (aid, sid[idx], j, vec.astype(dtype).tobytes()),
            )
        conn.execute("INSERT INTO stories(id, created_at) VALUES (?, '2024-01-01')", (aid,))
        conn.execute("INSERT INTO story_articles(story_id, article_id) VALUES (?, ?)", (aid, aid))
    conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
    conn.execute("COMMIT")


def bench_api(res: dict[str, Any], pipeline: Any, size: int, n_posts: int) -> None:
    from fastapi.testclient import TestClient

    from factcheck.embed import load_embedder
    from factcheck.types import Article
    from factcheck.workspace import Workspace
    from service.app import create_app
    from service.settings import Settings

    writer = StoryWriter(seed=size)
    fill_base = load_embedder().encode_uncached(other_topic_sentences(FILL_SENTENCES))
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        with Workspace(data, pipeline) as ws:
            ws.ingest(Article(id="t", source="seed-wire", text=writer.story(1)[0]))
            t_fill, _ = timed(lambda: _fill_store(ws, noisy_vectors(fill_base, size, seed=3)))
        settings = Settings(data_dir=data)
        rss_before = _rss_mb()
        t_open = time.perf_counter()
        with TestClient(create_app(settings, pipeline=pipeline)) as client:
            t_open = time.perf_counter() - t_open
            rss_open = _rss_mb()
            health = client.get("/health").json()

            def post(text: str, source: str) -> float:
                t = time.perf_counter()
                r = client.post("/articles", json={"source": source, "text": text})
                if r.status_code not in (200, 201):
                    raise RuntimeError(f"POST failed: {r.status_code} {r.text[:300]}")
                return 1000 * (time.perf_counter() - t)

            post(writer.story(1)[0], "warm-up")
            # Stories of 4 outlets: the k-th version meets k-1 stored versions of its story.
            lat = [
                post(text, f"outlet-{k}")
                for _ in range(0, n_posts, 4)
                for k, text in enumerate(writer.story(4))
            ][:n_posts]
            # One big story: the last versions meet 9-11 stored versions of their story.
            big = [post(text, f"wire-{k}") for k, text in enumerate(writer.story(12))][9:]
    lat.sort()
    res["api.big_story_post_ms"] = round(float(np.mean(big)), 1)
    res["api.rss_mb_before_open"] = round(rss_before, 1)
    res["api.rss_mb_after_open"] = round(rss_open, 1)
    res["api.store_sentences"] = health["index"]["size"]
    res["api.index_kind"] = health["index"]["kind"]
    res["api.fill_s"] = round(t_fill, 1)
    res["api.open_s"] = round(t_open, 1)
    res["api.posts"] = n_posts
    res["api.post_p50_ms"] = round(float(np.percentile(lat, 50)), 1)
    res["api.post_p95_ms"] = round(float(np.percentile(lat, 95)), 1)


def bench_compare(res: dict[str, Any], base: np.ndarray, n_articles: int) -> None:
    """Cross-article sentence matching for a batch of articles: FAISS kNN vs all-pairs numpy."""
    from factcheck.backends.faiss import VectorIndex

    per = 30
    vecs = noisy_vectors(base, n_articles * per, seed=99)
    owner = np.repeat(np.arange(n_articles), per)
    k = 10
    t_brute = time.perf_counter()
    best = np.empty((len(vecs), k), dtype=np.int64)
    for s in range(0, len(vecs), 2048):
        sims = vecs[s : s + 2048] @ vecs.T
        sims[owner[s : s + 2048, None] == owner[None, :]] = -np.inf
        best[s : s + 2048] = np.argpartition(-sims, k, axis=1)[:, :k]
    t_brute = time.perf_counter() - t_brute
    t_fast = time.perf_counter()
    index = VectorIndex.build(
        np.arange(len(vecs), dtype=np.int64), vecs, exact_limit=0, threads=THREADS
    )
    _, lab = index.search(vecs, k + per)
    t_fast = time.perf_counter() - t_fast
    hits = []
    for row in range(0, len(vecs), 97):  # recall@10 of the cross-article neighbours
        mine = [x for x in lab[row].tolist() if x >= 0 and owner[x] != owner[row]][:k]
        hits.append(len(set(mine) & set(best[row].tolist())) / k)
    res["compare.index_kind"] = index.kind
    res["compare.recall_at_10"] = round(float(np.mean(hits)), 4)
    res["compare.articles"] = n_articles
    res["compare.bruteforce_s"] = round(t_brute, 2)
    res["compare.index_s"] = round(t_fast, 2)
    res["compare.speedup_vs_bruteforce"] = round(t_brute / t_fast, 2)


def _rss_mb() -> float:
    """Resident memory of this process (Linux), MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def machine() -> dict[str, Any]:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        flags = Path("/proc/cpuinfo").read_text()
        vnni = "avx512_vnni" in flags
    except OSError:
        vnni = False
    return {
        "machine.cpu": cpu,
        "machine.nproc": os.cpu_count(),
        "machine.avx512_vnni": vnni,
        "machine.python": platform.python_version(),
        "machine.loadavg_start": round(os.getloadavg()[0], 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="factcheck speed benchmark")
    ap.add_argument("--quick", action="store_true", help="100k-sentence stores only (~5 min)")
    ap.add_argument("--json", type=Path, help="write the flat results object here")
    ap.add_argument(
        "--ingest-only",
        action="store_true",
        help="only ingest.ms_per_kb: one article of 10 KB, 100 KB and 1 MB (~3 min)",
    )
    ap.add_argument(
        "--ingest-sizes",
        type=lambda v: tuple((int(x), f"{int(x) // 1000}kb") for x in v.split(",")),
        help="article sizes in characters for the ingest-size figures (comma-separated)",
    )
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    res: dict[str, Any] = machine()
    sizes_ingest = args.ingest_sizes or INGEST_SIZES
    if args.ingest_only:
        bench_ingest_sizes(res, make_pipeline(), sizes_ingest)
        return _finish(res, args.json)
    res["quick"] = args.quick
    res["data.note"] = (
        "embed: real MRPC sentences; stores: synthetic vectors (real MRPC vectors + Gaussian "
        f"noise sigma={NOISE}, re-normalised); ingest/API: 30-slot stories of real MRPC "
        "sentences, 4 outlet versions each (big story: 12); API store: noisy vectors of "
        "PAWS (Wikipedia) sentences, i.e. older stories on other topics; "
        "API store filled by cloning one stored article via SQL (index rebuilt from the store)"
    )
    res["memory.note"] = (
        "memory.bytes_per_sentence = what the service keeps in RAM per indexed sentence: the "
        "FAISS index (codes + ids + direct map; = its file size). disk.bytes_per_sentence adds "
        "the float16 copy of each vector in SQLite (768 B, on disk, the source of truth the "
        "index is rebuilt from); sentence text and facts are not counted"
    )
    t0 = time.perf_counter()
    step = lambda name: print(f"[{time.perf_counter() - t0:6.1f}s] {name}", file=sys.stderr)  # noqa: E731
    step("embed")
    base = bench_embed(res, 384 if args.quick else FILL_SENTENCES)
    if len(base) < FILL_SENTENCES:
        from factcheck.embed import load_embedder

        base = load_embedder().encode_uncached(mrpc_sentences(FILL_SENTENCES))
    sizes = [(100_000, "100k")] + ([] if args.quick else [(1_000_000, "1m")])
    for size, tag in sizes:
        step(f"search {tag}")
        bench_search(res, base, size, tag)
    big = sizes[-1][1]
    res["search.ms_per_query"] = res[f"search.{big}.ms_per_query"]
    res["search.recall_at_10"] = res[f"search.{big}.recall_at_10"]
    res["memory.bytes_per_sentence"] = res[f"memory.{big}.bytes_per_sentence"]
    res["disk.bytes_per_sentence"] = res[f"disk.{big}.bytes_per_sentence"]
    step("compare")
    bench_compare(res, base, 1000)
    pipeline = make_pipeline()
    step("ingest")
    bench_ingest(res, pipeline, 8 if args.quick else 30)
    step("ingest sizes")
    bench_ingest_sizes(res, pipeline, sizes_ingest)
    step("api")
    bench_api(res, pipeline, sizes[-1][0], 20 if args.quick else 40)
    res["machine.loadavg_end"] = round(os.getloadavg()[0], 2)
    res["total_s"] = round(time.perf_counter() - t0, 1)
    return _finish(res, args.json)


def _finish(res: dict[str, Any], json_path: Path | None) -> int:
    width = max(map(len, res))
    for key, value in res.items():
        goal = TARGETS.get(key) or TARGETS.get(key.replace(".1m", ".1m"))
        mark = ""
        if goal and isinstance(value, int | float):
            ok = value >= goal[1] if goal[0] == ">=" else value <= goal[1]
            mark = f"  target {goal[0]} {goal[1]}: {'ok' if ok else 'MISSED'}"
        print(f"{key:<{width}}  {value}{mark}")
    if json_path:
        json_path.write_text(json.dumps(res, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
