"""Claims: checkable values in their frame, aligned across outlets whatever the rest of the
sentence says.

A sentence is the unit outlets write in, not the unit they disagree on: "At least 415 people were
killed and more than 2,000 injured when a 7.1 magnitude earthquake hit" holds three claims, and
the outlet that says "claiming the lives of at least 1,302 people" shares only one of them, inside
an otherwise different sentence (whole-sentence cosine ~0.4). So each number becomes a
:class:`Quantity`: its value, what it counts (the counted noun) and the frame it sits in (the
lemmas of its own clause, ``Fact.frame``), folded to concepts by :data:`CONCEPTS` ("kill",
"die", "dead", "lives" -> death). Two quantities from different outlets are one claim when they
count the same kind of thing under a shared predicate concept, in no two different places and,
for money and percentages, about no two different actors.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from factcheck.facts import _wordset, singular
from factcheck.quantities import STANDARD_UNITS
from factcheck.types import Fact, SentenceFacts

# Predicates and counted nouns that say the same thing in news copy, folded to one concept.
# General news vocabulary (casualties, damage, markets, trials), not any one story's words.
_CONCEPT_WORDS: dict[str, str] = {
    "death": "kill die dead death life fatality toll perish killing victim",
    "injury": "injure wound hurt injury",
    "missing": "missing miss unaccounted",
    "rescue": "rescue save extricate pull",
    "evacuation": "evacuate evacuation flee displace",
    "arrest": "arrest detain detention custody",
    "destruction": "destroy collapse topple flatten raze burst breach",
    "rise": "rise up gain climb jump soar surge increase grow",
    "fall": "fall down drop decline slide plunge decrease sink tumble",
    "cost": "cost spend price pay worth value",
    "enrolment": "enrol enroll enrolled participant volunteer recruit",
    "nation": "country nation nationality",
    "height": "high tall height",
    "quake": "quake earthquake tremor temblor",
    "distance": "away distance far",
    "people": "people person other individual resident civilian supporter protester",
    "gathering": "gather assemble wait flock crowd rally greet welcome meet",
    "direction": "north south east west northeast northwest southeast southwest",
    "advance": "march advance reach approach",
    "firefighter": "firefighter fireman",
    "win": "win beat defeat overcome clinch",
    "start": "start begin break erupt outbreak ignite",
}
CONCEPTS: dict[str, str] = {w: c for c, ws in _CONCEPT_WORDS.items() for w in ws.split()}

# Frame words that say nothing about what is counted ("said", "reported", "according to").
GENERIC = _wordset(
    "say tell report be have accord include make take give get state add show put come go "
    "announce confirm claim reach see leave bring keep"
)
# Predicates of counts of people: a bare number ("more than 2,000 injured") counts people.
PERSON_EVENTS = frozenset(
    {"death", "injury", "missing", "rescue", "evacuation", "arrest", "enrolment", "gathering"}
)
EVENTS = frozenset(
    {*PERSON_EVENTS, "destruction", "rise", "fall", "cost", "win", "start", "evacuation"}
)
# Readings that two places do not add up: "a 7.8 quake rocked Chile and Peru" gives the one
# quake's magnitude, the same as "the 7.8 quake in Chile" (unlike a toll over both places).
_NOT_SUMMED = frozenset(
    {"magnitude", "percent", "percentage_point", "time_of_day", "score", "celsius", "degree"}
)
_MONEYISH = frozenset({"USD", "EUR", "GBP", "JPY", "CNY", "INR", "RUB", "CHF", "percent"})
_SCORE = "score"


@dataclass(frozen=True)
class Quantity:
    """One number claim: which article and sentence, the fact, and what it is a number of."""

    article: int
    sentence: int
    fact: Fact
    unit: str | None  # unit class: "people", "m", "USD", "building", ... (None: a bare count)
    concepts: frozenset[str]  # predicate concepts of the frame (the unit's own word left out)
    places: frozenset[str]
    joint: bool  # the sentence sums places up ("in Chile and Peru"): a total, not one place
    actors: frozenset[str]
    another: bool = False  # "followed by another tremor of 7.7": a second event, not the first
    # given with its conversion ("200 km (124 miles)"): where the pair starts, one key for both
    conversion: int | None = None
    unreal: bool = False  # a threshold or a hypothesis ("will continue until 164 cases")
    apart: bool = False  # a distance between two points ("within 200 km of"), not one covered


# A value said of a second event ("followed by another tremor with a magnitude of 7.7", "a
# second quake of 7.5") is not a value of the first one that other outlets report.
_ANOTHER = re.compile(
    r"\b(?:another|a second|the second|a separate|a further|an additional)\b"
    r"(?P<between>[^,.;:()]{0,40})$",
    re.IGNORECASE,
)
_BOUND_WORDS = _wordset("at least more than about some nearly almost over up to around")


def _of_another(before: str) -> bool:
    """A second event named before the value ("another tremor with a magnitude of"), not
    "at least another 1,353 injured" (a further count of the same event)."""
    m = _ANOTHER.search(before)
    return m is not None and any(
        w not in _BOUND_WORDS for w in re.findall(r"[a-z]+", m.group("between").lower())
    )


# "updated from 7.4 to 7.7": the first value is the one it replaced, not a claim of its own.
_REPLACED = re.compile(r"^\s+to\s+(?:about\s+|around\s+)?[\d$€£]", re.IGNORECASE)
_FROM = re.compile(r"\bfrom\s+(?:about\s+|around\s+)?$", re.IGNORECASE)


def _fold(name: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", name.lower().replace(".", "")).strip()


_CAPITALISED = re.compile(r"(?<=[a-z,;:] )[A-Z][A-Za-z]+")
_CALENDAR = _wordset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december"
)


def _proper_words(text: str) -> frozenset[str]:
    """Capitalised words inside a sentence ("Shares of Quillmark rose"): names the small NER
    model may miss, so two companies' share moves are not read as one."""
    return frozenset(w.lower() for w in _CAPITALISED.findall(text)) - _CALENDAR


