"""Domain types shared by every stage.

All are frozen dataclasses: a stage returns new values and never mutates what an earlier stage
produced, which keeps the flow ingest -> sentences -> facts -> ... one-way and makes results safe to
cache and share between threads.

Offsets: ``Article.text`` is the cleaned text every offset refers to. ``Sentence.start/end`` and
``Quote.start/end`` are offsets into ``Article.text``; ``Fact.start/end`` and ``Cue.start/end`` are
offsets into ``Sentence.text`` (so a report can highlight inside one sentence without arithmetic).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

FactKind = Literal[
    "number",  # a quantity: value + unit ("$80 million", "5,000 people", "49-year-old", "four")
    "date",  # a calendar date, month or year ("Feb 15, 2021", "November", "2011")
    "weekday",  # a day of the week ("Monday"), resolved to a date when the article date is known
    "person",
    "org",
    "place",
]

CueKind = Literal["negation", "hedge"]

# same_fact: two otherwise different sentences that state one claim (a figure in its frame)
Relation = Literal["duplicate", "same_claim", "related", "same_fact"]

# A conflict type's name: one registered in ``factcheck.conflicts.registry`` ("number", "date",
# "quote", ...). A plain string so a new type is one module that registers itself; every name a
# rule emits is checked against the registry by tests/test_conflict_registry.py.
ConflictType = str

Severity = Literal["low", "medium", "high"]
Bound = Literal[">", ">=", "<", "<="]  # "more than 5" is (">", 5): the value lies past the number

SEVERITY_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}


@dataclass(frozen=True)
class Article:
    """One cleaned article: ``text`` has boilerplate removed, paragraphs joined by blank lines."""

    id: str
    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: dt.date | None = None
    origin: str | None = None  # where it came from: a file path, "api", ...
    removed: tuple[str, ...] = ()  # boilerplate paragraphs dropped by ingest, for transparency
    # the cleaning rule that dropped each paragraph of ``removed``, in the same order
    removal_reasons: tuple[str, ...] = ()

    @property
    def removed_reasons(self) -> tuple[tuple[str, str], ...]:
        """(reason, paragraph) for every removed paragraph, in page order. Articles cleaned
        before reasons were kept (old stores) say ``"unrecorded"``."""
        reasons = self.removal_reasons
        return tuple(
            (reasons[i] if i < len(reasons) else "unrecorded", para)
            for i, para in enumerate(self.removed)
        )


@dataclass(frozen=True)
class Quote:
    """A quoted span. ``start/end`` cover the words inside the quote marks (Article offsets)."""

    start: int
    end: int
    text: str
    speaker: str | None = None  # canonical speaker name when the text says who ("Dmitry Peskov")


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article, with the quotes that overlap it and who said it."""

    article_id: str
    index: int  # position in the article, 0-based
    start: int  # offsets into Article.text
    end: int
    text: str
    quotes: tuple[Quote, ...] = ()
    speaker: str | None = None  # who the sentence is attributed to (quote speaker or "X said")


@dataclass(frozen=True)
class Fact:
    """A checkable fact inside one sentence (offsets into Sentence.text).

    ``value`` is the normalised form two facts are compared on: for numbers the amount as a float
    in base units (80_000_000.0 for "$80 million"), for dates an ISO string ("2021-02-15",
    "2021-02", "2021"), for weekdays the lower-case day name, for entities the canonical name.
    """

    kind: FactKind
    text: str
    start: int
    end: int
    value: float | str
    unit: str | None = None  # numbers: "USD", "percent", "people", "year_old", ...; None if bare
    approx: bool = False  # "around", "about", "nearly", "more than", ...
    precision: float | None = None  # numbers: place value of the last written digit (1.0 for "80")
    resolved: dt.date | None = None  # weekdays / partial dates resolved against the article date
    bound: Bound | None = None  # numbers: "more than 5" -> ">", "at most 5" -> "<=", "5+" -> ">="
    # numbers and dates: lemmas of what the value counts or dates in its clause, from the parse
    # ("415 people were killed" -> ("people", "kill")): the frame claims are aligned on
    frame: tuple[str, ...] = ()


@dataclass(frozen=True)
class Cue:
    """A negation or hedge word ("not", "never", "directly", "likely"), offsets into Sentence.text.

    ``head`` is the lemma of the word the cue modifies ("use" in "does not directly use"), so two
    sentences can be compared cue by cue.
    """

    kind: CueKind
    text: str
    start: int
    end: int
    head: str | None = None


@dataclass(frozen=True)
class SentenceFacts:
    """Everything checkable in one sentence."""

    sentence: Sentence
    facts: tuple[Fact, ...] = ()
    cues: tuple[Cue, ...] = ()
    lemmas: tuple[str, ...] = ()  # content-word lemmas, lower case, for cheap overlap tests


@dataclass(frozen=True)
class Match:
    """Two sentences from different sources that report the same thing."""

    a: Sentence
    b: Sentence
    a_source: str
    b_source: str
    score: float  # cosine similarity of the best-matching views (sentence or quoted segment)
    relation: Relation
    same_prob: float | None = None  # the claim-relation model's P(same claim), when it ran
    conflict_prob: float | None = None  # the claim-relation model's P(conflicting), when it ran


@dataclass(frozen=True)
class Span:
    """A highlighted piece of evidence: offsets into the sentence's text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Conflict:
    """A typed disagreement between two aligned sentences, with evidence a person can check."""

    type: ConflictType
    severity: Severity
    explanation: str
    match: Match
    a_spans: tuple[Span, ...] = ()
    b_spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class DuplicateArticles:
    """Two articles that are (near-)copies of each other, e.g. wire copy republished."""

    a_id: str
    b_id: str
    a_source: str
    b_source: str
    score: float  # share of sentences of the shorter article found in the other (0..1)
    shared_sentences: int


@dataclass(frozen=True)
class Story:
    """Articles about the same event, grouped by cross-source alignment."""

    id: str
    article_ids: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Report:
    """The result of comparing articles: what ``compare`` prints and the API serves."""

    articles: tuple[Article, ...]
    sentences: tuple[Sentence, ...]
    matches: tuple[Match, ...]
    conflicts: tuple[Conflict, ...]
    duplicates: tuple[DuplicateArticles, ...] = ()
    stories: tuple[Story, ...] = ()
    settings: dict[str, object] = field(default_factory=dict)
    # the same quote worded differently, nothing changed in meaning or strength: not conflicts
    variants: tuple[Conflict, ...] = ()
