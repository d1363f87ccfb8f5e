"""Publication dates: metadata values, wire datelines, page timestamps and page-store stamps.

A date is read only when it is unambiguous (``03/04/2021`` is not guessed), because a wrong
publication date moves an article into the wrong story window and turns a follow-up into an
``update`` conflict.
"""

from __future__ import annotations

import datetime as dt
import re

from factcheck.ingest.lazyre import _LazyRe

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH_RE = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ISO_DATE = _LazyRe(r"(?<!\d)(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?!\d)")
_DMY_NAME = _LazyRe(
    rf"(?<![\w])(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_RE}\.?,?\s+(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_MDY_NAME = _LazyRe(
    rf"(?<![\w]){_MONTH_RE}\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)",
    re.IGNORECASE,
)
_DMY_NUM = _LazyRe(r"(?<![\d.])(?P<d>\d{1,2})(?P<sep>[./])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4})(?!\d)")


def _mkdate(year: str, month: int, day: str) -> dt.date | None:
    try:
        return dt.date(int(year), month, int(day))
    except ValueError:
        return None


def parse_date(value: object) -> dt.date | None:
    """Read a publication date from metadata or a dateline; ``None`` when there is none.

    Accepts ``date``/``datetime`` values, ISO strings (``2021-02-15``, ``2021-02-15T10:00Z``)
    and written dates with optional weekday and time (``Feb 15, 2021``, ``15 February 2021``,
    ``Wednesday, 17 February 2021 09:43``, ``15.02.2021``). Numeric ``a/b/yyyy`` is read only
    when unambiguous, because guessing day/month order silently would give wrong dates.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    found: list[tuple[int, dt.date]] = []
    if (m := _ISO_DATE.search(text)) and (d := _mkdate(m["y"], int(m["m"]), m["d"])):
        found.append((m.start(), d))
    for rx in (_DMY_NAME, _MDY_NAME):
        if (m := rx.search(text)) and (d := _mkdate(m["y"], _MONTHS[m["mon"].lower()[:3]], m["d"])):
            found.append((m.start(), d))
    if m := _DMY_NUM.search(text):
        first, second = int(m["d"]), int(m["m"])
        if m["sep"] == "." or first > 12:
            d = _mkdate(m["y"], second, m["d"])
        elif second > 12:
            d = _mkdate(m["y"], first, m["m"])
        else:
            d = None  # 03/04/2021: day/month order unknown
        if d is not None:
            found.append((m.start(), d))
    return min(found, key=lambda item: item[0])[1] if found else None


_AGENCY = (
    r"AFP|AP|Reuters|UPI|SPX|TASS|dpa|DPA|Xinhua|ANI|IANS|PTI|Bloomberg|CNN|BBC|EFE|ANSA|Kyodo"
    r"|Yonhap|RIA Novosti|Interfax|Sputnik|PAP|CTK|AAP|WAM|APA"
)
_ACRONYM = r"[A-Z]{2,6}"  # an unknown agency: "(XYZ)" counts only with a date or a dash after it
_PLACE = r"[A-Z][\w.'’-]*(?:[ -][A-Z][\w.'’-]*){0,4}(?:,? [A-Z]{2})?"
_MONTH_ANY = "(?i:" + _MONTH_RE.replace("?P<mon>", "?:") + ")"
_DATEWORDS = (
    rf"(?:{_MONTH_ANY}\.? \d{{1,2}}(?:,? \d{{4}})?|\d{{1,2}} {_MONTH_ANY}\.?(?:,? \d{{4}})?)"
)
# "CANBERRA -", "NEW YORK, N.Y. —": an all-caps place needs the dash to count as a dateline
_CAPS_PLACE = (
    r"(?!FILE\b)[A-Z]{3,}[A-Z.'’-]*(?: [A-Z]{2,}[A-Z.'’-]*){0,3}"
    r"(?:, [A-Z][\w.]*(?: [A-Z][\w.]*){0,2})?"
)
# The dash that ends a dateline is a separator: an en/em dash, or a hyphen with a space after it.
# A hyphen inside a word ("ABC-TV reported", "TNK-BP said") is part of a name, not a dateline.
_DASH = r"(?:[–—]+|-{1,2}(?=\s|$))"
# "(AP)", "(CBS SF/AP)": one agency or several joined by slashes, an optional short suffix
_AGENCY_GROUP = rf"(?:{_AGENCY}|{_ACRONYM})(?: [A-Z]{{2,4}})?(?:/(?:{_AGENCY}|{_ACRONYM}))*"
# "Moscow (AFP) Feb 15, 2021", "MOSCOW (Reuters) -", "WASHINGTON, Feb 15 (Reuters) -",
# "MOSCOW, February 15. /TASS/.", "DENVER (KDV/AP) —". ``caps`` marks the weak shape
# (an all-caps place and a dash, no agency, no date), which is trusted only before the story.
_DATELINE = _LazyRe(
    rf"^(?P<dl>(?:{_PLACE}\s*\((?:{_AGENCY})\)\s*(?:{_DATEWORDS})?"
    rf"|{_PLACE}\s*\({_ACRONYM}\)\s*{_DATEWORDS}"
    rf"|{_PLACE}\s*\({_AGENCY_GROUP}\)(?=\s*{_DASH})"
    rf"|{_PLACE},\s*{_DATEWORDS}\s*\((?:{_AGENCY}|{_ACRONYM})\)"
    rf"|{_PLACE},\s*{_DATEWORDS}\.?\s*/(?:{_AGENCY}|{_ACRONYM})/\.?"
    rf"|(?P<caps>{_CAPS_PLACE})(?=\s*{_DASH})))"
    rf"\s*(?P<dash>{_DASH}|:(?=\s))?\s*"
)
_DATED = _LazyRe(_DATEWORDS)
_DASH_END = _LazyRe(r"\s*[-–—:]+$")


# The page store's stamp glued before the first words (" date 2021-02-08 Lionel Messi...") and
# other stamps of that shape ("Date:2025-04-14 14:03:18"): the date the page was stored.
_PAGE_STAMP = _LazyRe(
    r"^\s*date\s*:?\s*(?P<date>\d{4}-\d{2}-\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?(?=\s|$)",
    re.IGNORECASE,
)
# A line made only of date/time pieces and stamp words: "Mar 3, 2031 • 2 hours ago • < 1 minute
# read", "Updated at 9:05 a.m.", "Date:2031-03-04 08:12:55", "Tuesday, March 4, 2031".
_TS_TOKEN = (
    r"(?:\d{1,2}[:.]\d{2}(?:[:.]\d{2})?|\d{4}-\d{2}-\d{2}|\d{1,4}(?:st|nd|rd|th)?|[ap]\.?m\.?"
    r"|jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?"
    r"|sat(?:urday)?|sun(?:day)?|gmt|utc|[ecmp][sd]?t|bst|cest|cet|ist|msk"
    r"|date|time|updated?|published|posted|last|modified|created|on|at|ago|hours?|hrs?"
    r"|minutes?|mins?|seconds?|secs?|read|reading|just|now|today|yesterday|and)"
)
_TIMESTAMP = _LazyRe(
    rf"^(?:[\s•·|,.:/<>()\-–—]*{_TS_TOKEN}(?![a-z0-9]))+[\s•·|,.:/<>()\-–—]*$", re.IGNORECASE
)


def _strip_page_stamp(text: str) -> tuple[str, str | None]:
    m = _PAGE_STAMP.match(text)
    if not m:
        return text, None
    return text[m.end() :], m.group(0).strip()