_AND = re.compile(r"^\W*(?:and|&|as well as|and neighbou?ring|and neighboring)\W*$", re.I)


def _joined(text: str, places: Sequence[Fact]) -> bool:
    """Two places coordinated ("Chile and neighbouring Peru"), not one inside the other
    ("Baltimore, Maryland")."""
    ordered = sorted(places, key=lambda f: f.start)
    return any(
        _AND.match(text[a.end : b.start]) and _fold(str(a.value)) != _fold(str(b.value))
        for a, b in pairwise(ordered)
    )


def _unit_class(f: Fact) -> str | None:
    if f.unit is None:
        return None
    u = singular(f.unit) if f.unit.islower() else f.unit
    return CONCEPTS.get(u, u)


# Spans of time written in minutes or hours, compared in seconds ("90 seconds" vs "less than
# a minute"); days and longer stay apart (they read as calendar spans).
_IN_SECONDS = {"minute": 60.0, "hour": 3600.0}


def _in_seconds(f: Fact) -> Fact:
    k = _IN_SECONDS.get(f.unit or "")
    if k is None:
        return f
    return replace(f, value=float(f.value) * k, unit="second", precision=(f.precision or 1.0) * k)


def quantities(article: int, facts: Sequence[SentenceFacts]) -> list[Quantity]:
    """The number claims of one article's sentences."""
    out: list[Quantity] = []
    for sf in facts:
        # a place with a digit in it is a tagger's misreading ("magnitude-7.8"), not a place
        place_facts = [
            f for f in sf.facts if f.kind == "place" and not re.search(r"\d", str(f.value))
        ]
        joint = _joined(sf.sentence.text, place_facts)
        actors = frozenset(_fold(str(f.value)) for f in sf.facts if f.kind in ("org", "person"))
        actors |= _proper_words(sf.sentence.text)
        text = sf.sentence.text
        for f in sf.facts:
            if f.kind != "number" or f.unit in ("ordinal", "name", "year_old"):
                continue
            if _FROM.search(text[: f.start]) and _REPLACED.match(text[f.end :]):
                continue
            written_unit = f.unit or ""  # "minute": the unit as written is no frame word
            f = _in_seconds(f)
            unit = _unit_class(f)
            written = re.findall(r"[a-z]+", f.text.lower())
            if f.unit is None:  # "Thousands": the order of magnitude is the value, not a frame
                written += [singular(w) for w in written]
            own = {written_unit, f.unit or "", unit or "", f.text.lower(), *written}
            concepts = frozenset(
                CONCEPTS.get(w, w) for w in f.frame if w not in GENERIC and w not in own
            ) - {unit}
            another = _of_another(text[: f.start])
            conversion = min(
                (
                    min(f.start, g.start)
                    for g in sf.facts
                    if g.kind == "number"
                    and g.start != f.start
                    and _same_base(f, g)
                    and _conversion(text, f, g)
                ),
                default=None,
            )
            places = frozenset(
                _fold(str(p.value)) for p in place_facts if not _other_clause(text, f, p)
            )
            out.append(
                Quantity(
                    article,
                    sf.sentence.index,
                    f,
                    unit,
                    concepts,
                    places,
                    joint,
                    actors,
                    another,
                    conversion,
                    unreal=_unreal(text[: f.start]),
                    apart=f.unit == "m" and _apart(text, f),
                )
            )
    return out


