"""The cut-offs live in one frozen config (``factcheck.config.CutOffs``) that the pipeline reads:
changing one changes the pipeline's decision; a value out of range is refused with a fix."""

from __future__ import annotations

import pytest

from factcheck.config import Config, CutOffs
from factcheck.errors import ConfigError
from factcheck.pipeline import Pipeline, sentence_views
from factcheck.types import Match, Quote, Sentence, SentenceFacts


def _match(score: float, conflict_prob: float | None = None) -> Match:
    a = Sentence("a", 0, 0, 20, "The toll rose to 14.")
    b = Sentence("b", 0, 0, 20, "The toll rose to 19.")
    return Match(a, b, "herald", "wire", score, "same_claim", conflict_prob=conflict_prob)


def test_defaults_are_the_documented_values() -> None:
    cut = Config().cutoffs
    assert (cut.strong_match, cut.conflict_gate, cut.near_copy) == (0.80, 0.5, 0.90)
    assert (cut.partners_per_sentence, cut.copy_sentence_score) == (3, 0.95)


def test_the_pipeline_reads_its_cutoffs() -> None:
    default = Pipeline(embedder=object(), relation=None)  # type: ignore[arg-type]
    strict = Pipeline(
        Config(cutoffs=CutOffs(strong_match=0.9, conflict_gate=0.8)),
        embedder=object(),  # type: ignore[arg-type]
        relation=None,
    )
    assert default._is_strong(_match(0.85)) and not strict._is_strong(_match(0.85))
    assert default._is_strong(_match(0.5, conflict_prob=0.6))
    assert not strict._is_strong(_match(0.5, conflict_prob=0.6))


def test_quote_views_follow_the_share_cutoff() -> None:
    text = 'He said "the bridge will reopen next week after repairs" on Tuesday.'
    lo, hi = text.index('"') + 1, text.rindex('"')
    s = Sentence("a", 0, 0, len(text), text, (Quote(lo, hi, text[lo:hi], "He"),))
    facts = [SentenceFacts(s, (), (), ())]
    assert len(sentence_views(facts, 4, CutOffs().quote_view_max_share)) == 2
    assert len(sentence_views(facts, 4, 0.5)) == 1  # the quote is 8 of 12 words: no own view


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"strong_match": 1.5}, "strong_match must be a number between 0 and 1"),
        ({"partners_per_sentence": 0}, "partners_per_sentence must be a whole number >= 1"),
    ],
)
def test_out_of_range_cutoffs_are_refused(kw: dict[str, float], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        CutOffs(**kw)  # type: ignore[arg-type]
