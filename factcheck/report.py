"""The report formats: a versioned JSON schema (shared by the CLI and the API), a terminal table,
and one self-contained HTML file.

JSON schema ``factcheck.report/1`` (fields are only ever added within a major version)::

    {
      "schema": "factcheck.report/1",
      "settings": {"model", "relation_model", "same_claim_threshold", "related_threshold"},
      "summary": {"articles", "sources", "sentences", "matches": {relation: n},
                  "conflicts": {type: n}, "severity": {severity: n}, "duplicates", "stories"},
      "articles": [{"id", "source", "title", "url", "published", "origin", "sentences",
                    "boilerplate_removed"}],
      "matches": [{"relation": "duplicate|same_claim|same_fact|related", "score",
                   "same_prob", "conflict_prob", "a": SENTENCE, "b": SENTENCE}],
      "disagreements": [{"type", "severity", "summary", "values": [{"text", "sources",
                         "published"}], "conflicts": [conflict id]}],
      "conflicts": [{"id", "type", "severity", "explanation", "relation", "score",
                     "a": SENTENCE + {"spans": [{"start", "end", "text"}]}, "b": ...}],
      "variants": [CONFLICT with severity "low": a quote worded differently, same meaning],
      "duplicates": [{"a_id", "b_id", "a_source", "b_source", "score", "shared_sentences"}],
      "stories": [{"id", "article_ids", "sources"}]
    }
    SENTENCE = {"article_id", "source", "index", "start", "end", "text", "speaker"}

``disagreements`` group the conflicts that share evidence (one fact disputed across outlet
pairs), worst first (``factcheck.disagreements``); ``same_fact`` matches are sentences aligned by
one shared claim. Span offsets are into the sentence's ``text``; ``start``/``end`` of a sentence
are into its article's cleaned text. Conflict ``id`` is stable across runs for the same evidence.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import textwrap
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import Any, cast

from factcheck.disagreements import Disagreement, group
from factcheck.normalize import duplicate_key
from factcheck.types import (
    SEVERITY_RANK,
    Article,
    Conflict,
    ConflictType,
    DuplicateArticles,
    Match,
    Relation,
    Report,
    Sentence,
    Severity,
    Span,
    Story,
)

SCHEMA_VERSION = "factcheck.report/1"


def article_to_dict(a: Article, n_sentences: int | None = None) -> dict[str, Any]:
    return {
        "id": a.id,
        "source": a.source,
        "title": a.title,
        "url": a.url,
        "published": a.published.isoformat() if a.published else None,
        "origin": a.origin,
        "sentences": n_sentences,
        "boilerplate_removed": len(a.removed),
    }


def sentence_to_dict(s: Sentence, source: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {
        "article_id": s.article_id,
        "index": s.index,
        "start": s.start,
        "end": s.end,
        "text": s.text,
        "speaker": s.speaker,
    }
    if source is not None:
        d = {"article_id": s.article_id, "source": source, **d}
    return d


def span_to_dict(s: Span) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "text": s.text}


def match_to_dict(m: Match) -> dict[str, Any]:
    return {
        "relation": m.relation,
        "score": m.score,
        "same_prob": m.same_prob,
        "conflict_prob": m.conflict_prob,
        "a": sentence_to_dict(m.a, m.a_source),
        "b": sentence_to_dict(m.b, m.b_source),
    }


def conflict_id(c: Conflict) -> str:
    """Stable id: the same evidence gives the same id in every run and in the service."""
    parts = [
        c.type,
        c.match.a.article_id,
        str(c.match.a.index),
        c.match.b.article_id,
        str(c.match.b.index),
        ";".join(f"{s.start}-{s.end}" for s in c.a_spans),
        ";".join(f"{s.start}-{s.end}" for s in c.b_spans),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def conflict_to_dict(c: Conflict) -> dict[str, Any]:
    m = c.match
    return {
        "id": conflict_id(c),
        "type": c.type,
        "severity": c.severity,
        "explanation": c.explanation,
        "relation": m.relation,
        "score": m.score,
        "a": {**sentence_to_dict(m.a, m.a_source), "spans": [span_to_dict(s) for s in c.a_spans]},
        "b": {**sentence_to_dict(m.b, m.b_source), "spans": [span_to_dict(s) for s in c.b_spans]},
    }


def duplicate_to_dict(d: DuplicateArticles) -> dict[str, Any]:
    return {
        "a_id": d.a_id,
        "b_id": d.b_id,
        "a_source": d.a_source,
        "b_source": d.b_source,
        "score": d.score,
        "shared_sentences": d.shared_sentences,
    }


def story_to_dict(s: Story) -> dict[str, Any]:
    return {"id": s.id, "article_ids": list(s.article_ids), "sources": list(s.sources)}


def sorted_conflicts(conflicts: tuple[Conflict, ...] | list[Conflict]) -> list[Conflict]:
    """Most severe first, then by position, so the first lines are the ones to check."""
    return sorted(
        conflicts,
        key=lambda c: (
            -SEVERITY_RANK[c.severity],
            c.match.a.article_id,
            c.match.a.index,
            c.match.b.index,
            c.type,
        ),
    )


@lru_cache(maxsize=8192)
def evidence_key(text: str, span_texts: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    """One side of a conflict's evidence as repeats are folded: the sentence after
    normalisation (spelling, punctuation, case) and the span texts. The one rule that says
    "the same evidence" here, in the dashboard and (on stored rows) in the store."""
    return duplicate_key(text), span_texts


def fold_conflicts(conflicts: list[Conflict]) -> list[tuple[Conflict, list[Conflict]]]:
    """Group conflicts that repeat the same evidence through copies of one wire story.

    When two outlets republish the same wire text, every disagreement with a third outlet shows
    up once per copy; a reader wants it once, with the copies named.
    """

    def side(text: str, spans: tuple[Span, ...]) -> tuple[str, tuple[str, ...]]:
        return evidence_key(text, tuple(sp.text for sp in spans))

    groups: dict[object, list[Conflict]] = {}
    for c in sorted_conflicts(conflicts):
        key = (
            c.type,
            frozenset(
                (side(c.match.a.text, c.a_spans), side(c.match.b.text, c.b_spans)),
            ),
        )
        groups.setdefault(key, []).append(c)
    return [(g[0], g[1:]) for g in groups.values()]


def disagreement_to_dict(d: Disagreement) -> dict[str, Any]:
    return {
        "type": d.type,
        "severity": d.severity,
        "summary": d.line(),
        "values": [
            {
                "text": v.text,
                "sources": list(v.sources),
                "published": v.published.isoformat() if v.published else None,
            }
            for v in d.values
        ],
        "conflicts": [conflict_id(c) for c in d.conflicts],
    }


def _sentence_from_dict(d: Mapping[str, Any]) -> Sentence:
    return Sentence(
        article_id=str(d.get("article_id", "")),
        index=int(d.get("index", 0)),
        start=int(d.get("start", 0)),
        end=int(d.get("end", 0)),
        text=str(d.get("text", "")),
        speaker=d.get("speaker"),
    )


def _spans_from_dicts(spans: Sequence[Mapping[str, Any]] | None) -> tuple[Span, ...]:
    return tuple(Span(int(s["start"]), int(s["end"]), str(s.get("text", ""))) for s in spans or ())


def conflict_from_dict(d: Mapping[str, Any]) -> Conflict:
    """The inverse of ``conflict_to_dict`` (the stored and served record -> ``Conflict``), so
    what works on conflicts (``disagreements.group``, ``fold_conflicts``) works on the API's
    JSON too. ``conflict_id`` of the result is the record's ``id``."""
    a, b = d.get("a") or {}, d.get("b") or {}
    match = Match(
        a=_sentence_from_dict(a),
        b=_sentence_from_dict(b),
        a_source=str(a.get("source", "")),
        b_source=str(b.get("source", "")),
        score=float(d.get("score") or 0.0),
        relation=cast(Relation, d.get("relation") or "related"),
    )
    return Conflict(
        type=cast(ConflictType, d.get("type")),
        severity=cast(Severity, d.get("severity") if d.get("severity") in SEVERITY_RANK else "low"),
        explanation=str(d.get("explanation", "")),
        match=match,
        a_spans=_spans_from_dicts(a.get("spans")),
        b_spans=_spans_from_dicts(b.get("spans")),
    )


