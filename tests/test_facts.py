"""Numbers, dates, weekdays, entities and cues per sentence (invented news text)."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path
from typing import Any

import pytest

from factcheck import nlp as nlp_module
from factcheck.facts import (
    HEDGE_CUES,
    NEGATION_CUES,
    analyse,
    analyse_many,
    extract_facts,
    parse_dates,
    parse_numbers,
)
from factcheck.types import Article, Fact, SentenceFacts

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
WED = dt.date(2021, 2, 17)  # a Wednesday


def one_number(text: str) -> Fact:
    facts = parse_numbers(text)
    assert len(facts) == 1, (text, facts)
    assert text[facts[0].start : facts[0].end] == facts[0].text
    return facts[0]


# ----------------------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    "text",
    ["It cost $80 million.", "It cost 80 million dollars.", "It cost $80m.", "It cost US$80mn."],
)
def test_money_forms_normalise_to_the_same_amount(text: str) -> None:
    f = one_number(text)
    assert (f.value, f.unit, f.precision) == (80e6, "USD", 1e6)


@pytest.mark.parametrize(
    ("text", "value", "unit", "precision"),
    [
        ("Revenue reached €3.5bn.", 3.5e9, "EUR", 1e8),
        ("The fine was £2 billion.", 2e9, "GBP", 1e9),
        ("It sold for ¥500.", 500.0, "JPY", 1.0),
        ("A ticket costs 300 rubles.", 300.0, "RUB", 1.0),
        ("Profit was $80.5 million.", 80.5e6, "USD", 1e5),
        ("Up to 5,000 people attended.", 5000.0, "people", 1.0),
        ("The 49-year-old founder spoke.", 49.0, "year_old", 1.0),
        ("The founder, 49 years old, spoke.", 49.0, "year_old", 1.0),
        ("Inflation hit 4.5%.", 4.5, "percent", 0.1),
        ("Inflation hit 4.5 percent.", 4.5, "percent", 0.1),
        ("Inflation hit 4.5 per cent.", 4.5, "percent", 0.1),
        ("SpaceX sent four astronauts to orbit.", 4.0, "astronaut", 1.0),
        ("She bought a dozen eggs.", 12.0, "egg", 1.0),
        ("Half a million people marched.", 5e5, "people", 1e5),
        ("The road is 10 km long.", 10_000.0, "m", 1000.0),
        ("The road is 5 miles long.", 5 * 1609.344, "m", 1609.344),
        ("The load weighs 20 kg.", 20.0, "kg", 1.0),
        ("The load weighs 2 tonnes.", 2000.0, "kg", 1000.0),
        ("It reached 40 degrees Celsius.", 40.0, "celsius", 1.0),
        ("Only 12 doctors remain.", 12.0, "doctor", 1.0),
    ],
)
def test_number_forms(text: str, value: float, unit: str, precision: float) -> None:
    f = one_number(text)
    assert f.kind == "number"
    assert f.value == pytest.approx(value)
    assert f.unit == unit
    assert f.precision == pytest.approx(precision)


@pytest.mark.parametrize(
    "cue",
    ["around", "about", "nearly", "almost", "some", "roughly", "more than", "over", "up to",
     "at least", "~"],
)  # fmt: skip
def test_approximation_markers(cue: str) -> None:
    f = one_number(f"The agency hired {cue} 300 workers.")
    assert f.approx and f.value == 300.0 and f.unit == "worker"


def test_exact_numbers_are_not_approximate() -> None:
    assert not one_number("The agency hired 300 workers.").approx


@pytest.mark.parametrize(
    "text",
    [
        "It happened in 2011.",  # a year is a date
        "Since 1998 the plant has grown.",
        "The launch is at 9:30 a.m. on the coast.",  # time of day
        "Polls close at 11 p.m. sharp.",
        "It was the fourth crew rotation.",  # ordinals
        "He finished 21st in the race.",
        "The 20th-century pioneers were honoured.",
        "The Crew-4 mission flies soon.",  # names and codes
        "It flew on a Falcon 9 rocket.",
        "COVID-19 spread fast.",
        "The G7 met.",
        "Resolution No. 5 passed.",
        "The deal was signed on Feb 15, 2021.",  # day numbers inside dates
        "He was one of the greatest.",  # "one of" is not a count
    ],
)
def test_things_that_are_not_numbers(text: str) -> None:
    assert parse_numbers(text) == []


# ----------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("It was signed on Feb 15, 2021 in Paris.", "2021-02-15"),
        ("It was signed on Feb. 15, 2021 in Paris.", "2021-02-15"),
        ("It was signed on February 15, 2021 in Paris.", "2021-02-15"),
        ("It was signed on 15 February 2021 in Paris.", "2021-02-15"),
        ("Posted Wednesday, 17 February 2021 09:43", "2021-02-17"),
        ("It was signed on 2021-02-15.", "2021-02-15"),
        ("It was signed in February 2021.", "2021-02"),
        ("It was signed in 2021.", "2021"),
    ],
)
def test_absolute_dates(text: str, value: str) -> None:
    facts = parse_dates(text, None)
    assert [(f.kind, f.value) for f in facts] == [("date", value)]
    assert text[facts[0].start : facts[0].end] == facts[0].text


def test_year_less_dates_use_the_article_date() -> None:
    (feb,) = parse_dates("He wrote to them in February.", WED)
    assert feb.value == "2021-02"
    (nov,) = parse_dates("They flew in November.", WED)
    assert nov.value == "2020-11"  # a past month after the article's month is last year's
    (future,) = parse_dates("They will fly in November.", WED)
    assert future.value == "2021-11"
    (day,) = parse_dates("They met on Feb 15.", WED)
    assert (day.value, day.resolved) == ("2021-02-15", dt.date(2021, 2, 15))
    # without an article date the value stays partial
    assert [f.value for f in parse_dates("They met on Feb 15 in February.", None)] == [
        "--02-15",
        "--02",
    ]


def test_relative_dates() -> None:
    (last,) = parse_dates("Last year, a tweet went viral.", WED)
    assert last.value == "2020"
    (yday,) = parse_dates("The minister resigned yesterday.", WED)
    assert (yday.value, yday.resolved) == ("2021-02-16", dt.date(2021, 2, 16))
    (unresolved,) = parse_dates("Last year, a tweet went viral.", None)
    assert unresolved.value == "last year" and unresolved.resolved is None


@pytest.mark.parametrize(
    ("text", "resolved"),
    [
        ("Peskov spoke on Monday.", dt.date(2021, 2, 15)),
        ("The vote was on Wednesday.", dt.date(2021, 2, 17)),  # the article's own day
        ("The vote was on Thursday.", dt.date(2021, 2, 11)),  # last week's
        ("The vote is next Monday.", dt.date(2021, 2, 22)),
    ],
)
def test_weekdays_resolve_against_the_article_date(text: str, resolved: dt.date) -> None:
    (f,) = parse_dates(text, WED)
    assert f.kind == "weekday"
    assert f.value == f.text.split()[-1].lower()
    assert f.resolved == resolved
    (bare,) = parse_dates(text, None)
    assert bare.resolved is None


def test_may_the_verb_is_not_a_month() -> None:
    assert parse_dates("It may rain. May prices rose.", WED) == []
    assert [f.value for f in parse_dates("It opens in May.", None)] == ["--05"]


# ----------------------------------------------------------------------------- with spaCy

STORY = """Transport minister Olga Varga said on Monday the bridge would cost around $80 million.

