"""Sentence splitting, quote spans and who said them.

Splitter choice, measured on the 52 tricky news paragraphs in ``tests/test_sentences.py``
(``SPLIT_CASES``: abbreviations, initials, a.m./p.m., money, ellipses, quotes; a paragraph counts
only if every sentence is exact), speed on one shared core (kchar/s, best of 5):

    splitter                     alone            + our post-fix pass
    nupunkt 0.8.0                47/52  ~1500     52/52  ~310   <- used (pure Python, offsets)
    blingfire 0.1.8              47/52  ~1500     52/52  ~520   (native library per platform)
    pysbd 0.3.4                  47/52  ~40       52/52  ~40
    spaCy parser (en_core_sm)    46/52  ~2        -
    spaCy sentencizer            37/52  ~300      -

Their raw errors differ: nupunkt misses "11 p.m. Results", "Lt. Col.", "deg. in" and "port. A";
blingfire breaks '?" he asked' and misses "Corp. fell."; pysbd keeps quoted sentences together.
The post-fix pass (``_fix_boundaries``) merges a split after a title or initial ("Lt. Col.",
"J. R. R."), before a lower-case continuation ('?" he asked') or after "No."/"approx.", splits
after an ordinary word followed by a capital ("the port. A crowd"), after an ambiguous
abbreviation followed by a sentence opener ("in the U.S. The ..."), after "a.m./p.m." followed by
a capitalised word that is not a time zone or day, and at a missing space ("row.The"), and keeps
closing quotes with the sentence they close. Paragraph breaks and hard line breaks are never
crossed. Re-measure with ``pytest tests/test_sentences.py -k comparison -s``.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from factcheck.types import Article, Quote, Sentence

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

    from factcheck.nlp import People


def _wordset(words: str) -> frozenset[str]:
    """A word list written as one string (long vocabularies stay readable)."""
    return frozenset(words.split())


# --------------------------------------------------------------------------------------------
# Paragraphs and lines

_PARA_BREAK = re.compile(r"\n[^\S\n]*\n\s*")
_LINE_BREAK = re.compile(r"[^\S\n]*\n[^\S\n]*")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph (blank-line separated), outer whitespace stripped."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in _PARA_BREAK.finditer(text):
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(text)))
    return [s for s in (_strip(text, a, b) for a, b in spans) if s[0] < s[1]]


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a paragraph at hard line breaks; a line starting lower-case is a soft wrap."""
    spans: list[tuple[int, int]] = []
    pos = start
    for m in _LINE_BREAK.finditer(text, start, end):
        nxt = text[m.end() : m.end() + 1]
        if nxt and (nxt.islower() or nxt in ",;:)"):
            continue
        spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, end))
    return [s for s in (_strip(text, a, b) for a, b in spans) if s[0] < s[1]]


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# --------------------------------------------------------------------------------------------
# Quote marks

_OPENERS = "\u201c\u201e\u00ab"  # “ „ «
_CLOSERS = "\u201d\u00bb"  # ” »
_QUOTE_MARK = re.compile('["\u201c\u201d\u201e\u201f\u00ab\u00bb]')
_LEAD_JUNK = " \t\n.,;:\u2026"
_TRAIL_JUNK = " \t\n,;:"


@dataclass(frozen=True)
class QuoteMarks:
    """One paired quote: mark positions (``close`` is None when it runs to paragraph end) and the
    stripped inner span."""

    open: int
    close: int | None
    start: int
    end: int


