"""Harm denied in one outlet and told in another is a negation conflict, in any two sentences
(invented texts; the rule reads the sentence text only)."""

from __future__ import annotations

from collections.abc import Callable

from factcheck.conflicts.harm import denied, harm_conflicts, harmed
from factcheck.types import Match, Sentence


def pairer(sa: list[str], sb: list[str]) -> Callable[[int, int], Match]:
    def match(i: int, j: int) -> Match:
        a = Sentence("A", i, 0, len(sa[i]), sa[i])
        b = Sentence("B", j, 0, len(sb[j]), sb[j])
        return Match(a, b, "Herald", "Wire", 0.2, "same_fact")

    return match


def kind(x: tuple[set[str] | str, tuple[int, int]] | None) -> set[str] | str | None:
    return None if x is None else x[0]


def test_denials_and_harms_are_read_by_kind() -> None:
    assert kind(denied("No deaths or injuries were reported.")) == {"death", "injury"}
    assert kind(denied("Nobody was hurt, the mayor said.")) == {"injury"}
    assert kind(denied("No one on the ground was hurt.")) is None  # scoped to a place
    assert kind(denied("No casualties were reported in Velmar.")) is None
    assert kind(harmed("A guard was badly injured in the blast.")) == "injury"
    assert kind(harmed("Two workers died.")) == "death"
    assert kind(harmed("The guard could have been killed.")) is None
    assert kind(harmed("No guard was injured.")) is None
    # history, not the event: a year or a span of decades in the sentence
    assert kind(harmed("Two wars over five decades left 2 million dead; many died.")) is None
    assert kind(harmed("In 1998 a guard was killed at the same gate.")) is None


def test_a_denied_harm_told_by_another_outlet_is_a_negation() -> None:
    sa = ["The depot burned all night.", "No injuries were reported."]
    sb = ["Crews fought the flames.", "A guard was badly injured while fleeing the depot."]
    out = harm_conflicts(sa, sb, pairer(sa, sb))
    assert [c.type for c in out] == ["negation"]
    assert out[0].a_spans[0].text == "No injuries"
    assert out[0].b_spans[0].text == "was badly injured"
    # the other way round, and a denial of deaths says nothing of injuries
    assert len(harm_conflicts(sb, sa, pairer(sb, sa))) == 1
    sd = ["No deaths were reported."]
    assert harm_conflicts(sd, sb, pairer(sd, sb)) == []
