"""An action told of a whole plural set in one outlet and of one of it in another is a number
conflict, in any two sentences (invented texts; the rule reads the sentence text only)."""

from __future__ import annotations

from collections.abc import Callable

from factcheck.conflicts.oneof import one_of, one_of_conflicts, whole
from factcheck.types import Match, Sentence


def pairer(sa: list[str], sb: list[str]) -> Callable[[int, int], Match]:
    def match(i: int, j: int) -> Match:
        a = Sentence("A", i, 0, len(sa[i]), sa[i])
        b = Sentence("B", j, 0, len(sb[j]), sb[j])
        return Match(a, b, "Herald", "Wire", 0.3, "same_fact")

    return match


def test_whole_sets_and_one_of_them_are_read_by_verb_and_noun() -> None:
    assert set(whole("The flood spread to the old river mills.")) == {("sprea", "mills")}
    assert set(one_of("The flood spread to one of the mills.")) == {("sprea", "mills")}
    assert whole("The flood spread to one of the mills.") == {}


def test_all_against_one_of_the_same_set_is_a_number_conflict() -> None:
    sa = ["Rain fell.", "By noon the flood was spreading to the old river mills."]
    sb = ["The flood spread to one of its wooden mills, officials said."]
    out = one_of_conflicts(sa, sb, pairer(sa, sb))
    assert [c.type for c in out] == ["number"]
    assert out[0].b_spans[0].text == "spread to one of its wooden mills"
    other_verb = ["The flood cut off one of the mills."]
    assert one_of_conflicts(sa, other_verb, pairer(sa, other_verb)) == []
    other_noun = ["The flood spread to one of the farms."]
    assert one_of_conflicts(sa, other_noun, pairer(sa, other_noun)) == []
