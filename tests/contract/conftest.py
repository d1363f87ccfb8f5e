"""Fixtures of the contract suite: one fresh store per test, on every backend in BACKENDS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from backends import BACKENDS
from builders import DIM

from factcheck.backends import Backend, BackendOptions, open_backend


@pytest.fixture(params=sorted(BACKENDS))
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh, empty store of each backend."""
    return BACKENDS[request.param](request, tmp_path)


@pytest.fixture
def backend(backend_url: str) -> Iterator[Backend]:
    """The backend at ``backend_url``, opened as a workspace opens it (small exact index)."""
    opened = open_backend(backend_url, BackendOptions(dim=DIM, embedder="contract-test"))
    try:
        yield opened
    finally:
        opened.close()
