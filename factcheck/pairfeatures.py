"""Typed differences between two sentences, as features for the conflict model.

The cross-encoder reads both sentences but, at six layers and a few thousand training pairs, it
barely compares numbers: "less than $166.4 million" against "$166.5 million" looks like
agreement to it. These features say what the typed facts say: which quantities the two sentences
share and whether they agree (bounds included, ``factcheck.quantities``), which dates, whether one
side negates, how much of each side the other leaves out. ``factcheck.relation`` combines them
with the cross-encoder's probabilities in a gradient-boosted tree ensemble
(``factcheck.conflict_stack``, fitted by ``models/fit_conflict.py``).
All regular expressions, no parser: about a millisecond for two sentences not seen before;
each sentence is parsed once and remembered, since it meets several partners.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from factcheck.facts import parse_dates, parse_numbers
from factcheck.lexicon import FEATURE_STOP_WORDS
from factcheck.quantities import date_within, mutual_nearest, numbers_compatible
from factcheck.types import Fact

# Order matters: it is the column order of the fitted weights (checked when they are loaded).
FEATURE_NAMES: tuple[str, ...] = (
    "log_p_same",
    "log_p_conflict",
    "log_p_neutral",
    "similarity",
    "numbers_agree",
    "numbers_disagree",
    "bounds_agree",
    "bounds_disagree",
    "numbers_disagree_gap",
    "numbers_unpaired_min",
    "numbers_unpaired_max",
    "dates_agree",
    "dates_disagree",
    "date_bounds_agree",
    "date_bounds_disagree",
    "negation_differs",
    "negations_diff",
    "novel_words_min",
    "novel_words_max",
    "novel_names_min",
    "novel_names_max",
    "any_disagree_x_log_p_conflict",
    "any_agree_x_log_p_conflict",
)

_NEGATION = re.compile(
    r"\b(?:not|no|never|none|nobody|nothing|neither|nor|without|cannot|failed to|fails to)\b"
    r"|n't\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'-]*")
_STOP = FEATURE_STOP_WORDS
_EPS = 1e-6


@dataclass(frozen=True)
class _Parsed:
    """What the features need from one sentence, parsed once (a sentence meets many partners)."""

    text: str  # space-tokenised punctuation rejoined
    numbers: tuple[Fact, ...]
    dates: tuple[Fact, ...]  # calendar dates with a year (a year-less one cannot be ordered)
    negations: int
    words: frozenset[str]  # content words, lower case
    names: frozenset[str]  # capitalised words not opening the sentence, lower case


_SPACED_PUNCT = re.compile(r"\s+([,.;:%)])")


@functools.lru_cache(maxsize=32_768)
def _parse(raw: str) -> _Parsed:
    """Space-tokenised text ("November 28 , 1967", "27 %", common in corpora built from
    Wikipedia) is rejoined first, so its dates and percentages parse like ordinary prose."""
    text = _SPACED_PUNCT.sub(r"\1", raw)
    tokens = _WORD.findall(text)
    return _Parsed(
        text=text,
        numbers=tuple(f for f in parse_numbers(text) if f.unit not in ("ordinal", "name")),
        dates=tuple(
            f for f in parse_dates(text) if f.kind == "date" and not str(f.value).startswith("-")
        ),
        negations=len(_NEGATION.findall(text)),
        words=frozenset(t.lower() for t in tokens if t.lower() not in _STOP),
        names=frozenset(
            t.lower() for t in tokens[1:] if t[:1].isupper() and t.lower() not in _STOP
        ),
    )


def _date_bounds(fa: Sequence[Fact], fb: Sequence[Fact]) -> tuple[int, int]:
    """(agree, disagree): dates of a written as bounds ("after 2005") against b's dates."""
    agree = disagree = 0
    for f in fa:
        if f.bound is None or not fb:
            continue
        verdicts = [date_within(f.bound, str(f.value), str(g.value)) for g in fb]
        if any(v is True for v in verdicts):
            agree += 1
        elif any(v is False for v in verdicts):
            disagree += 1
    return agree, disagree


