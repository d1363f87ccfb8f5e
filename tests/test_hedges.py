"""Hedges around shared names and over aligned clauses (:mod:`factcheck.anchors`). Facts come
from the real spaCy parse of invented texts."""

from __future__ import annotations

from claim_sides import aligned, side

from factcheck.claim_anchored import anchored_conflicts
from factcheck.claim_conflicts import ClaimSide
from factcheck.types import Conflict, Match


def hedges(a: ClaimSide, b: ClaimSide) -> list[Conflict]:
    return [x for x in anchored_conflicts([a, b]) if x.type == "hedge"]


def test_a_hedged_clause_between_two_shared_names_is_found_though_worded_otherwise() -> None:
    judged = side(
        "Tomas Varga was judged to have tripped Peter Holm in the box - although the contact "
        "looked slight.",
        "A",
    )
    plain = side("Tomas Varga had fouled Peter Holm in the box.", "B")
    [c] = hedges(judged, plain)
    assert c.a_spans[0].text == "was judged" and "Holm" in c.b_spans[0].text


def test_a_bare_presumed_names_a_state_and_is_not_a_clause_hedge() -> None:
    presumed = side("Tomas Varga and Peter Holm, presumed dead, were on the boat.", "A")
    missing = side("Tomas Varga and Peter Holm were missing from the boat.", "B")
    assert hedges(presumed, missing) == []


def test_a_surname_and_a_shortened_group_name_anchor_the_full_names() -> None:
    from factcheck.anchors import _same_name

    assert _same_name("tomas varga", "varga") and _same_name("kestrel group", "kestrel")
    assert not _same_name("north ostria", "south ostria") and not _same_name("ostria", "ost")
    alleged = side(
        "Varga, the alleged head of the Kestrel group, said on Saturday that his men had "
        "taken two airfields.",
        "A",
    )
    plain = side(
        "Tomas Varga, head of the Kestrel mercenary group, will move to Ostria under a deal.",
        "B",
    )
    [c] = hedges(alleged, plain)
    assert c.a_spans[0].text == "alleged"


def test_a_hedge_on_a_shared_name_qualifies_the_word_after_the_name() -> None:
    hedged = side(
        "The core of the deal appeared to be the Kremlin dropping plans to disband the Kestrel "
        "group.",
        "A",
    )
    other = side("There is talk of new leaders in the Kremlin and at the Kestrel group.", "B")
    assert hedges(hedged, other) == []




def test_a_hedged_predicate_ends_at_a_comma_and_counts_its_model_number() -> None:
    hedged = side(
        "The ferry was reportedly a new K-220 vessel, the same class that sank in May.", "A"
    )
    plain = side("It was not clear why the K-220 vessel, which was new, had listed.", "B")
    [c] = [x for x in anchored_conflicts([hedged, plain], [aligned(hedged, plain)])]
    assert c.type == "hedge" and c.a_spans[0].text == "reportedly"
    opens = side(
        "It is believed that the night crew of the K-220 vessel, all from Ostria, were asleep "
        "when the fire began on deck.",
        "C",
    )
    other = side("The night crew of the K-220 vessel, all from Ostria, had left port.", "D")
    assert anchored_conflicts([opens, other], [aligned(opens, other)]) == []  # not the subject


def test_a_figure_the_other_outlet_only_quotes_is_not_stated_as_fact() -> None:
    hedged = side("Early trial data suggests the drug is 80 percent effective.", "A")
    stated = side("The drug was 80 percent effective in the trial, the maker said.", "B")
    [c] = hedges(hedged, stated)
    assert c.a_spans[0].text == "suggests"
    quoted = side('The minister wrote: "Great trial. Drug 80 percent effective. Good news."', "C")
    assert hedges(hedged, quoted) == []


def test_percent_is_one_word_and_what_studies_show_is_not_stated_as_fact() -> None:
    from factcheck.hedges_aligned import _stems

    assert _stems("90 per cent effective") == _stems("90% effective") == {"perce", "effec"}
    hedged = side("Early data suggests the drug works well in older patients.", "A")
    plain = side("The drug works well in older patients, its maker said on Monday.", "B")
    [c] = [x for x in anchored_conflicts([hedged, plain], [aligned(hedged, plain)])]
    assert c.a_spans[0].text == "suggests"
    shown = side("Studies show the drug works well in older patients.", "C")
    assert anchored_conflicts([hedged, shown], [aligned(hedged, shown)]) == []


def test_one_action_offered_in_one_report_and_promised_in_the_other_is_a_hedge() -> None:
    offer = side("The premier said Ostria stands ready to help Vesmark build new ports.", "A")
    promise = side("The premier said Ostria would help Vesmark build new ports.", "B")
    [c] = [x for x in anchored_conflicts([offer, promise], [aligned(offer, promise)])]
    assert c.type == "hedge" and c.a_spans[0].text == "stands ready to help"
    assert c.b_spans[0].text == "would help"
    asked = side("Asked whether Ostria would help Vesmark build new ports, he said yes.", "C")
    assert anchored_conflicts([offer, asked], [aligned(offer, asked)]) == []  # a question
    other = side("The premier said Ostria will train Vesmark's port crews.", "D")
    assert anchored_conflicts([offer, other], [aligned(offer, other)]) == []  # another action


