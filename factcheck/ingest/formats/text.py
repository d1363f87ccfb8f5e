"""Plain text (and Markdown): the page-dump cleaner runs on it line by line."""

from __future__ import annotations

import datetime as dt

from factcheck.errors import MissingSourceError
from factcheck.ingest.article import _build, _explicit_date, source_from
from factcheck.ingest.clean import _clean
from factcheck.ingest.formats import Format, Request, register
from factcheck.types import Article


def from_text(
    text: str,
    *,
    source: str,
    title: str | None = None,
    url: str | None = None,
    published: dt.date | str | None = None,
    origin: str | None = None,
    id: str | None = None,
) -> Article:
    """Article from plain text (possibly a whole page dump); boilerplate is removed.

    Date: ``published`` if given, else a wire dateline near the top ("Moscow (AFP) Feb 15,
    2021"), else a page timestamp ("Written by ... 17 February 2021").
    """
    return _text_article(
        text, source=source.strip(), title=title, url=url, published=published, origin=origin,
        id=id, what=origin or source or "text",
    )  # fmt: skip


def _text_article(
    text: str,
    *,
    source: str,
    title: str | None,
    url: str | None,
    published: dt.date | str | None,
    origin: str | None,
    id: str | None,
    what: str,
) -> Article:
    if not source or not source.strip():
        raise MissingSourceError(f"{what}: the source name is empty; pass a non-empty `source`")
    date = _explicit_date(published, what)
    cleaned = _clean(text, title=title)
    return _build(
        cleaned,
        source=source,
        title=title or cleaned.title,
        url=url,
        published=date or cleaned.wire_date or cleaned.page_date or cleaned.stamp_date,
        origin=origin,
        id=id,
        what=what,
    )


def _read(text: str, req: Request) -> list[Article]:
    source = req.source or source_from(req.url, req.name)
    return [
        from_text(
            text, source=source, title=req.title, url=req.url, published=req.published,
            origin=req.name,
        )
    ]  # fmt: skip


register(
    Format(
        name="text",
        suffixes=(".txt", ".text", ".md"),
        content_types=("text/plain", "text/markdown", "text/x-markdown"),
        read=_read,
        order=10,
    )
)