def _date_or_none(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def disagreements_from_records(
    conflicts: Sequence[Mapping[str, Any]],
    published: Mapping[str, str | dt.date | None] | None = None,
) -> list[dict[str, Any]]:
    """``disagreements`` (the report schema's) of conflict records, worst first.

    The records are the report's / the store's conflict dicts; publication dates come from
    ``published`` (article id -> date) and from the records' ``a_article`` / ``b_article``
    (the store adds them), so an ``update`` reads as a dated timeline.
    """
    dates: dict[str, dt.date | None] = {}
    for record in conflicts:
        for side in ("a_article", "b_article"):
            ref = record.get(side) or {}
            if ref.get("id"):
                dates.setdefault(str(ref["id"]), _date_or_none(ref.get("published")))
    for aid, value in (published or {}).items():
        day = value if isinstance(value, dt.date) else _date_or_none(value)
        if day is not None or aid not in dates:
            dates[aid] = day
    parsed = [conflict_from_dict(r) for r in conflicts]
    for c in parsed:
        for aid in (c.match.a.article_id, c.match.b.article_id):
            dates.setdefault(aid, None)
    articles = [Article(id=aid, source="", text="", published=day) for aid, day in dates.items()]
    return [disagreement_to_dict(d) for d in group(parsed, articles)]


def report_to_dict(report: Report) -> dict[str, Any]:
    counts = Counter(s.article_id for s in report.sentences)
    return {
        "schema": SCHEMA_VERSION,
        "settings": dict(report.settings),
        "summary": {
            "articles": len(report.articles),
            "sources": len({a.source for a in report.articles}),
            "sentences": len(report.sentences),
            "matches": dict(Counter(m.relation for m in report.matches)),
            "conflicts": dict(Counter(c.type for c in report.conflicts)),
            "severity": dict(Counter(c.severity for c in report.conflicts)),
            "duplicates": len(report.duplicates),
            "stories": len(report.stories),
        },
        "articles": [article_to_dict(a, counts.get(a.id, 0)) for a in report.articles],
        "matches": [match_to_dict(m) for m in report.matches],
        "disagreements": [
            disagreement_to_dict(d) for d in group(report.conflicts, report.articles)
        ],
        "conflicts": [conflict_to_dict(c) for c in sorted_conflicts(list(report.conflicts))],
        "variants": [conflict_to_dict(v) for v in report.variants],
        "duplicates": [duplicate_to_dict(d) for d in report.duplicates],
        "stories": [story_to_dict(s) for s in report.stories],
    }


# ----------------------------------------------------------------------------- table


def _width() -> int:
    return max(60, min(shutil.get_terminal_size((100, 24)).columns, 140))


def _wrap(text: str, indent: str, width: int) -> str:
    return textwrap.fill(
        " ".join(text.split()), width=width, initial_indent=indent, subsequent_indent=indent
    )


def _mark(text: str, spans: tuple[Span, ...]) -> str:
    """Bracket the evidence spans inside a sentence: ``does not [directly] use``."""
    out, pos = [], 0
    for s in sorted(spans, key=lambda s: s.start):
        if s.start < pos:
            continue
        out.append(text[pos : s.start])
        out.append("[" + text[s.start : s.end] + "]")
        pos = s.end
    out.append(text[pos:])
    return "".join(out)


def render_table(report: Report) -> str:
    """Plain text for a terminal: articles, conflicts (worst first), matched claims, duplicates."""
    w = _width()
    lines: list[str] = []
    counts = Counter(s.article_id for s in report.sentences)
    lines.append(f"ARTICLES ({len(report.articles)})")
    for a in report.articles:
        extra = f", {a.published.isoformat()}" if a.published else ""
        title = f"  {a.title}" if a.title else ""
        lines.append(f"  {a.id}  {a.source}  ({counts[a.id]} sentences{extra}){title}")
    lines.append("")
    by_rel = Counter(m.relation for m in report.matches)
    facts = group(report.conflicts, report.articles)
    lines.append(f"DISAGREEMENTS ({len(facts)} facts, worst first)")
    if not facts:
        lines.append("  none found")
    for n, dis in enumerate(facts, 1):
        lines.append(_wrap(f"{n}. [{dis.severity.upper()}] {dis.type}: {dis.line()}", "     ", w))
    lines.append("")
    folded = fold_conflicts(list(report.conflicts))
    n_copies = len(report.conflicts) - len(folded)
    copies = f"; {n_copies} more through copies of the same text" if n_copies else ""
    lines.append(f"CONFLICTS ({len(folded)}{copies})")
    if not folded:
        lines.append("  none found")
    for n, (c, same) in enumerate(folded, 1):
        lines.append(f"  {n}. [{c.severity.upper()}] {c.type}: {c.explanation}")
        lines.append(_wrap(f"{c.match.a_source}: {_mark(c.match.a.text, c.a_spans)}", "       ", w))
        lines.append(_wrap(f"{c.match.b_source}: {_mark(c.match.b.text, c.b_spans)}", "       ", w))
        if same:
            also = sorted({f"{x.match.a_source} / {x.match.b_source}" for x in same})
            lines.append(_wrap("also between: " + "; ".join(also), "       ", w))
    if report.variants:
        lines.append("")
        n = len(report.variants)
        lines.append(f"QUOTE VARIANTS ({n}: same meaning and strength, not flagged)")
        for v in report.variants:
            lines.append(_wrap(f"- {v.explanation}", "    ", w))
    lines.append("")
    summary = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in sorted(by_rel.items()))
    lines.append(f"MATCHED CLAIMS ({len(report.matches)}{': ' + summary if summary else ''})")
    order = {"duplicate": 0, "same_claim": 1, "same_fact": 2, "related": 3}
    for m in sorted(report.matches, key=lambda m: (order[m.relation], -m.score)):
        lines.append(f"  {m.relation.replace('_', ' ')}  {m.score:.2f}")
        lines.append(_wrap(f"{m.a_source}: {m.a.text}", "      ", w))
        lines.append(_wrap(f"{m.b_source}: {m.b.text}", "      ", w))
    lines.append("")
    lines.append(f"DUPLICATE ARTICLES ({len(report.duplicates)})")
    if not report.duplicates:
        lines.append("  none")
    for d in report.duplicates:
        lines.append(
            f"  {d.a_source} ({d.a_id}) ~ {d.b_source} ({d.b_id}): {d.shared_sentences} shared "
            f"sentences, {d.score:.0%} of the shorter article"
        )
    if report.stories:
        lines.append("")
        lines.append(f"STORIES ({len(report.stories)})")
        for s in report.stories:
            lines.append(f"  {s.id}: {len(s.article_ids)} articles from {', '.join(s.sources)}")
    return "\n".join(lines) + "\n"


