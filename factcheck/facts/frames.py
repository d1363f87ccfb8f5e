"""What a number or date is about, from the parse: its frame (the lemmas of its own clause),
counted nouns the regular expressions miss ("two crew members", "nine Peruvians")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from factcheck.facts.numbers import _WORD_NUMBERS, singular
from factcheck.types import Fact

if TYPE_CHECKING:
    from spacy.tokens import Span, Token


_FRAMED = frozenset({"number", "date", "weekday"})
_FRAME_POS = frozenset({"NOUN", "VERB", "ADJ", "ADV", "PROPN"})
_VAGUE_COUNTS = frozenset({"dozens", "scores", "hundreds", "thousands"})
# a verb's own arguments that say what a value counts or dates ("killed" <- "reported")
_FRAME_ARGS = frozenset({"xcomp", "oprd", "acomp", "prt", "nsubj", "nsubjpass", "dobj", "attr"})


def _frame(fact: Fact, span: Span, base: int) -> tuple[str, ...]:
    """Lemmas of what a value counts or dates in its own clause, the value itself left out.

    From the value's tokens up the parse to the first verb (the counted noun, a preposition's
    noun on the way: "the lives of 1,302 people" -> life), then that verb's own arguments and the
    verb that governs it ("were reported killed" -> report, kill). Other clauses of the sentence
    stay out, so two values in one sentence get two frames.
    """
    toks = [t for t in span if fact.start <= t.idx - base < fact.end]
    if not toks:
        return ()
    inside = {t.i for t in toks}
    words: list[str] = [t.lemma_.lower() for t in toks if t.pos_ == "NOUN"]
    for t in toks:  # "hundreds of his supporters": what an order of magnitude counts
        if t.lower_ in _VAGUE_COUNTS:
            words += [
                o.lemma_.lower()
                for p in t.children
                if p.dep_ == "prep" and p.lower_ == "of"
                for o in p.children
                if o.dep_ == "pobj" and o.pos_ == "NOUN"
            ]
    for t in toks:  # "2,470 people rescued from the rubble": the noun's own participle
        words += [c.lemma_.lower() for c in t.children if c.dep_ == "acl" and c.pos_ == "VERB"]
    cur = next((t for t in toks if t.head.i not in inside or t.head is t), toks[-1])
    verb = None
    for _ in range(5):
        head = cur.head
        if head is cur:
            verb = cur if cur.pos_ in ("VERB", "AUX") else None
            break
        if head.pos_ in _FRAME_POS and not head.like_num:
            words.append(head.lemma_.lower())
        if head.pos_ == "VERB" or (head.pos_ == "AUX" and head.dep_ == "ROOT"):
            verb = head
            break
        cur = head
    if verb is not None:
        for c in verb.children:
            if (
                c.dep_ in _FRAME_ARGS
                and c.i not in inside
                and c.pos_ in _FRAME_POS
                and not c.like_num
                and c.ent_type_ not in ("PERSON", "ORG", "GPE")
            ):
                words.append(c.lemma_.lower())
            elif c.dep_ == "advcl" and any(a.lower_ == "to" for a in c.children if a.dep_ == "aux"):
                words.append(c.lemma_.lower())  # "had gathered to greet him": what for
        if verb.dep_ in ("xcomp", "oprd") and verb.head.pos_ == "VERB":
            words.append(verb.head.lemma_.lower())
        if verb.dep_ == "relcl" and verb.head.pos_ == "NOUN":
            # "the fire, which began at 5.50pm": the clause's noun is what it dates
            words.append(verb.head.lemma_.lower())
    return tuple(dict.fromkeys(w for w in words if w.isalpha() or "-" in w))


def _country_with(tok: Token) -> str | None:
    """The country of "Ethiopia with nine" (a breakdown by country: "Kenya with 32, Canada with
    18"), for the number token ``tok``: a place right before "with", and no counted noun after
    the number ("Canada with 18 passengers" counts passengers)."""
    doc = tok.doc
    if tok.i < 2 or doc[tok.i - 1].lower_ != "with" or doc[tok.i - 2].ent_type_ != "GPE":
        return None
    if tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ in ("NOUN", "PROPN"):
        return None
    place = doc[tok.i - 2]
    return next((e.text for e in doc.ents if e.start <= place.i < e.end), place.text).lower()


def _nationality_counts(span: Span, base: int, facts: Sequence[Fact]) -> list[Fact]:
    """ "nine Peruvians", "six Americans": a count of a nationality, which the regex parser
    leaves out (a capitalised word after a number reads as a name to it); "Peru with nine" in
    a breakdown by country, which it leaves out for want of a counted noun (its unit is the
    country, :func:`factcheck.claims.demonym_of` matches it to "Peruvians")."""
    out: list[Fact] = []
    for tok in span:
        country = _country_with(tok) if tok.like_num and tok.lower_ in _WORD_NUMBERS else None
        if country is not None and not any(f.start <= tok.idx - base < f.end for f in facts):
            at = tok.idx - base
            count = float(_WORD_NUMBERS[tok.lower_])
            out.append(
                Fact("number", tok.text, at, at + len(tok.text), count, unit=country,
                     precision=1.0)
            )  # fmt: skip
            continue
        head = tok.head
        start = tok.idx - base
        if not (tok.dep_ == "nummod" and head.ent_type_ == "NORP" and head.i == tok.i + 1):
            continue
        if any(f.start <= start < f.end for f in facts):
            continue
        word = tok.lower_
        value = float(_WORD_NUMBERS[word]) if word in _WORD_NUMBERS else None
        if value is None:
            try:
                value = float(word.replace(",", ""))
            except ValueError:
                continue
        end = head.idx - base + len(head.text)
        text = span.text[start + base - span.start_char : end + base - span.start_char]
        out.append(Fact("number", text, start, end, value, unit=singular(head.text), precision=1.0))
    return out


def _refine_unit(fact: Fact, span: Span, base: int) -> Fact:
    """A bare number's counted noun from the parse ("two crew members" -> member; "14
    Canadians" -> canadian)."""
    if fact.unit is not None:
        return fact
    tok = next((t for t in span if t.idx - base == fact.start), None)
    if tok is not None and fact.end - fact.start == len(tok.text):
        country = _country_with(tok)  # "Canada with 18"
        if country is not None:
            return replace(fact, unit=country)
    if tok is None or tok.dep_ != "nummod" or tok.head.i < tok.i:
        return fact
    if tok.head.pos_ != "NOUN" and tok.head.ent_type_ != "NORP":
        return fact
    noun = tok.head
    end = noun.idx - base + len(noun.text)
    text = span.text[fact.start + base - span.start_char : end + base - span.start_char]
    return replace(fact, unit=noun.lemma_.lower(), end=end, text=text)