def quote_marks(text: str) -> list[QuoteMarks]:
    """Pair double quote marks in order inside each paragraph (no speaker attribution).

    Straight quotes alternate open/close; curly, guillemet and low-9 marks pair with any closer
    (typos such as ``tweeted." It`` are common in scraped news). An opener left open at the end of
    a paragraph closes there. Quotes that are empty after stripping are dropped.
    """
    found: list[QuoteMarks] = []
    for p_start, p_end in paragraph_spans(text):
        open_at: int | None = None
        open_ch = ""
        for m in _QUOTE_MARK.finditer(text, p_start, p_end):
            pos, ch = m.start(), m.group()
            if open_at is None:
                if ch in _CLOSERS and not _looks_opening(text, pos, p_start, p_end):
                    continue  # stray closer
                open_at, open_ch = pos, ch
                continue
            if ch == "\u00ab" and open_ch == "\u00ab":
                continue  # nested guillemets: keep the outer pair
            if ch in _OPENERS and ch != open_ch == "\u201e":
                pass  # „…“ closes with “
            elif ch in "\u201c\u201e\u00ab" and _looks_opening(text, pos, p_start, p_end):
                # a new opener while one is open: the earlier quote was never closed
                _add_quote(found, text, open_at, None, pos)
                open_at, open_ch = pos, ch
                continue
            _add_quote(found, text, open_at, pos, pos)
            open_at = None
        if open_at is not None:
            _add_quote(found, text, open_at, None, p_end)
    return found


def _looks_opening(text: str, pos: int, lo: int, hi: int) -> bool:
    before = text[pos - 1] if pos > lo else " "
    after = text[pos + 1] if pos + 1 < hi else " "
    return (before.isspace() or before in "([—–-") and not after.isspace()


def _add_quote(
    found: list[QuoteMarks], text: str, open_at: int, close: int | None, inner_end: int
) -> None:
    start, end = open_at + 1, inner_end
    while start < end and text[start] in _LEAD_JUNK:
        start += 1
    while end > start and text[end - 1] in _TRAIL_JUNK:
        end -= 1
    if start < end and any(c.isalnum() for c in text[start:end]):
        found.append(QuoteMarks(open_at, close, start, end))


# --------------------------------------------------------------------------------------------
# Sentence boundaries

_TITLES = _wordset(
    "mr mrs ms dr prof gen lt col capt sgt adm cmdr maj sen rep gov pres rev hon fr gens "
    "messrs mme mlle supt insp det cpl pvt brig"
)
_NEVER_FINAL = _wordset("e.g i.e approx vs v deg est fig cf ca op vol ed eds ch pp pt")
_MONTH_ABBR = _wordset("jan feb mar apr jun jul aug sep sept oct nov dec")
_AMBIGUOUS = _wordset(
    "inc corp co ltd llc plc bros jr sr u.s u.k u.n e.u d.c a.m p.m etc al st univ dept assn "
    "govt ala ariz ark calif colo conn del fla ill ind kan mass mich minn miss nev okla ore "
    "penn tenn tex wash wis wyo"
)
_TIME_FOLLOWERS = _wordset(
    "et est edt ct cst cdt pt pst pdt mt gmt bst utc cet msk local monday tuesday wednesday "
    "thursday friday saturday sunday"
)
_STARTERS = _wordset(
    "the a an it its he she they we i you this that these those there his her their our my "
    "but and so yet however meanwhile still also then now in on at for after before when while "
    "if as by with from during since until although though other some many most all no one "
    "officials shares results police analysts critics"
)
_CLOSE_AFTER = "\"\u201d\u2019')]\u00bb"
_TERMINAL = re.compile(r"(?:[.!?]+|\u2026)[\"\u201d\u2019')\]\u00bb]*\s+")
_MISSING_SPACE = re.compile(
    r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])(?!(?:Com|Org|Net|Gov|Edu|Info|Co|Io|Uk|Ru|Ai|Tv)\b)"
)


def _base_nupunkt(text: str) -> list[int]:
    import nupunkt

    return [a for a, _b in nupunkt.sent_spans(text)[1:]]


BaseSplitter = Callable[[str], list[int]]


