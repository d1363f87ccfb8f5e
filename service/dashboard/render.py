"""Templates, the HTML error page, and the route class that makes every page fail as HTML.

The API turns errors into JSON; a person in a browser needs a page instead. ``PageRoute``
catches the same library errors (and request validation errors) around every dashboard route
and renders them with the API's own message and HTTP status.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates

from factcheck.errors import FactcheckError, NotFoundError
from service.dashboard import access, views
from service.errors import AuthRequiredError, ForbiddenError, status_for

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TEMPLATES_DIR = HERE / "templates"
STATIC_DIR = HERE / "static"
PREFIX = "/ui"

# Pages load only their own CSS/JS; nothing inline, no third-party origin, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _asset_version() -> str:
    """A hash of the static files, appended to their URLs so browsers never keep stale ones."""
    digest = hashlib.sha256()
    for path in sorted(STATIC_DIR.glob("*")):
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.filters.update(
    when=views.when, day=views.day, highlight=views.highlight, web_url=views.web_url
)
templates.env.globals.update(
    CONFLICT_TYPES=views.CONFLICT_TYPES,
    SEVERITIES=views.SEVERITIES,
    RELATIONS=views.RELATIONS,
    ASSET_VERSION=_asset_version(),
)


def base_path(request: Request) -> str:
    """Where the dashboard lives (``/ui`` under the app's root path, e.g. behind a proxy)."""
    return str(request.scope.get("root_path", "")).rstrip("/") + PREFIX


def render(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """A page: the template with the shared context (paths, sign-in state) and safe headers."""
    settings = request.app.state.settings
    shared = {
        "root": str(request.scope.get("root_path", "")).rstrip("/"),
        "ui": base_path(request),
        "any_key": access.any_key(settings),
        "signed_in": access.signed_in(request),
    }
    response = templates.TemplateResponse(
        request, template, {**shared, **context}, status_code=status
    )
    response.headers.update(SECURITY_HEADERS)
    return response


def error_page(request: Request, exc: FactcheckError) -> HTMLResponse:
    """The API's message and status as a page; 401/403 on reads become the sign-in form."""
    status = status_for(exc)
    if status >= 500:
        log.error("%s %s failed: %s", request.method, request.url.path, exc.message)
    if isinstance(exc, AuthRequiredError | ForbiddenError):
        return render(
            request,
            "key.html",
            status=status,
            error=exc.message,
            next=str(request.url.path),
            title="Sign in",
        )
    title = {404: "Not found", 401: "Sign in"}.get(status, "Something went wrong")
    if 400 <= status < 500 and status != 404:
        title = "That request cannot be answered"
    return render(request, "error.html", status=status, title=title, message=exc.message)


def validation_page(request: Request, exc: RequestValidationError) -> HTMLResponse:
    parts = []
    for err in exc.errors()[:3]:
        name = ".".join(str(x) for x in err.get("loc", ())[1:]) or "request"
        parts.append(f"{name!r}: {err.get('msg', 'is invalid')}")
    message = "invalid request: " + "; ".join(parts) + ". Fix the address and retry"
    return render(
        request, "error.html", status=400, title="That request cannot be answered", message=message
    )


def not_found_page(request: Request) -> HTMLResponse:
    return error_page(
        request,
        NotFoundError(
            f"there is no dashboard page at {request.url.path}; start from the list of stories"
        ),
    )


class PageRoute(APIRoute):
    """An APIRoute whose failures are pages, not JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except FactcheckError as exc:
                return error_page(request, exc)
            except RequestValidationError as exc:
                return validation_page(request, exc)

        return page_handler
