"""Typed differences between two sentences, as features for the conflict model.

The cross-encoder reads both sentences but, at six layers and a few thousand training pairs, it
barely compares numbers: "less than $166.4 million" against "$166.5 million" looks like
agreement to it. These features say what the typed facts say: which quantities the two sentences
share and whether they agree (bounds included, ``factcheck.quantities``), which dates, whether one
side negates, how much of each side the other leaves out. ``factcheck.relation`` combines them
with the cross-encoder's probabilities in a logistic model fitted by ``models/fit_conflict.py``.
All regular expressions, no parser: a pair costs well under a millisecond.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np

from factcheck.facts import parse_dates, parse_numbers
from factcheck.quantities import mutual_nearest, numbers_compatible
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
_STOPWORDS = (
    "the a an of in on at to for and or is was were are be been being by with as from that this "
    "these those it its his her their he she they them which who whom has have had will would "
    "can could may might also than then there here into onto out up down over under about"
)
_STOP = frozenset(_STOPWORDS.split())
_EPS = 1e-6


def _numbers(text: str) -> list[Fact]:
    return [f for f in parse_numbers(text) if f.unit not in ("ordinal", "name")]


_AFTER = re.compile(r"\b(?:after|since|following|later than|from)\s+(?:the\s+)?$", re.IGNORECASE)
_BEFORE = re.compile(
    r"\b(?:before|prior to|until|till|by|earlier than|up to)\s+(?:the\s+)?$", re.IGNORECASE
)


def _date_facts(text: str) -> list[Fact]:
    """Calendar dates with a year ("--02-05", a day without its year, cannot be ordered)."""
    return [f for f in parse_dates(text) if f.kind == "date" and not str(f.value).startswith("-")]


def _date_bound(text: str, f: Fact) -> str | None:
    before = text[max(0, f.start - 20) : f.start]
    if _AFTER.search(before):
        return ">"
    if _BEFORE.search(before):
        return "<"
    return None


def _date_verdict(bound: str, limit: str, value: str) -> bool | None:
    """Does ``value`` lie ``bound`` (after / before) ``limit``? None when the writings are too
    coarse to tell ("after 2019" vs "2019-06")."""
    n = min(len(limit), len(value))
    x, v = limit[:n], value[:n]
    if x == v:
        return None if len(limit) != len(value) else False
    return v > x if bound == ">" else v < x


def _date_bounds(text_a: str, fa: list[Fact], fb: list[Fact]) -> tuple[int, int]:
    """(agree, disagree): dates of a written as bounds ("after 2005") against b's dates."""
    agree = disagree = 0
    for f in fa:
        bound = _date_bound(text_a, f)
        if bound is None or not fb:
            continue
        verdicts = [_date_verdict(bound, str(f.value), str(g.value)) for g in fb]
        if any(v is True for v in verdicts):
            agree += 1
        elif any(v is False for v in verdicts):
            disagree += 1
    return agree, disagree


def _date_agrees(d: str, others: set[str]) -> bool:
    """ "2021-03" agrees with "2021-03-05" and "2021": one is a coarser writing of the other."""
    return any(d.startswith(e) or e.startswith(d) for e in others)


def _words(text: str) -> tuple[set[str], set[str]]:
    """(content words lower-cased, capitalised words not opening the sentence)."""
    tokens = _WORD.findall(text)
    words = {t.lower() for t in tokens if t.lower() not in _STOP}
    names = {t.lower() for t in tokens[1:] if t[:1].isupper() and t.lower() not in _STOP}
    return words, names


def _novel(x: set[str], y: set[str]) -> float:
    return len(x - y) / len(x) if x else 0.0


_SPACED_PUNCT = re.compile(r"\s+([,.;:%)])")


def typed_features(a: str, b: str) -> list[float]:
    """The text part of the features (everything but the four model outputs), symmetric in a, b.

    Space-tokenised text ("November 28 , 1967", "27 %", common in corpora built from Wikipedia)
    is rejoined first, so its dates and percentages parse like ordinary prose.
    """
    a, b = _SPACED_PUNCT.sub(r"\1", a), _SPACED_PUNCT.sub(r"\1", b)
    na, nb = _numbers(a), _numbers(b)
    pairs = mutual_nearest(na, nb, a, b)
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
    fa, fb = _date_facts(a), _date_facts(b)
    ba, bb = _date_bounds(a, fa, fb), _date_bounds(b, fb, fa)
    da, db = {str(f.value) for f in fa}, {str(f.value) for f in fb}
    dates_agree = sum(_date_agrees(d, db) for d in da) if db else 0
    dates_disagree = 0
    if da and db:
        dates_disagree = min(
            sum(not _date_agrees(d, db) for d in da), sum(not _date_agrees(d, da) for d in db)
        )
    neg_a, neg_b = len(_NEGATION.findall(a)), len(_NEGATION.findall(b))
    (wa, ca), (wb, cb) = _words(a), _words(b)
    novel = (_novel(wa, wb), _novel(wb, wa))
    names = (float(len(ca - cb)), float(len(cb - ca)))
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
        float(neg_a != neg_b),
        float(abs(neg_a - neg_b)),
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
