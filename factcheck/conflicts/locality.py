"""Localities: the one spot near one landmark named differently ("near the village of Arno
outside Bellport" vs "at Castel near Bellport").

A report pins where something happened by a small place and a known one near it. Two outlets
that pin it near the same known place but name different small places disagree on where it
happened, even when their sentences are otherwise unlike (so this is searched claim by claim,
not only on aligned pairs). An outlet that names the other's small place anywhere agrees.
"""

from __future__ import annotations

import re
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
