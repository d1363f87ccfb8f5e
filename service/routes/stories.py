"""GET /stories and /stories/{id}: articles about the same event."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request

from factcheck.records import MAX_PAGE_SIZE
from factcheck.report import disagreements_from_records
from service import deps
from service.routes.paging import MAX_OFFSET, Limit, Offset
from service.schemas import ErrorResponse, StoryOut, StoryPage

router = APIRouter(tags=["stories"])

STORY_PAGE_SIZE = 50  # default items per list of GET /stories/{id}


@router.get(
    "/stories",
    response_model=StoryPage,
    dependencies=[Depends(deps.require_read)],
    summary="Stories: sources, counts, conflicts by type, first and last seen",
)
def list_stories(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return deps.workspace(request).stories(limit=limit, offset=offset).to_dict()


StoryLimit = Annotated[
    int,
    Query(
        ge=1, le=MAX_PAGE_SIZE, description="page size of each list (articles, claims, conflicts)"
    ),
]


def _offset(what: str) -> Any:
    return Query(
        ge=0,
        le=MAX_OFFSET,
        description=f"{what} to skip (pages.{what}.next_offset of the last page)",
    )


@router.get(
    "/stories/{story_id}",
    response_model=StoryOut,
    responses={404: {"model": ErrorResponse}},
    dependencies=[Depends(deps.require_read)],
    summary="One story: a page of its articles, aligned claims and conflicts (wire-copy repeats "
    "folded), its disagreements (worst first) and each list's total in 'pages'",
)
def get_story(
    request: Request,
    story_id: str,
    limit: StoryLimit = STORY_PAGE_SIZE,
    articles_offset: Annotated[int, _offset("articles")] = 0,
    claims_offset: Annotated[int, _offset("claims")] = 0,
    conflicts_offset: Annotated[int, _offset("conflicts")] = 0,
) -> dict[str, Any]:
    ws = deps.workspace(request)
    story = ws.story(
        story_id,
        limit=limit,
        articles_offset=articles_offset,
        claims_offset=claims_offset,
        conflicts_offset=conflicts_offset,
        every_conflict=True,  # disagreements name every outlet, copies too
    )
    every = story.pop("every_conflict")
    published = {
        ref["id"]: ref.get("published")
        for c in every
        for ref in (c.get("a_article"), c.get("b_article"))
        if ref
    }
    disagreements = disagreements_from_records(every, published)
    return {**story, "disagreements": disagreements}
