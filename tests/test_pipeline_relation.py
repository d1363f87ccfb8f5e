"""How the pipeline consults the claim-relation model: only where it can change the outcome,
once per distinct sentence pair (plumbing, with a fake embedder and a counting fake model)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from fakes import FakeEmbedder

from factcheck.config import Config
from factcheck.pipeline import Pipeline
from factcheck.types import Article


@dataclass
class Scores:
    same: np.ndarray
    conflict: np.ndarray


class CountingModel:
    """Says "same claim" (p=0.9) for every pair and records what it was asked."""

    name = "counting-fake"

    def __init__(self) -> None:
        self.asked: list[tuple[str, str]] = []

    def predict(self, pairs: Sequence[tuple[str, str]]) -> Scores:
        self.asked.extend(pairs)
        n = len(pairs)
        return Scores(same=np.full(n, 0.9), conflict=np.full(n, 0.05))


WIRE = (
    "The harbour authority said the new pier in Riverton would open in late September. "
    "Officials expect about 4,000 visitors on the first weekend of the season. "
    "The project cost 12 million dollars, according to the authority."
)
# same first sentence word for word, second reworded, third about something else entirely
PAPER = (
    "The harbour authority said the new pier in Riverton would open in late September. "
    "About 4,000 visitors are expected by officials during the opening weekend. "
    "A local bakery won a regional prize for its rye bread on Sunday."
)


def _pipeline(model: CountingModel, **config: object) -> Pipeline:
    cfg = Config(same_claim_threshold=0.6, related_threshold=0.3, **config)  # type: ignore[arg-type]
    return Pipeline(cfg, embedder=FakeEmbedder(), relation=model)


def _articles() -> list[Article]:
    return [Article(id="w", source="wire", text=WIRE), Article(id="p", source="paper", text=PAPER)]


def test_identical_sentences_never_reach_the_model() -> None:
    model = CountingModel()
    report = _pipeline(model).compare(_articles())
    dup = [m for m in report.matches if m.relation == "duplicate"]
    assert dup and all(m.same_prob is None for m in dup)
    assert all(a != b for a, b in model.asked)
    assert not any(a.startswith("The harbour authority") for a, _ in model.asked)


def test_the_model_promotes_a_reworded_pair_and_its_scores_are_kept() -> None:
    model = CountingModel()
    report = _pipeline(model).compare(_articles())
    asked = [m for m in report.matches if m.same_prob is not None]
    assert asked, "the reworded pair should have been sent to the model"
    assert all(m.relation == "same_claim" and m.same_prob == 0.9 for m in asked)


def test_each_pair_is_scored_once_across_calls() -> None:
    model = CountingModel()
    pipe = _pipeline(model)
    first = pipe.compare(_articles())
    n = len(model.asked)
    assert n > 0
    second = pipe.compare(_articles())
    assert len(model.asked) == n  # served from the relation cache
    assert [m.same_prob for m in first.matches] == [m.same_prob for m in second.matches]


def test_without_cache_the_model_is_asked_again() -> None:
    model = CountingModel()
    pipe = _pipeline(model, relation_cache_size=0)
    pipe.compare(_articles())
    n = len(model.asked)
    pipe.compare(_articles())
    assert len(model.asked) == 2 * n


def test_only_each_sentences_best_partners_per_source_are_sent() -> None:
    from factcheck.pipeline import _best_per_side

    # sentence (0, 0) has three partners in article 1; each partner's own best is elsewhere
    keys = [(0, 0, 1, 0), (0, 0, 1, 1), (0, 0, 1, 2), (0, 1, 1, 1), (0, 2, 1, 2)]
    scores = [0.70, 0.65, 0.60, 0.75, 0.72]
    kept = _best_per_side(keys, scores, ["wire", "paper"], 1)
    assert [keys[n] for n in kept] == [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 1, 2)]
    assert _best_per_side(keys, scores, ["wire", "paper"], 3) == list(range(len(keys)))
