"""Ingest: files/bytes/records -> cleaned Articles, boilerplate removed, clear errors."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from factcheck.errors import (
    DecodeError,
    EmptyArticleError,
    FormatError,
    InputError,
    MissingSourceError,
    SourceNotFoundError,
)
from factcheck.ingest import (
    SUPPORTED_SUFFIXES,
    article_id,
    clean_paragraphs,
    from_html,
    from_record,
    from_text,
    load_bytes,
    load_paths,
    parse_date,
    source_from,
)

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"

BODY_1 = "The harbour board in Port Lenna approved a new ferry terminal on Tuesday, its chair said."
BODY_2 = "Construction will start in May and cost about 45 million euros, according to the plans."
QUOTE = '"We will look at the numbers again, and then we will decide."'
TEASER = (
    "Engineers in Kessling started trials of a floating breakwater made of recycled plastic "
    "modules on Monday, the port said."
)


def paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


# --------------------------------------------------------------------------- plain-text pages


def test_page_dump_keeps_the_article_and_drops_the_page_around_it() -> None:
    (article,) = load_paths([FIXTURES / "page_dump.txt"])
    paras = paragraphs(article.text)
    assert paras[0] == "Valdora approves tidal barrier after storm season"  # the headline
    assert paras[1].startswith("The Valdora city council voted on Tuesday")
    assert article.text.count("voted on Tuesday to build") == 1  # truncated teaser lead gone
    assert paras[-1].startswith("Storms flooded more than 1,800 homes")
    assert QUOTE in article.text  # a 1-sentence quote paragraph is prose
    assert "declined to comment on the timeline" in article.text
    for junk in (
        "Harbour Careers", "Home", "Written by", "Write a comment", "(AFP)", "Photo:",
        "FILE PHOTO", "ts-abc", "VALDORA COUNCIL", "Related Links", "Tweet", "We need your help",
        "paywall", "Billed Monthly", "Kessling", "read more", "Read more", "login",
        "Be the first", "follow us",
    ):  # fmt: skip
        assert junk not in article.text, junk
    assert "Related Links" in article.removed and "Tweet" in article.removed
    assert article.published == dt.date(2022, 3, 8)  # wire dateline beats the page timestamp
    assert article.title == "Valdora approves tidal barrier after storm season"
    assert article.source == "page_dump"
    assert article.origin == str(FIXTURES / "page_dump.txt")


@pytest.mark.parametrize(
    "marker",
    [
        "Related Links",
        "Kessling (SPX) Mar 7, 2022",
        "Write a comment",
        "We need your help. Please consider becoming a supporter of our newsroom.",
        "Read more",
        "Copyright 2022 Harbour Daily. All rights reserved.",
        "bur-jm/dw",
        "You must login to post a comment.",
        "Loading comment... The comment will be refreshed after 00:00.",
    ],
)
def test_strong_end_marker_after_body_drops_everything_after_it(marker: str) -> None:
    kept, removed = clean_paragraphs(f"{BODY_1}\n\n{QUOTE}\n\n{BODY_2}\n\n{marker}\n\n{TEASER}")
    assert kept == [BODY_1, QUOTE, BODY_2]
    assert removed == [marker, TEASER]


def test_dateline_after_a_single_short_paragraph_is_the_story_own() -> None:
    # an unrecognised caption above the dateline must not make the real story look like a teaser
    caption = "Ferries wait at the old quay in Port Lenna, seen from the lighthouse at dawn."
    article = from_text(f"{caption}\n\nPORT LENNA, March 8, 2022 (AP) -\n{BODY_1}", source="ap")
    assert paragraphs(article.text) == [caption, BODY_1]
    assert article.published == dt.date(2022, 3, 8)


def test_inline_teaser_link_does_not_end_the_article() -> None:
    text = f"{BODY_1}\n\nMore from Harbour Daily: Ferry fares frozen\n\n{QUOTE}\n\n{BODY_2}"
    assert clean_paragraphs(text) == (
        [BODY_1, QUOTE, BODY_2],
        ["More from Harbour Daily: Ferry fares frozen"],
    )


def test_markers_before_the_body_do_not_end_the_article() -> None:
    kept, removed = clean_paragraphs(f"Write a comment\n\nRelated Links\n\n{BODY_1}\n\n{BODY_2}")
    assert kept == [BODY_1, BODY_2]
    assert removed == ["Write a comment", "Related Links"]


@pytest.mark.parametrize(
    "line",
    [
        "• Home",
        "Home | News | Sport | Weather",
        "Putin to meet Musk of the harbour?",
        "HARBOUR NEWS",
        "(L) The Sorrel estuary at high tide. Getty Images / Tomas Reyes",
        "FILE PHOTO: A ferry leaves Port Lenna harbour.",
        "Photo: Reuters",
        "The old terminal in 1998. Sputnik / Ivan Petrov",
        "By Anna Kovacs",
        "Published time: 19 Mar, 2022 10:22",
        "Tweet",
        "Hit the buttons below to follow us...",
        "Subscribe to our newsletter",
        "READ MORE: Ferry operators add sailings",
        "Advertisement",
    ],
)
def test_boilerplate_line_inside_the_article_is_removed(line: str) -> None:
    kept, removed = clean_paragraphs(f"{BODY_1}\n\n{line}\n\n{BODY_2}")
    assert kept == [BODY_1, BODY_2]
    assert removed == [re.sub(r"^• ", "", line)]


@pytest.mark.parametrize(
    "prose",
    [
        QUOTE,
        "The operator declined to comment.",
        "By Monday, the ministry had received 3,000 complaints.",
        "More than 200 people attended the meeting.",
        "Copyright holders sued the platform over the clips.",
        "The newsletter went to 4,000 members last week.",
        '"Why?"',
        "Why did the board wait so long?",
        "Trust me.",
        "Facebook said advertising revenue rose 20 percent, helped by new supporters.",
    ],
)
def test_real_prose_is_kept(prose: str) -> None:
    kept, removed = clean_paragraphs(f"{BODY_1}\n\n{prose}\n\n{BODY_2}")
    assert kept == [BODY_1, prose, BODY_2]
    assert removed == []


def test_truncated_teaser_lead_is_removed_and_full_paragraphs_stay() -> None:
    lead = f"{BODY_1} {BODY_2}"[:133]  # both paragraphs run together, cut mid-word
    kept, removed = clean_paragraphs(f"{lead}\n\n{BODY_1}\n\n{BODY_2}")
    assert kept == [BODY_1, BODY_2]
    assert removed == [lead]
    kept, removed = clean_paragraphs(f"{BODY_1}\n\n{BODY_2}\n\n{lead}")  # lead repeated below
    assert kept == [BODY_1, BODY_2]
    assert removed == [lead]
    kept, _ = clean_paragraphs(f"{BODY_1[:60]}...\n\n{BODY_1}\n\n{BODY_2}")
    assert kept == [BODY_1, BODY_2]


def test_exact_duplicate_keeps_the_first_and_short_sentences_inside_others_stay() -> None:
    kept, removed = clean_paragraphs(f"{BODY_1}\n\n{BODY_2}\n\n{BODY_1}")
    assert kept == [BODY_1, BODY_2] and removed == [BODY_1]
    short = "The chair said so."  # < 40 chars: may legitimately recur inside other paragraphs
    kept, _ = clean_paragraphs(f"{short}\n\n{BODY_1} The chair said so. {BODY_2}")
    assert kept[0] == short


def test_whitespace_is_collapsed_and_hard_wrapped_lines_are_joined() -> None:
    wrapped = (
        "The harbour board in Port Lenna approved a new ferry terminal\n"
        "on Tuesday, its chair said. Construction will start in May and\n"
        "cost about 45 million euros, according to the plans.\n"
    )
    kept, _ = clean_paragraphs(wrapped + "\n\nSecond   paragraph,\twith  odd spacing, ends here.")
    assert kept == [
        f"{BODY_1} {BODY_2}",
        "Second paragraph, with odd spacing, ends here.",
    ]


def test_caption_line_directly_above_body_is_split_off() -> None:
    text = f"(R) The ferry terminal site. Getty Images / Ana Lopes\n{BODY_1}\n{BODY_2}"
    kept, removed = clean_paragraphs(text)
    assert kept == [BODY_1, BODY_2]
    assert removed == ["(R) The ferry terminal site. Getty Images / Ana Lopes"]


def test_markdown_headings_links_and_images() -> None:
    text = (
        "# Port Lenna gets a ferry terminal\n\n![The site](https://img.example/site.jpg)\n\n"
        "The [harbour board](https://board.example) approved a new ferry terminal on Tuesday."
    )
    (article,) = load_bytes(text.encode(), name="story.md")
    assert article.text == (
        "Port Lenna gets a ferry terminal\n\n"  # the headline is the first paragraph
        "The harbour board approved a new ferry terminal on Tuesday."
    )
    assert article.title == "Port Lenna gets a ferry terminal"


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2021-02-15", dt.date(2021, 2, 15)),
        ("2021-02-15T09:43:00+03:00", dt.date(2021, 2, 15)),
        ("Feb 15, 2021", dt.date(2021, 2, 15)),
        ("15 February 2021", dt.date(2021, 2, 15)),
        ("Wednesday, 17 February 2021 09:43", dt.date(2021, 2, 17)),
        ("Sept. 3, 2020", dt.date(2020, 9, 3)),
        ("19 Mar, 2021 10:22", dt.date(2021, 3, 19)),
        ("15.02.2021", dt.date(2021, 2, 15)),
        ("04/13/2021", dt.date(2021, 4, 13)),
        ("03/04/2021", None),  # day/month order unknown: no guess
        ("2021-02-30", None),
        ("next Tuesday", None),
        (dt.datetime(2020, 1, 2, 3, 4), dt.date(2020, 1, 2)),
        (dt.date(2020, 1, 2), dt.date(2020, 1, 2)),
        (12345, None),
        (None, None),
    ],
)
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("dateline", "expected"),
    [
        ("Valdora (AFP) Mar 8, 2022", dt.date(2022, 3, 8)),
        ("Cape Lenna FL (SPX) 8 March 2022", dt.date(2022, 3, 8)),
        ("VALDORA, March 8, 2022 (Reuters) -", dt.date(2022, 3, 8)),
    ],
)
def test_wire_dateline_gives_the_date_and_is_stripped(dateline: str, expected: dt.date) -> None:
    text = f"Written by  Thursday, 10 March 2022 14:05\n{dateline}\n{BODY_1}\n\n{BODY_2}"
    article = from_text(text, source="harbour")
    assert article.published == expected
    assert article.text == f"{BODY_1}\n\n{BODY_2}"
    assert dateline in article.removed


def test_inline_dateline_prefix_is_stripped_from_the_first_paragraph() -> None:
    article = from_text(f"PORT LENNA (Reuters) - {BODY_1}\n\n{BODY_2}", source="wire")
    assert article.text == f"{BODY_1}\n\n{BODY_2}"
    assert "PORT LENNA (Reuters) -" in article.removed


def test_page_timestamp_is_used_without_dateline_and_explicit_date_wins() -> None:
    text = f"Posted on 10 March 2022\n{BODY_1}\n\n{BODY_2}"
    assert from_text(text, source="s").published == dt.date(2022, 3, 10)
    assert from_text(text, source="s", published="2022-01-05").published == dt.date(2022, 1, 5)
    with pytest.raises(FormatError, match="published"):
        from_text(text, source="s", published="sometime soon")


# --------------------------------------------------------------------------- HTML


def test_html_page_main_text_metadata_and_cleaning() -> None:
    (article,) = load_paths([FIXTURES / "page.html"])
    paras = paragraphs(article.text)
    assert paras[0] == "Rail strike halts trains across Norland"  # the page's title: headline
    assert paras[1].startswith("Almost no passenger trains ran in Norland on Monday")
    assert paras[-1] == (
        "The operator declined to comment on whether it would raise its offer before the talks."
    )
    assert len(paras) == 6
    for junk in (
        "Home", "Sport", "Petra Lind", "Empty platform", "Photo:", "Talks to resume",
        "We need your help", "Billed Monthly", "Related Links", "Ferry operators", "read more",
        "login", "Copyright", "Follow us",
    ):  # fmt: skip
        assert junk not in article.text, junk
    assert article.source == "norlandcourier.example"  # canonical URL host beats the site name
    assert article.title == "Rail strike halts trains across Norland"
    assert article.url == "https://www.norlandcourier.example/news/rail-strike-halts-trains"
    assert article.published == dt.date(2023, 5, 22)
    assert any("We need your help" in r for r in article.removed)


def test_html_wire_dateline_beats_page_metadata_date() -> None:
    html = (
        '<html><head><meta property="article:published_time" content="2020-06-03"></head><body>'
        "<article><p>Kessling (AFP) Jun 2, 2020</p>"
        "<p>The new Kessling dam opened on Monday, two years late and 40 percent over budget, "
        "the energy ministry said in a statement.</p>"
        "<p>It will power about 80,000 homes once all four turbines run, the ministry added.</p>"
        "</article></body></html>"
    )
    article = from_html(html, source="kessling-post")
    assert article.published == dt.date(2020, 6, 2)
    assert article.text.startswith("The new Kessling dam opened")


@pytest.mark.parametrize(
    "wrapper",
    [
        "<div>{p1}{p2}</div>",  # link-only paragraphs: trafilatura gives up
        "<table><tr><td>{p1}{p2}</td></tr></table>",  # tables are excluded from trafilatura
    ],
)
def test_html_falls_back_to_plain_paragraph_extraction(wrapper: str) -> None:
    p1 = f'<p><a href="/a">{BODY_1}</a></p>'
    p2 = f'<p><a href="/b">{BODY_2}</a></p>'
    html = f"<html><head><title>Terminal</title></head><body>{wrapper.format(p1=p1, p2=p2)}"
    article = from_html(html + "</body></html>", source="lenna")
    assert article.text == f"{BODY_1}\n\n{BODY_2}"
    assert article.title == "Terminal"


def test_html_record_takes_its_source_from_the_page() -> None:
    page = (
        '<html><head><link rel="canonical" href="https://www.courier.example/a"></head>'
        f"<body><article><p>{BODY_1}</p></article></body></html>"
    )
    assert from_record({"html": page}).source == "courier.example"
    bare = f"<html><body><article><p>{BODY_1}</p></article></body></html>"
    data = json.dumps([{"html": bare}]).encode()
    assert load_bytes(data, name="dump/feed.json")[0].source == "feed"  # file stem last


def test_html_body_that_is_plain_text() -> None:
    article = from_html(f"{BODY_1}\n{BODY_2}", source="api")
    assert article.text == f"{BODY_1}\n\n{BODY_2}"


def test_html_without_text_is_an_empty_article() -> None:
    html = b"<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body>"
    with pytest.raises(EmptyArticleError) as err:
        load_bytes(html, name="menu.html")
    assert str(err.value).startswith(
        "menu.html: no article text found after removing page boilerplate (navigation, "
    )


def test_html_without_any_source_hint_needs_one() -> None:
    with pytest.raises(MissingSourceError, match="source"):
        from_html(f"<html><body><p>{BODY_1}</p></body></html>")


# --------------------------------------------------------------------------- JSON


def test_json_list_of_text_and_html_records() -> None:
    first, second = load_paths([FIXTURES / "articles.json"])
    assert (first.id, first.source, first.title) == (
        "courier-001",
        "Norland Courier",
        "Budget adds funds for rural clinics",
    )
    assert first.published == dt.date(2023, 4, 3)
    assert paragraphs(first.text)[0] == "Budget adds funds for rural clinics"  # the title leads
    assert paragraphs(first.text)[2].startswith("Health minister Lars Eide said")
    assert second.source == "news.example.org"  # no source field: URL host
    assert second.title == "Rural clinics get budget boost"  # from the page's <title>
    assert second.published == dt.date(2023, 4, 3)  # "April 3, 2023"
    assert second.id == article_id("news.example.org", second.text)
    assert first.origin == second.origin == str(FIXTURES / "articles.json")


def test_jsonl_records_with_metadata() -> None:
    first, second = load_paths([FIXTURES / "articles.jsonl"])
    assert (first.source, first.title, first.published) == (
        "Harbour Daily",
        "Ferry fares frozen",
        dt.date(2022, 11, 30),
    )
    assert paragraphs(first.text)[0] == "Ferry fares frozen"  # the record's title leads
    assert len(paragraphs(first.text)) == 3
    assert (second.id, second.source, second.url) == (
        "wire-77",
        "bayreport.example",
        "https://www.bayreport.example/ferries",
    )


def test_bad_jsonl_names_the_line() -> None:
    path = FIXTURES / "bad.jsonl"
    with pytest.raises(FormatError) as err:
        load_paths([path])
    assert str(err.value).startswith(f"{path}, line 2: invalid JSON (")
    assert err.value.detail == {"line": 2, "column": 27}


def test_bad_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "list.json"
    path.write_text('[\n  {"text": "fine"},\n  {"text": oops}\n]\n')
    with pytest.raises(FormatError, match=r"list\.json: invalid JSON at line 3, column 12"):
        load_paths([path])


def test_record_without_text_or_html_names_the_fields() -> None:
    path = FIXTURES / "no_text.json"
    with pytest.raises(FormatError) as err:
        load_paths([path])
    assert str(err.value) == (
        f"{path}: record has neither a 'text' nor an 'html' field (found keys: content, "
        "source, title); put the article body under 'text' (plain text) or 'html' (a web page)"
    )


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"text": 5}, "'text'"),
        ({"text": BODY_1, "source": ["a"]}, "'source'"),
        ({"text": BODY_1, "title": {"x": 1}}, "'title'"),
        ({"text": BODY_1, "published": 20210215}, "'published'"),
        ({"text": BODY_1, "published": "soon"}, "'published'"),
    ],
)
def test_record_with_wrong_types_names_the_field(record: dict[str, object], field: str) -> None:
    with pytest.raises(FormatError, match=field):
        from_record(record, default_source="x")


def test_jsonl_record_errors_name_the_line() -> None:
    data = (json.dumps({"text": BODY_1}) + "\n" + json.dumps({"text": 7}) + "\n").encode()
    with pytest.raises(FormatError, match=r"^feed\.jsonl, line 2: field 'text' must be"):
        load_bytes(data, name="feed.jsonl")


def test_jsonl_saved_as_json_is_read_line_by_line() -> None:
    data = "\n".join(json.dumps({"source": s, "text": BODY_1}) for s in ("a", "b")).encode()
    assert [a.source for a in load_bytes(data, name="feed.json")] == ["a", "b"]


# --------------------------------------------------------------------------- decoding


def test_utf16_and_utf8_bom_files_read_like_utf8(tmp_path: Path) -> None:
    text = f"{BODY_1}\n\n“Quoted words,” she said — and left.\n"
    paths = []
    for name, data in (
        ("plain", text.encode("utf-8")),
        ("bom8", text.encode("utf-8-sig")),
        ("le16", text.encode("utf-16")),
        ("be16", b"\xfe\xff" + text.encode("utf-16-be")),
    ):
        (tmp_path / name).mkdir()
        paths.append(tmp_path / name / "story.txt")
        paths[-1].write_bytes(data)
    articles = load_paths(paths)
    assert {(a.text, a.id, a.source) for a in articles} == {
        (f"{BODY_1}\n\n“Quoted words,” she said — and left.", articles[0].id, "story")
    }


def test_latin1_file_is_a_decode_error_with_offset_and_fix(tmp_path: Path) -> None:
    raw = f"{BODY_1} Le café était fermé.".encode("latin-1")
    path = tmp_path / "cafe.txt"
    path.write_bytes(raw)
    with pytest.raises(DecodeError) as err:
        load_paths([path])
    offset = raw.index(b"\xe9")
    message = str(err.value)
    assert message.startswith(f"{path}: is not UTF-8 text (byte 0xe9 at byte offset {offset}).")
    assert f"iconv -f latin1 -t utf-8 {path}" in message
    assert err.value.detail == {"offset": offset}


def test_declared_charset_is_honoured() -> None:
    raw = f"{BODY_1} Le café était fermé.".encode("latin-1")
    (article,) = load_bytes(raw, name="upload", content_type="text/plain; charset=ISO-8859-1")
    assert "café était fermé" in article.text
    html = b'<html><head><meta charset="windows-1252"></head><body><p>' + raw + b"</p></body>"
    assert "café" in load_bytes(html, name="page.html", source="s")[0].text


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (b"Some text\x00\x01\x02 more", "binary file (NUL byte at byte offset 9)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "is a PNG image, not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "is a PDF document"),
    ],
)
def test_binary_input_is_a_decode_error(data: bytes, phrase: str) -> None:
    with pytest.raises(DecodeError, match=re.escape(phrase)):
        load_bytes(data, name="blob.txt")


@pytest.mark.parametrize(
    "content",
    [b"", b"  \n\n ", b"Home\nNews\nSport\n\nWrite a comment\n\nTweet\n"],
)
def test_empty_or_boilerplate_only_file_is_an_empty_article(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "menu.txt"
    path.write_bytes(content)
    with pytest.raises(EmptyArticleError) as err:
        load_paths([path])
    message = str(err.value)
    assert message.startswith(f"{path}: ")
    assert "no article text found after removing page boilerplate (navigation, " in message
    assert "Make sure the file holds the article body" in message


# --------------------------------------------------------------------------- bytes dispatch


def test_load_bytes_dispatches_on_content_type_then_suffix() -> None:
    html = f"<html><body><article><p>{BODY_1}</p><p>{BODY_2}</p></article></body></html>"
    by_type = load_bytes(html.encode(), name="upload", content_type="text/html; charset=utf-8")
    by_suffix = load_bytes(html.encode(), name="upload.htm")
    sniffed = load_bytes(html.encode(), name="upload")
    as_text = load_bytes(BODY_1.encode(), name="upload.html", content_type="text/plain")
    assert by_type[0].text == by_suffix[0].text == sniffed[0].text == f"{BODY_1}\n\n{BODY_2}"
    assert as_text[0].text == BODY_1
    ndjson = (json.dumps({"text": BODY_1}) + "\n").encode()
    assert load_bytes(ndjson, name="x", content_type="application/x-ndjson")[0].source == "x"
    with pytest.raises(FormatError, match="unsupported content type 'image/png'"):
        load_bytes(b"x", name="x", content_type="image/png")


def test_load_bytes_metadata_arguments() -> None:
    (article,) = load_bytes(
        BODY_1.encode(),
        name="up.txt",
        title="T",
        url="https://lenna.example/a",
        published="2022-05-01",
    )
    assert (article.source, article.title, article.url, article.published) == (
        "lenna.example",
        "T",
        "https://lenna.example/a",
        dt.date(2022, 5, 1),
    )
    assert article.origin == "up.txt"
    data = json.dumps([{"text": BODY_1}, {"text": BODY_2, "source": "own"}]).encode()
    first, second = load_bytes(data, name="feed.json", source="given")
    assert (first.source, second.source) == ("given", "own")


# --------------------------------------------------------------------------- identity & sources


def test_article_id_is_a_stable_content_hash() -> None:
    ident = article_id("lenna", BODY_1)
    assert re.fullmatch(r"[0-9a-f]{16}", ident)
    assert article_id("lenna", f"  {BODY_1.upper()}  ") == ident  # normalised text
    assert article_id("lenna", BODY_1.replace("'", "’")) == ident
    assert article_id("other", BODY_1) != ident
    assert article_id("lenna", BODY_2) != ident
    code = "from factcheck.ingest import article_id; import sys; print(article_id(*sys.argv[1:]))"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", code, "lenna", BODY_1],
        capture_output=True, text=True, check=True, env=env, cwd=Path(__file__).parents[1],
    )  # fmt: skip
    assert out.stdout.strip() == ident  # same id in another process


def test_ids_do_not_depend_on_path_or_key_order(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "wire.txt").write_text(f"{BODY_1}\n\n{BODY_2}\n")
    one, two = load_paths([tmp_path / "a" / "wire.txt", tmp_path / "b" / "wire.txt"])
    assert one.id == two.id == article_id("wire", one.text)
    rec = {"source": "s", "title": "t", "text": BODY_1}
    assert from_record(rec).id == from_record(dict(reversed(rec.items()))).id
    assert from_record({**rec, "id": 42}).id == "42"


@pytest.mark.parametrize(
    ("url", "name", "expected"),
    [
        ("https://www.rt.com/news/517-musk/", "x.txt", "rt.com"),
        ("http://Space-Daily.COM:8080/a?b=c", None, "space-daily.com"),
        ("www.bbc.co.uk/news/1", None, "bbc.co.uk"),
        (None, "/data/in/004_spacedaily.txt", "004_spacedaily"),
        ("", "story.jsonl", "story"),
    ],
)
def test_source_from(url: str | None, name: str | None, expected: str) -> None:
    assert source_from(url, name) == expected


def test_source_from_without_url_or_name() -> None:
    with pytest.raises(MissingSourceError):
        source_from(None, None)
    with pytest.raises(MissingSourceError, match="source name is empty"):
        from_text(BODY_1, source="  ")


def test_source_precedence_explicit_then_url_then_stem() -> None:
    data = BODY_1.encode()
    url = "https://www.lenna.example/a"
    assert load_bytes(data, name="f.txt", source="Given", url=url)[0].source == "Given"
    assert load_bytes(data, name="f.txt", url=url)[0].source == "lenna.example"
    assert load_bytes(data, name="dir/f.txt")[0].source == "f"
    assert from_record({"text": BODY_1, "url": url}).source == "lenna.example"
    with pytest.raises(MissingSourceError):
        from_record({"text": BODY_1})


# --------------------------------------------------------------------------- paths


def test_directory_walk_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "two.txt").write_text(BODY_2)
    (tmp_path / "a.md").write_text(BODY_1)
    (tmp_path / ".hidden.txt").write_text("The hidden draft must never be loaded by the walker.")
    (tmp_path / ".git" / "x.txt").write_text("Repository internals must never be loaded here.")
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    articles = load_paths([tmp_path])
    assert [a.text for a in articles] == [BODY_1, BODY_2]
    assert [a.source for a in articles] == ["a", "two"]
    assert set(SUPPORTED_SUFFIXES) >= {".txt", ".md", ".html", ".json", ".jsonl"}


def test_missing_path_and_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceNotFoundError, match=r"nope\.txt: no such file or directory"):
        load_paths([tmp_path / "nope.txt"])
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "data.csv").write_text("x")
    with pytest.raises(InputError) as err:
        load_paths([tmp_path / "empty"])
    assert type(err.value) is InputError
    assert "holds no article files" in str(err.value) and ".jsonl" in str(err.value)


def test_text_cleaning_is_fast() -> None:
    text = (FIXTURES / "page_dump.txt").read_text()
    from_text(text, source="warm-up")
    start = time.perf_counter()
    for _ in range(10):
        from_text(text, source="s")
    assert (time.perf_counter() - start) / 10 < 0.05


# --------------------------------------------------------------------------- real seeds


def _seed(prefix: str) -> Path:
    if not SEEDS.is_dir():
        pytest.skip(f"seed articles not available at {SEEDS}")
    found = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    if not found:
        pytest.skip(f"seed {prefix}_*.txt not in {SEEDS}")
    return found[0]


def test_seed_wire_page_is_cut_to_the_afp_story() -> None:
    path = _seed("004")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    (article,) = load_paths([path])
    dateline_at = next(i for i, line in enumerate(lines) if "(AFP)" in line)
    slug_at = next(i for i, line in enumerate(lines) if re.fullmatch(r"[a-z-]+(?:/[a-z]+)+", line))
    teaser_lead = lines[dateline_at + 1]
    lead_sentence = teaser_lead.split(". ")[0] + "."
    story = [line for line in lines[dateline_at + 2 : slug_at] if line]
    paras = paragraphs(article.text)
    assert paras[0] == article.title and article.title in lines[:dateline_at]  # the headline
    paras = paras[1:]  # after the headline ...
    assert paras == story  # ... every wire paragraph, in order, nothing else
    assert paras[0] == lead_sentence  # the lead paragraph exactly once ...
    assert article.text.count(lead_sentence) == 1  # ... and not the truncated teaser
    assert teaser_lead in article.removed
    assert paras[-1].startswith("Musk, who")
    for junk in ("read more", "billed monthly", "crew-4", "comment", "related links", "paywall"):
        assert junk not in article.text.lower(), junk
    assert article.published == dt.date(2021, 2, 15)
    assert article.source == path.stem


def test_seed_rt_page_keeps_all_prose_and_drops_captions() -> None:
    path = _seed("000")
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    (article,) = load_paths([path])
    paras = paragraphs(article.text)
    captions = [line for line in lines if line.startswith("(L)")]
    short = [line for line in lines if len(line.split()) <= 4]  # image alts, subheading
    prose = [line for line in lines if line not in captions and line not in short]
    assert len(captions) == 2 and len(short) == 3
    assert paras == prose
    assert all(line in article.removed for line in captions + short)
    assert "Tsiolkovsky" in paras[2]  # the quote paragraphs survive


# --------------------------------------------------------------------------- headlines

HEADLINE = "Port Lenna harbour board backs new ferry terminal"


def test_headline_is_kept_as_the_first_paragraph_and_title() -> None:
    text = (
        f"Home | News | Coast\n\nCOAST NEWS\n\n{HEADLINE}\n\nBy Ana Lopes\n\n"
        f"{BODY_1}\n\nWhat happened\n\n{BODY_2}\n\nFerry operators add sailings\n"
    )
    article = from_text(text, source="harbour")
    assert paragraphs(article.text) == [HEADLINE, BODY_1, BODY_2]
    assert article.title == HEADLINE
    reasons = dict((p, r) for r, p in article.removed_reasons)
    assert reasons["What happened"] == "heading/navigation"  # a subheading is not kept
    assert "Ferry operators add sailings" in article.removed  # a teaser after the body neither


@pytest.mark.parametrize(
    ("above", "expected"),
    [
        ("Search News Archive\n\nHarbour Careers", None),  # menu words, too short for a claim
        ("• Home\n• News\n• " + HEADLINE, None),  # a breadcrumb item is navigation
        ("By Ana Lopes\n\nCoast guard cuts ferry patrols", None),  # a label below the byline
        (f"Trending\n\nFerry operators add sailings\n\n{HEADLINE}", "Ferry operators add sailings"),
        (f"{HEADLINE}\n\nThe harbour board met for six hours in a row", HEADLINE),  # first wins
    ],
)
def test_only_a_real_headline_is_kept(above: str, expected: str | None) -> None:
    article = from_text(f"{above}\n\n{BODY_1}\n\n{BODY_2}", source="harbour")
    assert article.title == expected
    assert paragraphs(article.text)[0] == (expected or BODY_1)


def test_metadata_title_is_the_headline_unless_the_lead_starts_with_it() -> None:
    rec = {"source": "s", "title": HEADLINE, "text": f"{BODY_1}\n\n{BODY_2}"}
    assert paragraphs(from_record(rec).text) == [HEADLINE, BODY_1, BODY_2]
    lead = f"{HEADLINE}: {BODY_1}"
    assert paragraphs(from_record({**rec, "text": lead}).text) == [lead]
    own = f"Ferry terminal approved in Port Lenna\n\n{BODY_1}"  # the page's own heading yields
    assert paragraphs(from_record({**rec, "text": own}).text) == [HEADLINE, BODY_1]
    short = from_record({**rec, "title": "Ferries"})  # one word is a label, not a claim
    assert paragraphs(short.text) == [BODY_1, BODY_2] and short.title == "Ferries"


def test_headline_without_full_stop_is_its_own_sentence() -> None:
    from factcheck.facts import analyse_many

    article = from_text(f"{HEADLINE}\n\n{BODY_1}\n\n{BODY_2}", source="harbour")
    (facts,) = analyse_many([article])
    assert [sf.sentence.text for sf in facts] == [HEADLINE, BODY_1, BODY_2]
    assert facts[0].sentence.index == 0


# --------------------------------------------------------------------------- stamps and dates


def test_page_store_date_stamp_is_stripped_and_dates_the_page() -> None:
    article = from_text(f" date 2022-03-09 {BODY_1}\n\n{BODY_2}", source="store")
    assert paragraphs(article.text) == [BODY_1, BODY_2]
    assert article.published == dt.date(2022, 3, 9)
    assert article.removed_reasons == (("page-store date stamp", "date 2022-03-09"),)
    wire = from_text(
        f" date 2022-03-09 PORT LENNA (AP) {dt.date(2022, 3, 8):%b %d, %Y}\n{BODY_1}", source="w"
    )
    assert wire.published == dt.date(2022, 3, 8)  # a wire dateline beats the store's stamp
    assert from_text(
        f" date 2022-03-09 {BODY_1}", source="s", published="2022-01-02"
    ).published == (dt.date(2022, 1, 2))
    assert from_text(
        f"The date 2022-03-09 was set for the vote. {BODY_1}", source="s"
    ).text.startswith("The date 2022-03-09")  # only a stamp before the first words


@pytest.mark.parametrize(
    "stamp",
    [
        "Mar 3, 2022 • 2 hours ago • < 1 minute read",
        "Updated at 9:15 a.m.",
        "Date:2024-01-09 08:12:44",
        "Wednesday, March 9, 2022",
        "Last updated: 09/03/2022 11:02 GMT",
    ],
)
def test_timestamp_lines_are_removed(stamp: str) -> None:
    article = from_text(f"{BODY_1}\n\n{stamp}\n\n{BODY_2}", source="s")
    assert paragraphs(article.text) == [BODY_1, BODY_2]
    assert article.removed_reasons == (("timestamp", stamp),)


# --------------------------------------------------------------------------- datelines

FILLER = [
    "The vote followed a six-hour debate in which opposition members questioned the costs.",
    "The regional water authority declined to comment on the timeline for the works.",
    "Storms flooded more than 1,800 homes in the old town of Port Lenna last winter.",
]


@pytest.mark.parametrize(
    "para",
    [
        "ABC-TV reported on Monday that the harbour board had met twice in secret.",
        "TNK-BP said on Monday it would bid for the contract to supply the new terminal.",
        "KESSLING — The port authority there said it would not follow Port Lenna's lead.",
        "NATO said the terminal could also serve navy supply ships in an emergency.",
    ],
)
def test_mid_article_paragraph_that_looks_like_a_dateline_is_kept(para: str) -> None:
    text = "\n\n".join([BODY_1, *FILLER, para, BODY_2])
    article = from_text(text, source="s")
    assert paragraphs(article.text) == [BODY_1, *FILLER, para, BODY_2]
    assert article.removed == ()


def test_dateline_with_several_agencies_is_stripped() -> None:
    article = from_text(f"PORT LENNA (KLT SF/AP) — {BODY_1}\n\n{BODY_2}", source="s")
    assert paragraphs(article.text) == [BODY_1, BODY_2]
    assert article.removed_reasons == (("dateline", "PORT LENNA (KLT SF/AP) —"),)


def test_dated_inline_dateline_stays_as_a_line_of_its_own() -> None:
    lead = f"PORT LENNA, March 8, 2022 (Reuters) – {BODY_1}"
    article = from_text(f"{lead}\n\n{BODY_2}", source="s")
    dateline = "PORT LENNA, March 8, 2022 (Reuters)"  # its date is part of what is reported
    assert paragraphs(article.text) == [dateline, BODY_1, BODY_2]
    assert article.removed == ()
    assert article.published == dt.date(2022, 3, 8)


def test_dateline_below_unrecognised_banner_text_is_the_article_own() -> None:
    banner = [
        "Our harbour coverage is read in every port town on the coast and beyond it.",
        "Thanks to readers like you the newsroom keeps its doors open every day of the year.",
        "Tell your friends about the harbour pages and the weekly tide tables we print.",
    ]
    story = [BODY_2, *FILLER, QUOTE]
    text = "\n\n".join([*banner, f"PORT LENNA (AP) — {BODY_1}", *story])
    article = from_text(text, source="s")
    assert paragraphs(article.text) == [*banner, BODY_1, *story]  # nothing of the story lost


# --------------------------------------------------------------------------- boxes and tails


def test_box_of_related_links_inside_the_article_does_not_end_it() -> None:
    text = "\n\n".join(
        [
            BODY_1,
            QUOTE,
            "READ MORE",
            "Ferry operators add sailings",
            "Coast guard cuts patrols",
            BODY_2,
        ]
    )
    article = from_text(text, source="s")
    assert paragraphs(article.text) == [BODY_1, QUOTE, BODY_2]
    assert article.removed_reasons == (
        ("read-more marker", "READ MORE"),
        ("link after read-more marker", "Ferry operators add sailings"),
        ("link after read-more marker", "Coast guard cuts patrols"),
    )


@pytest.mark.parametrize(
    ("tail", "reason"),
    [
        ("(Reporting by Ana Lopes; Editing by Tom Reyes)", "wire credit"),
        (
            "Reporting by Ana Lopes; Writing by Tom Reyes Our standards: The Trust Principles.",
            "wire credit",
        ),
        (
            "Continue reading the story: Subscribe to Harbour Daily for one pound a month.",
            "read-more marker",
        ),
        ("(AFP)", "agency tag"),
        ("REUTERS", "agency tag"),
        ("#ferry #portlenna #harbour", "agency tag"),
        ("— Harbour Board (@harbourboard) March 8, 2022", "embedded post credit"),
    ],
)
def test_furniture_glued_to_the_end_of_a_paragraph_is_cut(tail: str, reason: str) -> None:
    article = from_text(f"{BODY_1}\n\n{BODY_2} {tail}", source="s")
    assert paragraphs(article.text) == [BODY_1, BODY_2]
    assert article.removed_reasons == ((reason, tail),)


FEED_TAG = "(FEEDCO- Harbour News Agency (HNA))"
TICKED = "The operator (FRY 1.20%) said fares would rise in May."


@pytest.mark.parametrize(
    ("dirty", "clean", "piece", "reason"),
    [
        (f"{FEED_TAG} {BODY_1}", BODY_1, FEED_TAG, "syndication tag"),
        (f"Harbour DailyCoast: {BODY_1}", BODY_1, "Harbour DailyCoast:", "section label"),
        (f"Breaking news - {BODY_1}", BODY_1, "Breaking news -", "section label"),
        (f"{{adslot}}{BODY_1}", BODY_1, "{adslot}", "template marker"),
        (TICKED, TICKED.replace(" (FRY 1.20%)", ""), "(FRY 1.20%)", "stock ticker"),
    ],
)  # fmt: skip
def test_furniture_inside_a_paragraph_is_cut(
    dirty: str, clean: str, piece: str, reason: str
) -> None:
    article = from_text(f"{dirty}\n\n{BODY_2}", source="s")
    assert paragraphs(article.text) == [clean, BODY_2]
    assert article.removed_reasons == ((reason, piece),)


def test_embedded_post_keeps_its_words_and_loses_its_credit() -> None:
    post = "We approved the terminal tonight. Work starts in May. https://t.co/AbC123"
    credit = "— Harbour Board (@harbourboard) March 8, 2022"
    article = from_text(f"{BODY_1}\n\n{post}{credit}\n\n{BODY_2}", source="s")
    assert paragraphs(article.text) == [BODY_1, post.rsplit(" ", 1)[0], BODY_2]
    assert {r for r, _p in article.removed_reasons} == {"embedded post credit", "link"}


# --------------------------------------------------------------------------- more furniture


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("We use cookies to improve your experience and to measure traffic.", "cookie notice"),
        ("Disclaimer: This story was published from a feed and not edited.", "disclaimer"),
        ("The harbour board voted for the terminal on Tuesday. 0:31", "video caption"),
        ("This March 8, 2022 photo shows the old quay of Port Lenna at dawn.", "caption/credit"),
        ("Image source: Harbour Daily.", "caption/credit"),
        ("Also Read Ferry operators add sailings Coast guard cuts patrols", "read-more link"),
        ("Today's Paper Obits Newsletters Home Style Crime Football Puzzles", "navigation"),
    ],
)  # fmt: skip
def test_more_furniture_inside_the_article_is_removed(line: str, reason: str) -> None:
    article = from_text(f"{BODY_1}\n\n{line}\n\n{BODY_2}", source="s")
    assert paragraphs(article.text) == [BODY_1, BODY_2]
    assert article.removed_reasons == ((reason, line),)


def test_donation_appeal_ends_the_article_only_when_less_prose_follows() -> None:
    appeal = "Harbour Daily is where you find it all. Follow us, support us, or become our patron!"
    mid = from_text("\n\n".join([BODY_1, appeal, BODY_2, *FILLER]), source="s")
    assert paragraphs(mid.text) == [BODY_1, BODY_2, *FILLER]  # a banner inside the article
    assert mid.removed_reasons == (("donation appeal", appeal),)
    end = from_text("\n\n".join([BODY_1, *FILLER, appeal, TEASER]), source="s")
    assert paragraphs(end.text) == [BODY_1, *FILLER]  # the page's end: the teaser goes too
    assert end.removed_reasons == (("donation appeal", appeal), ("after donation appeal", TEASER))


def test_gallery_slides_are_removed() -> None:
    slides = [
        "Port Lenna ferry terminal in pictures Old quay A crane lifts the first beam.",
        "Port Lenna ferry terminal in pictures New ramp Workers pour the concrete.",
    ]
    article = from_text("\n\n".join([BODY_1, *slides, BODY_2]), source="s")
    assert paragraphs(article.text) == [BODY_1, BODY_2]
    assert {r for r, _p in article.removed_reasons} == {"gallery caption"}


@pytest.mark.parametrize(
    "prose",
    [
        "• No one was hurt.",  # a bulleted sentence
        "The board said the terminal would open in 2026 and that fares would stay frozen until the"
        " first ferries run between the two harbours of the bay",  # a long line without a stop
    ],
)
def test_prose_without_the_usual_shape_is_kept(prose: str) -> None:
    kept, removed = clean_paragraphs(f"{BODY_1}\n\n{prose}\n\n{BODY_2}")
    assert kept == [BODY_1, prose.removeprefix("• "), BODY_2] and removed == []


@pytest.mark.parametrize(
    ("last", "kept_it"),
    [
        ("But the mayor of Port Lenna sa", True),  # the page ends inside a paragraph
        ("Officials said the cost of the terminal had risen because the", True),
        ("Coast guard cuts ferry patrols ahead of summer season", False),  # a teaser headline
        ("Hide player controls", False),
    ],
)
def test_page_cut_inside_its_last_paragraph(last: str, kept_it: bool) -> None:
    kept, _removed = clean_paragraphs(f"{BODY_1}\n\n{BODY_2}\n\n{last}")
    assert (kept[-1] == last) is kept_it


def test_paragraph_broken_across_a_blank_line_is_joined() -> None:
    kept, _ = clean_paragraphs(f"{HEADLINE}\n\nThe mayor of Port Lenna\n\nsaid the vote was close.")
    assert kept == [HEADLINE, "The mayor of Port Lenna said the vote was close."]


def test_long_paragraph_mentioning_subscriptions_is_prose() -> None:
    long = " ".join([BODY_1] * 6 + ["Subscribers and supporters pay for our journalism, we said."])
    kept, _ = clean_paragraphs(f"{long}\n\n{BODY_2}")
    assert kept == [long, BODY_2]


# --------------------------------------------------------------------------- removal reasons


def test_every_removed_paragraph_has_its_reason() -> None:
    (article,) = load_paths([FIXTURES / "page_dump.txt"])
    assert len(article.removal_reasons) == len(article.removed) > 20
    assert all(reason for reason in article.removal_reasons)
    assert ("after wire slug", "Related Links") in article.removed_reasons
    assert ("dateline", "Valdora (AFP) Mar 8, 2022") in article.removed_reasons


def test_removed_reasons_of_old_articles_say_unrecorded() -> None:
    from factcheck.serialize import article_from_json, article_to_json
    from factcheck.types import Article

    old = Article(id="a", source="s", text=BODY_1, removed=("Tweet",))
    assert old.removed_reasons == (("unrecorded", "Tweet"),)
    new = from_text(f"{BODY_1}\n\nTweet\n\n{BODY_2}", source="s")
    assert article_from_json(article_to_json(new)) == new  # the store keeps the reasons
    stored = {k: v for k, v in article_to_json(new).items() if k != "removal_reasons"}
    assert article_from_json(stored).removed_reasons == (("unrecorded", "Tweet"),)


def test_an_unreadable_url_is_a_clear_input_error_not_a_crash() -> None:
    from factcheck.errors import InvalidURLError
    from factcheck.ingest import source_from

    with pytest.raises(InvalidURLError, match=r"url 'http://\[bad' cannot be read"):
        source_from("http://[bad", None)
