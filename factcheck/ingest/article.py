"""Identity (id, source name) and the Article builder shared by every input format."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from urllib.parse import urlsplit

from factcheck.errors import EmptyArticleError, FormatError, InvalidURLError, MissingSourceError
from factcheck.ingest.clean import _Cleaned
from factcheck.ingest.dates import parse_date
from factcheck.normalize import normalise
from factcheck.types import Article

_EMPTY_HINT = (
    "no article text found after removing page boilerplate (navigation, headings, captions, "
    "bylines, share buttons, comment forms, donation appeals, teasers of other stories). "
    "Make sure the file holds the article body itself (not only a menu, a login or paywall "
    "page), with each paragraph on its own line ending in sentence punctuation"
)


def article_id(source: str, text: str) -> str:
    """Stable id: 16 hex chars of sha256 over the normalised source and text.

    Normalising (case, typography, whitespace) keeps the id the same when the same article is
    re-ingested from a differently formatted copy, and nothing path- or run-dependent goes in.
    """
    payload = f"{normalise(source)}\n{normalise(text)}".encode()
    return hashlib.sha256(payload).hexdigest()[:16]


def source_from(url: str | None, name: str | None) -> str:
    """Source name: the URL's host without ``www.``, else the file name's stem."""
    if url:
        try:
            host = (urlsplit(url if "//" in url else f"//{url}").hostname or "").lower()
        except ValueError as exc:  # "http://[bad": an unclosed IPv6 bracket
            raise InvalidURLError(
                f"url {url!r} cannot be read ({exc}); write it as an http(s) address such as "
                "https://example.org/news/story, or give the article a `source`",
                detail={"url": url},
            ) from None
        host = host.removeprefix("www.")
        if host:
            return host
    if name:
        stem = Path(name.replace("\\", "/")).stem.strip()
        if stem:
            return stem
    raise MissingSourceError(
        "the article has no source name: give it a `source`, a `url` to take the host from, "
        "or load it from a file whose name becomes the source"
    )


# ---------------------------------------------------------------------------------------------


def _explicit_date(value: object, what: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str | dt.date):
        raise FormatError(
            f"{what}: field 'published' must be a date string such as \"2021-02-15\", "
            f"got {type(value).__name__}"
        )
    parsed = parse_date(value)
    if parsed is None:
        raise FormatError(
            f"{what}: cannot read the date in field 'published' ({value!r}); "
            'write it as YYYY-MM-DD, e.g. "2021-02-15"'
        )
    return parsed


def _build(
    cleaned: _Cleaned,
    *,
    source: str,
    title: str | None,
    url: str | None,
    published: dt.date | None,
    origin: str | None,
    id: str | None,
    what: str,
) -> Article:
    if not cleaned.kept:
        raise EmptyArticleError(f"{what}: {_EMPTY_HINT}.", detail={"removed": cleaned.removed})
    text = "\n\n".join(cleaned.kept)
    return Article(
        id=id or article_id(source, text),
        source=source,
        text=text,
        title=title,
        url=url,
        published=published,
        origin=origin,
        removed=tuple(cleaned.removed),
        removal_reasons=tuple(reason for reason, _para in cleaned.reasons),
    )
