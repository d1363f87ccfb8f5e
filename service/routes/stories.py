"""GET /stories and /stories/{id}: articles about the same event."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from factcheck.report import disagreements_from_records
from service import deps
from service.routes.paging import Limit, Offset
from service.schemas import ErrorResponse, StoryOut, StoryPage

router = APIRouter(tags=["stories"])


@router.get(
    "/stories",
    response_model=StoryPage,
    dependencies=[Depends(deps.require_read)],
    summary="Stories: sources, counts, conflicts by type, first and last seen",
)
def list_stories(request: Request, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    return deps.workspace(request).stories(limit=limit, offset=offset).to_dict()


@router.get(
    "/stories/{story_id}",
    response_model=StoryOut,
    responses={404: {"model": ErrorResponse}},
    dependencies=[Depends(deps.require_read)],
    summary="One story: its articles, aligned claims, disagreements (worst first) and conflicts",
)
def get_story(request: Request, story_id: str) -> dict[str, Any]:
    story = deps.workspace(request).story(story_id)
    published = {a["id"]: a.get("published") for a in story["articles"]}
    disagreements = disagreements_from_records(story["conflicts"], published)
    return {**story, "disagreements": disagreements}
