"""Request plumbing shared by the routes: the workspace, access keys, bounded bodies, parsing."""

from __future__ import annotations

import hmac
import json
from dataclasses import replace
from typing import Any

from fastapi import Request

from factcheck.errors import (
    DecodeError,
    FormatError,
    InvalidURLError,
    MissingSourceError,
    TooFewSourcesError,
)
from factcheck.types import Article
from factcheck.validate import check_source, check_url
from factcheck.workspace import Workspace
from service.errors import (
    AuthRequiredError,
    BodyTooLargeError,
    EmptyBodyError,
    ForbiddenError,
    UnsupportedMediaTypeError,
)
from service.settings import Settings

ORIGIN = "api"
_BODY = "request body"


def settings(request: Request) -> Settings:
    value: Settings = request.app.state.settings
    return value


def workspace(request: Request) -> Workspace:
    value: Workspace = request.app.state.workspace
    return value


# --- access ----------------------------------------------------------------------------------


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthRequiredError(
            "the Authorization header must be 'Bearer <key>'",
            detail={"scheme": scheme},
        )
    return token.strip()


def _check(request: Request, keys: list[str], what: str, env: str) -> None:
    if not keys:
        return
    token = _bearer(request)
    if token is None:
        raise AuthRequiredError(
            f"{what} need an API key: send 'Authorization: Bearer <key>' with the key set in "
            f"{env} on the server"
        )
    if not any(hmac.compare_digest(token.encode(), k.encode()) for k in keys):
        raise ForbiddenError(
            f"the key sent is not valid for {what}; use the key set in {env} on the server"
        )


def require_write(request: Request) -> None:
    """POST/DELETE need FACTCHECK_API_KEY when set (or the read key when only that is set)."""
    s = settings(request)
    if s.api_key is not None:
        _check(request, [s.api_key.get_secret_value()], "writes", "FACTCHECK_API_KEY")
    elif s.read_key is not None:
        _check(request, [s.read_key.get_secret_value()], "writes", "FACTCHECK_READ_KEY")


def require_read(request: Request) -> None:
    """Reads are open unless FACTCHECK_READ_KEY is set; then the read or the write key works."""
    s = settings(request)
    if s.read_key is None:
        return
    keys = [s.read_key.get_secret_value()]
    if s.api_key is not None:
        keys.append(s.api_key.get_secret_value())
    _check(request, keys, "reads", "FACTCHECK_READ_KEY")


# --- bodies ----------------------------------------------------------------------------------


async def read_body(request: Request) -> bytes:
    """The request body, refused with 413 as soon as it passes ``max_body_bytes``."""
    limit = settings(request).max_body_bytes
    too_big = BodyTooLargeError(
        f"the request body is larger than the limit of {limit} bytes; send a smaller article "
        "(or raise FACTCHECK_MAX_BODY_BYTES on the server)",
        detail={"limit": limit},
    )
    declared = request.headers.get("content-length")
    if declared is not None and declared.strip().isdigit() and int(declared) > limit:
        raise too_big
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def media_type(request: Request) -> tuple[str | None, str | None]:
    """(lower-case media type, charset) of the request, (None, None) without a header."""
    header = request.headers.get("content-type")
    if not header:
        return None, None
    mime, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return mime.strip().lower(), charset


def decode(body: bytes, charset: str | None) -> str:
    """Bytes -> text: UTF-8 unless the content type declares another charset."""
    codec = charset or "utf-8"
    try:
        text = body.decode(codec)
    except LookupError:
        raise FormatError(
            f"unknown charset {charset!r} in the Content-Type header; send UTF-8 "
            "(Content-Type: ...; charset=utf-8)",
            detail={"charset": charset},
        ) from None
    except UnicodeDecodeError as exc:
        bad = body[exc.start : exc.start + 1].hex()
        raise DecodeError(
            f"the request body is not valid {codec.upper()} (byte 0x{bad} at offset {exc.start}); "
            "encode the text as UTF-8, or declare its charset in the Content-Type header",
            detail={"offset": exc.start, "charset": codec},
        ) from None
    return text.removeprefix("\ufeff")


def parse_json(body: bytes, charset: str | None) -> Any:
    text = decode(body, charset)
    if not text.strip():
        raise EmptyBodyError(_EMPTY_MESSAGE)
    try:
        data = json.loads(text)
    except RecursionError:
        raise FormatError(
            "the request body nests JSON too deeply; send a flat object such as "
            '{"source": "example-wire", "text": "..."}'
        ) from None
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"the request body is not valid JSON (line {exc.lineno}, column {exc.colno}: "
            f"{exc.msg}); send a JSON object such as "
            '{"source": "example-wire", "text": "..."}',
            detail={"line": exc.lineno, "column": exc.colno},
        ) from None
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise DecodeError(
            f"the request body contains an unpaired surrogate escape "
            f"(\\u{ord(exc.object[exc.start]):04x}); send valid Unicode text"
        ) from None
    return data


