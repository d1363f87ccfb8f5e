"""ECB+: documents, their event mentions and coreference chains (story clustering gold)."""

from __future__ import annotations

import csv
import re
import xml.etree.ElementTree as ET
from pathlib import Path

from factcheck.errors import FormatError
from training.datasets.files import _is_int
from training.datasets.records import Chain, EcbDocument, EcbSentence, Mention

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
