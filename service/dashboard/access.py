"""Who may read and write through the dashboard: the API's keys, usable from a browser.

The API takes keys as ``Authorization: Bearer``, which a plain browser cannot send. The
dashboard accepts that header too, and otherwise a key typed once into its sign-in form: the
cookie it sets holds an HMAC of the key (never the key), is HttpOnly and SameSite=Strict (so
another site cannot post with it). The rules are the API's: reads are open unless
FACTCHECK_READ_KEY is set (then the read or the write key works); writes need
FACTCHECK_API_KEY when set, else the read key when only that is set. The add-article form also
takes the key in a field, for a one-off write without signing in.
"""

from __future__ import annotations

import hashlib
import hmac

from fastapi import Request, Response

from service import deps
from service.errors import AuthRequiredError, ForbiddenError
from service.settings import Settings

COOKIE = "factcheck_dashboard"
COOKIE_PATH = "/ui"
_TOKEN_SALT = b"factcheck dashboard session v1"


def _token(key: str) -> str:
    return hmac.new(key.encode(), _TOKEN_SALT, hashlib.sha256).hexdigest()


def _secret(value: object) -> str | None:
    get = getattr(value, "get_secret_value", None)
    return str(get()) if callable(get) else None


def read_keys(s: Settings) -> list[str]:
    """Keys that may read; empty when reads are open."""
    read = _secret(s.read_key)
    if read is None:
        return []
    write = _secret(s.api_key)
    return [read] + ([write] if write is not None else [])


def write_keys(s: Settings) -> tuple[list[str], str]:
    """Keys that may write (empty when writes are open) and the setting that holds them."""
    write, read = _secret(s.api_key), _secret(s.read_key)
    if write is not None:
        return [write], "FACTCHECK_API_KEY"
    if read is not None:
        return [read], "FACTCHECK_READ_KEY"
    return [], ""


def any_key(s: Settings) -> bool:
    """Whether a key is configured at all (then the sign-in page is useful)."""
    return bool(read_keys(s) or write_keys(s)[0])


def _equal(given: str, keys: list[str]) -> bool:
    return any(hmac.compare_digest(given.encode(), k.encode()) for k in keys)


def _cookie_ok(request: Request, keys: list[str]) -> bool:
    token = request.cookies.get(COOKIE) or ""
    return bool(token) and _equal(token, [_token(k) for k in keys])


def _bearer_ok(request: Request, keys: list[str]) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return scheme.lower() == "bearer" and bool(token.strip()) and _equal(token.strip(), keys)


def can_read(request: Request) -> bool:
    keys = read_keys(deps.settings(request))
    return not keys or _cookie_ok(request, keys) or _bearer_ok(request, keys)


def require_read(request: Request) -> None:
    """Dependency of every page: AuthRequiredError (rendered as the sign-in page) if needed."""
    if not can_read(request):
        raise AuthRequiredError(
            "this dashboard needs the read key: the server sets FACTCHECK_READ_KEY. Enter the "
            "read key (or the write key) below to sign in"
        )


def write_needs_key(request: Request) -> bool:
    """Whether the add-article form must ask for a key (none given by cookie or header)."""
    keys, _ = write_keys(deps.settings(request))
    return bool(keys) and not (_cookie_ok(request, keys) or _bearer_ok(request, keys))


def require_write(request: Request, form_key: str | None) -> None:
    """Writes from the form: the key field, the sign-in cookie or a Bearer header."""
    keys, env = write_keys(deps.settings(request))
    if not keys or _cookie_ok(request, keys) or _bearer_ok(request, keys):
        return
    given = (form_key or "").strip()
    if not given:
        raise AuthRequiredError(
            f"adding articles needs the API key set in {env} on the server; enter it in the "
            "'API key' field"
        )
    if not _equal(given, keys):
        raise ForbiddenError(
            f"the key entered is not valid for adding articles; enter the key set in {env} on "
            "the server"
        )


def key_is_valid(s: Settings, key: str) -> bool:
    """Whether ``key`` is one of the configured keys (read or write)."""
    return bool(key) and _equal(key, read_keys(s) + write_keys(s)[0])


def sign_in(response: Response, key: str) -> None:
    response.set_cookie(
        COOKIE, _token(key), httponly=True, samesite="strict", path=COOKIE_PATH, max_age=30 * 86400
    )


def sign_out(response: Response) -> None:
    response.delete_cookie(COOKIE, path=COOKIE_PATH, httponly=True, samesite="strict")


def signed_in(request: Request) -> bool:
    s = deps.settings(request)
    return _cookie_ok(request, read_keys(s) + write_keys(s)[0])
