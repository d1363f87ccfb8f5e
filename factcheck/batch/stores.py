"""``--store URL`` until the storage ports land (``factcheck.backends.open_backend``).

``sqlite:///DIR`` is a data directory (SQLite + FAISS, as ``factcheck serve --data-dir``):
relative after three slashes, absolute after four (``sqlite:////srv/factcheck``), as
SQLAlchemy spells SQLite urls; a bare path is taken as a data directory too.
"""

from __future__ import annotations

from pathlib import Path

from factcheck.errors import InputError

_SQLITE = "sqlite:///"


def parse_store_url(url: str) -> Path:
    """The data directory ``url`` names; other schemes are refused, saying what works."""
    if url.startswith(_SQLITE):
        rest = url[len(_SQLITE) :]
        if not rest:
            raise InputError(
                f"--store {url!r} names no folder; write sqlite:///DIR, e.g. "
                "sqlite:///factcheck-data (or sqlite:////abs/path)"
            )
        return Path(rest)
    if "://" in url:
        scheme = url.split("://", 1)[0]
        raise InputError(
            f"--store {url!r}: the {scheme!r} store is not available in this build; use "
            "sqlite:///DIR (a data folder with SQLite + FAISS)",
            detail={"scheme": scheme},
        )
    return Path(url)
