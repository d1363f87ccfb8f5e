"""Bytes -> text: UTF-8 (BOM allowed), UTF-16/32 with BOM, or a declared charset.

Anything else is refused with the byte offset and the command that converts it, never guessed:
a wrong guess turns names and quotes into mojibake that later stages would compare.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path

from factcheck.errors import DecodeError

_MAGIC = (
    (b"%PDF", "a PDF document; extract its text first (e.g. `pdftotext FILE out.txt`)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.odt); save the document as plain text"),
    (b"\x1f\x8b", "a gzip archive; decompress it first"),
    (b"{\\rtf", "an RTF document; save it as plain text"),
)


def _decode(
    data: bytes,
    name: str,
    *,
    charset: str | None,
    sniff_charset: Callable[[bytes], str | None] | None = None,
) -> str:
    """Bytes -> str: UTF-8 (BOM allowed), UTF-16/32 with BOM, or a declared charset
    (``charset`` from the caller, else what ``sniff_charset`` finds in the bytes)."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise DecodeError(
                    f"{name}: starts with a {codec.upper()} byte-order mark but byte offset "
                    f"{exc.start} is not valid {codec.upper()}; re-save the file as UTF-8",
                    detail={"offset": exc.start},
                ) from None
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"{name}: is {what}, not text; give a .txt, .html or .json file")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DecodeError(
            f"{name}: looks like a binary file (NUL byte at byte offset {nul}), not text; "
            "give a .txt, .html or .json file (UTF-16 text needs a byte-order mark)",
            detail={"offset": nul},
        )
    declared = charset
    if declared is None and sniff_charset is not None:
        declared = sniff_charset(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if declared:  # an explicit charset label (HTTP header or <meta>): trust it
            try:
                return data.decode(declared)
            except (LookupError, UnicodeDecodeError):
                pass
        bad = data[exc.start : exc.start + 1].hex()
        raise DecodeError(
            f"{name}: is not UTF-8 text (byte 0x{bad} at byte offset {exc.start}). "
            "Convert it to UTF-8 and retry, e.g. "
            f"`iconv -f latin1 -t utf-8 {name} > {Path(name).stem}.utf8{Path(name).suffix}` "
            "(use the file's real encoding instead of latin1 if you know it)",
            detail={"offset": exc.start},
        ) from None
