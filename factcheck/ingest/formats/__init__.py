"""FORMATS: the input formats ingest reads; each is one module in this package.

A format names the file suffixes and content types it answers to and turns decoded text into
articles. A new one (say, RSS) is one module here that calls :func:`register`: every module of
this package is imported below, so it is then listed in ``SUPPORTED_SUFFIXES`` and read by
``load_bytes`` / ``load_paths``, the CLI and the API with no other edit.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from factcheck.errors import FormatError
from factcheck.types import Article

__all__ = ["DEFAULT", "FORMATS", "SUPPORTED_SUFFIXES", "Format", "Request", "format_for", "sniff"]

DEFAULT = "text"  # what bytes with neither a known type nor a known suffix are read as


@dataclass(frozen=True)
class Request:
    """What the caller knows about the bytes besides their text: ``name`` (file name or label
    for messages) and fields that fill in what the content itself does not say."""

    name: str
    source: str | None = None
    title: str | None = None
    url: str | None = None
    published: dt.date | str | None = None


@dataclass(frozen=True)
class Format:
    """One input format. ``order`` ranks formats in ``SUPPORTED_SUFFIXES`` and in sniffing."""

    name: str
    suffixes: tuple[str, ...]
    content_types: tuple[str, ...]
    read: Callable[[str, Request], list[Article]]
    order: int
    looks_like: Callable[[str], bool] | None = None  # sniffing when type and suffix are silent
    declared_charset: Callable[[bytes], str | None] | None = None  # e.g. an HTML <meta charset>


FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> Format:
    """Add ``fmt`` to FORMATS; a suffix or content type already taken is a programming error."""
    for other in FORMATS.values():
        clash = (set(fmt.suffixes) & set(other.suffixes)) | (
            set(fmt.content_types) & set(other.content_types)
        )
        if other.name == fmt.name or clash:
            raise ValueError(
                f"ingest format {fmt.name!r} clashes with {other.name!r} "
                f"({sorted(clash) or 'same name'}); give it its own name, suffixes and types"
            )
    FORMATS[fmt.name] = fmt
    return fmt


def _ordered() -> list[Format]:
    return sorted(FORMATS.values(), key=lambda f: f.order)


def format_for(name: str, content_type: str | None) -> tuple[Format | None, str | None]:
    """(format, charset) from the content type, else from the name's suffix; None = sniff."""
    if content_type:
        mime, _, params = content_type.partition(";")
        mime = mime.strip().lower()
        m = re.search(r"charset=[\"']?([\w-]+)", params, re.IGNORECASE)
        charset = m.group(1) if m else None
        if charset:
            import codecs

            try:
                codecs.lookup(charset)
            except LookupError:
                raise FormatError(
                    f"{name}: unknown charset {charset!r} in content type {content_type!r}; "
                    "send UTF-8"
                ) from None
        by_type = {t: f for f in FORMATS.values() for t in f.content_types}
        if mime not in by_type:
            supported = ", ".join(sorted(by_type))
            raise FormatError(
                f"{name}: unsupported content type {mime!r}; send one of: {supported}"
            )
        return by_type[mime], charset
    suffix = Path(name).suffix.lower()
    return next((f for f in FORMATS.values() if suffix in f.suffixes), None), None


def sniff(text: str) -> Format:
    """The format whose ``looks_like`` accepts ``text`` first, else the DEFAULT one."""
    for fmt in _ordered():
        if fmt.looks_like is not None and fmt.looks_like(text):
            return fmt
    return FORMATS[DEFAULT]


for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

SUPPORTED_SUFFIXES = tuple(s for f in _ordered() for s in f.suffixes)
