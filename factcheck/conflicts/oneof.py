"""All of them vs one of them: "the fire spread to the bell towers" in one outlet and "spread to
one of its towers" in another (a ``number`` conflict: how many were reached).

How many of a set an action reached is a count even when no figure is written: a plural
"the towers" takes in all of them, "one of the towers" a single one. Two outlets that tell
the same action (one verb) reaching the same plural thing (one noun) that way disagree on the
count. The sentences rarely align as wholes, so any two sentences of two outlets are
compared; the verb and the noun must both be shared, which two unrelated sentences rarely do.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from factcheck.conflicts.pairing import Hit, each_way, versus
from factcheck.types import Conflict, Match

_TO = r"(?:to|into|onto|across|through|at|on)"
_MODS = r"(?:[\w'-]+\s+){0,3}?"
_ALL = re.compile(rf"\b([a-z]+)\s+{_TO}\s+(?:the|its|their|both)\s+{_MODS}([a-z]+s)\b", re.I)
_ONE = re.compile(rf"\b([a-z]+)\s+{_TO}\s+one\s+of\s+(?:the|its|their)\s+{_MODS}([a-z]+s)\b", re.I)
_STEM = 5  # letters of a verb two forms of share ("spread", "spreading")


def _key(m: re.Match[str]) -> tuple[str, str]:
    return m.group(1).lower()[:_STEM], m.group(2).lower()


def whole(text: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(verb stem, plural noun) -> span, for each action told of a whole plural set."""
    ones = {m.start() for m in _ONE.finditer(text)}
    return {_key(m): m.span() for m in _ALL.finditer(text) if m.start() not in ones}


def one_of(text: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(verb stem, plural noun) -> span, for each action told of one of a set."""
    return {_key(m): m.span() for m in _ONE.finditer(text)}


def one_of_conflicts(
    sentences_a: Sequence[str],
    sentences_b: Sequence[str],
    match: Callable[[int, int], Match],
) -> list[Conflict]:
    """The first action told of a whole set in one outlet and of one of it in the other
    (either way round); ``match`` gives the pair of sentence ``i`` of a and ``j`` of b."""

    def find(al: Sequence[str], on: Sequence[str]) -> Hit | None:
        found = [
            (i, j, x, one_of(u)[k])
            for i, t in enumerate(al)
            for k, x in whole(t).items()
            for j, u in enumerate(on)
            if k in one_of(u) and not whole(u).get(k)
        ]
        return found[0] if found else None

    return each_way(sentences_a, sentences_b, match, find, _ALL_OR_ONE)


_ALL_OR_ONE = versus("number", "low", "All or one")
