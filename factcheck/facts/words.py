"""The cue vocabularies (negation, hedge) and the helper that writes a word list as one string."""

from __future__ import annotations


def _wordset(words: str) -> frozenset[str]:
    """A word list written as one string (long vocabularies stay readable)."""
    return frozenset(words.split())


NEGATION_CUES: frozenset[str] = frozenset(
    {
        "not", "n't", "never", "no", "none", "nobody", "nothing", "neither", "nor", "without",
        "nowhere", "no one", "cannot", "deny", "yet to",
    }
)  # fmt: skip
"""Words (lower case; "deny" as a lemma) that negate what they attach to. "yet to" ("a format
is yet to be determined") negates the verb after it; "has not yet" gives "not" (negation) and
"yet" (hedge)."""

HEDGE_CUES: frozenset[str] = frozenset(
    {
        "directly", "personally", "likely", "unlikely", "possibly", "possible", "reportedly",
        "allegedly", "apparently", "may", "might", "could", "probably", "perhaps", "almost",
        "partly", "partially", "somewhat", "largely", "mainly", "mostly", "officially",
        "publicly", "so far", "yet", "seemingly", "supposedly", "presumably", "somehow",
        "purportedly", "nearly", "initially",
    }
)  # fmt: skip
"""Words that weaken, scope or qualify a claim ("does not *directly* use"). A hedge word that
modifies a number ("almost 5,000") is not a cue: the number fact's ``approx`` carries it."""
