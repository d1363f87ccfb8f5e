"""Hedges with no shared anchor: a clause reported as believed by one outlet and stated as fact
by the other, in two strongly aligned sentences; a rank said outright by one and softened to
"one of the largest" by the other; a deal agreed in one and done in the other.

Split from :mod:`factcheck.anchors` (which pairs sentences by what they share): here the two
sentences are already aligned as wholes, and what a hedge qualifies is read from its clause.
"""

from __future__ import annotations

import re

from factcheck.facts import _wordset
from factcheck.hedge_words import HEDGES, OTHER_HEDGES
from factcheck.hedges_modality import modality_differs
from factcheck.hedges_stage import deal_stage
from factcheck.lexicon import FUNCTION_WORDS
from factcheck.types import Conflict, Match, Span

_WORD = re.compile(r"[a-z]+")
_ANY_WORD = re.compile(r"[A-Za-z]+")

# A hedge on one of two strongly aligned reports of the same clause, with no shared anchor:
# "The jet was reportedly a new X" / "the X plane, which was new". Only hedges that qualify a
# whole clause count here; an attributive "alleged" or "suspected" (or a bare "presumed":
# "missing and presumed dead") names a thing or a state and is left to the anchored rule, which
# needs two names beside it and the qualified word on the other side. A clause ends at a
# semicolon, a colon, a spaced dash or a "but"/"while".
ALIGNED_HEDGE = 0.60  # cosine of two aligned sentences whose hedges are compared
HEDGE_SCOPE_SHARE = 0.60  # content words of the hedged clause the other sentence must state
_ATTRIBUTIVE = re.compile(r"(?i)^(?:alleged|suspected|unconfirmed|presumed)$")
_CLAUSE_END = re.compile(r"[;:]|\s[-\u2013\u2014]\s|\bbut\b|\bwhile\b", re.IGNORECASE)


_REPORTING = _wordset("said say says told tells added adds according announced stated")


_PERCENT = re.compile(r"(?i)\bper\s+cent\b|%")


def _stems(text: str) -> set[str]:
    """Content words by their first five letters ("90 per cent" and "90%" say "percent")."""
    return {
        w[:5]
        for w in _WORD.findall(_PERCENT.sub(" percent ", text).lower())
        if w not in FUNCTION_WORDS and w not in _REPORTING and len(w) > 2
    }


def _figures(text: str) -> set[str]:
    """Figures of three digits or more: the model or flight numbers a clause names ("737")."""
    return set(re.findall(r"\d{3,}", text))


# A hedge that opens a clause ("it is believed that the six, all workers, were ...") is followed
# by the subject, which appositives may part from its verb; any other hedge ("was reportedly a
# new 737, the same model as ...") is followed by its predicate, and a comma ends what it says.
_THAT_CLAUSE = re.compile(r"(?i)^\s*(?:that|whether|if)\b")


# A time adjunct closes what a hedged clause claims: "were on the bridge fixing potholes | at the
# time of the collapse" claims the repair, and the other outlet may date it otherwise.
_CIRCUMSTANCE = re.compile(r"(?i)\b(?:at\s+the\s+time\s+of|when|after|before|until)\b")


# The first auxiliary of a clause ends its subject: "that the six, all workers, | were on ...".
_PREDICATE = re.compile(r"(?i)\b(?:was|were|is|are|had|has|have|will|would)\b")


_RELATIVE_BEFORE = re.compile(r"\b(?:that|which)\s+$", re.IGNORECASE)


def _hedged_clause(text: str, hedge: re.Match[str]) -> set[str]:
    """Content stems (and long figures) of what a hedge qualifies: the predicate after it up
    to a comma ("was reportedly a new 737, the same model as ..."), what the clause a
    clause-opening hedge introduces says of its subject ("it is believed that the six, all road
    workers, *were fixing potholes on the bridge*"), or the words around it when little follows
    ("the workers are presumed dead")."""
    after = _CLAUSE_END.split(text[hedge.end() :])[0]
    if _RELATIVE_BEFORE.search(text[: hedge.start()]):
        # a hedge in a relative clause ("a move that suggests there may be life in it yet,
        # AMD bought X") qualifies that clause, not the main one after the comma
        after = after.split(",")[0]
    first = _stems(after.split(",")[0]) | _figures(after.split(",")[0])
    opens = hedge.group().lower().startswith("it ") or _THAT_CLAUSE.match(after)
    if len(first) >= 3 and not opens:
        return first
    verb = _PREDICATE.search(after) if opens else None
    if verb is not None and len(_stems(after[verb.start() :])) >= 3:
        said = after[verb.start() :]  # what the clause says of its subject
        core = _CIRCUMSTANCE.split(said)[0]  # what it claims, not when
        return _stems(core) if len(_stems(core)) >= 3 else _stems(said)
    if len(_stems(after)) >= 3:
        return _stems(after)
    before = _CLAUSE_END.split(text[: hedge.start()])[-1]
    return _stems(before + " " + after)


