"""The HTTP API through TestClient: every endpoint and every error path, with the error shape.

Plumbing runs on the FakeEmbedder (no embedding model); facts and conflict rules are real.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from factcheck.pipeline import Pipeline
from service.app import create_app
from service.settings import Settings

Records = dict[str, dict[str, Any]]


class Clients:
    """Apps over one data directory (settings overridable), stopped at the end of a test."""

    def __init__(self, data_dir: Path, pipeline: Pipeline) -> None:
        self.data_dir = data_dir
        self.pipeline = pipeline
        self.running: list[TestClient] = []

    def __call__(self, **overrides: Any) -> TestClient:
        settings = Settings(data_dir=self.data_dir, **overrides)
        client = TestClient(create_app(settings, pipeline=self.pipeline))
        client.__enter__()  # runs the lifespan: pipeline warm-up + workspace
        self.running.append(client)
        return client

    def stop(self, client: TestClient) -> None:
        self.running.remove(client)
        client.__exit__(None, None, None)


@pytest.fixture
def make_client(tmp_path: Path, fake_pipeline: Pipeline) -> Iterator[Clients]:
    clients = Clients(tmp_path / "data", fake_pipeline)
    yield clients
    for client in list(clients.running):
        clients.stop(client)


@pytest.fixture
def client(make_client: Clients) -> TestClient:
    return make_client()


def assert_error(response: httpx.Response, status: int, code: str, message: str) -> dict[str, Any]:
    """The one error shape, with the expected status, code and message."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "detail"}
    assert body["error"]["code"] == code
    assert body["error"]["message"] == message
    return dict(body["error"])


def post(client: TestClient, record: dict[str, Any], **kw: Any) -> httpx.Response:
    return client.post("/articles", json=record, **kw)


# --- POST /articles -----------------------------------------------------------------------------


def test_post_stores_and_reposting_returns_the_same_id_with_200(
    client: TestClient, story_records: Records
) -> None:
    first = post(client, story_records["wire"])
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["source"] == "coast-wire" and body["title"] == "Bridge collapses"
    assert len(body["sentences"]) == 4 and body["sentences"][0]["index"] == 0
    assert body["matches"] == [] and body["conflicts"] == []
    assert body["duplicate_of"] is None and body["story_id"].startswith("s_")
    again = post(client, story_records["wire"])
    assert again.status_code == 200
    assert again.json() == body
    assert client.get("/health").json()["counts"]["articles"] == 1


def test_post_returns_matches_conflicts_and_story_of_the_other_source(
    client: TestClient, story_records: Records
) -> None:
    wire = post(client, story_records["wire"]).json()
    paper = post(client, story_records["paper"]).json()
    assert paper["story_id"] == wire["story_id"]
    assert {m["b"]["source"] for m in paper["matches"]} == {"coast-wire"}
    (number,) = [c for c in paper["conflicts"] if c["type"] == "number"]
    assert number["a"]["source"] == "harbor-daily" and number["b"]["source"] == "coast-wire"
    assert {s["text"] for s in number["a"]["spans"]} & {"19", "19 people"}
    assert number["severity"] in {"low", "medium", "high"} and number["explanation"]


def test_post_flags_republished_wire_copy(client: TestClient, story_records: Records) -> None:
    wire = post(client, story_records["wire"]).json()
    reprint = post(client, story_records["reprint"])
    assert reprint.status_code == 201
    assert reprint.json()["duplicate_of"] == wire["id"]


def test_post_raw_text_and_html_with_query_metadata(client: TestClient) -> None:
    text = "The ferry service to Northport resumed on Monday after a three-day strike ended."
    r = client.post(
        "/articles?source=ferry-news&title=Ferries&published=2024-05-06",
        content=text.encode(),
        headers={"Content-Type": "text/plain; charset=utf-8"},
    )
    assert r.status_code == 201, r.text
    assert (r.json()["source"], r.json()["published"]) == ("ferry-news", "2024-05-06")
    html = f"<html><head><title>Ferries</title></head><body><article><p>{text}</p></article>"
    r = client.post(
        "/articles?source=port-gazette",
        content=html.encode(),
        headers={"Content-Type": "text/html"},
    )
    assert r.status_code == 201, r.text
    assert r.json()["sentences"][0]["text"] == text


