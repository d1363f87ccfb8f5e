"""Sayers: one statement credited to institutions of two kinds is an attribution conflict
(invented texts; the rule reads the sentence text only)."""

from __future__ import annotations

from factcheck.conflicts.sayers import sayer_conflict, sayers
from factcheck.types import Match, Sentence


def match(ta: str, tb: str) -> Match:
    a = Sentence("A", 0, 0, len(ta), ta)
    b = Sentence("B", 0, 0, len(tb), tb)
    return Match(a, b, "Herald", "Wire", 0.7, "same_claim")


def test_institution_sayers_are_read_by_kind() -> None:
    assert [k for k, _, _ in sayers("The line is shut, the national broadcaster said.")] == [
        "media"
    ]
    assert [k for k, _, _ in sayers("It is shut, according to the transport ministry.")] == [
        "government"
    ]
    assert [k for k, _, _ in sayers('"Shut," said the carrier in a note.')] == ["business"]
    assert sayers("It is shut, it said.") == []
    assert sayers("It is shut, a post on social media said.") == []


def test_two_kinds_of_sayer_conflict_and_one_kind_does_not() -> None:
    c = sayer_conflict(
        match(
            "All 90 aboard died, the state broadcaster said.",
            "Nordair Airlines confirmed that all 90 aboard died.",
        )
    )
    assert c is not None and c.type == "attribution"
    assert [s.text for s in c.a_spans] == ["broadcaster"]
    assert [s.text for s in c.b_spans] == ["Airlines"]
    same = match("All 90 aboard died, the carrier said.", "All 90 aboard died, the airline said.")
    assert sayer_conflict(same) is None
