"""Anchored pairs: sentences of two outlets that share a checkable anchor, and what differs
around it (the day it happened, whether it is hedged).

Two outlets often state one fact inside sentences that are otherwise unlike ("It is believed
that 212 passengers were aboard" / "leaving all 212 passengers and the crew missing"): the
sentences never align as wholes, but they share an *anchor* that pins them to one fact:

- the same quantity (value and what it counts: "212 passengers");
- the same time of day ("around 2:40 a.m.", a ``time_of_day`` quantity);
- two or more of the same named people, organisations or places (a surname or a shortened
  name counts: "Varga" / "Tomas Varga"; so does a capitalised mention the recogniser missed);
- a company going private, told with a stage of the deal (:mod:`factcheck.hedges_stage`);
- the same model designation ("737 MAX 8" / "737-800MAX", :mod:`factcheck.designations`);
- failing all of these, the thing an official stance names ("*treating* it as an accident", "a
  *presumed* ...") in a plain sentence of the other outlet ("began accidentally"). A rank
  softened to "one of the largest" is compared only on aligned pairs (a rank alone pairs
  different things ranked), and the legal "alleged" / "suspected" pin no thing.

Around a shared anchor two things are compared: the dates and weekdays (with the sentence date
rule of :mod:`factcheck.conflicts`) and the epistemic hedge (:data:`HEDGES`: "reportedly",
"is believed", "were thought to be", "alleged"): a fact one outlet states and another only
reports as believed is a hedge conflict. A hedge counts only near the anchor (within
:data:`HEDGE_REACH` characters), so a modal verb elsewhere in a long sentence does not.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from factcheck.claims import Quantity, quantities, same_claim
from factcheck.designations import designations, shared_designation
from factcheck.hedge_words import HEDGES, OTHER_HEDGES
from factcheck.hedges_aligned import aligned_hedge
from factcheck.hedges_stage import dealt, staged
from factcheck.lexicon import ANCHOR_LIGHT_WORDS, FUNCTION_WORDS
from factcheck.types import Conflict, Fact, Match, Sentence, SentenceFacts, Span

HEDGE_REACH = 90  # characters from a hedge to the anchor it qualifies (news_loso.py pick)
MIN_SHARED_NAMES = 2


@dataclass(frozen=True)
class Anchor:
    """Where one shared fact sits in each of the two sentences (offsets into the text)."""

    a: tuple[int, int]
    b: tuple[int, int]
    what: str


def _names(sf: SentenceFacts) -> dict[str, Fact]:
    out: dict[str, Fact] = {}
    for f in sf.facts:
        if f.kind in ("person", "org", "place"):
            key = re.sub(r"[^a-z0-9 ]", "", str(f.value).lower().replace(".", "")).strip()
            if len(key) > 2:
                out.setdefault(key, f)
    return out


# A name is written in full once and shortened after ("Yevgeny Varga" ... "Varga"; "the Kestrel
# Private Military Company" ... "Kestrel"), and the recogniser misses some mentions (a surname
# opening a sentence). Two name keys are one name when one is the first or last words of the
# other; a name of one sentence is in the other when its last word stands there capitalised.
MIN_NAME_WORD = 4  # letters of a name word that may stand for the whole name
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?\b")


def _same_name(x: str, y: str) -> bool:
    """ "yevgeny varga" / "varga", "kestrel private military company" / "kestrel"."""
    if x == y:
        return True
    short, full = sorted((x.split(), y.split()), key=len)
    n = len(short)
    if not n or len(" ".join(short)) < MIN_NAME_WORD or n == len(full):
        return False
    return full[:n] == short or full[-n:] == short


def _mention(sf: SentenceFacts, key: str) -> tuple[int, int] | None:
    """Where the last word of name ``key`` stands capitalised in ``sf``, outside the names the
    recogniser tagged there (a mention it missed, not a part of another name)."""
    last = key.split()[-1]
    if len(last) < MIN_NAME_WORD or last in FUNCTION_WORDS:
        return None
    tagged = [(f.start, f.end) for f in sf.facts if f.kind in ("person", "org", "place")]
    for hit in re.finditer(rf"\b{re.escape(last.capitalize())}\b", sf.sentence.text):
        if not any(lo < hit.end() and hit.start() < hi for lo, hi in tagged):
            return (hit.start(), hit.end())
    return None


def _shared_names(fa: SentenceFacts, fb: SentenceFacts) -> list[Anchor]:
    """One anchor per name both sentences mention (in full, shortened or untagged)."""
    na, nb = _names(fa), _names(fb)
    out: list[Anchor] = []
    used_b: set[str] = set()
    for ka, f in na.items():
        kb = next((k for k in nb if k not in used_b and _same_name(ka, k)), None)
        if kb is not None:
            used_b.add(kb)
            g = nb[kb]
            out.append(Anchor((f.start, f.end), (g.start, g.end), "name"))
            continue
        at = _mention(fb, ka)
        if at is not None:
            out.append(Anchor((f.start, f.end), at, "name"))
    for kb, g in nb.items():
        if kb in used_b or any(_same_name(k, kb) for k in na):
            continue
        at = _mention(fa, kb)
        if at is not None:
            out.append(Anchor(at, (g.start, g.end), "name"))
    return out


def _name_words(sf: SentenceFacts) -> set[str]:
    """Words a name shared with another sentence may show up as (see :func:`_shared_names`)."""
    words = {w for n in _names(sf) for w in n.split() if len(w) >= MIN_NAME_WORD}
    return words | {w.lower() for w in _CAPITALISED.findall(sf.sentence.text)}


MIN_QUALIFIED = 5  # letters of a qualified word that may pin a fact by itself
# Hedges that qualify a thing named by the next noun ("suspected *poisoning*", "treating it as an
# *accident*"), not a clause ("appeared to have collapsed").
# "alleged" and "suspected" are left out: crime reports use them as legal caution on every
# mention ("the alleged shooter", "an alleged statement"), so the word after them ties a
# hedged sentence to whatever another outlet says of a shooting or a statement (many false
# alarms on ECB+ news clusters); an official stance ("treating it as an accident") is a finding.
_NAMES_A_THING = re.compile(r"(?i)^(?:unconfirmed|presumed|treat\w*\s.*as)$")


def _qualified(text: str) -> list[tuple[str, tuple[int, int]]]:
    """The words hedges qualify ("treating it as an *accident*"), by their first five letters."""
    out = []
    for h in HEDGES.finditer(text):
        if not _NAMES_A_THING.match(h.group()):
            continue
        for w in _ANY_WORD.finditer(text, h.end()):
            word = w.group()
            if word.lower() in _LIGHT or word[0].isupper():
                continue
            if len(word) >= MIN_QUALIFIED and word.lower() not in FUNCTION_WORDS:
                out.append((word.lower()[:5], w.span()))
            break
    return out


def _word_spans(text: str) -> dict[str, tuple[int, int]]:
    """Content words of five letters or more, by their first five letters."""
    out: dict[str, tuple[int, int]] = {}
    for w in _ANY_WORD.finditer(text):
        word = w.group().lower()
        if len(word) >= MIN_QUALIFIED and word not in FUNCTION_WORDS:
            out.setdefault(word[:5], w.span())
    return out


def _word_keys(facts: Sequence[SentenceFacts]) -> list[set[object]]:
    """Per sentence, the qualified words of its hedges, or (unhedged) the words no other
    sentence of its article uses: a hedged word and the one plain sentence of another outlet
    that uses it may be one fact."""
    words = [set(_word_spans(sf.sentence.text)) for sf in facts]
    count: dict[str, int] = {}
    for ws in words:
        for w in ws:
            count[w] = count.get(w, 0) + 1
    out: list[set[object]] = []
    for sf, ws in zip(facts, words, strict=True):
        if HEDGES.search(sf.sentence.text):
            out.append({("word", w) for w, _ in _qualified(sf.sentence.text)})
        else:
            out.append({("word", w) for w in ws if count[w] == 1})
    return out


def _word_anchor(fa: SentenceFacts, fb: SentenceFacts) -> list[Anchor]:
    """The thing a hedge of one sentence names, stated in the other, unhedged, sentence."""
    out: list[Anchor] = []
    for (x, y), flip in (((fa, fb), False), ((fb, fa), True)):
        if HEDGES.search(y.sentence.text):
            continue
        spans = _word_spans(y.sentence.text)
        for w, at in _qualified(x.sentence.text):
            if w in spans:
                out.append(Anchor(spans[w], at, "word") if flip else Anchor(at, spans[w], "word"))
    return out


def anchor_keys(facts: Sequence[SentenceFacts], qs: dict[int, list[Quantity]]) -> list[set[object]]:
    """Per sentence, the keys an anchor could be made of (a value with its unit, a name word):
    two sentences can share an anchor only if they share a key, so only those pairs are
    compared."""
    out: list[set[object]] = []
    word_keys = _word_keys(facts)
    # The sentences that tell the deal: those with the going private, else those with the buying.
    told = staged if any(staged(sf.sentence.text) for sf in facts) else dealt
    for k, sf in enumerate(facts):
        ks: set[object] = {("n", q.unit, q.fact.value) for q in qs.get(k, []) if q.unit}
        ks |= word_keys[k]
        ks |= {("name", n) for n in _name_words(sf)}
        if told(sf.sentence.text):
            ks.add(("deal", "private"))
        ks |= {("model", fig) for fig, _, _ in designations(sf.sentence.text)}
        out.append(ks)
    return out


def anchors(
    fa: SentenceFacts, fb: SentenceFacts, qa: Sequence[Quantity], qb: Sequence[Quantity]
) -> list[Anchor]:
    """The anchors two sentences share (``qa``/``qb``: their quantities)."""
    out: list[Anchor] = []
    for x in qa:
        for y in qb:
            if x.fact.value != y.fact.value or x.unit is None or x.unit != y.unit:
                continue
            if x.unit == "time_of_day":  # the same minute of the day needs no frame
                out.append(Anchor((x.fact.start, x.fact.end), (y.fact.start, y.fact.end), "time"))
            elif same_claim(x, y, equal=True):
                out.append(Anchor((x.fact.start, x.fact.end), (y.fact.start, y.fact.end), "n"))
    shared = _shared_names(fa, fb)
    if len(shared) >= MIN_SHARED_NAMES:
        out += shared
    deal = deal_anchor(fa, fb)
    out = [*out, deal] if deal else out
    model = shared_designation(fa.sentence.text, fb.sentence.text)
    out = [*out, Anchor(model[0], model[1], "model")] if model else out
    return out or _word_anchor(fa, fb)


def hedge_near(text: str, spans: Sequence[tuple[int, int]], need: int) -> re.Match[str] | None:
    """The first epistemic hedge within reach of ``need`` of the anchor spans (a name anchor
    also where its last word is written again: "Yevgeny Varga ... a coup led by Varga")."""
    every = [_again(text, lo, hi) for lo, hi in spans]
    for m in HEDGES.finditer(text):
        near = sum(
            any(m.start() - hi <= HEDGE_REACH and lo - m.end() <= HEDGE_REACH for lo, hi in at)
            for at in every
        )
        if near >= need:
            return m
    return None


def _again(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Span ``lo:hi`` and every other place its last word (a capitalised name word) stands."""
    last = text[lo:hi].split()[-1] if text[lo:hi].split() else ""
    if len(last) < MIN_NAME_WORD or not last[0].isupper() or not last.isalpha():
        return [(lo, hi)]
    return [(lo, hi), *(x.span() for x in re.finditer(rf"\b{re.escape(last)}\b", text))]


