"""Under control in one outlet, still burning in another: an ``other`` conflict, in any two
sentences (invented texts; the rule reads the sentence text only)."""

from __future__ import annotations

from collections.abc import Callable

from factcheck.conflicts.contained import contained_conflicts, controlled, ongoing
from factcheck.types import Match, Sentence


def pairer(sa: list[str], sb: list[str]) -> Callable[[int, int], Match]:
    def match(i: int, j: int) -> Match:
        a = Sentence("A", i, 0, len(sa[i]), sa[i])
        b = Sentence("B", j, 0, len(sb[j]), sb[j])
        return Match(a, b, "Herald", "Wire", 0.3, "same_fact")

    return match


def test_control_is_claimed_only_outright() -> None:
    assert controlled("The warehouse blaze was brought under control by dawn.") is not None
    assert controlled("Crews made every effort to bring the blaze under control.") is None
    assert controlled("The blaze is not yet under control.") is None
    assert ongoing("Crews were still trying to contain the flames.") is not None
    assert ongoing("The depot was still burning at noon.") is not None
    assert ongoing("Crews were trying to contain the flames.") is None


def test_controlled_against_still_fought_is_a_conflict() -> None:
    sa = ["A depot caught fire.", "The blaze has been brought under control."]
    sb = ["At noon, crews were still trying to contain the blaze.", "Smoke rose."]
    out = contained_conflicts(sa, sb, pairer(sa, sb))
    assert [c.type for c in out] == ["other"]
    assert out[0].a_spans[0].text == "brought under control"
    assert out[0].b_spans[0].text.startswith("still trying to contain")
    assert len(contained_conflicts(sb, sa, pairer(sb, sa))) == 1
    both = ["The blaze has been brought under control."]
    assert contained_conflicts(sa, both, pairer(sa, both)) == []


def test_a_bare_still_fighting_is_no_fire_still_burning() -> None:
    assert ongoing("Rebels were still fighting near the bridge.") is None
