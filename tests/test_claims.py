"""Claims: numbers in their frame, aligned across outlets whatever the rest of the sentence says;
anchored pairs for hedges and dates. Facts come from the real spaCy parse (invented texts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pytest

from factcheck.anchors import anchors, hedge_conflict
from factcheck.claim_conflicts import ClaimSide, anchored_conflicts, quantity_conflicts
from factcheck.claims import quantities, same_claim
from factcheck.facts import analyse, parse_dates, parse_numbers, results_and_times
from factcheck.ingest import from_text
from factcheck.types import Conflict


def side(text: str, source: str, published: str | None = None) -> ClaimSide:
    art = from_text(text, source=source, published=published)
    facts = analyse(art)
    vecs = np.eye(len(facts), 8, dtype=np.float32)  # claims never need the sentence vectors
    return ClaimSide(art, facts, vecs)


def numbers(found: Sequence[Conflict]) -> list[tuple[str, str, str]]:
    return sorted((c.type, c.a_spans[0].text, c.b_spans[0].text) for c in found)


def frames_of(text: str) -> dict[str, tuple[str, ...]]:
    facts = analyse(from_text(text, source="x"))
    return {f.text: f.frame for sf in facts for f in sf.facts if f.kind == "number"}


def test_a_number_frame_is_its_own_clause() -> None:
    frames = frames_of(
        "At least 912 people were killed and more than 5,000 injured when the quake hit, "
        "claiming the lives of 40 children."
    )
    assert set(frames["912 people"]) >= {"people", "kill"} and "injure" not in frames["912 people"]
    assert "injure" in frames["5,000"] and "kill" not in frames["5,000"]
    assert {"life", "claim"} <= set(frames["40 children"])


def test_results_and_times_are_values_of_their_own() -> None:
    text = "Argentina beat France 4-2 on penalties after a 3-3 draw; kick-off was at 6:30 p.m."
    got = {
        f.text: (f.unit, f.value)
        for f in results_and_times(text, parse_numbers(text), parse_dates(text))
    }
    assert got["4-2"] == ("score", 4.002) and got["3-3"] == ("score", 3.003)
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
    turkey = side("At least 900 people were killed in Turkey.", "A")
    syria = side("In Syria, 326 people were killed.", "B")
    assert quantity_conflicts([turkey, syria]) == []  # two places: two claims
    hurt = side("Officials said 5,385 people were injured.", "C")
    dead = side("Officials said 912 people were killed.", "D")
    assert quantity_conflicts([hurt, dead]) == []  # injured is not killed
    both = side("912 people were killed; earlier reports said 900 people were killed.", "E")
    assert quantity_conflicts([dead, both]) == []  # E also states D's figure
    rounded = side("Around 900 people were killed, officials said.", "F")
    assert quantity_conflicts([dead, rounded]) == []  # inside the rounding
    local = side("Three buildings near his home collapsed.", "G")
    wide = side("Some 2,818 buildings collapsed across the region.", "H")
    assert quantity_conflicts([local, wide]) == []  # 900 times apart: two scopes


def test_money_about_two_actors_is_two_claims() -> None:
    a = side("Shares of Pfizer rose 12.5% on Monday.", "A")
    b = side("Shares of BioNTech rose 18.2% on Monday.", "B")
    assert quantity_conflicts([a, b]) == []
    c = side("Pfizer shares were up about 15% on Monday.", "C")
    assert numbers(quantity_conflicts([a, c])) == [("number", "12.5%", "15%")]


def test_results_and_times_conflict_and_a_time_is_dated() -> None:
    a = side("Argentina beat France 4-2 in a penalty shootout.", "A")
    b = side("Argentina beat France 4-3 in a penalty shootout.", "B")
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
    a = side("It is believed that there were 149 passengers on the jet.", "A")
    b = side("The crash killed all 149 passengers and eight crew.", "B")
    [c] = [x for x in anchored_conflicts([a, b]) if x.type == "hedge"]
    assert c.a_spans[0].text.lower() == "it is believed" and c.b_spans[0].text == "149 passengers"
    assert "Hedged only in A" in c.explanation
    both = side("It is thought that 149 passengers were on board.", "C")
    assert [x for x in anchored_conflicts([a, both]) if x.type == "hedge"] == []


def test_names_anchor_a_hedge_only_when_two_stand_near_it() -> None:
    ta = "Prigozhin, the alleged head of the Wagner group, left Moscow."
    fa = analyse(from_text(ta, source="A"))
    tb = "Prigozhin, head of the Wagner group, left Moscow on Sunday."
    fb = analyse(from_text(tb, source="B"))
    found = anchors(fa[0], fb[0], quantities(0, fa), quantities(1, fb))
    assert {x.what for x in found} == {"name"} and len(found) >= 2


def test_a_time_anchors_the_day_it_happened() -> None:
    a = side("The ship struck the bridge around 1:30 a.m. Wednesday.", "A", "2024-03-27")
    b = side("The bridge collapsed at about 1:30 a.m. on Tuesday.", "B", "2024-03-27")
    dates = [c for c in anchored_conflicts([a, b]) if c.type == "date"]
    assert {s.text for c in dates for s in (*c.a_spans, *c.b_spans)} >= {"Wednesday", "Tuesday"}


@pytest.mark.parametrize(
    ("x", "y", "same"),
    [
        ("38,955 participants were enrolled", "the trial enrolled 43,538 participants", 1),
        ("people from 35 countries", "there were 33 different nationalities aboard", 1),
        ("six workers are missing", "two workers were rescued", 0),
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
    near = side("The plane crashed 60 km southeast of Addis Ababa.", "D")
    far = side("The plane came down some 31 miles south of Addis Ababa.", "E")
    assert numbers(quantity_conflicts([near, far])) == [("number", "60 km", "31 miles")]


def test_a_total_over_two_places_is_not_one_places_count() -> None:
    both = side("The quake killed more than 2,300 people in Turkey and Syria.", "A")
    one = side("In Turkey, the quake killed 912 people.", "B")
    assert quantity_conflicts([both, one]) == []
    city = side("The collapse in Baltimore, Maryland killed six people.", "C")
    same_city = side("The collapse in Baltimore killed eight people.", "D")
    found = numbers(quantity_conflicts([city, same_city]))
    assert found == [("number", "six people", "eight people")]


def test_counts_of_a_nationality_are_claims() -> None:
    a = side("Officials said 32 Kenyans, nine Ethiopians and eight Americans were aboard.", "A")
    b = side("The victims included 32 Kenyans and 17 Ethiopians.", "B")
    assert numbers(quantity_conflicts([a, b])) == [("number", "nine Ethiopians", "17 Ethiopians")]
