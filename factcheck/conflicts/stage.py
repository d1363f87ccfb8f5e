"""Stages: one thing told at two stages ("the final analysis" vs "an interim analysis").

Results, counts and rulings come in stages, and whether a figure is preliminary or final is a
fact a reader relies on. Two aligned sentences that put opposite stage words before the same
noun ("interim" vs "final analysis", "partial" vs "complete results", "temporary" vs
"permanent closure") disagree on that fact, whatever else they share. The lexicon names the
general concept (the stage or completeness of a thing), never one story's wording.
"""

from __future__ import annotations

import re

from factcheck.conflicts.common import _span
from factcheck.conflicts.registry import ConflictKind, register
from factcheck.lexicon import FUNCTION_WORDS
from factcheck.types import Conflict, Match

# Opposite ends of one scale; a word of one group never conflicts with a word of its own group.
_STAGES: dict[str, str] = {
    **dict.fromkeys(("interim", "preliminary", "provisional", "tentative", "partial"), "early"),
    **dict.fromkeys(("final", "definitive", "complete", "full"), "final"),
    "temporary": "temporary",
    "permanent": "permanent",
}
_OPPOSITE = {("early", "final"), ("final", "early"), ("temporary", "permanent"),
             ("permanent", "temporary")}  # fmt: skip
_STAGE = re.compile(r"\b(" + "|".join(_STAGES) + r")\s+([a-z][a-z-]*)(?:\s+([a-z][a-z-]*))?")


def _words(m: re.Match[str]) -> list[str]:
    """The next two words after a stage word, plural folded."""
    return [w.removesuffix("s") for w in m.groups()[1:] if w]


def _same_head(x: re.Match[str], y: re.Match[str]) -> bool:
    """Do two stage words qualify one noun? The word right after one of them is the other's
    next word or the one after ("final analysis" / "interim efficacy analysis"); two words that
    only share the second ("final analysis counted" / "interim results counted") do not."""
    wx, wy = _words(x), _words(y)
    return any(
        w in other and w not in FUNCTION_WORDS and w not in _STAGES
        for w, other in ((wx[0], wy), (wy[0], wx))
    )


def _end(m: re.Match[str], other: re.Match[str]) -> int:
    """Where the stage phrase ends: after its word the other also has."""
    return m.end(3) if m.group(3) and m.group(3).removesuffix("s") in _words(other) else m.end(2)


def stage_conflict(m: Match) -> Conflict | None:
    """The first stage word of one sentence whose opposite qualifies the same noun in the
    other, unless the other also uses a word of the same stage for it."""
    sa = list(_STAGE.finditer(m.a.text.lower()))
    sb = list(_STAGE.finditer(m.b.text.lower()))
    for x in sa:
        for y in sb:
            gx, gy = _STAGES[x.group(1)], _STAGES[y.group(1)]
            if (gx, gy) not in _OPPOSITE or not _same_head(x, y):
                continue
            if any(_STAGES[z.group(1)] == gx and _same_head(x, z) for z in sb) or any(
                _STAGES[z.group(1)] == gy and _same_head(z, y) for z in sa
            ):
                return None  # both stages told on each side: "interim, not the final analysis"
            a = _span(m.a.text, x.start(), _end(x, y))
            b = _span(m.b.text, y.start(), _end(y, x))
            return Conflict(
                type="other",
                severity="medium",
                explanation=(
                    f'Stage differs: "{a.text}" ({m.a_source}) vs "{b.text}" ({m.b_source})'
                ),
                match=m,
                a_spans=(a,),
                b_spans=(b,),
            )
    return None


KIND = register(
    ConflictKind(
        name="other",
        label="Other",
        description="one detail told two ways no other type covers (preliminary vs final)",
        order=90,
    )
)
