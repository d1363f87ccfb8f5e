"""What the pages show, computed from the API's JSON only (no store access here).

Pure functions, so they are tested and reasoned about without a server: wire copies folded
into the article they copy (conflicts repeated through copies arrive folded from the store),
a story's disagreements linked
to their evidence, aligned claims laid out by outlet (who reported it, who did not, who was
first), and an article's sentences each with its matches and conflicts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from markupsafe import Markup

from factcheck.conflicts import labels as conflict_labels
from factcheck.normalize import duplicate_key
from factcheck.report import evidence_key, highlight_html
from factcheck.types import SEVERITY_RANK

Json = dict[str, Any]


class _ConflictLabels(Mapping[str, str]):
    """Conflict type -> label, read from the registry (``factcheck.conflicts``) on every use, so
    a type registered by its own module shows in the badges and the type filter unedited."""

    def __getitem__(self, key: str) -> str:
        return conflict_labels()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(conflict_labels())

    def __len__(self) -> int:
        return len(conflict_labels())


CONFLICT_TYPES: Mapping[str, str] = _ConflictLabels()
SEVERITIES: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}
RELATIONS: dict[str, str] = {
    "duplicate": "Same words",
    "same_claim": "Same claim",
    "same_fact": "Same fact",  # different sentences that share one claim
    "related": "Related",
}
DISAGREEMENT_PAIR_LINKS = 8  # outlet pairs linked from one disagreement; the rest are counted

_HTML_HINT = re.compile(
    r"<(?:!doctype\s+html|html|head|body|article|main|p|div|h[1-6]|br|span|section)[\s/>]",
    re.IGNORECASE,
)


# --- formatting --------------------------------------------------------------------------------


def when(value: str | None) -> str:
    """A stored timestamp for people: '22 Nov 2026, 04:24 UTC' (the raw value if unparsable)."""
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{moment.day} {moment:%b %Y, %H:%M} UTC"


def day(value: str | None) -> str:
    """A publication date for people: '14 Feb 2025'."""
    if not value:
        return ""
    try:
        date = dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{date.day} {date:%b %Y}"


def highlight(side: Json) -> Markup:
    """A conflict side's sentence, escaped, with its evidence spans in <mark>."""
    return Markup(highlight_html(str(side.get("text", "")), list(side.get("spans") or [])))


def web_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address (never link a ``javascript:`` or ``data:`` one)."""
    if url and re.match(r"https?://[^\s/]", url, re.IGNORECASE):
        return url
    return None


def looks_like_html(text: str) -> bool:
    """Pasted text that is a web page (or a fragment of one) rather than plain prose."""
    return bool(_HTML_HINT.search(text[:4000]))


# --- articles and wire copies ------------------------------------------------------------------


def roots(articles: Sequence[Json]) -> dict[str, str]:
    """article id -> the article it is (a copy of a copy of ...) a copy of, within ``articles``."""
    by_id = {a["id"]: a for a in articles}
    out: dict[str, str] = {}
    for a in articles:
        seen = {a["id"]}
        current = a
        while current.get("duplicate_of") in by_id and current["duplicate_of"] not in seen:
            current = by_id[current["duplicate_of"]]
            seen.add(current["id"])
        out[a["id"]] = current["id"]
    return out


def first_key(article: Json) -> tuple[str, str]:
    """Order of appearance: publication date when known, else the day it was stored."""
    created = str(article.get("created_at") or "")
    return (str(article.get("published") or created[:10]), created)


def article_groups(articles: Sequence[Json]) -> list[Json]:
    """Originals in order of appearance, each with its wire copies folded in."""
    root = roots(articles)
    groups: dict[str, Json] = {}
    for a in sorted(articles, key=first_key):
        if root[a["id"]] == a["id"]:
            groups[a["id"]] = {"article": a, "copies": []}
    for a in sorted(articles, key=first_key):
        if root[a["id"]] != a["id"]:
            groups[root[a["id"]]]["copies"].append(a)
    return list(groups.values())


def headline(articles: Sequence[Json]) -> str | None:
    """The title of the earliest article that has one."""
    for a in sorted(articles, key=first_key):
        if a.get("title"):
            return str(a["title"])
    return None


def story_matches(query: str, story: Json, articles: Iterable[Json]) -> bool:
    """Whether every word of ``query`` is in the story's sources, ids, titles, urls or text."""
    words = query.lower().split()
    if not words:
        return True
    parts = [story.get("id", ""), *story.get("sources", [])]
    for a in articles:
        parts += [a.get("id"), a.get("source"), a.get("title"), a.get("url"), a.get("text")]
    haystack = "\n".join(str(p) for p in parts if p).lower()
    return all(w in haystack for w in words)