def hedge_conflict(m: Match, found: Sequence[Anchor]) -> Conflict | None:
    """A fact stated as known by one outlet and only as believed by the other.

    A shared quantity or time pins the fact by itself; shared names only when two of them
    stand near the hedge ("Varga, the alleged head of the Kestrel group"). Two sentences that
    share only names may still hedge one clause worded otherwise on the other side ("was judged
    to have tripped Holm" / "had fouled Holm"): that is the aligned-clause rule's to judge."""
    names_only = all(x.what == "name" for x in found)
    hit = _hedge_conflict(m, found, names_only)
    if hit is None and names_only:
        return aligned_hedge(m)
    return hit


def _quoted(s: Sentence, lo: int, hi: int) -> bool:
    """Whether ``lo:hi`` of sentence ``s`` lies inside quote marks."""
    return any(q.start <= s.start + lo and s.start + hi <= q.end for q in s.quotes)


def _hedge_conflict(m: Match, found: Sequence[Anchor], names_only: bool) -> Conflict | None:
    need = MIN_SHARED_NAMES if names_only else 1
    ha = hedge_near(m.a.text, [x.a for x in found], need)
    hb = hedge_near(m.b.text, [x.b for x in found], need)
    if ha is None and hb is None and not names_only:
        return _modality_conflict(m, found)
    if names_only and ha is not None and hb is not None:  # each hedge on what the other says?
        ha = ha if _says_it_too(m.b.text, ha) else None
        hb = hb if _says_it_too(m.a.text, hb) else None
    if (ha is None) == (hb is None):
        return None
    hedged_a = ha is not None
    hit = ha if ha is not None else hb
    assert hit is not None
    if names_only and not _says_it_too(m.b.text if hedged_a else m.a.text, hit):
        return None  # the same people, but not the hedged claim ("are presumed dead")
    if names_only and OTHER_HEDGES.search(m.b.text if hedged_a else m.a.text):
        return None  # names alone pin no claim: a plain side that hedges elsewhere is not plain
    plain = [x.b if hedged_a else x.a for x in found]
    plain_text = m.b.text if hedged_a else m.a.text
    if all(_quoted(m.b if hedged_a else m.a, lo, hi) for lo, hi in plain):
        return None  # the other outlet quotes someone saying it: it does not state it as fact
    hedge_span = (Span(hit.start(), hit.end(), hit.group()),)
    plain_spans = tuple(Span(lo, hi, plain_text[lo:hi]) for lo, hi in plain[:1])
    has_src, lacks_src = (m.a_source, m.b_source) if hedged_a else (m.b_source, m.a_source)
    fact = plain_spans[0].text if plain_spans else "it"
    return Conflict(
        type="hedge",
        severity="medium",
        explanation=(
            f'Hedged only in {has_src}: "{hit.group()}" there, while {lacks_src} states '
            f'"{fact}" as fact'
        ),
        match=m,
        a_spans=hedge_span if hedged_a else plain_spans,
        b_spans=plain_spans if hedged_a else hedge_span,
    )


