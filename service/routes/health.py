"""GET /health: status, counts, model and index."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from service import deps
from service.schemas import Health

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    summary="Status, counts, model name, index size and kind (open even with a read key)",
)
def health(request: Request) -> dict[str, Any]:
    return deps.workspace(request).health()
