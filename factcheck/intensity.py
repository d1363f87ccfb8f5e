"""Intensity: the same word said with another strength ("very pleased" / "absolutely pleased",
"very glad" / "glad", "unlikely" / "extremely unlikely").

A translation may swap one intensifier for another of the same level ("absolutely" /
"perfectly"), but moving a claim up or down a level changes how strongly it was put, which a
fact-checker notes. Two aligned sentences are compared word by word: where both say the same
adjective or adverb and the intensifiers in front of it sit at different levels, that is a
conflict (typed ``quote`` when either side is inside quote marks, else ``hedge``).
"""

from __future__ import annotations

import re

from factcheck.types import Conflict, Match, SentenceFacts, Span

LEVELS: dict[str, int] = {
    w: level
    for level, words in enumerate(
        (
            "slightly somewhat fairly",
            "very really highly quite so greatly deeply",
            "extremely absolutely perfectly completely totally utterly entirely truly",
        ),
        start=1,
    )
    for w in words.split()
}
# an intensifier and the word it strengthens: "very pleased", "absolutely pleased", "extremely
# unlikely"; the head must be an adjective-looking word (not "very much", "so that")
_PAIR = re.compile(
    r"\b(?P<int>" + "|".join(sorted(LEVELS, key=len, reverse=True)) + r")\s+(?P<head>[a-z]{4,})\b",
    re.I,
)
_HEAD_WORDS = re.compile(r"\b(?P<head>[a-z]{4,})\b", re.I)
_NOT_HEADS = frozenset(("much", "many", "that", "when", "there", "this", "those", "these", "what"))


def _strengths(text: str) -> dict[str, tuple[int, int, int]]:
    """head word -> (level, start, end of the intensifier and head)."""
    out: dict[str, tuple[int, int, int]] = {}
    for m in _PAIR.finditer(text):
        head = m.group("head").lower()
        if head not in _NOT_HEADS:
            out.setdefault(head, (LEVELS[m.group("int").lower()], m.start(), m.end()))
    return out


def _plain(text: str, head: str) -> tuple[int, int] | None:
    """Where ``head`` stands in ``text`` with no intensifier in front of it."""
    for m in _HEAD_WORDS.finditer(text):
        if m.group("head").lower() == head:
            before = text[: m.start()].split()[-1:] or [""]
            if before[0].lower() not in LEVELS:
                return (m.start(), m.end())
    return None


def _quoted(sf: SentenceFacts, start: int, end: int) -> bool:
    s = sf.sentence
    return any(q.start - s.start <= start and end <= q.end - s.start for q in s.quotes)


def intensity_conflicts(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    """Conflicts where the two sentences say one word with intensifiers of different levels."""
    if m.relation == "duplicate":
        return []
    ta, tb = m.a.text, m.b.text
    sa, sb = _strengths(ta), _strengths(tb)
    out: list[Conflict] = []
    for head in sorted(set(sa) | set(sb)):
        a = sa.get(head)
        b = sb.get(head)
        span_a = (a[1], a[2]) if a else _plain(ta, head)
        span_b = (b[1], b[2]) if b else _plain(tb, head)
        if span_a is None or span_b is None:
            continue  # the word is not in both sentences
        la, lb = (a[0] if a else 0), (b[0] if b else 0)
        if la == lb:
            continue  # "absolutely" / "perfectly": one level, a translator's choice
        quoted = _quoted(fa, *span_a) or _quoted(fb, *span_b)
        pa, pb = ta[span_a[0] : span_a[1]], tb[span_b[0] : span_b[1]]
        out.append(
            Conflict(
                type="quote" if quoted else "hedge",
                severity="medium",
                explanation=(
                    f'Said with another strength: "{pa}" ({m.a_source}) vs "{pb}" ({m.b_source})'
                ),
                match=m,
                a_spans=(Span(span_a[0], span_a[1], pa),),
                b_spans=(Span(span_b[0], span_b[1], pb),),
            )
        )
    return out
