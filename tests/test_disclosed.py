"""A cause said to be undisclosed in one outlet and told in another is a negation conflict,
unless only unnamed sources told it (invented texts; the rule reads the sentence text only)."""

from __future__ import annotations

from collections.abc import Callable

from factcheck.conflicts.disclosed import disclosure_conflicts, told, undisclosed
from factcheck.types import Match, Sentence


def pairer(sa: list[str], sb: list[str]) -> Callable[[int, int], Match]:
    def match(i: int, j: int) -> Match:
        a = Sentence("A", i, 0, len(sa[i]), sa[i])
        b = Sentence("B", j, 0, len(sb[j]), sb[j])
        return Match(a, b, "Herald", "Wire", 0.3, "same_fact")

    return match


def test_undisclosed_and_told_causes_are_read() -> None:
    assert undisclosed("The utility has not disclosed what kind of fault hit the grid.")
    assert undisclosed("The utility declined to say what caused the outage.")
    assert undisclosed("The utility said the grid failed.") is None
    # what was not said must be a cause or a kind, as what the other side tells is
    assert undisclosed("The utility has not said how many homes lost power.") is None
    assert told("An outage that the utility said was caused by a storm.")
    assert told('It said it had "determined that the outage involves a cable fault."')
    assert told("An outage that two industry sources said was caused by a storm.") is None


def test_a_cause_told_against_one_not_disclosed_is_a_negation() -> None:
    sa = ["The grid went dark.", "The utility has not disclosed what kind of fault it had."]
    sb = ["The outage, which the utility said was caused by a cable fault, ended."]
    out = disclosure_conflicts(sa, sb, pairer(sa, sb))
    assert [c.type for c in out] == ["negation"]
    assert out[0].a_spans[0].text.startswith("has not disclosed what")
    assert out[0].b_spans[0].text.startswith("said was caused by")
    assert len(disclosure_conflicts(sb, sa, pairer(sb, sa))) == 1
    sources = ["The outage, which sources said was caused by a cable fault, ended."]
    assert disclosure_conflicts(sa, sources, pairer(sa, sources)) == []
