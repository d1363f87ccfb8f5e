"""Conflicts between claims (not sentences): one quantity told differently by two outlets.

The sentence rules in :mod:`factcheck.conflicts` compare two sentences aligned as wholes. Here
every pair of outlets is searched claim by claim (:mod:`factcheck.claims`): a number that counts
the same thing under the same predicate, in no two different places, is one claim, and two
values that cannot both be true of it are a conflict, whatever else the two sentences say. An
outlet that also states a compatible value of that claim somewhere agrees; each claim keeps only
its best partner in the other outlet (shared frame, then shared words), so one disputed figure
is reported once per outlet pair, not once per sentence that repeats it.

A figure that differs between reports published on different days is typed ``update`` (both
dates in the explanation): a toll that rose overnight is not a contradiction, and a reader wants
it on a timeline, not in the list of errors.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from factcheck.claims import (
    PERSON_EVENTS,
    Quantity,
    affinity,
    carry_places,
    covered,
    quantities,
    same_claim,
)
from factcheck.quantities import numbers_compatible
from factcheck.types import Article, Conflict, Fact, Match, SentenceFacts, Severity, Span


@dataclass(frozen=True)
class ClaimSide:
    """What the claim rules need of one analysed article."""

    article: Article
    facts: tuple[SentenceFacts, ...]
    vectors: np.ndarray  # one L2-normalised vector per sentence


_VAGUE = re.compile(r"(?i)(?:tens of )?(?:dozens|scores|hundreds|thousands)\b")
CLOCK_SLACK = 15  # minutes either side of "about 6:30 p.m."
CLEAR_CLOCK_GAP = 30  # minutes: two times this far apart are a clear, checkable difference
# Two reports of one figure rarely differ this many times over: a gap this wide is two scopes
# ("three buildings near his home" vs "1,240 buildings" region-wide), not one disputed figure.
MAX_RATIO = 3.0  # (benchmarks/news_loso.py: chosen on the other stories for every held-out one)


_WRITTEN = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _roundness(f: Fact) -> float:
    """The rounding of a round written figure from 100 up, in base units: "60,000 feet" is
    written to the ten thousand feet, so 58,000 feet is inside it."""
    m = _WRITTEN.search(f.text)
    if m is None or "." in m.group():
        return 0.0
    written = int(m.group().replace(",", ""))
    n, place = written, 1.0
    if n < 100:
        return 0.0
    while n % 10 == 0:
        n //= 10
        place *= 10
    return place * abs(float(f.value)) / written if place >= 100 else 0.0


def _compatible(x: Quantity, y: Quantity) -> bool:
    """Can both values be true of the one claim? ``numbers_compatible`` (bounds, rounding,
    approximations), plus what a reader allows across two differently worded sentences: the
    bound's own figure ("more than 90%" vs "90%") and round figures' rounding."""
    if x.fact.unit == "score" or y.fact.unit == "score":
        return str(x.fact.value) == str(y.fact.value)
    a, b = float(x.fact.value), float(y.fact.value)
    if x.fact.unit == "time_of_day" or y.fact.unit == "time_of_day":
        return abs(a - b) <= (CLOCK_SLACK if x.fact.approx or y.fact.approx else 0)
    vx, vy = _VAGUE.match(x.fact.text), _VAGUE.match(y.fact.text)
    if bool(vx) != bool(vy):  # "thousands injured" holds 11,119 too: it says at least 1,000s
        vague, exact = (x.fact, b) if vx else (y.fact, a)
        return exact >= float(vague.value) - (vague.precision or 0.0) / 2
    fx, fy = (_as_reported(q) for q in (x, y))
    if a == b or numbers_compatible(fx, fy):
        return True
    if x.conversion is not None or y.conversion is not None:  # "200 km (124 miles)" is 200 km
        return False
    return abs(a - b) <= max(_roundness(fx), _roundness(fy)) / 2


def _as_reported(q: Quantity) -> Fact:
    """A toll's "at least 415 killed" is the count reported so far, not a range: compared as
    an approximate 415 (so "at least 14" then "19" is a change, "over 400" still agrees)."""
    if q.fact.bound and q.concepts & PERSON_EVENTS:
        return replace(q.fact, bound=None, approx=True)
    return q.fact


def _comparable(x: Quantity, y: Quantity) -> bool:
    a, b = abs(float(x.fact.value)), abs(float(y.fact.value))
    if x.fact.unit == "score" or _VAGUE.match(x.fact.text) or _VAGUE.match(y.fact.text):
        return True  # "dozens" vs "thousands" differ by orders of magnitude by their nature
    return min(a, b) > 0 and max(a, b) / min(a, b) <= MAX_RATIO


def _pairs(
    qa: Sequence[Quantity],
    qb: Sequence[Quantity],
    fa: Sequence[SentenceFacts],
    fb: Sequence[SentenceFacts],
) -> list[tuple[Quantity, Quantity]]:
    """Mutually best same-claim pairs whose values disagree, where neither outlet also states a
    value the other's agrees with."""
    same = [(x, y) for x in qa for y in qb if same_claim(x, y)]
    # An outlet that states the other's figure too agrees on it; a mere overlap of bounds
    # ("over 400" and "at least 1,302") is not agreement, nor is an order of magnitude
    # ("thousands of participants") that an exact figure falls in.
    agree = [
        (x, y)
        for x, y in same
        if _compatible(x, y)
        and not (x.fact.bound or y.fact.bound)
        and bool(_VAGUE.match(x.fact.text)) == bool(_VAGUE.match(y.fact.text))
    ]
    agreed_a = _with_conversions({id(x) for x, _ in agree}, qa)
    agreed_b = _with_conversions({id(y) for _, y in agree}, qb)
    rounded = _rounded(qa) | _rounded(qb)
    open_pairs = [
        (x, y)
        for x, y in same
        if id(x) not in agreed_a
        and id(y) not in agreed_b
        and id(x) not in rounded
        and id(y) not in rounded
        and not _compatible(x, y)
        and not _conversions_agree(x, y, qa, qb)
        and _comparable(x, y)
    ]
    if not open_pairs:
        return []

    def aff(p: tuple[Quantity, Quantity]) -> float:
        x, y = p
        a, b = abs(float(x.fact.value)), abs(float(y.fact.value))
        closeness = min(a, b) / max(a, b) if max(a, b) else 1.0
        return affinity(x, y, fa[x.sentence].lemmas, fb[y.sentence].lemmas) + 0.01 * closeness

    best_a: dict[int, tuple[Quantity, Quantity]] = {}
    best_b: dict[int, tuple[Quantity, Quantity]] = {}
    for p in open_pairs:
        x, y = p
        if id(x) not in best_a or aff(p) > aff(best_a[id(x)]):
            best_a[id(x)] = p
        if id(y) not in best_b or aff(p) > aff(best_b[id(y)]):
            best_b[id(y)] = p
    return [p for p in open_pairs if best_a[id(p[0])] is p and best_b[id(p[1])] is p]


