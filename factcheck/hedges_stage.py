"""How far an event has got, told differently by two outlets: a deal agreed or pending in one
report and done in the other ("agreed to buy" / "has purchased"; "will become a private company"
/ "the deal took the company private"). A hedge on the event's stage, not on its facts.
"""

from __future__ import annotations

import re

from factcheck.types import Conflict, Match, Span

# A deal told as agreed or pending in one report and as done in the other ("agreed to buy",
# "clinched a deal to buy", "is buying" vs "has purchased", "bought"): how far the event has got.
_ACQUIRE = r"(?:buy|purchase|acquire|take\s+over)"
# A buyout also takes a listed company private: "took the company private" is done, "will become
# a private company" and "to take private" are pending.
_WORDS = r"(?:[\w'\u2019-]+\s+){0,4}?"
_PENDING = re.compile(
    rf"\b(?:(?:agree[sd]?|agreeing|deal|offer(?:s|ed)?|bid|plans?|planning|set|seeks?|moves?)"
    rf"\s+to\s+{_ACQUIRE}|(?:will|would)\s+{_ACQUIRE}|(?:is|are)\s+(?:buying|purchasing|"
    r"acquiring|taking\s+over)"
    r"|(?:will|would)\s+(?:become|go|be\s+taken)\s+(?:a\s+)?private(?:ly)?"
    rf"|to\s+take\s+{_WORDS}private)\b",
    re.IGNORECASE,
)
_DONE = re.compile(
    r"\b(?:(?:has|have|had)\s+(?:now\s+)?(?:bought|purchased|acquired|taken\s+over|completed)"
    r"|completed\s+(?:the|its|his|her)\s+(?:purchase|acquisition|takeover)"
    rf"|took\s+{_WORDS}private|went\s+private|(?:was|has\s+been)\s+taken\s+private)\b",
    re.IGNORECASE,
)
# Two sentences about one company going private, each at some stage of the deal, share a fact
# even when they share no name or figure ("the deal took the company private" / "Norline will
# become a private company").
_OWNERSHIP = re.compile(r"(?i)\bprivate(?:ly)?\b")


def staged(text: str) -> re.Match[str] | None:
    """Where ``text`` says a company goes private, if it also says at what stage the deal is."""
    own = _OWNERSHIP.search(text)
    return own if own and (_PENDING.search(text) or _DONE.search(text)) else None


def dealt(text: str) -> re.Match[str] | None:
    """Where ``text`` tells a stage of a deal to buy (agreed, pending or done), private or not:
    a buyout takes a company private, so "clinched a deal to buy Norline" and "the deal took the
    company private" tell one deal."""
    return _PENDING.search(text) or _DONE.search(text)


def deal_stage(m: Match) -> Conflict | None:
    """One deal, agreed in one report and completed in the other."""
    pa, pb = _PENDING.search(m.a.text), _PENDING.search(m.b.text)
    da, db = _DONE.search(m.a.text), _DONE.search(m.b.text)
    if pa and db and not da and not pb:
        x, y = pa, db
    elif pb and da and not db and not pa:
        x, y = da, pb
    else:
        return None
    return Conflict(
        type="hedge",
        severity="medium",
        explanation=(
            f'Another stage of the deal: "{x.group()}" ({m.a_source}) vs "{y.group()}" '
            f"({m.b_source}): agreed in one, done in the other"
        ),
        match=m,
        a_spans=(Span(x.start(), x.end(), x.group()),),
        b_spans=(Span(y.start(), y.end(), y.group()),),
    )
