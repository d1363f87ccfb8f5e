"""An analysed article and its match report, as the plain records a repository stores."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from factcheck.records import NewArticle, NewConflict, NewDuplicate, NewMatch

if TYPE_CHECKING:
    from factcheck.pipeline import AnalysedArticle
    from factcheck.types import Report


def new_article(analysed: AnalysedArticle, report: Report, links: list[str]) -> NewArticle:
    """Everything one ingest stores, as the plain records a repository writes."""
    from factcheck.report import (
        article_to_dict,
        conflict_to_dict,
        duplicate_to_dict,
        match_to_dict,
        sentence_to_dict,
    )
    from factcheck.serialize import analysed_to_json

    a = analysed.article
    sentences = analysed.sentences

    def new_match(m: Any) -> NewMatch:
        return NewMatch(
            a_article=m.a.article_id,
            a_index=m.a.index,
            b_article=m.b.article_id,
            b_index=m.b.index,
            a_source=m.a_source,
            b_source=m.b_source,
            score=float(m.score),
            relation=m.relation,
            record=match_to_dict(m),
        )

    duplicates = []
    for d in report.duplicates:
        if a.id not in (d.a_id, d.b_id) or d.a_id == d.b_id:
            continue
        other = d.b_id if d.a_id == a.id else d.a_id
        duplicates.append(
            NewDuplicate(
                duplicate_of=other,
                score=float(d.score),
                shared_sentences=int(d.shared_sentences),
                record=duplicate_to_dict(d),
            )
        )
    return NewArticle(
        id=a.id,
        source=a.source,
        text=a.text,
        title=a.title,
        url=a.url,
        published=a.published.isoformat() if a.published else None,
        origin=a.origin,
        removed=list(a.removed),
        record=article_to_dict(a, len(sentences)),
        analysed=analysed_to_json(analysed),
        sentences=[sentence_to_dict(s, a.source) for s in sentences],
        sentence_spans=[(s.index, s.start, s.end, s.text) for s in sentences],
        view_sentence=np.asarray(analysed.view_sentence, dtype=np.int32),
        vectors=np.asarray(analysed.vectors, dtype=np.float32),
        matches=[new_match(m) for m in report.matches],
        conflicts=[
            NewConflict(
                match=new_match(c.match),
                type=c.type,
                severity=c.severity,
                explanation=c.explanation,
                a_spans=[{"start": s.start, "end": s.end, "text": s.text} for s in c.a_spans],
                b_spans=[{"start": s.start, "end": s.end, "text": s.text} for s in c.b_spans],
                record=conflict_to_dict(c),
            )
            for c in report.conflicts
        ],
        duplicates=duplicates,
        links=links,
    )
