"""Checkable facts per sentence: numbers, dates, weekdays, entities, negation and hedge cues.

Numbers and dates are found with regular expressions (fast, usable without spaCy); entities,
cue heads, counted nouns and lemmas come from the one spaCy parse of the article.

What is *not* a number fact (skipped, never emitted): years 1900-2100 standing alone (they are
dates), times of day ("9:30", "11 p.m."), ordinals ("fourth", "21st", "20th-century"), numbers
inside names ("Crew-4", "Falcon 9", "COVID-19", "G7", "No. 5"), day numbers inside dates ("Feb 15"),
fractions and vague plurals ("dozens", "hundreds of").
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from factcheck.quantities import bound_of, date_bound_of
from factcheck.sentences import build_sentences, sentence_spans
from factcheck.types import Article, Cue, Fact, FactKind, Sentence, SentenceFacts

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from factcheck.nlp import People


def _wordset(words: str) -> frozenset[str]:
    """A word list written as one string (long vocabularies stay readable)."""
    return frozenset(words.split())


NEGATION_CUES: frozenset[str] = frozenset(
    {
        "not", "n't", "never", "no", "none", "nobody", "nothing", "neither", "nor", "without",
        "nowhere", "no one", "cannot", "deny", "yet to",
    }
)  # fmt: skip
"""Words (lower case; "deny" as a lemma) that negate what they attach to. "yet to" ("a format
is yet to be determined") negates the verb after it; "has not yet" gives "not" (negation) and
"yet" (hedge)."""

HEDGE_CUES: frozenset[str] = frozenset(
    {
        "directly", "personally", "likely", "unlikely", "possibly", "possible", "reportedly",
        "allegedly", "apparently", "may", "might", "could", "probably", "perhaps", "almost",
        "partly", "partially", "somewhat", "largely", "mainly", "mostly", "officially",
        "publicly", "so far", "yet", "seemingly", "supposedly", "presumably", "somehow",
        "purportedly", "nearly", "initially",
    }
)  # fmt: skip
"""Words that weaken, scope or qualify a claim ("does not *directly* use"). A hedge word that
modifies a number ("almost 5,000") is not a cue: the number fact's ``approx`` carries it."""

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


# --------------------------------------------------------------------------------------------
# Numbers

_CURRENCY_SIGNS = {
    "US$": "USD", "C$": "CAD", "A$": "AUD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY",
    "₽": "RUB", "₹": "INR", "Rs": "INR",
}  # fmt: skip
_CURRENCY_WORDS = {
    "dollar": "USD", "dollars": "USD", "usd": "USD", "euro": "EUR", "euros": "EUR", "eur": "EUR",
    "ruble": "RUB", "rubles": "RUB", "rouble": "RUB", "roubles": "RUB", "rub": "RUB",
    "yen": "JPY", "yuan": "CNY", "renminbi": "CNY", "rupee": "INR", "rupees": "INR",
    "sterling": "GBP", "gbp": "GBP", "francs": "CHF", "franc": "CHF",
}  # fmt: skip
_MAGNITUDES = {
    "thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "mln": 1e6, "m": 1e6,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "trn": 1e12,
    "lakh": 1e5, "lakhs": 1e5, "crore": 1e7, "crores": 1e7,
}  # fmt: skip
# unit word -> (base unit, factor)
_MEASURES: dict[str, tuple[str, float]] = {
    "km": ("m", 1000.0), "kilometre": ("m", 1000.0), "kilometres": ("m", 1000.0),
    "kilometer": ("m", 1000.0), "kilometers": ("m", 1000.0), "mile": ("m", 1609.344),
    "miles": ("m", 1609.344), "metre": ("m", 1.0), "metres": ("m", 1.0), "meter": ("m", 1.0),
    "meters": ("m", 1.0), "feet": ("m", 0.3048), "foot": ("m", 0.3048), "ft": ("m", 0.3048),
    "inches": ("m", 0.0254), "inch": ("m", 0.0254), "cm": ("m", 0.01), "mm": ("m", 0.001),
    "kg": ("kg", 1.0), "kilograms": ("kg", 1.0), "kilogram": ("kg", 1.0), "kilos": ("kg", 1.0),
    "tonnes": ("kg", 1000.0), "tonne": ("kg", 1000.0), "tons": ("kg", 1000.0),
    "ton": ("kg", 1000.0), "t": ("kg", 1000.0), "grams": ("kg", 0.001), "gram": ("kg", 0.001),
    "g": ("kg", 0.001), "lb": ("kg", 0.45359237), "lbs": ("kg", 0.45359237),
    "km/h": ("km/h", 1.0), "kph": ("km/h", 1.0), "mph": ("km/h", 1.609344),
    "degrees": ("degree", 1.0), "degree": ("degree", 1.0), "°c": ("celsius", 1.0),
    "°f": ("fahrenheit", 1.0), "°": ("degree", 1.0),
    "percent": ("percent", 1.0), "per cent": ("percent", 1.0), "%": ("percent", 1.0),
    "pct": ("percent", 1.0), "percentage points": ("percentage_point", 1.0),
    "percentage point": ("percentage_point", 1.0),
}  # fmt: skip
_APPROX = re.compile(
    r"(?:~\s*|\b(?:around|about|nearly|almost|some|roughly|approximately|approx\.|more than|"
    r"over|up to|at least|less than|fewer than|under|as many as|as much as|as few as|close to|"
    r"just over|just under|upwards of|an estimated|estimated|circa|ca\.|some|well over|"
    r"no more than|no fewer than|below|above|nearly|approaching)\s*)$",
    re.IGNORECASE,
)
_NUMBER = re.compile(
    r"(?P<cur>US\$|C\$|A\$|[$€£¥₽₹])?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:(?:\s|-)?(?P<mag>thousand|million|billion|trillion|lakhs?|crores?|mn|mln|bn|tn|trn|k|m|b)\b)?"
)
_WORD_NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_WORD_NUMBER = re.compile(
    r"\b(?P<w>(?:half an?|an?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
    r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|"
    r"seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|"
    r"eighteen|nineteen))(?:\s+(?P<hundred>hundred))?(?:\s+(?P<mag>dozen|thousand|million|"
    r"billion|trillion))?\b",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"\b\d{1,2}(?::\d{2})+\b|\b\d{1,2}(?:[.:]\d{2})?\s*(?:a\.m\.|p\.m\.|am\b|pm\b|o'clock\b)",
    re.IGNORECASE,
)
_FUNCTION_WORDS = _wordset(
    "the a an of in on at to for and or but is are was were be been will would has have had "
    "per from by with as than that this these those it its his her their our which who what "
    "when where while into onto over under about after before since until more less most "
    "each every all some any such same other another times time out up down off so not no "
    "between among against during through via plus minus"
)
_NON_NAME_CAPS = (
    _wordset(
        "the a an in on at by of for from to since until after before about around nearly almost "
        "some roughly more over up just only top all those these its his her their our and but "
        "or with than under some fewer less least at some as no"
    )
    | frozenset(m for m in _MONTHS)
    | frozenset(_WEEKDAYS)
)
_DURATIONS = _wordset(
    "second seconds minute minutes hour hours day days week weeks month months year years "
    "decade decades century centuries"
)
_IRREGULAR = {
    "people": "people", "men": "man", "women": "woman", "children": "child", "persons": "person",
    "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose", "police": "police",
    "data": "data", "media": "media", "series": "series", "species": "species",
    "aircraft": "aircraft",
}  # fmt: skip


def singular(word: str) -> str:
    """A cheap English singular for counted nouns ("astronauts" -> "astronaut")."""
    w = word.lower()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("sses", "ches", "shes", "xes", "zes")):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")) and len(w) > 3:
        return w[:-1]
    return w


