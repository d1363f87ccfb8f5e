"""Lossless JSON for analysed articles, so the store can keep an analysis and hand it back.

Re-running spaCy on every stored candidate at ingest time would be the slow path; instead the
store keeps the facts as JSON and the view vectors as BLOBs, and rebuilds ``AnalysedArticle``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np

from factcheck.pipeline import AnalysedArticle
from factcheck.quantities import bound_of, date_bound_of
from factcheck.types import Article, Bound, Cue, Fact, Quote, Sentence, SentenceFacts

FORMAT_VERSION = 1


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def article_to_json(a: Article) -> dict[str, Any]:
    return {
        "id": a.id,
        "source": a.source,
        "text": a.text,
        "title": a.title,
        "url": a.url,
        "published": a.published.isoformat() if a.published else None,
        "origin": a.origin,
        "removed": list(a.removed),
        "removal_reasons": list(a.removal_reasons),
    }


def article_from_json(d: dict[str, Any]) -> Article:
    return Article(
        id=d["id"],
        source=d["source"],
        text=d["text"],
        title=d.get("title"),
        url=d.get("url"),
        published=_date(d.get("published")),
        origin=d.get("origin"),
        removed=tuple(d.get("removed") or ()),
        removal_reasons=tuple(d.get("removal_reasons") or ()),  # absent in older stores
    )


def _quote(q: Quote) -> list[Any]:
    return [q.start, q.end, q.text, q.speaker]


def _fact(f: Fact) -> list[Any]:
    return [
        f.kind,
        f.text,
        f.start,
        f.end,
        f.value,
        f.unit,
        f.approx,
        f.precision,
        f.resolved.isoformat() if f.resolved else None,
        f.bound,
        list(f.frame),
    ]


def _old_bound(x: list[Any], text: str) -> Bound | None:
    """A fact stored before facts had bounds: read its bound from the sentence, so an old store
    compares "more than 120" with "121" (or "after 2005" with "2006") as a fresh ingest does."""
    if x[0] == "number":
        return bound_of(text, int(x[2]), int(x[3]))
    if x[0] == "date":
        return date_bound_of(text, int(x[2]))
    return None


def _cue(c: Cue) -> list[Any]:
    return [c.kind, c.text, c.start, c.end, c.head]


def analysed_to_json(a: AnalysedArticle) -> dict[str, Any]:
    """Everything but the vectors (stored separately as float32 BLOBs)."""
    return {
        "format": FORMAT_VERSION,
        "article": article_to_json(a.article),
        "view_sentence": a.view_sentence.astype(int).tolist(),
        "sentences": [
            {
                "index": f.sentence.index,
                "start": f.sentence.start,
                "end": f.sentence.end,
                "text": f.sentence.text,
                "speaker": f.sentence.speaker,
                "quotes": [_quote(q) for q in f.sentence.quotes],
                "facts": [_fact(x) for x in f.facts],
                "cues": [_cue(c) for c in f.cues],
                "lemmas": list(f.lemmas),
            }
            for f in a.facts
        ],
    }


def analysed_from_json(d: dict[str, Any], vectors: np.ndarray) -> AnalysedArticle:
    """Inverse of :func:`analysed_to_json`; ``vectors`` are the stored view embeddings in order."""
    article = article_from_json(d["article"])
    facts = []
    for s in d["sentences"]:
        sentence = Sentence(
            article_id=article.id,
            index=s["index"],
            start=s["start"],
            end=s["end"],
            text=s["text"],
            quotes=tuple(Quote(q[0], q[1], q[2], q[3]) for q in s["quotes"]),
            speaker=s["speaker"],
        )
        facts.append(
            SentenceFacts(
                sentence=sentence,
                facts=tuple(
                    Fact(
                        kind=x[0],
                        text=x[1],
                        start=x[2],
                        end=x[3],
                        value=x[4],
                        unit=x[5],
                        approx=x[6],
                        precision=x[7],
                        resolved=_date(x[8]),
                        bound=x[9] if len(x) > 9 else _old_bound(x, s["text"]),
                        frame=tuple(x[10]) if len(x) > 10 else (),
                    )
                    for x in s["facts"]
                ),
                cues=tuple(Cue(c[0], c[1], c[2], c[3], c[4]) for c in s["cues"]),
                lemmas=tuple(s["lemmas"]),
            )
        )
    return AnalysedArticle(
        article=article,
        facts=tuple(facts),
        view_sentence=np.asarray(d["view_sentence"], dtype=np.int32),
        vectors=np.ascontiguousarray(vectors, dtype=np.float32),
    )
