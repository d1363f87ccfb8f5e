"""Localities: the one spot near one landmark named differently ("near the village of Arno
outside Bellport" vs "at Castel near Bellport").

A report pins where something happened by a small place and a known one near it. Two outlets
that pin it near the same known place but name different small places disagree on where it
happened, even when their sentences are otherwise unlike (so this is searched claim by claim,
not only on aligned pairs). An outlet that names the other's small place anywhere agrees.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from factcheck.conflicts.common import _span
from factcheck.types import Conflict, Match

_NAME = r"[A-Z][\w-]+(?:\s+[A-Z][\w-]+){0,2}"
_LOCALITY = re.compile(
    rf"\b(?:at|in|near|into)\s+(?:the\s+(?:village|town|hamlet|settlement)\s+of\s+)?"
    rf"(?P<place>{_NAME})\s+(?:near|outside)\s+(?P<ref>{_NAME})"
)


@dataclass(frozen=True)
class Locality:
    """"<place> near <ref>" in one sentence (offsets into its text)."""

    place: str
    ref: str
    start: int
    end: int


def localities(text: str) -> list[Locality]:
    return [
        Locality(m.group("place"), m.group("ref"), m.start("place"), m.end("ref"))
        for m in _LOCALITY.finditer(text)
    ]


def locality_conflict(m: Match, x: Locality, y: Locality) -> Conflict:
    """The conflict of locality ``x`` (in ``m.a``) and ``y`` (in ``m.b``)."""
    a, b = _span(m.a.text, x.start, x.end), _span(m.b.text, y.start, y.end)
    return Conflict(
        type="entity",
        severity="medium",
        explanation=(
            f'Place near {x.ref} differs: "{x.place}" ({m.a_source}) vs "{y.place}" '
            f"({m.b_source})"
        ),
        match=m,
        a_spans=(a,),
        b_spans=(b,),
    )


def differ(x: Locality, y: Locality, text_a: str, text_b: str) -> bool:
    """Same landmark, another small place, and neither article names the other's place."""
    return (
        x.ref.lower() == y.ref.lower()
        and x.place.lower() != y.place.lower()
        and x.place.lower() not in text_b.lower()
        and y.place.lower() not in text_a.lower()
    )


# "Sunan, just north of the capital" puts a place outside another; "Sunan in the capital" inside.
_OUTSIDE = re.compile(
    rf"\b(?P<place>{_NAME}),?\s+(?:just\s+|about\s+|some\s+)?"
    rf"(?:north|south|east|west|(?:north|south)-?(?:east|west))\s+of\s+(?P<ref>{_NAME})"
)
_INSIDE = re.compile(rf"\b(?P<place>{_NAME})\s+in\s+(?P<ref>{_NAME})")


def placements(text: str) -> dict[tuple[str, str], tuple[str, int, int]]:
    """(place, other place) -> ("outside" or "inside", span) for each place a sentence puts
    relative to another."""
    out: dict[tuple[str, str], tuple[str, int, int]] = {}
    for how, pat in (("outside", _OUTSIDE), ("inside", _INSIDE)):
        for m in pat.finditer(text):
            key = (m.group("place").lower(), m.group("ref").lower())
            out.setdefault(key, (how, m.start("place"), m.end("ref")))
    return out


def placement_conflict(m: Match) -> Conflict | None:
    """Two aligned sentences that put one place outside another in one and inside it in the
    other ("an area around Sunan, just north of the capital" / "Sunan in the capital")."""
    pa, pb = placements(m.a.text), placements(m.b.text)
    for key in pa.keys() & pb.keys():
        (ha, xa, ya), (hb, xb, yb) = pa[key], pb[key]
        if ha != hb:
            a, b = _span(m.a.text, xa, ya), _span(m.b.text, xb, yb)
            return Conflict(
                type="entity",
                severity="low",
                explanation=(
                    f'Placed {ha} in {m.a_source} ("{a.text}") but {hb} in {m.b_source} '
                    f'("{b.text}")'
                ),
                match=m,
                a_spans=(a,),
                b_spans=(b,),
            )
    return None


def locality_conflicts(
    sentences_a: Sequence[str],
    sentences_b: Sequence[str],
    text_a: str,
    text_b: str,
    match: Callable[[int, int], Match],
) -> list[Conflict]:
    """Two outlets (their sentences and whole texts) that pin one spot near one landmark by
    different small places, in any two of their sentences, once per pair of names. ``match``
    gives the pair of sentence ``i`` of a and ``j`` of b (aligned or not)."""
    la = [(k, x) for k, t in enumerate(sentences_a) for x in localities(t)]
    lb = [(k, y) for k, t in enumerate(sentences_b) for y in localities(t)]
    out: list[Conflict] = []
    seen: set[tuple[str, str]] = set()
    for ia, x in la:
        for ib, y in lb:
            if (x.place, y.place) in seen or not differ(x, y, text_a, text_b):
                continue
            m = match(ia, ib)
            if m.relation == "duplicate":
                continue
            seen.add((x.place, y.place))
            flipped = m.a.text != sentences_a[ia]  # the alignment's own orientation
            out.append(locality_conflict(m, y, x) if flipped else locality_conflict(m, x, y))
    return out
