"""The one stop-word list: selections stay inside it and keep the words their rules rely on."""

from __future__ import annotations

import pytest

from factcheck import lexicon
from factcheck.facts import parse_numbers
from factcheck.pairfeatures import _parse
from factcheck.quantities import _context


def test_every_selection_is_drawn_from_the_one_lexicon() -> None:
    selections = (
        lexicon.FEATURE_STOP_WORDS,
        lexicon.CONTEXT_STOP_WORDS,
        lexicon.COUNT_FUNCTION_WORDS,
        lexicon.ANCHOR_LIGHT_WORDS,
        lexicon.OVERLAP_STOP_WORDS,
        lexicon.STOP_WORDS,
    )
    for chosen in selections:
        assert chosen <= lexicon.LEXICON


def test_a_word_outside_the_lexicon_is_refused_with_a_fix() -> None:
    with pytest.raises(ValueError, match="add them to FUNCTION_WORDS"):
        lexicon._select("the zebra")


def test_negation_is_never_a_quote_filler() -> None:
    """Dropping "not" from a quote changes what was said: it must not be a function word."""
    assert not {"not", "no", "never"} & lexicon.FUNCTION_WORDS
    assert {"the", "of", "would"} <= lexicon.FUNCTION_WORDS


def test_bounds_are_not_what_a_number_counts() -> None:
    assert {"more", "less", "some", "per"} <= lexicon.COUNT_FUNCTION_WORDS
    assert "people" not in lexicon.COUNT_FUNCTION_WORDS


def test_pair_features_and_number_contexts_use_their_selection() -> None:
    """Stop words drop out of the words a pair feature and a number's context compare."""
    words = _parse("The mayor said the bridge would cost more than they had planned").words
    assert words == {"mayor", "said", "bridge", "cost", "more", "planned"}
    text = "The city will spend more than $80 million in aid"
    (number,) = parse_numbers(text)
    assert _context(text, number) == {"city", "will", "spend", "aid"}