# How many sentences back a figure with no place of its own takes its place from: the place a
# story has just named is still the place it tells of ("An earthquake struck Turkey, killing over
# 900. ... It had killed 912 people"), until another is named; further back it may be furniture.
PLACE_CARRY = 2


def _toll(q: Quantity) -> bool:
    """A count of people under a person event (killed, injured, rescued): the figures a story
    breaks down place by place. A magnitude, a time or "33 countries" is not split that way."""
    return q.unit in (None, "people", *PERSON_EVENTS) and bool(q.concepts & PERSON_EVENTS)


def carry_places(qs: Sequence[Quantity], facts: Sequence[SentenceFacts]) -> list[Quantity]:
    """Tolls (:func:`_toll`) with no place of their own take the places of the nearest sentence
    before them (at most :data:`PLACE_CARRY` back) that names any: a story names where it is and
    then goes on about it ("the country's central region"), so "had killed 912 people" two lines
    after "struck Turkey" is a Turkish toll, not a claim that a Syrian toll can be held against.
    A headline ("At least 912 killed in quake") names no place: its lede, the next sentence,
    does."""
    named: dict[int, tuple[frozenset[str], bool]] = {}
    for sf in facts:
        ps = frozenset(_fold(str(f.value)) for f in sf.facts if f.kind == "place")
        if ps:
            places = [f for f in sf.facts if f.kind == "place"]
            named[sf.sentence.index] = (ps, _joined(sf.sentence.text, places))
    first = min((sf.sentence.index for sf in facts), default=0)
    out: list[Quantity] = []
    for q in qs:
        if _toll(q) and not q.places and q.sentence not in named:
            before = [i for i in named if q.sentence - PLACE_CARRY <= i < q.sentence]
            if before:
                ps, joint = named[max(before)]
                q = replace(q, places=ps, joint=joint)
            elif q.sentence == first and first + 1 in named:  # a headline, told by its lede
                ps, joint = named[first + 1]
                q = replace(q, places=ps, joint=joint)
        out.append(q)
    return out


# "200 km (124 miles)", "125 miles, or 200 km": one figure and its conversion to other units
_CONVERSION = re.compile(r"\s*(?:\(|,?\s+or\s+)\s*(?:about\s+|around\s+|some\s+|roughly\s+)?")


def _same_base(f: Fact, g: Fact) -> bool:
    """Two figures in one base unit (minutes and hours are compared in seconds)."""
    return _in_seconds(f).unit == _in_seconds(g).unit


