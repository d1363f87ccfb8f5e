"""The pages that write: add an article (a plain HTML form, no JavaScript needed) and sign in.

Adding runs the API's own ingest (``data.ingest``: the same body parsing, checks and messages
as POST /articles) and answers 303 See Other with the new article's page, so a reload never
posts twice. On an error the form comes back with the API's message, the field it concerns
marked, and everything the user typed (but the file and the key, which browsers and we do not
echo back).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Message

from factcheck.errors import FactcheckError, InputError
from service import deps
from service.dashboard import access, data, views
from service.dashboard.pages import known_sources
from service.dashboard.render import PageRoute, base_path, not_found_page, render
from service.errors import status_for

router = APIRouter(
    route_class=PageRoute, include_in_schema=False, dependencies=[Depends(access.require_read)]
)
open_router = APIRouter(route_class=PageRoute, include_in_schema=False)

TEXT_FIELDS = ("source", "title", "url", "published", "text", "format")
FORMATS = {"auto": "Detect", "text": "Plain text", "html": "HTML"}
_SUFFIX_MIME = {
    ".txt": "text/plain",
    ".text": "text/plain",
    ".md": "text/plain",
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "text/html",
    ".json": "application/json",
}
# What to do about an error, next to the field it concerns (the API's message says why).
HINTS = {
    "source": "Enter the outlet's name in “Source”.",
    "text": "Paste the article's text or web page, or choose a file instead.",
    "file": "Choose a UTF-8 text, HTML or JSON file, or paste the text instead.",
    "published": "Pick the date, or write it as YYYY-MM-DD.",
    "url": "Enter the article's full address, starting with https://.",
    "key": "Enter the API key the server was started with.",
}


def _form_page(
    request: Request,
    values: dict[str, str] | None = None,
    *,
    error: str | None = None,
    field: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    values = {k: "" for k in TEXT_FIELDS} | {"format": "auto"} | (values or {})
    return render(
        request,
        "add.html",
        status=status,
        title="Add an article",
        nav="add",
        values=values,
        error=error,
        field=field,
        hint=HINTS.get(field or ""),
        formats=FORMATS,
        needs_key=access.write_needs_key(request),
        sources=known_sources(request),
        limit=deps.settings(request).max_body_bytes,
    )


@router.get("/ui/add", response_class=HTMLResponse)
def add_page(request: Request) -> HTMLResponse:
    return _form_page(request)


def _replay(request: Request, body: bytes) -> Request:
    """The request again, with its (already size-checked) body, for the form parser."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return Request(request.scope, receive)


def _upload_mime(upload: UploadFile, body: bytes) -> str:
    """The API media type of an uploaded file: by its name, else its type, else its content."""
    by_suffix = _SUFFIX_MIME.get(Path(upload.filename or "").suffix.lower())
    if by_suffix:
        return by_suffix
    declared = (upload.content_type or "").partition(";")[0].strip().lower()
    if declared in deps.ARTICLE_MEDIA_TYPES:
        return declared
    return "text/html" if views.looks_like_html(body.decode("utf-8", "replace")) else "text/plain"


def _field_of(exc: FactcheckError, used_file: bool) -> str:
    """The form field an API error is about."""
    body_field = "file" if used_file else "text"
    if exc.code in ("unauthorized", "forbidden"):
        return "key"
    if exc.code == "missing_source":
        return "source"
    if exc.code == "bad_format":
        message = exc.message.lower()
        if "date" in message:
            return "published"
        if "url" in message:
            return "url"
    return body_field


