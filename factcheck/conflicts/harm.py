"""Harm denied and harm told: "No injuries were reported" in one outlet, "a firefighter was
seriously injured" in another (a negation conflict).

Whether anyone was hurt or killed is among the first facts a report of a fire, crash or attack
gives, and outlets that wrote at different hours often disagree on it. The denial and the
injury are rarely told in sentences that align as wholes ("No deaths or injuries were
reported." shares almost no words with "A firefighter was injured while tackling the blaze."),
so any two sentences of two outlets are compared, by the kind of harm each names: a denial of
deaths says nothing about injuries. A denial limited to a place or group ("no one on the
ground was hurt", "no casualties in Cyprus") and a harm told as a possibility ("could have been
killed") are not read, nor a harm in a sentence of history (a year, "decades").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from factcheck.conflicts.common import _span
from factcheck.conflicts.pairing import Hit, each_way
from factcheck.types import Conflict, Match

# The kind of harm a word names; "casualties" covers both.
_HARM_NOUNS = {
    "death": "death", "deaths": "death", "fatality": "death", "fatalities": "death",
    "injury": "injury", "injuries": "injury", "casualty": "both", "casualties": "both",
}  # fmt: skip
_HARM_VERBS = {"injured": "injury", "hurt": "injury", "wounded": "injury", "killed": "death"}
_NOUN = r"(deaths?|fatalit(?:y|ies)|injur(?:y|ies)|casualt(?:y|ies))"
_VERB = r"(injured|hurt|wounded|killed)"
_DENIAL = re.compile(
    rf"\bno\s+(?:immediate\s+|reported\s+)?(?:reports?\s+of\s+)?{_NOUN}"
    rf"(?:\s+(?:or|and)\s+{_NOUN})?\b"
    rf"|\b(?:nobody|no\s+one|no-one)\s+(?:was|were|has\s+been|had\s+been)\s+"
    rf"(?:\w+ly\s+)?{_VERB}(?:\s+or\s+{_VERB})?\b",
    re.I,
)
# A denial for one place or group only: another outlet's injured worker may be elsewhere
# ("no casualties were reported in Cyprus" after a quake that killed thousands elsewhere).
_SCOPED = re.compile(
    r"(?i:\b(?:on\s+the\s+ground|on\s+board|aboard|among)\b)|\b(?:in|at)\s+(?:the\s+)?[A-Z]",
)
_HARMED = re.compile(rf"\b(?:was|were|been)\s+(?:\w+ly\s+)?{_VERB}\b|\b(died)\b", re.I)
_MODAL = re.compile(r"\b(?:could|would|might|may|must)\s+(?:not\s+)?have\s+$", re.I)
# A sentence that names a year or a span of decades tells history ("two civil wars over five
# decades, and some 2 million died"): its dead are not the event's.
_HISTORY = re.compile(r"\b(?:1[5-9]\d\d|20\d\d)\b|\b(?:decades?|centuries|century)\b", re.I)


def _kinds(words: Sequence[str | None]) -> set[str]:
    out: set[str] = set()
    for w in words:
        if w is None:
            continue
        k = _HARM_NOUNS.get(w.lower()) or _HARM_VERBS.get(w.lower(), "death")
        out |= {"death", "injury"} if k == "both" else {k}
    return out


def denied(text: str) -> tuple[set[str], tuple[int, int]] | None:
    """The kinds of harm a sentence says nobody suffered, and where it says so."""
    m = _DENIAL.search(text)
    if m is None or _SCOPED.search(text):
        return None
    return _kinds(m.groups()), m.span()


def harmed(text: str) -> tuple[str, tuple[int, int]] | None:
    """The kind of harm a sentence says someone suffered (not denied, not a possibility)."""
    if _DENIAL.search(text) or re.search(r"\b(?:not|never|no)\b", text, re.I):
        return None
    if _HISTORY.search(text):
        return None
    for m in _HARMED.finditer(text):
        if _MODAL.search(text[: m.start()]):
            continue
        return next(iter(_kinds([m.group(1) or m.group(2)]))), m.span()
    return None


def harm_conflict(m: Match, x: tuple[int, int], y: tuple[int, int], a_denies: bool) -> Conflict:
    """The conflict of a denial and a harm told (``x`` on ``m.a``, ``y`` on ``m.b``; the
    denial is ``x`` when ``a_denies``)."""
    a, b = _span(m.a.text, *x), _span(m.b.text, *y)
    no, yes = (m.a_source, m.b_source) if a_denies else (m.b_source, m.a_source)
    return Conflict(
        type="negation",
        severity="high",
        explanation=f'Harm denied in {no} ("{(a if a_denies else b).text}") but told in {yes}',
        match=m,
        a_spans=(a,),
        b_spans=(b,),
    )


def harm_conflicts(
    sentences_a: Sequence[str],
    sentences_b: Sequence[str],
    match: Callable[[int, int], Match],
) -> list[Conflict]:
    """The first denial of one outlet against the first harm of the same kind the other tells
    (either way round); ``match`` gives the pair of sentence ``i`` of a and ``j`` of b."""

    def find(no: Sequence[str], yes: Sequence[str]) -> Hit | None:
        pairs = [
            (i, j, d[1], h[1])
            for i, t in enumerate(no)
            if (d := denied(t)) is not None
            for j, u in enumerate(yes)
            if (h := harmed(u)) is not None and h[0] in d[0]
        ]
        return pairs[0] if pairs else None

    return each_way(sentences_a, sentences_b, match, find, harm_conflict)
