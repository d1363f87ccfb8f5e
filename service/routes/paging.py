"""Paging query parameters shared by the listings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from factcheck.records import MAX_PAGE_SIZE

MAX_OFFSET = 1_000_000_000  # SQLite's OFFSET is a signed 64-bit integer: stay far below

Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="page size")]
Offset = Annotated[
    int, Query(ge=0, le=MAX_OFFSET, description="items to skip (next_offset of the last page)")
]
