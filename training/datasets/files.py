"""File helpers shared by the readers: BOM-safe lines, verbatim TSV, JSON lines, label names."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from factcheck.errors import FormatError

csv.field_size_limit(1 << 24)  # SummEdits-style documents and long evidence cells


def _open_text(path: Path) -> Iterator[str]:
    """Lines of a UTF-8 file with BOM and CR/LF line ends removed."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for line in fh:
            yield line.rstrip("\r\n")


def _tsv_rows(path: Path) -> Iterator[list[str]]:
    """Tab-separated rows read verbatim: quotes are text, not field delimiters (QUOTE_NONE)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if row and any(c.strip() for c in row):
                yield [c.rstrip("\r") for c in row]


def _jsonl(path: Path) -> Iterator[dict[str, object]]:
    with path.open(encoding="utf-8-sig") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise FormatError(
                    f"{path}:{n} is not a JSON line ({exc.msg}); "
                    "fix or remove that line, jsonl files hold one JSON object per line."
                ) from exc
            if isinstance(obj, dict):
                yield obj


def _first_line(path: Path) -> str:
    try:
        for line in _open_text(path):
            if line.strip():
                return line
    except (UnicodeDecodeError, OSError):
        return ""
    return ""


def _is_int(text: str) -> bool:
    return text.strip().lstrip("-").isdigit()


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


_NLI = {"entailment": "ENTAILMENT", "neutral": "NEUTRAL", "contradiction": "CONTRADICTION"}
_FEVER = {
    "supports": "SUPPORTS",
    "supported": "SUPPORTS",
    "refutes": "REFUTES",
    "refuted": "REFUTES",
    "not enough info": "NOT ENOUGH INFO",
    "not_enough_info": "NOT ENOUGH INFO",
    "nei": "NOT ENOUGH INFO",
}


def _nli_label(raw: object) -> str | None:
    return _NLI.get(str(raw).strip().lower())


def _fever_label(raw: object) -> str | None:
    return _FEVER.get(str(raw).strip().lower())
