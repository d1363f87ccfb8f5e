"""The one split scheme: which labelled items are held out, which choose thresholds, which fit.

Every recipe splits the same way, so an item held out from the relation model is also held out
from the calibrated thresholds, and a held-out figure anywhere is measured on data that nothing
was fitted on. Items are grouped first (pairs that share a sentence, a Wikipedia page or a
source document; an ECB+ topic; a CLEF query), then, per data set, groups are ordered by
sha256 of their key: the first ``HELD_OUT_PCT`` % are held out, the next ``CALIB_PCT`` %
calibrate (training side, not fitted), the rest are fitted. Quantiles rather than hash modulo,
so a set with few groups (SummEdits has 12 source documents) still gets a held-out part.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from typing import Literal, Protocol

HELD_OUT_PCT = 15  # share of each data set's groups held out (never fitted, only measured)
CALIB_PCT = 10  # share used to choose thresholds (training side, not fitted); the rest is fitted
Split = Literal["heldout", "calib", "fit"]

# Data sets whose sentences are reused across many pairs by design (SICK, STS, MRPC): linking
# pairs through shared sentences would collapse them into one group, so they split by pair text.
PAIR_TEXT_GROUPS = frozenset({"sick", "sts", "mrpc"})


class GroupedPair(Protocol):
    """What grouping needs of a pair: its data set, its two texts and extra grouping keys."""

    @property
    def dataset(self) -> str: ...
    @property
    def a(self) -> str: ...
    @property
    def b(self) -> str: ...
    @property
    def keys(self) -> tuple[str, ...]: ...


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _hash(key: str) -> bytes:
    return hashlib.sha256(key.encode("utf-8")).digest()


def pair_text_group(dataset: str, a: str, b: str) -> str:
    """The group of a pair in a PAIR_TEXT_GROUPS set: its own two texts, normalised."""
    return f"{dataset}|pair|{_norm(a)}|{_norm(b)}"


def split_groups(items: Sequence[tuple[str, str]]) -> list[Split]:
    """The split of each ``(data set, group)`` item; items of one group share a split."""
    groups: dict[str, set[str]] = defaultdict(set)
    for dataset, group in items:
        groups[dataset].add(group)
    where: dict[tuple[str, str], Split] = {}
    for dataset, gs in groups.items():
        ordered = sorted(gs, key=_hash)
        n_held = round(len(ordered) * HELD_OUT_PCT / 100)
        n_cal = round(len(ordered) * CALIB_PCT / 100)
        for i, g in enumerate(ordered):
            split: Split = "heldout" if i < n_held else "calib" if i < n_held + n_cal else "fit"
            where[dataset, g] = split
    return [where[item] for item in items]


def held_out(dataset: str, groups: Sequence[str]) -> list[bool]:
    """True for the items (given by group) that the scheme holds out of ``dataset``."""
    return [s == "heldout" for s in split_groups([(dataset, g) for g in groups])]


def link_groups(pairs: Sequence[GroupedPair]) -> list[str]:
    """The group of each pair: pairs linked by a shared text or key are one group (union-find
    with the smallest key as root, so the result does not depend on the order of the pairs)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)

    nodes = []
    for p in pairs:
        if p.dataset in PAIR_TEXT_GROUPS:
            node = pair_text_group(p.dataset, p.a, p.b)
            find(node)
        else:
            keys = [f"{p.dataset}|t|{_norm(p.a)}", f"{p.dataset}|t|{_norm(p.b)}"]
            keys += [f"{p.dataset}|{k}" for k in p.keys]
            for k in keys[1:]:
                union(keys[0], k)
            node = keys[0]
        nodes.append(node)
    return [find(node) for node in nodes]


def assign_splits(pairs: Sequence[GroupedPair]) -> list[Split]:
    """'heldout' / 'calib' / 'fit' per pair; linked pairs (shared text or key) share a split."""
    roots = link_groups(pairs)
    return split_groups([(p.dataset, r) for p, r in zip(pairs, roots, strict=True)])
