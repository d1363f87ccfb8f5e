"""Relative timing: one event told as before another in one report and as during it in the
other ("Hours earlier, the North fired two missiles" vs "fired two missiles as its leader was
holding talks").

News often dates an event only against another one (before, during, after the summit). Two
aligned sentences that place it on different sides of that other event disagree on when it
happened, although neither gives a date. Only clear markers count: a qualified "before" or
"after" that names the other event ("shortly before the summit", "ahead of talks", "minutes
after the blast") and an ongoing clause ("as the leader was holding talks", "while crews were
fighting"); a bare "before" or "after" joins clauses too often to date anything, "hours
earlier" counts from an event told elsewhere, and "before" vs "after" is not compared at all: "the
talks began shortly after the launch" and "the launch came hours before the talks" agree.
"""

from __future__ import annotations

import re

from factcheck.conflicts.common import _span
from factcheck.types import Conflict, Match

_SOON = r"(?:hours|minutes|days|moments|shortly|just|soon)"
# The other event, named in the sentence ("before the summit", "ahead of talks"): "hours
# earlier" or "minutes later" counts from whatever the previous sentence told, which need not
# be the event the other report's "as ... was holding talks" names, so it dates nothing here.
# A clock or calendar word ("shortly before noon", "days before Christmas") is a time, not
# an event, and can fall during the other report's ongoing event.
_TIMES = (
    r"(?:noon|midnight|dawn|dusk|sunrise|sunset|daybreak|nightfall|morning|afternoon|evening|"
    r"night|today|tonight|yesterday|tomorrow|(?:mon|tues|wednes|thurs|fri|satur|sun)day|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"christmas|easter|then|that|this|it|which)\b"
)
_REF = rf"(?:the\s+|its\s+|their\s+|his\s+|her\s+)?(?!{_TIMES})[a-z][\w-]+"
_MARKERS: dict[str, re.Pattern[str]] = {
    "before": re.compile(rf"\b(?:{_SOON}\s+before|ahead\s+of|prior\s+to)\s+{_REF}", re.I),
    "after": re.compile(rf"\b{_SOON}\s+after\s+{_REF}", re.I),
    "during": re.compile(r"\b(?:as|while)\s+(?:[\w'-]+\s+){1,6}?(?:was|were)\s+\w+ing\b", re.I),
}


def timings(text: str) -> dict[str, re.Match[str]]:
    """The relative-time markers of a sentence, first one per kind."""
    out: dict[str, re.Match[str]] = {}
    for kind, pat in _MARKERS.items():
        hit = pat.search(text)
        if hit is not None:
            out[kind] = hit
    return out


def timing_conflict(m: Match) -> Conflict | None:
    """Two aligned sentences each with one kind of relative-time marker: during in one, before
    or after in the other."""
    ta, tb = timings(m.a.text), timings(m.b.text)
    if len(ta) != 1 or len(tb) != 1 or set(ta) == set(tb) or "during" not in {*ta, *tb}:
        return None  # "before" vs "after" is often one order told from either end
    (ka, x), (kb, y) = next(iter(ta.items())), next(iter(tb.items()))
    a, b = _span(m.a.text, *x.span()), _span(m.b.text, *y.span())
    return Conflict(
        type="date",
        severity="medium",
        explanation=(
            f'Timing differs: "{a.text}" ({ka}, {m.a_source}) vs "{b.text}" ({kb}, {m.b_source})'
        ),
        match=m,
        a_spans=(a,),
        b_spans=(b,),
    )
