"""``attribution``: the same words credited to two different named people."""

from __future__ import annotations

import difflib
import re

from factcheck.conflicts.common import (
    _PRONOUNS,
    _ROLE_HINT,
    SWAP_MIN_OVERLAP,
    _name_words,
    _overlap,
    _same_entity,
    _span,
    _surname,
    _tokens,
)
from factcheck.conflicts.registry import ConflictKind, register
from factcheck.facts import _wordset as _words_of
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


# Who vouches for a claim: unnamed sources ("industry sources said", "people familiar with the
# matter") or someone on the record ("the company said"). Two copies of one sentence that move
# a claim between the two credit it differently, whatever else they share.
_SAYS = _words_of("said says say told tells reported confirmed stated according")
_ANONYMOUS = re.compile(
    r"\b(?:sources?|insiders?|people\s+familiar|persons?\s+familiar|officials?\s+who\s+"
    r"(?:spoke|asked|declined)|(?:an?\s+)?unnamed)\b",
    re.IGNORECASE,
)
NEAR_COPY_SAYER = 0.85  # cosine from which two sentences are one sentence edited


def _sayer_swap(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    """The same sentence with its claim credited to unnamed sources in one outlet and to
    someone on the record in the other ("a cyber attack that industry sources said was caused
    by ransomware" / "... that the company said was caused by ransomware")."""
    if m.score < NEAR_COPY_SAYER:
        return []
    ta, tb = _tokens(m.a.text), _tokens(m.b.text)
    wa, wb = [t.word for t in ta], [t.word for t in tb]
    ops = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False).get_opcodes()
    for op, i1, i2, j1, j2 in ops:
        if op != "replace" or i2 - i1 > 5 or j2 - j1 > 5:
            continue
        if i2 >= len(wa) or j2 >= len(wb) or wa[i2] not in _SAYS or wb[j2] not in _SAYS:
            continue
        a_txt = m.a.text[ta[i1].start : ta[i2 - 1].end]
        b_txt = m.b.text[tb[j1].start : tb[j2 - 1].end]
        if bool(_ANONYMOUS.search(a_txt)) == bool(_ANONYMOUS.search(b_txt)):
            continue
        return [
            Conflict(
                type="attribution",
                severity="medium",
                explanation=(
                    f'Credited to "{a_txt}" ({m.a_source}) but to "{b_txt}" ({m.b_source}): '
                    "unnamed sources in one, on the record in the other"
                ),
                match=m,
                a_spans=(_span(m.a.text, ta[i1].start, ta[i2 - 1].end),),
                b_spans=(_span(m.b.text, tb[j1].start, tb[j2 - 1].end),),
            )
        ]
    return []


def _attribution_and_sayer(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    return _attribution_conflicts(fa, fb, m) or _sayer_swap(fa, fb, m)


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
        detector=_attribution_and_sayer,
    )
)
