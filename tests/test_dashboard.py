"""The dashboard through TestClient (no JavaScript at all): every page, the form, errors, keys.

Plumbing runs on the FakeEmbedder; facts and conflict rules are real. What a page shows is
checked against what the JSON API returns for the same question (one data path).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from factcheck.pipeline import Pipeline
from service.app import create_app
from service.settings import Settings

Records = dict[str, dict[str, Any]]

EMPTY = (
    "the request body is empty; send the article as JSON "
    '{"source": ..., "text": ...} (or "html"), or as text/plain or text/html with ?source=NAME'
)
NO_SOURCE = (
    "request body: the article has no source: give the outlet's name as the JSON field "
    "'source' or the query parameter ?source=NAME (or a url whose host can be used)"
)
# An invented follow-up report of the conftest story: another number, another day.
BAY_TEXT = (
    "A pedestrian bridge collapsed in the harbor town of Westhaven on Tuesday evening, "
    "injuring 23 people who were crossing it.\n\n"
    "Mayor Laura Finch said the steel structure had passed a safety inspection in March.\n\n"
    "The town council will hold an emergency meeting on Thursday to discuss the repairs."
)
FERRY_TEXT = (
    "The ferry to Northport was cancelled on Monday after a storm damaged the pier, the "
    "harbour master said.\n\n"
    "About 300 passengers were stranded overnight in the terminal building."
)


def _start(data_dir: Path, pipeline: Pipeline, **settings: Any) -> TestClient:
    client = TestClient(create_app(Settings(data_dir=data_dir, **settings), pipeline=pipeline))
    client.__enter__()  # lifespan: warm-up + workspace
    return client


@pytest.fixture(scope="module")
def site(
    tmp_path_factory: pytest.TempPathFactory,
    fake_pipeline: Pipeline,
    story_records: Records,
    flood_records: Records,
) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """One app with a bridge story (wire, a paper that disagrees, a wire reprint, a later
    report), an unrelated story and a flood whose toll rose the next day (an update); read-only
    tests share it."""
    client = _start(tmp_path_factory.mktemp("dash") / "data", fake_pipeline)
    records = {
        **story_records,
        "paper": {**story_records["paper"], "published": "2025-02-14"},
        "bay": {"source": "bay-times", "title": "Bridge down, 23 hurt", "text": BAY_TEXT},
        "flood": flood_records["first"],
        "flood_next": flood_records["next"],
    }
    ids = {}
    for role in ("wire", "paper", "reprint", "unrelated", "flood", "flood_next", "bay"):
        r = client.post("/articles", json=records[role])
        assert r.status_code == 201, r.text
        ids[role] = r.json()["id"]
    ids["story"] = client.get(f"/articles/{ids['wire']}").json()["story_id"]
    ids["other_story"] = client.get(f"/articles/{ids['unrelated']}").json()["story_id"]
    ids["flood_story"] = client.get(f"/articles/{ids['flood']}").json()["story_id"]
    yield client, ids
    client.__exit__(None, None, None)


@pytest.fixture
def fresh(tmp_path: Path, fake_pipeline: Pipeline) -> Iterator[Any]:
    """``fresh(**settings)``: an empty app per test (for writes and keys)."""
    clients: list[TestClient] = []

    def make(**settings: Any) -> TestClient:
        clients.append(_start(tmp_path / f"data{len(clients)}", fake_pipeline, **settings))
        return clients[-1]

    yield make
    for client in clients:
        client.__exit__(None, None, None)


# --- helpers -------------------------------------------------------------------------------------


class Page(HTMLParser):
    """The parts of a page the tests look at: tags with attributes, labels, headings, text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.label_for: set[str] = set()
        self.h1: list[str] = []
        self._in_h1 = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.tags.append((tag, a))
        if tag == "label" and a.get("for"):
            self.label_for.add(a["for"])
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1[-1] += data

    def conflict_ids(self) -> set[str]:
        """Conflict ids with an anchor on the page (a card, or a folded repeat's anchor)."""
        found = (re.fullmatch(r"conflict-([0-9a-f]{16})", a.get("id", "")) for _, a in self.tags)
        return {m.group(1) for m in found if m}

    def unlabelled_controls(self) -> list[dict[str, str]]:
        out = []
        for tag, a in self.tags:
            if tag not in ("input", "select", "textarea"):
                continue
            if a.get("type") in ("hidden", "submit", "button", "radio"):
                continue
            if a.get("id") not in self.label_for and not a.get("aria-label"):
                out.append(a)
        return out


