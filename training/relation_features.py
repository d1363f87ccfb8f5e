"""Candidate (b): a logistic regression over frozen bi-encoder features and lexical fact
differences, measured against the cross-encoder (``--candidate features``)."""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from factcheck.lexicon import OVERLAP_STOP_WORDS
from training.relation_data import ALLOWED, NEUTRAL, SAME, Pair, build_stream
from training.relation_eval import BiEncoder, calibrate, evaluate

_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_NEG = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot|n't|refused?|denied|"
    r"denies|fail(?:ed|s)?)\b|n't\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[a-z0-9]+")
_STOP = OVERLAP_STOP_WORDS


def lexical(a: str, b: str) -> list[float]:
    """Typed fact differences a bi-encoder is blind to: numbers, negation, word overlap."""
    na, nb = set(_NUM.findall(a)), set(_NUM.findall(b))
    wa = {w for w in _WORD.findall(a.lower()) if w not in _STOP}
    wb = {w for w in _WORD.findall(b.lower()) if w not in _STOP}
    nega, negb = len(_NEG.findall(a)), len(_NEG.findall(b))
    inter = len(wa & wb)
    return [
        float(bool(na and nb and na != nb)),  # both give numbers, and they differ
        float(len(na ^ nb)) / (1 + len(na | nb)),
        float(bool(na) != bool(nb)),
        float((nega > 0) != (negb > 0)),
        float(abs(nega - negb)),
        inter / max(1, len(wa | wb)),
        inter / max(1, min(len(wa), len(wb))),
        len(wa - wb) / max(1, len(wa)),
        len(wb - wa) / max(1, len(wb)),
        math.log((1 + len(a)) / (1 + len(b))),
    ]


def feature_matrix(bi: BiEncoder, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
    u = bi.embed([a for a, _ in pairs])
    v = bi.embed([b for _, b in pairs])
    cos = np.sum(u * v, axis=1, keepdims=True)
    lex = np.array([lexical(a, b) for a, b in pairs], dtype=np.float32).reshape(len(pairs), -1)
    return np.hstack([np.abs(u - v), u * v, cos, lex]).astype(np.float32)


def run_features_candidate(
    fit: list[Pair],
    calib: dict[str, list[Pair]],
    held: dict[str, list[Pair]],
    plan: dict[str, tuple[int, int]],
    seed: int,
    log: Callable[[str], None],
) -> dict[str, Any]:
    """Candidate (b): logistic regression (3-way) + ridge (similarity) over frozen features."""
    from sklearn.linear_model import LogisticRegression, Ridge

    bi = BiEncoder()
    # Partial labels need a single class here: entailment/SUPPORTS -> same, not-same -> neutral.
    single = {"not_conflict": SAME, "not_same": NEUTRAL}
    stream = build_stream(fit, {k: (v[0], 1) for k, v in plan.items()}, seed)
    cls_rows = [(e, ALLOWED_NAME[e.allowed]) for e in stream if e.allowed]
    sim_rows = [e for e in stream if e.sim is not None]
    log(f"candidate b: embedding {len(stream)} training pairs")
    t0 = time.time()
    x = feature_matrix(bi, [(e.a, e.b) for e, _ in cls_rows])
    y = np.array([single.get(n, ALLOWED[n][0]) for _, n in cls_rows])
    clf = LogisticRegression(max_iter=2000, C=1.0, random_state=seed).fit(x, y)
    xs = feature_matrix(bi, [(e.a, e.b) for e in sim_rows])
    reg = Ridge(alpha=1.0).fit(xs, np.array([e.sim for e in sim_rows]))
    log(f"candidate b: fitted in {time.time() - t0:.0f} s")

    def score(pairs: Sequence[tuple[str, str]]) -> dict[str, np.ndarray]:
        if not pairs:
            z = np.zeros(0)
            return {"same": z, "conflict": z, "neutral": z, "similarity": z}
        f = feature_matrix(bi, pairs)
        pr = clf.predict_proba(f)
        full = np.zeros((len(pairs), 3))
        full[:, clf.classes_] = pr
        sim = np.clip(reg.predict(f), 0.0, 1.0)
        return {
            "same": full[:, 0],
            "conflict": full[:, 1],
            "neutral": full[:, 2],
            "similarity": sim,
        }

    th = calibrate(calib, score)
    t1 = time.time()
    metrics = evaluate(held, score, th["same"], th["conflict"])
    n_held = sum(len(v) for v in held.values())
    return {
        "candidate": "b: logistic regression over frozen MiniLM features |u-v|, u*v, cosine "
        "+ lexical differences (numbers, negation, overlap); ridge for similarity",
        "training_pairs": len(cls_rows),
        "thresholds": th,
        "heldout_metrics": metrics,
        "heldout_seconds_incl_embedding": round(time.time() - t1, 1),
        "heldout_pairs": n_held,
    }


ALLOWED_NAME = {v: k for k, v in ALLOWED.items()}
