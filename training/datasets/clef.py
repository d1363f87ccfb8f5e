"""CLEF CheckThat! 2020 task 2: verified claims, tweets (queries) and qrels."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from training.datasets.files import _first_line, _is_int, _open_text
from training.datasets.records import ClefClaim, ClefData, ClefQuery, Qrel


def _csv_tsv(path: Path) -> Iterator[list[str]]:
    """CheckThat! TSVs use real CSV quoting ("" escapes, quoted newlines), unlike the rest."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        yield from (row for row in csv.reader(fh, delimiter="\t") if row)


def read_clef_claims(path: Path) -> list[ClefClaim]:
    """``vclaim_id, vclaim, title`` with a header row."""
    out = []
    for row in _csv_tsv(path):
        if len(row) < 2 or not _is_int(row[0]):
            continue  # header
        out.append(
            ClefClaim(row[0].strip(), row[1].strip(), row[2].strip() if len(row) > 2 else "")
        )
    return out


def read_clef_queries(path: Path, split: str | None = None) -> list[ClefQuery]:
    """``tweet_id, tweet_content`` with a header row."""
    split = split or path.parent.name
    return [
        ClefQuery(row[0].strip(), row[1].strip(), split)
        for row in _csv_tsv(path)
        if len(row) >= 2 and _is_int(row[0])
    ]


def read_qrels(path: Path, split: str | None = None) -> list[Qrel]:
    """TREC qrels: ``query_id 0 doc_id relevance`` (tabs or spaces)."""
    split = split or path.parent.name
    out = []
    for line in _open_text(path):
        parts = line.split()
        if len(parts) >= 4 and _is_int(parts[3]):
            out.append(Qrel(parts[0], parts[2], split, int(parts[3])))
    return out


def load_clef(files: list[Path]) -> ClefData:
    """Combine the claim pool with every query set whose qrels sit beside it."""
    claims: list[ClefClaim] = []
    queries: list[ClefQuery] = []
    qrels: list[Qrel] = []
    for path in files:
        kind = _clef_kind(path)
        if kind == "claims":
            claims += read_clef_claims(path)
        elif kind == "queries":
            queries += read_clef_queries(path)
        elif kind == "qrels":
            qrels += read_qrels(path)
    return ClefData(tuple(claims), tuple(queries), tuple(qrels))


def _clef_kind(path: Path) -> str | None:
    if path.suffix == ".qrels":
        return "qrels"
    head = _first_line(path).lower().split("\t")
    if "vclaim" in head or path.name.startswith("verified_claims"):
        return "claims"
    if "tweet_content" in head or path.name.endswith(".queries.tsv"):
        return "queries"
    return None
