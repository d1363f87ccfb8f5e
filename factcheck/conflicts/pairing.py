"""The one loop of the any-two-sentence rules (:mod:`factcheck.conflicts.anywhere`).

Each such rule finds, in one outlet's sentences and the other's, the first pair where the
first side says one thing and the second the opposite ("no injuries" / "a firefighter was
injured"), tried both ways round; the pair's match comes from the caller (aligned or
cosine-scored), a duplicate pair is skipped, and the two spans are turned to the match's own
orientation before the rule builds its conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from factcheck.conflicts.common import _span
from factcheck.types import Conflict, Match, Severity

SpanAt = tuple[int, int]
# (i, j, x, y): sentence i of the first side with span x, sentence j of the second with span y
Hit = tuple[int, int, "SpanAt", "SpanAt"]
Finder = Callable[[Sequence[str], Sequence[str]], Hit | None]
# (match, span on m.a, span on m.b, whether m.a is the first side) -> the conflict
Builder = Callable[[Match, SpanAt, SpanAt, bool], Conflict]


def each_way(
    sentences_a: Sequence[str],
    sentences_b: Sequence[str],
    match: Callable[[int, int], Match],
    find: Finder,
    build: Builder,
) -> list[Conflict]:
    """At most one conflict per direction: ``find`` on (a, b), then on (b, a)."""
    out: list[Conflict] = []
    for one, other, flip in ((sentences_a, sentences_b, False), (sentences_b, sentences_a, True)):
        hit = find(one, other)
        if hit is None:
            continue
        i, j, x, y = hit
        m = match(j, i) if flip else match(i, j)
        if m.relation == "duplicate":
            continue
        first_on_a = m.a.text == one[i]  # the alignment's own orientation
        out.append(build(m, x, y, True) if first_on_a else build(m, y, x, False))
    return out


def versus(type_: str, severity: Severity, label: str) -> Builder:
    """A builder of '<label>: "<a words>" (A) vs "<b words>" (B)' conflicts."""

    def build(m: Match, x: SpanAt, y: SpanAt, first_on_a: bool) -> Conflict:
        a, b = _span(m.a.text, *x), _span(m.b.text, *y)
        return Conflict(
            type=type_,
            severity=severity,
            explanation=f'{label}: "{a.text}" ({m.a_source}) vs "{b.text}" ({m.b_source})',
            match=m,
            a_spans=(a,),
            b_spans=(b,),
        )

    return build