def sentence_spans(text: str, base: BaseSplitter | None = None) -> list[tuple[int, int]]:
    """(start, end) of every sentence in ``text``; pure text, no spaCy.

    ``base`` proposes boundaries (sentence start offsets in the text it is given); the default is
    nupunkt. It exists so the splitter comparison in the module docstring can be re-run.
    """
    base = base or _base_nupunkt
    marks = quote_marks(text)
    openers = {q.open for q in marks}
    closers = {q.close for q in marks if q.close is not None}
    spans: list[tuple[int, int]] = []
    proposed_all = sorted(base(text))  # one call: per-line calls cost more than the splitting
    for p_start, p_end in paragraph_spans(text):
        for l_start, l_end in _line_spans(text, p_start, p_end):
            lo_i = bisect.bisect_right(proposed_all, l_start)
            hi_i = bisect.bisect_left(proposed_all, l_end)
            proposed = set(proposed_all[lo_i:hi_i])
            bounds = _fix_boundaries(text, l_start, l_end, proposed, openers, closers)
            edges = [l_start, *bounds, l_end]
            for a, b in itertools.pairwise(edges):
                s = _strip(text, a, b)
                if s[0] < s[1]:
                    spans.append(s)
    return spans


def _fix_boundaries(
    text: str, lo: int, hi: int, proposed: set[int], openers: set[int], closers: set[int]
) -> list[int]:
    """Repair the base splitter's boundaries inside ``text[lo:hi]`` (see module docstring)."""
    candidates: dict[int, bool] = {}
    for b in proposed:
        b = _realign(text, b, lo, hi, openers, closers)
        if lo < b < hi:
            candidates[b] = True
    for m in _TERMINAL.finditer(text, lo, hi):
        b = _realign(text, m.end(), lo, hi, openers, closers)
        if lo < b < hi:
            candidates.setdefault(b, False)
    for m in _MISSING_SPACE.finditer(text, lo, hi):
        candidates[m.start()] = True
    kept = []
    for b in sorted(candidates):
        verdict = _judge(text, lo, b)
        if verdict if verdict is not None else candidates[b]:
            kept.append(b)
    return kept


def _realign(text: str, b: int, lo: int, hi: int, openers: set[int], closers: set[int]) -> int:
    """Move a boundary so a closing quote stays with its sentence and an opener starts the next."""
    while b < hi and text[b].isspace():
        b += 1
    # closing marks glued to the previous sentence's punctuation belong to it
    while b < hi and (b in closers or text[b] in "\u201d\u00bb)]") and b not in openers:
        if b > lo and text[b - 1].isspace():
            break
        b += 1
    while b < hi and text[b].isspace():
        b += 1
    # an opening mark the base splitter left at the end of the previous sentence starts this one
    k = b - 1
    while k > lo and text[k].isspace():
        k -= 1
    if k in openers and k > lo and text[k - 1] in ".!?\u2026":
        b = k
    return b


def _judge(text: str, lo: int, b: int) -> bool | None:
    """True: a boundary at ``b`` for sure; False: certainly none; None: trust the proposer."""
    nxt = text[b : b + 40]
    first = nxt.lstrip("\"\u201c\u201e\u00ab'\u2018([")[:1]
    if not first:
        return False
    if first.islower() or text[b] in ",;:)]%":
        return False
    before = text[max(lo, b - 60) : b].rstrip()
    if not before or before[-1] not in ".!?\u2026\"\u201d\u2019')]\u00bb":
        return None if _MISSING_SPACE.match(text, b) is None else True
    word_m = re.search(r"(\S+)$", before)
    word = word_m.group(1) if word_m else ""
    bare = word.rstrip(_CLOSE_AFTER)
    if bare != word or not bare.endswith("."):
        return None  # ends with a quote/bracket or ! ?: the proposer knows best
    core = bare.lstrip("(\"\u201c'[").rstrip(".").lower()
    next_word_m = re.match(r"[\"\u201c\u201e'\u2018(\[]*([\w.'\u2019-]+)", nxt)
    next_word = next_word_m.group(1) if next_word_m else ""
    nw = next_word.rstrip(".,;:").lower()
    if core in _TITLES:
        return False
    if core in _NEVER_FINAL or (core in _MONTH_ABBR | {"no", "nos"} and first.isdigit()):
        return False
    if re.fullmatch(r"[A-Z]", bare[:-1].lstrip("(")) and first.isupper():
        return False  # an initial: "J. R. R. Tolkien", "Ana M. Ruiz"
    if core == "st":
        prev = before[: -len(word)].rstrip().split()[-1:] or [""]
        return bool(prev[0][:1].isupper())  # "Main St. The" ends; "in St. Louis" does not
    if core in ("a.m", "p.m"):  # "11:43 a.m. (0243 GMT)": a conversion, not a new sentence
        return first.isupper() and nw not in _TIME_FOLLOWERS
    if core in _AMBIGUOUS:
        return nw in _STARTERS
    if core.isalpha() and (core == bare[:-1] or len(core) >= 5) and first.isupper():
        return True  # an ordinary word ends the sentence: "the new port. A format ..."
    return None


