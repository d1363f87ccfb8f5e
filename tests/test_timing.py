"""Relative timing: an event told as during another in one report and as before or after it in
another is a date conflict (invented texts; the rule reads the sentence text only)."""

from __future__ import annotations

from factcheck.conflicts.aligned import aligned_conflicts
from factcheck.conflicts.timing import timing_conflict, timings
from factcheck.types import Match, Sentence


def match(ta: str, tb: str) -> Match:
    a = Sentence("A", 0, 0, len(ta), ta)
    b = Sentence("B", 0, 0, len(tb), tb)
    return Match(a, b, "Herald", "Wire", 0.7, "same_claim")


def test_markers_need_a_named_reference_event() -> None:
    assert set(timings("Shortly before the forum opened, the rebels shelled the port.")) == {
        "before"
    }
    assert set(timings("The rebels shelled the port as the envoys were meeting.")) == {"during"}
    assert set(timings("Minutes after the vote, the rebels shelled the port.")) == {"after"}
    # "hours earlier" counts from whatever the previous sentence told: no reference here
    assert timings("Hours earlier, the rebels shelled the port.") == {}
    assert timings("The rebels shelled the port before dawn.") == {}


def test_during_against_before_is_a_date_conflict() -> None:
    m = match(
        "The rebels shelled the port as the envoys were holding peace talks.",
        "Shortly before the talks began, the rebels shelled the port.",
    )
    c = timing_conflict(m)
    assert c is not None and c.type == "date"
    assert c.a_spans[0].text.startswith("as the envoys")
    assert [s.text for s in c.b_spans] == ["Shortly before the talks"]
    assert any(x.type == "date" for x in aligned_conflicts(m))


def test_same_timing_or_an_unanchored_earlier_is_no_conflict() -> None:
    same = match(
        "Shortly before the talks began, the rebels shelled the port.",
        "The rebels shelled the port just before the talks.",
    )
    assert timing_conflict(same) is None
    loose = match(
        "The rebels shelled the port as the envoys were holding peace talks.",
        "Hours earlier, the rebels shelled the port.",
    )
    assert timing_conflict(loose) is None
    order = match(
        "Shortly before the talks began, the rebels shelled the port.",
        "Minutes after the shelling, the talks began.",
    )
    assert timing_conflict(order) is None


def test_a_clock_time_is_no_reference_event() -> None:
    assert timings("Shortly before noon, the rebels shelled the port.") == {}
    assert timings("Days before Christmas, the rebels shelled the port.") == {}