@router.post("/ui/add", response_class=HTMLResponse)
async def add_submit(request: Request) -> Response:
    """Store the article from the form, then show its page (303), or the form with the error."""
    try:
        body = await deps.read_body(request)  # the API's size limit and message
    except InputError as exc:
        return _form_page(request, error=exc.message, field="text", status=status_for(exc))
    try:
        form = await _replay(request, body).form(max_part_size=len(body) + 1)
    except StarletteHTTPException as exc:
        message = f"the form could not be read ({exc.detail}); reload the page and send it again"
        return _form_page(request, error=message, status=400)
    try:
        values = {k: str(v) for k in TEXT_FIELDS if isinstance(v := form.get(k), str)}
        if values.get("format") not in FORMATS:
            values["format"] = "auto"
        upload = form.get("file")
        key = form.get("key")
        try:
            access.require_write(request, key if isinstance(key, str) else None)
        except FactcheckError as exc:
            status = status_for(exc)
            return _form_page(request, values, error=exc.message, field="key", status=status)
        upload_body = b""
        used_file = isinstance(upload, UploadFile) and bool(upload.filename or upload.size)
        if isinstance(upload, UploadFile) and used_file:
            upload_body = await upload.read()
        text = values.get("text", "")
        if used_file and text.strip():
            message = (
                "the form has both pasted text and a file; clear the text box, or send the "
                "form again without choosing a file"
            )
            return _form_page(request, values, error=message, field="text", status=400)
        if isinstance(upload, UploadFile) and used_file:
            article_body, mime = upload_body, _upload_mime(upload, upload_body)
        else:
            article_body = text.encode("utf-8")
            fmt = values["format"]
            is_html = fmt == "html" or (fmt == "auto" and views.looks_like_html(text))
            mime = "text/html" if is_html else "text/plain"
        meta: dict[str, Any] = {
            k: (values.get(k) or "").strip() or None
            for k in ("source", "title", "url", "published")
        }
        try:
            created, article = await run_in_threadpool(
                data.ingest, request, article_body, mime, **meta
            )
        except FactcheckError as exc:
            return _form_page(
                request,
                values,
                error=exc.message,
                field=_field_of(exc, used_file),
                status=status_for(exc),
            )
    finally:
        await form.close()
    flag = "added" if created else "existing"
    return RedirectResponse(
        f"{base_path(request)}/articles/{article['id']}?{flag}=1", status_code=303
    )


# --- sign in (only useful when the server sets a key) ---------------------------------------------


def _safe_next(request: Request, target: str | None) -> str:
    """Only a dashboard path of this site (never another host) as the place to go back to."""
    ui = base_path(request)
    if target and target.startswith(ui + "/") and "//" not in target and "\\" not in target:
        return target
    return ui + "/"


@open_router.get("/ui/key", response_class=HTMLResponse)
def key_page(request: Request, next: str = "") -> HTMLResponse:
    return render(request, "key.html", title="Sign in", next=_safe_next(request, next), error=None)


@open_router.post("/ui/key", response_class=HTMLResponse)
async def key_submit(request: Request) -> Response:
    try:
        form = await _replay(request, await deps.read_body(request)).form(max_part_size=64 * 1024)
    except (InputError, StarletteHTTPException):
        form = None
    key, target = (form.get("key"), form.get("next")) if form is not None else (None, None)
    target = _safe_next(request, target if isinstance(target, str) else None)
    key = key.strip() if isinstance(key, str) else ""
    settings = deps.settings(request)
    if not access.any_key(settings):
        return RedirectResponse(target, status_code=303)
    if not access.key_is_valid(settings, key):
        message = (
            "enter the key" if not key else "that key is not one the server accepts"
        ) + "; use the key set in FACTCHECK_READ_KEY or FACTCHECK_API_KEY on the server"
        return render(
            request, "key.html", status=401 if not key else 403, title="Sign in",
            next=target, error=message,
        )  # fmt: skip
    response = RedirectResponse(target, status_code=303)
    access.sign_in(response, key)
    return response


@open_router.post("/ui/key/out")
def key_out(request: Request) -> Response:
    response = RedirectResponse(base_path(request) + "/", status_code=303)
    access.sign_out(response)
    return response


@open_router.get("/")
def root(request: Request) -> Response:
    """``factcheck serve`` shows the dashboard at /."""
    return RedirectResponse(base_path(request) + "/", status_code=307)


@open_router.get("/ui")
def ui_root(request: Request) -> Response:
    return RedirectResponse(base_path(request) + "/", status_code=307)


@open_router.api_route("/ui/{rest:path}", methods=["GET", "HEAD"], response_class=HTMLResponse)
def unknown_page(request: Request, rest: str) -> HTMLResponse:
    """Any other /ui address: the dashboard's 404 page (not the API's JSON one)."""
    return not_found_page(request)