def _plural_looking(word: str) -> bool:
    w = word.lower()
    return w in _IRREGULAR or (w.endswith("s") and not w.endswith(("ss", "us", "is")))


def parse_numbers(text: str) -> list[Fact]:
    """Quantities in ``text`` with values in base units (offsets into ``text``).

    "$80 million" -> 80e6 "USD", "4.5%" -> 4.5 "percent", "5,000 people" -> 5000 "people",
    "49-year-old" -> 49 "year_old", "2 km" -> 2000 "m"; ``approx`` for "around", "more than",
    ...; ``precision`` is the place value of the last written digit in the same base units.
    See the module docstring for what is skipped.
    """
    return _parse_numbers(text, date_spans(text))


def _parse_numbers(text: str, dates: Sequence[tuple[int, int]]) -> list[Fact]:
    blocked = [(m.start(), m.end()) for m in _TIME.finditer(text)]
    blocked += dates

    def is_blocked(a: int, b: int) -> bool:
        return any(a < y and b > x for x, y in blocked)

    facts: list[Fact] = []
    for m in _NUMBER.finditer(text):
        if is_blocked(m.start("num"), m.end("num")):
            continue
        fact = _digit_fact(text, m)
        if fact is not None:
            facts.append(fact)
    for m in _WORD_NUMBER.finditer(text):
        if is_blocked(m.start(), m.end()) or any(
            f.start < m.end() and f.end > m.start() for f in facts
        ):
            continue
        fact = _word_fact(text, m)
        if fact is not None:
            facts.append(fact)
    facts.sort(key=lambda f: f.start)
    return facts