def _conversion_group(q: Quantity, qs: Sequence[Quantity]) -> list[Quantity]:
    """``q`` and the other units it is written in ("125 miles (200 km)")."""
    if q.conversion is None:
        return [q]
    return [o for o in qs if (o.sentence, o.conversion) == (q.sentence, q.conversion)]


def _conversions_agree(
    x: Quantity, y: Quantity, qa: Sequence[Quantity], qb: Sequence[Quantity]
) -> bool:
    """One figure given in two units on either side agrees when any written form does:
    "125 miles (200 km)" and "200km (120 miles)" both say 200 km; the miles are conversions."""
    return any(
        _compatible(u, v) for u in _conversion_group(x, qa) for v in _conversion_group(y, qb)
    )


def _with_conversions(agreed: set[int], qs: Sequence[Quantity]) -> set[int]:
    """An agreed figure's conversion agrees too: "125 miles (200 km)" and "200km (120 miles)"
    agree on 200 km, and their loose conversions to miles are no second claim."""
    groups: dict[tuple[int, int, int], list[Quantity]] = defaultdict(list)
    for q in qs:
        if q.conversion is not None:
            groups[(q.article, q.sentence, q.conversion)].append(q)
    out = set(agreed)
    for g in groups.values():
        if any(id(q) in agreed for q in g):
            out |= {id(q) for q in g}
    return out


