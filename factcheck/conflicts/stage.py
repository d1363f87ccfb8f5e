"""Stages: one thing told at two stages ("the final analysis" vs "an interim analysis").

Results, counts and rulings come in stages, and whether a figure is preliminary or final is a
fact a reader relies on. Two aligned sentences that put opposite stage words before the same
noun ("interim" vs "final analysis", "partial" vs "complete results", "temporary" vs
"permanent closure") disagree on that fact, whatever else they share. The lexicon names the
general concept (the stage or completeness of a thing), never one story's wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

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


# Nouns for one thing: what a study or count produced so far. "interim results" and "the final
# analysis" name the same stage-bearing thing in two words.
_OUTCOME = frozenset({"analysis", "result", "finding", "data", "readout", "figure", "count"})


def _words(m: re.Match[str]) -> list[str]:
    """The next two words after a stage word, plural folded, an outcome noun as "result"."""
    out = [w if w.endswith("sis") else w.removesuffix("s") for w in m.groups()[1:] if w]
    return ["result" if w in _OUTCOME else w for w in out]


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


# A stage told of what is to come ("the trial will run to a final analysis", "the final figure
# may vary") is no claim about the stage of what was reported.
_FUTURE = re.compile(
    r"\b(?:will|would|may|might|could|should|expected|expects|plans?|planned|until|when)\b", re.I
)


def _reported(text: str, pos: int) -> bool:
    """Is the stage word at ``pos`` told in a clause with no future or possibility in it?"""
    low = text.lower()
    start = max(low.rfind(p, 0, pos) for p in ",;:")
    ends = [e for p in ",;:" if (e := low.find(p, pos)) >= 0]
    return not _FUTURE.search(low[start + 1 : min(ends, default=len(low))])


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
            if not (_reported(m.a.text, x.start()) and _reported(m.b.text, y.start())):
                continue  # a stage to come ("will run to a final analysis") is no report
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


# Outside an aligned pair only the stages of a result are compared: "temporary shelters" and
# "permanent shelters" in two unrelated sentences are two things, both real.
_RESULT_STAGES = frozenset({"early", "final"})


def stage_conflicts(
    sentences_a: Sequence[str],
    sentences_b: Sequence[str],
    match: Callable[[int, int], Match],
) -> list[Conflict]:
    """Stage conflicts in any two sentences of two outlets, not only aligned ones: "the final
    analysis evaluated 94 cases" and "interim results were announced" rarely align as wholes.
    Only stages reported as they were count (no future or possibility in their clause); of
    the two outlets' conflicting pairs, the closest (by cosine) is kept."""
    sa = [i for i, t in enumerate(sentences_a) if _STAGE.search(t.lower())]
    sb = [j for j, t in enumerate(sentences_b) if _STAGE.search(t.lower())]
    found: list[Conflict] = []
    for i in sa:
        for j in sb:
            m = match(i, j)
            if m.relation == "duplicate":
                continue
            c = stage_conflict(m)
            if c is not None and _STAGES[c.a_spans[0].text.split()[0].lower()] in _RESULT_STAGES:
                found.append(c)
    return [max(found, key=lambda c: c.match.score)] if found else []
