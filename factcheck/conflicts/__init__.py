"""Typed conflicts between two aligned sentences, each with evidence spans and a checkable line.

The rules compare the *facts* of both sentences (numbers, dates, cues, quotes, speakers, entities)
rather than their surface words, which is what keeps the non-conflicts quiet: "honour"/"honor"
are folded by spelling, "around 80"/"80.4" by rounding, "Monday"/"Feb 15" by resolving the
weekday, and a paraphrase changes words but none of the facts.

One module per type, each registering a :class:`ConflictKind` on import (see ``registry``);
importing this package registers them all.
"""

from __future__ import annotations

from factcheck.conflicts import attribution, cues, date, entity, number, quote, stage, update
from factcheck.conflicts.common import FUNCTION_WORDS, SWAP_MIN_OVERLAP
from factcheck.conflicts.date import WEEKDAYS, date_conflicts
from factcheck.conflicts.detect import detect, detect_all
from factcheck.conflicts.quote import ELISION, expand_quote, quote_tokens, quote_variants
from factcheck.conflicts.registry import (
    ConflictKind,
    Detector,
    get,
    kinds,
    labels,
    names,
    register,
    unregister,
)

__all__ = [
    "ELISION",
    "FUNCTION_WORDS",
    "SWAP_MIN_OVERLAP",
    "WEEKDAYS",
    "ConflictKind",
    "Detector",
    "attribution",
    "cues",
    "date",
    "date_conflicts",
    "detect",
    "detect_all",
    "entity",
    "expand_quote",
    "get",
    "kinds",
    "labels",
    "names",
    "number",
    "quote",
    "quote_tokens",
    "quote_variants",
    "register",
    "stage",
    "unregister",
    "update",
]
