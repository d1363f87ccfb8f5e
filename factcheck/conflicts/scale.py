"""Few vs mass: "police detained several people" in one report and "mass detentions took place"
in another (a ``number`` conflict with no figure on either side).

A scale word is a count: "several", "a few", "a handful of" say a small number, "mass" (mass
arrests, mass evacuations, mass layoffs) a large one. Two aligned sentences that tell one
action (one word stem: detained / detentions, arrested / arrests) at the two ends of the scale
disagree on how many, although neither writes a number. Alignment keeps few partners per
sentence, so any two sentences of two outlets are compared, when they are close enough in
meaning to tell one event (``MIN_COSINE``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from factcheck.conflicts.common import _span
from factcheck.types import Conflict, Match

# "detained several people", "several people were detained", "a few arrests"
_FEW = re.compile(
    r"\b(?:([a-z]+)\s+)?(?:several|a\s+few|a\s+handful\s+of)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:(?:were|was|had\s+been|have\s+been)\s+)?([a-z]+)\b",
    re.I,
)
_MASS = re.compile(r"\b(?:mass|massive)\s+([a-z]+)\b", re.I)
# Two sentences this close (cosine) tell one event; "several protesters were held" and "mass
# protests" in sentences about different things share a stem but little else.
MIN_COSINE = 0.5
# Letters a verb and its noun share ("detained" / "detentions", "arrested" / "arrests",
# "evacuated" / "evacuations"); short words ("people", "some") are not read as actions.
_STEM = 3
_MIN_WORD = 6


def _stems(m: re.Match[str]) -> set[str]:
    return {w.lower()[:_STEM] for w in m.groups() if w and len(w) >= _MIN_WORD}


def scale_conflict(m: Match) -> Conflict | None:
    """An action told of a few in one aligned sentence and as a mass one in the other."""
    for few_side, mass_side, flip in ((m.a.text, m.b.text, False), (m.b.text, m.a.text, True)):
        for y in _MASS.finditer(mass_side):
            if len(y.group(1)) < _MIN_WORD:
                continue
            stem = y.group(1).lower()[:_STEM]
            x = next((x for x in _FEW.finditer(few_side) if stem in _stems(x)), None)
            if x is None or _MASS.search(few_side):
                continue
            xs, ys = (y.span(), x.span()) if flip else (x.span(), y.span())
            a, b = _span(m.a.text, *xs), _span(m.b.text, *ys)
            return Conflict(
                type="number",
                severity="medium",
                explanation=(
                    f'Scale differs: "{a.text}" ({m.a_source}) vs "{b.text}" ({m.b_source})'
                ),
                match=m,
                a_spans=(a,),
                b_spans=(b,),
            )
    return None


def scale_conflicts(
    sentences_a: Sequence[str],
    sentences_b: Sequence[str],
    match: Callable[[int, int], Match],
) -> list[Conflict]:
    """The closest pair of sentences of two outlets (at least ``MIN_COSINE``) with a scale
    conflict; ``match`` gives the pair of sentence ``i`` of a and ``j`` of b."""
    fa = [i for i, t in enumerate(sentences_a) if _FEW.search(t) or _MASS.search(t)]
    fb = [j for j, t in enumerate(sentences_b) if _FEW.search(t) or _MASS.search(t)]
    found = [
        c
        for i in fa
        for j in fb
        if (m := match(i, j)).relation != "duplicate"
        and m.score >= MIN_COSINE
        and (c := scale_conflict(m)) is not None
    ]
    return [max(found, key=lambda c: c.match.score)] if found else []
