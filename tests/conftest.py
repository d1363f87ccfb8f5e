"""Fixtures shared by every test module: pipelines (fake and real), invented articles, paths.

Models are expensive, so pipelines are session-scoped and built lazily: a module that never asks
for ``real_pipeline`` never loads the embedding model.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

# the real PostgreSQL + pgvector server of the postgres tests (fixtures postgres_server/_url)
pytest_plugins = ["postgres_server"]

if TYPE_CHECKING:
    from factcheck.pipeline import Pipeline
    from factcheck.types import Article

SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"

from texts import FLOOD_FIRST, FLOOD_NEXT, STORY_PAPER, STORY_WIRE, UNRELATED  # noqa: E402


@pytest.fixture(autouse=True)
def _analysis_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """Apps built in tests analyse in-process (each app would otherwise start spaCy worker
    processes); the tests of the pool ask for one explicitly (``analysis_workers=1``)."""
    monkeypatch.setenv("FACTCHECK_ANALYSIS_WORKERS", "0")


@pytest.fixture(scope="session")
def flood_records() -> dict[str, dict[str, Any]]:
    """Two invented reports of one flood a day apart (JSON-ready): first, next."""
    return {
        "first": {
            "source": "valley-post",
            "title": "Deadly flood in Marlow",
            "published": "2031-05-06",
            "text": FLOOD_FIRST,
        },
        "next": {
            "source": "river-herald",
            "title": "Marlow flood toll rises",
            "published": "2031-05-07",
            "text": FLOOD_NEXT,
        },
    }


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the repo (third-party data: read it there, never copy it)."""
    if not SHARED_DIR.is_dir():
        pytest.skip(f"{SHARED_DIR} is absent (third-party seeds and datasets live there)")
    return SHARED_DIR


@pytest.fixture(scope="session")
def fake_pipeline() -> Pipeline:
    """The real pipeline (spaCy facts, conflict rules) over the deterministic FakeEmbedder and
    no claim-relation model: for plumbing tests that must not load the embedding model."""
    from fakes import FakeEmbedder  # tests/ is on sys.path (rootdir conftest)

    from factcheck.pipeline import Pipeline

    return Pipeline(embedder=FakeEmbedder(), relation=None)


@pytest.fixture(scope="session")
def real_pipeline() -> Pipeline:
    """The pipeline with the real models (loaded once per test session)."""
    from factcheck.pipeline import Pipeline

    return Pipeline()


@pytest.fixture(scope="session")
def story_records() -> dict[str, dict[str, Any]]:
    """Invented article records (JSON-ready) keyed by role: wire, paper, reprint, unrelated."""
    return {
        "wire": {"source": "coast-wire", "title": "Bridge collapses", "text": STORY_WIRE},
        "paper": {"source": "harbor-daily", "title": "Bridge falls", "text": STORY_PAPER},
        "reprint": {"source": "regional-news", "title": "Bridge collapses", "text": STORY_WIRE},
        "unrelated": {"source": "arts-weekly", "title": "Orchestra", "text": UNRELATED},
    }


@pytest.fixture
def make_article() -> Callable[..., Article]:
    """Build a cleaned Article from text: ``make_article(text, source="wire", title=...)``."""
    from factcheck.ingest import from_text

    def make(text: str, source: str = "test-source", **kwargs: Any) -> Article:
        return from_text(text, source=source, **kwargs)

    return make


@pytest.fixture
def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
