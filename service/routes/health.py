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
    out = deps.workspace(request).health()
    s = deps.settings(request)
    if s.read_key is not None or s.api_key is not None:
        # /health stays open under a key: it must not tell a stranger where the data lives
        out.pop("data_dir", None)
    return out
