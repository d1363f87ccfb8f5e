"""Claims: numbers in their frame, aligned across outlets whatever the rest of the sentence says;
anchored pairs for hedges and dates. Facts come from the real spaCy parse (invented texts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest
from claim_sides import aligned, side

from factcheck.anchors import anchors, hedge_conflict
from factcheck.claim_anchored import anchored_conflicts
from factcheck.claim_conflicts import quantity_conflicts
from factcheck.claims import quantities, same_claim
from factcheck.facts import analyse, parse_dates, parse_numbers, results_and_times
from factcheck.ingest import from_text
from factcheck.types import Conflict


def numbers(found: Sequence[Conflict]) -> list[tuple[str, str, str]]:
    return sorted((c.type, c.a_spans[0].text, c.b_spans[0].text) for c in found)


def frames_of(text: str) -> dict[str, tuple[str, ...]]:
    facts = analyse(from_text(text, source="x"))
    return {f.text: f.frame for sf in facts for f in sf.facts if f.kind == "number"}


def test_a_number_frame_is_its_own_clause() -> None:
    frames = frames_of(
        "At least 415 people were killed and more than 2,000 injured when the storm hit, "
        "claiming the lives of 40 children."
    )
    assert set(frames["415 people"]) >= {"people", "kill"} and "injure" not in frames["415 people"]
    assert "injure" in frames["2,000"] and "kill" not in frames["2,000"]
    assert {"life", "claim"} <= set(frames["40 children"])


def test_results_and_times_are_values_of_their_own() -> None:
    text = "Norland beat Estria 5-2 on penalties after a 1-1 draw; kick-off was at 6:30 p.m."
    got = {
        f.text: (f.unit, f.value)
        for f in results_and_times(text, parse_numbers(text), parse_dates(text))
    }
    assert got["5-2"] == ("score", 5.002) and got["1-1"] == ("score", 1.001)
    assert got["6:30 p.m."] == ("time_of_day", 18 * 60 + 30)
    # names and age ranges are not results; the regex-only parser is unchanged
    assert "737-800" not in {
        f.text for f in results_and_times("a Boeing 737-800", parse_numbers("a Boeing 737-800"), [])
    }
    assert [f.text for f in parse_numbers("aged 18-24")] == ["18", "24"]


def test_one_claim_in_two_unlike_sentences_is_compared() -> None:
    a = side("Rescuers said at least 14 people were killed when the dam burst on Tuesday.", "A")
    b = side("The dam disaster is claiming the lives of 19 people, officials said.", "B")
    assert numbers(quantity_conflicts([a, b])) == [("number", "14 people", "19 people")]


def test_a_figure_that_moves_between_days_is_an_update_with_both_dates() -> None:
    a = side("At least 14 people were killed in the flood.", "A", "2031-05-06")
    b = side("The flood has now killed 19 people.", "B", "2031-05-07")
    [c] = quantity_conflicts([a, b])
    assert c.type == "update" and "2031-05-06" in c.explanation and "2031-05-07" in c.explanation
    assert c.explanation.index('"14 people"') < c.explanation.index('"19 people"')  # old first


def test_other_places_other_predicates_and_agreement_are_not_conflicts() -> None:
    north = side("At least 400 people were killed in Chile.", "A")
    south = side("In Peru, 216 people were killed.", "B")
    assert quantity_conflicts([north, south]) == []  # two places: two claims
    hurt = side("Officials said 2,160 people were injured.", "C")
    dead = side("Officials said 415 people were killed.", "D")
    assert quantity_conflicts([hurt, dead]) == []  # injured is not killed
    both = side("415 people were killed; earlier reports said 400 people were killed.", "E")
    assert quantity_conflicts([dead, both]) == []  # E also states D's figure
    rounded = side("Around 400 people were killed, officials said.", "F")
    assert quantity_conflicts([dead, rounded]) == []  # inside the rounding
    local = side("Three buildings near his home collapsed.", "G")
    wide = side("Some 1,240 buildings collapsed across the region.", "H")
    assert quantity_conflicts([local, wide]) == []  # 900 times apart: two scopes


def test_money_about_two_actors_is_two_claims() -> None:
    a = side("Shares of Borealis rose 12.5% on Monday.", "A")
    b = side("Shares of Quillmark rose 18.2% on Monday.", "B")
    assert quantity_conflicts([a, b]) == []
    c = side("Borealis shares were up about 15% on Monday.", "C")
    assert numbers(quantity_conflicts([a, c])) == [("number", "12.5%", "15%")]


def test_results_and_times_conflict_and_a_time_is_dated() -> None:
    a = side("Norland beat Estria 5-2 in the cup final shootout.", "A")
    b = side("Norland beat Estria 5-3 in the cup final shootout.", "B")
    [c] = quantity_conflicts([a, b])
    assert (c.type, c.severity) == ("number", "high")
    fire_a = side("The fire started at 6:50 p.m. on Monday, police said.", "C")
    fire_b = side("Police said the fire started at about 6:30 p.m. on Monday.", "D")
    [t] = quantity_conflicts([fire_a, fire_b])
    assert t.type == "date" and "Time" in t.explanation
    close = side("The fire started at around 6:45 p.m., police said.", "E")
    assert quantity_conflicts([fire_a, close]) == []  # within "about"


def test_for_a_new_article_only_its_own_pairs_are_compared() -> None:
    new = side("At least 14 people were killed in the flood.", "A")
    old1 = side("The flood killed 19 people.", "B")
    old2 = side("The flood killed 25 people.", "C")
    pairs = {
        (c.match.a_source, c.match.b_source)
        for c in quantity_conflicts([new, old1, old2], first_only=True)
    }
    assert pairs and all("A" in p for p in pairs)


def test_a_shared_quantity_anchors_a_hedge_in_an_otherwise_different_sentence() -> None:
    a = side("It is believed that 212 passengers were on the ferry.", "A")
    b = side("The sinking left all 212 passengers and nine crew missing.", "B")
    [c] = [x for x in anchored_conflicts([a, b]) if x.type == "hedge"]
    assert c.a_spans[0].text.lower() == "it is believed" and c.b_spans[0].text == "212 passengers"
    assert "Hedged only in A" in c.explanation
    both = side("It is thought that 212 passengers were on board.", "C")
    assert [x for x in anchored_conflicts([a, both]) if x.type == "hedge"] == []


def test_names_anchor_a_hedge_only_when_two_stand_near_it() -> None:
    ta = "Varga, the alleged head of the Kestrel group, left Norburg."
    fa = analyse(from_text(ta, source="A"))
    tb = "Varga, head of the Kestrel group, left Norburg on Sunday."
    fb = analyse(from_text(tb, source="B"))
    found = anchors(fa[0], fb[0], quantities(0, fa), quantities(1, fb))
    assert {x.what for x in found} == {"name"} and len(found) >= 2


def test_a_time_anchors_the_day_it_happened() -> None:
    a = side("The barge hit the pier around 2:40 a.m. Wednesday.", "A", "2031-06-11")
    b = side("The pier gave way at about 2:40 a.m. on Tuesday.", "B", "2031-06-11")
    dates = [c for c in anchored_conflicts([a, b]) if c.type == "date"]
    assert {s.text for c in dates for s in (*c.a_spans, *c.b_spans)} >= {"Wednesday", "Tuesday"}
    # a day in another clause dates another event: "will resume Wednesday" is not the pause
    c = side("Diving paused at 7:30 p.m. and will resume Wednesday morning, officials said.", "C")
    d = side("At 7:30 p.m. Tuesday, the search was suspended for the night.", "D")
    assert [x for x in anchored_conflicts([c, d]) if x.type == "date"] == []


@pytest.mark.parametrize(
    ("x", "y", "same"),
    [
        ("38,955 participants were enrolled", "the trial enrolled 43,538 participants", 1),
        ("guests from 21 countries", "there were 19 different nationalities at the summit", 1),
        ("six workers are missing", "two workers were rescued", 0),
        ("the striker scored three goals in the final", "she won the award with eight goals", 0),
    ],
)
def test_same_claim_by_counted_noun_and_predicate(x: str, y: str, same: int) -> None:
    qx = quantities(0, analyse(from_text(x + ".", source="A")))
    qy = quantities(1, analyse(from_text(y + ".", source="B")))
    assert any(same_claim(a, b) for a in qx for b in qy) is bool(same)


def test_hedge_conflict_needs_exactly_one_hedged_side() -> None:
    assert hedge_conflict.__doc__ and "stated as known" in hedge_conflict.__doc__
    a = side("The jet was reportedly carrying 157 people.", "A", str(dt.date(2019, 3, 10)))
    b = side("The jet was carrying 157 people.", "B")
    [c] = [x for x in anchored_conflicts([a, b]) if x.type == "hedge"]
    assert c.a_spans[0].text == "reportedly"
    assert [x for x in anchored_conflicts([a, a]) if x.type == "hedge"] == []  # same source


def test_orders_of_magnitude_and_distances_are_claims_too() -> None:
    few = side("Dozens of supporters had gathered at the airport.", "A")
    many = side("Thousands of supporters had gathered at the airport.", "B")
    assert numbers(quantity_conflicts([few, many])) == [("number", "Dozens", "Thousands")]
    exact = side("Officials said 11,119 supporters had gathered at the airport.", "C")
    assert quantity_conflicts([many, exact]) == []  # "thousands" holds 11,119
    near = side("The balloon landed 40 km northeast of Norburg.", "D")
    far = side("The balloon came down some 19 miles north of Norburg.", "E")
    assert numbers(quantity_conflicts([near, far])) == [("number", "40 km", "19 miles")]


def test_a_total_over_two_places_is_not_one_places_count() -> None:
    both = side("The storm killed more than 1,100 people in Chile and Peru.", "A")
    one = side("In Chile, the storm killed 415 people.", "B")
    assert quantity_conflicts([both, one]) == []
    city = side("The collapse in Baltimore, Maryland killed six people.", "C")
    same_city = side("The collapse in Baltimore killed eight people.", "D")
    found = numbers(quantity_conflicts([city, same_city]))
    assert found == [("number", "six people", "eight people")]


def test_counts_of_a_nationality_are_claims() -> None:
    a = side("Officials said 14 Canadians, nine Peruvians and six Americans were aboard.", "A")
    b = side("The victims included 14 Canadians and 12 Peruvians.", "B")
    assert numbers(quantity_conflicts([a, b])) == [("number", "nine Peruvians", "12 Peruvians")]


def test_one_figure_under_another_certainty_is_a_hedge() -> None:
    a = side("The maker is hoping to produce 30 million doses this year.", "A")
    b = side("The maker expects to produce 30 million doses this year.", "B")
    [c] = [x for x in anchored_conflicts([a, b]) if x.type == "hedge"]
    assert [s.text for s in c.a_spans] == ["hoping to"] and [s.text for s in c.b_spans] == [
        "expects to"
    ]
    same = side("The maker hopes to produce 30 million doses this year.", "C")
    assert [x for x in anchored_conflicts([a, same]) if x.type == "hedge"] == []


def test_a_second_event_and_a_replaced_value_are_not_the_first_events_value() -> None:
    main = side("A 6.9 magnitude earthquake hit the coast of Ostria on Monday.", "A")
    later = side(
        "The 6.9 magnitude quake struck at dawn. It was followed by another powerful tremor "
        "with a magnitude of 6.1 in the same region.",
        "B",
    )
    assert quantity_conflicts([main, later]) == []  # 6.1 is the second tremor's
    revised = side("The agency updated the quake's magnitude from 6.4 to 6.9 on Monday.", "C")
    assert quantity_conflicts([main, revised]) == []  # 6.4 is the figure it replaced
    other = side("The 6.6 magnitude quake struck the coast of Ostria at dawn.", "D")
    assert numbers(quantity_conflicts([main, other])) == [
        ("number", "6.9 magnitude", "6.6 magnitude quake")
    ]  # "6.6 magnitude quake" counts a magnitude, not quakes


def test_a_further_count_and_a_cut_off_noun_stay_one_claim() -> None:
    a = side("The flood killed 48 people and left at least another 310 injured.", "A")
    b = side("Officials said 220 people were injured in the flood.", "B")
    assert numbers(quantity_conflicts([a, b])) == [("number", "310", "220 people")]
    whole = side("Officials said 300 firefighters were battling the blaze.", "C")
    cut = side(
        "The blaze spread overnight, officials said.\n\nA firefighter was hurt. Some 450 firefight",
        "D",
    )  # the stored page ends mid-word
    assert numbers(quantity_conflicts([whole, cut])) == [("number", "300 firefighters", "450")]


def test_people_under_the_concept_a_counted_noun_names_count_that_noun() -> None:
    a = side("The trial included 21,400 participants.", "A")
    b = side("The trial has enrolled nearly 30,000 people so far.", "B")
    assert numbers(quantity_conflicts([a, b])) == [
        ("number", "21,400 participants", "30,000 people")
    ]


def test_a_relative_clause_dates_the_noun_it_describes() -> None:
    frames = frames_of("Crews fought the fire, which began at 5.40pm local time.")
    assert "fire" in frames["5.40pm"]


def test_a_hedge_over_the_same_clause_of_two_aligned_sentences_is_found_without_an_anchor() -> None:

    a = side("The ferry was reportedly a new vessel built in Kessel last spring.", "A")
    b = side("The vessel, which was new, had been built in Kessel last spring.", "B")
    [c] = [x for x in anchored_conflicts([a, b], [aligned(a, b, 0.72)]) if x.type == "hedge"]
    assert c.a_spans[0].text == "reportedly" and "Kessel" in c.b_spans[0].text
    assert anchored_conflicts([a, b], [aligned(a, b, 0.45)]) == []  # not aligned strongly
    other = side("Officials said the ferry was carrying freight to Norburg.", "C")
    assert anchored_conflicts([a, other], [aligned(a, other, 0.72)]) == []  # another clause
    both = side("The vessel was apparently new and had been built in Kessel last spring.", "D")
    assert anchored_conflicts([a, both], [aligned(a, both, 0.72)]) == []  # both hedged


def test_suggests_and_treating_as_are_hedges() -> None:
    from factcheck.anchors import HEDGES

    assert HEDGES.search("early data suggests the drug works")
    assert HEDGES.search("police are treating the cause of the fire as an accident")
    assert not HEDGES.search("police said the fire was an accident")
    assert HEDGES.search("six workers missing and presumed dead")
    assert HEDGES.search("the crew, believed to be from Ostria, left")


def test_a_place_past_a_new_clause_is_where_something_else_happened() -> None:
    a = side(
        "The governor said 1,210 homes were destroyed in the storm, the worst since 1987, when "
        "a cyclone struck the city of Port Arlen in Vesmark.",
        "A",
    )
    b = side("The storm destroyed some 1,730 homes in Ostria, officials said.", "B")
    assert numbers(quantity_conflicts([a, b])) == [("number", "1,210 homes", "1,730 homes")]


def test_a_rank_softened_to_one_of_a_group_is_a_hedge() -> None:
    firm = side("Top regional rail operator Norline halted all trains after a cyber attack.", "A")
    soft = side("Norline, one of the largest rail operators in the region, halted all trains.", "B")
    found = anchored_conflicts([firm, soft], [aligned(firm, soft, 0.75)])
    [c] = [x for x in found if x.type == "hedge"]
    assert c.a_spans[0].text == "Top" and c.b_spans[0].text == "one of the largest"
    also = side("Norline, one of the largest rail operators, halted its trains on Friday.", "C")
    assert anchored_conflicts([soft, also], [aligned(soft, also, 0.75)]) == []  # both soften it
    city = side("Norline halted all trains in the largest city of the region.", "D")
    # another thing ranked
    assert anchored_conflicts([soft, city], [aligned(soft, city, 0.75)]) == []


def test_a_deal_agreed_in_one_report_and_done_in_the_other_is_a_hedge() -> None:

    done = side("Norline has purchased the ferry operator for $2 billion in cash.", "A")
    agreed = side("Norline agreed to buy the ferry operator for $2 billion on Monday.", "B")
    [c] = [x for x in anchored_conflicts([done, agreed], [aligned(done, agreed)])]
    assert c.type == "hedge" and c.a_spans[0].text == "has purchased"
    assert c.b_spans[0].text == "agreed to buy"
    pending = side("Norline is buying the ferry operator for $2 billion, it said.", "C")
    assert anchored_conflicts([agreed, pending], [aligned(agreed, pending)]) == []  # both pending


def test_a_toll_with_no_place_is_the_place_the_story_just_named() -> None:
    a = side(
        "A strong cyclone hit Chile on Friday, killing over 300 people. "
        "Officials said the storm had killed 312 people in the coastal towns. "
        "Neighbouring Peru reported 40 people killed.",
        "A",
    )
    b = side("At least 520 people were killed in Chile. In Peru, 61 people were killed.", "B")
    # 312 is Chile's toll (the story named Chile, then went on): held against Chile's
    # 520, not Peru's 61; and "over 300" is A's rounding of its own 312, not a second claim
    assert numbers(quantity_conflicts([a, b])) == [
        ("number", "312 people", "520 people"),
        ("number", "40 people", "61 people"),
    ]


def test_a_headline_toll_takes_the_place_of_its_lede() -> None:
    a = side("At least 312 killed in cyclone. The cyclone struck Chile on Friday.", "A")
    b = side("The cyclone killed 900 people across Chile and Peru.", "B")
    assert quantity_conflicts([a, b]) == []  # a Chile toll is part of a two-country total


def test_a_magnitude_over_two_places_is_still_the_one_quakes_magnitude() -> None:
    main = side("A magnitude-6.4 earthquake struck Chile and neighbouring Peru on Friday.", "A")
    other = side("The 6.1 magnitude quake struck Chile at dawn, officials said.", "B")
    assert parse_numbers("a magnitude-6.4 earthquake")[0].unit == "magnitude"
    assert numbers(quantity_conflicts([main, other])) == [
        ("number", "magnitude-6.4", "6.1 magnitude quake")
    ]


def test_crowds_of_another_order_of_magnitude_gathered_for_one_purpose() -> None:
    a = side("Thousands had gathered at the airport in Lima to greet the returning minister.", "A")
    b = side("Hundreds of her supporters had come to the airport in Lima to welcome her.", "B")
    assert numbers(quantity_conflicts([a, b])) == [("number", "Thousands", "Hundreds")]


def test_an_order_of_magnitude_is_not_agreement_with_an_exact_figure() -> None:
    a = side("It included 38,100 participants.", "A")
    b = side(
        "The trial enrolled 43,900 participants. Data from thousands of participants will follow.",
        "B",
    )
    assert numbers(quantity_conflicts([a, b])) == [
        ("number", "38,100 participants", "43,900 participants")
    ]


def test_a_breakdown_by_country_counts_that_countrys_people() -> None:
    a = side(
        "The airline said Chile had the most victims with 21, followed by Mexico with 11, "
        "Canada with six, then Italy with five.",
        "A",
    )
    b = side("The victims included 21 Chileans and nine Canadians, the airline said.", "B")
    assert numbers(quantity_conflicts([a, b])) == [("number", "six", "nine Canadians")]
    c = side("Canada with 14 passengers and Chile with 8 crew were listed.", "C")
    assert all(q.unit in ("passenger", "crew") for q in quantities(0, c.facts))


def test_a_figure_with_its_conversion_is_no_round_figure_and_agrees_in_either_unit() -> None:
    near = side("The column marched to within 150 miles of Lima on Friday.", "A")
    exact = side("The rebels were reaching within 125 miles (200 km) of Lima.", "B")
    assert numbers(quantity_conflicts([near, exact])) == [("number", "150 miles", "125 miles")]
    other = side("The rebels were just 200km (120 miles) from Lima, he said.", "C")
    assert quantity_conflicts([exact, other]) == []  # 125 and 120 miles: two conversions of 200 km
    two = side("They drove 200 km (124 miles) on Friday and 50 km (31 miles) on Saturday.", "D")
    keys = [q.conversion for q in quantities(0, two.facts)]
    assert keys[0] == keys[1] != keys[2] == keys[3] and None not in keys


def test_a_distance_gone_and_the_same_figure_as_a_distance_left_are_two_facts() -> None:
    gone = side("He said his fighters had advanced 200 kilometers (124 miles) towards Lima.", "A")
    left = side("In a day, we got to within 200 km of Lima, he said.", "B")
    [c] = quantity_conflicts([gone, left])
    assert c.type == "other" and "distance gone in A" in c.explanation
    assert (c.a_spans[0].text, c.b_spans[0].text) == ("200 kilometers", "200 km")


def test_word_numbers_of_a_measure_are_in_base_units_and_nautical_miles_are_not_miles() -> None:
    [land] = parse_numbers("landed about six miles off the coast")
    [sea] = parse_numbers("about six nautical miles off the coast")
    assert (land.unit, round(float(land.value))) == ("m", 9656)
    assert (sea.unit, round(float(sea.value))) == ("m", 11112)
    a = side("The drone landed about six miles off the coast of Chile.", "A")
    b = side("The drone was shot down about six nautical miles off the coast of Chile.", "B")
    assert numbers(quantity_conflicts([a, b])) == [("number", "six miles", "six nautical miles")]


def test_spans_of_time_compare_across_seconds_and_minutes() -> None:
    [one] = parse_numbers("and less than a minute later")
    assert (one.text, one.value, one.unit, one.bound) == ("a minute", 1.0, "minute", "<")
    assert parse_numbers("a minute of silence") == []
    quick = side("Ortiz equalised less than a minute later with a low drive.", "A")
    slow = side("Ortiz equalised just 90 seconds later with a low drive.", "B")
    assert numbers(quantity_conflicts([quick, slow])) == [("number", "a minute", "90 seconds")]
    same = side("Ortiz equalised about a minute later with a low drive.", "C")
    assert quantity_conflicts([slow, same]) == []  # "about" is no bound, and not a figure


def test_a_planned_or_hypothetical_figure_is_no_report_of_what_was() -> None:
    plan = side("The study will continue until 170 cases have occurred.", "A")
    done = side("The result was based on 95 confirmed cases among volunteers.", "B")
    assert quantity_conflicts([plan, done]) == []
    cap = side(
        "A board seat would have stopped him from buying more than 14.9% of the shares.", "C"
    )
    held = side("He began building a stake of about 9% of the shares in January.", "D")
    assert quantity_conflicts([cap, held]) == []
    other_plan = side("The study will run until 150 cases have occurred.", "E")
    assert numbers(quantity_conflicts([plan, other_plan])) == [("number", "170 cases", "150 cases")]


def test_a_plain_future_figure_is_still_news_to_compare() -> None:
    a = side("The carmaker will cut 10,400 jobs next year, it said.", "A")
    b = side("The carmaker said it plans to cut 12,300 jobs.", "B")
    assert numbers(quantity_conflicts([a, b])) == [("number", "10,400 jobs", "12,300 jobs")]
    c = side("The carmaker’s chief said the plan would’ve cut 15,100 jobs.", "C")
    assert quantity_conflicts([b, c]) == []  # what would have been
