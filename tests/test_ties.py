"""Ties between people (:mod:`factcheck.conflicts.ties`): one tie's length told between two
different pairs of people. Invented texts."""

from __future__ import annotations

from factcheck.conflicts.aligned import aligned_conflicts
from factcheck.conflicts.ties import ties
from factcheck.types import Match, Sentence


def match(ta: str, tb: str) -> Match:
    a = Sentence("A", 0, 0, len(ta), ta)
    b = Sentence("B", 0, 0, len(tb), tb)
    return Match(a, b, "Herald", "Wire", 0.72, "same_claim")


ALLY = "Varga, who has been a close ally of President Tomas Holm for roughly 20 years, left."


def test_a_tie_of_one_length_between_other_people_conflicts() -> None:
    [t] = ties("the Ostrian leader had known Varga personally for about two decades")
    assert (t.who, t.years, t.holder.strip()) == ("Varga", 20, "the Ostrian leader had")
    other = "Holm agreed because the Ostrian leader had known Varga personally for two decades."
    [c] = aligned_conflicts(match(ALLY, other))
    assert c.type == "entity"
    assert c.a_spans[0].text == "ally of President Tomas Holm for roughly 20 years"
    assert c.b_spans[0].text == "known Varga personally for two decades"


def test_the_same_tie_told_from_its_other_end_or_of_another_length_is_no_conflict() -> None:
    same = "Officials said Holm had known Varga for about 20 years."
    assert aligned_conflicts(match(ALLY, same)) == []
    longer = "Officials said the Ostrian leader had known Varga for 40 years."
    assert aligned_conflicts(match(ALLY, longer)) == []
