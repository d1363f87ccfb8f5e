"""Helpers the sentence rules share: word tokens with offsets, evidence spans, the context
test that keeps two facts in different slots from being read as one disputed fact, and name
matching (used by the attribution and entity rules).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Words whose change inside a quote does not change what was said: the base of the one lexicon.
from factcheck.lexicon import FUNCTION_WORDS
from factcheck.normalize import american, typographic
from factcheck.types import Fact, Match, Span

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_PRONOUNS = frozenset(
    ["he", "she", "they", "it", "we", "i", "you", "his", "her", "their", "its", "one"]
)
_ROLE_HINT = re.compile(
    r"^(the|a|an)\s|'s\s|spokes|official|minister|president|source|chair|chief|director"
    r"|secretary|governor|mayor|executive|leader|head\b|general\b",
    re.I,
)


@dataclass(frozen=True)
class _Tok:
    word: str  # lower case, spelling folded
    start: int
    end: int


def _tokens(text: str, lo: int = 0, hi: int | None = None) -> list[_Tok]:
    """Word tokens of ``text[lo:hi]`` with offsets into ``text``."""
    folded = typographic(text).lower()
    hi = len(text) if hi is None else hi
    return [
        _Tok(american(m.group()), m.start(), m.end()) for m in _WORD_RE.finditer(folded, lo, hi)
    ]


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _src(source: str) -> str:
    return source


def _stem(word: str) -> str:
    return word[:5]


def _context(text: str, start: int, end: int, window: int = 5) -> set[str]:
    """Content-word stems within ``window`` words either side of a fact (the fact excluded)."""
    toks = _tokens(text)
    before = [t for t in toks if t.end <= start][-window:]
    after = [t for t in toks if t.start >= end][:window]
    return {_stem(t.word) for t in (*before, *after) if t.word not in FUNCTION_WORDS}


def _same_context(m: Match, x: Fact, y: Fact) -> bool:
    """Two differing facts only conflict when they fill the same slot of the same statement.

    "reopen to traffic on March 3" vs "on March 5" share their context; "Speaking on Friday at a
    conference" vs "Peskov said Monday that" do not: those are two events, not one disputed date.
    """
    return bool(_context(m.a.text, x.start, x.end) & _context(m.b.text, y.start, y.end))


def _pair_up(m: Match, left: list[Fact], right: list[Fact]) -> list[tuple[Fact, Fact]]:
    """Pair unmatched facts of both sides that stand in the same context, each fact once."""
    pairs: list[tuple[Fact, Fact]] = []
    used: set[int] = set()
    for x in left:
        for j, y in enumerate(right):
            if j not in used and _same_context(m, x, y):
                pairs.append((x, y))
                used.add(j)
                break
    return pairs


def _surname(name: str) -> str:
    parts = _WORD_RE.findall(typographic(name).lower())
    return parts[-1] if parts else ""


def _overlap(m: Match, ignore: set[str] | None = None) -> float:
    """Share of the shorter sentence's content words that the other sentence also has."""
    drop = FUNCTION_WORDS | (ignore or set())
    wa = {_stem(t.word) for t in _tokens(m.a.text) if t.word not in drop}
    wb = {_stem(t.word) for t in _tokens(m.b.text) if t.word not in drop}
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


# Same words, another speaker / another name: only near-identical statements qualify, so a loose
# paraphrase that mentions different people is never read as a swap.
SWAP_MIN_OVERLAP = 0.6


def _name_words(*names: str) -> set[str]:
    return {w for n in names for w in _WORD_RE.findall(typographic(n).lower())}


# One country under its common short and long names ("the US" is "the United States").
_COUNTRY_NAMES: dict[str, str] = {
    alias: name
    for name, aliases in {
        "united states": "us usa america united states of america",
        "united kingdom": "uk britain great britain",
        "united arab emirates": "uae",
        "european union": "eu",
        "soviet union": "ussr",
        "north korea": "dprk",
        "south korea": "rok",
        "china": "prc",
    }.items()
    for alias in (name, *aliases.split())
} | {"united states of america": "united states", "great britain": "united kingdom"}


def renamed_country(words: Sequence[str], other: Sequence[str]) -> bool:
    """``words`` name a country (or its people: "North Korean") that ``other`` names another
    way ("the leader of the DPRK" / "the North Korean leader")."""
    text = " ".join(words)
    name = _COUNTRY_NAMES.get(text) or _COUNTRY_NAMES.get(text.removesuffix("n"))
    if name is None:
        return False
    joined = f" {' '.join(other)} "
    return any(
        f" {alias} " in joined and alias != text
        for alias, full in _COUNTRY_NAMES.items()
        if full == name
    )


def _entity_key(value: str) -> str:
    key = typographic(value).lower().replace(".", "").strip()
    key = key.removeprefix("the ")
    return _COUNTRY_NAMES.get(key, key)


def _same_entity(x: str, y: str) -> bool:
    a, b = _entity_key(x), _entity_key(y)
    return a == b or a in b or b in a or _surname(a) == _surname(b)
