"""Time zones: one clock time given as GMT in one report and as local time in the other
("between 11:43 am and 11:53 am GMT" vs "between 11:43 a.m. (0243 GMT) and 11:53 a.m.").

Two outlets that quote the same clock time agree on the figure, yet if one labels it GMT and the
other gives it with its GMT conversion in brackets, the other says it is local time: the event
is put hours apart. Only explicit zones count: "GMT"/"UTC" right after the time or after the end
of its range ("between 11:43 and 11:53 GMT"), and a bracketed GMT/UTC conversion.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from factcheck.conflicts.common import _span
from factcheck.types import Conflict, Match

_ZONE = r"(?:GMT|UTC)\b"
_MERIDIEM = r"(?:\s*(?:am|pm|a\.m\.|p\.m\.))?"
_LABELLED = re.compile(rf"\s*{_ZONE}|\s+and\s+\d{{1,2}}[:.]\d{{2}}{_MERIDIEM}\s*{_ZONE}")
_CONVERTED = re.compile(rf"\s*\(\s*(\d{{1,2}}):?(\d{{2}})\s*{_ZONE}\s*\)")


def zone(text: str, end: int) -> tuple[str, int | None] | None:
    """How a clock time ending at ``end`` is zoned: ("gmt", None) when labelled GMT/UTC,
    ("local", minutes) when a GMT conversion follows in brackets, else None."""
    conv = _CONVERTED.match(text, end)
    if conv is not None:
        return "local", int(conv.group(1)) * 60 + int(conv.group(2))
    if _LABELLED.match(text, end):
        return "gmt", None
    return None


def zone_conflicts(
    m: Match, times: Sequence[tuple[tuple[int, int], tuple[int, int], float]]
) -> list[Conflict]:
    """The shared clock times (spans in ``m.a`` and ``m.b``, the value in minutes) that one
    side labels GMT and the other converts to another GMT time: one conflict per pair."""
    for (sa, sb, minutes) in times:
        za, zb = zone(m.a.text, sa[1]), zone(m.b.text, sb[1])
        if za is None or zb is None or za[0] == zb[0]:
            continue
        converted = za[1] if za[0] == "local" else zb[1]
        if converted is None or converted == int(minutes) % (24 * 60):
            continue
        a, b = _span(m.a.text, *sa), _span(m.b.text, *sb)
        return [
            Conflict(
                type="date",
                severity="high",
                explanation=(
                    f'Time zone differs: "{a.text}" is {za[0].upper()} in {m.a_source}, '
                    f'"{b.text}" is {zb[0].upper()} in {m.b_source}'
                ),
                match=m,
                a_spans=(a,),
                b_spans=(b,),
            )
        ]
    return []
