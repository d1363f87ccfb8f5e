"""POST/GET/DELETE /articles: ingest into the store and read it back.

A POST's ingest runs in a worker thread (its spaCy part in the analysis pool, if the service has
one) while the handler polls ``request.is_disconnected()``: when the client goes away the ingest
is told to stop before its next stage and stores nothing.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from factcheck.report import disagreements_from_records
from factcheck.workspace import Workspace
from service import deps
from service.routes.paging import Limit, Offset
from service.schemas import (
    ArticleIn,
    ArticleOut,
    ArticlePage,
    Deleted,
    ErrorResponse,
    inline_schema,
)

router = APIRouter(tags=["articles"])
log = logging.getLogger(__name__)
T = TypeVar("T")
DISCONNECT_POLL = 0.1  # seconds between looks at the client connection while an ingest runs

_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorResponse} for code in (400, 401, 403, 413, 415, 422)
}
_BODY_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "JSON {source, title?, url?, published?, text | html}, or the raw "
        "article as text/plain or text/html with ?source= (and optional ?title=, ?url=, "
        "?published=).",
        "content": {
            "application/json": {"schema": inline_schema(ArticleIn)},
            "text/plain": {"schema": {"type": "string"}},
            "text/html": {"schema": {"type": "string"}},
        },
    }
}


def article_out(record: dict[str, Any]) -> dict[str, Any]:
    """A stored article as the API serves it: with its conflicts grouped into disagreements."""
    return {**record, "disagreements": disagreements_from_records(record.get("conflicts", []))}


@router.post(
    "/articles",
    status_code=201,
    response_model=ArticleOut,
    responses={200: {"model": ArticleOut, "description": "already stored"}, **_ERRORS},
    openapi_extra=_BODY_DOC,
    dependencies=[Depends(deps.require_write)],
    summary="Store an article; get its matches, conflicts, disagreements, duplicate and story",
)
async def post_article(
    request: Request,
    source: Annotated[str | None, Query(description="outlet name (raw text/html bodies)")] = None,
    title: str | None = None,
    url: str | None = None,
    published: Annotated[str | None, Query(description="YYYY-MM-DD")] = None,
) -> JSONResponse:
    """Idempotent: the same article (source + text) again returns the same id with 200."""
    body = await deps.read_body(request)
    mime, charset = deps.media_type(request)
    ws = deps.workspace(request)

    def run() -> tuple[bool, dict[str, Any]]:
        article = deps.article_from_body(
            body, mime, charset, source=source, title=title, url=url, published=published
        )
        result = ws.ingest(article, cancel=cancel)
        return result.created, result.article

    cancel = threading.Event()
    created, record = await unless_disconnected(request, run_in_threadpool(run), cancel)
    payload = ArticleOut.model_validate(article_out(record)).model_dump(mode="json")
    return JSONResponse(payload, status_code=201 if created else 200)


async def unless_disconnected(
    request: Request, work: Awaitable[T], cancel: threading.Event, poll: float = DISCONNECT_POLL
) -> T:
    """Await ``work``; if the client disconnects meanwhile set ``cancel`` (the work stops at its
    next check, raising ``CancelledError``) and wait for the work to notice."""
    task = asyncio.ensure_future(work)
    try:
        while True:
            done, _ = await asyncio.wait({task}, timeout=poll)
            if done:
                return task.result()
            if await request.is_disconnected():
                cancel.set()
                log.info("%s %s: the client went away; stopping its work", request.method,
                         request.url.path)  # fmt: skip
                return await task
    except asyncio.CancelledError:  # the server is stopping this request
        cancel.set()
        raise


@router.get(
    "/articles",
    response_model=ArticlePage,
    dependencies=[Depends(deps.require_read)],
    summary="Stored articles, newest first",
)
def list_articles(
    request: Request,
    limit: Limit = 50,
    offset: Offset = 0,
    source: str | None = None,
    story: str | None = None,
) -> dict[str, Any]:
    ws: Workspace = deps.workspace(request)
    return ws.articles(limit=limit, offset=offset, source=source, story=story).to_dict()


@router.get(
    "/articles/{article_id}",
    response_model=ArticleOut,
    responses={404: {"model": ErrorResponse}},
    dependencies=[Depends(deps.require_read)],
    summary="One article with its sentences, matches and conflicts",
)
def get_article(request: Request, article_id: str) -> dict[str, Any]:
    return article_out(deps.workspace(request).get(article_id))


@router.delete(
    "/articles/{article_id}",
    response_model=Deleted,
    responses={404: {"model": ErrorResponse}, 401: {"model": ErrorResponse}},
    dependencies=[Depends(deps.require_write)],
    summary="Remove an article from the store, the index, its story and its conflicts",
)
def delete_article(request: Request, article_id: str) -> dict[str, Any]:
    deps.workspace(request).delete(article_id)
    return {"id": article_id, "deleted": True}
