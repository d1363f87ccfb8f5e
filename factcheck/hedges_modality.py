"""How firm a plan is, in two aligned reports of it: "Moscow stands ready to help Ostria build
satellites" / "Russia would help Ostria build satellites", "plans to close the plant" / "will
close the plant".

Two outlets that put one action (the same verb) under modal words of different firmness disagree
on how settled it is, which a fact-checker notes as a hedge. Only a verb both sentences govern
by a modal counts, so "will resume" and "were expected to return" (two verbs) are left alone.
"""

from __future__ import annotations

import re

from factcheck.types import Conflict, Match, Span

# Firmness of a plan, lowest first: a wish or an offer, an expectation or a plan, a commitment
# ("would" is the reported "will": "Putin said Russia would help").
_FIRMNESS: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (level, re.compile(rf"\b(?:{words})\s+(?:not\s+)?(?P<verb>[a-z]+)\b", re.IGNORECASE))
    for level, words in (
        (
            1,
            r"hop(?:e|es|ed|ing) to|aim(?:s|ed|ing)? to|seek(?:s|ing)? to|wants? to"
            r"|would like to|(?:stands?|stood|is|are|was|were) ready to"
            r"|(?:is|are|was|were) (?:willing|prepared) to|offer(?:s|ed)? to",
        ),
        (
            2,
            r"expect(?:s|ed|ing)? to|plan(?:s|ned|ning)? to|(?:is|are|was|were) set to"
            r"|(?:is|are|was|were) due to|intend(?:s|ed)? to|on track to",
        ),
        (3, r"will|would|(?:is|are|was|were) going to|pledg(?:e|es|ed) to|promis(?:e|es|ed) to"),
    )
)
_NOT_VERBS = frozenset(("like", "be", "have", "not", "also", "then", "still"))
# Verbs that name one action (by their first five letters): "would *assist* Ostria in building"
# is the same offer as "stands ready to *help* Ostria build".
_SAME_ACTION = {"assis": "help", "aid": "help", "aids": "help", "aided": "help"}
# A modal inside a question or condition claims nothing: "asked whether Russia would help".
_ASKED = re.compile(r"(?i)\b(?:whether|if)\b[^,.;:]*$")


def _governed(text: str) -> dict[str, list[tuple[int, re.Match[str]]]]:
    """Verb (by its first five letters) -> the modal phrases that govern it, with their level."""
    out: dict[str, list[tuple[int, re.Match[str]]]] = {}
    for level, rx in _FIRMNESS:
        for hit in rx.finditer(text):
            verb = hit.group("verb").lower()
            if verb not in _NOT_VERBS and not _ASKED.search(text[: hit.start()]):
                out.setdefault(_SAME_ACTION.get(verb[:5], verb[:5]), []).append((level, hit))
    return out


def modality_differs(m: Match) -> Conflict | None:
    """One action put as an offer or plan in one report and as a commitment in the other."""
    ga, gb = _governed(m.a.text), _governed(m.b.text)
    for verb in sorted(set(ga) & set(gb)):
        la, lb = {lv for lv, _ in ga[verb]}, {lv for lv, _ in gb[verb]}
        if la & lb:
            continue  # one of the phrases agrees
        (_, x), (_, y) = ga[verb][0], gb[verb][0]
        return Conflict(
            type="hedge",
            severity="medium",
            explanation=(
                f'Said with another firmness: "{x.group()}" ({m.a_source}) vs "{y.group()}" '
                f"({m.b_source})"
            ),
            match=m,
            a_spans=(Span(x.start(), x.end(), x.group()),),
            b_spans=(Span(y.start(), y.end(), y.group()),),
        )
    return None