def test_a_qualifier_that_only_dates_two_denials_is_not_a_hedge() -> None:
    from factcheck.conflicts import detect
    from factcheck.types import Cue, Sentence, SentenceFacts

    def pair(ta: str, tb: str, ca: tuple[Cue, ...], cb: tuple[Cue, ...]) -> list[Conflict]:
        a, b = Sentence("A", 0, 0, len(ta), ta), Sentence("B", 0, 0, len(tb), tb)
        lem = ("no", "injury", "be", "report")
        m = Match(a, b, "Herald", "Wire", 0.9, "same_claim")
        return detect(SentenceFacts(a, (), ca, lem), SentenceFacts(b, (), cb, lem), m)

    no = Cue("negation", "No", 0, 2, "injury")
    ta, tb = "No injuries have been reported.", "No injuries were initially reported."
    initially = Cue("hedge", "initially", 20, 29, "report")
    assert pair(ta, tb, (no,), (no, initially)) == []
    ta, tb = "Injuries were reported.", "Injuries were initially reported."
    initially = Cue("hedge", "initially", 14, 23, "report")
    [c] = pair(ta, tb, (), (initially,))
    assert c.type == "hedge" and "initially" in c.explanation


def test_a_name_anchored_hedge_needs_a_plain_side_that_hedges_nowhere() -> None:
    alleged = side("Tomas Varga, the alleged head of the Kestrel group, left Norburg.", "A")
    plain = side("Tomas Varga, head of the Kestrel group, left Norburg on Sunday.", "B")
    [c] = hedges(alleged, plain)
    assert c.a_spans[0].text == "alleged"
    guessing = side(
        "Tomas Varga, head of the Kestrel group, might have to leave Norburg, reports say.", "C"
    )
    assert hedges(alleged, guessing) == []


def test_a_company_taken_private_in_one_report_and_going_private_in_the_other() -> None:
    done = side("The deal took the Ostria-based carrier private, paying $12 a share.", "A")
    pending = side("Once the deal closes, Norline will become a private company.", "B")
    [c] = anchored_conflicts([done, pending])
    assert c.type == "hedge" and "stage of the deal" in c.explanation
    assert c.a_spans[0].text == "took the Ostria-based carrier private"
    also = side("Norline agreed to buy the carrier and take it private next year.", "C")
    assert anchored_conflicts([pending, also]) == []  # both pending
    plain = side("Norline is a private company based in Ostria.", "D")
    assert anchored_conflicts([done, plain]) == []  # no stage of a deal


def test_a_clause_opened_by_a_hedge_is_judged_on_what_it_says_of_its_subject() -> None:
    hedged = side(
        "It is believed that the two missing divers, both navy reservists, were inspecting the "
        "hull near the pier at dawn.",
        "A",
    )
    plain = side("The diving team was inspecting the hull near the pier at dawn.", "B")
    [c] = [x for x in anchored_conflicts([hedged, plain], [aligned(hedged, plain)])]
    assert c.a_spans[0].text == "It is believed"


def test_the_thing_a_hedge_names_pins_the_one_plain_sentence_that_states_it() -> None:
    treated = side("Police are treating the blaze as an accident, a spokesman said.", "A")
    plain = side("Officials say the blaze started accidentally near the roof.", "B")
    [c] = hedges(treated, plain)
    assert c.a_spans[0].text == "treating the blaze as" and c.b_spans[0].text == "accidentally"
    hedged_too = side("The blaze was reportedly an accident, officials say.", "C")
    assert hedges(treated, hedged_too) == []
    appeared = side("The roof of the hall appeared to have collapsed.", "D")
    fell = side("The roof of the hall collapsed overnight.", "E")
    assert hedges(appeared, fell) == []  # a clause hedge pins no thing


def test_a_rank_softened_in_an_unaligned_sentence_is_not_paired_by_the_rank_alone() -> None:
    # "the world's largest chipmaker" (one company) and "one of the world's largest chip
    # providers" (another) rank different things: a rank with no other anchor pairs nothing
    firm = side("Top regional rail operator Norline halted all trains on Friday.", "A")
    soft = side(
        "An operator of one of the largest rail networks in the region stopped service.", "B"
    )
    assert hedges(firm, soft) == []


def test_a_legal_alleged_pins_no_thing_in_another_outlet() -> None:
    # crime reports say "the alleged shooter" on every mention: not a hedge on the shooting
    alleged = side("A witness was threatened by the alleged shooter's brother.", "A")
    plain = side("The shooting near the school stemmed from a feud.", "B")
    assert hedges(alleged, plain) == []


def test_a_lead_title_is_stated_as_fact_by_another_title_or_a_possessive_group() -> None:
    alleged = side("Varga, the alleged head of the Kestrel group, said his men won.", "A")
    chief = side("Kestrel chief Tomas Varga ordered his men to halt their march.", "B")
    [c] = hedges(alleged, chief)
    assert c.a_spans[0].text == "alleged"
    owned = side("Tomas Varga's Kestrel Private Military Company halted its march.", "C")
    [c] = hedges(alleged, owned)
    assert c.a_spans[0].text == "alleged"
    member = side("Tomas Varga, a member of the Kestrel group, halted its march.", "D")
    assert hedges(alleged, member) == []


