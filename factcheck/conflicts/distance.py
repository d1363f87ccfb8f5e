"""Distances: one figure told as the way covered in one report and as the way left in the other
("advanced 200 km towards the capital" vs "got to within 200 km of the capital").

The same distance and the same place read like agreement, yet "the column advanced 200 km
towards X" and "the column was 200 km from X" say different things about how far it got. Only
explicit wording counts: "within", "from", "away from", "short of" a place for the way left;
a verb of moving ("advanced", "marched", "travelled") right before the figure, or "towards" /
"into" a place right after it, for the way covered. Where both read, the way left wins ("walked
to 200 km away from X" says where they stood).
"""

from __future__ import annotations

import re

from factcheck.conflicts.common import _span
from factcheck.types import Conflict, Fact, Match

# "200 km (124 miles) from", and the figure inside the brackets: "125 miles (200 km) of"
_CONVERSION = r"(?:\s*\([^)]{0,30}\)|\))?"
_OPENED = r"(?:[\d.,]+\s+[a-z]+\s*\()?"
_LEFT_AFTER = re.compile(_CONVERSION + r"\s*(?:away\s+)?(?:from|of|short\s+of)\b", re.I)
_LEFT_BEFORE = re.compile(
    r"\bwithin\s+(?:about\s+|some\s+|nearly\s+|around\s+)?" + _OPENED + "$", re.I
)
_COVERED_AFTER = re.compile(_CONVERSION + r"\s*(?:towards?|into|inside)\b", re.I)
_COVERED_BEFORE = re.compile(
    r"\b(?:advanced|marched|moved|travell?ed|covered|drove|pushed|walked|went)"
    r"\s+(?:about\s+|some\s+|nearly\s+|around\s+|almost\s+)?" + _OPENED + "$",
    re.I,
)


def reading(text: str, f: Fact) -> str | None:
    """ "left" (the way to go), "covered" (the way come) or None for a distance ``f``."""
    before, after = text[: f.start], text[f.end :]
    if _LEFT_BEFORE.search(before) or _LEFT_AFTER.match(after):
        return "left"
    if _COVERED_BEFORE.search(before) or _COVERED_AFTER.match(after):
        return "covered"
    return None


def distance_conflict(m: Match, x: Fact, y: Fact) -> Conflict | None:
    """Distance ``x`` (in ``m.a``) and ``y`` (in ``m.b``), one value, read two ways."""
    rx, ry = reading(m.a.text, x), reading(m.b.text, y)
    if rx is None or ry is None or rx == ry:
        return None
    a, b = _span(m.a.text, x.start, x.end), _span(m.b.text, y.start, y.end)
    return Conflict(
        type="other",
        severity="medium",
        explanation=(
            f'Distance "{a.text}" is the way {rx} in {m.a_source} but "{b.text}" the way {ry} '
            f"in {m.b_source}"
        ),
        match=m,
        a_spans=(a,),
        b_spans=(b,),
    )