# How sure a plan is, lowest first: a hope, an expectation or plan, a promise. Two outlets that
# put one figure under different rungs ("hoping to produce 50 million doses" / "expects to
# produce 50 million doses") disagree on how firm it is.
_MODALS: tuple[tuple[int, re.Pattern[str]], ...] = tuple(
    (level, re.compile(rf"\b(?:{words})\b", re.IGNORECASE))
    for level, words in (
        (1, r"hop(?:e|es|ed|ing) to|aim(?:s|ed|ing)? to|seek(?:s|ing)? to|wants? to|would like to"),
        (
            2,
            r"expect(?:s|ed|ing)? to|plan(?:s|ned|ning)? to|(?:is|are|was|were) set to"
            r"|(?:is|are|was|were) due to|intend(?:s|ed)? to|on track to",
        ),
        (3, r"will|(?:is|are) going to|pledg(?:e|es|ed) to|promis(?:e|es|ed) to"),
    )
)


def _modal_near(text: str, spans: Sequence[tuple[int, int]]) -> tuple[int, re.Match[str]] | None:
    found: list[tuple[int, re.Match[str]]] = []
    for level, rx in _MODALS:
        for mt in rx.finditer(text):
            if any(mt.start() - hi <= HEDGE_REACH >= lo - mt.end() for lo, hi in spans):
                found.append((level, mt))
    return min(found, key=lambda f: f[1].start()) if found else None


