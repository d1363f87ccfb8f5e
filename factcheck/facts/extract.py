"""The driver: one spaCy parse per article, then each sentence's facts, cues and lemmas."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from factcheck.facts.cues import _cues
from factcheck.facts.dates import parse_dates
from factcheck.facts.entities import _NAME_ENTS, _entities, entity_kinds
from factcheck.facts.frames import _FRAMED, _frame, _nationality_counts, _refine_unit
from factcheck.facts.numbers import _parse_numbers
from factcheck.facts.results import results_and_times
from factcheck.sentences import build_sentences, sentence_spans
from factcheck.types import Article, Fact, FactKind, Sentence, SentenceFacts

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

    from factcheck.nlp import People


# --------------------------------------------------------------------------------------------
# Per-sentence facts with the spaCy parse


_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})


def analyse(article: Article) -> tuple[SentenceFacts, ...]:
    """Sentences (with quotes and speakers) and their facts, from one spaCy parse."""
    return analyse_many([article])[0]


def analyse_many(
    articles: Sequence[Article], batch_size: int = 16
) -> list[tuple[SentenceFacts, ...]]:
    """``analyse`` for many articles, batched through spaCy's ``nlp.pipe``."""
    from factcheck.nlp import parse

    spans = [sentence_spans(a.text) for a in articles]
    docs = parse(((a.text, s) for a, s in zip(articles, spans, strict=True)), batch_size)
    out = []
    for article, doc, sp in zip(articles, docs, spans, strict=True):
        from factcheck.nlp import People
        from factcheck.sentences import quote_marks, quoted_ranges

        people = People(doc, quoted_ranges(quote_marks(article.text)))
        sentences = build_sentences(article, doc, sp, people)
        ents = list(doc.ents)  # Doc.ents rebuilds its list on every access
        kinds = entity_kinds(ents, people)
        out.append(
            tuple(
                _sentence_facts(s, doc, people, article.published, kinds, ents) for s in sentences
            )
        )
    return out


def extract_facts(
    article: Article, sentences: Sequence[Sentence] | None = None
) -> tuple[SentenceFacts, ...]:
    """Facts of each sentence of ``article`` (split here when ``sentences`` is None)."""
    if sentences is None:
        return analyse(article)
    from factcheck.nlp import People, parse
    from factcheck.sentences import quote_marks, quoted_ranges

    doc = parse([(article.text, [(s.start, s.end) for s in sentences])])[0]
    people = People(doc, quoted_ranges(quote_marks(article.text)))
    ents = list(doc.ents)
    kinds = entity_kinds(ents, people)
    return tuple(_sentence_facts(s, doc, people, article.published, kinds, ents) for s in sentences)


def _sentence_facts(
    sentence: Sentence,
    doc: Doc,
    people: People,
    published: dt.date | None,
    kinds: dict[str, FactKind],
    doc_ents: Sequence[Span],
) -> SentenceFacts:
    span = doc.char_span(sentence.start, sentence.end, alignment_mode="expand")
    text = sentence.text
    facts: list[Fact] = parse_dates(text, published)
    numbers = _parse_numbers(text, [(f.start, f.end) for f in facts])
    numbers = results_and_times(text, numbers, facts)
    if span is None:
        return SentenceFacts(sentence, tuple(facts + numbers))
    base = sentence.start
    ents = [e for e in doc_ents if e.start_char < sentence.end and e.end_char > base]
    name_spans = [(e.start_char - base, e.end_char - base) for e in ents if e.label_ in _NAME_ENTS]
    for f in numbers:
        if any(a <= f.start and f.end <= b for a, b in name_spans) and f.unit is None:
            continue  # "Falcon 9" tagged as a product by NER
        facts.append(_refine_unit(f, span, base))
    facts.extend(_nationality_counts(span, base, facts))
    facts = [
        replace(f, frame=_frame(f, span, base)) if f.kind in _FRAMED else f for f in facts
    ]
    facts.extend(_entities(ents, people, base, kinds))
    n = len(text)  # the parse may run past the sentence (an entity across a boundary)
    facts = sorted((f for f in facts if 0 <= f.start < f.end <= n), key=lambda f: (f.start, f.kind))
    cues = [c for c in _cues(span, base) if 0 <= c.start < c.end <= n]
    lemmas = tuple(t.lemma_.lower() for t in span if t.pos_ in _CONTENT_POS and not t.is_punct)
    return SentenceFacts(sentence, tuple(facts), tuple(cues), lemmas)
