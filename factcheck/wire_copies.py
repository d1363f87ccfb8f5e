"""Wire copies, once for every backend: which stored article copies which, and which conflicts
and matches are the same finding repeated through a copy.

A republished wire story repeats every conflict of its original. Listings show such a repeat
once: the same type and the same evidence (``report.evidence_key``: the one rule, also used by
``report.fold_conflicts`` and the dashboard) between the same articles once each copy is read as its
original. Backends read the rows; these functions decide.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ConflictEvidence:
    """What folding needs of one stored conflict (``rowid``: the backend's key for it)."""

    rowid: int
    type: str
    a_article: str
    b_article: str
    a_spans: Sequence[Mapping[str, Any]]
    b_spans: Sequence[Mapping[str, Any]]
    a_text: str
    b_text: str


def copy_roots(duplicates: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Wire copy id -> the original it copies (through copies of copies), from (article,
    duplicate_of) pairs best score first: an article's ``duplicate_of`` as the API gives it,
    followed to its end."""
    best: dict[str, str] = {}
    for article, of in duplicates:
        best.setdefault(article, of)
    roots = {}
    for aid in best:
        seen, current = {aid}, aid
        while current in best and best[current] not in seen:
            current = best[current]
            seen.add(current)
        roots[aid] = current
    return roots


def fold_conflicts(
    rows: Iterable[ConflictEvidence], roots: Mapping[str, str]
) -> list[tuple[str, list[int]]]:
    """Conflicts (in listing order) with their repeats through wire copies folded: (type,
    rowids) per group, the shown one first, groups in the order of their first member.

    The shown one has the fewest copies among its two sides (the original when stored), then
    comes first in the listing order.
    """
    from factcheck.report import evidence_key

    groups: dict[tuple[str, frozenset[object]], list[tuple[int, int, int]]] = {}
    for position, r in enumerate(rows):
        sides: list[object] = []
        for article, spans, text in (
            (r.a_article, r.a_spans, r.a_text),
            (r.b_article, r.b_spans, r.b_text),
        ):
            span_texts = tuple(str(sp.get("text", "")) for sp in spans)
            sides.append((roots.get(article, article), evidence_key(text, span_texts)))
        copies = sum(1 for article in (r.a_article, r.b_article) if article in roots)
        groups.setdefault((r.type, frozenset(sides)), []).append((copies, position, r.rowid))
    ordered = []
    for (ctype, _), members in groups.items():
        first = min(position for _, position, _ in members)
        members.sort()
        ordered.append((first, ctype, [rowid for _, _, rowid in members]))
    ordered.sort()
    return [(ctype, ids) for _, ctype, ids in ordered]


def count_folded_matches(
    rows: Iterable[tuple[str, str, str, str]], roots: Mapping[str, str]
) -> int:
    """Matches given as (a article, b article, a text, b text), one for each pair of sentences
    repeated through wire copies (a copy matching its own original does not count)."""
    from factcheck.normalize import duplicate_key

    pairs = set()
    for a, b, a_text, b_text in rows:
        pair = frozenset(
            {(roots.get(a, a), duplicate_key(a_text)), (roots.get(b, b), duplicate_key(b_text))}
        )
        if len(pair) == 2 or a == b:
            pairs.add(pair)
    return len(pairs)


def copy_ref(conflict: Mapping[str, Any]) -> dict[str, Any]:
    """A conflict repeated through a wire copy, as listed under the one shown."""

    def side(key: str) -> dict[str, Any]:
        s = conflict.get(key) or {}
        return {k: s.get(k) for k in ("article_id", "source", "index")}

    return {
        "id": conflict.get("id"),
        "type": conflict.get("type"),
        "severity": conflict.get("severity"),
        "a": side("a"),
        "b": side("b"),
        "a_article": conflict.get("a_article"),
        "b_article": conflict.get("b_article"),
    }
