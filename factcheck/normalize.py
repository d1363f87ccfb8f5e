"""Text normalisation shared by the embedding cache, duplicate detection and quote comparison.

Two reports of the same words should normalise to the same string even when outlets differ in
typography (curly vs straight quotes, dashes, spacing) or British vs American spelling.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_TYPO = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u02bc": "'",  # modifier letter apostrophe, common in transliterated copy ("Twitterʼs")
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\ufffd": " ",
    }
)
_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")

# British -> American spellings that news copy most often differs on. Word-level, exact.
_SPELLING: dict[str, str] = {
    "honour": "honor",
    "honours": "honors",
    "honoured": "honored",
    "honouring": "honoring",
    "colour": "color",
    "colours": "colors",
    "favour": "favor",
    "favourite": "favorite",
    "favoured": "favored",
    "labour": "labor",
    "neighbour": "neighbor",
    "neighbours": "neighbors",
    "behaviour": "behavior",
    "rumour": "rumor",
    "rumours": "rumors",
    "humour": "humor",
    "harbour": "harbor",
    "armour": "armor",
    "vigour": "vigor",
    "endeavour": "endeavor",
    "centre": "center",
    "centres": "centers",
    "metre": "meter",
    "metres": "meters",
    "kilometre": "kilometer",
    "kilometres": "kilometers",
    "litre": "liter",
    "litres": "liters",
    "theatre": "theater",
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "programme": "program",
    "programmes": "programs",
    "catalogue": "catalog",
    "dialogue": "dialog",
    "analyse": "analyze",
    "analysed": "analyzed",
    "analysing": "analyzing",
    "organise": "organize",
    "organised": "organized",
    "organisation": "organization",
    "organisations": "organizations",
    "recognise": "recognize",
    "recognised": "recognized",
    "realise": "realize",
    "realised": "realized",
    "apologise": "apologize",
    "criticise": "criticize",
    "criticised": "criticized",
    "emphasise": "emphasize",
    "colonise": "colonize",
    "colonised": "colonized",
    "authorise": "authorize",
    "authorised": "authorized",
    "minimise": "minimize",
    "maximise": "maximize",
    "summarise": "summarize",
    "prioritise": "prioritize",
    "mobilise": "mobilize",
    "privatise": "privatize",
    "stabilise": "stabilize",
    "normalise": "normalize",
    "travelled": "traveled",
    "travelling": "traveling",
    "traveller": "traveler",
    "cancelled": "canceled",
    "cancelling": "canceling",
    "labelled": "labeled",
    "modelling": "modeling",
    "fuelled": "fueled",
    "counselling": "counseling",
    "jewellery": "jewelry",
    "grey": "gray",
    "tyre": "tire",
    "tyres": "tires",
    "cheque": "check",
    "aluminium": "aluminum",
    "sceptical": "skeptical",
    "pyjamas": "pajamas",
    "manoeuvre": "maneuver",
    "paediatric": "pediatric",
    "oestrogen": "estrogen",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "judgement": "judgment",
    "ageing": "aging",
}


def typographic(text: str) -> str:
    """Fold typography (quotes, dashes, odd spaces) one character for one, so offsets still hold."""
    return text.translate(_TYPO)


def normalise(text: str) -> str:
    """Canonical form of a sentence: lower case, typographic folding, single spaces."""
    return _SPACE.sub(" ", typographic(unicodedata.normalize("NFKC", text)).lower()).strip()


def american(word: str) -> str:
    """The American spelling of a lower-case word, or the word itself."""
    return _SPELLING.get(word, word)


def words(text: str) -> list[str]:
    """Lower-case word tokens with spelling variants folded (for wording comparisons)."""
    return [american(w) for w in _WORD.findall(normalise(text))]


@functools.lru_cache(maxsize=65_536)
def duplicate_key(text: str) -> str:
    """Key under which two sentences count as the same text (punctuation and spelling ignored).

    Memoised: alignment asks it for every candidate pair, so each sentence many times over."""
    return " ".join(words(text))


_QUOTE_CHARS = re.compile(r"[\"\u201c\u201d\u201e\u201f\u00ab\u00bb]")
_WORD_CASED = re.compile(r"[A-Za-z]+")


def _fold_spelling(m: re.Match[str]) -> str:
    w = m.group()
    low = w.lower()
    us = _SPELLING.get(low)
    if us is None:
        return w
    return us.capitalize() if w[:1].isupper() else us


def embedding_text(text: str) -> str:
    """What the embedder sees: typography and spelling folded, quote marks dropped.

    Measured on all-MiniLM-L6-v2: a stray leading quote mark costs ~0.2 cosine and "honour" vs
    "honor" ~0.05, enough to push a verbatim quote below the alignment threshold.
    """
    folded = _QUOTE_CHARS.sub(" ", typographic(text))
    folded = _WORD_CASED.sub(_fold_spelling, folded)
    return _SPACE.sub(" ", folded).strip(" ,;:")
