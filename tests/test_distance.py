"""Distances: one figure to one place, the way covered in one outlet and the way left in the
other, is an 'other' conflict (invented texts through the real parse)."""

from __future__ import annotations

import numpy as np

from factcheck.claim_conflicts import ClaimSide, anchored_conflicts
from factcheck.conflicts.distance import reading
from factcheck.facts import analyse
from factcheck.ingest import from_text
from factcheck.types import Fact


def side(text: str, source: str) -> ClaimSide:
    art = from_text(text, source=source)
    return ClaimSide(art, analyse(art), np.eye(8, 8, dtype=np.float32))


def distance(text: str, figure: str) -> Fact:
    i = text.index(figure)
    return Fact("number", figure, i, i + len(figure), 1.0, "m")


def test_the_way_covered_and_the_way_left_are_read_from_the_wording() -> None:
    cases = [
        (
            "The convoy advanced 300 kilometers (186 miles) towards Lisbon.",
            "300 kilometers",
            "covered",
        ),
        ("The convoy got to within 186 miles (300 km) of Lisbon.", "300 km", "left"),
        ("They walked to nearly 300 kilometres away from Lisbon.", "300 kilometres", "left"),
        ("The convoy was 300 kilometres long.", "300 kilometres", None),
    ]
    for text, figure, want in cases:
        assert reading(text, distance(text, figure)) == want, text


def test_one_distance_read_two_ways_conflicts_and_one_way_does_not() -> None:
    a = side("The rebels said they had advanced 300 kilometers towards Lisbon in a day.", "A")
    b = side("In a single day the rebels came to within 300 kilometers of Lisbon.", "B")
    [c] = [x for x in anchored_conflicts([a, b]) if x.type == "other"]
    assert {c.a_spans[0].text, c.b_spans[0].text} == {"300 kilometers"}
    same = side("By nightfall the rebels stood 300 kilometers from Lisbon.", "C")
    assert [x for x in anchored_conflicts([b, same]) if x.type == "other"] == []
