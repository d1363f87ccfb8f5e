"""Time-window blocking: which articles of a corpus may be compared with which.

A month of news holds thousands of articles; comparing each with every other is quadratic and
mostly wasted (a report of today's flood and one of last week's election share nothing). The
corpus is cut into tumbling windows of publication dates (``--window 1d`` = one UTC calendar
day, ``7d`` = weeks counted from 1970-01-01) and articles are only compared inside their window.
Articles without a publication date get a block of their own (``undated``): guessing the nearest
window would tie the result to the order files happen to be read in, and a wrong guess hides a
conflict, while undated ones compared among themselves lose nothing they could be matched on.
``--window none`` turns blocking off (one block).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from factcheck.errors import InputError
from factcheck.types import Article

UNDATED = "undated"
ALL = "all"
_EPOCH = dt.date(1970, 1, 1)
_WINDOW = re.compile(r"^\s*(\d+)\s*([dw])\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Window:
    """A tumbling window of ``days`` days; ``days`` 0 means no blocking (one block)."""

    days: int

    def key(self, published: dt.date | None) -> str:
        """The block an article published on ``published`` belongs to: the first day of its
        window (ISO), ``undated`` without a date, ``all`` when blocking is off."""
        if self.days == 0:
            return ALL
        if published is None:
            return UNDATED
        day = published.date() if isinstance(published, dt.datetime) else published
        start = _EPOCH + dt.timedelta(days=((day - _EPOCH).days // self.days) * self.days)
        return start.isoformat()

    def __str__(self) -> str:
        return "none" if self.days == 0 else f"{self.days}d"


def parse_window(text: str) -> Window:
    """``1d``, ``3d``, ``2w`` or ``none``; refused otherwise, saying what is accepted.

    Publication dates are days (no time of day), so windows are whole days."""
    if text.strip().lower() in ("none", "0", "off"):
        return Window(0)
    m = _WINDOW.match(text)
    if m is None or int(m.group(1)) == 0:
        raise InputError(
            f"--window {text!r} is not a window; give a number of days or weeks such as 1d, "
            "3d or 2w (publication dates are whole days), or none to compare every article "
            "with every other",
            detail={"window": text},
        )
    n = int(m.group(1))
    return Window(n * 7 if m.group(2).lower() == "w" else n)


def block_keys(articles: Sequence[Article], window: Window) -> list[str]:
    """The block of each article, in order."""
    return [window.key(a.published) for a in articles]


def blocks(articles: Sequence[Article], window: Window) -> dict[str, list[int]]:
    """Positions of the articles in each block; blocks in date order, ``undated`` last, the
    articles of a block in corpus order (so every engine sees the same order)."""
    out: dict[str, list[int]] = {}
    for i, key in enumerate(block_keys(articles, window)):
        out.setdefault(key, []).append(i)
    return {k: out[k] for k in sorted(out, key=lambda k: (k == UNDATED, k))}