def _rounded(qs: Sequence[Quantity]) -> set[int]:
    """An outlet's rounded or bounded figures ("killed over 900 people") that its own exact
    figure of the same claim ("had killed 912 people") fills in: the outlet claims 912, and
    the other outlet's figure is held against that, not against the rounding."""
    exact = [q for q in qs if not q.fact.bound and not q.fact.approx]
    return {
        id(q)
        for q in qs
        if (q.fact.bound or q.fact.approx)
        and any(
            e.fact.value != q.fact.value and same_claim(q, e) and _compatible(q, e) for e in exact
        )
    }


def _severity(x: Fact, y: Fact) -> Severity:
    a, b = abs(float(x.value)), abs(float(y.value))
    rel = abs(a - b) / max(a, b, 1e-9)
    return "high" if rel >= 0.2 or x.unit == "score" else "medium"


Linked = frozenset[tuple[int, int]] | None


def outlet_pairs(
    sides: Sequence[ClaimSide], first_only: bool = False, linked: Linked = None
) -> list[tuple[int, int]]:
    """Pairs of articles from different outlets to compare: all of them, or (for a new article
    matched against stored ones) only those with the first; with ``linked``, only pairs that
    alignment already tied by a sentence (a corpus of a thousand articles is not compared with
    itself pair by pair: two articles that share no sentence report different events)."""
    firsts = range(1) if first_only else range(len(sides))
    return [
        (i, j)
        for i in firsts
        for j in range(i + 1, len(sides))
        if sides[i].article.source != sides[j].article.source
        and (linked is None or (i, j) in linked)
    ]


def quantity_conflicts(
    sides: Sequence[ClaimSide],
    existing: Sequence[Match] = (),
    first_only: bool = False,
    linked: Linked = None,
) -> list[Conflict]:
    """Number (and update) conflicts between every pair of outlets, claim by claim."""
    qs = [carry_places(quantities(i, s.facts), s.facts) for i, s in enumerate(sides)]
    known = by_sentences(existing)
    out: list[Conflict] = []
    for i, j in outlet_pairs(sides, first_only, linked):
        a, b = sides[i], sides[j]
        for x, y in _pairs(qs[i], qs[j], a.facts, b.facts):
            m = match_for(a, b, x.sentence, y.sentence, known)
            out.append(_conflict(m, x, y, a, b) if m.a is a.facts[x.sentence].sentence
                       else _conflict(m, y, x, b, a))  # fmt: skip
        for x, y in measure_pairs(qs[i], qs[j], a.facts, b.facts):
            m = match_for(a, b, x.sentence, y.sentence, known)
            out.append(_measure_conflict(m, x, y) if m.a is a.facts[x.sentence].sentence
                       else _measure_conflict(m, y, x))  # fmt: skip
    return out


def measure_pairs(
    qa: Sequence[Quantity],
    qb: Sequence[Quantity],
    fa: Sequence[SentenceFacts],
    fb: Sequence[SentenceFacts],
) -> list[tuple[Quantity, Quantity]]:
    """One distance figure that one outlet gives as how far something went ("advanced 200 km
    towards Moscow") and the other as how far apart two points are ("got to within 200 km of
    Moscow"): the same figure, two different facts. Each distance gone is held against its
    closest such partner. Typed ``number`` (the kind a reader files a figure's dispute under)."""
    out: list[tuple[Quantity, Quantity]] = []
    for went, apart, lw, la in ((qa, qb, fa, fb), (qb, qa, fb, fa)):
        for x in went:
            if not covered(x) or _conversion_group(x, went)[0] is not x:
                continue  # a figure and its conversion are one claim: the first stands for it
            ys = [
                y
                for y in apart
                if y.apart
                and (not x.places or not y.places or x.places & y.places)
                and any(
                    _compatible(u, v)
                    for u in _conversion_group(x, went)
                    for v in _conversion_group(y, apart)
                )
            ]
            if ys:
                best = max(
                    ys, key=lambda y: affinity(x, y, lw[x.sentence].lemmas, la[y.sentence].lemmas)
                )
                out.append((x, best) if went is qa else (best, x))
    return out