def _date_agrees(d: str, others: frozenset[str]) -> bool:
    """ "2021-03" agrees with "2021-03-05" and "2021": one is a coarser writing of the other."""
    return any(d.startswith(e) or e.startswith(d) for e in others)


def _novel(x: frozenset[str], y: frozenset[str]) -> float:
    return len(x - y) / len(x) if x else 0.0


def typed_features(a: str, b: str) -> list[float]:
    """The text part of the features (everything but the four model outputs), symmetric in a, b."""
    pa, pb = _parse(a), _parse(b)
    na, nb = pa.numbers, pb.numbers
    pairs = mutual_nearest(na, nb, pa.text, pb.text)
    agree = disagree = bounds_agree = bounds_disagree = 0
    gap = 0.0
    for x, y in pairs:
        bounded = bool(x.bound or y.bound)
        if numbers_compatible(x, y):
            agree += 1
            bounds_agree += bounded
        else:
            disagree += 1
            bounds_disagree += bounded
            hi = max(abs(float(x.value)), abs(float(y.value)), _EPS)
            gap = max(gap, min(1.0, abs(float(x.value) - float(y.value)) / hi))
    unpaired = (len(na) - len(pairs), len(nb) - len(pairs))
    ba, bb = _date_bounds(pa.dates, pb.dates), _date_bounds(pb.dates, pa.dates)
    da = frozenset(str(f.value) for f in pa.dates)
    db = frozenset(str(f.value) for f in pb.dates)
    dates_agree = sum(_date_agrees(d, db) for d in da) if db else 0
    dates_disagree = 0
    if da and db:
        dates_disagree = min(
            sum(not _date_agrees(d, db) for d in da), sum(not _date_agrees(d, da) for d in db)
        )
    novel = (_novel(pa.words, pb.words), _novel(pb.words, pa.words))
    names = (float(len(pa.names - pb.names)), float(len(pb.names - pa.names)))
    return [
        float(agree),
        float(disagree),
        float(bounds_agree),
        float(bounds_disagree),
        gap,
        float(min(unpaired)),
        float(max(unpaired)),
        float(dates_agree),
        float(dates_disagree),
        float(ba[0] + bb[0]),
        float(ba[1] + bb[1]),
        float(pa.negations != pb.negations),
        float(abs(pa.negations - pb.negations)),
        min(novel),
        max(novel),
        min(names),
        max(names),
    ]


def design_row(
    p_same: float, p_conflict: float, p_neutral: float, similarity: float, typed: Sequence[float]
) -> list[float]:
    """One row in ``FEATURE_NAMES`` order: model outputs, typed features, two interactions."""
    log_c = math.log(p_conflict + _EPS)
    any_disagree = float(typed[1] > 0 or typed[8] > 0 or typed[10] > 0)
    any_agree = float(typed[0] > 0 or typed[7] > 0 or typed[9] > 0)
    return [
        math.log(p_same + _EPS),
        log_c,
        math.log(p_neutral + _EPS),
        similarity,
        *typed,
        any_disagree * log_c,
        any_agree * log_c,
    ]


def design_matrix(
    pairs: Sequence[tuple[str, str]],
    same: np.ndarray,
    conflict: np.ndarray,
    neutral: np.ndarray,
    similarity: np.ndarray,
) -> np.ndarray:
    """Rows of :func:`design_row` for scored pairs, shape ``(len(pairs), len(FEATURE_NAMES))``."""
    rows = [
        design_row(
            float(same[i]),
            float(conflict[i]),
            float(neutral[i]),
            float(similarity[i]),
            typed_features(a, b),
        )
        for i, (a, b) in enumerate(pairs)
    ]
    return np.asarray(rows, dtype=np.float64).reshape(len(pairs), len(FEATURE_NAMES))
