"""Every error the API returns has ONE shape: ``{"error": {"code", "message", "detail"}}``.

Library errors (``FactcheckError``) keep their message, which already says how to fix the input;
this module only picks the HTTP status. Request validation errors, unknown routes and wrong
methods are mapped to the same shape, and anything unexpected becomes a 500 in that shape too
(user input must never get there).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from factcheck.errors import (
    CancelledError,
    DecodeError,
    EmptyArticleError,
    FactcheckError,
    FormatError,
    InputError,
    InvalidSourceError,
    InvalidURLError,
    MissingSourceError,
    ModelError,
    NotFoundError,
    StoreError,
    TooFewSourcesError,
    WorkerError,
)

log = logging.getLogger(__name__)


class EmptyBodyError(InputError):
    code = "empty_body"


class BodyTooLargeError(InputError):
    code = "body_too_large"


class UnsupportedMediaTypeError(InputError):
    code = "unsupported_media_type"


class InvalidParameterError(InputError):
    """A query or path parameter FastAPI accepted as a string but whose value is invalid."""

    code = "invalid_request"


class AuthRequiredError(FactcheckError):
    code = "unauthorized"


class ForbiddenError(FactcheckError):
    code = "forbidden"


class RouteNotFoundError(FactcheckError):
    code = "route_not_found"


class MethodNotAllowedError(FactcheckError):
    code = "method_not_allowed"


# Most specific first: the first class in an error's MRO that is listed here wins.
STATUS: dict[type[FactcheckError], int] = {
    BodyTooLargeError: 413,
    UnsupportedMediaTypeError: 415,
    EmptyArticleError: 422,
    MissingSourceError: 422,
    InvalidURLError: 422,
    InvalidSourceError: 422,
    InvalidParameterError: 422,
    TooFewSourcesError: 422,
    DecodeError: 400,
    FormatError: 400,
    EmptyBodyError: 400,
    InputError: 400,
    NotFoundError: 404,
    RouteNotFoundError: 404,
    MethodNotAllowedError: 405,
    AuthRequiredError: 401,
    ForbiddenError: 403,
    ModelError: 503,
    StoreError: 503,
    WorkerError: 503,
    CancelledError: 499,  # the client closed the request (nobody reads this answer)
    FactcheckError: 500,
}


def status_for(exc: FactcheckError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 500


def error_body(code: str, message: str, detail: object | None = None) -> dict[str, Any]:
    """The one error shape."""
    return {"error": {"code": code, "message": message, "detail": jsonable_encoder(detail)}}


def error_response(
    status: int,
    code: str,
    message: str,
    detail: object | None = None,
    headers: Mapping[str, str] | None = None,
) -> JSONResponse:
    return JSONResponse(error_body(code, message, detail), status_code=status, headers=headers)


def _validation_message(errors: list[dict[str, Any]]) -> str:
    parts = []
    for err in errors[:3]:
        loc = [str(x) for x in err.get("loc", ())]
        where = loc[0] if loc else "request"
        name = ".".join(loc[1:])
        place = {"query": "query parameter", "path": "path parameter", "body": "body field"}.get(
            where, where
        )
        parts.append(f"{place} {name!r}: {err.get('msg', 'is invalid')}".replace(" ''", ""))
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    return "invalid request: " + "; ".join(parts) + more + ". Fix the value and retry (see /docs)"


def _allowed_methods(request: Request) -> list[str]:
    """Every method the API documents at this path (Starlette reports only the first route)."""
    import re

    path = request.url.path
    methods: set[str] = set()
    for template, operations in request.app.openapi().get("paths", {}).items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path):
            methods.update(m.upper() for m in operations)
    return sorted(methods)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the one error shape."""

    @app.exception_handler(FactcheckError)
    async def _factcheck(request: Request, exc: FactcheckError) -> JSONResponse:
        status = status_for(exc)
        if status >= 500:
            log.error("%s %s failed: %s", request.method, request.url.path, exc.message)
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return error_response(status, exc.code, exc.message, exc.detail, headers)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
            for e in exc.errors()
        ]
        return error_response(422, "invalid_request", _validation_message(errors), errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        method, path = request.method, request.url.path
        if exc.status_code == 404:
            return error_response(
                404,
                RouteNotFoundError.code,
                f"no endpoint at {method} {path}; see /docs for the list of endpoints",
                {"method": method, "path": path},
            )
        if exc.status_code == 405:
            allowed = ", ".join(_allowed_methods(request)) or (exc.headers or {}).get("Allow", "")
            return error_response(
                405,
                MethodNotAllowedError.code,
                f"{method} is not allowed on {path}; use {allowed or 'another method'}",
                {"method": method, "path": path, "allowed": allowed},
                headers={"Allow": allowed},
            )
        return error_response(
            exc.status_code, f"http_{exc.status_code}", str(exc.detail), None, exc.headers
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("%s %s crashed", request.method, request.url.path)
        return error_response(
            500,
            "internal_error",
            "the server hit an unexpected error; it was logged. Retry, and report it if it "
            "persists",
            {"type": type(exc).__name__},
        )
