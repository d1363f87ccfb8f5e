"""Text rules for any two sentences of two outlets, aligned or not.

Some facts are told in sentences that share too few words to align as wholes: "No injuries
were reported." and "A firefighter was seriously injured while tackling the blaze." Each rule
here needs its own specific wording on both sides (a denial and a harm, "under control" and
"still burning", a stem shared by "several" and "mass"), which two unrelated sentences rarely
have, and keeps at most one conflict per pair of outlets and direction. Each takes the two
outlets' sentence texts and ``match``, which gives the (aligned or cosine-scored) pair of
sentence ``i`` of a and ``j`` of b.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from factcheck.conflicts.contained import contained_conflicts
from factcheck.conflicts.disclosed import disclosure_conflicts
from factcheck.conflicts.harm import harm_conflicts
from factcheck.conflicts.oneof import one_of_conflicts
from factcheck.conflicts.possible import possible_conflicts
from factcheck.conflicts.scale import scale_conflicts
from factcheck.conflicts.stage import stage_conflicts
from factcheck.types import Conflict, Match

Pairer = Callable[[int, int], Match]

ANYWHERE_RULES: tuple[Callable[[Sequence[str], Sequence[str], Pairer], list[Conflict]], ...] = (
    harm_conflicts,  # harm denied vs harm told
    contained_conflicts,  # under control vs still burning
    disclosure_conflicts,  # cause undisclosed vs cause told
    stage_conflicts,  # interim vs final of one outcome
    one_of_conflicts,  # "to the towers" vs "to one of the towers"
    scale_conflicts,  # "several" vs "mass" of one action
    possible_conflicts,  # "was arrested" vs "possible arrest"
)


def anywhere_conflicts(
    sentences_a: Sequence[str], sentences_b: Sequence[str], match: Pairer
) -> list[Conflict]:
    """Every rule's conflicts for one pair of outlets."""
    return [c for rule in ANYWHERE_RULES for c in rule(sentences_a, sentences_b, match)]
