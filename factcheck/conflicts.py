"""Typed conflicts between two aligned sentences, each with evidence spans and a checkable line.

The rules compare the *facts* of both sentences (numbers, dates, cues, quotes, speakers, entities)
rather than their surface words, which is what keeps the non-conflicts quiet: "honour"/"honor"
are folded by spelling, "around 80"/"80.4" by rounding, "Monday"/"Feb 15" by resolving the
weekday, and a paraphrase changes words but none of the facts.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from factcheck.facts import _wordset
from factcheck.intensity import intensity_conflicts
from factcheck.normalize import american, typographic
from factcheck.quantities import date_within, numbers_compatible
from factcheck.types import Conflict, Cue, Fact, Match, SentenceFacts, Severity, Span

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Words whose change inside a quote does not change what was said (articles, prepositions, ...).
FUNCTION_WORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "to",
        "with",
        "of",
        "for",
        "in",
        "on",
        "at",
        "by",
        "from",
        "into",
        "onto",
        "about",
        "as",
        "and",
        "or",
        "but",
        "so",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "it's",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "have",
        "has",
        "had",
        "i",
        "you",
        "he",
        "she",
        "we",
        "they",
        "me",
        "him",
        "her",
        "us",
        "them",
        "my",
        "your",
        "his",
        "our",
        "their",
        "there",
        "here",
        "then",
        "than",
        "very",
        "just",
        "also",
        "too",
        "which",
        "who",
        "whom",
        "whose",
        "what",
        "when",
        "where",
        "how",
        "up",
        "out",
        "off",
        "over",
        "under",
        "again",
        "further",
        "once",
        "s",
        "t",
    )
)

_WORD_RE = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_PRONOUNS = frozenset(
    ["he", "she", "they", "it", "we", "i", "you", "his", "her", "their", "its", "one"]
)
_ROLE_HINT = re.compile(
    r"^(the|a|an)\s|'s\s|spokes|official|minister|president|source|chair|chief|director"
    r"|secretary|governor|mayor|executive|leader|head\b|general\b",
    re.I,
)


@dataclass(frozen=True)
class _Tok:
    word: str  # lower case, spelling folded
    start: int
    end: int


def _tokens(text: str, lo: int = 0, hi: int | None = None) -> list[_Tok]:
    """Word tokens of ``text[lo:hi]`` with offsets into ``text``."""
    folded = typographic(text).lower()
    hi = len(text) if hi is None else hi
    return [
        _Tok(american(m.group()), m.start(), m.end()) for m in _WORD_RE.finditer(folded, lo, hi)
    ]


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _src(source: str) -> str:
    return source


def _stem(word: str) -> str:
    return word[:5]


def _context(text: str, start: int, end: int, window: int = 5) -> set[str]:
    """Content-word stems within ``window`` words either side of a fact (the fact excluded)."""
    toks = _tokens(text)
    before = [t for t in toks if t.end <= start][-window:]
    after = [t for t in toks if t.start >= end][:window]
    return {_stem(t.word) for t in (*before, *after) if t.word not in FUNCTION_WORDS}


def _same_context(m: Match, x: Fact, y: Fact) -> bool:
    """Two differing facts only conflict when they fill the same slot of the same statement.

    "reopen to traffic on March 3" vs "on March 5" share their context; "Speaking on Friday at a
    conference" vs "Peskov said Monday that" do not: those are two events, not one disputed date.
    """
    return bool(_context(m.a.text, x.start, x.end) & _context(m.b.text, y.start, y.end))


def _pair_up(m: Match, left: list[Fact], right: list[Fact]) -> list[tuple[Fact, Fact]]:
    """Pair unmatched facts of both sides that stand in the same context, each fact once."""
    pairs: list[tuple[Fact, Fact]] = []
    used: set[int] = set()
    for x in left:
        for j, y in enumerate(right):
            if j not in used and _same_context(m, x, y):
                pairs.append((x, y))
                used.add(j)
                break
    return pairs


# ----------------------------------------------------------------------------- numbers


def _number_conflicts(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    out: list[Conflict] = []
    skip = (None, "ordinal", "name", "time_of_day")  # times of day are dated by the claim rules
    na = [f for f in fa.facts if f.kind == "number" and f.unit not in skip]
    nb = [f for f in fb.facts if f.kind == "number" and f.unit not in skip]
    for unit in sorted({f.unit for f in na} & {f.unit for f in nb}, key=str):
        xs = [f for f in na if f.unit == unit]
        ys = [f for f in nb if f.unit == unit]
        left = [x for x in xs if not any(numbers_compatible(x, y) for y in ys)]
        right = [y for y in ys if not any(numbers_compatible(x, y) for x in xs)]
        for x, y in _pair_up(m, left, right):
            a, b = float(x.value), float(y.value)
            rel = abs(a - b) / max(abs(a), abs(b), 1e-9)
            severity: Severity = "high" if rel >= 0.2 else "medium"
            out.append(
                Conflict(
                    type="number",
                    severity=severity,
                    explanation=(
                        f'Number differs: "{x.text}" ({_src(m.a_source)}) vs "{y.text}" '
                        f"({_src(m.b_source)})"
                    ),
                    match=m,
                    a_spans=(_span(m.a.text, x.start, x.end),),
                    b_spans=(_span(m.b.text, y.start, y.end),),
                )
            )
    return out


# ----------------------------------------------------------------------------- dates


def _day_of(f: Fact) -> dt.date | None:
    if f.resolved is not None:
        return f.resolved
    if f.kind == "date" and isinstance(f.value, str) and len(f.value) == 10:
        try:
            return dt.date.fromisoformat(f.value)
        except ValueError:
            return None
    return None


def _dates_compatible(x: Fact, y: Fact) -> bool:
    """Same day, possibly once as a weekday and once as a date; partial dates by prefix; a date
    bound ("after 2005") holds the dates inside it."""
    dx, dy = _day_of(x), _day_of(y)
    if x.kind == "weekday" and y.kind == "weekday":
        if dx and dy:
            return dx == dy
        return x.value == y.value
    if x.kind == "weekday" or y.kind == "weekday":
        wd, other = (x, y) if x.kind == "weekday" else (y, x)
        day = _day_of(other)
        if day is None or other.bound:
            return True  # a weekday against a month, a year or a bound cannot disagree
        if _day_of(wd) is not None:
            return _day_of(wd) == day
        return WEEKDAYS[day.weekday()] == wd.value
    vx, vy = str(x.value), str(y.value)
    iso = bool(_ISO_PART.match(vx) and _ISO_PART.match(vy))
    # "after 2005" vs "in 2006" agree; two bounds, or a bound too coarse to tell, never clash
    if x.bound and y.bound:
        return True
    if x.bound or y.bound:
        if not iso:
            return True
        if x.bound:
            return date_within(x.bound, vx, vy) is not False
        if y.bound:
            return date_within(y.bound, vy, vx) is not False
    if dx and dy:
        return dx == dy
    if not iso:
        return True  # "last year" without an article date: nothing to compare against
    if vx.startswith("--") or vy.startswith("--"):
        # a date without a year ("--02-15"): compare month and day only
        return _month_day(vx).startswith(_month_day(vy)) or _month_day(vy).startswith(
            _month_day(vx)
        )
    return vx.startswith(vy) or vy.startswith(vx)


_ISO_PART = re.compile(r"^(\d{4}(-\d{2}){0,2}|--\d{2}(-\d{2})?)$")


def _month_day(value: str) -> str:
    """ "2021-02-15" -> "02-15", "--02" -> "02": the part a year-less date can be compared on."""
    return value[2:].lstrip("-") if value.startswith("--") else value[5:]


def date_conflicts(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    da = [f for f in fa.facts if f.kind in ("date", "weekday")]
    db = [f for f in fb.facts if f.kind in ("date", "weekday")]
    if not da or not db:
        return []
    left = [x for x in da if not any(_dates_compatible(x, y) for y in db)]
    right = [y for y in db if not any(_dates_compatible(x, y) for x in da)]
    out = []
    for x, y in _pair_up(m, left, right):
        clear = _day_of(x) is not None and _day_of(y) is not None  # two days, not two months
        out.append(
            Conflict(
                type="date",
                severity="high" if clear else "medium",
                explanation=(
                    f'Date differs: "{x.text}" ({_src(m.a_source)}) vs "{y.text}" '
                    f"({_src(m.b_source)})" + _date_note(x, y)
                ),
                match=m,
                a_spans=(_span(m.a.text, x.start, x.end),),
                b_spans=(_span(m.b.text, y.start, y.end),),
            )
        )
    return out


def _date_note(x: Fact, y: Fact) -> str:
    dx, dy = _day_of(x), _day_of(y)
    if dx and dy:
        return f" = {dx.isoformat()} vs {dy.isoformat()}"
    return ""


# ----------------------------------------------------------------------------- cues


def _forms(lemma: str) -> list[str]:
    """Common inflections of a verb lemma, to find it in a sentence we only have text for."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms.update({lemma[:-1] + "ies", lemma[:-1] + "ied"})
    return sorted(forms, key=len, reverse=True)


