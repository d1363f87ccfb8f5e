"""Text rules for aligned pairs: one checkable detail two same-claim sentences tell differently
(where: :mod:`region`, :mod:`locality`; at which stage: :mod:`stage`; when, against another
event: :mod:`timing`; on whose word: :mod:`sayers`; with whom: :mod:`parties`, :mod:`ties`).
They read only the two sentences' text, so they run on every same-claim aligned pair, strong or
not (the sentence rules of :mod:`factcheck.conflicts.detect` need a strong one): each needs its
own specific wording on both sides, which two merely similar sentences rarely share.
"""

from __future__ import annotations

from collections.abc import Callable

from factcheck.conflicts.locality import placement_conflict
from factcheck.conflicts.parties import deal_party_conflict
from factcheck.conflicts.region import region_conflict
from factcheck.conflicts.sayers import sayer_conflict
from factcheck.conflicts.stage import stage_conflict
from factcheck.conflicts.ties import tie_conflict
from factcheck.conflicts.timing import timing_conflict
from factcheck.types import Conflict, Match

ALIGNED_RULES: tuple[Callable[[Match], Conflict | None], ...] = (
    region_conflict,
    stage_conflict,
    sayer_conflict,
    placement_conflict,
    deal_party_conflict,
    tie_conflict,
    timing_conflict,
)


def aligned_conflicts(m: Match) -> list[Conflict]:
    """What the text rules find on one aligned pair (none unless it is same-claim)."""
    if m.relation != "same_claim":
        return []
    return [c for rule in ALIGNED_RULES if (c := rule(m)) is not None]
