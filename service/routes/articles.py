"""POST/GET/DELETE /articles: ingest into the store and read it back."""

from __future__ import annotations

from typing import Annotated, Any

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
        result = ws.ingest(article)
        return result.created, result.article

    created, record = await run_in_threadpool(run)
    payload = ArticleOut.model_validate(article_out(record)).model_dump(mode="json")
    return JSONResponse(payload, status_code=201 if created else 200)


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
