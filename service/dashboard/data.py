"""The dashboard's only way to data: the JSON API's own route functions.

"No second data path": a page gets its data by calling the very handler its JSON route runs
and passing the result through that route's response model, so what a page shows is exactly
the JSON a client of the API gets (the same filters, order, paging and fields). Anything a page
needs beyond that is computed from this JSON in ``views``; nothing here touches the store.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel

from service import deps
from service.routes import articles as articles_api
from service.routes import conflicts as conflicts_api
from service.routes import stories as stories_api
from service.schemas import ArticleOut, ArticlePage, ConflictPage, StoryOut, StoryPage

Json = dict[str, Any]


def _as_api(model: type[BaseModel], data: Json) -> Json:
    """What the route's ``response_model`` turns ``data`` into on the wire."""
    return model.model_validate(data).model_dump(mode="json")


def stories(request: Request, *, limit: int, offset: int) -> Json:
    """GET /stories"""
    return _as_api(StoryPage, stories_api.list_stories(request, limit=limit, offset=offset))


def story(
    request: Request,
    story_id: str,
    *,
    limit: int = stories_api.STORY_PAGE_SIZE,
    articles_offset: int = 0,
    claims_offset: int = 0,
    conflicts_offset: int = 0,
) -> Json:
    """GET /stories/{story_id} (NotFoundError for an unknown id): one page of each list"""
    story = stories_api.get_story(
        request,
        story_id,
        limit=limit,
        articles_offset=articles_offset,
        claims_offset=claims_offset,
        conflicts_offset=conflicts_offset,
    )
    return _as_api(StoryOut, story)


def articles(
    request: Request,
    *,
    limit: int,
    offset: int = 0,
    source: str | None = None,
    story: str | None = None,
) -> Json:
    """GET /articles"""
    page = articles_api.list_articles(
        request, limit=limit, offset=offset, source=source, story=story
    )
    return _as_api(ArticlePage, page)


def article(request: Request, article_id: str) -> Json:
    """GET /articles/{article_id} (NotFoundError for an unknown id)"""
    return _as_api(ArticleOut, articles_api.get_article(request, article_id))


def conflicts(
    request: Request,
    *,
    type: conflicts_api.ConflictType | None = None,
    severity: conflicts_api.Severity | None = None,
    source: str | None = None,
    story: str | None = None,
    since: str | None = None,
    limit: int,
    offset: int = 0,
    sort: conflicts_api.Sort = "newest",
) -> Json:
    """GET /conflicts (InputError for a ``since`` that is not an ISO date)"""
    page = conflicts_api.list_conflicts(
        request,
        type=type,
        severity=severity,
        min_severity=None,
        source=source,
        story=story,
        article=None,
        since=since,
        limit=limit,
        offset=offset,
        format="json",
        sort=sort,
    )
    return _as_api(ConflictPage, page)


def ingest(
    request: Request,
    body: bytes,
    mime: str,
    *,
    source: str | None,
    title: str | None,
    url: str | None,
    published: str | None,
) -> tuple[bool, Json]:
    """POST /articles with a raw body: the same parsing and ingest as the route.

    Blocking (runs the models): call it in a worker thread. Returns (created, article JSON).
    """
    article = deps.article_from_body(
        body, mime, None, source=source, title=title, url=url, published=published
    )
    result = deps.workspace(request).ingest(article)
    return result.created, _as_api(ArticleOut, articles_api.article_out(result.article))