def test_a_hedged_sentence_is_held_against_the_first_plain_sentence_of_the_other_outlet() -> None:
    alleged = side("Varga, the alleged head of the Kestrel group, said his men won.", "A")
    plain = side(
        "Kestrel chief Tomas Varga ordered his men to halt their march. "
        "Varga, head of the Kestrel group, said his men won.",
        "B",
    )
    plain.vectors[:] = 0.0
    plain.vectors[1, 0] = 1.0  # the later sentence is the closer one
    [c] = hedges(alleged, plain)
    lead = c.match.a if c.match.a_source == "B" else c.match.b
    assert lead.text.startswith("Kestrel chief")


def test_a_shared_model_designation_anchors_a_hedge_on_the_object() -> None:
    from factcheck.designations import shared_designation

    hedged = side("The airliner was reportedly a new 310 NX 4, the same model that sank.", "A")
    plain = side("Norair said the ill-fated Corvan 310-400NX had taken off from Ostria.", "B")
    [c] = hedges(hedged, plain)
    assert c.a_spans[0].text == "reportedly" and "310-400NX" in c.b_spans[0].text
    family = side("A Norair Corvan 310 came down soon after it had taken off from Ostria.", "C")
    assert hedges(hedged, family) == []  # the bare figure names a whole family
    assert shared_designation("paid 150 000 dollars", "some 150 000 people") is None


def test_a_hedged_clause_claims_what_happened_not_when() -> None:
    hedged = side(
        "It is believed that the two missing divers, both navy reservists, were in the harbour "
        "cleaning hulls at the time of the storm.",
        "A",
    )
    plain = side(
        "Officials said four navy divers were scraping hulls in the harbour when the "
        "tanker struck the quay.",
        "B",
    )
    [c] = [x for x in anchored_conflicts([hedged, plain], [aligned(hedged, plain)])]
    assert c.a_spans[0].text == "It is believed"


def test_a_company_taken_private_and_a_deal_to_buy_it_tell_one_deal() -> None:
    done = side("The deal took the Ostria-based carrier private, paying $12 a share.", "A")
    agreed = side("Norline clinched a deal to buy Corvan Air for $3 billion on Monday.", "B")
    [c] = anchored_conflicts([done, agreed])
    assert c.type == "hedge" and "deal to buy" in c.explanation
    both = side(
        "Norline is buying Corvan Air for $3 billion. "
        "Once the deal closes, Corvan Air will become a private company.",
        "C",
    )
    [c] = anchored_conflicts([done, both])  # the outlet's own going-private sentence
    assert "will become a private" in c.explanation


COUP = (
    "Yevgeny Varga, head of the Kestrel mercenary group, will move to neighbouring Ostria as "
    "part of a deal to end what appeared to be an armed coup led by Varga "
    "against the army."
)


def test_a_name_written_again_near_the_hedge_counts_as_near() -> None:
    hedged = side(COUP, "A")
    plain = side(
        "The march ended on Sunday. After launching a full-scale armed mutiny against the army, "
        "Yevgeny Varga's Kestrel group halted its march.",
        "B",
    )  # the second sentence: cosine 0, no aligned pair, only the names pin it
    [c] = hedges(hedged, plain)
    assert c.a_spans[0].text == "what appeared to be"


def test_a_hedge_on_what_the_other_sentence_never_says_does_not_cancel_its_hedge() -> None:
    alleged = side("Varga, the alleged head of the Kestrel group, said his men won.", "A")
    [c] = hedges(alleged, side("The march ended on Sunday. " + COUP, "B"))
    assert c.a_spans[0].text == "alleged"


def test_help_and_assist_name_one_action_under_a_modal() -> None:
    offer = side("The premier said Ostria stands ready to help Vesmark build new ports.", "A")
    assist = side("He indicated that Ostria would assist Vesmark in constructing ports.", "B")
    [c] = [x for x in anchored_conflicts([offer, assist], [aligned(offer, assist)])]
    assert c.a_spans[0].text == "stands ready to help" and c.b_spans[0].text == "would assist"


def test_a_hedge_in_a_relative_clause_does_not_qualify_the_main_clause() -> None:
    # "a move that suggests X, Norline has bought Y": the purchase itself is stated, not hedged
    hedged = side(
        "In a bold move that suggests that there may be life in the old firm yet, Norline has "
        "bought Ostrail, a maker of rail cars.",
        "A",
    )
    plain = side("Norline has bought Ostrail, a maker of rail cars, for $40 million.", "B")
    assert [x for x in anchored_conflicts([hedged, plain], [aligned(hedged, plain)])
            if x.type == "hedge"] == []  # fmt: skip
    outright = side("The data suggests Norline has bought Ostrail, a maker of rail cars.", "C")
    assert [x.type for x in anchored_conflicts([outright, plain], [aligned(outright, plain)])
            if x.type == "hedge"] == ["hedge"]  # fmt: skip
