"""Typed pair features for the conflict model: what they say on invented report pairs."""

from __future__ import annotations

import numpy as np
import pytest

from factcheck.pairfeatures import FEATURE_NAMES, design_matrix, typed_features

TYPED = FEATURE_NAMES[4:-2]  # the text part: between the model outputs and the interactions


def feats(a: str, b: str) -> dict[str, float]:
    return dict(zip(TYPED, typed_features(a, b), strict=True))


def test_a_violated_bound_is_a_disagreement() -> None:
    f = feats("The film made less than $81.4 million.", "The film made $81.5 million.")
    assert f["numbers_disagree"] == 1 and f["bounds_disagree"] == 1
    assert f["numbers_agree"] == 0


def test_a_satisfied_bound_and_rounding_agree() -> None:
    f = feats("He scored more than 120 goals in the league.", "He scored 121 goals in the league.")
    assert f["numbers_agree"] == 1 and f["bounds_agree"] == 1 and f["numbers_disagree"] == 0


def test_extra_figures_are_unpaired_not_contradicting() -> None:
    f = feats(
        "The storm killed 12 people.",
        "The storm killed 12 people and left 3,400 homes without power for 2 days.",
    )
    assert f["numbers_agree"] == 1 and f["numbers_disagree"] == 0
    assert f["numbers_unpaired_min"] == 0 and f["numbers_unpaired_max"] == 2


def test_date_bounds() -> None:
    f = feats("The band split up after 2005.", "The band broke up in 2006.")
    assert f["date_bounds_agree"] == 1 and f["date_bounds_disagree"] == 0
    f = feats("The surgery was announced before 2008.", "The surgery was announced in 2009.")
    assert f["date_bounds_disagree"] == 1 and f["date_bounds_agree"] == 0


def test_negation_and_wikipedia_spacing() -> None:
    f = feats("The mayor did not resign .", "The mayor resigned on November 28 , 1967 .")
    assert f["negation_differs"] == 1 and f["negations_diff"] == 1
    # "November 28 , 1967" (space-tokenised) still parses as one full date on both sides
    f = feats("Born on November 28 , 1967 .", "He was born November 28, 1967.")
    assert f["dates_agree"] == 1 and f["dates_disagree"] == 0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Less than 27 % of critics liked it.", "27 % of critics liked it, based on 16 reviews."),
        ("The band split up after 2005.", "The band broke up in 2006 in Berlin."),
    ],
)
def test_features_are_symmetric(a: str, b: str) -> None:
    assert typed_features(a, b) == typed_features(b, a)


def test_design_matrix_has_one_named_column_per_feature() -> None:
    pairs = [("It cost $5 million.", "It cost $7 million."), ("A cat.", "A dog.")]
    probs = np.array([0.2, 0.5])
    x = design_matrix(pairs, probs, probs, 1 - 2 * probs + 0.5, probs)
    assert x.shape == (2, len(FEATURE_NAMES)) and np.isfinite(x).all()
    col = FEATURE_NAMES.index("any_disagree_x_log_p_conflict")
    assert x[0, col] == pytest.approx(np.log(0.2 + 1e-6)) and x[1, col] == 0.0
