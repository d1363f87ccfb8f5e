"""The one list of words that carry no claim of their own (stop words, function words).

Why one list: five modules each kept their own copy (quote comparison, counted nouns, number
contexts, pair features, hedge anchors, plus the training recipes), and they drifted apart in
ways nobody chose. Here every such word is spelled once, in one of three documented groups, and
each consumer takes a *named selection* of them. A selection may only name words of the lexicon
(checked at import), so a new consumer cannot start a sixth private list: it picks from this one,
or extends a group here with a reason.

Selections are deliberately not all the same set: the relation model was trained on features
computed with ``FEATURE_STOP_WORDS``, and counted-noun and number-context rules were tuned with
theirs, so widening one silently would change measured behaviour. Change a selection only with
the tests (and, for ``FEATURE_STOP_WORDS``, a retrained relation model).
"""

from __future__ import annotations

__all__ = [
    "ANCHOR_LIGHT_WORDS",
    "CONTEXT_STOP_WORDS",
    "COUNT_FUNCTION_WORDS",
    "FEATURE_STOP_WORDS",
    "FUNCTION_WORDS",
    "LEXICON",
    "OVERLAP_STOP_WORDS",
    "QUANTITY_WORDS",
    "REPORTING_VERBS",
    "STOP_WORDS",
]


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


# The base: closed-class English words (articles, prepositions, conjunctions, pronouns and
# possessives, auxiliaries and modals, wh-words, a few degree adverbs). A change in them inside
# a quote does not change what was said, and they never name what a number counts.
FUNCTION_WORDS = _words(
    "a an the "
    "to with of for in on at by from into onto about as over under out up off "
    "and or but so than then "
    "that this these those there here "
    "it its it's i me my you your he him his she her we us our they them their "
    "is are was were be been being am do does did "
    "will would shall should can could may might must "
    "have has had "
    "which who whom whose what when where how "
    "again also further just once too very s t"
)

# Extension for numbers and dates: words that bound, qualify or situate a quantity or a time
# ("more than 120", "some 40", "after 2005", "per day") rather than name what is counted.
QUANTITY_WORDS = _words(
    "more less most least some any all each every another other same such "
    "per plus minus times time no not around nearly "
    "after before since until between among against during through via while down"
)

# Extension for the training recipes' word overlap: a reporting verb is in nearly every news
# sentence, so two sentences sharing "said" share nothing.
REPORTING_VERBS = _words("said says")

LEXICON = FUNCTION_WORDS | QUANTITY_WORDS | REPORTING_VERBS

# The general stop-word list: every function word.
STOP_WORDS = FUNCTION_WORDS


def _select(words: str) -> frozenset[str]:
    """A named selection of the lexicon; a word outside it is a new list in disguise."""
    chosen = _words(words)
    unknown = chosen - LEXICON
    if unknown:
        raise ValueError(
            f"lexicon selection names words outside factcheck.lexicon: {sorted(unknown)}; "
            "add them to FUNCTION_WORDS, QUANTITY_WORDS or REPORTING_VERBS with a reason"
        )
    return chosen


# Pair features of the relation model (factcheck.pairfeatures): frozen with the trained model.
FEATURE_STOP_WORDS = _select(
    "the a an of in on at to for and or is was were are be been being by with as from that this "
    "these those it its his her their he she they them which who whom has have had will would "
    "can could may might also than then there here into onto out up down over under about"
)

# Words around a number that say nothing about what it counts (factcheck.quantities: only words
# of three letters or more are compared there).
CONTEXT_STOP_WORDS = _select(
    "the and for was were are with that this from has have had its than more less over under "
    "about around nearly least most just some into after before since"
)

# Words that are never the noun a number counts, nor a name after a number (factcheck.facts).
COUNT_FUNCTION_WORDS = _select(
    "the a an of in on at to for and or but is are was were be been will would has have had "
    "per from by with as than that this these those it its his her their our which who what "
    "when where while into onto over under about after before since until more less most "
    "each every all some any such same other another times time out up down off so not no "
    "between among against during through via plus minus"
)

# Light words skipped after a hedge cue to find the word it modifies (factcheck.anchors).
ANCHOR_LIGHT_WORDS = _select(
    "to be been being have has had a an the of that there it is are was were"
)

# Word overlap of two sentences in the training recipes (training.train_relation).
OVERLAP_STOP_WORDS = _select(
    "a an the of to in on at for by with and or but is are was were be been has have had it its "
    "this that as from which who will would said says"
)
