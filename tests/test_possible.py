"""A step told as taken in one outlet and as only possible in another is an ``other``
conflict, in two sentences close enough to tell one event (invented texts)."""

from __future__ import annotations

from collections.abc import Callable

from factcheck.conflicts.possible import MIN_COSINE, done, maybe, possible_conflicts
from factcheck.types import Match, Sentence


def pairer(sa: list[str], sb: list[str], score: float) -> Callable[[int, int], Match]:
    def match(i: int, j: int) -> Match:
        a = Sentence("A", i, 0, len(sa[i]), sa[i])
        b = Sentence("B", j, 0, len(sb[j]), sb[j])
        return Match(a, b, "Herald", "Wire", score, "same_fact")

    return match


def test_taken_and_possible_steps_are_read_by_stem() -> None:
    assert set(done("The envoy had been expelled on Monday.")) == {"expel"}
    assert set(maybe("He awaits a ruling on his possible extradition.")) == {"extra"}


def test_taken_against_possible_conflicts_when_close_enough() -> None:
    sa = ["The court confirmed the banker had been extradited to Norland."]
    sb = ["The banker is held until a court rules on his possible extradition to Norland."]
    out = possible_conflicts(sa, sb, pairer(sa, sb, MIN_COSINE + 0.1))
    assert [c.type for c in out] == ["other"]
    assert out[0].b_spans[0].text == "possible extradition"
    assert possible_conflicts(sa, sb, pairer(sa, sb, MIN_COSINE - 0.1)) == []
    both = ["He was extradited after his possible extradition was approved."]
    assert possible_conflicts(sa, both, pairer(sa, both, 0.9)) == []
