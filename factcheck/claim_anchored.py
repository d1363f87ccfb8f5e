"""Hedge, date and text-rule conflicts around what two outlets' sentences share.

:mod:`factcheck.claim_conflicts` compares quantities claim by claim; here two sentences of two
outlets are compared when they share an *anchor* (:mod:`factcheck.anchors`: the same quantity,
time of day, names, a model designation, a deal, the thing an official stance names), whether
or not they align as wholes: for an epistemic hedge on one side only and for the day of the
anchored fact. Aligned pairs with no anchor get the aligned-clause hedge rule and the text rules
of :mod:`factcheck.conflicts.aligned`; localities, regions and the rules of
:mod:`factcheck.conflicts.anywhere` look at any two sentences of an outlet pair.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import partial

from factcheck.anchors import Anchor, anchor_keys, anchors, article_quantities, hedge_conflict
from factcheck.claim_conflicts import ClaimSide, Linked, by_sentences, match_for, outlet_pairs
from factcheck.hedges_aligned import aligned_hedge
from factcheck.hedges_stage import deal_stage
from factcheck.types import Conflict, Fact, Match, SentenceFacts


def anchored_conflicts(
    sides: Sequence[ClaimSide],
    existing: Sequence[Match] = (),
    first_only: bool = False,
    linked: Linked = None,
) -> list[Conflict]:
    """Hedge and date conflicts around anchors two outlets' sentences share
    (:mod:`factcheck.anchors`), whether or not the sentences align as wholes; the text rules
    of :mod:`factcheck.conflicts.aligned` on aligned pairs; localities and the rules of
    :mod:`factcheck.conflicts.anywhere` in any two sentences."""
    from factcheck.conflicts import date_conflicts
    from factcheck.conflicts.aligned import aligned_conflicts
    from factcheck.conflicts.anywhere import anywhere_conflicts
    from factcheck.conflicts.locality import locality_conflicts
    from factcheck.conflicts.region import region_conflicts
    from factcheck.conflicts.zones import zone_conflicts

    qs = [article_quantities(s.facts, i) for i, s in enumerate(sides)]
    keys = [anchor_keys(s.facts, q) for s, q in zip(sides, qs, strict=True)]
    known = by_sentences(existing)
    out: list[Conflict] = []
    for i, j in outlet_pairs(sides, first_only, linked):
        a, b = sides[i], sides[j]
        hedges: dict[tuple[str, int], Conflict] = {}
        anchored: set[frozenset[tuple[str, int]]] = set()

        holders: dict[object, set[int]] = defaultdict(set)  # anchor key -> b's sentences
        for ib, ks in enumerate(keys[j]):
            for k in ks:
                holders[k].add(ib)
        for ia, fa_ in enumerate(a.facts):
            for ib in sorted({n for k in keys[i][ia] for n in holders.get(k, ())}):
                fb_ = b.facts[ib]
                found = anchors(fa_, fb_, qs[i].get(ia, []), qs[j].get(ib, []))
                if not found:
                    continue
                m = match_for(a, b, ia, ib, known)
                if m.relation == "duplicate":
                    continue
                anchored.add(frozenset({(m.a.article_id, m.a.index), (m.b.article_id, m.b.index)}))
                fa, fb = fa_, fb_
                if m.a is not fa.sentence:  # the alignment's own orientation
                    fa, fb, found = fb, fa, [Anchor(x.b, x.a, x.what) for x in found]
                hedge = hedge_conflict(m, found) or deal_stage(m)
                out.extend(zone_conflicts(m, _clock_times(fa, found)))
                if hedge is not None:
                    _keep_lead(hedges, hedge)
                if any(x.what in ("n", "time") for x in found):  # names or a deal alone: no date
                    dating = (_dating(fa, [x.a for x in found]), _dating(fb, [x.b for x in found]))
                    out.extend(date_conflicts(fa, fb, m, dating))
        ids = {a.article.id, b.article.id}
        for m in existing:  # aligned pairs with no anchor: a hedge over the same clause
            if {m.a.article_id, m.b.article_id} != ids:
                continue
            out.extend(aligned_conflicts(m))  # place, stage, sayer (conflicts.aligned)
            ends = frozenset({(m.a.article_id, m.a.index), (m.b.article_id, m.b.index)})
            if ends not in anchored:
                hedge = aligned_hedge(m)
                if hedge is not None:
                    _keep_lead(hedges, hedge)
        out.extend(hedges.values())
        out.extend(
            locality_conflicts(
                [sf.sentence.text for sf in a.facts],
                [sf.sentence.text for sf in b.facts],
                a.article.text,
                b.article.text,
                partial(match_for, a, b, known=known),
            )
        )
        texts_a = [sf.sentence.text for sf in a.facts]
        texts_b = [sf.sentence.text for sf in b.facts]
        pair_match = partial(match_for, a, b, known=known)
        out.extend(region_conflicts(texts_a, texts_b, pair_match))
        out.extend(anywhere_conflicts(texts_a, texts_b, pair_match))  # harm, control, stage...
    return out


def _clock_times(
    fa: SentenceFacts, found: Sequence[Anchor]
) -> list[tuple[tuple[int, int], tuple[int, int], float]]:
    """The shared clock times of an anchored pair: both spans and the minutes (a's fact)."""
    value = {(f.start, f.end): float(f.value) for f in fa.facts if f.kind == "number"}
    return [(x.a, x.b, value[x.a]) for x in found if x.what == "time" and x.a in value]


def _keep_lead(hedges: dict[tuple[str, int], Conflict], hedge: Conflict) -> None:
    """A hedged sentence is held against one partner only: the first sentence of the other
    outlet that states the fact plainly (its lead, where an outlet gives its version; later
    mentions repeat it in passing, however close their wording)."""
    m = hedge.match
    hedged = m.a if _hedged_side(hedge) == "a" else m.b
    key = (hedged.article_id, hedged.index)
    if key not in hedges or _plain_index(hedge) < _plain_index(hedges[key]):
        hedges[key] = hedge


def _plain_index(c: Conflict) -> int:
    """Where the plain (unhedged) sentence of a hedge conflict stands in its article."""
    return (c.match.b if _hedged_side(c) == "a" else c.match.a).index


def _dating(sf: SentenceFacts, spans: Sequence[tuple[int, int]]) -> list[Fact]:
    """The dates of a sentence that date its anchored fact: in the anchor's own clause (a
    frame word in common: "paused at 7:30 p.m." is not dated by "will resume Wednesday")."""
    anchored = [f for f in sf.facts if (f.start, f.end) in spans]
    frames = {w for f in anchored for w in f.frame}
    return [
        f
        for f in sf.facts
        if f.kind in ("date", "weekday") and (not f.frame or not frames or frames & set(f.frame))
    ]


def _hedged_side(c: Conflict) -> str:
    """Which side of a hedge conflict carries the hedge (its span is the hedge words)."""
    from factcheck.hedge_words import HEDGES

    return "a" if c.a_spans and HEDGES.fullmatch(c.a_spans[0].text) else "b"
