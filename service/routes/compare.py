"""POST /compare: a report over the articles sent; nothing is stored."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool

from factcheck.report import report_to_dict
from service import deps
from service.errors import UnsupportedMediaTypeError
from service.schemas import CompareIn, ErrorResponse, ReportOut, inline_schema

router = APIRouter(tags=["compare"])


@router.post(
    "/compare",
    response_model=None,  # served as computed; the 200 entry documents it (ReportOut)
    responses={
        200: {"model": ReportOut, "description": "the report: disagreements worst first"},
        **{code: {"model": ErrorResponse} for code in (400, 401, 403, 413, 415, 422)},
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": inline_schema(CompareIn)}},
        }
    },
    dependencies=[Depends(deps.require_write)],
    summary="Compare two or more articles (the CLI's JSON report); nothing is stored",
)
async def compare(request: Request) -> dict[str, Any]:
    body = await deps.read_body(request)
    mime, charset = deps.media_type(request)
    if mime != "application/json":
        got = f"Content-Type {mime!r}" if mime else "no Content-Type header"
        raise UnsupportedMediaTypeError(
            f"unsupported media type: {got}; send application/json "
            '{"articles": [{"source": ..., "text": ...}, ...]}',
            detail={"content_type": mime, "supported": ["application/json"]},
        )
    ws = deps.workspace(request)

    def run() -> dict[str, Any]:
        articles = deps.articles_for_compare(deps.parse_json(body, charset))
        return report_to_dict(ws.compare(articles))

    return await run_in_threadpool(run)