# "won 5-2", "a 1-1 draw", "voted 52-48": one result, not two numbers
_SCORE = re.compile(
    r"(?<![\w.,/$€£-])(?P<a>\d{1,2})[-–](?P<b>\d{1,2})(?![\w.,/%-]|\s*(?:%|per ?cent|year|month"
    r"|week|day|hour|minute|km|mile|metre|meter|kg|pound|foot|feet|inch|cm|mm)s?\b)"
)
_SCORE_NOT = re.compile(r"(?:\b(?:aged?|between|from)\s+|\bNo\.\s*|[A-Za-z]-)$")


def results_and_times(text: str, numbers: list[Fact], dates: list[Fact]) -> list[Fact]:
    """``numbers`` with results ("4-2"), times of day ("6:50 p.m.") and orders of magnitude
    ("hundreds of supporters") as facts of their own,
    for claims (the regex-only ``parse_numbers`` keeps reading "4-2" as digits, as the conflict
    stack's features were fitted on).

    A time of day is a number with unit ``time_of_day`` and value minutes after midnight."""
    taken = [(f.start, f.end) for f in dates]
    extra: list[Fact] = []
    for m in _SCORE.finditer(text):
        if not _SCORE_NOT.search(text[: m.start()]) and not _overlaps(m, taken):
            extra.append(_score_fact(m))
    for m in _CLOCK.finditer(text):
        if not _overlaps(m, taken):
            extra.append(_clock_fact(text, m))
    for m in _VAGUE.finditer(text):
        if not _overlaps(m, taken + [(f.start, f.end) for f in numbers]):
            extra.append(_vague_fact(m))
    spans = [(f.start, f.end) for f in extra]
    kept = [f for f in numbers if not any(f.start < b and f.end > a for a, b in spans)]
    return sorted(kept + extra, key=lambda f: f.start)


# "dozens", "hundreds of", "thousands": an order of magnitude, as the middle of its range with
# a precision as wide as the range (so dozens, hundreds and thousands never agree)
_VAGUE = re.compile(r"\b(?P<w>dozens|scores|hundreds|thousands|tens of thousands)\b", re.I)
_VAGUE_RANGE = {
    "dozens": (24.0, 99.0), "scores": (40.0, 99.0), "hundreds": (200.0, 999.0),
    "thousands": (2000.0, 9999.0), "tens of thousands": (20000.0, 99999.0),
}  # fmt: skip


def _vague_fact(m: re.Match[str]) -> Fact:
    lo, hi = _VAGUE_RANGE[m.group("w").lower()]
    return Fact(
        "number", m.group(), m.start(), m.end(), (lo + hi) / 2, approx=True, precision=hi - lo
    )


def _overlaps(m: re.Match[str], spans: Sequence[tuple[int, int]]) -> bool:
    return any(m.start() < b and m.end() > a for a, b in spans)


_CLOCK = re.compile(
    r"\b(?P<h>[01]?\d|2[0-3])(?:[.:](?P<m>[0-5]\d))?\s*(?P<ap>a\.m\.|p\.m\.|am\b|pm\b)"
    r"|\b(?P<h24>[01]?\d|2[0-3]):(?P<m24>[0-5]\d)(?![.:]?\d)",
    re.IGNORECASE,
)


def _clock_fact(text: str, m: re.Match[str]) -> Fact:
    if m.group("h24") is not None:
        minutes = int(m.group("h24")) * 60 + int(m.group("m24"))
    else:
        h = int(m.group("h")) % 12 + (12 if m.group("ap").lower().startswith("p") else 0)
        minutes = h * 60 + int(m.group("m") or 0)
    approx = bool(_APPROX.search(text[max(0, m.start() - 20) : m.start()]))
    return Fact(
        "number", m.group(), m.start(), m.end(), float(minutes), unit="time_of_day",
        approx=approx, precision=1.0,
    )  # fmt: skip


