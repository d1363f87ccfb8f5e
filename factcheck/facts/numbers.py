"""Numbers with units and currencies, their precision, approximation and bounds, and
their counted nouns, by regular expression (results and times of day: ``results``).

What is *not* a number fact (skipped, never emitted): years 1900-2100 standing alone (they are
dates), times of day ("9:30", "11 p.m."), ordinals ("fourth", "21st", "20th-century"), numbers
inside names ("Crew-4", "Falcon 9", "COVID-19", "G7", "No. 5"), day numbers inside dates ("Feb 15"),
fractions and vague plurals ("dozens", "hundreds of").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from factcheck.facts.dates import _MONTHS, _WEEKDAYS, date_spans
from factcheck.facts.words import _wordset
from factcheck.lexicon import COUNT_FUNCTION_WORDS
from factcheck.quantities import bound_of
from factcheck.types import Fact

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
    "miles": ("m", 1609.344), "nautical mile": ("m", 1852.0), "nautical miles": ("m", 1852.0),
    "metre": ("m", 1.0), "metres": ("m", 1.0), "meter": ("m", 1.0),
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
_FUNCTION_WORDS = COUNT_FUNCTION_WORDS  # never a counted noun (factcheck.lexicon)
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


# A scale named before its value ("a magnitude-7.8 earthquake", "magnitude 6.1 tremor"): the
# value is a reading on that scale, whatever noun follows.
_SCALE_BEFORE = re.compile(r"\b(magnitude)[- ]$", re.IGNORECASE)


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
    scale = _SCALE_BEFORE.search(text[: m.start("num")])
    if scale and unit is None and not cur and not mag_word:  # "a magnitude-7.8 earthquake"
        unit, start = scale.group(1).lower(), scale.start()
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
    m = re.match(r"(\s?)(US dollars|pounds sterling|nautical miles?|[A-Za-z/]+)\b", tail)
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


# "less than a minute", "more than an hour": one span of time, bounded (a bare "a minute"
# or "an hour" is left out: "a minute's silence" is no measured figure)
_ONE_SPAN = re.compile(r"\s+(second|minute|hour)\b", re.IGNORECASE)
_BOUNDED_BEFORE = re.compile(
    r"\b(?:less than|more than|under|over|within|nearly|almost|just over|just under)\s+$",
    re.IGNORECASE,
)


def _one_span(text: str, m: re.Match[str]) -> Fact | None:
    unit = _ONE_SPAN.match(text, m.end())
    if unit is None or not _BOUNDED_BEFORE.search(text[max(0, m.start() - 20) : m.start()]):
        return None
    start, end = m.start(), unit.end()
    return Fact(
        "number",
        text[start:end],
        start,
        end,
        1.0,
        unit=unit.group(1).lower(),
        approx=True,
        precision=1.0,
        bound=bound_of(text, start, end),
    )


def _word_fact(text: str, m: re.Match[str]) -> Fact | None:
    w = m.group("w").lower()
    hundred = m.group("hundred")
    mag = (m.group("mag") or "").lower()
    if w in ("a", "an") and not (hundred or mag):
        return _one_span(text, m)
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
    unit, to_base, unit_end = _unit_after(text, end, None, 1.0, mag, one=value == 1)
    value, precision = value * to_base, precision * to_base  # "six miles": 9,656 m
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
