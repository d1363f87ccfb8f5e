"""``date``: two days (or months, years) for one event, after resolving weekdays and bounds."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from factcheck.conflicts.common import _pair_up, _span, _src
from factcheck.conflicts.registry import ConflictKind, register
from factcheck.quantities import date_within
from factcheck.types import Conflict, Fact, Match, SentenceFacts

# Two sentences this close (cosine) are one statement told twice: if each gives one date, both
# date that statement's event, wherever the date sits in the sentence ("the jet on Sunday shot
# down the balloon" / "shot down the airship off the coast on Saturday"). The strong-match cut-off
# of ``config.CutOffs`` (0.80).
SOLE_DATE_SCORE = 0.80
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _day_of(f: Fact) -> dt.date | None:
    if f.resolved is not None:
        return f.resolved
    if f.kind == "date" and isinstance(f.value, str) and len(f.value) == 10:
        try:
            return dt.date.fromisoformat(f.value)
        except ValueError:
            return None
    return None


def _dates_compatible(x: Fact, y: Fact) -> bool:
    """Same day, possibly once as a weekday and once as a date; partial dates by prefix; a date
    bound ("after 2005") holds the dates inside it."""
    dx, dy = _day_of(x), _day_of(y)
    if x.kind == "weekday" and y.kind == "weekday":
        if dx and dy:
            return dx == dy
        return x.value == y.value
    if x.kind == "weekday" or y.kind == "weekday":
        wd, other = (x, y) if x.kind == "weekday" else (y, x)
        day = _day_of(other)
        if day is None or other.bound:
            return True  # a weekday against a month, a year or a bound cannot disagree
        if _day_of(wd) is not None:
            return _day_of(wd) == day
        return WEEKDAYS[day.weekday()] == wd.value
    vx, vy = str(x.value), str(y.value)
    iso = bool(_ISO_PART.match(vx) and _ISO_PART.match(vy))
    # "after 2005" vs "in 2006" agree; two bounds, or a bound too coarse to tell, never clash
    if x.bound and y.bound:
        return True
    if x.bound or y.bound:
        if not iso:
            return True
        if x.bound:
            return date_within(x.bound, vx, vy) is not False
        if y.bound:
            return date_within(y.bound, vy, vx) is not False
    if dx and dy:
        return dx == dy
    if not iso:
        return True  # "last year" without an article date: nothing to compare against
    if vx.startswith("--") or vy.startswith("--"):
        # a date without a year ("--02-15"): compare month and day only
        return _month_day(vx).startswith(_month_day(vy)) or _month_day(vy).startswith(
            _month_day(vx)
        )
    return vx.startswith(vy) or vy.startswith(vx)


_ISO_PART = re.compile(r"^(\d{4}(-\d{2}){0,2}|--\d{2}(-\d{2})?)$")


def _month_day(value: str) -> str:
    """ "2021-02-15" -> "02-15", "--02" -> "02": the part a year-less date can be compared on."""
    return value[2:].lstrip("-") if value.startswith("--") else value[5:]


def date_conflicts(
    fa: SentenceFacts,
    fb: SentenceFacts,
    m: Match,
    dating: tuple[Sequence[Fact], Sequence[Fact]] | None = None,
) -> list[Conflict]:
    """Dates of two aligned sentences that cannot both be right. ``dating``: only these dates
    of each side may conflict (those that date the fact two sentences share); every date of
    either side still counts as agreement."""
    da = [f for f in fa.facts if f.kind in ("date", "weekday")]
    db = [f for f in fb.facts if f.kind in ("date", "weekday")]
    if not da or not db:
        return []
    left = [x for x in da if not any(_dates_compatible(x, y) for y in db)]
    right = [y for y in db if not any(_dates_compatible(x, y) for x in da)]
    if dating is not None:
        left = [x for x in left if x in dating[0]]
        right = [y for y in right if y in dating[1]]
    pairs = _pair_up(m, left, right) or _sole_dates(m, da, db, left, right)
    out = []
    for x, y in pairs:
        clear = _day_of(x) is not None and _day_of(y) is not None  # two days, not two months
        out.append(
            Conflict(
                type="date",
                severity="high" if clear else "medium",
                explanation=(
                    f'Date differs: "{x.text}" ({_src(m.a_source)}) vs "{y.text}" '
                    f"({_src(m.b_source)})" + _date_note(x, y)
                ),
                match=m,
                a_spans=(_span(m.a.text, x.start, x.end),),
                b_spans=(_span(m.b.text, y.start, y.end),),
            )
        )
    return out


def _sole_dates(
    m: Match, da: Sequence[Fact], db: Sequence[Fact], left: list[Fact], right: list[Fact]
) -> list[tuple[Fact, Fact]]:
    """One statement (cosine past :data:`SOLE_DATE_SCORE`) with one date on each side: the two
    date its one event, if they differ as written (one weekday resolved against two publication
    dates a week apart is still the one day the text names). Days only: a year or a month
    scopes a claim more often than it dates an event ("50 million doses in 2020" / "1.3 billion
    doses in 2021" are two claims). A day of the telling ("officials said on Tuesday") dates
    the report, not the event."""
    one_each = len(da) == len(db) == 1 and bool(left) and bool(right)
    if not one_each or m.score < SOLE_DATE_SCORE or left[0].value == right[0].value:
        return []
    x, y = left[0], right[0]
    if not (_a_day(x) and _a_day(y)) or _says_when(m.a.text, x) or _says_when(m.b.text, y):
        return []
    return [(x, y)]


# "officials said on Tuesday", "said Tuesday", "on Tuesday announced": the day of the telling
_SAID_BEFORE = re.compile(r"\b(?:said|says|told|announced|reported|stated)\s+(?:on\s+)?$")
_SAID_AFTER = re.compile(r"\s*,?\s*(?:said|says|told|announced|reported|stated)\b")


def _says_when(text: str, f: Fact) -> bool:
    """Does the date date the report of a fact rather than the fact ("killed 19 people,
    officials said on Tuesday")?"""
    return bool(_SAID_BEFORE.search(text[: f.start]) or _SAID_AFTER.match(text, f.end))


def _a_day(f: Fact) -> bool:
    """A weekday or a date to the day ("Saturday", "Feb. 4", "2023-02-04")."""
    return f.kind == "weekday" or bool(re.fullmatch(r"(?:\d{4}|-)-\d{2}-\d{2}", str(f.value)))


def _date_note(x: Fact, y: Fact) -> str:
    dx, dy = _day_of(x), _day_of(y)
    if dx and dy:
        return f" = {dx.isoformat()} vs {dy.isoformat()}"
    return ""


KIND = register(
    ConflictKind(
        name="date",
        label="Date",
        description="two days or times given for one event",
        order=20,
        detector=date_conflicts,
    )
)
