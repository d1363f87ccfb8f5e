"""Checks of the metadata a user gives with an article: its ``url`` and its ``source`` name.

The CLI and the API call these before ingesting, so a bad value is an ``InputError`` that says
how to fix it (never a traceback or a 500): urls must be http(s) web addresses (``javascript:``,
``data:``, ``file:`` and malformed hosts such as ``http://[bad`` are refused); source names must
be printable text of sane length (no NUL or other control characters).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from urllib.parse import urlsplit

from factcheck.errors import InvalidSourceError, InvalidURLError

MAX_URL_LENGTH = 2048
MAX_SOURCE_LENGTH = 200
WEB_SCHEMES = ("http", "https")
_BAD_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})  # controls, lone surrogates, line breaks
_URL_EXAMPLE = "https://example.org/news/story"


def _shown(value: str, limit: int = 80) -> str:
    return repr(value if len(value) <= limit else value[:limit] + "...")


def _bad_char(value: str) -> tuple[int, str] | None:
    for i, ch in enumerate(value):
        if unicodedata.category(ch) in _BAD_CATEGORIES:
            return i, ch
    return None


def check_url(url: object, what: str) -> None:
    """Raise ``InvalidURLError`` unless ``url`` is None, blank or an http(s) address with a host.

    ``what`` names the input in the message ("request body", "a.json, item 2").
    """
    if not isinstance(url, str) or not url.strip():
        return  # absent; a non-string is the record reader's business (it names the field)
    value = url.strip()
    fix = f"send the article's web address, e.g. {_URL_EXAMPLE}"
    if len(value) > MAX_URL_LENGTH:
        raise InvalidURLError(
            f"{what}: the url is {len(value):,} characters long (limit {MAX_URL_LENGTH:,}); "
            f"{fix}, without tracking parameters",
            detail={"length": len(value), "limit": MAX_URL_LENGTH},
        )
    bad = _bad_char(value)
    if bad is None and any(ch.isspace() for ch in value):
        bad = next((i, ch) for i, ch in enumerate(value) if ch.isspace())
    if bad is not None:
        pos, ch = bad
        raise InvalidURLError(
            f"{what}: the url {_shown(value)} contains a space or control character "
            f"(U+{ord(ch):04X} at position {pos}); percent-encode it (a space is %20) or "
            f"{fix}",
            detail={"url": value[:MAX_URL_LENGTH], "position": pos},
        )
    try:
        parts = urlsplit(value)
        host = parts.hostname
        _ = parts.port  # raises ValueError for a port that is not a number in 0-65535
    except ValueError as exc:
        raise InvalidURLError(
            f"{what}: the url {_shown(value)} is not a valid web address ({exc}); {fix} "
            "(an IPv6 host goes in brackets: http://[2001:db8::1]/)",
            detail={"url": value, "reason": str(exc)},
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in WEB_SCHEMES:
        got = f"scheme {scheme!r}" if scheme else "no scheme"
        raise InvalidURLError(
            f"{what}: the url {_shown(value)} must start with http:// or https:// ({got}); "
            f"{fix}",
            detail={"url": value, "scheme": scheme or None},
        )
    if not host:
        raise InvalidURLError(
            f"{what}: the url {_shown(value)} has no host name; {fix}",
            detail={"url": value},
        )
    if not _HOST.fullmatch(host) and not _is_ip_literal(host):
        raise InvalidURLError(
            f"{what}: the url {_shown(value)} has an invalid host name ({host!r}); {fix}",
            detail={"url": value, "host": host},
        )


_HOST = re.compile(r"(?:[^\W_](?:[\w-]*[^\W_])?\.?)+")  # labels of letters, digits, hyphens


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def check_source(source: object, what: str) -> None:
    """Raise ``InvalidSourceError`` if a source name has control characters or is too long."""
    if not isinstance(source, str):
        return  # absent, or a non-string the record reader reports with the field's name
    fix = 'send the outlet\'s name as plain text, e.g. "Coastal Wire"'
    bad = _bad_char(source)
    if bad is not None:
        pos, ch = bad
        raise InvalidSourceError(
            f"{what}: the source name contains a control character (U+{ord(ch):04X} at "
            f"position {pos}); {fix}",
            detail={"position": pos, "codepoint": f"U+{ord(ch):04X}"},
        )
    if len(source.strip()) > MAX_SOURCE_LENGTH:
        raise InvalidSourceError(
            f"{what}: the source name is {len(source.strip()):,} characters long (limit "
            f"{MAX_SOURCE_LENGTH}); {fix}",
            detail={"length": len(source.strip()), "limit": MAX_SOURCE_LENGTH},
        )