def _score_fact(m: re.Match[str]) -> Fact:
    """A result written a-b, as one number a + b / 1000 (so the numeric rules compare it as
    one exact value): "4-2" -> 4.002, "4-3" -> 4.003."""
    a, b = int(m.group("a")), int(m.group("b"))
    return Fact(
        "number", m.group(), m.start(), m.end(), a + b / 1000, unit="score", precision=0.001
    )


def _is_name_context(text: str, start: int, end: int) -> bool:
    """Digits that belong to a name or code: "Crew-4", "G7", "COVID-19", "Falcon 9", "No. 5"."""
    before = text[:start]
    if before[-1:].isalnum() or before[-1:] in ("/", "#"):
        return True
    if before[-1:] == "-" and before[-2:-1].isalpha():
        # "Crew-4", "COVID-19" are names; "magnitude-7.8" is a measure
        hyph = re.search(r"([A-Za-z]+)-$", before)
        if hyph is None or not hyph.group(1).islower():
            return True
    if text[end : end + 1].isalpha() and not text[end : end + 2].lower().startswith(
        ("k", "m", "b", "t", "g", "s", "°", "p", "c", "f", "l", "x")
    ):
        return True
    if re.search(r"\bNo\.\s?$", before) or text[end : end + 1] == "/":
        return True
    prev = re.search(r"(?:^|[\s(])([A-Z][\w-]*)\s$", before)
    if prev:
        word = prev.group(1)
        sentence_start = (
            before[: prev.start(1)].rstrip() in ("", "(")
            or before[: prev.start(1)].rstrip()[-1:] in '.!?"“'
        )
        if word.lower() not in _NON_NAME_CAPS and not (sentence_start and word.isalpha()):
            return True
    return False


def _digit_fact(text: str, m: re.Match[str]) -> Fact | None:
    raw = m.group("num")
    start = m.start("cur") if m.group("cur") else m.start("num")
    end = m.end()
    if _is_name_context(text, m.start("num"), m.end("num")):
        return None
    after = text[m.end("num") : m.end("num") + 3].lower()
    if re.match(r"(?:st|nd|rd|th)\b", after):
        return None  # ordinal
    cur = m.group("cur")
    mag_word = (m.group("mag") or "").lower()
    number = float(raw.replace(",", ""))
    decimals = len(raw.split(".", 1)[1]) if "." in raw else 0
    unit: str | None = None
    factor = 1.0
    if mag_word in ("m", "b", "k") and not cur:
        nxt = _next_word(text, m.end())
        if mag_word == "m" and not _plural_looking(nxt):
            mag_word = ""  # "a 5m wall": metres, handled below
            end = m.end("num")
    if (
        not cur
        and not mag_word
        and "," not in raw
        and "." not in raw
        and 1800 <= number <= 2100
        and len(raw) == 4
    ):
        tail = text[m.end() : m.end() + 16].lower()
        if not re.match(r"\s*(?:%|percent|per cent|people|km|kg|[a-z]+s\b)", tail):
            return None  # a year: parse_dates reports it
    if mag_word:
        factor = _MAGNITUDES[mag_word]
        end = m.end("mag")
    if cur:
        unit = _CURRENCY_SIGNS[cur]
    unit_end = end
    if unit is None or unit in ("USD",):
        unit, factor, unit_end = _unit_after(
            text, end, unit, factor, mag_word, one=number == 1 and not mag_word
        )
    elif re.match(r"\s*(?:%|percent\b|per cent\b)", text[end:]):
        pass
    year_old = re.match(r"[- ]years?[- ]old\b", text[m.end("num") :], re.IGNORECASE)
    if year_old and not mag_word:
        unit, factor, unit_end = "year_old", 1.0, m.end("num") + year_old.end()
    approx = bool(_APPROX.search(text[max(0, start - 20) : start]))
    if re.match(r"\+|\s*-?plus\b|\s*or so\b|\s*or more\b", text[unit_end:]):
        approx = True
    bound = bound_of(text, start, unit_end)
    value = number * factor
    precision = (10.0**-decimals) * factor
    if unit == "fahrenheit":
        value, precision, unit = (number - 32.0) * 5 / 9, precision * 5 / 9, "celsius"
    return Fact(
        "number",
        text[start:unit_end],
        start,
        unit_end,
        value,
        unit=unit,
        approx=approx,
        precision=precision,
        bound=bound,
    )


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"\s*([A-Za-z][A-Za-z'-]*)", text[pos:])
    return m.group(1) if m else ""