# --------------------------------------------------------------------------------------------
# Speakers

SPEECH_VERBS = _wordset(
    "say tell add note write tweet post explain insist claim deny warn state announce declare "
    "reply respond answer ask argue assert comment confirm concede acknowledge admit recall "
    "remark stress emphasise emphasize suggest observe conclude caution urge tout "
    "report reveal repeat predict promise vow pledge complain lament joke quip boast "
    "mention describe testify recount retort counter contend agree"
)
_PRONOUNS = frozenset({"he", "she", "him", "her"})
_REPORT_DEPS = frozenset({"nsubj"})  # "Hadley was asked" is not Hadley speaking


@dataclass
class _QuoteInfo:
    marks: QuoteMarks
    speaker: str | None = None


def attribute_quotes(doc: Doc, marks: Sequence[QuoteMarks], people: People) -> list[str | None]:
    """The canonical speaker of each quote in ``marks`` (None when nobody can be found).

    Order of evidence: a speech verb right after the quote (``," Peskov said``), then one before it
    in the same sentence (``he added: "``), then the previous quote in the paragraph or the quote
    closing the previous paragraph when this quote opens its sentence (news continues a speaker's
    quote that way).
    """
    infos = [_QuoteInfo(m) for m in marks]
    text = _text(doc)
    quoted = quoted_ranges(marks)
    para_of = _paragraph_index(text)
    for i, info in enumerate(infos):
        m = info.marks
        surface_tok = _speaker_after(doc, m, quoted) or _speaker_before(doc, m, quoted)
        if surface_tok is not None:
            info.speaker = people.resolve_subject(surface_tok)
            people.note_subject(surface_tok.idx, info.speaker)
            continue
        if i and _opens_sentence(doc, m) and infos[i - 1].speaker:
            prev = infos[i - 1]
            same_para = para_of(prev.marks.start) == para_of(m.start)
            adjacent_para = para_of(prev.marks.start) + 1 == para_of(m.start)
            if same_para or (adjacent_para and _ends_paragraph(text, prev.marks)):
                info.speaker = prev.speaker
    return [i.speaker for i in infos]


def quoted_ranges(marks: Sequence[QuoteMarks]) -> list[tuple[int, int]]:
    """(open mark, close mark or inner end) of each quote: text that is someone's words."""
    return [(m.open, m.close if m.close is not None else m.end) for m in marks]


def _paragraph_index(text: str) -> Callable[[int], int]:
    starts = [a for a, _b in paragraph_spans(text)]

    def index(pos: int) -> int:
        return bisect.bisect_right(starts, pos) - 1

    return index


def _ends_paragraph(text: str, m: QuoteMarks) -> bool:
    """True when only an attribution (no new quote) follows the quote up to paragraph end."""
    end = m.close if m.close is not None else m.end
    para_end = text.find("\n\n", end)
    return not _QUOTE_MARK.search(text, end + 1, len(text) if para_end < 0 else para_end)


def _opens_sentence(doc: Doc, m: QuoteMarks) -> bool:
    span = doc.char_span(m.open, m.open + 1, alignment_mode="expand")
    if span is None:
        return False
    sent = span[0].sent
    head = _text(doc)[sent.start_char : m.open].strip()
    return not any(c.isalnum() for c in head)


def _text(doc: Doc) -> str:
    """``doc.text`` rebuilds the string on every access; keep one copy per Doc."""
    cached: str | None = doc.user_data.get("factcheck_text")
    if cached is None:
        cached = doc.text
        doc.user_data["factcheck_text"] = cached
    return cached


