"""Sayers: one statement credited to two kinds of institution ("the state broadcaster said" vs
"the airline confirmed").

The attribution rule (:mod:`factcheck.conflicts.attribution`) compares named people; an outlet
more often credits a claim to an institution by what it is ("the company said", "the ministry
said", "police said"). Two aligned sentences whose sayers are institutions of different kinds
(a news outlet vs a company, a company vs a ministry) give the claim two different sources. The
kinds are broad on purpose: "the carrier" and "the airline", "the firm" and "the company" are
one kind and never conflict; a word that could be either ("the agency", "the service") is not
read at all.
"""

from __future__ import annotations

import re

from factcheck.conflicts.common import _span
from factcheck.types import Conflict, Match

# What an institution is, by the noun an outlet calls it (plural folded before lookup).
_KIND_WORDS = {
    "business": "company firm airline carrier operator manufacturer maker business",
    "media": "broadcaster broadcasting newspaper network television tv",
    "security": "police military army navy guard pentagon",
    "government": "ministry department government authority administration embassy court",
}
_KINDS: dict[str, str] = {w: kind for kind, words in _KIND_WORDS.items() for w in words.split()}
_SAY = r"(?:said|says|confirmed|confirms|stated|announced|reported)"
_HEAD = r"([A-Za-z]+)"
# the noun phrase's last word ("the energy ministry", not "energy"; "the company in a note")
_LAST = r"(?!\s+(?!(?:in|on|at|of|to|for|with|from|by|after|and|that|which|who)\b)[a-z])"
# "<the Ethiopian state> broadcaster said", "said the airline", "according to the ministry"
_SAYER = re.compile(
    rf"\b{_HEAD}\s+{_SAY}\b|\b{_SAY}\s+(?:the|a|an)\s+(?:[a-z-]+\s+){{0,2}}{_HEAD}\b{_LAST}"
    rf"|\baccording\s+to\s+(?:the|a|an)\s+(?:[A-Za-z-]+\s+){{0,2}}{_HEAD}\b{_LAST}"
)
_NEWS = re.compile(r"\bnews\s+(?:agency|service)\s+" + _SAY + r"\b", re.IGNORECASE)


def sayers(text: str) -> list[tuple[str, int, int]]:
    """The institution kinds a sentence credits, with the sayer's span ("the news service
    said" counts as media; "it said", a name and "the post on social media said" as nothing)."""
    out: list[tuple[str, int, int]] = []
    for m in _SAYER.finditer(text):
        n = next(i for i in range(1, 4) if m.group(i))
        word = m.group(n).lower()
        kind = _KINDS.get(word) or _KINDS.get(word.removesuffix("s"))
        if kind is not None:
            out.append((kind, m.start(n), m.end(n)))
    out += [("media", m.start(), m.end()) for m in _NEWS.finditer(text)]
    return out


def sayer_conflict(m: Match) -> Conflict | None:
    """Two aligned sentences whose institution sayers share no kind."""
    ka, kb = sayers(m.a.text), sayers(m.b.text)
    if not ka or not kb or {k for k, _, _ in ka} & {k for k, _, _ in kb}:
        return None
    (x, xa, xb), (y, ya, yb) = ka[0], kb[0]
    a, b = _span(m.a.text, xa, xb), _span(m.b.text, ya, yb)
    return Conflict(
        type="attribution",
        severity="medium",
        explanation=(
            f'Credited to "{a.text}" ({x}, {m.a_source}) but to "{b.text}" ({y}, {m.b_source})'
        ),
        match=m,
        a_spans=(a,),
        b_spans=(b,),
    )
