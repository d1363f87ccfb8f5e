"""Dates and weekdays by regular expression, resolved against the article's date ("on
Wednesday" in an article of Friday 14 Feb 2025 is 2025-02-12); bounds ("after 2005")."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace

from factcheck.quantities import date_bound_of
from factcheck.types import Fact

# --------------------------------------------------------------------------------------------
# Dates

_MONTHS: dict[str, int] = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_FULL = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
_MONTH_ABBR = r"(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"
_MONTH = rf"(?P<month>{_MONTH_FULL}|{_MONTH_ABBR})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d|2100)"
_WD = r"(?:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>[01]\d)-(?P<day>[0-3]\d)\b"),
    re.compile(rf"\b{_WD}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_WD}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_WD}{_MONTH}\s+{_DAY}\b(?![:.]\d)"),
    re.compile(rf"\b{_WD}{_DAY}\s+(?:of\s+)?{_MONTH}(?![\w])"),
    re.compile(rf"\b{_MONTH}\s+(?:of\s+)?{_YEAR}\b"),
    re.compile(rf"\b(?P<month>{_MONTH_FULL})\b(?!\s+\d)"),
]
_MAY_MONTH = re.compile(r"\b(?:in|since|until|by|of|early|late|mid|last|next|this)[\s-]+$")
_YEAR_ALONE = re.compile(
    r"(?<![\w$€£¥.,:/-])(?P<year>19\d\d|20\d\d|2100)(?!\s*(?:%|percent|per cent))(?![\w,.:/-]\d|\w)"
)
_RELATIVE = re.compile(
    r"\b(?P<rel>yesterday|today|tomorrow|last night|this morning|tonight"
    r"|(?:last|this|next|earlier this|later this) (?:year|month)"
    r"|(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten|a) years? ago)\b",
    re.IGNORECASE,
)
_WEEKDAY_RE = re.compile(
    r"\b(?:(?P<dir>last|next|this)\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday"
    r"|Sunday)s?\b"
)
_FUTURE = re.compile(
    r"\b(?:will|'ll|next|upcoming|scheduled|due|expected|plans?|planned|later this)\b", re.I
)
_SMALL = {
    "a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10,
}  # fmt: skip


def parse_dates(text: str, reference: dt.date | None = None) -> list[Fact]:
    """Dates, months, years, relative days and weekdays in ``text`` (offsets into ``text``).

    ``reference`` (the article's publication date) fills in a missing year ("February",
    "Feb 15": the latest such date not after the reference unless the text talks about the
    future), resolves "yesterday"/"last year" and weekdays ("on Monday" = the Monday of the week
    up to and including the reference). ``resolved`` is the day a year-less or relative
    expression of *day* precision stands for ("Feb 15", "yesterday", "Monday"); month and year
    expressions carry their resolution in ``value`` ("last year" -> "2020", "November" ->
    "2020-11") and leave ``resolved`` None, so nobody mistakes a month for its first day.
    Without a reference a year-less date keeps an ISO "--MM-DD" / "--MM" value and a relative
    one its lower-case words ("last year").
    """
    facts: list[Fact] = []
    taken: list[tuple[int, int]] = []
    future = bool(_FUTURE.search(text))

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for pat in _DATE_PATTERNS:
        for m in pat.finditer(text):
            if not free(m.start(), m.end()):
                continue
            fact = _date_fact(m, reference, future)
            if fact is not None:
                facts.append(fact)
                taken.append((m.start(), m.end()))
    for m in _RELATIVE.finditer(text):
        if free(m.start(), m.end()):
            facts.append(_relative_fact(m, reference))
            taken.append((m.start(), m.end()))
    for m in _YEAR_ALONE.finditer(text):
        if free(m.start(), m.end()) and not _year_is_quantity(text, m.end()):
            facts.append(Fact("date", m.group(), m.start(), m.end(), m.group("year")))
            taken.append((m.start(), m.end()))
    for m in _WEEKDAY_RE.finditer(text):
        if not free(m.start(), m.end()) or m.group().endswith("s"):
            continue
        facts.append(_weekday_fact(m, reference))
        taken.append((m.start(), m.end()))
    facts.sort(key=lambda f: f.start)
    return [
        replace(f, bound=b) if (b := date_bound_of(text, f.start)) and f.kind == "date" else f
        for f in facts
    ]


def date_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of every date expression (numbers inside them are not quantities)."""
    return [(f.start, f.end) for f in parse_dates(text, None)]


