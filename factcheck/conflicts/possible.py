"""Done vs possible: "officials confirmed he had been arrested" in one outlet and "he would be
held until a court ruled on his possible arrest" in another (an ``other`` conflict: whether
the step was taken).

A step told as taken ("had been arrested", "was extradited") and the same step told as only
possible ("his possible arrest", "a potential extradition") disagree on whether it happened.
The verb and the noun must share their stem, and the two sentences must be close enough in
meaning (``MIN_COSINE``) to tell one event; any two sentences of two outlets are compared,
since alignment keeps few partners per sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from factcheck.conflicts.common import _span
from factcheck.types import Conflict, Match

# Two sentences this close (cosine) tell one event.
MIN_COSINE = 0.5
_STEM = 5  # letters a verb and its noun share ("arrested" / "arrest", "extradited" / "extradition")
_DONE = re.compile(r"\b(?:was|were|had\s+been|has\s+been|have\s+been)\s+([a-z]{5,}ed)\b", re.I)
_MAYBE = re.compile(r"\b(?:possible|potential|likely|eventual)\s+([a-z]{5,})\b", re.I)


def done(text: str) -> dict[str, tuple[int, int]]:
    """Stem -> span of each step told as taken."""
    return {m.group(1).lower()[:_STEM]: m.span() for m in _DONE.finditer(text)}


def maybe(text: str) -> dict[str, tuple[int, int]]:
    """Stem -> span of each step told as only possible."""
    return {m.group(1).lower()[:_STEM]: m.span() for m in _MAYBE.finditer(text)}


def possible_conflicts(
    sentences_a: Sequence[str],
    sentences_b: Sequence[str],
    match: Callable[[int, int], Match],
) -> list[Conflict]:
    """The closest pair of sentences of two outlets (at least ``MIN_COSINE``) where one tells
    a step as taken that the other tells as possible."""
    found: list[Conflict] = []
    for yes, no, flip in ((sentences_a, sentences_b, False), (sentences_b, sentences_a, True)):
        for i, t in enumerate(yes):
            d = done(t)
            if not d:
                continue
            for j, u in enumerate(no):
                p = maybe(u)
                shared = [k for k in d if k in p and k not in done(u)]
                if not shared:
                    continue
                m = match(j, i) if flip else match(i, j)
                if m.relation == "duplicate" or m.score < MIN_COSINE:
                    continue
                x, y = d[shared[0]], p[shared[0]]
                if m.a.text != t:  # the alignment's own orientation
                    x, y = y, x
                a, b = _span(m.a.text, *x), _span(m.b.text, *y)
                found.append(
                    Conflict(
                        type="other",
                        severity="low",
                        explanation=(
                            f'Taken or possible: "{a.text}" ({m.a_source}) vs "{b.text}" '
                            f"({m.b_source})"
                        ),
                        match=m,
                        a_spans=(a,),
                        b_spans=(b,),
                    )
                )
    return [max(found, key=lambda c: c.match.score)] if found else []
