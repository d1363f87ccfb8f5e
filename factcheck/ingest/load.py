"""Bytes, files and folders -> articles, through the FORMATS registry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from factcheck.errors import EmptyArticleError, InputError, SourceNotFoundError
from factcheck.ingest.article import _EMPTY_HINT
from factcheck.ingest.decode import _decode
from factcheck.ingest.formats import SUPPORTED_SUFFIXES, Request, format_for, sniff
from factcheck.types import Article


def load_bytes(
    data: bytes,
    *,
    name: str,
    content_type: str | None = None,
    source: str | None = None,
    title: str | None = None,
    url: str | None = None,
    published: dt.date | str | None = None,
) -> list[Article]:
    """Articles from raw bytes; the format comes from ``content_type``, else ``name``'s suffix.

    For JSON the records' own fields win; ``source``/``title``/``url``/``published`` fill in
    what a record lacks. Without any source the name's stem is used.
    """
    fmt, charset = format_for(name, content_type)
    if not data.strip():
        raise EmptyArticleError(f"{name}: the file is empty; {_EMPTY_HINT}.")
    sniff_charset = fmt.declared_charset if fmt is not None else None
    text = _decode(data, name, charset=charset, sniff_charset=sniff_charset)
    if fmt is None:
        fmt = sniff(text)
    if not text.strip():
        raise EmptyArticleError(f"{name}: the file is empty; {_EMPTY_HINT}.")
    request = Request(name=name, source=source, title=title, url=url, published=published)
    return fmt.read(text, request)


def walk(directory: Path) -> list[Path]:
    """The article files under ``directory``: recursive, sorted, hidden ones skipped."""
    files: list[Path] = []
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file() and path.suffix.lower() in SUPPORTED_SUFFIXES:
            files.append(path)
    return files


def load_paths(paths: Sequence[str | Path]) -> list[Article]:
    """Articles from files and folders (walked recursively, sorted, hidden files skipped)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise SourceNotFoundError(
                f"{raw}: no such file or directory; check the path "
                f"(relative paths start from {Path.cwd()})"
            )
        if path.is_dir():
            found = walk(path)
            if not found:
                raise InputError(
                    f"{raw}: the directory holds no article files; put files ending in "
                    f"{', '.join(SUPPORTED_SUFFIXES)} in it"
                )
            files.extend(found)
        else:
            files.append(path)
    articles: list[Article] = []
    for file in files:
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise SourceNotFoundError(
                f"{file}: cannot be read ({exc.strerror}); check its permissions"
            ) from None
        articles.extend(load_bytes(data, name=str(file)))
    return articles


_walk = walk  # the name the CLI used before the package split