def _conversion(text: str, f: Fact, g: Fact) -> bool:
    """``f`` and ``g`` are one figure written in two units: a conversion pins the first one's
    precision ("200 km (124 miles)" is no round "200 km", good for anything from 150 to 250)."""
    first, second = (f, g) if f.start < g.start else (g, f)
    return _CONVERSION.fullmatch(text[first.end : second.start]) is not None


# A clause about a threshold or what would have been: the figure is a stopping point or a
# hypothesis ("the trial will continue until 164 cases", "would have stopped him buying more
# than 14.9%"), not a report of what was, so it is no claim to hold a reported figure against.
# (A plain future, "will cut 10,000 jobs", is news of its own and stays comparable.)
_MODAL = re.compile(
    r"\buntil\b|\b(?:would|could|might)(?:n't)?(?:\s+have\b|['’]ve\b)|\w['’]d\s+have\b"
)
_CLAUSE_BREAK = re.compile(r"[,;:()\"“”]")


def _unreal(before: str) -> bool:
    """The value's clause (from the last comma or colon before it) speaks of a threshold or of
    what would have been."""
    clause = _CLAUSE_BREAK.split(before)[-1]
    return _MODAL.search(clause.lower()) is not None


# "within 200 km of Moscow", "200km (120 miles) from the capital", "40 km northeast of",
# "six miles off the coast", "200 kilometres away": how far apart two points are
_WITHIN = re.compile(r"\bwithin\s+(?:about\s+|some\s+|roughly\s+)?$", re.IGNORECASE)
_APART_AFTER = re.compile(
    r"\s*\)?\s*(?:\([^)]*\)\s*)?(?:(?:north|south|east|west)\w*\s+)?(?:away|from|of|off)\b",
    re.IGNORECASE,
)


def _apart(text: str, f: Fact) -> bool:
    """A distance between two points, not a distance covered ("advanced 200 km towards
    Moscow"): a fact-checker holds "within 150 miles of Moscow" against "within 125 miles",
    never against how far the column drove."""
    return bool(_WITHIN.search(text[: f.start]) or _APART_AFTER.match(text[f.end :]))


def covered(q: Quantity) -> bool:
    """A distance something went ("advanced 200 km towards Moscow")."""
    return q.unit == "m" and not q.apart and "advance" in q.concepts


# A place set off from the value by a clause of its own ("2,818 buildings collapsed ..., the
# worst since 1939, when a quake struck Erzincan") is where something else happened.
_SUBCLAUSE = re.compile(
    r",\s*(?:when|where|which|who|whose|describing|saying|adding|calling|since|after)\b"
    r"|\bsince\s+(?:1[89]|20)\d\d\b",
    re.IGNORECASE,
)


def _other_clause(text: str, value: Fact, place: Fact) -> bool:
    """A place after the value, past a new clause (one before it may be what that clause is
    about: "the Erzincan quake of 1939, which killed 32,000")."""
    return place.start >= value.end and bool(_SUBCLAUSE.search(text[value.end : place.start]))


TRUNCATED_UNIT = 6  # letters a cut-off counted noun keeps of its unit ("500 firefight")


def _names(word: str, unit: str) -> bool:
    """``word`` names ``unit``, or is it cut off where a stored page ends ("firefight")."""
    return word == unit or (
        len(word) >= TRUNCATED_UNIT and word.islower() and unit.startswith(word)
    )


def _unit_of(x: Quantity, other: Quantity) -> str | None:
    """A bare number takes the other side's unit when its own frame names it ("a magnitude of
    7.7" vs "7.8 magnitude"); people counted under the concept that the other side's counted
    noun names ("44,000 people enrolled" vs "38,955 participants") count that noun; a counted
    noun cut off where a stored page ends ("500 firefight") is the word it begins."""
    if other.unit is None:
        return x.unit
    if x.unit is None and any(_names(CONCEPTS.get(w, w), other.unit) for w in x.fact.frame):
        return other.unit
    if other.unit in {singular(w) for w in re.findall(r"[a-z]+", x.fact.text.lower())}:
        return other.unit  # "7.7 magnitude quake" (counts the quake) is a magnitude too
    if x.unit == "people" and other.unit in PERSON_EVENTS and other.unit in x.concepts:
        return other.unit
    if x.unit is not None and (_names(x.unit, other.unit) or demonym_of(x.unit, other.unit)):
        return other.unit
    return x.unit


