"""Readers of the labelled pair sets: MRPC, STS-B, PAWS, SICK, NLI, VitaminC / FEVER, SummEdits."""

from __future__ import annotations

import json
from pathlib import Path

from factcheck.errors import FormatError
from training.datasets.files import _fever_label, _is_float, _jsonl, _nli_label, _tsv_rows
from training.datasets.records import Pair


def read_mrpc(path: Path) -> list[Pair]:
    """MRPC: ``quality, id1, id2, s1, s2`` tab-separated, BOM, optional header, quotes verbatim."""
    out = []
    for row in _tsv_rows(path):
        if len(row) < 5 or row[0].strip() not in ("0", "1"):
            continue  # header ("Quality #1 ID ...") or a broken row
        meta = {"id1": row[1], "id2": row[2], "file": path.name}
        out.append(Pair(row[3].strip(), row[4].strip(), int(row[0]), meta))
    return out


def read_sts(path: Path) -> list[Pair]:
    """STS benchmark: ``genre, file, year, id, score, s1, s2`` (extra columns ignored)."""
    out = []
    for row in _tsv_rows(path):
        if len(row) < 7 or not _is_float(row[4]):
            continue
        meta = {"genre": row[0], "source": row[1], "year": row[2], "id": row[3], "file": path.name}
        out.append(Pair(row[5].strip(), row[6].strip(), float(row[4]), meta))
    return out


def read_paws(path: Path) -> list[Pair]:
    """PAWS: ``id, s1, s2, label`` with or without the header row, CRLF tolerated."""
    out = []
    for row in _tsv_rows(path):
        if len(row) < 4 or row[3].strip() not in ("0", "1"):
            continue
        meta = {"id": row[0], "file": path.name}
        out.append(Pair(row[1].strip(), row[2].strip(), int(row[3]), meta))
    return out


def read_sick(path: Path) -> list[Pair]:
    """SICK, tab-separated. With a header (official releases) columns are found by name, so
    any release works; without one (common redistributions) they are ``id, A, B, score, label``.
    """
    rows = _tsv_rows(path)
    first = next(rows, [])
    header = [h.strip().lower() for h in first]
    if "sentence_a" not in header:  # header-less copy: positional columns
        out = []
        for row in [first, *rows]:
            if len(row) >= 5 and _nli_label(row[4]) and _is_float(row[3]):
                info = {"id": row[0], "relatedness": float(row[3]), "file": path.name}
                out.append(Pair(row[1].strip(), row[2].strip(), str(_nli_label(row[4])), info))
        return out

    def col(*names: str) -> int:
        for name in names:
            if name in header:
                return header.index(name)
        raise FormatError(
            f"{path} has no column {' / '.join(names)} in its header {header}; "
            "SICK files start with a header naming sentence_A, sentence_B and the labels."
        )

    a, b = col("sentence_a"), col("sentence_b")
    lab = col("entailment_judgment", "entailment_label")
    rel = col("relatedness_score")
    pid = header.index("pair_id") if "pair_id" in header else None
    out = []
    for row in rows:
        if len(row) <= max(a, b, lab, rel):
            continue
        label = _nli_label(row[lab])
        if label is None:
            continue
        meta: dict[str, object] = {"file": path.name}
        if _is_float(row[rel]):
            meta["relatedness"] = float(row[rel])
        if pid is not None:
            meta["id"] = row[pid]
        out.append(Pair(row[a].strip(), row[b].strip(), label, meta))
    return out


def read_nli_tsv(path: Path) -> list[Pair]:
    """NLI samples: ``label, premise, hypothesis`` tab-separated, no header."""
    out = []
    for n, row in enumerate(_tsv_rows(path)):
        label = _nli_label(row[0]) if len(row) >= 3 else None
        if label is None:
            continue
        out.append(Pair(row[1].strip(), row[2].strip(), label, {"line": n, "file": path.name}))
    return out


def read_nli_jsonl(path: Path) -> list[Pair]:
    """SNLI / MNLI jsonl: ``sentence1, sentence2, gold_label``; '-' (no consensus) rows skipped."""
    out = []
    for obj in _jsonl(path):
        label = _nli_label(obj.get("gold_label", obj.get("label", "")))
        s1, s2 = obj.get("sentence1"), obj.get("sentence2")
        if label is None or not isinstance(s1, str) or not isinstance(s2, str):
            continue
        pair_id, genre = str(obj.get("pairID", "")), str(obj.get("genre", ""))
        meta = {"id": pair_id, "genre": genre, "file": path.name}
        out.append(Pair(s1.strip(), s2.strip(), label, meta))
    return out


def read_claim_evidence(path: Path) -> list[Pair]:
    """VitaminC / FEVER jsonl: ``claim, evidence, label``; s1 = evidence, s2 = claim."""
    out = []
    for obj in _jsonl(path):
        label = _fever_label(obj.get("label", obj.get("gold_label", "")))
        claim, evidence = obj.get("claim"), obj.get("evidence")
        if label is None or not isinstance(claim, str) or not isinstance(evidence, str):
            continue
        meta = {
            "id": str(obj.get("unique_id", obj.get("id", ""))),
            "group": str(obj.get("case_id", obj.get("page", ""))),
            "page": str(obj.get("page", "")),  # VitaminC: the training split groups by page
            "file": path.name,
        }
        out.append(Pair(evidence.strip(), claim.strip(), label, meta))
    return out


def read_summedits(path: Path) -> list[Pair]:
    """SummEdits JSON list: s1 = original summary, s2 = edited summary, label 0 = inconsistent."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except json.JSONDecodeError as exc:
        raise FormatError(
            f"{path} is not valid JSON ({exc.msg} at line {exc.lineno}); "
            "SummEdits files are one JSON list of objects."
        ) from exc
    if not isinstance(data, list):
        raise FormatError(f"{path} holds a JSON {type(data).__name__}; SummEdits is a JSON list.")
    out = []
    for obj in data:
        if not isinstance(obj, dict):
            continue
        orig, summ, label = obj.get("original_summary"), obj.get("summary"), obj.get("label")
        if not isinstance(orig, str) or not isinstance(summ, str) or label not in (0, 1):
            continue
        meta = {
            "id": str(obj.get("id", "")),
            "edit_types": tuple(obj.get("edit_types") or ()),
            "doc": str(obj.get("doc", "")),
            "file": path.name,
        }
        out.append(Pair(orig.strip(), summ.strip(), int(label), meta))
    return out
