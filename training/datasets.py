"""Loaders for the labelled evaluation data sets, by format, never by file name.

The calibration and the quality benchmark read a folder laid out like ``../shared/data``: one
sub-folder per data set (``mrpc/``, ``stsbenchmark/``, ...). The held-back half of the data has the
same folders and formats under other file names, so :func:`discover` finds files by folder, pattern
and a look at their first line, and every reader takes any file of its format. Readers return
frozen records; none of them keeps a copy of the data anywhere.
"""

from __future__ import annotations

import csv
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from factcheck.errors import FormatError, SourceNotFoundError

csv.field_size_limit(1 << 24)  # SummEdits-style documents and long evidence cells

Label = int | float | str


@dataclass(frozen=True)
class Pair:
    """Two texts and their gold label.

    ``label`` keeps the data set's own scheme: 0/1 for MRPC, PAWS and SummEdits, a 0-5 float for
    STS, an upper-case class name for NLI ("ENTAILMENT" / "NEUTRAL" / "CONTRADICTION") and for
    claim-evidence sets ("SUPPORTS" / "REFUTES" / "NOT ENOUGH INFO"). In NLI-like sets ``s1`` is
    the premise / evidence and ``s2`` the hypothesis / claim. ``meta`` carries ids, genre, file.
    """

    s1: str
    s2: str
    label: Label
    meta: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class ClefClaim:
    """A verified (fact-checked) claim of CheckThat! 2020 task 2."""

    id: str
    text: str
    title: str


@dataclass(frozen=True)
class ClefQuery:
    """A tweet to match against verified claims; ``split`` is its folder (train, dev, test...)."""

    id: str
    text: str
    split: str


@dataclass(frozen=True)
class Qrel:
    """One relevant (query, claim) pair from a TREC qrels file."""

    query_id: str
    claim_id: str
    split: str
    relevance: int = 1


@dataclass(frozen=True)
class ClefData:
    """Everything CheckThat! retrieval needs: the claim pool, the queries and their gold claims."""

    claims: tuple[ClefClaim, ...]
    queries: tuple[ClefQuery, ...]
    qrels: tuple[Qrel, ...]

    def relevant(self) -> dict[tuple[str, str], set[str]]:
        """(split, query id) -> ids of relevant claims."""
        out: dict[tuple[str, str], set[str]] = {}
        for q in self.qrels:
            if q.relevance > 0:
                out.setdefault((q.split, q.query_id), set()).add(q.claim_id)
        return out


EcbKind = Literal["ecb", "ecbplus"]


@dataclass(frozen=True)
class Mention:
    """An annotated event/entity mention: its tag, tokens and the sentence they are in."""

    id: str
    tag: str
    token_ids: tuple[int, ...]
    sentence: int
    text: str


@dataclass(frozen=True)
class Chain:
    """Mentions that refer to the same thing. Cross-document chains share ``id`` across files."""

    id: str
    kind: Literal["cross", "intra"]
    tag: str
    descriptor: str | None
    mentions: tuple[Mention, ...]


@dataclass(frozen=True)
class EcbSentence:
    """A sentence of an ECB+ document: its number in the XML and its detokenised text."""

    index: int
    text: str


@dataclass(frozen=True)
class EcbDocument:
    """One ECB+ news document.

    ``event`` is the gold story: a topic holds two seminal events, the ``ecb`` files report one and
    the ``ecbplus`` files the other, so ``event == f"{topic}_{kind}"``. The URL that ``ecbplus``
    files carry as sentence 0 is kept in ``url`` and left out of ``text`` and ``sentences``.
    """

    id: str
    topic: str
    kind: EcbKind
    event: str
    text: str
    sentences: tuple[EcbSentence, ...]
    chains: tuple[Chain, ...] = ()
    url: str | None = None


# --------------------------------------------------------------------------- helpers


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


# --------------------------------------------------------------------------- pair readers


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


# --------------------------------------------------------------------------- CLEF CheckThat!


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


# --------------------------------------------------------------------------- ECB+

_NO_SPACE_BEFORE = {
    ".", ",", ";", ":", "!", "?", "%", ")", "]", "}", "'s", "'S", "n't", "'re", "'ve", "'ll",
    "'d", "'m", "''", "...", "'",
}  # fmt: skip
_NO_SPACE_AFTER = {"(", "[", "{", "$", "``", "#"}
_ECB_NAME = re.compile(r"^(?P<topic>\d+)_(?P<num>\d+)(?P<kind>ecbplus|ecb)\.xml$")