# A rank said outright ("the top operator", "the largest pipeline") or softened to one of a
# group ("one of the largest operators"): a hedge on the claim's strength.
_RANKS = r"top|leading|largest|biggest|greatest|highest|deadliest|worst|best|most\s+\w+"
_ONE_OF = re.compile(rf"\bone\s+of\s+the\s+(?:[\w.'\u2019]+\s+)?(?P<rank>{_RANKS})\b", re.I)
_RANKED = re.compile(rf"\b(?P<rank>{_RANKS})\b", re.IGNORECASE)
RANK_REACH = 4  # words after a rank that name what is ranked ("largest U.S. pipeline operators")


def _ranked_words(text: str, end: int) -> set[str]:
    return _stems(" ".join(_ANY_WORD.findall(text[end:])[:RANK_REACH]))


def _rank_softened(m: Match) -> Conflict | None:
    """ "Top U.S. pipeline operator" in one report, "one of the largest pipeline operators" in
    the other, about the same thing."""
    for soft_text, firm_text, soft_is_a in (
        (m.a.text, m.b.text, True),
        (m.b.text, m.a.text, False),
    ):
        soft = _ONE_OF.search(soft_text)
        if soft is None or _ONE_OF.search(firm_text):
            continue
        what = _ranked_words(soft_text, soft.end())
        firm = next(
            (f for f in _RANKED.finditer(firm_text) if what & _ranked_words(firm_text, f.end())),
            None,
        )
        if firm is None:
            continue
        soft_words = soft_text[soft.start() : soft.end()]
        s_span = (Span(soft.start(), soft.end(), soft_words),)
        f_span = (Span(firm.start(), firm.end(), firm.group()),)
        src_soft, src_firm = (m.a_source, m.b_source) if soft_is_a else (m.b_source, m.a_source)
        return Conflict(
            type="hedge",
            severity="low",
            explanation=(
                f'Rank softened in {src_soft}: "{soft_words}" there, "{firm.group()}" in {src_firm}'
            ),
            match=m,
            a_spans=s_span if soft_is_a else f_span,
            b_spans=f_span if soft_is_a else s_span,
        )
    return None


def aligned_hedge(m: Match) -> Conflict | None:
    """A clause reported as believed by one outlet and stated as fact by the other, in two
    strongly aligned sentences (see :data:`ALIGNED_HEDGE`); or a rank said outright by one and
    softened to "one of the largest" by the other."""
    if m.score < ALIGNED_HEDGE or m.relation == "duplicate":
        return None
    ranked = _rank_softened(m) or deal_stage(m)
    if ranked is not None:
        return ranked
    found = []
    for own, other in ((m.a.text, m.b.text), (m.b.text, m.a.text)):
        hit = next((h for h in HEDGES.finditer(own) if not _ATTRIBUTIVE.match(h.group())), None)
        if hit is None:
            continue
        if HEDGES.search(other) or OTHER_HEDGES.search(other):
            return None  # both sides hedge, in some words
        scope = _hedged_clause(own, hit)
        shared = scope & (_stems(other) | _figures(other))
        if len(shared) >= 2 and len(shared) >= HEDGE_SCOPE_SHARE * len(scope):
            found.append((own is m.a.text, hit))
    if not found and not any(HEDGES.search(t) for t in (m.a.text, m.b.text)):
        return modality_differs(m)
    if len(found) != 1:
        return None
    hedged_a, hit = found[0]
    has_src, lacks_src = (m.a_source, m.b_source) if hedged_a else (m.b_source, m.a_source)
    plain = m.b.text if hedged_a else m.a.text
    scope = _hedged_clause(m.a.text if hedged_a else m.b.text, hit)
    said = [w for w in _ANY_WORD.finditer(plain) if w.group().lower()[:5] in scope]
    hedge_span = (Span(hit.start(), hit.end(), hit.group()),)
    plain_span = (
        (Span(said[0].start(), said[-1].end(), plain[said[0].start() : said[-1].end()]),)
        if said
        else ()
    )
    return Conflict(
        type="hedge",
        severity="medium",
        explanation=(
            f'Hedged only in {has_src}: "{hit.group()}" there, while {lacks_src} states it as fact'
        ),
        match=m,
        a_spans=hedge_span if hedged_a else plain_span,
        b_spans=plain_span if hedged_a else hedge_span,
    )