def _phrase_span(text: str, head: str) -> Span | None:
    """The verb phrase around ``head`` with any auxiliary and negation: "does not use"."""
    pat = re.compile(
        r"\b(?:(?:do|does|did|is|are|was|were|has|have|had|will|would|can|could)\s+)?"
        r"(?:(?:not|never|n't)\s+)?(?:\w+ly\s+)?(?:"
        + "|".join(map(re.escape, _forms(head)))
        + r")\b",
        re.I,
    )
    hit = pat.search(typographic(text))
    return _span(text, hit.start(), hit.end()) if hit else None


_CONTRAST = re.compile(r"\s*(?:a|an|the)\b", re.I)


def _contrastive(text: str, cue: Cue) -> bool:
    """ "not a listed company": a negation that contrasts two nouns, not one that denies."""
    return cue.text.lower() == "not" and bool(_CONTRAST.match(text, cue.end))


def _heads(facts: SentenceFacts, kind: str) -> dict[str, list[Cue]]:
    out: dict[str, list[Cue]] = {}
    for c in facts.cues:
        if c.kind == kind and c.head:
            out.setdefault(c.head, []).append(c)
    return out


def _cue_conflicts(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    out: list[Conflict] = []
    la, lb = set(fa.lemmas), set(fb.lemmas)
    # Negation: the same verb is negated on one side only.
    neg_a, neg_b = _heads(fa, "negation"), _heads(fb, "negation")
    hedge_a, hedge_b = _heads(fa, "hedge"), _heads(fb, "hedge")
    for head in sorted(set(neg_a) ^ set(neg_b)):
        if head not in la or head not in lb:
            continue
        a_has = head in neg_a
        cues = neg_a[head] if a_has else neg_b[head]
        text = m.a.text if a_has else m.b.text
        if all(_contrastive(text, c) for c in cues):
            continue  # "a private company, not a listed company": no claim is denied
        if head in (hedge_b if a_has else hedge_a):
            continue  # "did not spill" vs "may spill": a fact and a possibility, two claims
        other_text = m.b.text if a_has else m.a.text
        other_span = _phrase_span(other_text, head)
        cue_spans = tuple(_span(m.a.text if a_has else m.b.text, c.start, c.end) for c in cues)
        neg_src, pos_src = (m.a_source, m.b_source) if a_has else (m.b_source, m.a_source)
        explanation = (
            f'Negation differs on "{head}": "{cues[0].text}" in {neg_src}, affirmative in {pos_src}'
        )
        spans_other = (other_span,) if other_span else ()
        out.append(
            Conflict(
                type="negation",
                severity="high",
                explanation=explanation,
                match=m,
                a_spans=cue_spans if a_has else spans_other,
                b_spans=spans_other if a_has else cue_spans,
            )
        )
    # Hedges: a qualifier ("directly", "reportedly") on a verb both sides report, on one only
    # (not where only one side denies the verb: that is two claims).
    words_a = {c.text.lower() for c in fa.cues if c.kind == "hedge"}
    words_b = {c.text.lower() for c in fb.cues if c.kind == "hedge"}
    for side_has, hedges, other_lemmas, other_words in (
        ("a", hedge_a, lb, words_b),
        ("b", hedge_b, la, words_a),
    ):
        for head, cues in sorted(hedges.items()):
            missing = [c for c in cues if c.text.lower() not in other_words]
            if not missing or head not in other_lemmas or (head in neg_a) != (head in neg_b):
                continue
            has_text = m.a.text if side_has == "a" else m.b.text
            lacks_text = m.b.text if side_has == "a" else m.a.text
            has_src = m.a_source if side_has == "a" else m.b_source
            lacks_src = m.b_source if side_has == "a" else m.a_source
            has_span = _phrase_span(has_text, head)
            lacks_span = _phrase_span(lacks_text, head)
            cue_words = ", ".join(f'"{c.text}"' for c in missing)
            if has_span and lacks_span:
                detail = f': "{lacks_span.text}" ({lacks_src}) vs "{has_span.text}" ({has_src})'
            else:
                detail = ""
            has_spans = tuple(_span(has_text, c.start, c.end) for c in missing)
            if has_span:
                has_spans = (has_span, *has_spans)
            lacks_spans = (lacks_span,) if lacks_span else ()
            out.append(
                Conflict(
                    type="hedge",
                    severity="medium",
                    explanation=f"Qualifier {cue_words} only in {has_src}{detail}",
                    match=m,
                    a_spans=has_spans if side_has == "a" else lacks_spans,
                    b_spans=lacks_spans if side_has == "a" else has_spans,
                )
            )
    return out


# ----------------------------------------------------------------------------- quotes


def quote_tokens(facts: SentenceFacts) -> list[list[_Tok]]:
    s = facts.sentence
    segs = []
    for q in s.quotes:
        lo, hi = max(q.start, s.start) - s.start, min(q.end, s.end) - s.start
        if hi - lo > 0:
            # an editor's insertion "(Kim Jong Un - TASS)" is not the speaker's words
            asides = [(m.start(), m.end()) for m in _ASIDE.finditer(s.text, lo, hi)]
            toks = [
                t for t in _tokens(s.text, lo, hi) if not any(a <= t.start < b for a, b in asides)
            ]
            if toks:
                segs.append(toks)
    return segs


_ASIDE = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


_EDGE = 3  # at most this many differing words at a quote's edge count as a substitution


def _cue_words(facts: SentenceFacts) -> set[str]:
    return {c.text.lower() for c in facts.cues}


# Contractions spelled out, so "we're" and "we are" are the same words.
_CONTRACTIONS = {
    "we're": ("we", "are"), "you're": ("you", "are"), "they're": ("they", "are"),
    "i'm": ("i", "am"), "it's": ("it", "is"), "that's": ("that", "is"), "he's": ("he", "is"),
    "she's": ("she", "is"), "there's": ("there", "is"), "what's": ("what", "is"),
    "we've": ("we", "have"), "i've": ("i", "have"), "they've": ("they", "have"),
    "we'll": ("we", "will"), "i'll": ("i", "will"), "they'll": ("they", "will"),
    "don't": ("do", "not"), "doesn't": ("does", "not"), "didn't": ("did", "not"),
    "isn't": ("is", "not"), "aren't": ("are", "not"), "wasn't": ("was", "not"),
    "won't": ("will", "not"), "can't": ("can", "not"), "couldn't": ("could", "not"),
    "wouldn't": ("would", "not"), "haven't": ("have", "not"), "hasn't": ("has", "not"),
}  # fmt: skip
_PERCENT = frozenset({"percent", "per", "cent", "pct"})
# How strongly a claim is put: a quote that moves between these levels changes its strength
# ("very pleased" vs "absolutely pleased"); two words of one level are a translator's choice.
_STRENGTH: dict[str, int] = {
    w: level
    for level, words in enumerate(
        (
            # intensifiers ("very", "absolutely") are compared by factcheck.intensity
            "rather partly barely hardly",
            "still even only just all any every always",
            "few several",  # quantifiers: "several buildings" is not "many buildings"
            "many numerous countless",
            "most",
        ),
        start=1,
    )
    for w in words.split()
}


def expand_quote(toks: list[_Tok]) -> list[_Tok]:
    """Contractions as two words (same offsets), "%" and "per cent" folded away."""
    out: list[_Tok] = []
    for t in toks:
        if t.word in _CONTRACTIONS:
            out.extend(_Tok(w, t.start, t.end) for w in _CONTRACTIONS[t.word])
        elif t.word not in _PERCENT:
            out.append(t)
    return out


ELISION = 4  # words left out in one stretch: the quote was shortened, not changed


def _dropped(chunk: Sequence[str], other: Sequence[str]) -> bool:
    """A short run of words one quote has and the other lacks, with a content word of some
    weight ("a great day for *science and* humanity"). A long run is an elision (a shortened
    quote); short function words and fillers ("the last five months") are a translator's."""
    if not chunk or len(chunk) >= ELISION:
        return False
    return any(w not in FUNCTION_WORDS and w not in other and len(w) >= 5 for w in chunk)


def _meaning_change(changed_a: list[str], changed_b: list[str]) -> str:
    """Why a quote's changed words change what was said, or "" when they are only wording
    (a translation variant: synonyms, word order, function words)."""
    for side in (changed_a, changed_b):
        if any(w[:1].isdigit() or w in _NUMBER_WORDS for w in side):
            return "a number"
    if any(w in _TIME_WORDS for w in (*changed_a, *changed_b)):
        return "a time"
    la = sorted({_STRENGTH[w] for w in changed_a if w in _STRENGTH})
    lb = sorted({_STRENGTH[w] for w in changed_b if w in _STRENGTH})
    if la != lb:
        return "its strength"
    return ""


_TIME_WORDS = _wordset(
    "today tomorrow yesterday tonight now soon later earlier week weekend month year decade "
    "century morning evening night hour minute day spring summer autumn fall winter"
)
_NUMBER_WORDS = _wordset(
    "one two three four five six seven eight nine ten eleven twelve hundred thousand million "
    "billion dozen half"
)


def quote_variants(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    """The same quote worded differently with nothing that changes its meaning or strength:
    a translation variant, reported beside the conflicts (severity low), never as one."""
    return _quotes_compared(fa, fb, m)[1]


def _quotes_compared(
    fa: SentenceFacts, fb: SentenceFacts, m: Match
) -> tuple[list[Conflict], list[Conflict]]:
    """(conflicts, translation variants) between the quotes of two aligned sentences."""
    out: list[Conflict] = []
    variants: list[Conflict] = []
    cue_words = _cue_words(fa) | _cue_words(fb) | {"not", "n't", "never", "no"}
    for qa_raw in quote_tokens(fa):
        for qb_raw in quote_tokens(fb):
            qa, qb = expand_quote(qa_raw), expand_quote(qb_raw)
            wa, wb = [t.word for t in qa], [t.word for t in qb]
            sm = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
            blocks = [b for b in sm.get_matching_blocks() if b.size]
            matched = sum(b.size for b in blocks)
            if matched < 3 or matched < 0.6 * min(len(wa), len(wb)):
                continue  # different quotes, or too little shared to be the same words
            lo_a, hi_a = blocks[0].a, blocks[-1].a + blocks[-1].size
            lo_b, hi_b = blocks[0].b, blocks[-1].b + blocks[-1].size
            # Words before / after the shared stretch on ONE side are a partial quote; short
            # different words on BOTH sides ("this year" / "this decade") are a substitution.
            if 0 < lo_a <= _EDGE and 0 < lo_b <= _EDGE:
                lo_a, lo_b = 0, 0
            if 0 < len(wa) - hi_a <= _EDGE and 0 < len(wb) - hi_b <= _EDGE:
                hi_a, hi_b = len(wa), len(wb)
            sub = difflib.SequenceMatcher(a=wa[lo_a:hi_a], b=wb[lo_b:hi_b], autojunk=False)
            diffs = [
                op
                for op in sub.get_opcodes()
                if op[0] != "equal"
                # a long stretch on one side only is an elision: the quote was shortened
                and not (op[0] != "replace" and max(op[2] - op[1], op[4] - op[3]) >= ELISION)
            ]
            ia: list[int] = []
            ib: list[int] = []
            for _, i1, i2, j1, j2 in diffs:
                ia.extend(range(lo_a + i1, lo_a + i2))
                ib.extend(range(lo_b + j1, lo_b + j2))
            # negation and hedge words are reported by the cue rules instead; a word found
            # elsewhere in the other quote moved, it did not change
            ca = [wa[i] for i in ia if wa[i] not in cue_words and wa[i] not in wb]
            cb = [wb[j] for j in ib if wb[j] not in cue_words and wb[j] not in wa]
            inserted = any(
                _dropped(wa[lo_a + i1 : lo_a + i2], wb) or _dropped(wb[lo_b + j1 : lo_b + j2], wa)
                for op, i1, i2, j1, j2 in diffs
                if op in ("insert", "delete")
            )
            why = _meaning_change(ca, cb) or ("words dropped or added" if inserted else "")
            if not why and not (ca or cb):
                continue  # function words only: not even a variant worth a line
            severity: Severity = "medium" if why else "low"
            kind = f"Quote differs in {why}" if why else "Translation variant (wording only)"
            chunks = [
                f'"{_chunk(m.a.text, qa, lo_a + i1, lo_a + i2)}" vs '
                f'"{_chunk(m.b.text, qb, lo_b + j1, lo_b + j2)}"'
                for i1, i2, j1, j2 in _merge_near(diffs)
            ]
            more = f" (+{len(chunks) - 2} more)" if len(chunks) > 2 else ""
            (out if why else variants).append(
                Conflict(
                    type="quote",
                    severity=severity,
                    explanation=(
                        f"{kind} between {_src(m.a_source)} and {_src(m.b_source)}: "
                        + "; ".join(chunks[:2])
                        + more
                    ),
                    match=m,
                    a_spans=tuple(_span(m.a.text, qa[i].start, qa[i].end) for i in ia),
                    b_spans=tuple(_span(m.b.text, qb[j].start, qb[j].end) for j in ib),
                )
            )
    return out, variants


def _merge_near(
    ops: Sequence[tuple[str, int, int, int, int]], gap: int = 1
) -> list[tuple[int, int, int, int]]:
    """Join edits separated by at most ``gap`` equal words: "stone by stone" is one change."""
    merged: list[tuple[int, int, int, int]] = []
    for _, i1, i2, j1, j2 in ops:
        if merged and i1 - merged[-1][1] <= gap and j1 - merged[-1][3] <= gap:
            a1, _, b1, _ = merged[-1]
            merged[-1] = (a1, i2, b1, j2)
        else:
            merged.append((i1, i2, j1, j2))
    return merged


def _chunk(text: str, toks: Sequence[_Tok], i1: int, i2: int) -> str:
    """Words i1..i2 (possibly none) with one word of context each side, as written in ``text``."""
    lo = max(i1 - 1, 0)
    hi = min(i2, len(toks) - 1)
    return text[toks[lo].start : toks[hi].end]


# ----------------------------------------------------------------------------- speakers


def _surname(name: str) -> str:
    parts = _WORD_RE.findall(typographic(name).lower())
    return parts[-1] if parts else ""


def _is_name(name: str | None) -> bool:
    if not name:
        return False
    words = name.split()
    if not words or _ROLE_HINT.search(name) or words[0].lower() in _PRONOUNS:
        return False
    return all(w[:1].isupper() for w in words if w[:1].isalpha())


def _overlap(m: Match, ignore: set[str] | None = None) -> float:
    """Share of the shorter sentence's content words that the other sentence also has."""
    drop = FUNCTION_WORDS | (ignore or set())
    wa = {_stem(t.word) for t in _tokens(m.a.text) if t.word not in drop}
    wb = {_stem(t.word) for t in _tokens(m.b.text) if t.word not in drop}
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))