def test_the_article_lists_what_cleaning_removed_and_why(client: TestClient) -> None:
    text = (
        "Home | News | Sport | Weather\n\n"
        "The ferry service to Northport resumed on Monday after a three-day strike ended.\n\n"
        "Share this article\n\nLeave a reply"
    )
    r = client.post(
        "/articles?source=ferry-post",
        content=text.encode(),
        headers={"Content-Type": "text/plain; charset=utf-8"},
    )
    assert r.status_code == 201, r.text
    got = client.get(f"/articles/{r.json()['id']}").json()["removed_reasons"]
    assert {g["text"] for g in got} == {"Home | News | Sport | Weather", "Share this article",
                                        "Leave a reply"}  # fmt: skip
    assert all(g["reason"] and g["reason"] != "unrecorded" for g in got)


def test_post_latin1_is_accepted_when_declared(client: TestClient) -> None:
    text = "The café in Westhaven reopened on Monday after the flood, its owner said."
    r = client.post(
        "/articles?source=cafe-news",
        content=text.encode("latin-1"),
        headers={"Content-Type": "text/plain; charset=latin-1"},
    )
    assert r.status_code == 201, r.text
    assert "café" in r.json()["text"]


# --- POST /articles: bad input -> 4xx in the one shape ------------------------------------------

EMPTY = (
    "the request body is empty; send the article as JSON "
    '{"source": ..., "text": ...} (or "html"), or as text/plain or text/html with ?source=NAME'
)
NO_SOURCE = (
    "request body: the article has no source: give the outlet's name as the JSON field "
    "'source' or the query parameter ?source=NAME (or a url whose host can be used)"
)


def test_empty_body(client: TestClient) -> None:
    for ctype in ("application/json", "text/plain"):
        r = client.post("/articles", content=b"", headers={"Content-Type": ctype})
        assert_error(r, 400, "empty_body", EMPTY)
    r = client.post("/articles", content=b"   \n", headers={"Content-Type": "application/json"})
    assert_error(r, 400, "empty_body", EMPTY)


def test_non_utf8_body(client: TestClient) -> None:
    r = client.post(
        "/articles?source=x",
        content="Le café a rouvert lundi.".encode("latin-1"),
        headers={"Content-Type": "text/plain"},
    )
    err = assert_error(
        r,
        400,
        "undecodable",
        "the request body is not valid UTF-8 (byte 0xe9 at offset 6); encode the text as "
        "UTF-8, or declare its charset in the Content-Type header",
    )
    assert err["detail"] == {"offset": 6, "charset": "utf-8"}


def test_unknown_charset(client: TestClient) -> None:
    r = client.post(
        "/articles?source=x",
        content=b"Hello there.",
        headers={"Content-Type": "text/plain; charset=klingon"},
    )
    assert_error(
        r,
        400,
        "bad_format",
        "unknown charset 'klingon' in the Content-Type header; send UTF-8 "
        "(Content-Type: ...; charset=utf-8)",
    )


def test_body_over_the_limit_is_413(make_client: Clients, story_records: Records) -> None:
    client = make_client(max_body_bytes=200)
    message = (
        "the request body is larger than the limit of 200 bytes; send a smaller article "
        "(or raise FACTCHECK_MAX_BODY_BYTES on the server)"
    )
    err = assert_error(post(client, story_records["wire"]), 413, "body_too_large", message)
    assert err["detail"] == {"limit": 200}

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while streaming
        for _ in range(10):
            yield b"x" * 50

    r = client.post("/articles?source=x", content=chunks(), headers={"Content-Type": "text/plain"})
    assert_error(r, 413, "body_too_large", message)
    assert client.get("/health").json()["counts"]["articles"] == 0