def _year_is_quantity(text: str, end: int) -> bool:
    after = text[end : end + 20].lower()
    return bool(re.match(r"\s*(?:people|persons|residents|troops|jobs|units|km|kg)\b", after))


def _date_fact(m: re.Match[str], ref: dt.date | None, future: bool) -> Fact | None:
    groups = m.groupdict()
    month_word = groups.get("month")
    month = int(groups["mnum"]) if groups.get("mnum") else None
    if month_word:
        month = _MONTHS.get(month_word.rstrip(".").lower())
    if month is None or not 1 <= month <= 12:
        return None
    day = int(groups["day"]) if groups.get("day") else None
    if day is not None and not 1 <= day <= 31:
        return None
    start = m.start("wd") if groups.get("wd") else m.start()
    if month_word == "May" and not groups.get("year") and day is None:
        before = m.string[max(0, m.start() - 12) : m.start()].lower()
        if not _MAY_MONTH.search(before):
            return None  # "May" the modal verb at a sentence start
    year = int(groups["year"]) if groups.get("year") else None
    text = m.string[start : m.end()]
    resolved: dt.date | None = None
    if year is None and ref is not None:
        year = ref.year
        if (month, day or 1) > (ref.month, ref.day) and not future:
            year -= 1
        try:
            candidate = dt.date(year, month, day or 1)
        except ValueError:
            return None
        resolved = candidate if day else None
    if year is None:
        value = f"--{month:02d}" + (f"-{day:02d}" if day else "")
    else:
        value = f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
        if day:
            try:
                dt.date(year, month, day)
            except ValueError:
                return None
    return Fact("date", text, start, m.end(), value, resolved=resolved)


def _relative_fact(m: re.Match[str], ref: dt.date | None) -> Fact:
    rel = m.group("rel").lower()
    text = m.group()
    if ref is None:
        return Fact("date", text, m.start(), m.end(), rel)
    if rel in ("yesterday", "last night"):
        day = ref - dt.timedelta(days=1)
        return Fact("date", text, m.start(), m.end(), day.isoformat(), resolved=day)
    if rel in ("today", "this morning", "tonight"):
        return Fact("date", text, m.start(), m.end(), ref.isoformat(), resolved=ref)
    if rel == "tomorrow":
        day = ref + dt.timedelta(days=1)
        return Fact("date", text, m.start(), m.end(), day.isoformat(), resolved=day)
    if rel.endswith("ago"):
        n_word = (m.group("n") or "1").lower()
        n = int(n_word) if n_word.isdigit() else _SMALL.get(n_word, 1)
        year = ref.year - n
        return Fact("date", text, m.start(), m.end(), str(year))
    which, unit = rel.rsplit(" ", 1)
    shift = {"last": -1, "past": -1, "next": 1}.get(which, 0)
    if unit == "year":
        year = ref.year + shift
        return Fact("date", text, m.start(), m.end(), str(year))
    month_index = ref.year * 12 + ref.month - 1 + shift
    year, month = divmod(month_index, 12)
    first = dt.date(year, month + 1, 1)
    return Fact("date", text, m.start(), m.end(), first.strftime("%Y-%m"))


def _weekday_fact(m: re.Match[str], ref: dt.date | None) -> Fact:
    name = m.group("wd").lower()
    direction = (m.group("dir") or "").lower()
    resolved = None
    if ref is not None:
        wd = _WEEKDAYS.index(name)
        if direction == "next":
            resolved = ref + dt.timedelta(days=(wd - ref.weekday()) % 7 or 7)
        else:
            back = (ref.weekday() - wd) % 7
            if direction == "last" and back == 0:
                back = 7
            resolved = ref - dt.timedelta(days=back)
    return Fact("weekday", m.group(), m.start(), m.end(), name, resolved=resolved)
