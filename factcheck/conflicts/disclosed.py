"""Cause undisclosed vs cause told: "the company has not disclosed what kind of attack it
suffered" in one outlet and "an attack that the company said was caused by ransomware" in
another (a negation conflict: one says it was not said, the other that it was).

Whether a party has named the cause of an incident is a fact of its own, and outlets writing
at different hours (before and after a statement) tell it differently. The two sentences
rarely align as wholes, so any two sentences of two outlets are compared: one says the cause
or kind of something has not been disclosed ("what kind of", "what caused", "why", "the
cause"), the other that someone said, determined or confirmed what caused it or what it
involves. A cause credited to unnamed
sources or outside experts is no disclosure by the party: "has not disclosed" and "sources
said" agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from factcheck.conflicts.pairing import Hit, each_way, versus
from factcheck.types import Conflict, Match

_TELL = r"(?:disclosed?|said|say|revealed?|confirmed?|specified|specify|identified|identify)"
_UNDISCLOSED = re.compile(
    rf"\b(?:(?:has|have|had|did|does|do)\s+not|hasn't|haven't|hadn't|didn't|doesn't|"
    rf"declined\s+to|refused\s+to|yet\s+to)\s+(?:yet\s+)?(?:publicly\s+)?{_TELL}\s+"
    r"(?:(?:what|which)\s+(?:kind|type|sort)\s+of|what\s+caused|why|"
    r"the\s+(?:cause|nature|kind|type|source))\b",
    re.I,
)
_TOLD = re.compile(
    r"\b(?:said|says|determined|confirmed|concluded|disclosed)\b[^.]{0,60}?"
    r"\b(?:caused\s+by|involves|involved|the\s+result\s+of|blamed\s+on|stemmed\s+from)\b",
    re.I,
)
_UNNAMED = re.compile(r"\b(?:sources?|analysts?|experts?|familiar|researchers?)\b", re.I)


def undisclosed(text: str) -> tuple[int, int] | None:
    """Where a sentence says something has not been disclosed."""
    m = _UNDISCLOSED.search(text)
    return None if m is None else m.span()


def told(text: str) -> tuple[int, int] | None:
    """Where a sentence says a party told the cause (not unnamed sources or outsiders)."""
    m = _TOLD.search(text)
    if m is None or _UNDISCLOSED.search(text) or _UNNAMED.search(text[: m.start()][-40:]):
        return None
    return m.span()


def disclosure_conflicts(
    sentences_a: Sequence[str],
    sentences_b: Sequence[str],
    match: Callable[[int, int], Match],
) -> list[Conflict]:
    """The first "has not disclosed" of one outlet against the first cause told by the other
    (either way round); ``match`` gives the pair of sentence ``i`` of a and ``j`` of b."""

    def find(no: Sequence[str], yes: Sequence[str]) -> Hit | None:
        i = next((k for k, t in enumerate(no) if undisclosed(t)), None)
        j = next((k for k, t in enumerate(yes) if told(t)), None)
        if i is None or j is None:
            return None
        x, y = undisclosed(no[i]), told(yes[j])
        return None if x is None or y is None else (i, j, x, y)

    return each_way(sentences_a, sentences_b, match, find, _DISCLOSED)


_DISCLOSED = versus("negation", "medium", "Disclosed or not")
