"""Disagreements: conflicts that share evidence are one disputed fact, worst first."""

from __future__ import annotations

import datetime as dt

from factcheck.disagreements import group
from factcheck.types import Article, Conflict, Match, Sentence, Span


def _sentence(article: str, text: str) -> Sentence:
    return Sentence(article, 0, 0, len(text), text)


def _conflict(a: tuple[str, str], b: tuple[str, str], span_a: str, span_b: str,
              type_: str = "number", severity: str = "high") -> Conflict:  # fmt: skip
    sa, sb = _sentence(a[0], a[1]), _sentence(b[0], b[1])
    ia, ib = a[1].index(span_a), b[1].index(span_b)
    return Conflict(
        type=type_,  # type: ignore[arg-type]
        severity=severity,  # type: ignore[arg-type]
        explanation="x",
        match=Match(sa, sb, a[0].upper(), b[0].upper(), 0.5, "same_fact"),
        a_spans=(Span(ia, ia + len(span_a), span_a),),
        b_spans=(Span(ib, ib + len(span_b), span_b),),
    )


def _article(id_: str, day: int | None) -> Article:
    return Article(id_, id_.upper(), "t", published=dt.date(2023, 2, day) if day else None)


def test_one_fact_across_outlet_pairs_is_one_disagreement_with_its_outlets() -> None:
    odd = ("d", "At least 1,302 people were killed.")
    cs = [
        _conflict(("a", "415 people were killed."), odd, "415 people", "1,302 people"),
        _conflict(("b", "The governor said 415 people died."), odd, "415 people", "1,302 people"),
        _conflict(("c", "It killed 415 people."), odd, "415 people", "1,302 people"),
        _conflict(("a", "The quake hit at 4:17 a.m."), ("e", "It hit at 5:17 a.m."),
                  "4:17 a.m.", "5:17 a.m.", "date", "medium"),
    ]
    arts = [_article(x, None) for x in "abcde"]
    toll, time = group(cs, arts)
    assert (toll.type, toll.severity, len(toll.conflicts)) == ("number", "high", 3)
    assert [(v.text, v.sources) for v in toll.values] == [
        ("415 people", ("A", "B", "C")),
        ("1,302 people", ("D",)),
    ]
    assert toll.line() == '"415 people" (3 outlets: A, B, C) vs "1,302 people" (D)'
    assert (time.type, len(time.conflicts)) == ("date", 1)


def test_an_update_reads_as_a_timeline_oldest_first() -> None:
    c = _conflict(("b", "The toll rose to 19 people."), ("a", "14 people died."),
                  "19 people", "14 people", "update", "medium")  # fmt: skip
    [d] = group([c], [_article("a", 6), _article("b", 7)])
    assert d.line() == '"14 people" (A, 2023-02-06) then "19 people" (B, 2023-02-07)'


def test_the_api_json_groups_exactly_as_the_conflicts_do() -> None:
    """Stored and served conflicts are report dicts: back to ``Conflict`` they keep their id,
    and their disagreements are the report's (dates from the records' article refs)."""
    from factcheck.report import (
        conflict_from_dict,
        conflict_id,
        conflict_to_dict,
        disagreement_to_dict,
        disagreements_from_records,
    )

    odd = ("d", "At least 1,302 people were killed.")
    cs = [
        _conflict(("a", "415 people were killed."), odd, "415 people", "1,302 people"),
        _conflict(("b", "It killed 415 people."), odd, "415 people", "1,302 people", "number",
                  "medium"),
        _conflict(("b", "The toll rose to 19 people."), ("a", "14 people died."),
                  "19 people", "14 people", "update", "medium"),
    ]  # fmt: skip
    arts = [_article("a", 6), _article("b", 7), _article("d", None)]
    records = [conflict_to_dict(c) for c in cs]
    for c, r in zip(cs, records, strict=True):
        back = conflict_from_dict(r)
        assert conflict_id(back) == r["id"] and back.match.relation == "same_fact"
        assert (back.a_spans, back.b_spans, back.severity) == (c.a_spans, c.b_spans, c.severity)
    expected = [disagreement_to_dict(d) for d in group(cs, arts)]
    published = {a.id: a.published for a in arts}
    assert disagreements_from_records(records, published) == expected
    # the store's records carry the article refs instead
    refs = [
        {
            **r,
            "a_article": {"id": r["a"]["article_id"], "published": published[r["a"]["article_id"]]},
            "b_article": {"id": r["b"]["article_id"], "published": published[r["b"]["article_id"]]},
        }
        for r in records
    ]
    for r in refs:
        for side in ("a_article", "b_article"):
            day = r[side]["published"]
            r[side]["published"] = day.isoformat() if day else None
    assert disagreements_from_records(refs) == expected
    assert [d["type"] for d in expected] == ["number", "update"]
    assert expected[1]["values"][0] == {"text": "14 people", "sources": ["A"],
                                        "published": "2023-02-06"}  # fmt: skip
