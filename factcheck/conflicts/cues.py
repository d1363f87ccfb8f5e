"""``negation`` and ``hedge``: one rule over the cue words both sentences attach to a verb.

The same verb denied on one side only is a negation; a qualifier ("reportedly", "directly") on a
verb both report, on one side only, is a hedge. Hedges are also emitted by the claim rules
(``factcheck.anchors``) and the intensity rule (``factcheck.intensity``).
"""

from __future__ import annotations

import re

from factcheck.conflicts.common import _span
from factcheck.conflicts.registry import ConflictKind, register
from factcheck.normalize import typographic
from factcheck.types import Conflict, Cue, Match, SentenceFacts, Span


def _forms(lemma: str) -> list[str]:
    """Common inflections of a verb lemma, to find it in a sentence we only have text for."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms.update({lemma[:-1] + "ies", lemma[:-1] + "ied"})
    return sorted(forms, key=len, reverse=True)


def _phrase_span(text: str, head: str) -> Span | None:
    """The verb phrase around ``head`` with any auxiliary and negation: "does not use"."""
    pat = re.compile(
        r"\b(?:(?:do|does|did|is|are|was|were|has|have|had|will|would|can|could)\s+)?"
        r"(?:(?:not|never|n't)\s+)?(?:\w+ly\s+)?(?:"
        + "|".join(map(re.escape, _forms(head)))
        + r")\b",
        re.I,
    )
    hit = pat.search(typographic(text))
    return _span(text, hit.start(), hit.end()) if hit else None


_CONTRAST = re.compile(r"\s*(?:a|an|the)\b", re.I)


def _contrastive(text: str, cue: Cue) -> bool:
    """ "not a listed company": a negation that contrasts two nouns, not one that denies."""
    return cue.text.lower() == "not" and bool(_CONTRAST.match(text, cue.end))


def _heads(facts: SentenceFacts, kind: str) -> dict[str, list[Cue]]:
    out: dict[str, list[Cue]] = {}
    for c in facts.cues:
        if c.kind == kind and c.head:
            out.setdefault(c.head, []).append(c)
    return out


# Qualifiers that only date a claim ("initially", "so far", "yet"): on two reports that both
# deny the same thing ("no deaths were initially reported" / "no deaths have been reported") they
# say when nothing had been found, not that one report is less sure.
_TEMPORAL = frozenset(("initially", "so far", "yet"))


def _cue_conflicts(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    out: list[Conflict] = []
    la, lb = set(fa.lemmas), set(fb.lemmas)
    # Negation: the same verb is negated on one side only.
    neg_a, neg_b = _heads(fa, "negation"), _heads(fb, "negation")
    hedge_a, hedge_b = _heads(fa, "hedge"), _heads(fb, "hedge")
    for head in sorted(set(neg_a) ^ set(neg_b)):
        if head not in la or head not in lb:
            continue
        a_has = head in neg_a
        cues = neg_a[head] if a_has else neg_b[head]
        text = m.a.text if a_has else m.b.text
        if all(_contrastive(text, c) for c in cues):
            continue  # "a private company, not a listed company": no claim is denied
        if head in (hedge_b if a_has else hedge_a):
            continue  # "did not spill" vs "may spill": a fact and a possibility, two claims
        other_text = m.b.text if a_has else m.a.text
        other_span = _phrase_span(other_text, head)
        cue_spans = tuple(_span(m.a.text if a_has else m.b.text, c.start, c.end) for c in cues)
        neg_src, pos_src = (m.a_source, m.b_source) if a_has else (m.b_source, m.a_source)
        explanation = (
            f'Negation differs on "{head}": "{cues[0].text}" in {neg_src}, affirmative in {pos_src}'
        )
        spans_other = (other_span,) if other_span else ()
        out.append(
            Conflict(
                type="negation",
                severity="high",
                explanation=explanation,
                match=m,
                a_spans=cue_spans if a_has else spans_other,
                b_spans=spans_other if a_has else cue_spans,
            )
        )
    # Hedges: a qualifier ("directly", "reportedly") on a verb both sides report, on one only
    # (not where only one side denies the verb: that is two claims).
    words_a = {c.text.lower() for c in fa.cues if c.kind == "hedge"}
    words_b = {c.text.lower() for c in fb.cues if c.kind == "hedge"}
    for side_has, hedges, other_lemmas, other_words in (
        ("a", hedge_a, lb, words_b),
        ("b", hedge_b, la, words_a),
    ):
        for head, cues in sorted(hedges.items()):
            missing = [c for c in cues if c.text.lower() not in other_words]
            if not missing or head not in other_lemmas or (head in neg_a) != (head in neg_b):
                continue
            if all(c.text.lower() in _TEMPORAL for c in missing) and set(neg_a) & set(neg_b):
                continue  # "no deaths were initially reported" / "no deaths have been reported"
            has_text = m.a.text if side_has == "a" else m.b.text
            lacks_text = m.b.text if side_has == "a" else m.a.text
            has_src = m.a_source if side_has == "a" else m.b_source
            lacks_src = m.b_source if side_has == "a" else m.a_source
            has_span = _phrase_span(has_text, head)
            lacks_span = _phrase_span(lacks_text, head)
            cue_words = ", ".join(f'"{c.text}"' for c in missing)
            if has_span and lacks_span:
                detail = f': "{lacks_span.text}" ({lacks_src}) vs "{has_span.text}" ({has_src})'
            else:
                detail = ""
            has_spans = tuple(_span(has_text, c.start, c.end) for c in missing)
            if has_span:
                has_spans = (has_span, *has_spans)
            lacks_spans = (lacks_span,) if lacks_span else ()
            out.append(
                Conflict(
                    type="hedge",
                    severity="medium",
                    explanation=f"Qualifier {cue_words} only in {has_src}{detail}",
                    match=m,
                    a_spans=has_spans if side_has == "a" else lacks_spans,
                    b_spans=lacks_spans if side_has == "a" else has_spans,
                )
            )
    return out


NEGATION = register(
    ConflictKind(
        name="negation",
        label="Negation",
        description="one report denies what the other affirms",
        order=40,
        detector=_cue_conflicts,  # emits hedges too
    )
)
HEDGE = register(
    ConflictKind(
        name="hedge",
        label="Qualifier",
        description="a fact one report states and another only qualifies or reports as believed",
        order=50,
    )
)
