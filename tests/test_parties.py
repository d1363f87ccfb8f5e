"""Deal parties (:mod:`factcheck.conflicts.parties`): shareholders as the party to a deal in
one report, the company or its board accepting it in the other. Invented texts."""

from __future__ import annotations

from factcheck.conflicts.aligned import aligned_conflicts
from factcheck.types import Match, Sentence


def match(ta: str, tb: str) -> Match:
    a = Sentence("A", 0, 0, len(ta), ta)
    b = Sentence("B", 0, 0, len(tb), tb)
    return Match(a, b, "Herald", "Wire", 0.72, "same_claim")


HOLDERS = "Tycoon Ada Vell has reached an agreement with Norline's shareholders to buy it."


def test_shareholders_as_the_party_against_a_board_or_company_that_accepts() -> None:
    board = "The Norline board on Monday voted to accept a takeover offer from Ada Vell."
    [c] = aligned_conflicts(match(HOLDERS, board))
    assert c.type == "entity"
    assert c.a_spans[0].text == "agreement with Norline's shareholders"
    assert c.b_spans[0].text == "voted to accept a takeover offer"
    company = "Norline, after much deliberation, has accepted Ada Vell's takeover bid."
    [c] = aligned_conflicts(match(company, HOLDERS))
    assert c.b_spans[0].text == "agreement with Norline's shareholders"


def test_a_deal_good_for_shareholders_or_one_the_holders_also_approve_is_no_party_clash() -> None:
    good = "The board said the deal is the best path forward for Norline's shareholders."
    board = "The Norline board on Monday voted to accept a takeover offer from Ada Vell."
    assert aligned_conflicts(match(good, board)) == []
    both = "The board accepted the offer, which Norline's shareholders must still approve."
    assert aligned_conflicts(match(HOLDERS, both)) == []
    bought = "Ada Vell agreed to buy Norline for $3 billion."
    assert aligned_conflicts(match(HOLDERS, bought)) == []
