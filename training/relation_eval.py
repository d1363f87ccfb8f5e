"""Measuring a relation model: held-out metrics, operating points, the cosine baseline, the
similarity blend, speed, and the comparison of candidates recorded in the manifest."""

from __future__ import annotations

import hashlib
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from training import metrics
from training.metrics import best_threshold_on_grid, prf
from training.relation_data import Pair
from training.relation_net import base_model_path

# --------------------------------------------------------------------------------------------
# Metrics
# --------------------------------------------------------------------------------------------


def spearman(x: np.ndarray, y: np.ndarray) -> float:
    """``metrics.spearman`` as the relation manifest records it: 2 places, NaN under 3 points."""
    return round(metrics.spearman(x, y), 2) if len(x) > 2 else float("nan")


Scorer = Callable[[Sequence[tuple[str, str]]], dict[str, np.ndarray]]


def evaluate(
    by_ds: dict[str, list[Pair]], score: Scorer, t_same: float, t_conflict: float
) -> dict[str, Any]:
    """Metrics per data set on one slice, at the given operating thresholds."""
    res: dict[str, Any] = {}
    for ds in sorted(by_ds):
        rows = by_ds[ds]
        s = score([(p.a, p.b) for p in rows])
        same, conf = s["same"], s["conflict"]
        lab = np.array([p.label for p in rows])
        m: dict[str, Any] = {"n": len(rows)}
        if ds in ("mrpc", "paws"):
            y = lab == "1"
            m["same"] = prf(y, same >= t_same)
            m["accuracy"] = round(float(np.mean(y == (same >= t_same))), 4)
            m["same_f1_oracle_threshold"] = round(best_threshold_on_grid(same, y)[1], 4)
            if ds == "paws":
                neg = ~y
                m["false_merge_rate"] = round(float(np.mean(same[neg] >= t_same)), 4)
            m["conflict_rate"] = round(float(np.mean(conf >= t_conflict)), 4)
        elif ds == "sts":
            gold = np.array([p.score for p in rows], dtype=float)
            news = np.array([p.genre == "main-news" for p in rows])
            m["spearman"] = spearman(s["similarity"], gold)
            m["spearman_main_news"] = spearman(s["similarity"][news], gold[news])
            m["n_main_news"] = int(news.sum())
            m["spearman_p_same"] = spearman(same, gold)
        elif ds == "summedits":
            y = lab == "0"
            m["conflict"] = prf(y, conf >= t_conflict)
            m["conflict_f1_oracle_threshold"] = round(best_threshold_on_grid(conf, y)[1], 4)
        elif ds in ("sick", "snli", "mnli"):
            y = lab == "CONTRADICTION"
            m["conflict"] = prf(y, conf >= t_conflict)
            m["conflict_f1_oracle_threshold"] = round(best_threshold_on_grid(conf, y)[1], 4)
            ent = lab == "ENTAILMENT"
            m["entailment_share_predicted_same"] = round(float(np.mean(same[ent] >= t_same)), 4)
        else:  # vitaminc_*, fever: REFUTES = conflict vs SUPPORTS; NEI excluded (and reported)
            files = sorted({p.file for p in rows}) if ds == "fever" else [None]
            for f in files:
                sel = np.array([f is None or p.file == f for p in rows])
                key = ds if f is None else Path(f).stem
                keep = sel & (lab != "NOT ENOUGH INFO")
                y = lab[keep] == "REFUTES"
                mm: dict[str, Any] = {"n_supports_refutes": int(keep.sum())}
                mm["conflict"] = prf(y, conf[keep] >= t_conflict)
                mm["conflict_f1_oracle_threshold"] = round(
                    best_threshold_on_grid(conf[keep], y)[1], 4
                )
                nei = sel & (lab == "NOT ENOUGH INFO")
                if nei.any():
                    yy = lab[sel] == "REFUTES"
                    mm["conflict_with_nei_as_negative"] = prf(yy, conf[sel] >= t_conflict)
                    mm["nei_predicted_conflict_rate"] = round(
                        float(np.mean(conf[nei] >= t_conflict)), 4
                    )
                if f is None:
                    m.update(mm)
                else:
                    m[key] = mm
        res[ds] = m
    return res


def calibrate(by_ds: dict[str, list[Pair]], score: Scorer) -> dict[str, Any]:
    """Operating thresholds on the calibration slice: MRPC F1 for same, VitaminC F1 for conflict."""
    mrpc = by_ds.get("mrpc", [])
    s = score([(p.a, p.b) for p in mrpc])["same"]
    t_same, f_same = best_threshold_on_grid(s, np.array([p.label == "1" for p in mrpc]))
    vc = [p for p in by_ds.get("vitaminc_real", []) if p.label != "NOT ENOUGH INFO"]
    c = score([(p.a, p.b) for p in vc])["conflict"]
    t_conf, f_conf = best_threshold_on_grid(c, np.array([p.label == "REFUTES" for p in vc]))
    return {
        "same": round(t_same, 4),
        "conflict": round(t_conf, 4),
        "chosen_on": "calibration slice (training side, not fitted): "
        f"MRPC n={len(mrpc)} F1={f_same:.4f}; VitaminC-real SUPPORTS/REFUTES n={len(vc)} "
        f"F1={f_conf:.4f}",
    }