# --- conflicts ---------------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _text_key(text: str) -> str:
    """``duplicate_key`` (folded spelling, punctuation, case), cached: texts repeat a lot."""
    return duplicate_key(text)


def _side_key(side: Json) -> tuple[str, tuple[str, ...]]:
    """The fold's rule for "the same evidence" (``factcheck.report.evidence_key``)."""
    spans = tuple(str(s.get("text", "")) for s in side.get("spans") or [])
    return evidence_key(str(side.get("text", "")), spans)


def disagreement_rows(
    disagreements: Sequence[Json], conflicts: Sequence[Json], shown: Iterable[str]
) -> list[Json]:
    """A story's disagreements (the API's, worst first) with links to their evidence.

    ``told`` are the values, each with its outlets; ``pairs`` the outlet pairs (conflicts)
    whose card, or folded repeat, is on the page (``shown`` ids), at most
    ``DISAGREEMENT_PAIR_LINKS``; ``more`` counts the rest. An ``update`` is a ``timeline``:
    its values are already in date order.
    """
    by_id = {str(c.get("id")): c for c in conflicts}
    on_page = set(shown)
    rows = []
    for n, d in enumerate(disagreements, 1):
        ids = [str(cid) for cid in d.get("conflicts", [])]
        linked = [by_id[cid] for cid in ids if cid in on_page and cid in by_id]
        values = list(d.get("values", []))
        rows.append(
            {
                "n": n,
                "d": d,
                "told": values,
                "timeline": d.get("type") == "update",
                "outlets": sorted({s for v in values for s in v.get("sources", [])}),
                "pairs": linked[:DISAGREEMENT_PAIR_LINKS],
                "more": len(ids) - min(len(linked), DISAGREEMENT_PAIR_LINKS),
                "n_pairs": len(ids),
            }
        )
    return rows


def part_of(rows: Sequence[Json]) -> dict[str, int]:
    """conflict id -> the number of the disagreement it belongs to (for the cards' back-link)."""
    return {str(cid): row["n"] for row in rows for cid in row["d"].get("conflicts", [])}


def type_counts(by_type: dict[str, int]) -> list[tuple[str, str, int]]:
    """(type, label, count) in the fixed type order, for the stories list."""
    return [(t, label, by_type[t]) for t, label in CONFLICT_TYPES.items() if by_type.get(t)]


# --- aligned claims ----------------------------------------------------------------------------


def claims(story: Json) -> list[Json]:
    """Aligned claims laid out by outlet: who reported it (copies folded), who did not, first.

    ``cells`` has one entry per original article (see ``article_groups``): the sentences of
    that article and of its copies in this claim (identical copies shown once, with the copy's
    outlet named), or nothing when that outlet did not report it.
    """
    groups = article_groups(story.get("articles", []))
    root = roots(story.get("articles", []))
    by_id = {a["id"]: a for a in story.get("articles", [])}
    out = []
    for claim in story.get("claims", []):
        cells: dict[str, list[Json]] = {g["article"]["id"]: [] for g in groups}
        reporters = []
        for s in claim.get("sentences", []):
            aid = s.get("article_id")
            if aid not in root:
                continue
            reporters.append(by_id[aid])
            cell = cells[root[aid]]
            key = _text_key(str(s.get("text", "")))
            same = next((x for x in cell if x["key"] == key), None)
            if same is None:
                cell.append({"key": key, "text": s.get("text", ""), "sentences": [s]})
            else:
                same["sentences"].append(s)
        first = min(reporters, key=first_key) if reporters else None
        out.append(
            {
                "conflicted": bool(claim.get("conflicted")),
                "sources": claim.get("sources", []),
                "cells": [(g, cells[g["article"]["id"]]) for g in groups],
                "reported": [g for g in groups if cells[g["article"]["id"]]],
                "missing": [g for g in groups if not cells[g["article"]["id"]]],
                "first": first,
            }
        )
    return out


