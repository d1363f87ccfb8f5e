"""Comparing two reported quantities: bounds ("more than 120", "after 2005"), rounding and
approximations.

A report that says "more than 120 goals" agrees with one that says "121 goals", and "less than
$166.4 million" disagrees with "$166.5 million", though the second pair is the closer in value.
So a number fact carries its comparator (``Fact.bound``), and two numbers are compared as the
sets of values they allow, not as two points. Used by the typed number rule
(``factcheck.conflicts``) and by the conflict model's pair features (``factcheck.pairfeatures``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from factcheck.lexicon import CONTEXT_STOP_WORDS
from factcheck.types import Bound, Fact

# Phrases right before a number that make it a bound; the inclusive ones are listed separately.
_LOWER = re.compile(
    r"\b(?:more than|over|above|at least|upwards of|no fewer than|no less than|not less than|"
    r"well over|just over|in excess of|greater than|higher than|larger than|exceeding|"
    r"exceeded|exceeds|surpassing|surpassed|a minimum of|minimum of|beyond)\s*$",
    re.IGNORECASE,
)
_UPPER = re.compile(
    r"\b(?:less than|fewer than|under|below|up to|no more than|not more than|at most|"
    r"just under|lower than|smaller than|not exceeding|a maximum of|maximum of|short of)\s*$",
    re.IGNORECASE,
)
_INCLUSIVE = re.compile(
    r"\b(?:at least|no fewer than|no less than|not less than|a minimum of|minimum of|up to|"
    r"no more than|not more than|at most|not exceeding|a maximum of|maximum of)\s*$",
    re.IGNORECASE,
)
_NOT_MORE = re.compile(r"\b(?:no|not) (?:more|greater|higher) than\s*$", re.IGNORECASE)
_NOT_LESS = re.compile(r"\b(?:no|not) (?:less|fewer|lower) than\s*$", re.IGNORECASE)
_LOWER_AFTER = re.compile(r"(?:\s*\+|\s+or more\b|\s+or over\b|\s+plus\b|\s+or above\b)", re.I)
_UPPER_AFTER = re.compile(r"\s+or (?:less|fewer|under|below)\b", re.IGNORECASE)

# Standard units must agree to compare; counted nouns ("critics" / "reviews") and bare numbers
# may stand for the same thing in two wordings, so they compare with each other.
_STANDARD = (
    "USD EUR GBP JPY RUB INR CAD AUD CNY CHF m kg km/h degree celsius percent "
    "percentage_point year_old second minute hour day week month year"
)
STANDARD_UNITS = frozenset(_STANDARD.split())


def bound_of(text: str, start: int, end: int) -> Bound | None:
    """The comparator of the number written at ``text[start:end]``, or None for a plain amount."""
    before = text[max(0, start - 30) : start]
    after = text[end : end + 14]
    if _LOWER_AFTER.match(after):
        return ">="
    if _UPPER_AFTER.match(after):
        return "<="
    if _NOT_MORE.search(before):  # before _LOWER: "no more than" ends in "more than"
        return "<="
    if _NOT_LESS.search(before):
        return ">="
    if _LOWER.search(before):
        return ">=" if _INCLUSIVE.search(before) else ">"
    if _UPPER.search(before):
        return "<=" if _INCLUSIVE.search(before) else "<"
    return None


_DATE_AFTER = re.compile(
    r"\b(?:after|since|following|later than|from)\s+(?:the\s+)?$", re.IGNORECASE
)
_DATE_BEFORE = re.compile(
    r"\b(?:before|prior to|until|till|by|earlier than|up to)\s+(?:the\s+)?$", re.IGNORECASE
)


def date_bound_of(text: str, start: int) -> Bound | None:
    """ "after 2005" -> ">", "before March 2019" -> "<" for the date written at ``text[start:]``."""
    before = text[max(0, start - 20) : start]
    if _DATE_AFTER.search(before):
        return ">"
    if _DATE_BEFORE.search(before):
        return "<"
    return None


def date_within(bound: Bound, limit: str, value: str) -> bool | None:
    """Does the ISO date ``value`` lie ``bound`` the ISO date ``limit`` ("2006" after "2005")?

    Compared at the coarser of the two writings; None when that cannot tell ("after 2019" vs
    "2019-06"), and for year-less dates ("--02-05"), which cannot be ordered.
    """
    if limit.startswith("-") or value.startswith("-"):
        return None
    n = min(len(limit), len(value))
    x, v = limit[:n], value[:n]
    if x == v:
        return None if len(limit) != len(value) else bound.endswith("=")
    return v > x if bound.startswith(">") else v < x


def _satisfies(bound: Bound, value: float, limit: float, precision: float) -> bool:
    """Does a written ``value`` (to ``precision``) fall inside ``bound limit``?"""
    slack = precision / 2 + 1e-9
    if bound == ">":
        return value > limit + 1e-9
    if bound == ">=":
        return value >= limit - slack
    if bound == "<":
        return value < limit - 1e-9
    return value <= limit + slack


def _interval(f: Fact) -> tuple[float, float]:
    v = float(f.value)
    if f.bound in (">", ">="):
        return v, math.inf
    if f.bound in ("<", "<="):
        return -math.inf, v
    return v, v


def numbers_compatible(x: Fact, y: Fact) -> bool:
    """Can both numbers be true of one quantity?

    Two bounds agree when the ranges they allow overlap; a bound and an amount agree when the
    amount lies inside the bound ("more than 120" / "121"; not "less than 27 %" / "27 %"); two
    amounts agree up to the coarser rounding, or within 10 % when either is approximate
    ("around 80" / "80.4").
    """
    a, b = float(x.value), float(y.value)
    if x.bound and y.bound:
        (lo_a, hi_a), (lo_b, hi_b) = _interval(x), _interval(y)
        return max(lo_a, lo_b) <= min(hi_a, hi_b)
    if x.bound:
        return _satisfies(x.bound, b, a, y.precision or 0.0)
    if y.bound:
        return _satisfies(y.bound, a, b, x.precision or 0.0)
    if a == b:
        return True
    coarse = max(x.precision or 0.0, y.precision or 0.0)
    if abs(a - b) <= coarse / 2 + 1e-9:
        return True
    if x.approx or y.approx:
        return abs(a - b) <= 0.1 * max(abs(a), abs(b))
    return False


def units_comparable(x: Fact, y: Fact) -> bool:
    """Same standard unit, or two counts (counted nouns or bare numbers) of possibly one thing."""
    if x.unit == y.unit:
        return True
    return x.unit not in STANDARD_UNITS and y.unit not in STANDARD_UNITS


def _distance(x: Fact, y: Fact) -> float:
    a, b = abs(float(x.value)), abs(float(y.value))
    if a == b:
        return 0.0
    if a == 0 or b == 0:
        return math.inf
    return abs(math.log(a / b)) + (0.0 if x.unit == y.unit else 0.5)


_CONTEXT_WORD = re.compile(r"[a-z]{3,}")
_CONTEXT_STOP = CONTEXT_STOP_WORDS


def _context(text: str, f: Fact) -> set[str]:
    near = text[max(0, f.start - 30) : f.start] + " " + text[f.end : f.end + 15]
    return {w for w in _CONTEXT_WORD.findall(near.lower()) if w not in _CONTEXT_STOP}


def mutual_nearest(
    xs: Sequence[Fact], ys: Sequence[Fact], text_x: str = "", text_y: str = ""
) -> list[tuple[Fact, Fact]]:
    """Pairs of numbers that are each other's closest comparable number on the other side.

    A sentence with five figures and one with two share at most two quantities; mutual nearest
    neighbours (by log ratio, same unit preferred, shared neighbouring words preferred when the
    texts are given: "budget of 65 crore" pairs with "a budget under 70 crore", not with "73
    crore worldwide") pair those without letting one figure be matched to many.
    """
    cx = [_context(text_x, f) for f in xs] if text_x else [set() for _ in xs]
    cy = [_context(text_y, f) for f in ys] if text_y else [set() for _ in ys]

    def nearest(
        f: Fact, ctx: set[str], pool: Sequence[Fact], pool_ctx: list[set[str]]
    ) -> int | None:
        best, best_d = None, math.inf
        for j, g in enumerate(pool):
            if not units_comparable(f, g):
                continue
            d = _distance(f, g) + (0.0 if ctx & pool_ctx[j] else 0.3)
            if d < best_d:
                best, best_d = j, d
        return best

    pairs = []
    for i, x in enumerate(xs):
        j = nearest(x, cx[i], ys, cy)
        if j is not None and nearest(ys[j], cy[j], xs, cx) == i:
            pairs.append((x, ys[j]))
    return pairs
