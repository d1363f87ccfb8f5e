"""``attribution``: the same words credited to two different named people."""

from __future__ import annotations

from factcheck.conflicts.common import (
    _PRONOUNS,
    _ROLE_HINT,
    SWAP_MIN_OVERLAP,
    _name_words,
    _overlap,
    _same_entity,
    _span,
    _surname,
)
from factcheck.conflicts.registry import ConflictKind, register
from factcheck.types import Conflict, Match, SentenceFacts, Span


def _is_name(name: str | None) -> bool:
    if not name:
        return False
    words = name.split()
    if not words or _ROLE_HINT.search(name) or words[0].lower() in _PRONOUNS:
        return False
    return all(w[:1].isupper() for w in words if w[:1].isalpha())


def _is_person(facts: SentenceFacts, name: str) -> bool:
    """The speaker reads as a person's full name, not "the Ministry", "Beijing" or an
    organisation the sentence names ("Acme Inc", "Harbor Pipeline Co")."""
    return len(name.split()) >= 2 and not any(
        f.kind in ("org", "place") and _same_entity(str(f.value), name) for f in facts.facts
    )


def _attribution_conflicts(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    sa, sb = m.a.speaker, m.b.speaker
    if not (_is_name(sa) and _is_name(sb)) or sa is None or sb is None:
        return []
    if not (_is_person(fa, sa) and _is_person(fb, sb)):
        return []
    if _surname(sa) == _surname(sb):
        return []
    if _overlap(m, _name_words(sa, sb)) < SWAP_MIN_OVERLAP:
        return []
    return [
        Conflict(
            type="attribution",
            severity="high",
            explanation=f"Attributed to {sa} ({m.a_source}) but to {sb} ({m.b_source})",
            match=m,
            a_spans=_name_spans(m.a.text, sa),
            b_spans=_name_spans(m.b.text, sb),
        )
    ]


def _name_spans(text: str, name: str) -> tuple[Span, ...]:
    for probe in (name, name.split()[-1]):
        i = text.find(probe)
        if i >= 0:
            return (_span(text, i, i + len(probe)),)
    return ()


KIND = register(
    ConflictKind(
        name="attribution",
        label="Attribution",
        description="the same statement attributed to two different people",
        order=60,
        detector=_attribution_conflicts,
    )
)