# --------------------------------------------------------------------------------------------
# Bi-encoder: baseline (plain cosine) and candidate (b)
# --------------------------------------------------------------------------------------------


class BiEncoder:
    """all-MiniLM-L6-v2 sentence embeddings with an in-memory cache."""

    def __init__(self) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        self.model = SentenceTransformer(str(base_model_path()), device="cpu")
        self.cache: dict[str, np.ndarray] = {}

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        todo = sorted({t for t in texts if t not in self.cache})
        if todo:
            vecs = self.model.encode(
                todo, batch_size=64, normalize_embeddings=True, show_progress_bar=False
            )
            self.cache.update(zip(todo, np.asarray(vecs, dtype=np.float32), strict=True))
        return np.stack([self.cache[t] for t in texts]) if texts else np.zeros((0, 384))

    def cosine(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        u = self.embed([a for a, _ in pairs])
        v = self.embed([b for _, b in pairs])
        return np.clip(np.sum(u * v, axis=1), -1.0, 1.0) if len(pairs) else np.zeros(0)


def baseline(
    bi: BiEncoder, calib: dict[str, list[Pair]], held: dict[str, list[Pair]]
) -> dict[str, Any]:
    """Plain MiniLM cosine: threshold tuned for MRPC F1 on the calibration slice."""
    mrpc_c = calib.get("mrpc", [])
    cos_c = bi.cosine([(p.a, p.b) for p in mrpc_c])
    t, _ = best_threshold_on_grid(cos_c, np.array([p.label == "1" for p in mrpc_c]))
    out: dict[str, Any] = {"cosine_threshold": round(t, 4)}
    for ds in ("mrpc", "paws"):
        rows = held.get(ds, [])
        if not rows:
            continue
        cos = bi.cosine([(p.a, p.b) for p in rows])
        y = np.array([p.label == "1" for p in rows])
        m: dict[str, Any] = {"same": prf(y, cos >= t)}
        m["accuracy"] = round(float(np.mean(y == (cos >= t))), 4)
        m["same_f1_oracle_threshold"] = round(best_threshold_on_grid(cos, y)[1], 4)
        if ds == "paws":
            m["false_merge_rate"] = round(float(np.mean(cos[~y] >= t)), 4)
        out[ds] = m
    rows = held.get("sts", [])
    if rows:
        cos = bi.cosine([(p.a, p.b) for p in rows])
        gold = np.array([p.score for p in rows], dtype=float)
        news = np.array([p.genre == "main-news" for p in rows])
        out["sts"] = {
            "spearman": spearman(cos, gold),
            "spearman_main_news": spearman(cos[news], gold[news]),
        }
    return out


def fit_blend(
    bi: BiEncoder, score: Scorer, calib: dict[str, list[Pair]], held: dict[str, list[Pair]]
) -> dict[str, Any]:
    """One weight w: similarity = w * MiniLM cosine + (1 - w) * head, best STS Spearman on calib.

    The cosine of the bi-encoder ranks STS well out of the box; the cross-encoder's similarity
    head sees the pair together. The weight is fitted on the calibration slice only and then
    measured on the held-out slice.
    """

    def parts(rows: list[Pair]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        ps = [(p.a, p.b) for p in rows]
        gold = np.array([p.score for p in rows], dtype=float)
        news = np.array([p.genre == "main-news" for p in rows])
        return bi.cosine(ps).astype(float), score(ps)["similarity"].astype(float), gold, news

    cos_c, head_c, gold_c, _ = parts(calib.get("sts", []))
    best_w, best_s = 0.0, -1e9
    for w in np.round(np.linspace(0.0, 1.0, 101), 2):
        sp = spearman(w * cos_c + (1 - w) * head_c, gold_c)
        if sp > best_s + 1e-9:
            best_w, best_s = float(w), sp
    cos_h, head_h, gold_h, news_h = parts(held.get("sts", []))
    blend = best_w * cos_h + (1 - best_w) * head_h
    return {
        "cosine_weight": best_w,
        "formula": "cosine_weight * cosine(all-MiniLM-L6-v2 normalised embeddings) "
        "+ (1 - cosine_weight) * similarity head",
        "fitted_on": f"calibration slice STS-B (n={len(gold_c)}), grid 0..1 step 0.01, "
        "max Spearman",
        "calib_spearman": best_s,
        "heldout_spearman": spearman(blend, gold_h),
        "heldout_news_spearman": spearman(blend[news_h], gold_h[news_h]),
        "heldout_n": len(gold_h),
        "heldout_n_news": int(news_h.sum()),
    }


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def speed_test(folder: Path, pairs: Sequence[tuple[str, str]]) -> dict[str, float]:
    """Pairs per second (each pair run alone, as ``predict`` does) on news pairs (MRPC
    held-out), after one warm-up.

    Wall-clock speed with 2 onnxruntime threads depends on how busy the machine is, so the
    single-thread rate per CPU second is measured too: it is what one free core delivers.
    """
    from factcheck.relation import load_relation_folder

    sample = list(pairs[:640])
    if not sample:
        return {}
    two = load_relation_folder(folder, threads=2)
    two.predict(sample[:32])
    t = time.perf_counter()
    two.predict(sample)
    el = time.perf_counter() - t
    one = load_relation_folder(folder, threads=1)
    one.predict(sample[:32])
    c = time.process_time()
    one.predict(sample)
    cpu = time.process_time() - c
    return {
        "pairs": len(sample),
        "batch_size": 1,
        "pairs_per_second_2_threads_wall": round(len(sample) / el, 1),
        "load_average_1min": round(os.getloadavg()[0], 2),
        "pairs_per_cpu_second_1_thread": round(len(sample) / max(cpu, 1e-9), 1),
    }


CHOICE = (
    "Chosen: (a), the cross-encoder, measured against (b) (logistic regression over frozen "
    "MiniLM features + lexical number/negation/overlap differences; candidate_features.json) "
    "on the same held-out slice (see 'comparison'). (a) reads both sentences together, so it "
    "is the one that can separate word-swap traps (PAWS false merges) and negations/edits "
    "(SICK, SummEdits, VitaminC) and gives the better MRPC same-claim F1; (b) ranks STS "
    "similarity better than the head alone, which is why similarity ranking uses the "
    "calibrated blend of MiniLM cosine and the head ('similarity_blend'). Use p_same / "
    "p_conflict from this model for decisions."
)


KEY_METRICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("mrpc_same_f1", ("mrpc", "same", "f1")),
    ("sts_spearman", ("sts", "spearman")),
    ("sts_spearman_main_news", ("sts", "spearman_main_news")),
    ("sts_blend_spearman", ("sts", "blend_spearman")),
    ("sts_blend_spearman_main_news", ("sts", "blend_spearman_main_news")),
    ("vitaminc_real_conflict_f1", ("vitaminc_real", "conflict", "f1")),
    ("vitaminc_synthetic_conflict_f1", ("vitaminc_synthetic", "conflict", "f1")),
    ("summedits_conflict_f1", ("summedits", "conflict", "f1")),
    ("sick_contradiction_f1", ("sick", "conflict", "f1")),
    ("snli_contradiction_f1", ("snli", "conflict", "f1")),
    ("mnli_contradiction_f1", ("mnli", "conflict", "f1")),
    ("fever_adversarial_f1", ("fever", "fever_adversarial_test", "conflict", "f1")),
    ("fever_symmetric_dev_f1", ("fever", "fever_symmetric_dev", "conflict", "f1")),
    ("fever_symmetric_test_f1", ("fever", "fever_symmetric_test", "conflict", "f1")),
    ("fever_triggers_f1", ("fever", "fever_triggers_test", "conflict", "f1")),
    ("paws_false_merge_rate", ("paws", "false_merge_rate")),
)


def _dig(d: Any, path: Sequence[str]) -> Any:
    for k in path:
        d = d.get(k) if isinstance(d, dict) else None
    return d


def compare_candidates(manifest: dict[str, Any]) -> dict[str, Any]:
    """Side-by-side held-out figures: (a) this artefact, (b) the feature classifier, baseline."""
    a = manifest.get("heldout_metrics", {})
    b = (manifest.get("candidate_b_features") or {}).get("heldout_metrics", {})
    base = manifest.get("baseline_plain_minilm_cosine", {})
    return {
        name: {
            "a_cross_encoder": _dig(a, path),
            "b_features": _dig(b, path),
            "plain_cosine": _dig(base, path),
        }
        for name, path in KEY_METRICS
    }


def group_by_ds(pairs: Iterable[Pair]) -> dict[str, list[Pair]]:
    out: dict[str, list[Pair]] = defaultdict(list)
    for p in pairs:
        out[p.dataset].append(p)
    return dict(out)


def cap_eval(by_ds: dict[str, list[Pair]], cap: int | None) -> dict[str, list[Pair]]:
    if cap is None:
        return by_ds
    return {k: v[:cap] for k, v in by_ds.items()}


def _missing_artefact_files(folder: Path) -> list[str]:
    """The files of a trained artefact (what --init-from-onnx and --reevaluate read) absent here."""
    names = ("manifest.json", "model.onnx", "tokenizer.json")
    return [n for n in names if not (folder / n).is_file()]