# ----------------------------------------------------------------------------- html

_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>factcheck report</title>
<style>
body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2330;
background:#f6f7f9}
main{max-width:1100px;margin:0 auto;padding:1.5rem}
h1{font-size:1.4rem;margin:.2rem 0 1rem}h2{font-size:1.1rem;margin:2rem 0 .6rem}
.card{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:.8rem 1rem;
margin:.6rem 0}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
@media (max-width:700px){.pair{grid-template-columns:1fr}}
.src{font-weight:600;font-size:.85rem;color:#4a5568}
mark{background:#ffe08a;padding:0 .1em;border-radius:3px}
.sev{display:inline-block;border-radius:4px;padding:0 .45em;font-size:.8rem;font-weight:700;
color:#fff}
.high{background:#c53030}.medium{background:#c05621}.low{background:#718096}
.type{font-weight:600}table{border-collapse:collapse;width:100%;background:#fff}
td,th{border:1px solid #dde1e7;padding:.35rem .5rem;text-align:left;vertical-align:top}
.muted{color:#6b7280;font-size:.85rem}
</style></head><body><main>
<h1>factcheck report</h1>
<p class="muted">{{ summary.articles }} articles from {{ summary.sources }} sources,
{{ summary.sentences }} sentences; {{ conflicts|length }} conflicts,
{{ matches|length }} matched claims. Schema {{ schema }}.</p>
<h2>Articles</h2>
<table><tr><th>id</th><th>source</th><th>title</th><th>published</th><th>sentences</th></tr>
{% for a in articles %}<tr><td><code>{{ a.id }}</code></td><td>{{ a.source }}</td>
<td>{{ a.title or "" }}</td><td>{{ a.published or "" }}</td><td>{{ a.sentences }}</td></tr>
{% endfor %}</table>
<h2>Disagreements ({{ disagreements|length }} facts, worst first)</h2>
<ol>{% for d in disagreements %}<li><span class="sev {{ d.severity }}">{{ d.severity }}</span>
<span class="type">{{ d.type }}</span> — {{ d.summary }}</li>{% endfor %}</ol>
<h2>Conflicts ({{ conflicts|length }})</h2>
{% for c in conflicts %}<div class="card">
<div><span class="sev {{ c.severity }}">{{ c.severity }}</span>
<span class="type">{{ c.type }}</span> — {{ c.explanation }}</div>
<div class="pair"><div><div class="src">{{ c.a.source }}</div>{{ c.a_html|safe }}</div>
<div><div class="src">{{ c.b.source }}</div>{{ c.b_html|safe }}</div></div></div>
{% else %}<p>No conflicts found.</p>{% endfor %}
<h2>Matched claims ({{ matches|length }})</h2>
{% for m in matches %}<div class="card"><div class="muted">{{ m.relation|replace("_", " ") }}
· score {{ "%.2f"|format(m.score) }}</div>
<div class="pair"><div><div class="src">{{ m.a.source }}</div>{{ m.a.text }}</div>
<div><div class="src">{{ m.b.source }}</div>{{ m.b.text }}</div></div></div>
{% endfor %}
<h2>Duplicate articles ({{ duplicates|length }})</h2>
{% for d in duplicates %}<p>{{ d.a_source }} <code>{{ d.a_id }}</code> ~ {{ d.b_source }}
<code>{{ d.b_id }}</code>: {{ d.shared_sentences }} shared sentences
({{ "%.0f"|format(d.score * 100) }}% of the shorter)</p>{% else %}<p>None.</p>{% endfor %}
</main></body></html>
"""


def highlight_html(text: str, spans: list[dict[str, Any]]) -> str:
    """Escape ``text`` and wrap each evidence span in <mark>."""
    from markupsafe import escape

    out, pos = [], 0
    for s in sorted(spans, key=lambda s: int(s["start"])):
        start, end = int(s["start"]), int(s["end"])
        if start < pos:
            continue
        out.append(str(escape(text[pos:start])))
        out.append(f"<mark>{escape(text[start:end])}</mark>")
        pos = end
    out.append(str(escape(text[pos:])))
    return "".join(out)


def render_html(report: Report) -> str:
    """One self-contained HTML page (inline CSS, no scripts, no external assets)."""
    import jinja2

    data = report_to_dict(report)
    for c in data["conflicts"]:
        c["a_html"] = highlight_html(c["a"]["text"], c["a"]["spans"])
        c["b_html"] = highlight_html(c["b"]["text"], c["b"]["spans"])
    env = jinja2.Environment(autoescape=True)
    return env.from_string(_HTML).render(**data)
