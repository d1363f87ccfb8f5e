"""Contained vs still raging: "the fire has been brought under control" in one outlet and
"firefighters were still trying to contain the blaze" in another (an ``other`` conflict).

Whether a fire, a spill or an outbreak is under control is a fact of its own, and outlets
that wrote at different hours tell it differently. Like harm (:mod:`factcheck.conflicts.harm`)
the two sentences rarely align as wholes, so any two sentences of two outlets are compared:
one says the thing is controlled (brought under control, put out, extinguished), the other
that people are still working to contain it or that it is still burning. An effort or a hope
("an effort to bring it under control", "not yet under control") is no claim of control.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from factcheck.conflicts.pairing import Hit, each_way, versus
from factcheck.types import Conflict, Match

_CONTROLLED = re.compile(
    r"\b(?:brought|been|is|was|now|are|were)\s+(?:\w+ly\s+)?under\s+control\b"
    r"|\b(?:has|have|had)\s+been\s+(?:\w+ly\s+)?(?:extinguished|put\s+out|contained)\b",
    re.I,
)
# An effort, a hope or a denial of control: no claim that it is controlled.
_NOT_YET = re.compile(r"\b(?:not|no|yet|effort|efforts|trying|try|tried|hope|hoped)\b", re.I)
# Still at work to contain it, or still burning; a bare "still fighting" is as often a battle.
_ONGOING = re.compile(
    r"\bstill\s+(?:\w+ing\s+(?:to\s+)?(?:contain|control|extinguish|put\s+out|fight|battle)"
    r"|(?:burning|raging|blazing|spreading))\b",
    re.I,
)


def controlled(text: str) -> tuple[int, int] | None:
    """Where a sentence says the thing is under control (out, contained)."""
    m = _CONTROLLED.search(text)
    return None if m is None or _NOT_YET.search(text) else m.span()


def ongoing(text: str) -> tuple[int, int] | None:
    """Where a sentence says it is still burning or still being fought."""
    m = _ONGOING.search(text)
    return None if m is None or _CONTROLLED.search(text) else m.span()


def contained_conflicts(
    sentences_a: Sequence[str],
    sentences_b: Sequence[str],
    match: Callable[[int, int], Match],
) -> list[Conflict]:
    """The first "under control" of one outlet against the first "still fighting" of the
    other (either way round); ``match`` gives the pair of sentence ``i`` of a and ``j`` of b."""

    def find(done: Sequence[str], going: Sequence[str]) -> Hit | None:
        i = next((k for k, t in enumerate(done) if controlled(t)), None)
        j = next((k for k, t in enumerate(going) if ongoing(t)), None)
        if i is None or j is None:
            return None
        x, y = controlled(done[i]), ongoing(going[j])
        return None if x is None or y is None else (i, j, x, y)

    return each_way(sentences_a, sentences_b, match, find, _UNDER_CONTROL)


_UNDER_CONTROL = versus("other", "medium", "Under control or not")