_EMPTY_MESSAGE = (
    "the request body is empty; send the article as JSON "
    '{"source": ..., "text": ...} (or "html"), or as text/plain or text/html with ?source=NAME'
)
_SOURCE_HINT = (
    "the article has no source: give the outlet's name as the JSON field 'source' or the "
    "query parameter ?source=NAME (or a url whose host can be used)"
)
ARTICLE_MEDIA_TYPES = ("application/json", "text/plain", "text/html")


def article_from_record(record: object, *, what: str = _BODY) -> Article:
    """A JSON record -> Article, with messages that speak of the request, not of files."""
    from factcheck.ingest import from_record

    if not isinstance(record, dict):
        raise FormatError(
            f"the {what} must be a JSON object like "
            f'{{"source": "example-wire", "text": "..."}}, got {type(record).__name__}',
            detail={"got": type(record).__name__},
        )
    check_url(record.get("url"), what)
    check_source(record.get("source"), what)
    try:
        article = from_record(record, origin=what)
    except MissingSourceError as exc:
        raise MissingSourceError(f"{what}: {_SOURCE_HINT}", detail=exc.detail) from None
    except ValueError as exc:  # a url the page itself gives (canonical link) that cannot be read
        raise _unreadable_url(what, exc) from None
    return _checked(replace(article, origin=ORIGIN), what)


def _unreadable_url(what: str, exc: ValueError) -> InvalidURLError:
    return InvalidURLError(
        f"{what}: the article's url cannot be read ({exc}); give the outlet's name as 'source' "
        "(or ?source=NAME) and a valid http(s) url such as https://example.org/news/story",
        detail={"reason": str(exc)},
    )


def _checked(article: Article, what: str) -> Article:
    """The built article's source and url pass the same checks (a page's own canonical url
    that is not a web address is dropped rather than stored)."""
    check_source(article.source, what)
    try:
        check_url(article.url, what)
    except InvalidURLError:
        return replace(article, url=None)
    return article


def article_from_body(
    body: bytes,
    mime: str | None,
    charset: str | None,
    *,
    source: str | None,
    title: str | None,
    url: str | None,
    published: str | None,
) -> Article:
    """Parse POST /articles: JSON, or raw text/plain or text/html with query metadata."""
    from factcheck.ingest import from_html, from_text

    source = (source or "").strip() or None
    check_url(url, "query parameter 'url'")
    check_source(source, "query parameter 'source'")
    if mime not in ARTICLE_MEDIA_TYPES:
        got = f"Content-Type {mime!r}" if mime else "no Content-Type header"
        raise UnsupportedMediaTypeError(
            f"unsupported media type: {got}; send application/json "
            '({"source": ..., "text": ...}), or text/plain / text/html with ?source=NAME',
            detail={"content_type": mime, "supported": list(ARTICLE_MEDIA_TYPES)},
        )
    if not body.strip():
        raise EmptyBodyError(_EMPTY_MESSAGE)
    if mime == "application/json":
        record = parse_json(body, charset)
        if isinstance(record, dict):
            extra = {"source": source, "title": title, "url": url, "published": published}
            record = {**{k: v for k, v in extra.items() if v}, **record}
        return article_from_record(record)
    text = decode(body, charset)
    if not text.strip():
        raise EmptyBodyError(_EMPTY_MESSAGE)
    meta: dict[str, Any] = {"title": title, "url": url, "published": published}
    try:
        if mime == "text/html":
            article = from_html(text, source=source, origin=None, **meta)
        else:
            if not source:
                raise MissingSourceError(f"{_BODY}: {_SOURCE_HINT}")
            article = from_text(text, source=source, origin=_BODY, **meta)
    except MissingSourceError as exc:
        raise MissingSourceError(f"{_BODY}: {_SOURCE_HINT}", detail=exc.detail) from None
    except ValueError as exc:
        raise _unreadable_url(_BODY, exc) from None
    return _checked(replace(article, origin=ORIGIN), _BODY)


def articles_for_compare(data: Any) -> list[Article]:
    """POST /compare: ``{"articles": [...]}`` or a bare list of article records."""
    records = data.get("articles") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise FormatError(
            'the request body must be {"articles": [{"source": ..., "text": ...}, ...]} '
            "with two or more articles from two or more sources",
            detail={"got": type(data).__name__},
        )
    if len(records) < 2:
        raise TooFewSourcesError(
            f"compare needs two or more articles, got {len(records)}; add articles from "
            "another source to the 'articles' list",
            detail={"articles": len(records)},
        )
    return [article_from_record(r, what=f"articles[{i}]") for i, r in enumerate(records)]