def page(client: TestClient, path: str, status: int = 200, **kw: Any) -> str:
    r = client.get(path, **kw)
    assert r.status_code == status, (path, r.status_code, r.text[:500])
    assert r.headers["content-type"].startswith("text/html")
    return r.text


def api_conflict_ids(client: TestClient, **params: Any) -> set[str]:
    """Ids of the API's conflicts and of the repeats through wire copies folded into them."""
    body = client.get("/conflicts", params={"limit": 500, **params}).json()
    return {x["id"] for c in body["items"] for x in (c, *c["copies"])}


def add(client: TestClient, files: dict[str, Any] | None = None, **fields: str) -> Any:
    """Submit the add form as a browser without JavaScript does (multipart, no redirects)."""
    files = files or {"file": ("", b"", "application/octet-stream")}  # an empty file input
    return client.post("/ui/add", data=fields, files=files, follow_redirects=False)


def text_of(html: str) -> str:
    """Visible text with tags dropped and whitespace collapsed (entities kept as written)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- every page: structure and accessibility basics ----------------------------------------------


def test_every_page_has_one_h1_a_skip_link_and_labelled_controls(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = site
    paths = [
        "/ui/",
        "/ui/?q=bridge",
        f"/ui/stories/{ids['story']}",
        f"/ui/articles/{ids['paper']}",
        "/ui/conflicts",
        "/ui/add",
    ]
    for path in paths:
        html = page(client, path)
        doc = Page(html)
        assert len(doc.h1) == 1, (path, doc.h1)
        assert '<html lang="en">' in html
        assert ("a", {"class": "skip-link", "href": "#main"}) in doc.tags
        assert any(t == "main" and a.get("id") == "main" for t, a in doc.tags)
        assert doc.unlabelled_controls() == [], path
        assert "<script>" not in html  # no inline script: the CSP forbids it anyway
        r = client.get(path)
        assert "default-src 'self'" in r.headers["content-security-policy"]


def test_root_shows_the_dashboard_and_static_files_are_served(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    client, _ = site
    r = client.get("/")
    assert r.status_code == 200 and r.url.path == "/ui/"
    css_href = re.search(r'href="(/ui/static/dashboard\.css[^"]*)"', r.text)
    assert css_href is not None
    css = client.get(css_href.group(1))
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "@media (max-width: 700px)" in css.text and ":focus-visible" in css.text
    assert client.get("/ui/static/dashboard.js").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p == "/" or p.startswith("/ui")]  # the API docs stay API


# --- stories --------------------------------------------------------------------------------------


def test_stories_page_lists_what_the_api_lists_newest_activity_first(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = site
    html = page(client, "/ui/")
    api = client.get("/stories").json()["items"]
    links = re.findall(r'href="/ui/stories/(s_[0-9a-f]+)"', html)
    assert links == [s["id"] for s in api]  # same stories, same order
    assert links[0] == ids["story"]  # the bay-times report came last
    bridge = text_of(html.split('<li class="card story-card">')[1])
    summary = api[0]
    originals = summary["n_articles"] - summary["n_copies"]
    assert summary["n_copies"] == 1  # the wire reprint
    assert f"{originals} articles + 1 wire copy from {summary['n_sources']} sources" in bridge
    assert f"Number: {summary['conflicts_by_type']['number']}" in bridge
    assert "coast-wire" in bridge and "regional-news (wire copy)" in bridge
    assert "First seen" in bridge and "last seen" in bridge


def test_stories_search_by_text(site: tuple[TestClient, dict[str, str]]) -> None:
    client, ids = site
    words = page(client, "/ui/?q=rust+RAILINGS")  # words from an article's text, any case
    assert f"/ui/stories/{ids['story']}" in words
    assert f"/ui/stories/{ids['other_story']}" not in words
    assert "1 story matches" in words
    by_source = page(client, "/ui/", params={"q": "arts-weekly"})
    assert f"/ui/stories/{ids['other_story']}" in by_source
    assert f"/ui/stories/{ids['story']}" not in by_source
    none = page(client, "/ui/", params={"q": "zeppelin"})
    assert "No story matches" in none and "/ui/stories/s_" not in none


# --- one story ------------------------------------------------------------------------------------


def test_story_page_shows_articles_conflicts_with_marks_and_folds_wire_copies(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = site
    html = page(client, f"/ui/stories/{ids['story']}")
    api = client.get(f"/stories/{ids['story']}").json()
    for a in api["articles"]:
        assert f'href="/ui/articles/{a["id"]}"' in html
    # the reprint is folded into the wire article's card and labelled as a copy
    assert "wire copies" in html and "wire copy of coast-wire" in html
    # every conflict of the story is on the page (folded repeats keep an anchor)
    assert Page(html).conflict_ids() >= {c["id"] for c in api["conflicts"]}
    (number,) = [
        c
        for c in api["conflicts"]
        if c["type"] == "number"
        and {c["a"]["source"], c["b"]["source"]} == {"coast-wire", "harbor-daily"}
    ]
    card = html[html.index(f'id="conflict-{number["id"]}"') :]
    card = card[: card.index("</article>")]
    assert "<mark>19 people</mark>" in card and "<mark>14 people</mark>" in card
    assert "High severity" in card and "Number" in card
    assert number["explanation"].replace('"', "&#34;") in card
    # the same evidence through the wire reprint is named, not repeated
    assert "and 1 copy: the same sentences disagree the same way between" in card
    assert card.count("<mark>") == 2


def _section(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</section>", start)]


def test_story_page_opens_with_its_disagreements_worst_first_linked_to_the_evidence(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = site
    html = page(client, f"/ui/stories/{ids['story']}")
    api = client.get(f"/stories/{ids['story']}").json()
    # the first section, before the articles and the conflict cards
    assert html.index('id="disagreements-h"') < html.index('id="articles-h"')
    section = _section(html, "disagreements-h")
    rows = section.split('<li class="disagreement ')[1:]
    assert len(rows) == len(api["disagreements"]) == 2
    toll, meeting = (text_of(r) for r in rows)
    assert "High severity Number" in toll and "4 outlets · 5 pairs" in toll
    assert (
        "19 people harbor-daily vs 14 people 2 outlets: coast-wire, regional-news "
        "vs 23 people bay-times"
    ) in toll
    assert "Medium severity Date" in meeting
    assert "Friday 3 outlets: coast-wire, harbor-daily, regional-news vs Thursday bay-times" in (
        meeting
    )
    # each row links every outlet pair to its card (or the card's folded repeat) below,
    # and each card links back to its row
    on_page = Page(html).conflict_ids()
    for n, (row, d) in enumerate(zip(rows, api["disagreements"], strict=True), 1):
        links = re.findall(r'href="#conflict-([0-9a-f]{16})"', row)
        assert links == d["conflicts"] and set(links) <= on_page
        assert f'id="disagreement-{n}"' in html
    part = {cid: n for n, d in enumerate(api["disagreements"], 1) for cid in d["conflicts"]}
    cards = _section(html, "conflicts-h").split('<article class="conflict ')[1:]
    assert cards
    for card in cards:
        found = re.search(r'id="conflict-([0-9a-f]{16})"', card)
        assert found is not None
        assert f'href="#disagreement-{part[found.group(1)]}">Disagreement' in card
    # a story without disagreements has no such section
    quiet = page(client, f"/ui/stories/{ids['other_story']}")
    assert 'id="disagreements-h"' not in quiet


def test_an_update_is_a_timeline_of_the_figure_on_the_story_page(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = site
    api = client.get(f"/stories/{ids['flood_story']}").json()
    assert {a["id"] for a in api["articles"]} == {ids["flood"], ids["flood_next"]}
    (update,) = api["conflicts"]
    assert update["type"] == "update"
    html = page(client, f"/ui/stories/{ids['flood_story']}")
    row = _section(html, "disagreements-h")
    assert "Medium severity" in row and '<span class="badge type">Update</span>' in row
    timeline = row[row.index('<ol class="timeline"') : row.index("</ol>")]
    points = timeline.split('<li class="timeline-point">')[1:]
    assert [text_of(p).strip() for p in points] == [
        "6 May 2031 14 people valley-post",
        "7 May 2031 19 people river-herald",
    ]
    assert '<time datetime="2031-05-06">' in points[0]
    assert f'href="#conflict-{update["id"]}"' in row
    card = html[html.index(f'id="conflict-{update["id"]}"') :]
    card = card[: card.index("</article>")]
    assert "<mark>14 people</mark>" in card and "<mark>19 people</mark>" in card
    assert "Update" in card and "moved between reports" in card
    # the feed offers the type and filters on it
    feed = page(client, "/ui/conflicts", params={"type": "update"})
    assert '<option value="update" selected>Update</option>' in feed
    assert Page(feed).conflict_ids() == {update["id"]}


def test_every_conflict_type_and_match_relation_has_a_label() -> None:
    from typing import get_args

    from factcheck.conflicts import names
    from factcheck.types import Relation
    from service.dashboard import views

    assert tuple(views.CONFLICT_TYPES) == names()
    assert set(views.RELATIONS) == set(get_args(Relation))


def test_story_claims_say_who_reported_who_did_not_and_who_was_first(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = site
    html = page(client, f"/ui/stories/{ids['story']}")
    claims = html[html.index('id="claims-h"') :]
    items = claims.split('<li class="claim')[1:]
    crews = next(i for i in items if "Emergency crews closed the coastal road" in i)
    assert "Reported by 1 of 3" in text_of(crews)
    assert "Not reported by: harbor-daily, bay-times" in text_of(crews)
    assert "(also regional-news, wire copy)" in crews
    lead = next(i for i in items if "injuring 19 people" in i)
    assert "In conflict" in lead and "Reported by 3 of 3" in text_of(lead)
    assert "first: harbor-daily (14 Feb 2025)" in text_of(lead)  # the only dated report
    only = text_of(html[html.index('id="only-h"') :])
    assert "harbor-daily · not in coast-wire, bay-times" in only
    assert "Local shop owners said they had complained about rust" in only
    assert "Emergency crews" not in only  # the wire's reprint also has it: a claim, above


# --- one article ----------------------------------------------------------------------------------


def test_article_page_lists_each_sentence_with_its_matches_and_conflicts(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = site
    api = client.get(f"/articles/{ids['paper']}").json()
    html = page(client, f"/ui/articles/{ids['paper']}")
    rows = html.split('<li class="sentence-row')[1:]
    assert len(rows) == len(api["sentences"])
    for row, sentence in zip(rows, api["sentences"], strict=True):
        assert f'id="s{sentence["index"]}"' in row
    assert "<mark>19 people</mark>" in rows[0] and "<mark>14 people</mark>" in rows[0]
    assert "High severity" in rows[0]
    assert "Same words" in rows[1] and f'href="/ui/articles/{ids["wire"]}#s1"' in rows[1]
    assert "Attributed to Laura Finch" in rows[1]
    assert 'href="https://' not in html  # no url given: no link
    reprint = page(client, f"/ui/articles/{ids['reprint']}")
    assert "This article republishes" in reprint
    assert f'href="/ui/articles/{ids["wire"]}"' in reprint


# --- the conflict feed ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"type": "date"},
        {"type": "update"},
        {"type": "number", "severity": "high"},
        {"severity": "medium"},
        {"source": "bay-times"},
        {"since": "2000-01-01"},
    ],
)
def test_feed_filters_show_what_the_api_returns(
    site: tuple[TestClient, dict[str, str]], params: dict[str, str]
) -> None:
    client, _ = site
    expected = api_conflict_ids(client, **params)
    assert expected, params  # each filter has something to show in this data
    html = page(client, "/ui/conflicts", params=params)
    assert Page(html).conflict_ids() == expected
    total = client.get("/conflicts", params=params).json()["total"]
    assert f"{total} conflict" in html
    for key, value in params.items():  # the form shows the filter that is applied
        if key in ("type", "severity"):
            assert f'<option value="{value}" selected>' in html
        else:
            assert re.search(rf'name="{key}" value="{value}"', html)
    if params.get("type") == "date":
        assert "Number differs" not in html and "Date differs" in html


def test_feed_is_most_severe_first_like_the_api_sorted_by_severity(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    client, _ = site
    html = page(client, "/ui/conflicts")
    api = client.get("/conflicts", params={"sort": "severity", "limit": 500}).json()["items"]
    cards = re.findall(
        r'<article class="conflict sev-edge-(\w+)" id="conflict-([0-9a-f]{16})"', html
    )
    rank = {"low": 0, "medium": 1, "high": 2}
    assert [rank[sev] for sev, _ in cards] == sorted((rank[s] for s, _ in cards), reverse=True)
    order = [c["id"] for c in api]
    positions = [order.index(cid) for _, cid in cards]
    assert positions == sorted(positions)  # the API's order (repeats folded into their card)
    assert "most severe first" in html


def test_feed_counts_a_conflict_repeated_through_a_wire_copy_once_showing_the_original(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = site
    api = client.get("/conflicts", params={"sort": "severity", "limit": 500}).json()
    html = page(client, "/ui/conflicts")
    cards = re.findall(r'<article class="conflict [^"]*" id="conflict-([0-9a-f]{16})"', html)
    assert cards == [c["id"] for c in api["items"]]  # one card per conflict the API counts
    assert f"{api['total']} conflicts" in html and len(cards) == api["total"]
    copied = [c for c in api["items"] if c["copies"]]
    assert copied  # the reprint repeats the wire's conflicts with the other outlets
    for c in copied:
        sides = {c["a"]["article_id"], c["b"]["article_id"]}
        assert ids["reprint"] not in sides and ids["wire"] in sides  # the original is shown
        card = html[html.index(f'id="conflict-{c["id"]}"') :]
        card = card[: card.index("</article>")]
        n = len(c["copies"])
        assert f"and {n} {'copy' if n == 1 else 'copies'}:" in card
        assert f'href="/ui/articles/{ids["reprint"]}"' in card
    # the stories list counts what the feed shows
    stories = page(client, "/ui/")
    bridge = text_of(stories.split('<li class="card story-card">')[1])
    story = client.get("/stories").json()["items"][0]
    story_total = client.get("/conflicts", params={"story": ids["story"]}).json()["total"]
    assert story["n_conflicts"] == story_total
    assert f"· {story_total} conflicts" in bridge


def test_story_page_pages_its_lists_with_more_links(
    site: tuple[TestClient, dict[str, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.dashboard import pages

    client, ids = site
    monkeypatch.setattr(pages, "STORY_PAGE_SIZE", 1)
    story = client.get(f"/stories/{ids['story']}").json()
    url = f"/ui/stories/{ids['story']}"
    html = page(client, url)
    grid = html[html.index('id="articles-h"') : html.index('id="conflicts-h"')]
    assert grid.count('<li class="card article-card">') == 1
    total = story["pages"]["articles"]["total"]
    assert f"Showing articles 1–1 of {total}" in grid
    more = re.search(r'<a rel="next" href="\?([^"#]*)#articles-h">More articles', grid)
    assert more and more.group(1) == "articles_offset=1"
    second = page(client, f"{url}?articles_offset=1")
    assert f'href="/ui/articles/{story["articles"][1]["id"]}"' in second
    assert 'rel="prev" href="?#articles-h"' in second
    conflicts = html[html.index('id="conflicts-h"') : html.index('id="claims-h"')]
    assert len(re.findall(r'<article class="conflict ', conflicts)) == 1
    assert "More conflicts" in conflicts and "More claims" in html
    last = story["pages"]["conflicts"]["total"] - 1
    tail = page(client, f"{url}?conflicts_offset={last}")
    tail_conflicts = tail[tail.index('id="conflicts-h"') : tail.index('id="claims-h"')]
    assert "More conflicts" not in tail_conflicts and "Previous conflicts" in tail_conflicts
    assert f'id="conflict-{story["conflicts"][-1]["id"]}"' in tail_conflicts
    assert page(client, f"{url}?conflicts_offset=-1", status=400)


def test_feed_filters_that_match_nothing_and_bad_values(
    site: tuple[TestClient, dict[str, str]],
) -> None:
    client, ids = site
    none = page(client, "/ui/conflicts", params={"source": "arts-weekly"})
    assert "0 conflicts match the filters" in none and "No conflict matches" in none
    assert "0 conflicts" in page(client, "/ui/conflicts", params={"since": "2999-01-01"})
    bad_date = page(client, "/ui/conflicts", status=400, params={"since": "last week"})
    assert (
        "query parameter &#39;since&#39; (&#39;last week&#39;) is not an ISO date or time"
        in bad_date
    )
    bad_type = page(client, "/ui/conflicts", status=400, params={"type": "spelling"})
    assert "unknown conflict type &#39;spelling&#39;" in bad_type
    one_story = page(client, "/ui/conflicts", params={"story": ids["story"]})
    assert Page(one_story).conflict_ids() == api_conflict_ids(client, story=ids["story"])
    assert "Only conflicts of the story" in one_story
    assert f'href="/ui/stories/{ids["story"]}#conflict-' in one_story  # links into the story


# --- 404s and escaping ----------------------------------------------------------------------------


def test_unknown_ids_and_paths_are_html_404_pages(site: tuple[TestClient, dict[str, str]]) -> None:
    client, _ = site
    story = page(client, "/ui/stories/s_nope", status=404)
    assert "no story with id &#39;s_nope&#39;" in story and "Not found" in story
    article = page(client, "/ui/articles/nope", status=404)
    assert "no article with id &#39;nope&#39;" in article
    nowhere = page(client, "/ui/nowhere/at/all", status=404)
    assert "there is no dashboard page at /ui/nowhere/at/all" in nowhere
    assert page(client, "/ui/?offset=-1", status=400)
    assert client.get("/nowhere").json()["error"]["code"] == "route_not_found"  # API unchanged


def test_user_text_is_escaped_and_only_web_urls_are_linked(fresh: Any) -> None:
    from factcheck.ingest import from_text

    client = fresh()
    record = {
        "source": "<b>evil</b>",
        "title": "<img src=x onerror=alert(1)>",
        "url": "javascript:alert(1)",
        "text": "The <script>alert(2)</script> council met on Monday to discuss the budget.",
    }
    r = client.post("/articles", json=record)  # the API refuses the url now
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_url", r.text
    # A store written before urls were checked may still hold one: the page must not link it.
    stored = client.app.state.workspace.ingest(from_text(**record))  # type: ignore[attr-defined]
    r = client.get(f"/articles/{stored.id}")
    assert r.status_code == 200, r.text
    article_id = stored.id
    for path in ("/ui/", f"/ui/articles/{article_id}", f"/ui/stories/{r.json()['story_id']}"):
        html = page(client, path)
        assert "<img src=x" not in html and "<b>evil" not in html and "<script>alert" not in html
    html = page(client, f"/ui/articles/{article_id}")
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html and "javascript:alert(1)" in html


# --- add an article (no JavaScript) ---------------------------------------------------------------


def test_add_form_posts_without_javascript_and_redirects_to_the_article(
    fresh: Any, story_records: Records
) -> None:
    client = fresh()
    form = page(client, "/ui/add")
    assert 'method="post"' in form and 'enctype="multipart/form-data"' in form
    wire = story_records["wire"]
    r = add(client, source=wire["source"], title=wire["title"], text=wire["text"], format="auto")
    assert r.status_code == 303
    wire_id = client.get("/articles").json()["items"][0]["id"]
    assert r.headers["location"] == f"/ui/articles/{wire_id}?added=1"
    paper = story_records["paper"]
    r = add(client, source=paper["source"], text=paper["text"], published="2025-02-14")
    assert r.status_code == 303
    html = page(client, r.headers["location"])
    assert "Article stored." in html and "See its story" in html
    assert "<mark>19 people</mark>" in html and "<mark>14 people</mark>" in html
    stored = client.get(r.headers["location"].split("?")[0].replace("/ui", "")).json()
    assert stored["published"] == "2025-02-14" and stored["conflicts"]
    again = add(client, source=paper["source"], text=paper["text"], published="2025-02-14")
    assert again.status_code == 303 and again.headers["location"].endswith("?existing=1")
    assert "already stored" in page(client, again.headers["location"])


def test_add_by_uploading_an_html_file(fresh: Any) -> None:
    client = fresh()
    html_page = (
        "<html><head><title>Ferry cancelled</title></head><body><nav><a href='/'>Home</a></nav>"
        "<article><h1>Ferry cancelled</h1>"
        + "".join(f"<p>{p}</p>" for p in FERRY_TEXT.split("\n\n"))
        + "</article></body></html>"
    )
    files = {"file": ("ferry.html", html_page.encode(), "text/html")}
    r = add(client, files=files, source="port-gazette")
    assert r.status_code == 303, r.text
    stored = client.get("/articles").json()["items"][0]
    assert stored["source"] == "port-gazette" and stored["title"] == "Ferry cancelled"
    html = page(client, r.headers["location"])
    assert "About 300 passengers were stranded overnight" in html
    pasted = add(client, source="ferry-blog", text=html_page, format="auto")  # HTML detected
    assert pasted.status_code == 303
    assert client.get("/articles", params={"source": "ferry-blog"}).json()["items"][0]["title"]


def test_add_errors_rerender_the_form_with_the_api_message_and_what_was_typed(
    fresh: Any,
) -> None:
    client = fresh()
    r = add(client, source="coast-wire", title="Kept & shown", text="   ")
    assert r.status_code == 400
    assert EMPTY.replace('"', "&#34;") in r.text
    assert 'value="coast-wire"' in r.text and 'value="Kept &amp; shown"' in r.text
    assert 'id="text"' in r.text and 'aria-invalid="true"' in r.text

    r = add(client, source="", text=FERRY_TEXT)
    assert r.status_code == 422
    assert NO_SOURCE.replace("'", "&#39;") in r.text
    assert "The ferry to Northport was cancelled" in r.text  # the text is kept
    assert re.search(r'id="source"[^>]*aria-invalid="true"', r.text)

    latin1 = "Le café du port a rouvert lundi après la tempête.".encode("latin-1")
    r = add(client, files={"file": ("cafe.txt", latin1, "text/plain")}, source="x")
    assert r.status_code == 400
    assert "the request body is not valid UTF-8 (byte 0xe9 at offset 6)" in r.text
    assert re.search(r'id="file"[^>]*aria-invalid="true"', r.text)

    r = add(client, files={"file": ("a.txt", FERRY_TEXT.encode(), "text/plain")}, source="x",
            text=FERRY_TEXT)  # fmt: skip
    assert r.status_code == 400 and "both pasted text and a file" in r.text

    r = add(client, source="x", text=FERRY_TEXT, published="yesterday-ish")
    assert r.status_code == 400 and "cannot read the date" in r.text
    assert re.search(r'id="published"[^>]*aria-invalid="true"', r.text)
    assert client.get("/health").json()["counts"]["articles"] == 0


def test_add_over_the_size_limit_is_refused_with_the_api_message(fresh: Any) -> None:
    client = fresh(max_body_bytes=300)
    r = add(client, source="x", text=FERRY_TEXT * 3)
    assert r.status_code == 413
    assert "the request body is larger than the limit of 300 bytes" in r.text
    assert client.get("/health").json()["counts"]["articles"] == 0


# --- keys -----------------------------------------------------------------------------------------


def test_api_key_keeps_reads_open_and_the_form_asks_for_the_key(fresh: Any) -> None:
    client = fresh(api_key="s3cret")
    assert page(client, "/ui/") and page(client, "/ui/conflicts")
    form = page(client, "/ui/add")
    assert 'id="key"' in form and 'type="password"' in form
    r = add(client, source="ferry-news", text=FERRY_TEXT)
    assert r.status_code == 401
    assert "adding articles needs the API key set in FACTCHECK_API_KEY" in r.text
    assert "The ferry to Northport" in r.text  # kept for the retry
    assert add(client, source="ferry-news", text=FERRY_TEXT, key="wrong").status_code == 403
    ok = add(client, source="ferry-news", text=FERRY_TEXT, key="s3cret")
    assert ok.status_code == 303
    assert 'value="s3cret"' not in page(client, "/ui/add")  # the key is never echoed


def test_read_key_needs_sign_in_then_pages_work(fresh: Any) -> None:
    client = fresh(api_key="writer", read_key="reader")
    signin = page(client, "/ui/conflicts", status=401)
    assert "needs the read key" in signin and 'action="/ui/key"' in signin
    assert client.get("/ui/").status_code == 401
    r = client.post("/ui/key", data={"key": "nope", "next": "/ui/conflicts"})
    assert r.status_code == 403 and "not one the server accepts" in r.text
    r = client.post(
        "/ui/key", data={"key": "reader", "next": "//evil.example/"}, follow_redirects=False
    )
    assert r.status_code == 303 and r.headers["location"] == "/ui/"  # never off-site
    assert "reader" not in r.headers["set-cookie"]  # a proof of the key, not the key
    assert page(client, "/ui/conflicts")
    form = page(client, "/ui/add")
    assert 'id="key"' in form  # the read key does not write
    assert add(client, source="x", text=FERRY_TEXT, key="reader").status_code == 403
    client.post("/ui/key/out")
    assert client.get("/ui/").status_code == 401
    bearer = client.get("/ui/", headers={"Authorization": "Bearer reader"})
    assert bearer.status_code == 200
    assert client.get("/stories").status_code == 401  # the JSON API keeps its own rule
