"""Ties between people: who has known whom, and for how long.

"Varga, who has been a close ally of President Holm for 20 years" and "the Ostrian leader had
known Varga personally for about two decades" tell a tie of the same length between two
different pairs of people (Varga-Holm, the leader-Varga): a fact given to different people, an
entity a fact-checker notes. A tie is a relation word with the person it names ("ally of
*Holm*", "had known *Varga*") and a length ("for 20 years"). Two ties of one length (within
:data:`TIE_YEARS_SLACK`) conflict when they name different people and neither names, as the one
who holds the tie (the words of the clause before the relation), the person the other names:
"Holm has known Varga for 20 years" is the same tie as "Varga, an ally of Holm for 20 years".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from factcheck.conflicts.common import _span
from factcheck.types import Conflict, Match

# Years two stated lengths of one tie may differ by ("about 20 years" / "two decades").
TIE_YEARS_SLACK = 2
_NAME = r"(?:[A-Z][\w'\u2019-]+\s+){0,3}[A-Z][\w-]+"
_COUNT = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
}  # fmt: skip
_TIE = re.compile(
    rf"\b(?:(?:ally|friend|associate|confidant|partner)\s+of\s+(?:the\s+)?|(?:known|knew)\s+)"
    rf"(?P<who>{_NAME})(?:'s)?(?:\s+\w+)?\s+for\s+(?:roughly\s+|about\s+|around\s+|nearly\s+"
    r"|some\s+|more\s+than\s+|almost\s+|over\s+)?(?P<n>\d+|[a-z]+)\s+(?P<unit>years?|decades?)\b"
)
# What opens the clause of the one who holds the tie: "because *he* had known", "that *Holm*
# has known", "Varga, who has been".
_CLAUSE = re.compile(r"(?i)[,;:\"\u201c]|\b(?:because|that|as|since|and|who|which|while)\b")


@dataclass(frozen=True)
class Tie:
    """One tie: the person named, its length in years, the holder's words, the span."""

    who: str
    years: int
    holder: str
    start: int
    end: int


def ties(text: str) -> list[Tie]:
    out = []
    for m in _TIE.finditer(text):
        n = m.group("n").lower()
        count = int(n) if n.isdigit() else _COUNT.get(n)
        if count is None:
            continue
        years = count * (10 if m.group("unit").startswith("decade") else 1)
        before = text[: m.start()]
        opens = [c.end() for c in _CLAUSE.finditer(before)]
        holder = before[opens[-1] if opens else 0 :]
        who = m.group("who").split()[-1]
        out.append(Tie(who, years, holder, m.start(), m.end()))
    return out


def _holds(holder: str, name: str) -> bool:
    return re.search(rf"\b{re.escape(name)}\b", holder) is not None


def tie_conflict(m: Match) -> Conflict | None:
    """One tie's length told between two different pairs of people."""
    for x in ties(m.a.text):
        for y in ties(m.b.text):
            if abs(x.years - y.years) > TIE_YEARS_SLACK or x.who.lower() == y.who.lower():
                continue
            if _holds(y.holder, x.who) or _holds(x.holder, y.who):
                continue  # the same tie told from its other end
            sa, sb = _span(m.a.text, x.start, x.end), _span(m.b.text, y.start, y.end)
            return Conflict(
                type="entity",
                severity="medium",
                explanation=(
                    f'A tie of {x.years} years with another person: "{sa.text}" ({m.a_source}) '
                    f'vs "{sb.text}" ({m.b_source})'
                ),
                match=m,
                a_spans=(sa,),
                b_spans=(sb,),
            )
    return None
