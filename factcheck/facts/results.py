"""Sports results ("4-2"), times of day ("6:50 p.m.") and vague counts ("dozens"): kept
apart from the figures they look like."""

from __future__ import annotations

import re
from collections.abc import Sequence

from factcheck.facts.numbers import _APPROX
from factcheck.types import Fact

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
