"""Disagreements: the same fact disputed across several outlet pairs, as one line a reader scans.

Five outlets that say 415 against one that says 1,302 are five conflicts (one per outlet pair)
but one disagreement: "415 people (3 outlets: a, b, c) vs 1,302 people (d)".
Conflicts join one disagreement when they share a piece of evidence (the same span of the same
sentence of the same article), which is what one fact told differently looks like; the values
are the distinct evidence texts, each with the outlets that gave it, oldest report first for an
``update`` (a timeline of the figure). The worst disagreements come first: severity, then how
many outlets are involved.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from factcheck.types import SEVERITY_RANK, Article, Conflict, Severity, Span


@dataclass(frozen=True)
class Value:
    """One side of a disagreement: what was said, by whom, when."""

    text: str
    sources: tuple[str, ...]
    published: dt.date | None  # the earliest report of this value, when known


@dataclass(frozen=True)
class Disagreement:
    """One disputed fact and every outlet pair that disputes it."""

    type: str
    severity: Severity
    values: tuple[Value, ...]
    conflicts: tuple[Conflict, ...]

    @property
    def sources(self) -> set[str]:
        return {s for v in self.values for s in v.sources}

    def line(self) -> str:
        """ "415 people (2 outlets: a, b) vs 1,302 people (c)"; a timeline for updates."""
        parts = []
        for v in self.values:
            who = ", ".join(v.sources)
            if len(v.sources) > 1:
                who = f"{len(v.sources)} outlets: {who}"
            when = f", {v.published.isoformat()}" if self.type == "update" and v.published else ""
            parts.append(f'"{v.text}" ({who}{when})')
        return (" then " if self.type == "update" else " vs ").join(parts)


def _key(article_id: str, index: int, spans: Sequence[Span]) -> tuple[object, ...]:
    return (article_id, index, tuple((s.start, s.end) for s in spans))


def group(conflicts: Sequence[Conflict], articles: Sequence[Article]) -> list[Disagreement]:
    """Conflicts joined into disagreements (union of shared evidence), worst first."""
    parent = list(range(len(conflicts)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[tuple[object, ...], int] = {}
    for i, c in enumerate(conflicts):
        for key in (
            (c.type, *_key(c.match.a.article_id, c.match.a.index, c.a_spans)),
            (c.type, *_key(c.match.b.article_id, c.match.b.index, c.b_spans)),
        ):
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[Conflict]] = {}
    for i, c in enumerate(conflicts):
        groups.setdefault(find(i), []).append(c)
    published = {a.id: a.published for a in articles}
    out = [_disagreement(g, published) for g in groups.values()]
    out.sort(key=lambda d: (-SEVERITY_RANK[d.severity], -len(d.sources), d.type))
    return out


def _disagreement(cs: list[Conflict], published: dict[str, dt.date | None]) -> Disagreement:
    by_text: dict[str, dict[str, dt.date | None]] = {}
    for c in cs:
        for sent, spans, source in (
            (c.match.a, c.a_spans, c.match.a_source),
            (c.match.b, c.b_spans, c.match.b_source),
        ):
            text = _evidence_text(sent.text, spans, context=c.type not in _VALUE_TYPES)
            seen = by_text.setdefault(text.strip(), {})
            seen.setdefault(source, published.get(sent.article_id))
    values = []
    for text, who in by_text.items():
        dates = [d for d in who.values() if d is not None]
        values.append(Value(text, tuple(sorted(who)), min(dates) if dates else None))
    values.sort(key=lambda v: (v.published or dt.date.max, -len(v.sources), v.text))
    worst = max(cs, key=lambda c: SEVERITY_RANK[c.severity])
    return Disagreement(worst.type, worst.severity, tuple(values), tuple(cs))


_VALUE_TYPES = frozenset({"number", "update", "date", "attribution", "entity"})
_CONTEXT_WORDS = 2


def _evidence_text(text: str, spans: Sequence[Span], context: bool = False) -> str:
    """The spans as a reader quotes them: one stretch when they are words of one phrase
    ("not yet found"), else joined with " / "; with ``context`` (a negation, hedge or quote
    wording, where one word alone says little) a couple of words either side ("found no
    structural damage")."""
    if not spans:
        return text
    ordered = sorted({(s.start, s.end): s for s in spans}.values(), key=lambda s: s.start)
    if not all(b.start - a.end <= 3 for a, b in pairwise(ordered)):
        return " / ".join(dict.fromkeys(s.text for s in ordered))
    lo, hi = ordered[0].start, max(s.end for s in ordered)
    if context:  # neighbouring words up to a comma or quote mark, not across them
        before = _WORDS.findall(re.split(r"[,;:\"“”]", text[:lo])[-1])[-_CONTEXT_WORDS:]
        after = _WORDS.findall(re.split(r"[,;:\"“”]", text[hi:])[0])[:_CONTEXT_WORDS]
        return " ".join([*before, text[lo:hi], *after])
    return text[lo:hi]


_WORDS = re.compile(r"[\w$%'’.-]*\w")