def _measure_conflict(m: Match, x: Quantity, y: Quantity) -> Conflict:
    """The conflict of a distance gone and the same figure as a distance apart."""
    gone, apart = (m.a_source, m.b_source) if covered(x) else (m.b_source, m.a_source)
    return Conflict(
        type="other",  # what the figure measures differs, not the figure
        severity="medium",
        explanation=(
            f'One figure, two facts: "{x.fact.text}" ({m.a_source}) and "{y.fact.text}" '
            f"({m.b_source}): a distance gone in {gone}, a distance left to go in {apart}"
        ),
        match=m,
        a_spans=(Span(x.fact.start, x.fact.end, m.a.text[x.fact.start : x.fact.end]),),
        b_spans=(Span(y.fact.start, y.fact.end, m.b.text[y.fact.start : y.fact.end]),),
    )


def by_sentences(matches: Sequence[Match]) -> dict[frozenset[tuple[str, int]], Match]:
    return {
        frozenset({(m.a.article_id, m.a.index), (m.b.article_id, m.b.index)}): m for m in matches
    }


def match_for(
    a: ClaimSide,
    b: ClaimSide,
    i: int,
    j: int,
    known: dict[frozenset[tuple[str, int]], Match],
) -> Match:
    """The aligned pair of sentence ``i`` of ``a`` and ``j`` of ``b`` if alignment found it (in
    its own orientation), else a ``same_fact`` match scored by the sentences' cosine."""
    sa, sb = a.facts[i].sentence, b.facts[j].sentence
    m = known.get(frozenset({(sa.article_id, sa.index), (sb.article_id, sb.index)}))
    if m is not None:
        return m
    score = float(a.vectors[i] @ b.vectors[j]) if len(a.vectors) else 0.0
    return Match(
        a=sa,
        b=sb,
        a_source=a.article.source,
        b_source=b.article.source,
        score=round(score, 4),
        relation="same_fact",
    )


def _conflict(m: Match, x: Quantity, y: Quantity, a: ClaimSide, b: ClaimSide) -> Conflict:
    """The conflict of quantity ``x`` (on ``m.a``, of article ``a``) and ``y`` (``m.b``)."""
    if x.fact.unit == "time_of_day":
        gap = abs(float(x.fact.value) - float(y.fact.value))
        return Conflict(
            type="date",
            severity="high" if gap >= CLEAR_CLOCK_GAP else "medium",
            explanation=(
                f'Time{_what(x, y)} differs: "{x.fact.text}" ({m.a_source}) vs '
                f'"{y.fact.text}" ({m.b_source})'
            ),
            match=m,
            a_spans=(Span(x.fact.start, x.fact.end, m.a.text[x.fact.start : x.fact.end]),),
            b_spans=(Span(y.fact.start, y.fact.end, m.b.text[y.fact.start : y.fact.end]),),
        )
    da, db = a.article.published, b.article.published
    spans_a = (Span(x.fact.start, x.fact.end, m.a.text[x.fact.start : x.fact.end]),)
    spans_b = (Span(y.fact.start, y.fact.end, m.b.text[y.fact.start : y.fact.end]),)
    what = _what(x, y)
    if da and db and da != db and x.fact.unit != "score":
        (old, od, osrc), (new, nd, nsrc) = sorted(
            [(x.fact.text, da, m.a_source), (y.fact.text, db, m.b_source)], key=lambda t: t[1]
        )
        return Conflict(
            type="update",
            severity="medium",
            explanation=(
                f'Figure{what} moved between reports: "{old}" ({osrc}, {od.isoformat()}) then '
                f'"{new}" ({nsrc}, {nd.isoformat()})'
            ),
            match=m,
            a_spans=spans_a,
            b_spans=spans_b,
        )
    return Conflict(
        type="number",
        severity=_severity(x.fact, y.fact),
        explanation=(
            f'Number{what} differs: "{x.fact.text}" ({m.a_source}) vs "{y.fact.text}" '
            f"({m.b_source})"
        ),
        match=m,
        a_spans=spans_a,
        b_spans=spans_b,
    )


def _what(x: Quantity, y: Quantity) -> str:
    """' of "killed people"': the shared frame, so the line says what the number counts."""
    shared = [w for w in x.fact.frame if w in y.fact.frame] or list(x.fact.frame[:2])
    return f" ({' '.join(shared[:3])})" if shared else ""