def _unit_after(
    text: str, end: int, unit: str | None, factor: float, mag_word: str, one: bool = False
) -> tuple[str | None, float, int]:
    """Unit words after a number: currencies, percent, measures or the counted noun."""
    tail = text[end:]
    hyph = re.match(r"-([a-z]+)\b", tail)
    if hyph and unit is None:  # "300-pound", "10-km", "five-year"
        word = hyph.group(1)
        if word in ("pound", "pounds"):
            return "kg", factor * 0.45359237, end + hyph.end()
        if word in _MEASURES:
            base, f = _MEASURES[word]
            return base, factor * f, end + hyph.end()
        if word in _DURATIONS:
            return word.rstrip("s"), factor, end + hyph.end()
        return None, factor, end
    m = re.match(r"(\s?)(%|°[CF]?|percentage points?\b|per cent\b|percent\b|pct\b)", tail, re.I)
    if m and unit is None:
        base, f = _MEASURES[m.group(2).lower()]
        if base == "degree" and m.group(2) != "°":
            base = "celsius" if m.group(2).upper().endswith("C") else "fahrenheit"
        return base, factor * f, end + m.end()
    m = re.match(r"(\s?)(US dollars|pounds sterling|[A-Za-z/]+)\b", tail)
    if not m:
        return unit, factor, end
    word = m.group(2)
    low = word.lower()
    word_end = end + m.end()
    if unit is None and low in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[low], factor, word_end
    if unit is None and low in ("us dollars",):
        return "USD", factor, word_end
    if unit is None and low in ("pounds", "pound", "pounds sterling"):
        mass = not mag_word and re.match(r"\s+of\b", text[word_end:]) is not None
        if low == "pounds sterling" or not mass:
            return "GBP", factor, word_end
        return "kg", factor * 0.45359237, word_end
    if unit is not None:
        return unit, factor, end  # "$80 million worth": money stays money
    if low in _MEASURES and (m.group(1) or low in ("km", "kg", "m", "t", "g", "mm", "cm", "ft")):
        base, f = _MEASURES[low]
        word_end2 = word_end
        if base == "degree":
            deg = re.match(r"\s+(Celsius|centigrade|C|Fahrenheit|F)\b", text[word_end:])
            if deg:
                base = "fahrenheit" if deg.group(1).startswith("F") else "celsius"
                word_end2 = word_end + deg.end()
        return base, factor * f, word_end2
    if low == "m" and not m.group(1):
        return "m", factor, word_end
    if not m.group(1) or low in _FUNCTION_WORDS or not word.isalpha():
        return None, factor, end
    noun = _counted_noun(text, end, one)
    if noun is None:
        return None, factor, end
    return noun[0], factor, noun[1]


def _counted_noun(text: str, end: int, one: bool) -> tuple[str, int] | None:
    """The noun a bare number counts: "5,000 people", "two crew members", "four astronauts"."""
    words = list(re.finditer(r"\s+([A-Za-z][A-Za-z'-]*)", text[end : end + 40]))
    if not words or words[0].start() != 0:
        return None
    w1 = words[0].group(1)
    if w1.lower() in _FUNCTION_WORDS or w1[:1].isupper():
        return None
    if _plural_looking(w1):
        return singular(w1), end + words[0].end()
    if len(words) > 1 and words[1].start() == words[0].end():
        w2 = words[1].group(1)
        if _plural_looking(w2) and w2.lower() not in _FUNCTION_WORDS and not w2[:1].isupper():
            return singular(w2), end + words[1].end()  # "two crew members"
    if one and not w1.endswith(("ed", "ing", "ly")):
        return w1.lower(), end + words[0].end()  # "one astronaut"
    return None


def _word_fact(text: str, m: re.Match[str]) -> Fact | None:
    w = m.group("w").lower()
    hundred = m.group("hundred")
    mag = (m.group("mag") or "").lower()
    if w in ("a", "an") and not (hundred or mag):
        return None
    if w.startswith("half"):
        if not mag or mag == "dozen":
            return None
        base = 0.5
    elif w in ("a", "an"):
        base = 1
    elif "-" in w:
        tens, ones = w.split("-")
        base = _WORD_NUMBERS[tens] + _WORD_NUMBERS[ones]
    else:
        base = _WORD_NUMBERS[w]
    value = float(base) * (100 if hundred else 1)
    factor = 12.0 if mag == "dozen" else _MAGNITUDES.get(mag, 1.0)
    value *= factor
    precision = (100.0 if hundred else 1.0) * (1.0 if mag == "dozen" else factor)
    if w.startswith("half"):
        precision = factor / 10
    end = m.end()
    unit, _f, unit_end = _unit_after(text, end, None, 1.0, mag, one=value == 1)
    if unit is None and not (mag or hundred):
        return None  # "one of the greatest", "the two" without a counted noun
    nxt = text[m.end() : m.end() + 4].lower()
    if w == "one" and (nxt.startswith(" of") or not unit):
        return None
    if re.match(r"\s+of\b", text[unit_end:]) and mag and unit is None:
        pass
    approx = bool(_APPROX.search(text[max(0, m.start() - 20) : m.start()]))
    start = m.start()
    return Fact(
        "number",
        text[start:unit_end],
        start,
        unit_end,
        value,
        unit=unit,
        approx=approx,
        precision=precision,
        bound=bound_of(text, start, unit_end),
    )


