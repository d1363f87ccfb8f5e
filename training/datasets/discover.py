"""Which data sets a folder holds (by folder, pattern and a look at the first line), and one
entry point per pair file."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from factcheck.errors import FormatError, SourceNotFoundError
from training.datasets.clef import _clef_kind
from training.datasets.ecb import _ECB_NAME
from training.datasets.files import _first_line, _is_float, _nli_label, _tsv_rows
from training.datasets.pairs import (
    read_claim_evidence,
    read_mrpc,
    read_nli_jsonl,
    read_nli_tsv,
    read_paws,
    read_sick,
    read_sts,
    read_summedits,
)
from training.datasets.records import Label, Pair


def _sniff_tsv(min_cols: int, check: Callable[[list[str]], bool]) -> Callable[[Path], bool]:
    def sniff(path: Path) -> bool:
        try:
            for n, row in enumerate(_tsv_rows(path)):
                if len(row) >= min_cols and check(row):
                    return True
                if n >= 2:
                    return False
        except (UnicodeDecodeError, OSError, csv.Error):
            return False
        return False

    return sniff


def _sniff_jsonl(*keys: str) -> Callable[[Path], bool]:
    def sniff(path: Path) -> bool:
        line = _first_line(path)
        try:
            obj = json.loads(line)
        except json.JSONDecodeError:
            return False
        return isinstance(obj, dict) and all(k in obj for k in keys)

    return sniff


def _sniff_json_list(path: Path) -> bool:
    return _first_line(path).lstrip().startswith("[")


def _sniff_sick(path: Path) -> bool:
    head = _first_line(path).split("\t")
    lower = [h.strip().lower() for h in head]
    if "sentence_a" in lower and "sentence_b" in lower:
        return True
    return len(head) >= 5 and _is_float(head[3]) and _nli_label(head[4]) is not None


_is_mrpc = _sniff_tsv(5, lambda r: r[0].strip() in ("0", "1"))
_is_sts = _sniff_tsv(7, lambda r: _is_float(r[4]))
_is_paws = _sniff_tsv(4, lambda r: r[3].strip() in ("0", "1"))
_is_nli_tsv = _sniff_tsv(3, lambda r: _nli_label(r[0]) is not None)
_is_nli_jsonl = _sniff_jsonl("sentence1", "sentence2", "gold_label")
_is_claim_evidence = _sniff_jsonl("claim", "evidence", "label")


def _is_clef(path: Path) -> bool:
    return _clef_kind(path) is not None


def _is_ecb(path: Path) -> bool:
    return bool(_ECB_NAME.match(path.name))


@dataclass(frozen=True)
class _Source:
    folder: str
    patterns: tuple[str, ...]
    sniff: Callable[[Path], bool]
    reader: Callable[[Path], list[Pair]] | None = None


# Folder name -> how its files look. Only these folders are read; absent folders are skipped.
_SOURCES: dict[str, _Source] = {
    "mrpc": _Source("mrpc", ("*.txt", "*.tsv"), _is_mrpc, read_mrpc),
    "stsb": _Source("stsbenchmark", ("*.csv", "*.tsv"), _is_sts, read_sts),
    "paws": _Source("paws_wiki", ("*.tsv", "*.txt"), _is_paws, read_paws),
    "sick": _Source("sick", ("*.txt", "*.tsv"), _sniff_sick, read_sick),
    "nli_tsv": _Source("nli_samples", ("*.tsv", "*.txt"), _is_nli_tsv, read_nli_tsv),
    "nli_jsonl": _Source("nli_samples", ("*.jsonl",), _is_nli_jsonl, read_nli_jsonl),
    "vitaminc": _Source("vitaminc", ("*.jsonl",), _is_claim_evidence, read_claim_evidence),
    "fever": _Source("fever_variants", ("*.jsonl",), _is_claim_evidence, read_claim_evidence),
    "summedits": _Source("summedits", ("*.json",), _sniff_json_list, read_summedits),
    "clef2020": _Source(
        "clef2020_checkthat_task2", ("**/*.tsv", "**/*.qrels", "**/*.txt"), _is_clef
    ),
    "ecbplus": _Source("ecbplus", ("**/*.xml",), _is_ecb),
}

PAIR_SETS = (
    "mrpc",
    "stsb",
    "paws",
    "sick",
    "snli",
    "mnli",
    "nli",
    "vitaminc",
    "fever",
    "summedits",
)


def _nli_name(path: Path) -> str:
    name = path.name.lower()
    return "mnli" if "mnli" in name else "snli" if "snli" in name else "nli"


def discover(data_dir: Path) -> dict[str, list[Path]]:
    """Which known data sets are present: name -> files, sorted; absent sets are left out.

    Names: mrpc, stsb, paws, sick, snli, mnli, nli (other NLI samples), vitaminc, fever,
    summedits, clef2020 (claims, queries and qrels files together) and ecbplus.
    """
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise SourceNotFoundError(
            f"data folder {data_dir} does not exist; pass the folder that holds mrpc/, "
            "stsbenchmark/, ... (for example ../shared/data)."
        )
    found: dict[str, list[Path]] = {}
    for key, src in _SOURCES.items():
        folder = data_dir / src.folder
        if not folder.is_dir():
            continue
        files = sorted({p for pat in src.patterns for p in folder.glob(pat) if p.is_file()})
        for path in files:
            if path.name in ("SOURCE.txt", "README.md", "README.txt") or not src.sniff(path):
                continue
            name = _nli_name(path) if key.startswith("nli_") else key
            found.setdefault(name, []).append(path)
    return {k: sorted(v) for k, v in sorted(found.items())}


def load_pairs(name: str, path: Path) -> list[Pair]:
    """Read one file of the pair data set ``name`` (a key of :func:`discover`)."""
    reader: Callable[[Path], list[Pair]]
    if name in ("snli", "mnli", "nli"):
        reader = read_nli_jsonl if path.suffix == ".jsonl" else read_nli_tsv
    else:
        src = _SOURCES.get(name)
        if src is None or src.reader is None:
            raise FormatError(
                f"{name!r} is not a pair data set; use one of {', '.join(PAIR_SETS)} "
                "(CLEF and ECB+ have load_clef / load_ecbplus)."
            )
        reader = src.reader
    return reader(path)


# Which gold labels count as a conflict, per pair set; labels mapped to None are left out.
def conflict_label(name: str, label: Label) -> bool | None:
    """Gold "conflict" for conflict-detection metrics, or None when the pair is not scored.

    VitaminC / FEVER: REFUTES vs SUPPORTS (NOT ENOUGH INFO left out). SICK / SNLI / MNLI:
    CONTRADICTION vs the rest. SummEdits: label 0 (inconsistent edit) vs 1.
    """
    if name in ("vitaminc", "fever"):
        return {"REFUTES": True, "SUPPORTS": False}.get(str(label))
    if name in ("sick", "snli", "mnli", "nli"):
        return label == "CONTRADICTION"
    if name == "summedits":
        return label == 0
    return None
