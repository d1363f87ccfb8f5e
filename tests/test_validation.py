"""User-given urls and source names: refused with a clear 4xx / CLI error, never a 500.

``http://[bad`` used to raise "Invalid IPv6 URL" deep in ingest (a 500 in the API, a traceback
in the CLI); ``javascript:`` urls were stored.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from factcheck.cli import cli
from factcheck.errors import InvalidSourceError, InvalidURLError
from factcheck.pipeline import Pipeline
from factcheck.validate import check_source, check_url
from service.app import create_app
from service.settings import Settings

TEXT = (
    "The harbor council approved the new ferry timetable on Monday after a long debate.\n\n"
    "Ferries will run every 20 minutes from April, the council said."
)
BAD_IPV6 = (
    "request body: the url 'http://[bad' is not a valid web address (Invalid IPv6 URL); send "
    "the article's web address, e.g. https://example.org/news/story (an IPv6 host goes in "
    "brackets: http://[2001:db8::1]/)"
)


@pytest.fixture
def client(tmp_path: Path, fake_pipeline: Pipeline) -> Iterator[TestClient]:
    app = create_app(Settings(data_dir=tmp_path / "data"), pipeline=fake_pipeline)
    with TestClient(app) as c:
        yield c


def error(r: Any, status: int) -> dict[str, Any]:
    assert r.status_code == status, r.text
    body = r.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "detail"}
    return dict(body["error"])


# --- the checks themselves ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [None, "", "  ", "http://example.org", "https://news.example.org/a/b?x=1#y",
     "HTTPS://EXAMPLE.ORG/", "http://[2001:db8::1]:8080/x", "http://127.0.0.1/",
     "https://www.example.org./x", "https://bücher.example/", "http://user:pw@my-host_1.org:8080",
     "http://localhost"],
)  # fmt: skip
def test_good_urls_pass(url: str | None) -> None:
    check_url(url, "x")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://[bad", "x: the url 'http://[bad' is not a valid web address (Invalid IPv6 URL)"),
        ("javascript:alert(1)", "x: the url 'javascript:alert(1)' must start with http:// or "
         "https:// (scheme 'javascript')"),
        ("data:text/html,hi", "x: the url 'data:text/html,hi' must start with http:// or "
         "https:// (scheme 'data')"),
        ("example.org/news", "x: the url 'example.org/news' must start with http:// or "
         "https:// (no scheme)"),
        ("http:///path", "x: the url 'http:///path' has no host name"),
        ("http://example.org:99999/", "x: the url 'http://example.org:99999/' is not a valid "
         "web address (Port out of range 0-65535)"),
        ("http://exa mple.org/", "x: the url 'http://exa mple.org/' contains a space or "
         "control character (U+0020 at position 10)"),
        ("http://example.org/\x00", "x: the url 'http://example.org/\\x00' contains a space or "
         "control character (U+0000 at position 19)"),
        ("http://e.org/" + "a" * 3000, "x: the url is 3,013 characters long (limit 2,048)"),
        ("http://%zz/", "x: the url 'http://%zz/' has an invalid host name ('%zz')"),
        ("https://exa\u00admple.org", "x: the url 'https://exa\\xadmple.org' has an invalid "
         "host name ('exa\\xadmple.org')"),
        ("http://a..b/", "x: the url 'http://a..b/' has an invalid host name ('a..b')"),
    ],
)  # fmt: skip
def test_bad_urls_are_refused_with_a_fix(url: str, message: str) -> None:
    with pytest.raises(InvalidURLError) as err:
        check_url(url, "x")
    assert err.value.message.startswith(message)
    assert "e.g. https://example.org/news/story" in err.value.message


def test_source_names() -> None:
    check_source("Coastal Wire", "x")
    check_source("Le Monde – édition", "x")
    with pytest.raises(InvalidSourceError) as err:
        check_source("wire\x00", "x")
    assert err.value.message == (
        "x: the source name contains a control character (U+0000 at position 4); send the "
        "outlet's name as plain text, e.g. \"Coastal Wire\""
    )
    with pytest.raises(InvalidSourceError) as err:
        check_source("w" * 201, "x")
    assert err.value.message == (
        "x: the source name is 201 characters long (limit 200); send the outlet's name as "
        "plain text, e.g. \"Coastal Wire\""
    )


# --- the API ---------------------------------------------------------------------------------


def test_post_article_with_an_unreadable_url_is_422(client: TestClient) -> None:
    err = error(client.post("/articles", json={"url": "http://[bad", "text": TEXT}), 422)
    assert err["code"] == "invalid_url" and err["message"] == BAD_IPV6
    err = error(
        client.post(
            "/articles",
            params={"url": "http://[bad"},
            content=TEXT.encode(),
            headers={"Content-Type": "text/plain"},
        ),
        422,
    )
    assert err["code"] == "invalid_url"
    assert err["message"].startswith("query parameter 'url': the url 'http://[bad' is not")
    html = '<html><head><link rel="canonical" href="http://[bad"></head><body>'
    html += "".join(f"<p>{p}</p>" for p in TEXT.split("\n\n")) + "</body></html>"
    r = client.post("/articles", content=html.encode(), headers={"Content-Type": "text/html"})
    assert r.status_code in (201, 422), r.text  # never a 500
    if r.status_code == 422:
        assert r.json()["error"]["code"] in ("invalid_url", "missing_source")
    assert client.get("/health").json()["counts"]["articles"] == (r.status_code == 201)


def test_post_article_refuses_javascript_urls_and_control_characters(client: TestClient) -> None:
    err = error(
        client.post("/articles", json={"source": "w", "url": "javascript:alert(1)", "text": TEXT}),
        422,
    )
    assert err["code"] == "invalid_url"
    assert err["message"] == (
        "request body: the url 'javascript:alert(1)' must start with http:// or https:// "
        "(scheme 'javascript'); send the article's web address, e.g. "
        "https://example.org/news/story"
    )
    err = error(client.post("/articles", json={"source": "wi\x01re", "text": TEXT}), 422)
    assert err["code"] == "invalid_source"
    assert err["message"].startswith("request body: the source name contains a control")
    err = error(
        client.post(
            "/articles",
            params={"source": "a\x00b"},
            content=TEXT.encode(),
            headers={"Content-Type": "text/plain"},
        ),
        422,
    )
    assert err["message"].startswith("query parameter 'source': the source name contains")
    assert client.get("/health").json()["counts"]["articles"] == 0


def test_compare_with_an_unreadable_url_is_422(client: TestClient) -> None:
    body = {"articles": [{"url": "http://[bad", "text": TEXT}, {"source": "b", "text": TEXT}]}
    err = error(client.post("/compare", json=body), 422)
    assert err["code"] == "invalid_url"
    assert err["message"] == BAD_IPV6.replace("request body", "articles[0]")


def test_bad_since_is_422_like_other_bad_parameters(client: TestClient) -> None:
    for path in ("/conflicts", "/conflicts.claimreview"):
        err = error(client.get(path, params={"since": "yesterday"}), 422)
        assert err["code"] == "invalid_request"
        assert err["message"] == (
            "query parameter 'since' ('yesterday') is not an ISO date or time; write it as "
            "YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS(+00:00)"
        )


# --- the CLI ---------------------------------------------------------------------------------


def test_cli_compare_names_the_file_with_an_unreadable_url(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"url": "http://[bad", "text": TEXT}), encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(TEXT, encoding="utf-8")
    result = CliRunner().invoke(cli, ["compare", str(good), str(bad)])
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"Error: {bad}: the url 'http://[bad' is not a valid web address (Invalid IPv6 URL); "
        "send the article's web address, e.g. https://example.org/news/story (an IPv6 host "
        "goes in brackets: http://[2001:db8::1]/)\n"
    )
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_compare_refuses_a_javascript_url(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    lines = [{"source": "a", "text": TEXT}, {"source": "b", "url": "javascript:x", "text": TEXT}]
    bad.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    result = CliRunner().invoke(cli, ["compare", str(bad)])
    assert result.exit_code == 1, result.output
    assert result.output == (
        f"Error: {bad}, record 2: the url 'javascript:x' must start with http:// or https:// "
        "(scheme 'javascript'); send the article's web address, e.g. "
        "https://example.org/news/story\n"
    )
