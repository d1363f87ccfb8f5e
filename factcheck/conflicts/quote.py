"""``quote``: the same quote with words that change its meaning or strength.

Compared by :func:`factcheck.conflicts.detect` on every aligned pair (not only strong ones),
which also collects the translation variants (wording only) found on the way.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Sequence

from factcheck.conflicts.common import (
    FUNCTION_WORDS,
    _span,
    _src,
    _Tok,
    _tokens,
    renamed_country,
)
from factcheck.conflicts.quote_edits import (
    function_word_edit,
    misread_word,
    possessive_phrase,
    same_text,
    verbatim_copy,
)
from factcheck.conflicts.registry import ConflictKind, register
from factcheck.facts import _wordset
from factcheck.types import Conflict, Match, SentenceFacts, Severity


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


def expand_quote(toks: list[_Tok], text: str = "") -> list[_Tok]:
    """Contractions as two words (same offsets), "%" and "per cent" folded away, and the letters
    of a dotted abbreviation in ``text`` as one word ("I.T." is "IT")."""
    out: list[_Tok] = []
    dotted = False  # the last word is letters joined by dots
    for t in toks:
        letter = len(t.word) == 1 and t.word.isalpha()
        if letter and text[t.start + 1 : t.start + 2] == ".":
            if dotted and out[-1].end + 1 == t.start:
                out[-1] = _Tok(out[-1].word + t.word, out[-1].start, t.end)
            else:
                out.append(t)
            dotted = True
            continue
        dotted = False
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
    if not chunk or len(chunk) >= ELISION or renamed_country(chunk, other):
        return False
    if possessive_phrase(chunk, other):
        return True
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
            qa, qb = expand_quote(qa_raw, fa.sentence.text), expand_quote(qb_raw, fb.sentence.text)
            wa, wb = [t.word for t in qa], [t.word for t in qb]
            sm = difflib.SequenceMatcher(a=wa, b=wb, autojunk=False)
            blocks = [b for b in sm.get_matching_blocks() if b.size]
            matched = sum(b.size for b in blocks)
            if matched < 3 or matched < 0.6 * min(len(wa), len(wb)):
                # different quotes, or the same words with the clauses in another order
                moved = _reordered_strength(m, qa, qb)
                if moved is not None:
                    out.append(moved)
                continue
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
            if not why and _misread(m, qa, qb, lo_a, lo_b, diffs):
                why = "a misread word"
            if not why and verbatim_copy(max(b.size for b in blocks)):
                # one original copied word for word: a changed function word is a misquote
                fa_words = [wa[i] for i in ia if wa[i] not in cue_words]
                fb_words = [wb[j] for j in ib if wb[j] not in cue_words]
                if function_word_edit(fa_words, fb_words):
                    why = "a copied word"
                elif same_text(max(b.size for b in blocks)) and any(
                    # in one copied text a word found elsewhere was still swapped here
                    w not in FUNCTION_WORDS and len(w) > 1 for w in (*fa_words, *fb_words)
                ):
                    why = "a word of a copied text"
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


def _misread(
    m: Match,
    qa: Sequence[_Tok],
    qb: Sequence[_Tok],
    lo_a: int,
    lo_b: int,
    diffs: Sequence[tuple[str, int, int, int, int]],
) -> bool:
    """A word swapped one for one with a near-homograph ("survey" / "surveil"), names aside."""
    for op, i1, i2, j1, j2 in diffs:
        if op != "replace" or i2 - i1 != j2 - j1:
            continue
        for i, j in zip(range(lo_a + i1, lo_a + i2), range(lo_b + j1, lo_b + j2), strict=True):
            ta, tb = qa[i], qb[j]
            lower_a = m.a.text[ta.start : ta.start + 1].islower()
            lower_b = m.b.text[tb.start : tb.start + 1].islower()
            if lower_a and lower_b and misread_word(ta.word, tb.word):
                return True
    return False


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


KIND = register(
    ConflictKind(
        name="quote",
        label="Quote wording",
        description="a quote changed in a number, a time, its strength or a content word",
        order=30,
    )
)


REORDERED_SHARE = 0.6  # content words two reordered renderings of one remark share at least


def _content(words: Sequence[str]) -> set[str]:
    """Content words by their first five letters ("continue" / "continuing")."""
    return {
        w[:5] for w in words if w not in FUNCTION_WORDS and w not in _STRENGTH and w.isalpha()
    }


def _reordered_strength(m: Match, qa: Sequence[_Tok], qb: Sequence[_Tok]) -> Conflict | None:
    """One remark rendered with its clauses in another order ("X, so we do not know Y" / "we do
    not know Y as X"): word order says nothing, so the two are compared as bags of words, and
    only a change of strength ("several" vs "many") is reported."""
    wa, wb = [t.word for t in qa], [t.word for t in qb]
    ca, cb = _content(wa), _content(wb)
    if min(len(ca), len(cb)) < 6 or len(ca & cb) < REORDERED_SHARE * min(len(ca), len(cb)):
        return None
    only_a = [t for t in qa if t.word in _STRENGTH and t.word not in wb]
    only_b = [t for t in qb if t.word in _STRENGTH and t.word not in wa]
    if not only_a or not only_b:
        return None
    if {_STRENGTH[t.word] for t in only_a} == {_STRENGTH[t.word] for t in only_b}:
        return None
    return Conflict(
        type="quote",
        severity="medium",
        explanation=(
            f"Quote differs in its strength between {_src(m.a_source)} and {_src(m.b_source)}: "
            f'"{only_a[0].word}" vs "{only_b[0].word}" (the same words otherwise, reordered)'
        ),
        match=m,
        a_spans=tuple(_span(m.a.text, t.start, t.end) for t in only_a),
        b_spans=tuple(_span(m.b.text, t.start, t.end) for t in only_b),
    )
