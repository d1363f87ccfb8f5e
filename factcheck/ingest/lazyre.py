"""Regexes compiled on first use, so importing the ingest package stays cheap."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any


class _LazyRe:
    """A regex compiled on first use: ~30 large patterns would otherwise cost every
    ``import factcheck.ingest`` tens of milliseconds, even for commands that never clean text."""

    __slots__ = ("_flags", "_pattern", "_rx")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._pattern, self._flags = pattern, flags
        self._rx: re.Pattern[str] | None = None

    @property
    def rx(self) -> re.Pattern[str]:
        if self._rx is None:
            self._rx = re.compile(self._pattern, self._flags)
        return self._rx

    def search(self, text: str) -> re.Match[str] | None:
        return self.rx.search(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self.rx.match(text)

    def sub(self, repl: str, text: str, count: int = 0) -> str:
        return self.rx.sub(repl, text, count=count)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.rx.finditer(text)

    def findall(self, text: str) -> list[Any]:
        return self.rx.findall(text)
