"""Property: cleaning never removes a body paragraph a news article could hold, while page
furniture around and inside the article still goes.

Articles are generated from invented parts: a headline, lead paragraphs, then mid-article
paragraphs that open like a dateline without being one (acronyms, hyphenated all-caps names such
as "ABC-TV reported", all-caps names, an acronym followed by a dash, a dateline quoted in running
text), share buttons and stamps between paragraphs, and the furniture that ends a page (related
links with teaser titles, comment forms, donation appeals) after the last paragraph.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.ingest import from_text

NAMES = ["Ana Lopes", "Tomas Reyes", "Marta Quill", "Ines Carvalho", "Lars Eide", "Petra Lind"]
PLACES = ["Port Lenna", "Valdora", "Kessling", "Norland", "Sorrel Bay", "Cape Lenna"]
VERBS = ["said", "reported", "announced", "confirmed", "denied", "told reporters"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
THINGS = [
    "the ferry terminal would cost {n} million euros",
    "{n} people had been moved from the old quay",
    "the tidal barrier would be finished within {n} years",
    "fares would rise by {n} percent next spring",
    "{n} workers had been hired for the harbour works",
]
NOT_PROSE_WORDS = {"FILE", "PHOTO", "VIDEO", "READ", "MORE", "END", "ENDS", "UPDATE", "WATCH"}

acronym = st.from_regex(r"[A-Z]{2,5}", fullmatch=True).filter(lambda w: w not in NOT_PROSE_WORDS)
name, place, verb, day = (st.sampled_from(x) for x in (NAMES, PLACES, VERBS, DAYS))


@st.composite
def clause(draw: st.DrawFn, n: int) -> str:
    return draw(st.sampled_from(THINGS)).format(n=n)


@st.composite
def plain(draw: st.DrawFn, n: int) -> str:
    return (
        f"{draw(name)} of {draw(place)} {draw(verb)} on {draw(day)} that {draw(clause(n))}, "
        f"and that the harbour board would meet again before the summer."
    )


@st.composite
def tricky(draw: st.DrawFn, n: int) -> str:
    """A mid-article paragraph whose first words look like a dateline or a label."""
    a, b = draw(acronym), draw(acronym)
    kind = draw(st.integers(0, 5))
    rest = f"{draw(verb)} on {draw(day)} that {draw(clause(n))}."
    if kind == 0:
        return f"{a} {rest}"  # "NATO said on Monday that ..."
    if kind == 1:
        return f"{a}-{b} {rest}"  # "ABC-TV reported on Monday that ..."
    if kind == 2:
        first, last = draw(name).upper().split()
        return f"{first} {last} {rest}"  # an all-caps name
    if kind == 3:
        dash = draw(st.sampled_from(["—", "–", "-"]))
        return f"{a} {dash} the agency in {draw(place)} {dash} {rest}"
    if kind == 4:
        return f"{a}{b} — {draw(name)} {rest}"  # an acronym and a dash before a name
    agency = draw(st.sampled_from(["Reuters", "AP", "AFP"]))
    return (
        f'A report datelined "{draw(place).upper()} ({agency}) —" {rest[:-1]}, '
        f"according to {draw(name)}."
    )  # a dateline quoted in running text


INLINE_FURNITURE = st.sampled_from(
    [
        "Share on Facebook",
        "Tweet",
        "Share this article",
        "Follow us on Twitter",
        "Advertisement",
        "Updated at 9:15 a.m.",
        "Photo: Harbour Daily / Marta Quill",
    ]
)
END_FURNITURE = [
    ["Related links", "Ferry operators add sailings", "Coast guard cuts patrols"],
    ["Leave a comment", "You must be logged in to post a comment."],
    [
        "We need your help. Please consider supporting our journalism with a one-off "
        "contribution or by becoming a regular supporter."
    ],
]


@st.composite
def page(draw: st.DrawFn) -> tuple[str, list[str], list[str]]:
    """(page text, expected kept paragraphs, furniture that must be removed)."""
    counter = iter(range(11, 10_000, 7))  # numbers keep every paragraph unique
    headline = None
    if draw(st.booleans()):
        headline = f"{draw(place)} harbour board backs plan for {next(counter)} new ferry berths"
    lead = [draw(plain(next(counter))) for _ in range(3)]
    middle: list[tuple[str, bool]] = []  # (paragraph, is body)
    for _ in range(draw(st.integers(1, 6))):
        middle.append((draw(tricky(next(counter))), True))
        if draw(st.booleans()):
            middle.append((draw(plain(next(counter))), True))
        if draw(st.booleans()):
            middle.append((draw(INLINE_FURNITURE), False))
    tail = [draw(plain(next(counter))) for _ in range(draw(st.integers(0, 2)))]
    ends = draw(st.permutations(END_FURNITURE))[: draw(st.integers(0, 3))]
    end_lines = [line for block in ends for line in block]
    body = [*lead, *(p for p, is_body in middle if is_body), *tail]
    furniture = [p for p, is_body in middle if not is_body] + end_lines
    parts = ([headline] if headline else []) + lead + [p for p, _ in middle] + tail + end_lines
    return "\n\n".join(parts), ([headline] if headline else []) + body, furniture


@settings(max_examples=100, deadline=None)
@given(page())
def test_cleaning_keeps_every_body_paragraph_and_drops_the_furniture(
    case: tuple[str, list[str], list[str]],
) -> None:
    text, expected, furniture = case
    article = from_text(text, source="property")
    assert article.text.split("\n\n") == expected
    for line in furniture:
        assert line in article.removed, line
    assert len(article.removal_reasons) == len(article.removed)
