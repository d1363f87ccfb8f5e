"""GET /conflicts (filters, paging, newest first) and its schema.org ClaimReview form."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from factcheck import conflicts as conflict_types
from factcheck.records import ConflictFilter, timestamp
from service import deps
from service.claimreview import claim_review
from service.errors import InvalidParameterError
from service.routes.paging import Limit, Offset
from service.schemas import ClaimReviewPage, ConflictPage, ErrorResponse

router = APIRouter(tags=["conflicts"])


class _Registered:
    """A conflict type name checked against the registry when a request arrives, and listed as
    an enum when the OpenAPI document is built: a type registered before the app starts is
    accepted and documented with no edit here."""

    def __get_pydantic_core_schema__(
        self, source: type[Any], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_after_validator_function(_known_type, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "enum": list(conflict_types.names())}


def _known_type(value: str) -> str:
    if conflict_types.get(value) is None:
        raise ValueError(f"Input should be one of: {', '.join(conflict_types.names())}")
    return value


ConflictType = Annotated[str, _Registered()]
Severity = Literal["low", "medium", "high"]
Sort = Literal["newest", "severity"]
SortQuery = Annotated[
    Sort, Query(description="newest first, or severity: most severe first (then newest)")
]


def _since(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        parsed: dt.datetime | dt.date = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = dt.date.fromisoformat(value)
        except ValueError:
            raise InvalidParameterError(
                f"query parameter 'since' ({value!r}) is not an ISO date or time; write it as "
                "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS(+00:00)",
                detail={"since": value},
            ) from None
    return timestamp(parsed)


def _page(
    request: Request,
    type: ConflictType | None,
    severity: Severity | None,
    min_severity: Severity | None,
    source: str | None,
    story: str | None,
    article: str | None,
    since: str | None,
    limit: int,
    offset: int,
    sort: Sort = "newest",
) -> dict[str, Any]:
    filters = ConflictFilter(
        type=type,
        severity=severity,
        min_severity=min_severity,
        source=source,
        story=story,
        article=article,
        since=_since(since),
    )
    page = deps.workspace(request).conflicts(filters, limit=limit, offset=offset, order=sort)
    return page.to_dict()


@router.get(
    "/conflicts",
    response_model=ConflictPage | ClaimReviewPage,
    responses={422: {"model": ErrorResponse}},
    dependencies=[Depends(deps.require_read)],
    summary="Stored conflicts, newest first or most severe first (format=claimreview for "
    "schema.org records)",
)
def list_conflicts(
    request: Request,
    type: ConflictType | None = None,
    severity: Severity | None = None,
    min_severity: Severity | None = None,
    source: Annotated[str | None, Query(description="either side's source")] = None,
    story: str | None = None,
    article: Annotated[str | None, Query(description="either side's article id")] = None,
    since: Annotated[str | None, Query(description="stored at or after (ISO date/time)")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
    format: Literal["json", "claimreview"] = "json",
    sort: SortQuery = "newest",
) -> dict[str, Any]:
    page = _page(
        request, type, severity, min_severity, source, story, article, since, limit, offset, sort
    )
    if format == "claimreview":
        page["items"] = [claim_review(c) for c in page["items"]]
    return page


@router.get(
    "/conflicts.claimreview",
    response_model=ClaimReviewPage,
    responses={422: {"model": ErrorResponse}},
    dependencies=[Depends(deps.require_read)],
    summary="Conflicts as schema.org ClaimReview records",
)
def list_claim_reviews(
    request: Request,
    type: ConflictType | None = None,
    severity: Severity | None = None,
    min_severity: Severity | None = None,
    source: str | None = None,
    story: str | None = None,
    article: str | None = None,
    since: str | None = None,
    limit: Limit = 50,
    offset: Offset = 0,
    sort: SortQuery = "newest",
) -> dict[str, Any]:
    page = _page(
        request, type, severity, min_severity, source, story, article, since, limit, offset, sort
    )
    page["items"] = [claim_review(c) for c in page["items"]]
    return page
