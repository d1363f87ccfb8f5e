"""Quality benchmark: every known data set found under --data, scored with calibrated settings.

    python benchmarks/quality.py --data ../shared/data [--json out.json] [--models models/]

Fits nothing on the data it evaluates: thresholds and settings come from
``models/calibration.json`` (``factcheck calibrate``) and the relation model's manifest. Absent
folders are skipped. "system" is the project's claim-relation model (falls back to the calibrated
cosine while it is absent); "baseline" is plain all-MiniLM-L6-v2 cosine at the calibrated cuts.
Files with more than --max-pairs scored pairs are sampled deterministically (lowest sha1 of the
pair's ids) and the table says so. The JSON is one flat object: metric key -> value (Spearman
0..100, everything else 0..1); ``<key>.baseline`` holds the cosine baseline.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # runnable as a plain script from any directory
    sys.path.insert(0, str(REPO))

from factcheck import clustering  # noqa: E402
from factcheck.errors import FactcheckError  # noqa: E402
from training import calibrate as cal  # noqa: E402
from training import datasets as ds  # noqa: E402
from training import embeddings, metrics, retrieval, stories  # noqa: E402

DEFAULT_MAX_PAIRS = 2000
CONFLICT_SETS = ("vitaminc", "sick", "snli", "mnli", "summedits", "fever")


@dataclass
class Row:
    key: str
    system: float
    baseline: float | None = None
    n: int = 0
    note: str = ""


@dataclass
class Bench:
    """Shared state of one benchmark run: calibration, models and what was measured."""

    calibration: dict[str, Any]
    relation: Any = None
    cache_dir: Path | None = None
    max_pairs: int = DEFAULT_MAX_PAIRS
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    relation_pairs: int = 0

    @property
    def t_same(self) -> float:
        return float(self.calibration["thresholds"]["same_claim"])

    @property
    def t_related(self) -> float:
        return float(self.calibration["thresholds"].get("related", self.t_same))

    def relation_threshold(self, name: str) -> float:
        """Operating point of the relation model (its manifest ``thresholds.<name>``, else 0.5)."""
        attr = getattr(self.relation, f"{name}_threshold", None)
        if isinstance(attr, int | float):
            return float(attr)
        manifest = getattr(self.relation, "manifest", None) or {}
        value = (manifest.get("thresholds") or {}).get(name, 0.5)
        return float(value) if isinstance(value, int | float) else 0.5

    def cosine_weight(self) -> float:
        """Weight of plain cosine in the STS similarity (manifest ``similarity_blend``; fitted on
        the model's calibration slice, 0 when the manifest has none)."""
        manifest = getattr(self.relation, "manifest", None) or {}
        blend = manifest.get("similarity_blend") or {}
        value = blend.get("cosine_weight", 0.0) if isinstance(blend, dict) else 0.0
        return float(value) if isinstance(value, int | float) else 0.0

    def sample(self, pairs: list[ds.Pair], path: Path) -> list[ds.Pair]:
        if len(pairs) <= self.max_pairs:
            return pairs
        ranked = sorted(
            pairs, key=lambda p: hashlib.sha1(embeddings.pair_key(p).encode()).hexdigest()
        )
        self.notes.append(
            f"{path.parent.name}/{path.name}: {len(pairs)} scored pairs, deterministic sample "
            f"of {self.max_pairs} (lowest sha1 of pair ids)"
        )
        return ranked[: self.max_pairs]

    def cosines(self, pairs: Sequence[ds.Pair]) -> np.ndarray:
        return embeddings.pair_cosines(pairs, cache_dir=self.cache_dir)

    def predict(self, pairs: Sequence[ds.Pair]) -> Any:
        """Relation scores for the pairs, or None while the model is absent."""
        if self.relation is None or not pairs:
            return None
        self.relation_pairs += len(pairs)
        return self.relation.predict([(p.s1, p.s2) for p in pairs])

    def add(self, row: Row) -> None:
        self.rows.append(row)


def _load(
    found: dict[str, list[Path]], name: str, bench: Bench, keep: Callable[[ds.Pair], bool]
) -> list[ds.Pair]:
    out: list[ds.Pair] = []
    for path in found.get(name, []):
        pairs = [p for p in ds.load_pairs(name, path) if keep(p)]
        out += bench.sample(pairs, path)
    return out


def eval_mrpc(found: dict[str, list[Path]], bench: Bench) -> None:
    pairs = _load(found, "mrpc", bench, lambda p: True)
    if not pairs:
        return
    gold = np.array([p.label == 1 for p in pairs])
    base = bench.cosines(pairs) >= bench.t_same
    scores = bench.predict(pairs)
    pred = base if scores is None else scores.same >= bench.relation_threshold("same")
    bench.add(
        Row("mrpc.f1", metrics.f1_score(pred, gold), metrics.f1_score(base, gold), len(pairs))
    )
    bench.add(
        Row("mrpc.accuracy", float(np.mean(pred == gold)), float(np.mean(base == gold)), len(pairs))
    )


def eval_stsb(found: dict[str, list[Path]], bench: Bench) -> None:
    pairs = _load(found, "stsb", bench, lambda p: True)
    if not pairs:
        return
    gold = np.array([float(p.label) for p in pairs])
    cos = bench.cosines(pairs)
    scores = bench.predict(pairs)
    if scores is None:
        sysv = cos
    else:  # the model's similarity head, blended with cosine by its manifest's fitted weight
        w = bench.cosine_weight()
        sysv = w * cos + (1.0 - w) * np.asarray(scores.similarity)
    bench.add(
        Row("stsb.spearman", metrics.spearman(sysv, gold), metrics.spearman(cos, gold), len(pairs))
    )
    news = np.array(["news" in str(p.meta.get("genre", "")) for p in pairs])
    if news.sum() >= 2:
        bench.add(
            Row(
                "stsb.news_spearman",
                metrics.spearman(sysv[news], gold[news]),
                metrics.spearman(cos[news], gold[news]),
                int(news.sum()),
            )
        )


def eval_paws(found: dict[str, list[Path]], bench: Bench) -> None:
    pairs = _load(found, "paws", bench, lambda p: p.label == 0)  # only non-paraphrases count
    if not pairs:
        return
    base = bench.cosines(pairs) >= bench.t_same
    scores = bench.predict(pairs)
    pred = base if scores is None else scores.same >= bench.relation_threshold("same")
    bench.add(
        Row(
            "paws.false_merge_rate",
            float(pred.mean()),
            float(base.mean()),
            len(pairs),
            "share of non-paraphrases merged; lower is better",
        )
    )


def eval_conflicts(found: dict[str, list[Path]], bench: Bench, name: str) -> None:
    pairs = _load(found, name, bench, lambda p: ds.conflict_label(name, p.label) is not None)
    if not pairs:
        return
    gold = np.array([bool(ds.conflict_label(name, p.label)) for p in pairs])
    cos = bench.cosines(pairs)
    base = (cos >= bench.t_related) & (cos < bench.t_same)
    scores = bench.predict(pairs)
    pred = base if scores is None else scores.conflict >= bench.relation_threshold("conflict")
    bench.add(
        Row(
            f"conflict.{name}.f1",
            metrics.f1_score(pred, gold),
            metrics.f1_score(base, gold),
            len(pairs),
            f"{int(gold.sum())} conflicts",
        )
    )


def eval_clef(found: dict[str, list[Path]], bench: Bench) -> None:
    if "clef2020" not in found:
        return
    data = ds.load_clef(found["clef2020"])
    rel = data.relevant()
    queries = [q for q in data.queries if (q.split, q.id) in rel]
    if not data.claims or not queries:
        bench.notes.append("clef2020: claims or queries with qrels missing; skipped")
        return
    settings = dict(bench.calibration.get("retrieval") or {})
    index = retrieval.ClaimIndex.build(data.claims, cache_dir=bench.cache_dir)
    texts = [q.text for q in queries]
    gold = [rel[(q.split, q.id)] for q in queries]
    model = bench.relation if float(settings.get("rerank_weight", 0.0)) > 0 else None
    first, final = retrieval.rank_claims(
        index, data.claims, texts, settings, model, cache_dir=bench.cache_dir
    )
    base_settings = {"query_cleaning": False, "claim_fields": "text", "lexical_weight": 0.0}
    base, _ = retrieval.rank_claims(
        index, data.claims, texts, base_settings, cache_dir=bench.cache_dir
    )
    splits = ", ".join(sorted({q.split for q in queries}))
    n = len(queries)
    note = f"{len(data.claims)} claims; query sets: {splits}"
    bench.add(
        Row(
            "retrieval.clef2020.map5",
            metrics.map_at_k(final, gold),
            metrics.map_at_k(base, gold),
            n,
            note,
        )
    )
    bench.add(
        Row(
            "retrieval.clef2020.recall5",
            metrics.recall_at_k(final, gold),
            metrics.recall_at_k(base, gold),
            n,
        )
    )
    if model is not None:
        bench.notes.append(
            "clef2020 MAP@5 before re-ranking with the relation model: "
            f"{metrics.map_at_k(first, gold):.4f}"
        )
    else:
        why = "model absent" if bench.relation is None else "calibrated weight 0: no gain on dev"
        bench.notes.append(f"clef2020: relation re-ranking off ({why})")


def eval_ecbplus(found: dict[str, list[Path]], bench: Bench) -> None:
    if "ecbplus" not in found:
        return
    story = bench.calibration.get("story")
    if not story:
        bench.notes.append("ecbplus: no 'story' block in calibration.json; skipped")
        return
    docs = ds.load_ecbplus(found["ecbplus"])
    if len(docs) < 2:
        return
    gold = [d.event for d in docs]
    labels = list(stories.story_labels(docs, story, cache_dir=bench.cache_dir))
    base_vecs = stories.story_vectors(
        docs, str(story.get("baseline_vector", "doc")), cache_dir=bench.cache_dir
    )
    base = list(
        clustering.cluster(
            base_vecs,
            float(story.get("baseline_threshold", story["threshold"])),
            method=str(story.get("baseline_linkage", "average")),
        )
    )
    note = f"{len(set(gold))} events, {len(set(labels))} clusters"
    if float(story.get("embedding_weight", 1.0)) < 1.0:
        bench.notes.append(
            "ecbplus: story similarity mixes embeddings with TF-IDF whose IDF comes from the "
            "clustered documents themselves (unsupervised, no labels), as a store would use"
        )
    n = len(docs)
    bench.add(
        Row(
            "clustering.ecbplus.bcubed_f1",
            clustering.bcubed_f1(labels, gold),
            clustering.bcubed_f1(base, gold),
            n,
            note,
        )
    )
    bench.add(
        Row("clustering.ecbplus.ari", clustering.ari(labels, gold), clustering.ari(base, gold), n)
    )


def evaluate(
    data_dir: Path,
    models_dir: Path,
    *,
    cache_dir: Path | None = None,
    max_pairs: int = DEFAULT_MAX_PAIRS,
    log: Callable[[str], None] = lambda s: None,
) -> Bench:
    """Run every evaluation whose data is present; the Bench holds rows, notes and timings."""
    calibration = cal.load_calibration(models_dir)
    relation = retrieval.load_relation(models_dir)
    bench = Bench(calibration, relation, cache_dir, max_pairs)
    found = ds.discover(data_dir)
    steps: list[tuple[str, Callable[[], None]]] = [
        ("mrpc", lambda: eval_mrpc(found, bench)),
        ("stsb", lambda: eval_stsb(found, bench)),
        ("paws", lambda: eval_paws(found, bench)),
        *[(n, (lambda n=n: eval_conflicts(found, bench, n))) for n in CONFLICT_SETS],
        ("clef2020", lambda: eval_clef(found, bench)),
        ("ecbplus", lambda: eval_ecbplus(found, bench)),
    ]
    known = {name for name, _ in steps}
    for name in sorted(set(found) - known):
        files = ", ".join(p.name for p in found[name])
        bench.notes.append(f"{name}: found ({files}) but it has no metric key; not scored")
    for name, step in steps:
        if name not in found:
            continue
        start = time.perf_counter()
        log(f"evaluating {name} ...")
        step()
        bench.timings[name] = time.perf_counter() - start
    return bench


def flat_json(bench: Bench) -> dict[str, float | None]:
    """The flat metric object: key -> value and ``key.baseline`` -> cosine baseline."""
    out: dict[str, float | None] = {}
    for row in bench.rows:
        out[row.key] = _num(row.system)
        if row.baseline is not None:
            out[f"{row.key}.baseline"] = _num(row.baseline)
    return out


def _num(x: float) -> float | None:
    return round(float(x), 4) if math.isfinite(x) else None


def render(bench: Bench, elapsed: float) -> str:
    """A readable table with the settings it ran with."""
    rel = bench.relation
    relation = "absent (system = calibrated cosine)" if rel is None else repr(rel)
    th = bench.calibration["thresholds"]
    lines = [
        f"relation model: {relation}",
        f"calibration: same_claim={th.get('same_claim')} related={th.get('related')} "
        f"story={th.get('story')} (created {bench.calibration.get('created', '?')})",
        "",
        f"{'metric':34} {'system':>8} {'baseline':>9} {'n':>7}  note",
        "-" * 80,
    ]
    for r in bench.rows:
        base = "" if r.baseline is None else f"{r.baseline:9.4f}"
        lines.append(f"{r.key:34} {r.system:8.4f} {base:>9} {r.n:7d}  {r.note}")
    lines.append("-" * 80)
    lines += [f"note: {n}" for n in bench.notes]
    timing = ", ".join(f"{k} {v:.0f}s" for k, v in bench.timings.items())
    lines.append(
        f"time: {elapsed:.0f}s total ({timing}); {embeddings.encoded_count()} texts embedded, "
        f"{bench.relation_pairs} pairs through the relation model (plus any CLEF re-ranking)"
    )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Quality benchmark on labelled data sets.")
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    parser.add_argument("--json", type=Path, default=None, help="write the flat metrics here")
    parser.add_argument("--models", type=Path, default=REPO / "models")
    parser.add_argument("--cache-dir", type=Path, default=None, help="persist embeddings here")
    parser.add_argument(
        "--max-pairs",
        type=int,
        default=DEFAULT_MAX_PAIRS,
        help="per-file cap on scored pairs (deterministic sample above it)",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines on stderr")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    log = (lambda s: None) if args.quiet else (lambda s: print(s, file=sys.stderr, flush=True))
    try:
        bench = evaluate(
            args.data, args.models, cache_dir=args.cache_dir, max_pairs=args.max_pairs, log=log
        )
    except FactcheckError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    print(render(bench, time.perf_counter() - start))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(flat_json(bench), indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
