"""The FORMATS registry: a new input format is one registered module, read like the built-ins."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from factcheck import ingest
from factcheck.errors import FormatError
from factcheck.ingest import FORMATS, Format, Request


def test_the_builtin_formats_keep_their_suffixes_in_order() -> None:
    assert ingest.SUPPORTED_SUFFIXES == (".txt", ".text", ".md", ".html", ".htm", ".json", ".jsonl")
    assert set(FORMATS) == {"text", "html", "json", "jsonl"}


@pytest.fixture
def tsv_format() -> Iterator[Format]:
    """An invented tab-separated format: ``source<TAB>text`` per line."""

    def read(text: str, req: Request) -> list:
        rows = [line.split("\t", 1) for line in text.splitlines() if line.strip()]
        return [ingest.from_text(body, source=src, origin=req.name) for src, body in rows]

    fmt = ingest.formats.register(
        Format(name="tsv", suffixes=(".tsv",), content_types=("text/tab-separated-values",),
               read=read, order=50)
    )  # fmt: skip
    yield fmt
    del FORMATS["tsv"]


def test_a_registered_format_is_read_by_suffix_and_content_type(tsv_format: Format) -> None:
    line = "Port Lenna Post\tThe harbour board approved a new ferry terminal on Tuesday, it said.\n"
    by_suffix = ingest.load_bytes(line.encode(), name="day.tsv")
    by_type = ingest.load_bytes(
        line.encode(), name="upload", content_type="text/tab-separated-values"
    )
    assert [a.source for a in by_suffix] == ["Port Lenna Post"]
    assert [(a.id, a.text) for a in by_type] == [(a.id, a.text) for a in by_suffix]


def test_a_format_that_clashes_is_refused() -> None:
    clash = Format(name="txt2", suffixes=(".txt",), content_types=(), read=lambda t, r: [], order=1)
    with pytest.raises(ValueError, match="clashes with 'text'"):
        ingest.formats.register(clash)
    assert "txt2" not in FORMATS


def test_an_unknown_content_type_lists_the_registered_ones() -> None:
    with pytest.raises(FormatError, match="send one of: application/json"):
        ingest.load_bytes(b"x", name="a", content_type="text/csv")
