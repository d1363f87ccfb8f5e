"""Compass regions and stages: one event put in two parts of one country (entity), one thing
told at two stages (other). Invented texts; the rules read the sentence text only."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from factcheck.claim_anchored import anchored_conflicts
from factcheck.claim_conflicts import ClaimSide
from factcheck.conflicts.locality import placement_conflict
from factcheck.conflicts.region import region_conflict, regions
from factcheck.conflicts.stage import stage_conflict, stage_conflicts
from factcheck.facts import analyse
from factcheck.ingest import from_text
from factcheck.types import Match, Relation, Sentence


def match(ta: str, tb: str, relation: Relation = "same_claim") -> Match:
    a = Sentence("A", 0, 0, len(ta), ta)
    b = Sentence("B", 0, 0, len(tb), tb)
    return Match(a, b, "Herald", "Wire", 0.7, relation)


def test_compass_words_of_a_region_are_read_and_names_are_not() -> None:
    found = regions("The storm hit Ostria's south-eastern province and central Velmar.")
    assert [(sorted(r.points), r.place) for r in found] == [
        (["e", "s"], "Ostria"),
        (["c"], "Velmar"),
    ]
    assert regions("The storm reached North Velmar and South Ostria's coast.") == []


def test_two_parts_of_one_country_conflict() -> None:
    m = match(
        "The quake that hit the country's central region killed 40 people.",
        "At least 40 people died when the quake struck southern Ostria.",
    )
    c = region_conflict(m)
    assert c is not None and c.type == "entity"
    assert [s.text for s in c.a_spans] == ["central region"]
    assert [s.text for s in c.b_spans] == ["southern Ostria"]


def test_neighbouring_points_other_places_and_past_events_do_not_conflict() -> None:
    quake = "The quake struck southern Ostria overnight."
    assert region_conflict(match(quake, "It hit Ostria's southeastern province.")) is None
    assert region_conflict(match(quake, "It was felt in northern Velmar.")) is None
    past = "It was the worst since 1939, when a quake hit the eastern province of Dunmar."
    assert region_conflict(match(quake, past)) is None
    said = "The worst since 1939, the minister said, referring to a quake in eastern provinces."
    assert region_conflict(match(quake, said)) is not None


def test_aligned_pairs_are_checked_for_regions() -> None:
    texts = (
        "The quake that hit the country's central region killed 40 people.",
        "At least 40 people died when the quake struck southern Ostria.",
    )
    sides = []
    for n, t in enumerate(texts):
        art = from_text(t, source=f"S{n}")
        sides.append(ClaimSide(art, (), np.zeros((0, 8), dtype=np.float32)))
    sa = Sentence(sides[0].article.id, 0, 0, len(texts[0]), texts[0])
    sb = Sentence(sides[1].article.id, 0, 0, len(texts[1]), texts[1])
    m = Match(sa, sb, "S0", "S1", 0.72, "same_claim")
    found = [c for c in anchored_conflicts(sides, [m]) if c.type == "entity"]
    assert [c.b_spans[0].text for c in found] == ["southern Ostria"]
    related = Match(sa, sb, "S0", "S1", 0.6, "related")
    assert [c for c in anchored_conflicts(sides, [related]) if c.type == "entity"] == []


def test_opposite_stages_of_one_thing_conflict() -> None:
    m = match(
        "The final analysis counted 52 cases among the volunteers.",
        "The results rest on an interim analysis run after 52 volunteers fell ill.",
    )
    c = stage_conflict(m)
    assert c is not None and c.type == "other"
    assert [s.text for s in c.a_spans] == ["final analysis"]
    assert [s.text for s in c.b_spans] == ["interim analysis"]


def test_stages_of_other_things_or_both_stages_told_do_not_conflict() -> None:
    final = "The final analysis counted 52 cases."
    assert stage_conflict(match(final, "Interim staff counted 52 cases.")) is None
    # what a study produced is one thing however it is called: analysis, results, data
    assert stage_conflict(match(final, "Interim results counted 52 cases.")) is not None
    # a stage to come is no report of the stage of what was counted
    assert stage_conflict(match(final, "The trial will run to an interim analysis.")) is None
    assert stage_conflict(match(final, "A preliminary analysis counted 52 cases.")) is not None
    both = "It was an interim analysis, not the final analysis, that counted 52 cases."
    assert stage_conflict(match(final, both)) is None
    assert stage_conflict(match(final, "The complete analysis counted 52 cases.")) is None


def pairer(sa: list[str], sb: list[str]) -> Callable[[int, int], Match]:
    def pair(i: int, j: int) -> Match:
        a = Sentence("A", i, 0, len(sa[i]), sa[i])
        b = Sentence("B", j, 0, len(sb[j]), sb[j])
        return Match(a, b, "S0", "S1", 0.3, "same_fact")

    return pair


def test_stages_are_compared_in_any_two_sentences() -> None:
    sa = ["The final analysis counted 52 cases.", "Crews left."]
    sb = ["Shares rose.", "The firm announced interim efficacy results on Monday."]
    found = stage_conflicts(sa, sb, pairer(sa, sb))
    assert [c.b_spans[0].text for c in found] == ["interim efficacy results"]
    camps = ["Families moved into temporary shelters."]
    homes = ["The town built permanent shelters."]
    assert stage_conflicts(camps, homes, pairer(camps, homes)) == []
    later = ["The trial will continue to a final analysis."]
    assert stage_conflicts(later, sb, pairer(later, sb)) == []


def test_two_small_places_near_one_landmark_conflict_across_unaligned_sentences() -> None:
    def plain(text: str, source: str) -> ClaimSide:
        art = from_text(text, source=source)
        return ClaimSide(art, analyse(art), np.zeros((0, 8), dtype=np.float32))

    a = plain("Bound for Velmar, the jet came down near the village of Arno outside Bellport.", "A")
    b = plain(
        "The jet crashed minutes after take-off, ploughing into a field at Castel near Bellport.",
        "B",
    )
    [c] = [x for x in anchored_conflicts([a, b]) if x.type == "entity"]
    assert {c.a_spans[0].text, c.b_spans[0].text} == {
        "Arno outside Bellport",
        "Castel near Bellport",
    }
    same = plain("It came down at Arno near Bellport, residents said.", "C")
    assert [x for x in anchored_conflicts([a, same]) if x.type == "entity"] == []
    named = plain("It hit a field at Castel near Bellport, close to Arno.", "D")
    assert [x for x in anchored_conflicts([a, named]) if x.type == "entity"] == []


def test_a_place_put_outside_a_city_in_one_report_and_inside_it_in_the_other() -> None:
    outside = "Radar tracked the launch from Varno, just north of Lisbon, at dawn."
    inside = "Radar tracked the launch from an area around Varno in Lisbon at dawn."
    c = placement_conflict(match(outside, inside))
    assert c is not None and c.type == "entity"
    assert [s.text for s in c.a_spans] == ["Varno, just north of Lisbon"]
    assert [s.text for s in c.b_spans] == ["Varno in Lisbon"]
    assert placement_conflict(match(inside, "It came from Varno in Lisbon.")) is None
    assert placement_conflict(match(outside, "It came from Oporto in Lisbon.")) is None


def claim_side(text: str, source: str) -> ClaimSide:
    art = from_text(text, source=source)
    facts = analyse(art)
    return ClaimSide(art, facts, np.zeros((len(facts), 8), dtype=np.float32))


def test_regions_that_never_agree_conflict_across_unaligned_sentences() -> None:
    central = claim_side(
        "Officials said the quake that hit the country's central region killed 40.", "A"
    )
    southeast = claim_side(
        "Rescuers worked through the night. The quake, which was centred on Ostria's "
        "southeastern province of Varn, was felt as far away as Belmont.",
        "B",
    )
    [c] = [x for x in anchored_conflicts([central, southeast]) if x.type == "entity"]
    assert {c.a_spans[0].text, c.b_spans[0].text} == {"central region", "southeastern province"}
    both = claim_side(
        "The quake struck central Ostria at dawn. The quake, which was centred on Ostria's "
        "southeastern province of Varn, was felt as far away as Belmont.",
        "C",
    )
    assert [x for x in anchored_conflicts([central, both]) if x.type == "entity"] == []
