"""Negation and hedge cues with the word they modify ("does not *directly* use" -> use)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from factcheck.facts.words import HEDGE_CUES, NEGATION_CUES
from factcheck.types import Cue

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


def _cues(span: Span, base: int) -> list[Cue]:
    cues: list[Cue] = []
    tokens = list(span)
    for k, tok in enumerate(tokens):
        low = tok.lower_
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        start = tok.idx - base
        if low == "yet" and nxt is not None and nxt.lower_ == "to":
            verb = next((t for t in tokens[k + 2 :] if t.pos_ in ("VERB", "AUX")), None)
            head = _verb_after_to(tokens, k + 2) or (verb.lemma_.lower() if verb else None)
            end = nxt.idx - base + len(nxt.text)
            cues.append(Cue("negation", "yet to", start, end, head))
            continue
        if low == "so" and nxt is not None and nxt.lower_ == "far":
            end = nxt.idx - base + len(nxt.text)
            cues.append(Cue("hedge", "so far", start, end, _head_lemma(nxt)))
            continue
        if low == "far" and k and tokens[k - 1].lower_ == "so":
            continue
        if low == "no" and nxt is not None and nxt.lower_ == "one":
            end = nxt.idx - base + len(nxt.text)
            cues.append(Cue("negation", "no one", start, end, _head_lemma(nxt)))
            continue
        if low == "one" and k and tokens[k - 1].lower_ == "no":
            continue
        if low in NEGATION_CUES or tok.lemma_.lower() == "deny" or tok.dep_ == "neg":
            head = _deny_target(tok) if tok.lemma_.lower() == "deny" else _head_lemma(tok)
            cues.append(Cue("negation", tok.text, start, start + len(tok.text), head))
            continue
        if low in HEDGE_CUES:
            if low == "yet" and tok.dep_ == "cc":
                continue
            if low in ("may", "might", "could") and tok.tag_ != "MD":
                continue
            if tok.head.like_num or tok.head.pos_ == "NUM" or (nxt is not None and nxt.like_num):
                continue  # "almost 5,000": the number's approx flag says it
            if low == "possible" and tok.dep_ not in ("acomp", "amod"):
                continue
            cues.append(Cue("hedge", tok.text, start, start + len(tok.text), _head_lemma(tok)))
    return cues


def _verb_after_to(tokens: Sequence[Token], k: int) -> str | None:
    for t in tokens[k : k + 4]:
        if t.pos_ == "VERB":
            return t.lemma_.lower()
    return None


def _head_lemma(tok: Token) -> str | None:
    head = tok.head
    if head is tok:
        return tok.lemma_.lower()
    if head.pos_ == "ADJ" and tok.lower_ in ("likely", "unlikely"):
        head = tok
    if tok.pos_ == "ADJ" and tok.lower_ in ("likely", "unlikely", "possible"):
        xcomp = next((c for c in tok.children if c.dep_ == "xcomp"), None)
        if xcomp is not None:
            return xcomp.lemma_.lower()
    return head.lemma_.lower()


def _deny_target(tok: Token) -> str:
    for c in tok.children:
        if c.dep_ in ("ccomp", "xcomp", "dobj") and c.pos_ in ("VERB", "NOUN", "AUX"):
            return c.lemma_.lower()
    return tok.lemma_.lower()