"The city does not directly use the ferry," Varga told reporters. "We have not yet decided."

The ferry does not use the new port. A format is yet to be determined, officials said.

Varga's plan was backed by the European Union, which will pay almost 5,000 euros per household.

NASA assigned two crew members to the Crew-4 mission. They would probably never fly."""


@pytest.fixture(scope="module")
def story_facts() -> tuple[SentenceFacts, ...]:
    return analyse(Article(id="s", source="invented", text=STORY, published=WED))


def _facts_of(all_facts: tuple[SentenceFacts, ...], words: str) -> SentenceFacts:
    hits = [f for f in all_facts if words in f.sentence.text]
    assert len(hits) == 1, words
    return hits[0]


def test_offsets_are_into_the_sentence(story_facts: tuple[SentenceFacts, ...]) -> None:
    for sf in story_facts:
        for item in sf.facts:
            assert sf.sentence.text[item.start : item.end] == item.text
        for cue in sf.cues:
            assert sf.sentence.text[cue.start : cue.end] == cue.text


def test_sentence_numbers_dates_and_people(story_facts: tuple[SentenceFacts, ...]) -> None:
    sf = _facts_of(story_facts, "would cost around")
    money = [f for f in sf.facts if f.kind == "number"]
    assert [(f.value, f.unit, f.approx) for f in money] == [(80e6, "USD", True)]
    (monday,) = [f for f in sf.facts if f.kind == "weekday"]
    assert monday.resolved == dt.date(2021, 2, 15)
    assert "Olga Varga" in [f.value for f in sf.facts if f.kind == "person"]
    assert sf.sentence.speaker == "Olga Varga"


def test_entities_are_canonical(story_facts: tuple[SentenceFacts, ...]) -> None:
    sf = _facts_of(story_facts, "plan was backed")
    values = {(f.kind, f.value) for f in sf.facts if f.kind in ("person", "org", "place")}
    assert ("person", "Olga Varga") in values  # "Varga's" -> the full name, no possessive
    assert ("org", "European Union") in values  # leading "the" stripped
    (euros,) = [f for f in sf.facts if f.kind == "number"]
    assert (euros.value, euros.unit, euros.approx) == (5000.0, "EUR", True)
    assert not [c for c in sf.cues if c.text == "almost"]  # carried by the number instead


def test_counted_noun_comes_from_the_parse(story_facts: tuple[SentenceFacts, ...]) -> None:
    sf = _facts_of(story_facts, "two crew members")
    assert [(f.value, f.unit) for f in sf.facts if f.kind == "number"] == [(2.0, "member")]


def _cues(sf: SentenceFacts) -> set[tuple[str, str, str | None]]:
    return {(c.kind, c.text, c.head) for c in sf.cues}


def test_cues_with_their_heads(story_facts: tuple[SentenceFacts, ...]) -> None:
    hedged = _facts_of(story_facts, "does not directly use")
    plain = _facts_of(story_facts, "does not use the new port")
    assert _cues(hedged) >= {("negation", "not", "use"), ("hedge", "directly", "use")}
    assert _cues(plain) == {("negation", "not", "use")}
    assert _cues(_facts_of(story_facts, "not yet decided")) >= {
        ("negation", "not", "decide"),
        ("hedge", "yet", "decide"),
    }
    assert ("negation", "yet to", "determine") in _cues(_facts_of(story_facts, "yet to be"))
    never = _cues(_facts_of(story_facts, "never fly"))
    assert {("negation", "never", "fly"), ("hedge", "probably", "fly")} <= never


def test_cue_lists_are_documented_sets() -> None:
    assert {"not", "n't", "never", "without"} <= NEGATION_CUES
    assert {"directly", "personally", "reportedly", "may", "so far"} <= HEDGE_CUES
    assert not NEGATION_CUES & HEDGE_CUES


def test_lemmas_are_lower_case_content_words(story_facts: tuple[SentenceFacts, ...]) -> None:
    sf = _facts_of(story_facts, "does not use the new port")
    assert sf.lemmas == ("ferry", "use", "new", "port")


def test_extract_facts_keeps_given_sentences(story_facts: tuple[SentenceFacts, ...]) -> None:
    article = Article(id="s", source="invented", text=STORY, published=WED)
    sentences = [sf.sentence for sf in story_facts]
    again = extract_facts(article, sentences)
    assert [sf.sentence for sf in again] == sentences
    assert [sf.facts for sf in again] == [sf.facts for sf in story_facts]
    assert extract_facts(article) == story_facts


def test_spacy_runs_once_per_article(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []
    real_parse = nlp_module.parse

    def counting_parse(items: Any, batch_size: int = 16) -> Any:
        items = list(items)
        calls.append(len(items))
        return real_parse(items, batch_size)

    monkeypatch.setattr(nlp_module, "parse", counting_parse)
    articles = [Article(id=str(i), source="s", text=STORY) for i in range(3)]
    results = analyse_many(articles)
    assert calls == [3]  # one batched parse for all three articles
    assert len(results) == 3
    assert [sf.facts for sf in results[0]] == [sf.facts for sf in results[2]]


# ----------------------------------------------------------------------------- seeds


def test_seed_numbers_and_speakers() -> None:
    if not SEEDS.is_dir() or not list(SEEDS.glob("*.txt")):
        pytest.skip(f"seed articles not found at {SEEDS}")
    articles = [
        Article(id=p.stem, source=p.stem, text=p.read_text("utf-8"), published=WED)
        for p in sorted(SEEDS.glob("*.txt"))
    ]
    found_money = found_age = False
    for facts in analyse_many(articles):
        for sf in facts:
            for f in sf.facts:
                if f.text == "$80 million":
                    found_money = True
                    assert (f.value, f.unit, f.approx) == (80e6, "USD", True)
                if f.text == "49-year-old":
                    found_age = True
                    assert (f.value, f.unit) == (49.0, "year_old")
            if "directly use social networks" in sf.sentence.text:
                assert ("hedge", "directly", "use") in _cues(sf)
                assert sf.sentence.speaker and sf.sentence.speaker.endswith("Peskov")
    assert found_money and found_age


def test_denial_is_a_negation_of_what_is_denied() -> None:
    (sf,) = analyse(Article(id="d", source="s", text="The minister denied the claims."))
    assert ("negation", "denied", "claim") in _cues(sf)


def test_offsets_hold_on_ragged_text() -> None:
    rng = random.Random(11)
    pieces = [
        *".,;:!?\"'()\n-\u201c\u201d",
        " said",
        " he ",
        " Peskov",
        " Feb 15",
        " $80 million",
        " not",
        " directly",
        " Monday",
        " 2011",
        "\n\n",
        " four astronauts",
        "row.The",
        " Mr.",
    ]
    articles = [
        Article(
            id=str(i),
            source="s",
            text="".join(rng.choice(pieces) for _ in range(rng.randint(0, 60))),
            published=WED,
        )
        for i in range(60)
    ]
    for article, facts in zip(articles, analyse_many(articles), strict=True):
        for sf in facts:
            s = sf.sentence
            assert article.text[s.start : s.end] == s.text
            assert all(s.text[f.start : f.end] == f.text for f in sf.facts)
            assert all(s.text[c.start : c.end] == c.text for c in sf.cues)