def test_html_without_text(client: TestClient) -> None:
    html = b"<html><body><nav><a href='/'>Home</a></nav><script>x=1</script></body></html>"
    r = client.post("/articles?source=x", content=html, headers={"Content-Type": "text/html"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "empty_article"
    assert "no article text found after removing page boilerplate" in r.json()["error"]["message"]


def test_missing_source(client: TestClient) -> None:
    r = client.post("/articles", content=b"Some text here.", headers={"Content-Type": "text/plain"})
    assert_error(r, 422, "missing_source", NO_SOURCE)
    assert_error(post(client, {"text": "Some text here."}), 422, "missing_source", NO_SOURCE)
    html = b"<html><body><p>The mayor opened the new library on Monday morning.</p></body></html>"
    r = client.post("/articles", content=html, headers={"Content-Type": "text/html"})
    assert_error(r, 422, "missing_source", NO_SOURCE)


def test_source_from_query_fills_a_json_record(client: TestClient) -> None:
    r = post(
        client, {"text": "The mayor opened the new library on Monday."}, params={"source": "q"}
    )
    assert r.status_code == 201 and r.json()["source"] == "q"


def test_wrong_content_type(client: TestClient) -> None:
    r = client.post("/articles", content=b"<a/>", headers={"Content-Type": "application/xml"})
    assert_error(
        r,
        415,
        "unsupported_media_type",
        "unsupported media type: Content-Type 'application/xml'; send application/json "
        '({"source": ..., "text": ...}), or text/plain / text/html with ?source=NAME',
    )
    r = client.post("/articles", content=b"hello")
    assert r.status_code == 415 and "no Content-Type header" in r.json()["error"]["message"]


def test_bad_json_and_bad_records(client: TestClient) -> None:
    r = client.post(
        "/articles", content=b'{"source": "x",', headers={"Content-Type": "application/json"}
    )
    assert_error(
        r,
        400,
        "bad_format",
        "the request body is not valid JSON (line 1, column 16: Expecting property name "
        'enclosed in double quotes); send a JSON object such as {"source": "example-wire", '
        '"text": "..."}',
    )
    r = client.post("/articles", json=["a", "b"])
    assert_error(
        r,
        400,
        "bad_format",
        'the request body must be a JSON object like {"source": "example-wire", "text": "..."}, '
        "got list",
    )
    r = post(client, {"source": "x", "body": "text under the wrong key"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_format"
    assert "neither a 'text' nor an 'html' field" in r.json()["error"]["message"]
    r = post(client, {"source": "x", "text": 42})
    assert r.status_code == 400 and "field 'text' must be a string" in r.json()["error"]["message"]
    r = post(client, {"source": "x", "text": "A fine day.", "published": "yesterday-ish"})
    assert r.status_code == 400 and "cannot read the date" in r.json()["error"]["message"]


def test_hostile_json_is_a_4xx(client: TestClient) -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    r = client.post("/articles", content=deep, headers={"Content-Type": "application/json"})
    assert_error(
        r,
        400,
        "bad_format",
        "the request body nests JSON too deeply; send a flat object such as "
        '{"source": "example-wire", "text": "..."}',
    )
    lone = b'{"source": "x", "text": "Broken \\ud800 surrogate in a sentence."}'
    r = client.post("/articles", content=lone, headers={"Content-Type": "application/json"})
    assert_error(
        r,
        400,
        "undecodable",
        "the request body contains an unpaired surrogate escape (\\ud800); send valid Unicode text",
    )
    r = client.get("/articles", params={"offset": 2**70})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


# --- reads -----------------------------------------------------------------------------------


def test_list_get_and_paging(client: TestClient, story_records: Records) -> None:
    ids = [post(client, story_records[k]).json()["id"] for k in ("wire", "paper", "unrelated")]
    page = client.get("/articles", params={"limit": 2}).json()
    assert page["total"] == 3 and page["next_offset"] == 2
    assert [a["id"] for a in page["items"]] == ids[::-1][:2]  # newest first
    rest = client.get("/articles", params={"limit": 2, "offset": 2}).json()
    assert [a["id"] for a in rest["items"]] == [ids[0]] and rest["next_offset"] is None
    assert client.get("/articles", params={"source": "arts-weekly"}).json()["total"] == 1
    got = client.get(f"/articles/{ids[1]}").json()
    assert got["id"] == ids[1] and got["conflicts"] and got["text"].startswith("A pedestrian")


def test_unknown_ids_are_404(client: TestClient) -> None:
    assert_error(
        client.get("/articles/nope"),
        404,
        "not_found",
        "no article with id 'nope'; list stored ids with GET /articles",
    )
    assert_error(
        client.delete("/articles/nope"),
        404,
        "not_found",
        "no article with id 'nope'; list stored ids with GET /articles",
    )
    assert_error(
        client.get("/stories/s_nope"),
        404,
        "not_found",
        "no story with id 's_nope'; list stored stories with GET /stories",
    )


def test_bad_query_parameters_are_422(client: TestClient) -> None:
    err = assert_error(
        client.get("/articles", params={"limit": 0}),
        422,
        "invalid_request",
        "invalid request: query parameter 'limit': Input should be greater than or equal to 1. "
        "Fix the value and retry (see /docs)",
    )
    assert err["detail"][0]["loc"] == ["query", "limit"]
    r = client.get("/conflicts", params={"type": "spelling"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"
    assert "query parameter 'type'" in r.json()["error"]["message"]
    assert_error(
        client.get("/conflicts", params={"since": "last week"}),
        422,
        "invalid_request",
        "query parameter 'since' ('last week') is not an ISO date or time; write it as "
        "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS(+00:00)",
    )


def test_unknown_route_and_wrong_method(client: TestClient) -> None:
    assert_error(
        client.get("/nowhere"),
        404,
        "route_not_found",
        "no endpoint at GET /nowhere; see /docs for the list of endpoints",
    )
    assert_error(
        client.put("/articles"),
        405,
        "method_not_allowed",
        "PUT is not allowed on /articles; use GET, POST",
    )


def test_delete_removes_article_conflicts_and_story_membership(
    client: TestClient, story_records: Records
) -> None:
    wire = post(client, story_records["wire"]).json()
    paper = post(client, story_records["paper"]).json()
    assert client.get("/conflicts").json()["total"] >= 1
    r = client.delete(f"/articles/{paper['id']}")
    assert r.status_code == 200 and r.json() == {"id": paper["id"], "deleted": True}
    assert client.get(f"/articles/{paper['id']}").status_code == 404
    assert client.get("/conflicts").json()["total"] == 0
    story = client.get(f"/stories/{wire['story_id']}").json()
    assert [a["id"] for a in story["articles"]] == [wire["id"]]
    health = client.get("/health").json()
    assert health["index"]["size"] == health["counts"]["views"]


def test_conflicts_filters_and_claimreview(client: TestClient, story_records: Records) -> None:
    wire = post(client, story_records["wire"]).json()
    post(client, story_records["paper"])
    post(client, story_records["unrelated"])
    all_ = client.get("/conflicts").json()
    assert all_["total"] >= 1
    first = all_["items"][0]
    assert first["story_id"] == wire["story_id"] and first["created_at"]
    assert first["b_article"]["title"] == "Bridge collapses"
    numbers = client.get("/conflicts", params={"type": "number"}).json()
    assert numbers["total"] >= 1 and {c["type"] for c in numbers["items"]} == {"number"}
    sev = first["severity"]
    assert first["id"] in {
        c["id"] for c in client.get(f"/conflicts?severity={sev}").json()["items"]
    }
    assert client.get("/conflicts", params={"source": "arts-weekly"}).json()["total"] == 0
    assert client.get("/conflicts", params={"source": "coast-wire"}).json()["total"] >= 1
    assert client.get("/conflicts", params={"story": wire["story_id"]}).json()["total"] >= 1
    assert client.get("/conflicts", params={"story": "s_other"}).json()["total"] == 0
    assert client.get("/conflicts", params={"since": "2999-01-01"}).json()["total"] == 0
    assert client.get("/conflicts", params={"since": "2000-01-01"}).json()["total"] >= 1

    reviews = client.get("/conflicts.claimreview").json()
    assert reviews["total"] == all_["total"]
    review = reviews["items"][0]
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == first["a"]["text"]
    assert review["itemReviewed"]["appearance"][0]["publisher"]["name"] == first["a"]["source"]
    assert review["reviewRating"]["@type"] == "Rating"
    assert client.get("/conflicts", params={"format": "claimreview"}).json() == reviews


def test_stories(client: TestClient, story_records: Records) -> None:
    wire = post(client, story_records["wire"]).json()
    post(client, story_records["paper"])
    post(client, story_records["unrelated"])
    stories = client.get("/stories").json()
    assert stories["total"] == 2
    (bridge,) = [s for s in stories["items"] if s["id"] == wire["story_id"]]
    assert bridge["sources"] == ["coast-wire", "harbor-daily"] and bridge["n_articles"] == 2
    assert bridge["conflicts_by_type"].get("number", 0) >= 1
    assert bridge["first_seen"] <= bridge["last_seen"]
    story = client.get(f"/stories/{wire['story_id']}").json()
    assert len(story["articles"]) == 2 and story["conflicts"]
    assert any(
        c["conflicted"] and c["sources"] == ["coast-wire", "harbor-daily"] for c in story["claims"]
    )


# An invented later report of the bridge story: a third toll (23) and another meeting day.
BAY = {
    "source": "bay-times",
    "title": "Bridge down, 23 hurt",
    "text": (
        "A pedestrian bridge collapsed in the harbor town of Westhaven on Tuesday evening, "
        "injuring 23 people who were crossing it.\n\n"
        "Mayor Laura Finch said the steel structure had passed a safety inspection in March.\n\n"
        "The town council will hold an emergency meeting on Thursday to discuss the repairs."
    ),
}
RANK = {"low": 0, "medium": 1, "high": 2}


def _values(d: dict[str, Any]) -> dict[str, list[str]]:
    return {v["text"]: v["sources"] for v in d["values"]}


def test_disagreements_group_one_fact_across_outlet_pairs_worst_first(
    client: TestClient, story_records: Records
) -> None:
    for role in ("wire", "paper", "reprint"):
        post(client, story_records[role])
    bay = post(client, BAY)
    assert bay.status_code == 201
    posted = bay.json()["disagreements"]  # POST /articles: the new article's disputed facts
    assert [(d["type"], d["severity"]) for d in posted] == [("number", "high"), ("date", "medium")]
    story = client.get(f"/stories/{bay.json()['story_id']}").json()
    toll, meeting = story["disagreements"]
    # one disputed toll across five outlet pairs, each value with every outlet that gave it
    assert (toll["type"], toll["severity"]) == ("number", "high")
    assert _values(toll) == {
        "14 people": ["coast-wire", "regional-news"],
        "19 people": ["harbor-daily"],
        "23 people": ["bay-times"],
    }
    assert '14 people" (2 outlets: coast-wire, regional-news)' in toll["summary"]
    assert toll["summary"].count(" vs ") == 2
    assert (meeting["type"], meeting["severity"]) == ("date", "medium")
    assert _values(meeting) == {
        "Friday": ["coast-wire", "harbor-daily", "regional-news"],
        "Thursday": ["bay-times"],
    }
    # every conflict of the story (repeats through the wire copy folded under the one shown)
    # is in exactly one disagreement, of its own type
    by_id = {x["id"]: x for c in story["conflicts"] for x in (c, *c["copies"])}
    grouped = [cid for d in story["disagreements"] for cid in d["conflicts"]]
    assert sorted(grouped) == sorted(by_id)
    for d in story["disagreements"]:
        assert {by_id[cid]["type"] for cid in d["conflicts"]} == {d["type"]}
        assert d["severity"] == max((by_id[c]["severity"] for c in d["conflicts"]), key=RANK.get)
    # GET /articles/{id} says the same as the POST did
    assert client.get(f"/articles/{bay.json()['id']}").json()["disagreements"] == posted
    # POST /compare (the report JSON) groups the same way
    report = client.post(
        "/compare", json={"articles": [story_records["wire"], story_records["paper"], BAY]}
    ).json()
    assert [(d["type"], d["severity"]) for d in report["disagreements"]] == [
        ("number", "high"),
        ("date", "medium"),
    ]
    assert _values(report["disagreements"][0]) == {
        "14 people": ["coast-wire"],
        "19 people": ["harbor-daily"],
        "23 people": ["bay-times"],
    }


def test_an_update_is_stored_filtered_and_told_as_a_dated_timeline(
    client: TestClient, flood_records: Records
) -> None:
    post(client, flood_records["first"])
    later = post(client, flood_records["next"]).json()
    (update,) = later["conflicts"]
    assert update["type"] == "update" and update["relation"] == "same_fact"
    assert '"14 people" (valley-post, 2031-05-06) then "19 people"' in update["explanation"]
    # stored, listed by the type filter, and not a number conflict
    listed = client.get("/conflicts", params={"type": "update"}).json()
    assert [c["id"] for c in listed["items"]] == [update["id"]]
    assert client.get("/conflicts", params={"type": "number"}).json()["total"] == 0
    assert client.get("/stories").json()["items"][0]["conflicts_by_type"] == {"update": 1}
    # the disagreement is a timeline: values in date order, each dated
    (timeline,) = client.get(f"/stories/{later['story_id']}").json()["disagreements"]
    assert timeline["type"] == "update" and timeline["conflicts"] == [update["id"]]
    assert timeline["values"] == [
        {"text": "14 people", "sources": ["valley-post"], "published": "2031-05-06"},
        {"text": "19 people", "sources": ["river-herald"], "published": "2031-05-07"},
    ]
    assert timeline["summary"] == (
        '"14 people" (valley-post, 2031-05-06) then "19 people" (river-herald, 2031-05-07)'
    )
    assert later["disagreements"] == [timeline]


def test_wire_copies_are_counted_once_in_conflicts_and_stories(
    client: TestClient, story_records: Records, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck import records as store_module

    wire = post(client, story_records["wire"]).json()
    post(client, story_records["paper"])
    before = client.get("/conflicts").json()
    (story_before,) = client.get("/stories").json()["items"]
    assert before["total"] >= 1 and story_before["n_copies"] == 0
    reprint = post(client, story_records["reprint"]).json()
    assert reprint["duplicate_of"] == wire["id"]
    assert len(reprint["conflicts"]) == before["total"]  # the copy repeats every conflict
    # GET /conflicts: the same total, the originals shown, the repeats listed under them
    after = client.get("/conflicts").json()
    assert after["total"] == before["total"] == len(after["items"])
    assert {c["id"] for c in after["items"]} == {c["id"] for c in before["items"]}
    for c in after["items"]:
        assert {c["a"]["source"], c["b"]["source"]} == {"coast-wire", "harbor-daily"}
        (copy,) = c["copies"]
        assert c["n_copies"] == 1
        assert {copy["a"]["source"], copy["b"]["source"]} == {"regional-news", "harbor-daily"}
        assert reprint["id"] in {copy["a_article"]["id"], copy["b_article"]["id"]}
        assert copy["type"] == c["type"]
    assert client.get("/conflicts.claimreview").json()["total"] == before["total"]
    by_severity = client.get("/conflicts", params={"sort": "severity"}).json()
    assert by_severity["total"] == before["total"]
    paged = client.get("/conflicts", params={"limit": 1}).json()
    assert paged["total"] == before["total"] and len(paged["items"]) == 1
    assert paged["next_offset"] == (1 if before["total"] > 1 else None)
    # asked for the copy's outlet, its own conflicts are what is shown
    copy_only = client.get("/conflicts", params={"source": "regional-news"}).json()
    assert copy_only["total"] == before["total"]
    assert all("regional-news" in (c["a"]["source"], c["b"]["source"]) for c in copy_only["items"])
    # GET /stories: counts fold the copy; the copy itself is counted as one
    (story,) = client.get("/stories").json()["items"]
    assert story["n_conflicts"] == story_before["n_conflicts"] == before["total"]
    assert story["conflicts_by_type"] == story_before["conflicts_by_type"]
    assert story["n_matches"] == story_before["n_matches"]
    assert (story["n_articles"], story["n_copies"]) == (3, 1)
    detail = client.get(f"/stories/{story['id']}").json()
    assert len(detail["conflicts"]) == detail["pages"]["conflicts"]["total"] == before["total"]
    assert detail["n_conflicts"] == before["total"]
    # a long list of copies is counted in full but listed only in part
    monkeypatch.setattr(store_module, "COPIES_LISTED", 0)
    capped = client.get("/conflicts").json()["items"]
    assert all((c["n_copies"], c["copies"]) == (1, []) for c in capped)
    # without the copy there is nothing to fold
    client.delete(f"/articles/{reprint['id']}")
    again = client.get("/conflicts").json()
    assert again["total"] == before["total"] and all(c["copies"] == [] for c in again["items"])


def test_two_reprints_of_one_wire_text_fold_into_one_conflict_with_two_copies(
    client: TestClient, story_records: Records
) -> None:
    post(client, story_records["wire"])
    post(client, story_records["paper"])
    before = client.get("/conflicts").json()
    post(client, story_records["reprint"])
    second = post(client, {**story_records["reprint"], "source": "valley-courier"}).json()
    assert second["duplicate_of"] is not None
    after = client.get("/conflicts", params={"sort": "severity"}).json()
    assert after["total"] == before["total"]
    for c in after["items"]:
        assert {c["a"]["source"], c["b"]["source"]} == {"coast-wire", "harbor-daily"}
        assert c["n_copies"] == 2
        assert {s for x in c["copies"] for s in (x["a"]["source"], x["b"]["source"])} == {
            "regional-news",
            "valley-courier",
            "harbor-daily",
        }
    (story,) = client.get("/stories").json()["items"]
    assert (story["n_articles"], story["n_copies"], story["n_conflicts"]) == (4, 2, before["total"])


def test_story_detail_is_paged_with_a_total_for_each_list(
    client: TestClient, story_records: Records
) -> None:
    for role in ("wire", "paper", "reprint"):
        post(client, story_records[role])
    story_id = post(client, BAY).json()["story_id"]
    full = client.get(f"/stories/{story_id}").json()  # the default page (50) holds it all
    pages = full["pages"]
    assert pages["articles"] == {"total": 4, "limit": 50, "offset": 0, "next_offset": None}
    assert pages["claims"]["total"] == len(full["claims"]) >= 2
    assert pages["conflicts"]["total"] == len(full["conflicts"]) == full["n_conflicts"] >= 2
    one = client.get(f"/stories/{story_id}", params={"limit": 1}).json()
    assert len(one["articles"]) == len(one["claims"]) == len(one["conflicts"]) == 1
    assert one["pages"]["articles"] == {"total": 4, "limit": 1, "offset": 0, "next_offset": 1}
    for name in ("claims", "conflicts"):
        assert one["pages"][name]["total"] == pages[name]["total"]
    assert one["disagreements"] == full["disagreements"]  # over the whole story, any page
    assert one["n_conflicts"] == full["n_conflicts"]
    # walking each list's offset gives every item once, in the same order as one big page
    for name, key in (("articles", "id"), ("conflicts", "id"), ("claims", "sentences")):
        seen: list[Any] = []
        offset: int | None = 0
        while offset is not None:
            part = client.get(
                f"/stories/{story_id}", params={"limit": 1, f"{name}_offset": offset}
            ).json()
            seen += [item[key] for item in part[name]]
            offset = part["pages"][name]["next_offset"]
        assert seen == [item[key] for item in full[name]], name
    last = client.get(f"/stories/{story_id}", params={"limit": 3, "articles_offset": 3}).json()
    assert len(last["articles"]) == 1 and last["pages"]["articles"]["next_offset"] is None
    assert last["articles"][0]["id"] == full["articles"][3]["id"]
    assert client.get(f"/stories/{story_id}", params={"limit": 0}).status_code == 422
    assert client.get(f"/stories/{story_id}", params={"conflicts_offset": -1}).status_code == 422
    assert client.get("/stories/s_nope", params={"limit": 1}).status_code == 404
    spec = client.get("/openapi.json").json()["paths"]["/stories/{story_id}"]["get"]
    assert {"limit", "articles_offset", "claims_offset", "conflicts_offset"} <= {
        p["name"] for p in spec["parameters"]
    }


def test_conflicts_sorted_by_severity(client: TestClient, story_records: Records) -> None:
    for role in ("wire", "paper", "reprint"):
        post(client, story_records[role])
    post(client, BAY)
    newest = client.get("/conflicts").json()["items"]
    worst = client.get("/conflicts", params={"sort": "severity"}).json()["items"]
    assert sorted(c["id"] for c in worst) == sorted(c["id"] for c in newest)
    ranks = [RANK[c["severity"]] for c in worst]
    assert ranks == sorted(ranks, reverse=True) and ranks[0] > ranks[-1]
    # within a severity, newest first (the order of the default listing)
    order = {c["id"]: i for i, c in enumerate(newest)}
    for rank in set(ranks):
        same = [order[c["id"]] for c in worst if RANK[c["severity"]] == rank]
        assert same == sorted(same)
    paged = client.get("/conflicts", params={"sort": "severity", "limit": 3, "offset": 3})
    assert [c["id"] for c in paged.json()["items"]] == [c["id"] for c in worst[3:6]]
    r = client.get("/conflicts", params={"sort": "loudest"})
    assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_request"


# --- compare, health, docs ---------------------------------------------------------------------


def test_compare_reports_and_stores_nothing(client: TestClient, story_records: Records) -> None:
    r = client.post("/compare", json={"articles": [story_records["wire"], story_records["paper"]]})
    assert r.status_code == 200, r.text
    report = r.json()
    assert report["schema"] == "factcheck.report/1"
    assert report["summary"]["articles"] == 2 and report["conflicts"]
    assert client.get("/health").json()["counts"]["articles"] == 0


def test_compare_errors(client: TestClient, story_records: Records) -> None:
    one = client.post("/compare", json={"articles": [story_records["wire"]]})
    assert_error(
        one,
        422,
        "too_few_sources",
        "compare needs two or more articles, got 1; add articles from another source to the "
        "'articles' list",
    )
    same = dict(story_records["paper"], source="coast-wire")
    r = client.post("/compare", json=[story_records["wire"], same])
    assert r.status_code == 422 and r.json()["error"]["code"] == "too_few_sources"
    r = client.post("/compare", json={"articles": "nope"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "bad_format"
    r = client.post("/compare", json=[story_records["wire"], {"source": "x"}])
    assert r.status_code == 400 and r.json()["error"]["message"].startswith("articles[1]:")
    r = client.post("/compare", content=b"x", headers={"Content-Type": "text/plain"})
    assert r.status_code == 415


def test_health_and_openapi(client: TestClient) -> None:
    h = client.get("/health").json()
    assert h["status"] == "ok" and h["model"] == "fake-bag-of-words"
    assert h["index"]["kind"] == "flat" and h["index"]["size"] == 0
    assert set(h["counts"]) >= {"articles", "conflicts", "stories", "views"}
    paths = client.get("/openapi.json").json()["paths"]
    assert {
        "/articles",
        "/articles/{article_id}",
        "/conflicts",
        "/conflicts.claimreview",
        "/stories",
        "/stories/{story_id}",
        "/compare",
        "/health",
    } <= set(paths)
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for model in ("StoryOut", "ArticleOut", "ReportOut"):
        assert schemas[model]["properties"]["disagreements"]["items"] == {
            "$ref": "#/components/schemas/DisagreementOut"
        }
    assert set(schemas["DisagreementOut"]["required"]) == {
        "type", "severity", "summary", "values", "conflicts"
    }  # fmt: skip
    compare = spec["paths"]["/compare"]["post"]["responses"]["200"]["content"]
    assert compare["application/json"]["schema"] == {"$ref": "#/components/schemas/ReportOut"}
    params = {p["name"]: p for p in spec["paths"]["/conflicts"]["get"]["parameters"]}
    assert "update" in str(params["type"]["schema"])
    assert "severity" in str(params["sort"]["schema"])


# --- access keys -------------------------------------------------------------------------------


def test_api_key_guards_writes_only(make_client: Clients, story_records: Records) -> None:
    client = make_client(api_key="s3cret")
    r = post(client, story_records["wire"])
    assert_error(
        r,
        401,
        "unauthorized",
        "writes need an API key: send 'Authorization: Bearer <key>' with the key set in "
        "FACTCHECK_API_KEY on the server",
    )
    assert r.headers["www-authenticate"] == "Bearer"
    assert_error(
        post(client, story_records["wire"], headers={"Authorization": "Bearer wrong"}),
        403,
        "forbidden",
        "the key sent is not valid for writes; use the key set in FACTCHECK_API_KEY on the server",
    )
    assert_error(
        post(client, story_records["wire"], headers={"Authorization": "Basic czNjcmV0"}),
        401,
        "unauthorized",
        "the Authorization header must be 'Bearer <key>'",
    )
    ok = post(client, story_records["wire"], headers={"Authorization": "Bearer s3cret"})
    assert ok.status_code == 201
    assert client.delete(f"/articles/{ok.json()['id']}").status_code == 401
    assert client.get("/articles").status_code == 200  # reads stay open
    assert client.get("/conflicts").status_code == 200


def test_read_key_guards_reads_too(make_client: Clients) -> None:
    client = make_client(api_key="writer", read_key="reader")
    assert_error(
        client.get("/articles"),
        401,
        "unauthorized",
        "reads need an API key: send 'Authorization: Bearer <key>' with the key set in "
        "FACTCHECK_READ_KEY on the server",
    )
    for key in ("reader", "writer"):
        r = client.get("/stories", headers={"Authorization": f"Bearer {key}"})
        assert r.status_code == 200
    assert client.get("/conflicts", headers={"Authorization": "Bearer x"}).status_code == 403
    r = client.post("/articles", json={}, headers={"Authorization": "Bearer reader"})
    assert r.status_code == 403  # the read key does not write
    health = client.get("/health")
    assert health.status_code == 200  # liveness stays open
    assert "data_dir" not in health.json()  # but does not say where the data lives


def test_claimreview_types_an_office_as_an_organization() -> None:
    from service.claimreview import claim_review

    def author(speaker: str) -> str:
        review = claim_review({"id": "x", "type": "quote", "a": {"text": "t", "speaker": speaker}})
        return str(review["itemReviewed"]["author"]["@type"])

    assert author("the Foreign Ministry") == "Organization"
    assert author("Kremlin") == "Organization"
    assert author("Dmitry Peskov") == "Person"


# --- concurrency and restarts ------------------------------------------------------------------


def test_concurrent_posts_lose_nothing(client: TestClient) -> None:
    texts = [
        f"Report {i}: the harbor of town number {i} reopened after {i + 3} days of repairs, "
        f"officials from district {i} said on Monday."
        for i in range(10)
    ]
    statuses: list[int] = []
    lock = threading.Lock()

    def send(i: int) -> None:
        j = i % len(texts)
        r = post(client, {"source": f"outlet-{j % 4}", "text": texts[j]})
        with lock:
            statuses.append(r.status_code)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(20)]  # each text twice
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(statuses) == [200] * 10 + [201] * 10
    h = client.get("/health").json()
    assert h["counts"]["articles"] == 10 and h["index"]["size"] == h["counts"]["views"]


def test_restart_keeps_everything_and_rebuilds_a_missing_index(
    make_client: Clients, story_records: Records, tmp_path: Path
) -> None:
    client = make_client()
    ids = [post(client, story_records[k]).json()["id"] for k in ("wire", "paper")]
    before = {p: client.get(p).json() for p in ("/articles", "/conflicts", "/stories")}
    make_client.stop(client)
    (tmp_path / "data" / "index.faiss").unlink()
    again = make_client()
    assert {p: again.get(p).json() for p in before} == before
    h = again.get("/health").json()
    assert h["status"] == "ok" and h["index"]["size"] == h["counts"]["views"] > 0
    assert post(again, story_records["paper"]).status_code == 200
    assert again.get(f"/articles/{ids[0]}").json()["conflicts"]
