"""The reading pages: stories, one story, one article, the conflict feed.

Handlers are plain ``def`` (FastAPI runs them in worker threads, like the JSON routes they
call). Every byte of data comes from ``service.dashboard.data``; ``views`` shapes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse

from factcheck.errors import InputError
from factcheck.records import MAX_PAGE_SIZE
from service.dashboard import access, data, views
from service.dashboard.render import PageRoute, render
from service.routes.paging import MAX_OFFSET

router = APIRouter(
    route_class=PageRoute, include_in_schema=False, dependencies=[Depends(access.require_read)]
)

STORIES_PER_PAGE = 20
STORY_FULL_ARTICLES = 12  # articles of a story read in full for "reported by one outlet only"
CONFLICTS_PER_PAGE = 25
SOURCE_SUGGESTION_STORIES = 100
SEARCH_MAX_ARTICLES = 500  # search reads article text through GET /articles/{id}: bound it
STORY_MAX_CONFLICTS = 100  # disagreement rows shown; the feed (filtered to the story) has all
STORY_PAGE_SIZE = 25  # articles, claims and conflicts per page of a story page (the API pages)

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET)]
Json = dict[str, Any]


def _all(fetch: Callable[[int, int], Json], cap: int) -> tuple[list[Json], bool]:
    """Every item of a paged listing (``fetch(limit, offset)``), up to ``cap``; (items, cut)."""
    items: list[Json] = []
    offset: int | None = 0
    while offset is not None and len(items) < cap:
        page = fetch(min(MAX_PAGE_SIZE, cap - len(items)), offset)
        items += page["items"]
        offset = page["next_offset"]
    return items, offset is not None


def _story_articles(request: Request, story_id: str) -> list[Json]:
    items, _ = _all(
        lambda limit, offset: data.articles(request, limit=limit, offset=offset, story=story_id),
        MAX_PAGE_SIZE,
    )
    return items


def known_sources(request: Request) -> list[str]:
    """Outlets of the newest stories: suggestions for source fields (any name can be typed)."""
    page = data.stories(request, limit=SOURCE_SUGGESTION_STORIES, offset=0)
    return sorted({s for story in page["items"] for s in story["sources"]}, key=str.lower)


def _story_card(story: Json, articles: list[Json]) -> Json:
    return {
        "story": story,
        "headline": views.headline(articles),
        "groups": views.article_groups(articles),
        "types": views.type_counts(story.get("conflicts_by_type", {})),
    }


@router.get("/ui/", response_class=HTMLResponse)
def stories_page(request: Request, q: str = "", offset: Offset = 0) -> HTMLResponse:
    """Stories, newest activity first; ``q`` searches sources, titles, urls and article text."""
    query = q.strip()
    cut = False
    if not query:
        page = data.stories(request, limit=STORIES_PER_PAGE, offset=offset)
        cards = [_story_card(s, _story_articles(request, s["id"])) for s in page["items"]]
        total, next_offset = page["total"], page["next_offset"]
    else:
        stories, _ = _all(
            lambda limit, off: data.stories(request, limit=limit, offset=off), MAX_OFFSET
        )
        matched, scanned = [], 0
        for story in stories:
            summaries = _story_articles(request, story["id"])
            if views.story_matches(query, story, summaries):  # titles, sources, urls
                matched.append(_story_card(story, summaries))
                continue
            full = []
            for a in summaries:
                if scanned >= SEARCH_MAX_ARTICLES:
                    cut = True
                    full.append(a)
                else:
                    full.append(data.article(request, a["id"]))
                    scanned += 1
            if views.story_matches(query, story, full):
                matched.append(_story_card(story, summaries))
        total = len(matched)
        cards = matched[offset : offset + STORIES_PER_PAGE]
        end = offset + len(cards)
        next_offset = end if end < total else None
    return render(
        request,
        "stories.html",
        title="Stories",
        nav="stories",
        q=query,
        cards=cards,
        total=total,
        offset=offset,
        next_offset=next_offset,
        prev_offset=max(0, offset - STORIES_PER_PAGE) if offset else None,
        search_cut=cut,
        search_limit=SEARCH_MAX_ARTICLES,
    )


def _list_pagers(story: Json, offsets: dict[str, int]) -> dict[str, Json]:
    """Per list of a story page (articles, claims, conflicts): its total, the range shown and
    links to the previous and next page of that list (the other lists stay where they are)."""

    def href(name: str, offset: int) -> str:
        query = {f"{k}_offset": v for k, v in {**offsets, name: offset}.items() if v}
        return f"?{urlencode(query)}#{name}-h" if query else f"?#{name}-h"

    out = {}
    for name, page in story["pages"].items():
        offset, limit, nxt = page["offset"], page["limit"], page["next_offset"]
        shown = len(story[name])
        out[name] = {
            "total": page["total"],
            "first": offset + 1 if shown else 0,
            "last": offset + shown,
            "next": href(name, nxt) if nxt is not None else None,
            "prev": href(name, max(0, offset - limit)) if offset else None,
            "left": page["total"] - offset - shown,
        }
    return out


@router.get("/ui/stories/{story_id}", response_class=HTMLResponse)
def story_page(
    request: Request,
    story_id: str,
    articles_offset: Offset = 0,
    claims_offset: Offset = 0,
    conflicts_offset: Offset = 0,
) -> HTMLResponse:
    """One story: its lists paged by the API (``STORY_PAGE_SIZE`` each, "more" links)."""
    offsets = {
        "articles": articles_offset,
        "claims": claims_offset,
        "conflicts": conflicts_offset,
    }
    story = data.story(
        request,
        story_id,
        limit=STORY_PAGE_SIZE,
        articles_offset=articles_offset,
        claims_offset=claims_offset,
        conflicts_offset=conflicts_offset,
    )
    articles = story["articles"]
    groups = views.article_groups(articles)
    root = views.roots(articles)
    by_id = {a["id"]: a for a in articles}
    first = min(articles, key=views.first_key) if articles else None
    # the API folds repeats through wire copies: each conflict carries its ``copies``
    conflicts = [{"conflict": c, "also": list(c.get("copies") or [])} for c in story["conflicts"]]
    every = [x for item in conflicts for x in (item["conflict"], *item["also"])]
    on_page = {str(x["id"]) for x in every}
    disagreements = views.disagreement_rows(story.get("disagreements", []), every, on_page)
    claims = views.claims(story)
    full = {
        g["article"]["id"]: data.article(request, g["article"]["id"])
        for g in groups[:STORY_FULL_ARTICLES]
    }
    return render(
        request,
        "story.html",
        title=views.headline(articles) or "Untitled story",
        nav="stories",
        story=story,
        groups=groups,
        copy_of={aid: by_id[r] for aid, r in root.items() if r != aid},
        first=first,
        disagreements=disagreements[:STORY_MAX_CONFLICTS],
        n_disagreements=len(disagreements),
        part_of=views.part_of(disagreements[:STORY_MAX_CONFLICTS]),  # rows on the page only
        conflicts=conflicts,
        claims=claims,
        lists=_list_pagers(story, offsets),
        only_in=views.only_in(groups, full, story),
        only_in_cut=len(groups) > STORY_FULL_ARTICLES,
        types=views.type_counts(story.get("conflicts_by_type", {})),
    )


@router.get("/ui/articles/{article_id}", response_class=HTMLResponse)
def article_page(
    request: Request, article_id: str, added: bool = False, existing: bool = False
) -> HTMLResponse:
    article = data.article(request, article_id)
    story_id = article.get("story_id")
    story_articles = _story_articles(request, story_id) if story_id else []
    rows = views.sentence_rows(article)
    return render(
        request,
        "article.html",
        title=article.get("title") or f"Article from {article['source']}",
        nav="",
        article=article,
        story_id=story_id,
        story_headline=views.headline(story_articles),
        others={a["id"]: a for a in story_articles},
        rows=rows,
        n_matched=sum(1 for r in rows if r["matches"] or r["conflicts"]),
        added=added,
        existing=existing,
    )


@router.get("/ui/conflicts", response_class=HTMLResponse)
def conflicts_page(
    request: Request,
    type: str = "",
    severity: str = "",
    source: str = "",
    since: str = "",
    story: str = "",
    offset: Offset = 0,
) -> HTMLResponse:
    """The conflict feed, most severe first (newest first within a severity), with the API's
    filters: the API's own ``sort=severity`` order, so paging stays worst first."""
    filters = {"type": type, "severity": severity, "source": source, "since": since}
    error = None
    if type and type not in views.CONFLICT_TYPES:
        error = f"unknown conflict type {type!r}; choose one of: {', '.join(views.CONFLICT_TYPES)}"
    elif severity and severity not in views.SEVERITIES:
        error = f"unknown severity {severity!r}; choose one of: {', '.join(views.SEVERITIES)}"
    page: Json = {"items": [], "total": 0, "next_offset": None}
    if error is None:
        try:
            page = data.conflicts(
                request,
                type=cast(Any, type or None),
                severity=cast(Any, severity or None),
                source=source or None,
                story=story or None,
                since=since or None,
                limit=CONFLICTS_PER_PAGE,
                offset=offset,
                sort="severity",
            )
        except InputError as exc:
            error = exc.message
    story_headline = views.headline(_story_articles(request, story)) if story else None
    query = {k: v for k, v in {**filters, "story": story}.items() if v}
    story_titles = {
        sid: views.headline(_story_articles(request, sid))
        for sid in {c.get("story_id") for c in page["items"]}
        if sid
    }
    return render(
        request,
        "conflicts.html",
        status=400 if error else 200,
        title="Conflicts",
        nav="conflicts",
        error=error,
        filters=filters,
        story_id=story,
        story_headline=story_headline,
        sources=known_sources(request),
        # the API folds repeats through wire copies: one card each, its copies named on it
        folded=[{"conflict": c, "also": list(c.get("copies") or [])} for c in page["items"]],
        story_titles=story_titles,
        total=page["total"],
        shown=len(page["items"]),
        offset=offset,
        next_offset=page["next_offset"],
        prev_offset=max(0, offset - CONFLICTS_PER_PAGE) if offset else None,
        query=query,
        without_story={k: v for k, v in filters.items() if v},
        active=any(filters.values()) or bool(story),
    )
