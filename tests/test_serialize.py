"""Stored analyses round-trip, and analyses stored before number bounds existed gain them."""

from __future__ import annotations

import numpy as np

from factcheck.facts import parse_numbers
from factcheck.pipeline import AnalysedArticle
from factcheck.serialize import analysed_from_json, analysed_to_json
from factcheck.types import Article, Sentence, SentenceFacts

TEXT = "The striker has scored more than 120 goals and 3 hat-tricks."


def analysed() -> AnalysedArticle:
    article = Article("a1", "Herald", TEXT)
    sentence = Sentence("a1", 0, 0, len(TEXT), TEXT)
    facts = SentenceFacts(sentence, tuple(parse_numbers(TEXT)))
    vectors = np.zeros((1, 4), dtype=np.float32)
    return AnalysedArticle(article, (facts,), np.zeros(1, dtype=np.int32), vectors)


def test_facts_round_trip_with_their_bounds() -> None:
    a = analysed()
    again = analysed_from_json(analysed_to_json(a), a.vectors)
    assert again.facts == a.facts
    assert [f.bound for f in again.facts[0].facts] == [">", None]


def test_facts_stored_before_bounds_get_them_from_the_sentence() -> None:
    a = analysed()
    data = analysed_to_json(a)
    for fact in data["sentences"][0]["facts"]:
        del fact[9:]  # the list layout written before Fact.bound existed
    again = analysed_from_json(data, a.vectors)
    assert again.facts == a.facts
