"""JSON and JSON Lines records ``{id?, source?, url?, title?, published?, text | html}``."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

from factcheck.errors import EmptyArticleError, FormatError
from factcheck.ingest.article import _explicit_date, source_from
from factcheck.ingest.formats import Format, Request, register
from factcheck.ingest.formats.html import _html_article
from factcheck.ingest.formats.text import _text_article
from factcheck.types import Article

_JSON, _JSONL = "json", "jsonl"


def _field(record: Mapping[str, object], key: str, what: str) -> str | None:
    value = record.get(key)
    if value is None:
        return None
    if key == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise FormatError(
            f"{what}: field {key!r} must be a string, got {type(value).__name__} "
            f"({json.dumps(value, default=str)[:40]})"
        )
    return value.strip() or None


def _record_article(
    record: object,
    *,
    origin: str | None,
    what: str,
    explicit_source: str | None,
    fallback_source: str | None,
    defaults: Mapping[str, object] | None = None,
) -> Article:
    if not isinstance(record, Mapping):
        raise FormatError(
            f"{what}: expected a JSON object like "
            f'{{"source": ..., "text": ...}}, got {type(record).__name__}'
        )
    merged: dict[str, object] = dict(defaults or {})
    merged.update({k: v for k, v in record.items() if v is not None})
    text = _field(merged, "text", what)
    html = _field(merged, "html", what)
    if text is not None:
        html = None  # plain text wins over html: it is what the producer already extracted
    rid = _field(merged, "id", what)
    title = _field(merged, "title", what)
    url = _field(merged, "url", what)
    rsource = _field(merged, "source", what)
    published = merged.get("published")
    if text is None and html is None:
        keys = ", ".join(sorted(map(str, record))) or "none"
        if "text" in record or "html" in record:
            raise EmptyArticleError(
                f"{what}: field 'text'/'html' is empty; give the article body as a non-empty string"
            )
        raise FormatError(
            f"{what}: record has neither a 'text' nor an 'html' field (found keys: {keys}); "
            "put the article body under 'text' (plain text) or 'html' (a web page)"
        )
    source = rsource or explicit_source
    date = _explicit_date(published, what)
    if html is not None:  # without a source the page's own URL or site name may give one
        return _html_article(
            html, source=source, title=title, url=url, published=date, origin=origin, id=rid,
            what=what, fallback_source=fallback_source,
        )  # fmt: skip
    if source is None:
        source = source_from(url, None) if url or not fallback_source else fallback_source
    assert text is not None
    return _text_article(
        text, source=source, title=title, url=url, published=date, origin=origin, id=rid,
        what=what,
    )  # fmt: skip


def from_record(
    record: Mapping[str, object],
    *,
    origin: str | None = None,
    default_source: str | None = None,
) -> Article:
    """Article from a mapping ``{id?, source?, url?, title?, published?, text | html}``.

    Source: the record's ``source``, else ``default_source``, else the URL's host.
    """
    what = origin or "record"
    return _record_article(
        record, origin=origin, what=what, explicit_source=default_source, fallback_source=None
    )


def _json_records(text: str, name: str, kind: str) -> list[tuple[str, object]]:
    """(label for messages, record) pairs from a JSON or JSON Lines document."""
    if kind == _JSON:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if exc.msg == "Extra data":  # several objects, one per line: JSON Lines named .json
                return _json_records(text, name, _JSONL)
            raise FormatError(
                f"{name}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}. "
                f"Fix the syntax (check with `python -m json.tool {name}`)",
                detail={"line": exc.lineno, "column": exc.colno},
            ) from None
        if isinstance(data, list):
            if not data:
                raise EmptyArticleError(f"{name}: the JSON list is empty; add article records")
            return [(f"{name}, item {i}", rec) for i, rec in enumerate(data, 1)]
        return [(name, data)]
    records: list[tuple[str, object]] = []
    for lineno, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            records.append((f"{name}, line {lineno}", json.loads(line)))
        except json.JSONDecodeError as exc:
            raise FormatError(
                f"{name}, line {lineno}: invalid JSON ({exc.msg} at column {exc.colno}). "
                "Each line of a JSON Lines file must be one complete JSON object",
                detail={"line": lineno, "column": exc.colno},
            ) from None
    if not records:
        raise EmptyArticleError(f"{name}: the JSON Lines file has no records; add one per line")
    return records


def _reader(kind: str) -> Callable[[str, Request], list[Article]]:
    def read(text: str, req: Request) -> list[Article]:
        fields = (("title", req.title), ("url", req.url), ("published", req.published))
        defaults = {k: v for k, v in fields if v}
        return [
            _record_article(
                record, origin=req.name, what=label, explicit_source=req.source,
                fallback_source=source_from(None, req.name), defaults=defaults,
            )
            for label, record in _json_records(text, req.name, kind)
        ]  # fmt: skip

    return read


register(
    Format(
        name=_JSON,
        suffixes=(".json",),
        content_types=("application/json",),
        read=_reader(_JSON),
        order=30,
    )
)
register(
    Format(
        name=_JSONL,
        suffixes=(".jsonl",),
        content_types=(
            "application/x-ndjson",
            "application/ndjson",
            "application/jsonl",
            "application/x-jsonlines",
            "application/jsonlines",
        ),
        read=_reader(_JSONL),
        order=40,
    )
)