# Same words, another speaker / another name: only near-identical statements qualify, so a loose
# paraphrase that mentions different people is never read as a swap.
SWAP_MIN_OVERLAP = 0.6


def _name_words(*names: str) -> set[str]:
    return {w for n in names for w in _WORD_RE.findall(typographic(n).lower())}


def _is_person(facts: SentenceFacts, name: str) -> bool:
    """The speaker reads as a person's full name, not "the Ministry", "Beijing" or an
    organisation the sentence names ("Acme Inc", "Harbor Pipeline Co")."""
    return len(name.split()) >= 2 and not any(
        f.kind in ("org", "place") and _same_entity(str(f.value), name) for f in facts.facts
    )


def _attribution_conflicts(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    sa, sb = m.a.speaker, m.b.speaker
    if not (_is_name(sa) and _is_name(sb)) or sa is None or sb is None:
        return []
    if not (_is_person(fa, sa) and _is_person(fb, sb)):
        return []
    if _surname(sa) == _surname(sb):
        return []
    if _overlap(m, _name_words(sa, sb)) < SWAP_MIN_OVERLAP:
        return []
    return [
        Conflict(
            type="attribution",
            severity="high",
            explanation=f"Attributed to {sa} ({m.a_source}) but to {sb} ({m.b_source})",
            match=m,
            a_spans=_name_spans(m.a.text, sa),
            b_spans=_name_spans(m.b.text, sb),
        )
    ]


def _name_spans(text: str, name: str) -> tuple[Span, ...]:
    for probe in (name, name.split()[-1]):
        i = text.find(probe)
        if i >= 0:
            return (_span(text, i, i + len(probe)),)
    return ()


# ----------------------------------------------------------------------------- entities


def _same_entity(x: str, y: str) -> bool:
    a, b = (typographic(v).lower().replace(".", "") for v in (x, y))
    return a == b or a in b or b in a or _surname(a) == _surname(b)


def _checkable_entity(f: Fact) -> bool:
    """An entity worth comparing: a name of some length ("I.T." or "US" as a place is an
    abbreviation the small NER model mislabels more often than not), and for a person a full
    name (the small model calls a company a person now and then)."""
    value = str(f.value).replace(".", "").strip()
    return len(value) > 3 and (f.kind != "person" or len(value.split()) >= 2)


def _entity_conflicts(fa: SentenceFacts, fb: SentenceFacts, m: Match) -> list[Conflict]:
    out: list[Conflict] = []
    speakers = [s for s in (m.a.speaker, m.b.speaker) if s]
    for kind in ("person", "place"):
        ea = [f for f in fa.facts if f.kind == kind and _checkable_entity(f)]
        eb = [f for f in fb.facts if f.kind == kind and _checkable_entity(f)]
        if not ea or len(ea) != len(eb):
            continue
        left = [x for x in ea if not any(_same_entity(str(x.value), str(y.value)) for y in eb)]
        right = [y for y in eb if not any(_same_entity(str(x.value), str(y.value)) for x in ea)]
        left = [x for x in left if not any(_same_entity(str(x.value), s) for s in speakers)]
        right = [y for y in right if not any(_same_entity(str(y.value), s) for s in speakers)]
        if not left or not right:
            continue
        names = _name_words(*(str(f.value) for f in (*ea, *eb)), *(f.text for f in (*ea, *eb)))
        if _overlap(m, names) < SWAP_MIN_OVERLAP:
            continue
        for x, y in _pair_up(m, left, right):
            out.append(
                Conflict(
                    type="entity",
                    severity="medium",
                    explanation=(
                        f'{kind.capitalize()} differs: "{x.text}" ({m.a_source}) vs "{y.text}" '
                        f"({m.b_source})"
                    ),
                    match=m,
                    a_spans=(_span(m.a.text, x.start, x.end),),
                    b_spans=(_span(m.b.text, y.start, y.end),),
                )
            )
    return out


# ----------------------------------------------------------------------------- entry point

_DETECTORS = (
    _number_conflicts,
    date_conflicts,
    _cue_conflicts,
    _attribution_conflicts,
    _entity_conflicts,
)


def detect(
    fa: SentenceFacts,
    fb: SentenceFacts,
    match: Match,
    *,
    strong: bool = True,
    variants: list[Conflict] | None = None,
) -> list[Conflict]:
    """All typed conflicts between the two sentences of ``match`` (fa / fb are their facts).

    ``strong`` says the two sentences are close enough to be one statement; otherwise only the
    quote and intensity rules run (they check word by word), because a differing number or date
    in two merely similar sentences is usually two facts, not one disputed fact. Quote
    translation variants found on the way are appended to ``variants`` when it is given.
    """
    if match.relation == "duplicate":
        return []
    quotes, wording = _quotes_compared(fa, fb, match)
    if variants is not None:
        variants.extend(wording)
    out: list[Conflict] = [*quotes, *intensity_conflicts(fa, fb, match)]
    if strong:  # quotes are compared above, for every pair
        for detector in _DETECTORS:
            out.extend(detector(fa, fb, match))
    return out


def detect_all(
    pairs: Iterable[tuple[SentenceFacts, SentenceFacts, Match]],
) -> list[Conflict]:
    """Conflicts of many aligned pairs, in input order."""
    out: list[Conflict] = []
    for fa, fb, m in pairs:
        out.extend(detect(fa, fb, m))
    return out