# --------------------------------------------------------------------------------------------
# Per-sentence facts with the spaCy parse

_ENTITY_KINDS: dict[str, FactKind] = {
    "PERSON": "person",
    "ORG": "org",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
}
_NAME_ENTS = frozenset({"PRODUCT", "ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW"})
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})


def analyse(article: Article) -> tuple[SentenceFacts, ...]:
    """Sentences (with quotes and speakers) and their facts, from one spaCy parse."""
    return analyse_many([article])[0]


def analyse_many(
    articles: Sequence[Article], batch_size: int = 16
) -> list[tuple[SentenceFacts, ...]]:
    """``analyse`` for many articles, batched through spaCy's ``nlp.pipe``."""
    from factcheck.nlp import parse

    spans = [sentence_spans(a.text) for a in articles]
    docs = parse(((a.text, s) for a, s in zip(articles, spans, strict=True)), batch_size)
    out = []
    for article, doc, sp in zip(articles, docs, spans, strict=True):
        from factcheck.nlp import People
        from factcheck.sentences import quote_marks, quoted_ranges

        people = People(doc, quoted_ranges(quote_marks(article.text)))
        sentences = build_sentences(article, doc, sp, people)
        ents = list(doc.ents)  # Doc.ents rebuilds its list on every access
        kinds = entity_kinds(ents, people)
        out.append(
            tuple(
                _sentence_facts(s, doc, people, article.published, kinds, ents) for s in sentences
            )
        )
    return out


def extract_facts(
    article: Article, sentences: Sequence[Sentence] | None = None
) -> tuple[SentenceFacts, ...]:
    """Facts of each sentence of ``article`` (split here when ``sentences`` is None)."""
    if sentences is None:
        return analyse(article)
    from factcheck.nlp import People, parse
    from factcheck.sentences import quote_marks, quoted_ranges

    doc = parse([(article.text, [(s.start, s.end) for s in sentences])])[0]
    people = People(doc, quoted_ranges(quote_marks(article.text)))
    ents = list(doc.ents)
    kinds = entity_kinds(ents, people)
    return tuple(_sentence_facts(s, doc, people, article.published, kinds, ents) for s in sentences)


def _sentence_facts(
    sentence: Sentence,
    doc: Doc,
    people: People,
    published: dt.date | None,
    kinds: dict[str, FactKind],
    doc_ents: Sequence[Span],
) -> SentenceFacts:
    span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
    text = sentence.text
    facts: list[Fact] = parse_dates(text, published)
    numbers = _parse_numbers(text, [(f.start, f.end) for f in facts])
    numbers = results_and_times(text, numbers, facts)
    if span is None:
        return SentenceFacts(sentence, tuple(facts + numbers))
    base = sentence.start
    ents = [e for e in doc_ents if e.start_char < sentence.end and e.end_char > base]
    name_spans = [(e.start_char - base, e.end_char - base) for e in ents if e.label_ in _NAME_ENTS]
    for f in numbers:
        if any(a <= f.start and f.end <= b for a, b in name_spans) and f.unit is None:
            continue  # "Falcon 9" tagged as a product by NER
        facts.append(_refine_unit(f, span, base))
    facts.extend(_nationality_counts(span, base, facts))
    facts = [
        replace(f, frame=_frame(f, span, base)) if f.kind in _FRAMED else f for f in facts
    ]
    facts.extend(_entities(ents, people, base, kinds))
    n = len(text)  # the parse may run past the sentence (an entity across a boundary)
    facts = sorted((f for f in facts if 0 <= f.start < f.end <= n), key=lambda f: (f.start, f.kind))
    cues = [c for c in _cues(span, base) if 0 <= c.start < c.end <= n]
    lemmas = tuple(t.lemma_.lower() for t in span if t.pos_ in _CONTENT_POS and not t.is_punct)
    return SentenceFacts(sentence, tuple(facts), tuple(cues), lemmas)


