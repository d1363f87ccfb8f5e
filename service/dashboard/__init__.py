"""The web dashboard: server-rendered pages over the JSON API, at ``/`` and ``/ui/...``.

Pages (all readable without JavaScript; one small script only disables the add button while
an article is being checked):

    /ui/                    stories, newest activity first, with search (?q=)
    /ui/stories/{id}        one story: articles side by side, conflicts, aligned claims
    /ui/articles/{id}       one article: each sentence with its matches and conflicts
    /ui/conflicts           the conflict feed, filtered by type, severity, source, date, story
    /ui/add                 add an article: paste text or HTML, or upload a file
    /ui/key                 sign in with the API's key, when the server sets one

The dashboard lives under ``/ui`` because the JSON API already owns ``/stories/{id}`` and
``/articles/{id}``; ``/`` redirects to it. Its routes are left out of the OpenAPI document.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles


def install(app: FastAPI) -> None:
    """Add the dashboard's pages and static files to the API app (``service.app`` calls it)."""
    from service.dashboard import pages, submit
    from service.dashboard.render import PREFIX, STATIC_DIR

    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC_DIR), name="dashboard-static")
    app.include_router(pages.router)
    app.include_router(submit.router)
    app.include_router(submit.open_router)  # last: its /ui/{rest} catch-all answers 404 pages
