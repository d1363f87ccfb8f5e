"""The conflict model: the cross-encoder's probabilities plus typed differences, combined.

The cross-encoder (``factcheck.relation``) misses what needs arithmetic: "under $81.4 million"
against "$81.5 million", "after 2005" against "in 2006". ``factcheck.pairfeatures`` measures
those differences; a small gradient-boosted tree ensemble, fitted by ``training/fit_conflict.py``
on the training side of the labelled data, turns features and probabilities into P(conflict).
It is stored as plain JSON (``models/relation/conflict_stack.json``: per tree the split feature,
threshold, children and leaf values) and evaluated here with numpy, so the service needs neither
scikit-learn nor pickles at run time.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from factcheck.errors import ModelError
from factcheck.pairfeatures import FEATURE_NAMES, design_matrix

STACK_FILE = "conflict_stack.json"
REFIT_HINT = (
    "refit it with `python -m training.fit_conflict --data ../shared/data --relation "
    "models/relation`, or delete it to use the cross-encoder's conflict probability alone"
)


@dataclass(frozen=True)
class Tree:
    """One regression tree in array form; node 0 is the root, ``left == -1`` marks a leaf."""

    feature: np.ndarray  # int, split feature per node
    threshold: np.ndarray  # float, go left when x[feature] <= threshold
    left: np.ndarray  # int, child index or -1
    right: np.ndarray  # int
    value: np.ndarray  # float, leaf value (raw score)


@dataclass(frozen=True)
class _Forest:
    """All trees' nodes in one set of arrays (child indices made global), so a batch walks every
    tree at once: one numpy step per level instead of one per tree and level."""

    roots: np.ndarray
    feature: np.ndarray
    threshold: np.ndarray
    left: np.ndarray
    right: np.ndarray
    value: np.ndarray


def _build_forest(trees: Sequence[Tree]) -> _Forest:
    sizes = [len(t.value) for t in trees]
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64)

    def children(side: str) -> np.ndarray:
        parts = [
            np.where(getattr(t, side) >= 0, getattr(t, side) + off, -1)
            for t, off in zip(trees, offsets, strict=True)
        ]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def stacked(name: str, dtype: type) -> np.ndarray:
        parts = [getattr(t, name) for t in trees]
        return np.concatenate(parts).astype(dtype) if parts else np.zeros(0, dtype=dtype)

    return _Forest(
        roots=offsets,
        feature=stacked("feature", np.int64),
        threshold=stacked("threshold", np.float64),
        left=children("left"),
        right=children("right"),
        value=stacked("value", np.float64),
    )


@dataclass(frozen=True)
class ConflictStack:
    """A fitted conflict model for one relation-model version."""

    relation_version: str
    features: tuple[str, ...]
    baseline: float
    trees: tuple[Tree, ...]
    threshold: float
    manifest: dict[str, Any]

    @functools.cached_property
    def _forest(self) -> _Forest:
        return _build_forest(self.trees)

    def raw(self, x: np.ndarray) -> np.ndarray:
        """Baseline plus every tree's leaf value, per row (the log-odds of a conflict)."""
        f = self._forest
        if not len(f.roots) or not x.shape[0]:
            return np.full(x.shape[0], self.baseline, dtype=np.float64)
        node = np.broadcast_to(f.roots, (x.shape[0], len(f.roots))).copy()
        rows = np.arange(x.shape[0])[:, None]
        for _ in range(len(f.value)):  # a walk is never longer than the nodes it can visit
            inner = f.left[node] >= 0
            if not inner.any():
                break
            go_left = x[rows, f.feature[node]] <= f.threshold[node]
            node = np.where(inner, np.where(go_left, f.left[node], f.right[node]), node)
        return np.asarray(self.baseline + f.value[node].sum(axis=1), dtype=np.float64)

    def probability(self, x: np.ndarray) -> np.ndarray:
        """P(conflict) per design-matrix row (``factcheck.pairfeatures.design_matrix``)."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.raw(x))), dtype=np.float64)

    def score(
        self,
        pairs: Sequence[tuple[str, str]],
        same: np.ndarray,
        conflict: np.ndarray,
        neutral: np.ndarray,
        similarity: np.ndarray,
    ) -> np.ndarray:
        """P(conflict) for text pairs already scored by the cross-encoder."""
        if not len(pairs):
            return np.zeros(0, dtype=np.float32)
        x = design_matrix(pairs, same, conflict, neutral, similarity)
        return self.probability(x).astype(np.float32)


def stack_to_json(stack: ConflictStack) -> dict[str, Any]:
    """The JSON form written by the fitting recipe (inverse of :func:`stack_from_json`)."""
    return {
        **stack.manifest,
        "relation_version": stack.relation_version,
        "features": list(stack.features),
        "threshold": stack.threshold,
        "baseline": stack.baseline,
        "trees": [
            {
                "feature": t.feature.tolist(),
                "threshold": t.threshold.tolist(),
                "left": t.left.tolist(),
                "right": t.right.tolist(),
                "value": t.value.tolist(),
            }
            for t in stack.trees
        ],
    }


def stack_from_json(data: dict[str, Any], where: str = "conflict stack") -> ConflictStack:
    """Parse and check the JSON form; ModelError saying how to fix anything wrong."""
    try:
        features = tuple(str(f) for f in data["features"])
        trees = tuple(
            Tree(
                feature=np.asarray(t["feature"], dtype=np.int64),
                threshold=np.asarray(t["threshold"], dtype=np.float64),
                left=np.asarray(t["left"], dtype=np.int64),
                right=np.asarray(t["right"], dtype=np.int64),
                value=np.asarray(t["value"], dtype=np.float64),
            )
            for t in data["trees"]
        )
        stack = ConflictStack(
            relation_version=str(data["relation_version"]),
            features=features,
            baseline=float(data["baseline"]),
            trees=trees,
            threshold=float(data["threshold"]),
            manifest={
                k: v
                for k, v in data.items()
                if k not in ("trees", "features", "baseline", "threshold", "relation_version")
            },
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ModelError(f"{where} is malformed ({exc!r}); {REFIT_HINT}") from exc
    if features != FEATURE_NAMES:
        raise ModelError(
            f"{where} was fitted on features {list(features)}, but this version of factcheck "
            f"computes {list(FEATURE_NAMES)}; {REFIT_HINT}"
        )
    n = len(features)
    for i, t in enumerate(trees):
        sizes = {len(t.feature), len(t.threshold), len(t.left), len(t.right), len(t.value)}
        inner = t.left >= 0
        if (
            len(sizes) != 1
            or (t.feature[inner] >= n).any()
            or (t.left >= len(t.left)).any()
            or (t.right >= len(t.right)).any()
        ):
            raise ModelError(f"{where}: tree {i} is inconsistent; {REFIT_HINT}")
    return stack


def load_stack(folder: Path, relation_version: str) -> ConflictStack | None:
    """The stack next to a relation model, None when there is none.

    A stack fitted on another version of the relation model is refused: its trees were fitted
    on that model's probabilities, which a new model distributes differently.
    """
    path = folder / STACK_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelError(f"{path} is unreadable ({exc}); {REFIT_HINT}") from exc
    if not isinstance(data, dict):
        raise ModelError(f"{path} is not a JSON object; {REFIT_HINT}")
    stack = stack_from_json(data, str(path))
    if stack.relation_version != relation_version:
        raise ModelError(
            f"{path} was fitted for relation model {stack.relation_version}, but the model in "
            f"{folder} is {relation_version}; {REFIT_HINT}"
        )
    return stack