_FRAMED = frozenset({"number", "date", "weekday"})
_FRAME_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN"})
# a verb's own arguments that say what a value counts or dates ("killed" <- "reported")
_FRAME_ARGS = frozenset({"xcomp", "oprd", "acomp", "prt", "nsubj", "nsubjpass", "dobj", "attr"})


def _frame(fact: Fact, span: Span, base: int) -> tuple[str, ...]:
    """Lemmas of what a value counts or dates in its own clause, the value itself left out.

    From the value's tokens up the parse to the first verb (the counted noun, a preposition's
    noun on the way: "the lives of 1,302 people" -> life), then that verb's own arguments and the
    verb that governs it ("were reported killed" -> report, kill). Other clauses of the sentence
    stay out, so two values in one sentence get two frames.
    """
    toks = [t for t in span if fact.start <= t.idx - base < fact.end]
    if not toks:
        return ()
    inside = {t.i for t in toks}
    words: list[str] = [t.lemma_.lower() for t in toks if t.pos_ == "NOUN"]
    for t in toks:  # "2,470 people rescued from the rubble": the noun's own participle
        words += [c.lemma_.lower() for c in t.children if c.dep_ == "acl" and c.pos_ == "VERB"]
    cur = next((t for t in toks if t.head.i not in inside or t.head is t), toks[-1])
    verb = None
    for _ in range(5):
        head = cur.head
        if head is cur:
            verb = cur if cur.pos_ in ("VERB", "AUX") else None
            break
        if head.pos_ in _FRAME_POS and not head.like_num:
            words.append(head.lemma_.lower())
        if head.pos_ == "VERB" or (head.pos_ == "AUX" and head.dep_ == "ROOT"):
            verb = head
            break
        cur = head
    if verb is not None:
        for c in verb.children:
            if (
                c.dep_ in _FRAME_ARGS
                and c.i not in inside
                and c.pos_ in _FRAME_POS
                and not c.like_num
                and c.ent_type_ not in ("PERSON", "ORG", "GPE")
            ):
                words.append(c.lemma_.lower())
        if verb.dep_ in ("xcomp", "oprd") and verb.head.pos_ == "VERB":
            words.append(verb.head.lemma_.lower())
        if verb.dep_ == "relcl" and verb.head.pos_ == "NOUN":
            # "the fire, which began at 5.50pm": the clause's noun is what it dates
            words.append(verb.head.lemma_.lower())
    return tuple(dict.fromkeys(w for w in words if w.isalpha() or "-" in w))


def _nationality_counts(span: Span, base: int, facts: Sequence[Fact]) -> list[Fact]:
    """ "nine Peruvians", "six Americans": a count of a nationality, which the regex parser
    leaves out (a capitalised word after a number reads as a name to it)."""
    out: list[Fact] = []
    for tok in span:
        head = tok.head
        start = tok.idx - base
        if not (tok.dep_ == "nummod" and head.ent_type_ == "NORP" and head.i == tok.i + 1):
            continue
        if any(f.start <= start < f.end for f in facts):
            continue
        word = tok.lower_
        value = float(_WORD_NUMBERS[word]) if word in _WORD_NUMBERS else None
        if value is None:
            try:
                value = float(word.replace(",", ""))
            except ValueError:
                continue
        end = head.idx - base + len(head.text)
        text = span.text[start + base - span.start_char : end + base - span.start_char]
        out.append(
            Fact("number", text, start, end, value, unit=singular(head.text), precision=1.0)
        )
    return out


def _refine_unit(fact: Fact, span: Span, base: int) -> Fact:
    """A bare number's counted noun from the parse ("two crew members" -> member; "14
    Canadians" -> canadian)."""
    if fact.unit is not None:
        return fact
    tok = next((t for t in span if t.idx - base == fact.start), None)
    if tok is None or tok.dep_ != "nummod" or tok.head.i < tok.i:
        return fact
    if tok.head.pos_ != "NOUN" and tok.head.ent_type_ != "NORP":
        return fact
    noun = tok.head
    end = noun.idx - base + len(noun.text)
    text = span.text[fact.start + base - span.start_char : end + base - span.start_char]
    return replace(fact, unit=noun.lemma_.lower(), end=end, text=text)


