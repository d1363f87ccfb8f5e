"""Time zones: one clock time labelled GMT in one report and given with another GMT time in
brackets (so local) in the other is a date conflict (invented texts through the real parse)."""

from __future__ import annotations

from claim_sides import side

from factcheck.claim_anchored import anchored_conflicts
from factcheck.conflicts.zones import zone


def test_zones_are_read_after_the_time_or_its_range() -> None:
    text = "It flew between 9:05 am and 9:15 am GMT."
    assert zone(text, text.index("9:05 am") + 7) == ("gmt", None)
    assert zone(text, text.index("9:15 am") + 7) == ("gmt", None)
    local = "It flew between 9:05 a.m. (0005 GMT) and 9:15 a.m."
    assert zone(local, local.index("9:05 a.m.") + 9) == ("local", 5)
    assert zone(local, local.index("9:15 a.m.") + 9) is None


def test_a_clock_time_told_as_gmt_and_as_local_conflicts() -> None:
    gmt = side("Radar tracked the launch from Varno between 9:05 am and 9:15 am GMT.", "A")
    local = side(
        "Radar tracked the launch from Varno between 9:05 a.m. (0005 GMT) and 9:15 a.m.", "B"
    )
    found = [c for c in anchored_conflicts([gmt, local]) if "zone" in c.explanation]
    assert [c.type for c in found] == ["date"]
    same = side("Radar tracked the launch from Varno between 9:05 a.m. and 9:15 a.m. GMT.", "C")
    assert [c for c in anchored_conflicts([gmt, same]) if "zone" in c.explanation] == []