def _in_quotes(pos: int, quoted: Sequence[tuple[int, int]]) -> bool:
    return any(a <= pos < b for a, b in quoted)


def _speaker_after(doc: Doc, m: QuoteMarks, quoted: Sequence[tuple[int, int]]) -> Token | None:
    """``," Peskov said`` / ``," said Peskov`` / ``," the entrepreneur said on Monday``."""
    if m.close is None:
        return None
    text = _text(doc)
    tail_end = text.find("\n", m.close)
    tail_end = len(text) if tail_end < 0 else tail_end
    nxt_quote = _QUOTE_MARK.search(text, m.close + 1, tail_end)
    stop = nxt_quote.start() if nxt_quote else tail_end
    tail = text[m.close + 1 : stop]
    if not tail[:1].isspace() and tail[:1] not in ",—–-":
        return None
    cut = re.search(r"[.!?;:](?:\s|$)", tail)
    clause_end = m.close + 1 + (cut.start() if cut else len(tail))
    tokens = [t for t in _tokens_between(doc, m.close + 1, clause_end) if not t.is_punct]
    source = _according_to(tokens[:3])
    if source is not None:
        return source
    for tok in tokens[:8]:
        if tok.lemma_.lower() in SPEECH_VERBS and tok.pos_ in ("VERB", "AUX", "NOUN", "PROPN"):
            subj = _subject_of(tok, quoted) or _inverted_subject(tok, tokens)
            if subj is not None:
                return subj
    return None


_SOURCE_NOUNS = _wordset("statement report release post tweet message letter interview video")


def _according_to(tokens: Sequence[Token]) -> Token | None:
    """``according to Peskov`` / ``according to a statement from the ministry`` -> the source."""
    for tok in tokens:
        if tok.lower_ != "according":
            continue
        to = next((c for c in tok.children if c.lower_ == "to"), None)
        obj = next((c for c in to.children if c.dep_ == "pobj"), None) if to else None
        if obj is None:
            return None
        if obj.lemma_.lower() in _SOURCE_NOUNS:  # the statement's author, when named
            for prep in obj.children:
                if prep.lower_ in ("from", "by", "of"):
                    author = next((c for c in prep.children if c.dep_ == "pobj"), None)
                    if author is not None:
                        return author
        return obj
    return None


def _speaker_before(doc: Doc, m: QuoteMarks, quoted: Sequence[tuple[int, int]]) -> Token | None:
    """``Peskov said: "`` / ``he added: "`` / ``He also noted, referring to X, that "``."""
    span = doc.char_span(m.open, m.open + 1, alignment_mode="expand")
    if span is None:
        return None
    sent = span[0].sent
    verbs = [
        t
        for t in doc[sent.start : span[0].i]
        if t.lemma_.lower() in SPEECH_VERBS
        and t.pos_ in ("VERB", "AUX")
        and not _in_quotes(t.idx, quoted)
    ]
    for verb in reversed(verbs):
        subj = _subject_of(verb, quoted)
        if subj is not None:
            return subj
    return None


def _tokens_between(doc: Doc, start: int, end: int) -> list[Token]:
    span = doc.char_span(start, end, alignment_mode="expand")
    return [t for t in span if start <= t.idx < end] if span is not None else []


def _subject_of(verb: Token, quoted: Sequence[tuple[int, int]]) -> Token | None:
    """The subject of a speech verb, climbing participles ("..., noting that") to their verb."""
    tok: Token | None = verb
    for _ in range(4):
        if tok is None:
            return None
        for child in tok.children:
            if child.dep_ in _REPORT_DEPS and not _in_quotes(child.idx, quoted):
                if child.pos_ == "PRON" and child.lower_ not in _PRONOUNS | {"they", "i", "we"}:
                    continue
                return child
        if tok.dep_ in ("advcl", "xcomp", "conj", "ccomp", "relcl") and tok.head is not tok:
            tok = tok.head
        else:
            return None
    return None