def detokenize(tokens: list[str]) -> str:
    """Join PTB-style tokens into readable text (no space before punctuation, inside quotes)."""
    out: list[str] = []
    glue = True  # no space before the next token
    open_quote = False
    for tok in tokens:
        if tok == '"':
            if open_quote:
                out.append(tok)
                glue = False
            else:
                out.append(("" if glue else " ") + tok)
                glue = True
            open_quote = not open_quote
            continue
        space = not glue and tok not in _NO_SPACE_BEFORE
        out.append((" " if space else "") + tok)
        glue = tok in _NO_SPACE_AFTER
    return "".join(out).strip()


def read_ecb_document(path: Path) -> EcbDocument:
    """One ECB+ XML file: tokens -> sentences and text, markables + relations -> chains."""
    m = _ECB_NAME.match(path.name)
    if not m:
        raise FormatError(
            f"{path.name} is not named like an ECB+ file (<topic>_<n>ecb.xml or ...ecbplus.xml); "
            "keep the corpus' original file names, they carry the topic and the event."
        )
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        raise FormatError(
            f"{path} is not well-formed XML ({exc}); restore the original file."
        ) from exc
    topic, kind = m["topic"], m["kind"]
    tokens: dict[int, tuple[int, str]] = {}
    by_sentence: dict[int, list[str]] = {}
    for tok in root.iter("token"):
        tid, sent = int(tok.get("t_id", "0")), int(tok.get("sentence", "0"))
        text = tok.text or ""
        tokens[tid] = (sent, text)
        by_sentence.setdefault(sent, []).append(text)
    url = None
    if kind == "ecbplus" and 0 in by_sentence:
        url = "".join(by_sentence.pop(0))
    sentences = tuple(EcbSentence(i, detokenize(by_sentence[i])) for i in sorted(by_sentence))
    chains = _ecb_chains(root, tokens, path.stem)
    return EcbDocument(
        id=path.stem,
        topic=topic,
        kind=kind,  # type: ignore[arg-type]
        event=f"{topic}_{kind}",
        text="\n".join(s.text for s in sentences),
        sentences=sentences,
        chains=chains,
        url=url,
    )


def _ecb_chains(
    root: ET.Element, tokens: dict[int, tuple[int, str]], doc: str
) -> tuple[Chain, ...]:
    mentions: dict[str, Mention] = {}
    targets: dict[str, tuple[str, str | None]] = {}
    markables = root.find("Markables")
    for el in markables if markables is not None else ():
        mid = el.get("m_id", "")
        ids = tuple(int(a.get("t_id", "0")) for a in el.iter("token_anchor"))
        if ids:
            sent = tokens.get(ids[0], (0, ""))[0]
            text = detokenize([tokens[i][1] for i in ids if i in tokens])
            mentions[mid] = Mention(mid, el.tag, ids, sent, text)
        else:
            targets[mid] = (el.tag, el.get("TAG_DESCRIPTOR"))
    chains = []
    relations = root.find("Relations")
    for rel in relations if relations is not None else ():
        if rel.tag not in ("CROSS_DOC_COREF", "INTRA_DOC_COREF"):
            continue
        src = tuple(
            mentions[s.get("m_id", "")] for s in rel.iter("source") if s.get("m_id") in mentions
        )
        tgt = rel.find("target")
        tag, descriptor = targets.get(tgt.get("m_id", "") if tgt is not None else "", ("", None))
        if rel.tag == "CROSS_DOC_COREF":
            cid, ckind = rel.get("note") or f"{doc}/{rel.get('r_id')}", "cross"
        else:
            cid, ckind = f"{doc}/{rel.get('r_id')}", "intra"
        if src:
            tag = tag or src[0].tag
            chains.append(Chain(cid, ckind, tag, descriptor, src))  # type: ignore[arg-type]
    return tuple(chains)


def load_ecbplus(files: list[Path]) -> list[EcbDocument]:
    """Every ECB+ document among ``files`` (as listed by :func:`discover`)."""
    return [read_ecb_document(p) for p in files if _ECB_NAME.match(p.name)]


def read_ecb_selected_sentences(path: Path) -> frozenset[tuple[str, str, int]]:
    """``ECBplus_coreference_sentences.csv``: (topic, file stem, sentence) annotated for coref."""
    out = set()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.reader(fh):
            if len(row) >= 3 and _is_int(row[2]):
                out.add((row[0].strip(), f"{row[0].strip()}_{row[1].strip()}", int(row[2])))
    return frozenset(out)


# --------------------------------------------------------------------------- discovery


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
