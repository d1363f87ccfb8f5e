"""Quote edits that change what was said although the words changed are small.

Two signals the word-level ``quote`` rule (:mod:`factcheck.conflicts.quote`) misses because it
weighs only content words of some length:

- **a copy edit**: two outlets that share a long verbatim run of a quote are quoting one
  original in one language, so even a function word they differ on ("to begin" / "and begin",
  "the search" / "this search") is a misquote, not a translator's choice;
- **a word swapped in a copy**: quotes sharing a longer run still are one text carried by two
  outlets, and a content word swapped between them was an editor's, not a translator's;
- **a possessive phrase** dropped or added ("the best day *in my life*"): a noun the speaker
  tied to someone, however short the noun, widens or narrows the remark.
"""

from __future__ import annotations

from collections.abc import Sequence

from factcheck.lexicon import FUNCTION_WORDS

# Words shared in one unbroken run by two renderings of a quote: at least this many and the two
# copy one original (translators' renderings of one remark rarely share 10 words in a row; a
# short remark such as "a great honour to speak with you" may be rendered alike up to 8).
VERBATIM_RUN = 10

# A longer run still: two quotes sharing this many words in a row are copies of one text (one
# agency's wording carried by two outlets), so even a content word swapped for a synonym
# ("death toll" / "casualty numbers") was changed by an editor. Independent renderings of one
# remark shared at most 11 words in a row on the development set.
COPY_RUN = 13

POSSESSIVES = frozenset(["my", "our", "your", "his", "her", "their"])


def verbatim_copy(longest_run: int) -> bool:
    """Two quotes sharing ``longest_run`` words in a row quote one original word for word."""
    return longest_run >= VERBATIM_RUN


def same_text(longest_run: int) -> bool:
    """Two quotes sharing ``longest_run`` words in a row are copies of one written text."""
    return longest_run >= COPY_RUN


def function_word_edit(changed_a: Sequence[str], changed_b: Sequence[str]) -> bool:
    """The differing words of two verbatim copies are function words only, some on each side
    (one swapped for another: "to" / "and"), and not the same words moved (a reordering): a copy
    edit that changes how the remark reads. Words only dropped ("the people who are still
    trapped" / "the people still trapped") tidy a quote without changing it."""
    words = [*changed_a, *changed_b]
    if not changed_a or not changed_b or any(w not in FUNCTION_WORDS for w in words):
        return False
    # "a" / "an" is one article spelled for the next word's sound ("an historic" / "a historic")
    return sorted(_ARTICLE.get(w, w) for w in changed_a) != sorted(
        _ARTICLE.get(w, w) for w in changed_b
    )


_ARTICLE = {"an": "a"}


def possessive_phrase(chunk: Sequence[str], other: Sequence[str]) -> bool:
    """A run of words one quote has and the other lacks holding a possessive and the noun it
    owns ("in *my life*"), the noun absent from the other quote. "their" alone ("into their
    efforts" / "into efforts") is wording: the noun is in both."""
    return any(
        w in POSSESSIVES
        and i + 1 < len(chunk)
        and chunk[i + 1].isalpha()
        and chunk[i + 1] not in FUNCTION_WORDS
        and chunk[i + 1] not in other
        for i, w in enumerate(chunk)
    )


# Suffixes of one word's inflections ("protest" / "protests", "reserve" / "reserving", "while" /
# "whilst"), and British / American spellings ("realise" / "realize", "honour" / "honor",
# "programme" / "program", "defence" / "defense"): the same word.
_SUFFIXES = ("ing", "ies", "est", "es", "ed", "er", "ly", "st", "s", "d", "e", "y")
_SPELLINGS = (
    ("ise", "ize"), ("yse", "yze"), ("our", "or"), ("tre", "ter"), ("ll", "l"), ("amme", "am"),
    ("ence", "ense"), ("dgement", "dgment"), ("eing", "ing"), ("ogue", "og"),
)  # fmt: skip
MISREAD_MIN = 5  # letters: shorter words differ by a letter too often by chance ("then" / "than")


def _bases(word: str) -> set[str]:
    """The word and what is left of it without each inflection suffix it may carry."""
    for brit, amer in _SPELLINGS:
        word = word.replace(brit, amer)
    return {word} | {
        word[: -len(s)] for s in _SUFFIXES if word.endswith(s) and len(word) - len(s) >= 4
    }


def _edits(a: str, b: str) -> int:
    """Levenshtein distance (short words only)."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def misread_word(a: str, b: str) -> bool:
    """Two lowercase words a letter or two apart that are not one word inflected or spelled the
    British way ("survey" / "surveil"): one outlet misheard or mistyped the speaker. A translator
    picks a synonym, not a near-homograph."""
    if a == b or min(len(a), len(b)) < MISREAD_MIN or not (a.isalpha() and b.isalpha()):
        return False
    if _bases(a) & _bases(b) or a in FUNCTION_WORDS or b in FUNCTION_WORDS:
        return False
    return _edits(a, b) <= 2
