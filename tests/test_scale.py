"""A few vs a mass of one action is a number conflict with no figure written, in two sentences
close enough to tell one event (invented texts; the rule reads the sentence text only)."""

from __future__ import annotations

from collections.abc import Callable

from factcheck.conflicts.scale import MIN_COSINE, scale_conflict, scale_conflicts
from factcheck.types import Match, Sentence


def match(ta: str, tb: str, score: float = 0.7) -> Match:
    a = Sentence("A", 0, 0, len(ta), ta)
    b = Sentence("B", 0, 0, len(tb), tb)
    return Match(a, b, "Herald", "Wire", score, "same_fact")


def test_few_against_mass_of_one_action_conflicts() -> None:
    c = scale_conflict(
        match(
            "Guards evacuated several families from the harbour district.",
            "Mass evacuations of families took place in the harbour district.",
        )
    )
    assert c is not None and c.type == "number"
    assert c.b_spans[0].text == "Mass evacuations"
    other = match("Guards evacuated several families.", "Mass protests filled the square.")
    assert scale_conflict(other) is None


def test_only_sentences_close_enough_are_compared() -> None:
    sa = ["Guards evacuated several families from the harbour district."]
    sb = ["Mass evacuations of families took place in the harbour district."]

    def pair(score: float) -> Callable[[int, int], Match]:
        return lambda i, j: match(sa[i], sb[j], score)

    assert len(scale_conflicts(sa, sb, pair(MIN_COSINE + 0.1))) == 1
    assert scale_conflicts(sa, sb, pair(MIN_COSINE - 0.1)) == []