def _modality_conflict(m: Match, found: Sequence[Anchor]) -> Conflict | None:
    """One figure put on different rungs of certainty ("hoping to" vs "expects to")."""
    ma = _modal_near(m.a.text, [x.a for x in found])
    mb = _modal_near(m.b.text, [x.b for x in found])
    if ma is None or mb is None or ma[0] == mb[0]:
        return None
    ha, hb = ma[1], mb[1]
    return Conflict(
        type="hedge",
        severity="medium",
        explanation=(
            f'Said with another certainty: "{ha.group()}" ({m.a_source}) vs "{hb.group()}" '
            f"({m.b_source})"
        ),
        match=m,
        a_spans=(Span(ha.start(), ha.end(), ha.group()),),
        b_spans=(Span(hb.start(), hb.end(), hb.group()),),
    )


_WORD = re.compile(r"[a-z]+")
_ANY_WORD = re.compile(r"[A-Za-z]+")
_LIGHT = ANCHOR_LIGHT_WORDS


def _says_it_too(other: str, hedge: re.Match[str]) -> bool:
    """Whether ``other`` states what the hedge qualifies: the first content word after the
    hedge ("alleged *head*", "suspected *poisoning*", "appeared to be an *armed* coup") occurs
    in it (by its first five letters). Capitalised words are skipped: "appeared to be the
    Kestrel group dropping its plans" qualifies *dropping*, not the name both sentences share."""
    after = [
        w.lower()
        for w in _ANY_WORD.findall(hedge.string[hedge.end() :])
        if w.lower() not in _LIGHT and not w[0].isupper()  # a name is the anchor, not the claim
    ]
    if not after:
        return False
    stems = {w[:5] for w in _WORD.findall(other.lower())}
    if after[0][:5] in _LEADS:
        return bool(stems & _LEADS) or _POSSESSED.search(other) is not None
    return after[0][:5] in stems