_DEMONYM_ENDINGS = ("", "n", "an", "ian", "vian", "ese", "i", "ish")
MIN_COUNTRY_STEM = 4  # letters of a country name's stem a demonym must start with


def demonym_of(country: str, unit: str) -> bool:
    """Whether ``unit`` ("kenyan", "ethiopian", "canadian", "chinese") names the people of
    ``country`` ("kenya"; from "Kenya with 32"): the usual English endings on the country's
    stem (its last vowel or y dropped). Irregular ones ("France" / "French") do not match."""
    if " " in country or not country.isalpha() or not unit.isalpha():
        return False
    stem = country[:-1] if country[-1] in "aeiouy" else country
    return len(stem) >= MIN_COUNTRY_STEM and any(
        unit == base + end for base in (country, stem) for end in _DEMONYM_ENDINGS
    )


def _words(names: frozenset[str]) -> set[str]:
    return {w for n in names for w in n.split()}


def same_claim(x: Quantity, y: Quantity, *, equal: bool = False) -> bool:
    """Whether two quantities from different outlets state one claim (values aside).

    ``equal``: the two values are one figure (an anchor), so differing predicates do not part
    them. They count the same kind of thing (one unit class; a bare count of people matches a count
    of people under a person event such as "injured") under a shared predicate concept (a specific
    counted noun, "35 countries" / "33 nationalities", needs none),
    in no two different places, and money or percentages about no two different actors.
    """
    if x.another != y.another:
        return False  # one outlet's second event is not the other's first
    shared = x.concepts & y.concepts
    ux, uy = _unit_of(x, y), _unit_of(y, x)
    if ux == "time_of_day" and len(shared) < 2:
        return False  # a time needs its event and what it happened to: "the fire started"
    if ux != uy:
        if not ({ux, uy} <= {None, "people"} and shared & PERSON_EVENTS):
            return False
    elif ux is None and not shared & PERSON_EVENTS:
        return False  # two bare numbers: too little to say they count one thing
    if not shared:
        # only a specific counted noun ("33 nationalities") stands on its own, and not under
        # two different events ("six workers missing" vs "two workers rescued")
        if ux is None or ux in ("people", _SCORE, "time_of_day") or ux in STANDARD_UNITS:
            return False
        # ...and not under two different predicates when one is an event ("scored three
        # goals" vs "won the award with eight goals"); one value written alike by both
        # (``equal``, an anchor) needs no shared predicate
        if not equal and (
            (x.concepts & EVENTS and y.concepts) or (y.concepts & EVENTS and x.concepts)
        ):
            return False
    if x.unreal != y.unreal and not equal:
        return False  # a planned or hypothetical figure is no report of what was
    if (covered(x) and y.apart) or (covered(y) and x.apart):
        return False  # how far apart two points are vs how far something went
    if x.places and y.places and not x.places & y.places:
        return False  # "killed in Chile" vs "killed in Peru": two claims
    if x.places and y.places and x.joint != y.joint and not {ux, uy} & _NOT_SUMMED:
        return False  # "in Chile and Peru" is a total of what "in Chile" counts part of
    moneyish = ux in _MONEYISH or ux == _SCORE
    return not (moneyish and x.actors and y.actors and not _words(x.actors) & _words(y.actors))


def affinity(x: Quantity, y: Quantity, la: Sequence[str], lb: Sequence[str]) -> float:
    """How close two same-claim quantities are, to pick each one's best partner: shared frame
    concepts first, then the two sentences' shared content words."""
    sa, sb = set(la), set(lb)
    jac = len(sa & sb) / len(sa | sb) if sa and sb else 0.0
    return len(x.concepts & y.concepts) + jac
