"""The entry point: every registered rule over one aligned sentence pair."""

from __future__ import annotations

from collections.abc import Iterable

from factcheck.conflicts.quote import _quotes_compared
from factcheck.conflicts.registry import detectors
from factcheck.intensity import intensity_conflicts
from factcheck.types import Conflict, Match, SentenceFacts


def detect(
    fa: SentenceFacts,
    fb: SentenceFacts,
    match: Match,
    *,
    strong: bool = True,
    variants: list[Conflict] | None = None,
) -> list[Conflict]:
    """All typed conflicts between the two sentences of ``match`` (fa / fb are their facts).

    ``strong`` says the two sentences are close enough to be one statement; otherwise only the
    quote and intensity rules run (they check word by word), because a differing number or date
    in two merely similar sentences is usually two facts, not one disputed fact. Quote
    translation variants found on the way are appended to ``variants`` when it is given.
    """
    if match.relation == "duplicate":
        return []
    quotes, wording = _quotes_compared(fa, fb, match)
    if variants is not None:
        variants.extend(wording)
    out: list[Conflict] = [*quotes, *intensity_conflicts(fa, fb, match)]
    if strong:  # quotes are compared above, for every pair
        for detector in detectors():
            out.extend(detector(fa, fb, match))
    return out


def detect_all(
    pairs: Iterable[tuple[SentenceFacts, SentenceFacts, Match]],
) -> list[Conflict]:
    """Conflicts of many aligned pairs, in input order."""
    out: list[Conflict] = []
    for fa, fb, m in pairs:
        out.extend(detect(fa, fb, m))
    return out