# Titles that say one person leads a group (by their first five letters): "the alleged *head* of
# the Kestrel group" is stated as fact by "Kestrel *chief* Tomas Varga", "its *leader* Varga",
# or a group written as a named person's own ("Tomas Varga's Kestrel group").
_LEADS = {"head", "chief", "leade", "boss"}
_POSSESSED = re.compile(r"\b[A-Z][a-z]+(?:'s|\u2019s)\s+[A-Z]")


def deal_anchor(fa: SentenceFacts, fb: SentenceFacts) -> Anchor | None:
    """The going-private both sentences report, each with a stage of the deal
    (:func:`factcheck.hedges_stage.staged`), or the going-private of one and the buying of the
    other (:func:`factcheck.hedges_stage.dealt`: a buyout takes the company private). Only an
    outlet that never tells the going-private is paired by its buying (see :func:`anchor_keys`)."""
    oa, ob = staged(fa.sentence.text), staged(fb.sentence.text)
    if oa and not ob:  # the other may tell the buying without the going private
        ob = dealt(fb.sentence.text)
    elif ob and not oa:
        oa = dealt(fa.sentence.text)
    return Anchor(oa.span(), ob.span(), "deal") if oa and ob else None


def article_quantities(facts: Sequence[SentenceFacts], article: int) -> dict[int, list[Quantity]]:
    """Quantities of one article, by sentence index."""
    out: dict[int, list[Quantity]] = {}
    for q in quantities(article, facts):
        out.setdefault(q.sentence, []).append(q)
    return out
