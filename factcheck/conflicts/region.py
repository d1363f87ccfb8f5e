"""Compass regions: one event placed in two different parts of one country.

"struck southern Turkey" and "wreaked havoc in the country's central region" name no different
place (so :mod:`factcheck.conflicts.entity` sees nothing), yet a reader is told two different
things about where it happened. A compass word counts only as an adjective of a region: before
a region noun ("central region", "southern provinces") or a name ("southern Turkey"); a
capitalised compass word is part of a name ("South Korea", "North Carolina") and never counts.

Two directions agree when they share a point of the compass ("southern" and "south-eastern"),
so only a clear difference is flagged: south vs north, south vs east, central vs any side. Two
mentions of named places compare only when the place is the same ("southern Turkey" vs
"northern Syria" are two places, both true); a mention without a name ("the country's central
region") compares with any.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from factcheck.conflicts.common import _span
from factcheck.normalize import typographic
from factcheck.types import Conflict, Match

_REGION_NOUNS = r"(?:regions?|provinces?|parts?|areas?|districts?|states?|coast|territor(?:y|ies))"
_COMPASS = re.compile(
    r"(?:(?P<owner>[A-Z][\w-]+)'s\s+|\b)"
    r"(?P<dir>(?:north|south)-?(?:east|west)(?:ern)?|(?:north|south|east|west)(?:ern)?|central)"
    rf"\s+(?:(?P<place>[A-Z][\w-]+)\b|(?P<noun>{_REGION_NOUNS})\b)"
)
_POINTS = {"north": "n", "south": "s", "east": "e", "west": "w"}
# A year in the mention's clause dates another event ("since 1939, when a quake hit the eastern
# province"): a comparison with the past, not where the reported event happened. A reporting
# verb ends that clause ("since 1939, Erdogan said, referring to the quake that hit ...").
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_REPORTING = re.compile(r"\b(?:said|says|told|stated|added|according to)\b")


@dataclass(frozen=True)
class Region:
    """One compass mention: its points ("se"; "c" for central), the place, the span."""

    points: frozenset[str]
    place: str | None
    start: int
    end: int


def regions(text: str) -> list[Region]:
    """The compass regions a sentence names (offsets into ``text``, same length when folded)."""
    folded = typographic(text)
    cuts = [0, *(r.start() for r in _REPORTING.finditer(folded)), len(folded)]
    out: list[Region] = []
    for m in _COMPASS.finditer(folded):
        lo = max(c for c in cuts if c <= m.start())
        hi = min(c for c in cuts if c > m.start())
        if _YEAR.search(folded, lo, hi):
            continue
        word = m.group("dir").removesuffix("ern").replace("-", "")
        points = (
            frozenset("c")
            if word == "central"
            else frozenset(p for name, p in _POINTS.items() if name in word)
        )
        place = m.group("place") or m.group("owner")
        if place is not None and place.lower() in ("country", "nation"):
            place = None
        out.append(Region(points, place, m.start("dir"), m.end()))
    return out


def _agree(x: Region, y: Region) -> bool:
    return bool(x.points & y.points)


def _same_place(x: Region, y: Region) -> bool:
    return x.place is None or y.place is None or x.place.lower() == y.place.lower()


def region_conflict(m: Match) -> Conflict | None:
    """Two aligned sentences that put one event in different parts of one country: the first
    pair of compass mentions of the same place whose points differ, unless the two sentences
    also agree on a part of that place."""
    ra, rb = regions(m.a.text), regions(m.b.text)
    pairs = [(x, y) for x in ra for y in rb if _same_place(x, y)]
    if not pairs or any(_agree(x, y) for x, y in pairs):
        return None
    x, y = pairs[0]
    sa, sb = _span(m.a.text, x.start, x.end), _span(m.b.text, y.start, y.end)
    return Conflict(
        type="entity",
        severity="medium",
        explanation=f'Region differs: "{sa.text}" ({m.a_source}) vs "{sb.text}" ({m.b_source})',
        match=m,
        a_spans=(sa,),
        b_spans=(sb,),
    )


def region_conflicts(
    sentences_a: Sequence[str], sentences_b: Sequence[str], match: Callable[[int, int], Match]
) -> list[Conflict]:
    """Two outlets that place one event in parts of one country that never agree, in any two of
    their sentences (a report's compass words may stand in a sentence that aligns with nothing
    of the other: "the country's central region" / "centred on the southeastern province").
    One conflict per pair of outlets: their first such pair of sentences. Any mention of the
    same place agreeing anywhere in the two texts clears them (one says both)."""
    ra = [(k, x) for k, t in enumerate(sentences_a) for x in regions(t)]
    rb = [(k, y) for k, t in enumerate(sentences_b) for y in regions(t)]
    pairs = [(ia, x, ib, y) for ia, x in ra for ib, y in rb if _same_place(x, y)]
    if not pairs or any(_agree(x, y) for _, x, _, y in pairs):
        return []
    ia, _, ib, _ = pairs[0]
    m = match(ia, ib)
    if m.relation in ("duplicate", "related"):  # alignment judged them not one claim
        return []
    hit = region_conflict(m)
    return [hit] if hit is not None else []
