"""Bounds on reported numbers: parsed from the wording, compared as the ranges they allow."""

from __future__ import annotations

import pytest

from factcheck.facts import parse_numbers
from factcheck.quantities import bound_of, date_within, mutual_nearest, numbers_compatible
from factcheck.types import Fact


def one(text: str) -> Fact:
    [fact] = parse_numbers(text)
    return fact


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("more than 120 goals", ">"),
        ("over 30 crore", ">"),
        ("at least 16 critics", ">="),
        ("5,000+ people", ">="),
        ("500 people or more", ">="),
        ("less than 27%", "<"),
        ("under 23.5 million sales", "<"),
        ("up to 40,000 people", "<="),
        ("no more than 12 people", "<="),
        ("around 80 people", None),
        ("80 people", None),
    ],
)
def test_bound_is_read_from_the_wording(text: str, bound: str | None) -> None:
    assert one(text).bound == bound


def test_bound_of_looks_only_next_to_the_number() -> None:
    text = "More than a year later, 80 people came."
    i = text.index("80")
    assert bound_of(text, i, i + len("80 people")) is None


def test_crore_and_lakh_are_magnitudes() -> None:
    assert one("grossed 96.36 crore worldwide").value == pytest.approx(963.6e6)
    assert one("sold 5 lakh copies").value == pytest.approx(5e5)


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("more than 120 goals", "121 goals", True),
        ("more than 120 goals", "120 goals", False),  # strict: "more than 120" excludes 120
        ("at least 16 critics", "16 critics", True),
        ("less than 27%", "27%", False),
        ("less than 170 cases", "168 cases", True),
        ("less than $166.4 million", "$166.5 million", False),
        ("more than 100 people", "less than 50 people", False),
        ("more than 100 people", "less than 500 people", True),
        ("around 80 people", "84 people", True),
        ("9 cases", "6 cases", False),
        ("$80 million", "$80.4 million", True),  # rounding
        ("$80 million", "$82 million", False),
    ],
)
def test_numbers_compatible(a: str, b: str, compatible: bool) -> None:
    x, y = one(a), one(b)
    assert numbers_compatible(x, y) is compatible
    assert numbers_compatible(y, x) is compatible  # symmetric


def test_mutual_nearest_prefers_the_number_in_the_same_context() -> None:
    a = "The film had a budget of under 70 crore."
    b = "It has earned 73.3 crore worldwide against a production budget of 65 crore."
    pairs = mutual_nearest(parse_numbers(a), parse_numbers(b), a, b)
    assert [(x.text, y.text) for x, y in pairs] == [("70 crore", "65 crore")]
    # Without the texts the closest value wins.
    pairs = mutual_nearest(parse_numbers(a), parse_numbers(b))
    assert [(x.text, y.text) for x, y in pairs] == [("70 crore", "73.3 crore")]


def test_mutual_nearest_does_not_compare_different_standard_units() -> None:
    a, b = "It cost $5 million.", "It rose 5%."
    assert mutual_nearest(parse_numbers(a), parse_numbers(b), a, b) == []


def test_dates_carry_their_bounds() -> None:
    from factcheck.facts import parse_dates

    [after] = parse_dates("The band split up after 2005.")
    [before] = parse_dates("Surgery was planned before March 2019.")
    [plain] = parse_dates("The band split up in 2006.")
    assert (after.bound, before.bound, plain.bound) == (">", "<", None)
    assert date_within(">", "2005", "2006") is True
    assert date_within(">", "2005", "2005") is False  # strictly after
    assert date_within("<", "2019-03", "2019") is None  # too coarse to tell
    assert date_within("<", "2019", "--02-05") is None  # a day without its year
