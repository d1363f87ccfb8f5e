"""``entity``: the same statement naming two different people or places."""

from __future__ import annotations

import re

from factcheck.conflicts.common import (
    SWAP_MIN_OVERLAP,
    _name_words,
    _overlap,
    _pair_up,
    _same_entity,
    _span,
)
from factcheck.conflicts.registry import ConflictKind, register
from factcheck.types import Conflict, Fact, Match, SentenceFacts


def _checkable_entity(f: Fact) -> bool:
    """An entity worth comparing: a name of some length ("I.T." or "US" as a place is an
    abbreviation the small NER model mislabels more often than not), and for a person a full
    name (the small model calls a company a person now and then)."""
    value = str(f.value).replace(".", "").strip()
    return len(value) > 3 and (f.kind != "person" or len(value.split()) >= 2)


# A dateline that opens a sentence ("Moscow/Seoul :", "ADANA, Turkey (AP) —"): where the copy
# was filed, not a place the story is about.
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Za-z.'-]*(?:[ ,/]+[A-Z][A-Za-z.'-]*){0,3}"
    r"(?:\s*\([A-Za-z]+\))?\s*[:\u2014\u2013]\s"
)


def _entities(sf: SentenceFacts, kind: str) -> list[Fact]:
    dateline = _DATELINE.match(sf.sentence.text)
    start = dateline.end() if dateline else 0
    return [f for f in sf.facts if f.kind == kind and f.start >= start]


def _entity_conflicts(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    out: list[Conflict] = []
    speakers = [s for s in (m.a.speaker, m.b.speaker) if s]
    for kind in ("person", "place"):
        all_a, all_b = _entities(fa, kind), _entities(fb, kind)
        ea = [f for f in all_a if _checkable_entity(f)]
        eb = [f for f in all_b if _checkable_entity(f)]
        if not ea or len(ea) != len(eb):
            continue
        # a short name ("the US") is too unsure to flag, but it still agrees
        left = [x for x in ea if not any(_same_entity(str(x.value), str(y.value)) for y in all_b)]
        right = [y for y in eb if not any(_same_entity(str(x.value), str(y.value)) for x in all_a)]
        left = [x for x in left if not any(_same_entity(str(x.value), s) for s in speakers)]
        right = [y for y in right if not any(_same_entity(str(y.value), s) for s in speakers)]
        if not left or not right:
            continue
        names = _name_words(*(str(f.value) for f in (*ea, *eb)), *(f.text for f in (*ea, *eb)))
        if _overlap(m, names) < SWAP_MIN_OVERLAP:
            continue
        for x, y in _pair_up(m, left, right):
            out.append(
                Conflict(
                    type="entity",
                    severity="medium",
                    explanation=(
                        f'{kind.capitalize()} differs: "{x.text}" ({m.a_source}) vs "{y.text}" '
                        f"({m.b_source})"
                    ),
                    match=m,
                    a_spans=(_span(m.a.text, x.start, x.end),),
                    b_spans=(_span(m.b.text, y.start, y.end),),
                )
            )
    return out


# ----------------------------------------------------------------------------- entry point


KIND = register(
    ConflictKind(
        name="entity",
        label="Name or place",
        description="the same statement naming two different people or places",
        order=70,
        detector=_entity_conflicts,
    )
)
