"""The core's grouping rules on their own (the contract suite runs them through each backend)."""

from __future__ import annotations

from factcheck.stories import claim_groups, connected_groups


def test_connected_groups_keep_member_order_and_ignore_outsiders() -> None:
    members = ["old", "mid", "new", "alone"]
    links = {"old": {"x"}, "mid": {"new"}, "new": {"mid", "gone"}, "alone": set()}
    assert connected_groups(members, links) == [["old"], ["mid", "new"], ["alone"]]
    links["old"] = {"new"}  # a link to the oldest pulls its group first
    assert connected_groups(members, links) == [["old", "mid", "new"], ["alone"]]


def test_claim_groups_are_components_ordered_by_smallest_sentence() -> None:
    edges = [(9, 4), (7, 8), (4, 2), (8, 12)]
    assert claim_groups(edges) == [[2, 4, 9], [7, 8, 12]]
    assert claim_groups([]) == []