def _inverted_subject(verb: Token, tokens: Sequence[Token]) -> Token | None:
    """``," said Peskov``: the parser often makes the name a dobj or attr; take the next name."""
    after = [t for t in tokens if t.i > verb.i]
    for t in after[:4]:
        if t.pos_ == "PROPN" or t.ent_type_ == "PERSON":
            # the head of a multi-token name is its last token
            while t.dep_ == "compound" and t.head.i > t.i:
                t = t.head
            return t
    return None


# --------------------------------------------------------------------------------------------
# Sentences


def find_quotes(text: str) -> tuple[Quote, ...]:
    """All double-quoted spans of ``text`` with the canonical speaker when one can be found."""
    from factcheck.nlp import People, parse

    spans = sentence_spans(text)
    doc = parse([(text, spans)])[0]
    marks = quote_marks(text)
    people = People(doc, quoted_ranges(marks))
    speakers = attribute_quotes(doc, marks, people)
    return tuple(
        Quote(m.start, m.end, text[m.start : m.end], s)
        for m, s in zip(marks, speakers, strict=True)
    )


def split_sentences(article: Article) -> tuple[Sentence, ...]:
    """The sentences of ``article`` with their quotes and speakers (one spaCy parse)."""
    from factcheck.nlp import parse

    spans = sentence_spans(article.text)
    doc = parse([(article.text, spans)])[0]
    return build_sentences(article, doc, spans)


def build_sentences(
    article: Article, doc: Doc, spans: Sequence[tuple[int, int]], people: People | None = None
) -> tuple[Sentence, ...]:
    """Assemble Sentence objects from a parsed article (``doc`` parsed with ``spans`` preset)."""
    from factcheck.nlp import People

    text = article.text
    marks = quote_marks(text)
    people = people or People(doc, quoted_ranges(marks))
    speakers = attribute_quotes(doc, marks, people)
    quotes = [
        Quote(m.start, m.end, text[m.start : m.end], s)
        for m, s in zip(marks, speakers, strict=True)
    ]
    out: list[Sentence] = []
    for index, (start, end) in enumerate(spans):
        mine = tuple(q for q in quotes if q.start < end and q.end > start)
        speaker = next((q.speaker for q in mine if q.speaker), None)
        if speaker is None:
            sent = doc.char_span(start, end, alignment_mode="expand")
            if sent is not None:
                speaker = _reporting_subject(sent, people)
        out.append(
            Sentence(
                article_id=article.id,
                index=index,
                start=start,
                end=end,
                text=text[start:end],
                quotes=mine,
                speaker=speaker,
            )
        )
    return tuple(out)


def _reporting_subject(sent: Span, people: People) -> str | None:
    """``Peskov said Monday that ...``: the subject of a root speech verb, canonicalised."""
    source = _according_to([t for t in sent if t.lower_ == "according"][:1])
    if source is not None:
        return people.resolve_subject(source)
    roots = [t for t in sent if t.dep_ == "ROOT"]
    verbs = [r for r in roots if r.lemma_.lower() in SPEECH_VERBS]
    verbs += [t for t in sent if t.dep_ != "ROOT" and _trailing_attribution(t, sent)]
    for verb in verbs:
        subj = _subject_of(verb, ())
        if subj is not None and subj.lower_ not in ("i", "we", "you", "it", "they"):
            return people.resolve_subject(subj)
    return None


def _trailing_attribution(verb: Token, sent: Span) -> bool:
    """``X will spend $80 million, Mayor Y announced on Wednesday.``: a speech verb whose clause
    closes the sentence after a comma, whatever the parser attached it to."""
    if verb.lemma_.lower() not in SPEECH_VERBS or verb.pos_ != "VERB":
        return False
    subj = next((c for c in verb.lefts if c.dep_ == "nsubj"), None)
    if subj is None or any(c.lower_ in ("which", "that", "who", "whom") for c in verb.children):
        return False
    before = subj.left_edge.i - 1
    if before < sent.start or sent.doc[before].text != ",":
        return False
    last = sent.end - 1
    while last > verb.i and sent.doc[last].is_punct:
        last -= 1
    return verb.right_edge.i >= last