def _entity_value(ent: Span, people: People) -> tuple[FactKind, str] | None:
    kind = _ENTITY_KINDS.get(ent.label_)
    if kind is None:
        return None
    value = re.sub(r"^(?:the|The)\s+", "", ent.text)
    value = re.sub(r"[’']s?$", "", value).strip()
    name = people.canonical(value)
    if kind == "person" or people.is_known(name):
        kind, value = "person", name  # the NER sometimes calls "Varga's" an organisation
    return (kind, value) if value else None


def entity_kinds(ents: Sequence[Span], people: People) -> dict[str, FactKind]:
    """The kind each entity name gets most often in the article: the small NER model labels
    the same name differently from sentence to sentence ("SpaceX" as a person, then an org)."""
    counts: dict[str, Counter[FactKind]] = {}
    for ent in ents:
        found = _entity_value(ent, people)
        if found is not None:
            counts.setdefault(found[1], Counter())[found[0]] += 1
    return {value: c.most_common(1)[0][0] for value, c in counts.items()}


def _entities(
    ents: Sequence[Span], people: People, base: int, kinds: dict[str, FactKind]
) -> list[Fact]:
    out: list[Fact] = []
    for ent in ents:
        found = _entity_value(ent, people)
        if found is None:
            continue
        kind, value = found
        kind = kinds.get(value, kind)
        out.append(Fact(kind, ent.text, ent.start_char - base, ent.end_char - base, value))
    return out


def _cues(span: Span, base: int) -> list[Cue]:
    cues: list[Cue] = []
    tokens = list(span)
    for k, tok in enumerate(tokens):
        low = tok.lower_
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        start = tok.idx - base
        if low == "yet" and nxt is not None and nxt.lower_ == "to":
            verb = next((t for t in tokens[k + 2 :] if t.pos_ in ("VERB", "AUX")), None)
            head = _verb_after_to(tokens, k + 2) or (verb.lemma_.lower() if verb else None)
            end = nxt.idx - base + len(nxt.text)
            cues.append(Cue("negation", "yet to", start, end, head))
            continue
        if low == "so" and nxt is not None and nxt.lower_ == "far":
            end = nxt.idx - base + len(nxt.text)
            cues.append(Cue("hedge", "so far", start, end, _head_lemma(nxt)))
            continue
        if low == "far" and k and tokens[k - 1].lower_ == "so":
            continue
        if low == "no" and nxt is not None and nxt.lower_ == "one":
            end = nxt.idx - base + len(nxt.text)
            cues.append(Cue("negation", "no one", start, end, _head_lemma(nxt)))
            continue
        if low == "one" and k and tokens[k - 1].lower_ == "no":
            continue
        if low in NEGATION_CUES or tok.lemma_.lower() == "deny" or tok.dep_ == "neg":
            head = _deny_target(tok) if tok.lemma_.lower() == "deny" else _head_lemma(tok)
            cues.append(Cue("negation", tok.text, start, start + len(tok.text), head))
            continue
        if low in HEDGE_CUES:
            if low == "yet" and tok.dep_ == "cc":
                continue
            if low in ("may", "might", "could") and tok.tag_ != "MD":
                continue
            if tok.head.like_num or tok.head.pos_ == "NUM" or (nxt is not None and nxt.like_num):
                continue  # "almost 5,000": the number's approx flag says it
            if low == "possible" and tok.dep_ not in ("acomp", "amod"):
                continue
            cues.append(Cue("hedge", tok.text, start, start + len(tok.text), _head_lemma(tok)))
    return cues


def _verb_after_to(tokens: Sequence[Token], k: int) -> str | None:
    for t in tokens[k : k + 4]:
        if t.pos_ == "VERB":
            return t.lemma_.lower()
    return None


def _head_lemma(tok: Token) -> str | None:
    head = tok.head
    if head is tok:
        return tok.lemma_.lower()
    if head.pos_ == "ADJ" and tok.lower_ in ("likely", "unlikely"):
        head = tok
    if tok.pos_ == "ADJ" and tok.lower_ in ("likely", "unlikely", "possible"):
        xcomp = next((c for c in tok.children if c.dep_ == "xcomp"), None)
        if xcomp is not None:
            return xcomp.lemma_.lower()
    return head.lemma_.lower()


def _deny_target(tok: Token) -> str:
    for c in tok.children:
        if c.dep_ in ("ccomp", "xcomp", "dobj") and c.pos_ in ("VERB", "NOUN", "AUX"):
            return c.lemma_.lower()
    return tok.lemma_.lower()
