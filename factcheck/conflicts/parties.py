"""Deal parties: who on the seller's side agreed to a takeover, told differently.

A listed company's side of a deal is taken by its board (it votes to accept an offer) or by its
shareholders (they tender or vote to approve), at different stages and with different meaning.
"Musk reached an agreement with Norline's *shareholders*" and "the Norline *board* voted to
accept the offer" / "Norline *has accepted* the bid" name two different parties to one deal,
an entity a fact-checker notes. Only a sentence that makes the shareholders the party to the
agreement counts (not one that says a deal is good for them), against an aligned sentence that
has the company or its board accept or approve and never mentions shareholders.
"""

from __future__ import annotations

import re

from factcheck.conflicts.common import _span
from factcheck.types import Conflict, Match

_HOLDERS = r"(?:share|stock)holders"
_HOLDERS_PARTY = re.compile(
    rf"(?i)\b(?:agreement|deal|agreed)\s+with\s+(?:[\w'\u2019\u02bc]+\s+)?{_HOLDERS}\b"
    rf"|\b{_HOLDERS}\s+(?:have\s+|had\s+)?(?:agreed|accepted|approved|voted)\b"
)
_ANY_HOLDERS = re.compile(r"(?i)\b(?:share|stock)holders?\b")
_ACCEPTS = re.compile(
    r"(?i)\b(?:voted\s+to\s+)?(?:accept(?:s|ed)?|approv(?:es|ed))\b(?:\s+[\w'\u2019]+){0,4}?"
    r"\s+(?:(?:takeover\s+)?(?:offer|bid|deal|proposal)|takeover)\b"
)


def deal_party_conflict(m: Match) -> Conflict | None:
    """Shareholders as the party to the deal in one sentence, the company or its board
    accepting it in the other."""
    for own, other, flip in ((m.a.text, m.b.text, False), (m.b.text, m.a.text, True)):
        holders = _HOLDERS_PARTY.search(own)
        accepts = _ACCEPTS.search(other)
        if holders is None or accepts is None or _ANY_HOLDERS.search(other):
            continue
        h, a = _span(own, *holders.span()), _span(other, *accepts.span())
        a_span, b_span = (a, h) if flip else (h, a)
        return Conflict(
            type="entity",
            severity="medium",
            explanation=(
                f'Another party to the deal: "{a_span.text}" ({m.a_source}) vs "{b_span.text}" '
                f"({m.b_source})"
            ),
            match=m,
            a_spans=(a_span,),
            b_spans=(b_span,),
        )
    return None