def only_in(groups: Sequence[Json], full: dict[str, Json], story: Json) -> list[Json]:
    """Per original article, its sentences no other outlet reports (in no aligned claim).

    ``full`` maps article id -> the article's full JSON (GET /articles/{id}); articles missing
    from it are skipped.
    """
    claimed = {
        (s.get("article_id"), s.get("index"))
        for claim in story.get("claims", [])
        for s in claim.get("sentences", [])
    }
    out = []
    for g in groups:
        article = full.get(g["article"]["id"])
        if article is None:
            continue
        sentences = article.get("sentences", [])
        alone = [s for s in sentences if (article["id"], s.get("index")) not in claimed]
        if alone:
            out.append({"group": g, "sentences": alone})
    return out


# --- one article -------------------------------------------------------------------------------


def merge_spans(spans: Iterable[Json]) -> list[Json]:
    """Overlapping or touching spans as one (a sentence can be evidence in several conflicts)."""
    merged: list[Json] = []
    for sp in sorted(spans, key=lambda x: (int(x["start"]), int(x["end"]))):
        start, end = int(sp["start"]), int(sp["end"])
        if merged and start <= merged[-1]["end"]:
            merged[-1]["end"] = max(merged[-1]["end"], end)
        else:
            merged.append({"start": start, "end": end})
    return merged


def _own_and_other(record: Json, article_id: str, index: int) -> tuple[Json, Json] | None:
    a, b = record.get("a", {}), record.get("b", {})
    if a.get("article_id") == article_id and a.get("index") == index:
        return a, b
    if b.get("article_id") == article_id and b.get("index") == index:
        return b, a
    return None


def sentence_rows(article: Json) -> list[Json]:
    """Each sentence of an article with its conflicts and matches, wire copies folded.

    A sentence's own evidence spans (from every conflict it is in) are highlighted in its text.
    Conflicts that repeat the same evidence against identical sentences of several outlets are
    one entry naming them all (``others``); a match already shown as a conflict is not listed
    again, and matches to identical sentences are one entry too.
    """
    aid = article["id"]
    rows = []
    for s in article.get("sentences", []):
        index = s.get("index")
        own_spans: list[Json] = []
        conflicts: dict[object, Json] = {}
        shown: set[tuple[object, object]] = set()
        ordered = sorted(
            article.get("conflicts", []),
            key=lambda c: -SEVERITY_RANK.get(str(c.get("severity")), 0),
        )
        for c in ordered:
            pair = _own_and_other(c, aid, index)
            if pair is None:
                continue
            own, other = pair
            own_spans += list(own.get("spans") or [])
            shown.add((other.get("article_id"), other.get("index")))
            key = (c.get("type"), _side_key(own), _side_key(other))
            if key in conflicts:
                conflicts[key]["others"].append(other)
            else:
                conflicts[key] = {"conflict": c, "own": own, "other": other, "others": [other]}
        matches: dict[object, Json] = {}
        ordered_matches = sorted(
            article.get("matches", []), key=lambda m: -float(m.get("score") or 0.0)
        )
        for m in ordered_matches:
            pair = _own_and_other(m, aid, index)
            if pair is None:
                continue
            other = pair[1]
            if (other.get("article_id"), other.get("index")) in shown:
                continue
            same = (m.get("relation"), _text_key(str(other.get("text", ""))))
            if same in matches:
                matches[same]["others"].append(other)
            else:
                matches[same] = {"match": m, "other": other, "others": [other]}
        rows.append(
            {
                "sentence": s,
                "html": Markup(highlight_html(str(s.get("text", "")), merge_spans(own_spans))),
                "conflicts": list(conflicts.values()),
                "matches": list(matches.values()),
            }
        )
    return rows
