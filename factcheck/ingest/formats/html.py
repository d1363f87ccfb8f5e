"""HTML pages: trafilatura picks the main content (lxml as fallback), then the text cleaner."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from factcheck.ingest.article import _build, _explicit_date, source_from
from factcheck.ingest.boilerplate import _collapse
from factcheck.ingest.clean import _clean
from factcheck.ingest.dates import parse_date
from factcheck.ingest.formats import Format, Request, register
from factcheck.types import Article


@dataclass
class _HtmlParts:
    text: str
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    sitename: str | None = None
    fallback: bool = False  # text came from the lxml fallback, not trafilatura


_FALLBACK_DROP = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "figure",
    "figcaption", "iframe", "svg", "button", "select", "template",
)  # fmt: skip
_FALLBACK_BLOCKS = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre"})


def _html_fallback(html: str) -> _HtmlParts:
    """Plain lxml extraction: the text of block elements outside page chrome."""
    import lxml.html  # lazy: only for pages trafilatura gives up on

    try:
        root = lxml.html.fromstring(html)
    except Exception:  # lxml raises several types for junk input
        return _HtmlParts(text="")
    for bad in root.xpath("|".join(f"//{tag}" for tag in _FALLBACK_DROP)):
        bad.drop_tree()
    lines: list[str] = []
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _FALLBACK_BLOCKS:
            inner = el.xpath(".//p|.//li|.//blockquote")
            if el.tag.lower() in ("li", "blockquote") and inner:
                continue  # its own block children are visited separately
            line = _collapse(el.text_content())
            if line:
                lines.append(line)
    titles = root.xpath("//title")
    title = _collapse(titles[0].text_content()) if titles else None
    if not lines:  # no block elements (bare text, <br>-separated lines): take all the text
        for tag in root.xpath("//title"):
            tag.drop_tree()
        lines = [_collapse(line) for line in root.text_content().splitlines()]
    return _HtmlParts(text="\n".join(line for line in lines if line), title=title or None)


def _extract_html(html: str) -> _HtmlParts:
    """Main text and metadata of a page with trafilatura (no network), lxml as fallback."""
    import trafilatura  # lazy: ~0.4 s import

    doc = None
    try:
        doc = trafilatura.bare_extraction(
            html,
            include_comments=False,
            include_tables=False,
            include_images=False,
            favor_precision=True,
            with_metadata=True,
            date_extraction_params={"extensive_search": False, "original_date": True},
        )
    except Exception:  # trafilatura/lxml raise on some malformed markup; fall back below
        doc = None
    text = getattr(doc, "text", None) or ""
    parts = _HtmlParts(
        text=text,
        title=getattr(doc, "title", None) or None,
        url=getattr(doc, "url", None) or None,
        date=parse_date(getattr(doc, "date", None)),
        sitename=getattr(doc, "sitename", None) or None,
    )
    if not text.strip():
        fallback = _html_fallback(html)
        parts.text = fallback.text
        parts.title = parts.title or fallback.title
        parts.fallback = True
    return parts


def _looks_like_html(text: str) -> bool:
    head = text[:2000].lower()
    return bool(re.search(r"<!doctype html|<html[\s>]|<body[\s>]|<p[\s>]|<div[\s>]|<article", head))


def from_html(
    html: str,
    *,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: dt.date | str | None = None,
    origin: str | None = None,
    id: str | None = None,
) -> Article:
    """Article from an HTML page: trafilatura picks the main text, then the text cleaner runs.

    Source: ``source`` if given, else the host of ``url`` or of the page's canonical URL, else
    the page's site name. Date: ``published``, else a wire dateline in the text, else the
    page's metadata date.
    """
    return _html_article(
        html, source=source, title=title, url=url, published=published, origin=origin, id=id,
        what=origin or source or url or "HTML page",
    )  # fmt: skip


def _html_article(
    html: str,
    *,
    source: str | None,
    title: str | None,
    url: str | None,
    published: dt.date | str | None,
    origin: str | None,
    id: str | None,
    what: str,
    fallback_source: str | None = None,
) -> Article:
    date = _explicit_date(published, what)
    parts = _extract_html(html)
    page_url = url or parts.url
    if source is None:
        if page_url:
            source = source_from(page_url, None)
        elif parts.sitename:
            source = parts.sitename
        else:  # raises MissingSourceError when there is nothing to name the source after
            source = fallback_source or source_from(None, origin)
    headline = title or parts.title
    cleaned = _clean(parts.text, merge_lines=False, title=headline)
    if not cleaned.kept and not parts.fallback:
        # trafilatura picked the wrong block (or only chrome): try the plain block extraction
        retry = _clean(_html_fallback(html).text, merge_lines=False, title=headline)
        if retry.kept:
            cleaned = retry
    return _build(
        cleaned,
        source=source,
        title=title or parts.title or cleaned.title,
        url=page_url,
        published=(
            date or cleaned.wire_date or parts.date or cleaned.page_date or cleaned.stamp_date
        ),
        origin=origin,
        id=id,
        what=what,
    )


def _meta_charset(data: bytes) -> str | None:
    """The charset a page declares in a ``<meta>`` tag near its top."""
    m = re.search(rb"<meta[^>]+charset=[\"']?([\w-]+)", data[:4096], re.IGNORECASE)
    return m.group(1).decode("ascii") if m else None


def _read(text: str, req: Request) -> list[Article]:
    # source: given, else page URL host, else site name, else name's stem
    return [
        from_html(
            text, source=req.source, title=req.title, url=req.url, published=req.published,
            origin=req.name,
        )
    ]  # fmt: skip


register(
    Format(
        name="html",
        suffixes=(".html", ".htm"),
        content_types=("text/html", "application/xhtml+xml"),
        read=_read,
        order=20,
        looks_like=_looks_like_html,
        declared_charset=_meta_charset,
    )
)
