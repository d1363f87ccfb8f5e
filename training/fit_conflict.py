"""Fit the conflict stack: cross-encoder probabilities + typed differences -> P(conflict).

Reproducible recipe (same data + same relation model -> same ``conflict_stack.json``)::

    python -m training.fit_conflict --data ../shared/data --relation models/relation

Run it after ``training/train_relation.py`` (the stack is tied to one relation-model version, and
``factcheck.relation`` refuses a stack fitted for another). What it does:

1. Reads the conflict-labelled data sets (VitaminC real + synthetic, FEVER variants, SICK, SNLI,
   MNLI, SummEdits) with ``train_relation``'s readers and the SAME group split (15 % held out,
   10 % calibration, 75 % fit), so held-out rows stay unseen by both models.
2. Scores every pair with the relation model alone (no stack) and computes the typed features of
   ``factcheck.pairfeatures`` (number / bound / date agreement, negation, novel words).
3. Fits a gradient-boosted tree ensemble (scikit-learn ``HistGradientBoostingClassifier``, fixed
   settings and seed) on the calibration + fit rows. Measured against a logistic regression on
   the same features: the trees were better on every VitaminC / FEVER / SICK slice (they can say
   "a bound that disagrees matters only when the cross-encoder is unsure").
4. Chooses the decision threshold on 5-fold cross-validated predictions of the calibration
   VitaminC rows (real + synthetic pooled: max F1), so it is not chosen on in-sample scores.
5. Checks that the numpy evaluator of ``factcheck.conflict_stack`` reproduces scikit-learn's
   probabilities, measures the held-out slice (raw cross-encoder vs stack) and writes
   ``conflict_stack.json`` next to the relation model with data, settings and metrics.

``--scores-cache FILE`` keeps the relation model's scores between runs (keyed by model version).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # runnable as a plain script from any directory
    sys.path.insert(0, str(REPO))

from factcheck.conflict_stack import STACK_FILE, ConflictStack, Tree, stack_to_json  # noqa: E402
from factcheck.pairfeatures import FEATURE_NAMES, design_matrix  # noqa: E402
from factcheck.relation import RelationModel, load_relation_folder  # noqa: E402
from training.metrics import best_threshold_on_grid, prf  # noqa: E402
from training.relation_data import Pair, load_all  # noqa: E402
from training.splits import assign_splits  # noqa: E402

CONFLICT_SETS = (
    "vitaminc_real",
    "vitaminc_synthetic",
    "fever",
    "sick",
    "snli",
    "mnli",
    "summedits",
)
THRESHOLD_SETS = ("vitaminc_real", "vitaminc_synthetic")
SETTINGS: dict[str, Any] = {
    "model": "HistGradientBoostingClassifier",
    "max_iter": 200,
    "learning_rate": 0.05,
    "max_leaf_nodes": 15,
    "early_stopping": False,
    "random_state": 0,
    "fit_rows": "calibration + fit splits of the conflict sets",
    "threshold": "max F1 on 5-fold cross-validated predictions of the calibration VitaminC rows",
}


def gold(p: Pair) -> int | None:
    """1 = conflict, 0 = not, None = not scored (NOT ENOUGH INFO): as benchmarks/quality.py."""
    if p.dataset.startswith("vitaminc") or p.dataset == "fever":
        return {"REFUTES": 1, "SUPPORTS": 0}.get(p.label)
    if p.dataset in ("sick", "snli", "mnli"):
        return int(p.label == "CONTRADICTION")
    if p.dataset == "summedits":
        return int(p.label == "0")
    return None


def f1_at(scores: np.ndarray, y: np.ndarray, t: float) -> dict[str, float]:
    return prf(y == 1, scores >= t)


def relation_scores(
    model: RelationModel, pairs: Sequence[Pair], cache: Path | None, log: Any
) -> np.ndarray:
    """(n, 4) same / conflict / neutral / similarity from the relation model alone."""
    if cache is not None and cache.exists():
        data = np.load(cache, allow_pickle=False)
        if str(data["version"]) == model.version and data["scores"].shape[0] == len(pairs):
            log(f"relation scores from {cache}")
            return np.asarray(data["scores"])
    t0 = time.time()
    out = []
    step = 2000
    for i in range(0, len(pairs), step):
        s = model.predict([(p.a, p.b) for p in pairs[i : i + step]])
        out.append(np.stack([s.same, s.conflict, s.neutral, s.similarity], 1))
        log(f"scored {min(i + step, len(pairs))}/{len(pairs)} pairs ({time.time() - t0:.0f} s)")
    scores = np.concatenate(out) if out else np.zeros((0, 4), dtype=np.float32)
    if cache is not None:
        np.savez(cache, scores=scores, version=np.asarray(model.version))
    return scores


def export(clf: Any) -> tuple[float, tuple[Tree, ...]]:
    """scikit-learn's fitted trees as plain arrays (binary classification: one tree per round)."""
    trees = []
    for round_ in clf._predictors:
        nodes = round_[0].nodes
        leaf = nodes["is_leaf"].astype(bool)
        trees.append(
            Tree(
                feature=nodes["feature_idx"].astype(np.int64),
                threshold=nodes["num_threshold"].astype(np.float64),
                left=np.where(leaf, -1, nodes["left"].astype(np.int64)),
                right=np.where(leaf, -1, nodes["right"].astype(np.int64)),
                value=nodes["value"].astype(np.float64),
            )
        )
    return float(np.ravel(clf._baseline_prediction)[0]), tuple(trees)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, required=True, help="folder of the labelled data sets")
    ap.add_argument("--relation", type=Path, default=REPO / "models" / "relation")
    ap.add_argument("--scores-cache", type=Path, default=None, help="npz cache of model scores")
    ap.add_argument("--threads", type=int, default=None, help="relation-model worker threads")
    args = ap.parse_args(argv)
    t_start = time.time()

    def log(msg: str) -> None:
        print(f"[{time.time() - t_start:7.1f}s] {msg}", flush=True)

    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.model_selection import cross_val_predict

    everything = load_all(args.data)
    splits = assign_splits(everything)
    rows = [
        (p, s, g)
        for p, s in zip(everything, splits, strict=True)
        if p.dataset in CONFLICT_SETS and (g := gold(p)) is not None
    ]
    if not rows:
        raise SystemExit(f"no conflict-labelled data under {args.data}; see its README.md")
    pairs = [p for p, _, _ in rows]
    split = np.array([s for _, s, _ in rows])
    y = np.array([g for _, _, g in rows], dtype=np.int64)
    ds = np.array([p.dataset for p in pairs])
    sizes = ", ".join(f"{d} {int((ds == d).sum())}" for d in CONFLICT_SETS)
    log(f"{len(rows)} scored pairs: {sizes}")

    model = load_relation_folder(args.relation, threads=args.threads, stack=False)
    version, model_threshold = model.version, model.conflict_threshold
    scores = relation_scores(model, pairs, args.scores_cache, log)
    x = design_matrix([(p.a, p.b) for p in pairs], *(scores[:, k] for k in range(4)))
    log(f"features {x.shape}")

    train = np.isin(split, ("calib", "fit"))
    params = {k: SETTINGS[k] for k in ("max_iter", "learning_rate", "max_leaf_nodes")}
    clf = HistGradientBoostingClassifier(
        **params, early_stopping=False, random_state=SETTINGS["random_state"]
    )
    clf.fit(x[train], y[train])
    cv = np.full(len(y), np.nan)
    cv[train] = cross_val_predict(clf, x[train], y[train], cv=5, method="predict_proba")[:, 1]
    cal = (split == "calib") & np.isin(ds, THRESHOLD_SETS)
    threshold, cal_f1 = best_threshold_on_grid(cv[cal], y[cal] == 1, ties="first")
    log(f"threshold {threshold:.4f} (cross-validated calibration F1 {cal_f1:.4f})")

    baseline, trees = export(clf)
    stack = ConflictStack(version, FEATURE_NAMES, baseline, trees, threshold, {})
    ours, theirs = stack.probability(x), clf.predict_proba(x)[:, 1]
    gap = float(np.max(np.abs(ours - theirs))) if len(x) else 0.0
    if gap > 1e-6:
        raise SystemExit(
            f"the numpy evaluator (factcheck/conflict_stack.py) differs from scikit-learn by "
            f"{gap:.2e}, so {STACK_FILE} was not written. scikit-learn's tree layout has probably "
            "changed: install the version pinned in pyproject.toml, or update export() here"
        )

    held = split == "heldout"
    metrics: dict[str, Any] = {}
    for name in (*CONFLICT_SETS, "vitaminc"):
        sel = held & (np.isin(ds, THRESHOLD_SETS) if name == "vitaminc" else ds == name)
        if sel.any():
            metrics[name] = {
                "n": int(sel.sum()),
                "conflicts": int(y[sel].sum()),
                "stack": f1_at(ours[sel], y[sel], threshold),
                "cross_encoder_alone": f1_at(scores[sel, 1], y[sel], model_threshold),
            }
    for name, m in metrics.items():
        log(
            f"held-out {name:18s} n={m['n']:5d} F1 stack {m['stack']['f1']:.4f} vs "
            f"cross-encoder {m['cross_encoder_alone']['f1']:.4f}"
        )
    counts: dict[str, dict[str, int]] = {}
    for p, s in zip(pairs, split, strict=True):
        counts.setdefault(p.file, {}).setdefault(str(s), 0)
        counts[p.file][str(s)] += 1
    manifest = {
        "name": "conflict-stack-hgb",
        "created": dt.date.today().isoformat(),
        "command": (
            "python -m training.fit_conflict --data ../shared/data --relation models/relation"
        ),
        "settings": SETTINGS,
        "rows_per_file": counts,
        "threshold_note": (
            f"cross-validated calibration VitaminC F1 {cal_f1:.4f}; predict conflict when "
            "P(conflict) >= threshold"
        ),
        "heldout_metrics": metrics,
        "evaluator_max_abs_diff_vs_sklearn": gap,
        "seconds": round(time.time() - t_start, 1),
    }
    out = args.relation / STACK_FILE
    stack = ConflictStack(version, FEATURE_NAMES, baseline, trees, threshold, manifest)
    out.write_text(json.dumps(stack_to_json(stack), separators=(",", ":")) + "\n")
    log(f"wrote {out} ({out.stat().st_size / 1e3:.0f} kB, {len(trees)} trees)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
