"""Checkable facts per sentence: numbers, dates, weekdays, entities, negation and hedge cues.

Numbers and dates are found with regular expressions (fast, usable without spaCy); entities,
cue heads, counted nouns and lemmas come from the one spaCy parse of the article.

One module per concern: ``dates``, ``numbers`` and ``results`` (regular expressions), ``frames``
(what a figure is about, from the parse), ``entities`` (NER), ``cues`` (negation and hedges,
their vocabularies in ``words``), and ``extract``, the driver that runs them over each sentence.
"""

from __future__ import annotations

from factcheck.facts.cues import _cues
from factcheck.facts.dates import date_spans, parse_dates
from factcheck.facts.entities import entity_kinds
from factcheck.facts.extract import analyse, analyse_many, extract_facts
from factcheck.facts.numbers import parse_numbers, singular
from factcheck.facts.results import results_and_times
from factcheck.facts.words import HEDGE_CUES, NEGATION_CUES, _wordset

__all__ = [
    "HEDGE_CUES",
    "NEGATION_CUES",
    "_cues",
    "_wordset",
    "analyse",
    "analyse_many",
    "date_spans",
    "entity_kinds",
    "extract_facts",
    "parse_dates",
    "parse_numbers",
    "results_and_times",
    "singular",
]
