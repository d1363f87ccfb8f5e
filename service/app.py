"""The FastAPI application: ``create_app()`` for tests and ASGI servers, ``serve()`` for the CLI.

The lifespan builds the pipeline and opens the workspace ONCE (models, index and store load at
startup, not on the first request) and closes the store when the server stops. With
``FACTCHECK_ANALYSIS_WORKERS`` > 0 (default: min(2, cores)) it also starts the process pool the
spaCy analysis of POSTs runs in (``factcheck.analysis_pool``), and stops it on exit.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI

from service import docs, errors
from service.routes import articles, compare, conflicts, health, stories
from service.settings import Settings

if TYPE_CHECKING:
    from factcheck.analysis_pool import AnalysisPool
    from factcheck.pipeline import Pipeline

log = logging.getLogger(__name__)

_WARMUP_TEXT = "The service started on Monday, officials said, and 12 people attended."


def _warm_up(pipeline: Pipeline, pool: AnalysisPool | None = None) -> None:
    """Load every model now (embedder, relation model, spaCy: in the pool's workers if there is
    one) so requests never wait for it."""
    from factcheck.types import Article

    _ = pipeline.relation
    if pool is not None:
        pool.start()
    pipeline.analyse(Article(id="warmup", source="warmup", text=_WARMUP_TEXT), pool=pool)


def create_app(settings: Settings | None = None, *, pipeline: Pipeline | None = None) -> FastAPI:
    """The API over ``settings.data_dir``; ``pipeline`` defaults to the real models."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        from factcheck.analysis_pool import AnalysisPool
        from factcheck.backends import redact
        from factcheck.pipeline import Pipeline
        from factcheck.workspace import Workspace

        workers = settings.analysis_pool_size()
        pool = AnalysisPool(workers) if workers > 0 else None
        try:
            pipe = pipeline or Pipeline()
            _warm_up(pipe, pool)
            workspace = Workspace(settings.store_location(), pipe, analysis_pool=pool)
        except BaseException:
            if pool is not None:
                pool.close()
            raise
        app.state.workspace = workspace
        log.info(
            "factcheck API ready: %s, model %s, %d vectors in the index, %s",
            redact(workspace.url),
            workspace.embedder_name,
            len(workspace.index),
            f"{workers} analysis worker process(es)" if pool else "analysis in-process",
        )
        try:
            yield
        finally:
            try:
                workspace.close()
            finally:
                if pool is not None:
                    pool.close()

    app = FastAPI(
        title="factcheck",
        summary="Cross-source fact-checking and dedup for news: store articles, see where "
        "outlets disagree.",
        version="0.1.0",
        lifespan=lifespan,
        docs_url=None,  # served from local files by service.docs (the defaults use a CDN)
        redoc_url=None,
    )
    app.state.settings = settings
    errors.install(app)
    docs.install(app)
    for module in (articles, conflicts, stories, compare, health):
        app.include_router(module.router)
    _install_dashboard(app)
    return app


def _install_dashboard(app: FastAPI) -> None:
    """Mount the dashboard if ``service.dashboard`` defines ``install(app)`` (the hook it uses
    to add its pages and static files over ``app.state.workspace``)."""
    from service import dashboard

    install = getattr(dashboard, "install", None)
    if callable(install):
        install(app)


def serve(
    host: str | None = None,
    port: int | None = None,
    data_dir: Path | None = None,
    store_url: str | None = None,
) -> None:
    """Run the API with uvicorn (``factcheck serve``); arguments override FACTCHECK_* settings."""
    import uvicorn

    given = (("host", host), ("port", port), ("data_dir", data_dir), ("store_url", store_url))
    overrides = {k: v for k, v in given if v is not None}
    settings = Settings(**overrides)  # type: ignore[arg-type]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(name)s: %(message)s")
    for name in ("factcheck", "service"):
        logging.getLogger(name).setLevel(logging.INFO)
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
