"""The one set of metrics the recipes and the quality benchmark report: F1, operating
thresholds, Spearman, and the ranking metrics of claim retrieval.

One module so that a number in ``models/calibration.json``, a relation manifest and the quality
table means the same thing everywhere. Threshold choice has two rules on purpose:
:func:`best_f1_threshold` (the cut midway between two distinct scores) is the rule for new
work; :func:`best_threshold_on_grid` is the rule the shipped relation model and conflict stack
chose their operating points with, kept so that their recipes reproduce them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np

MAP_K = 5


def f1_score(pred: np.ndarray, gold: np.ndarray) -> float:
    """F1 of boolean predictions for the positive class."""
    tp = float(np.sum(pred & gold))
    fp, fn = float(np.sum(pred & ~gold)), float(np.sum(~pred & gold))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def prf(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    """F1, precision and recall of boolean predictions, rounded to 4 places (as manifests
    record them); an empty prediction or gold side counts 0, never a division by zero."""
    gold, pred = np.asarray(gold, dtype=bool), np.asarray(pred, dtype=bool)
    tp, n_pred, n_gold = float(np.sum(gold & pred)), float(np.sum(pred)), float(np.sum(gold))
    p, r = tp / max(n_pred, 1.0), tp / max(n_gold, 1.0)
    f = 2 * tp / max(n_pred + n_gold, 1.0)  # = 2pr / (p + r), in one exact division
    return {"f1": round(f, 4), "precision": round(p, 4), "recall": round(r, 4)}


def best_f1_threshold(scores: np.ndarray, gold: np.ndarray) -> tuple[float, float]:
    """The cut ``t`` (predict positive when score >= t) that maximises F1, and that F1.

    The cut lies midway between the last accepted and the first rejected score, so it does
    not sit on one example's exact score.
    """
    scores = np.asarray(scores, dtype=np.float64)
    gold = np.asarray(gold, dtype=bool)
    if not len(scores) or not gold.any():
        return 1.0, 0.0
    order = np.argsort(-scores, kind="stable")
    s, g = scores[order], gold[order]
    tp = np.cumsum(g)
    fp = np.cumsum(~g)
    f1 = 2 * tp / (tp + fp + g.sum())
    last = np.r_[s[1:] != s[:-1], True]  # only cut between distinct scores
    f1 = np.where(last, f1, -1.0)
    i = int(np.argmax(f1))
    t = (s[i] + s[i + 1]) / 2 if i + 1 < len(s) else s[i] - 1e-6
    return float(t), float(f1[i])


def best_threshold_on_grid(
    scores: np.ndarray, gold: np.ndarray, *, ties: Literal["middle", "first"] = "middle"
) -> tuple[float, float]:
    """Threshold maximising F1 (4 places) of ``scores >= t`` over the scores rounded to 4
    places; among equally good ones the middle (relation model) or the first (conflict stack).
    """
    gold = np.asarray(gold, dtype=bool)
    if len(scores) == 0 or not gold.any():
        return 0.5, 0.0
    grid = np.unique(np.round(scores, 4))
    f1s = [prf(gold, scores >= t)["f1"] for t in grid]
    if ties == "first":
        i = int(np.argmax(f1s))
        return float(grid[i]), float(f1s[i])
    best_f, best = -1.0, [0.5]
    for t, f in zip(grid, f1s, strict=True):
        if f > best_f + 1e-9:
            best_f, best = f, [float(t)]
        elif abs(f - best_f) <= 1e-9:
            best.append(float(t))
    return float(best[len(best) // 2]), best_f


def spearman(a: np.ndarray, b: np.ndarray) -> float:
    """Spearman rank correlation x 100 (the STS convention); NaN under two points."""
    from scipy.stats import spearmanr

    if len(a) < 2:
        return float("nan")
    return float(spearmanr(a, b).statistic) * 100


def average_precision_at_k(ranked: Sequence[str], relevant: set[str], k: int = MAP_K) -> float:
    """AP@k as trec_eval computes it: precision at each relevant hit in the top k / |relevant|."""
    if not relevant:
        return 0.0
    hits, total = 0, 0.0
    for i, doc in enumerate(ranked[:k], 1):
        if doc in relevant:
            hits += 1
            total += hits / i
    return total / len(relevant)


def map_at_k(
    rankings: Sequence[Sequence[str]], relevant: Sequence[set[str]], k: int = MAP_K
) -> float:
    """Mean AP@k over queries (a query with no relevant doc retrieved counts 0)."""
    if not rankings:
        return 0.0
    aps = [average_precision_at_k(r, g, k) for r, g in zip(rankings, relevant, strict=True)]
    return float(np.mean(aps))


def recall_at_k(
    rankings: Sequence[Sequence[str]], relevant: Sequence[set[str]], k: int = MAP_K
) -> float:
    """Mean share of each query's relevant docs found in its top k."""
    if not rankings:
        return 0.0
    vals = [
        len(set(r[:k]) & g) / len(g) if g else 0.0 for r, g in zip(rankings, relevant, strict=True)
    ]
    return float(np.mean(vals))
