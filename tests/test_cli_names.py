"""``factcheck compare NAME=PATH`` and ``--source NAME``: name the source of plain files.

Without them two text files of one outlet's reports need two file names; with them any file can
be any source. Errors name the file (or the argument) they come from.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from factcheck import pipeline as pipeline_module
from factcheck.cli import cli, load_named, named_paths
from factcheck.ingest import article_id

WIRE = (
    "A pedestrian bridge collapsed in the harbor town of Westhaven on Tuesday evening, "
    "injuring 14 people who were crossing it.\n\n"
    "Mayor Laura Finch said the steel structure had passed a safety inspection in March."
)
PAPER = WIRE.replace("14 people", "19 people")


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)
    Path("a.txt").write_text(WIRE, encoding="utf-8")
    Path("b.txt").write_text(PAPER, encoding="utf-8")
    return CliRunner()


@pytest.fixture()
def fake_models(monkeypatch: pytest.MonkeyPatch) -> None:
    """compare runs over the FakeEmbedder and no relation model (no model download/load)."""
    from fakes import FakeEmbedder

    real = pipeline_module.Pipeline

    def make(config: Any = None, **kw: Any) -> Any:
        return real(config, embedder=FakeEmbedder(), relation=None)

    monkeypatch.setattr(pipeline_module, "Pipeline", make)


def _sources(output: str) -> list[tuple[str, str]]:
    report = json.loads(output)
    return [(a["source"], a["id"]) for a in report["articles"]]


def test_name_equals_path_names_the_sources(runner: CliRunner, fake_models: None) -> None:
    res = runner.invoke(cli, ["compare", "rt=a.txt", "Coastal Wire=b.txt", "--format", "json"])
    assert res.exit_code == 0, res.output
    got = _sources(res.stdout)
    assert sorted(s for s, _ in got) == ["Coastal Wire", "rt"]
    ids = dict(got)
    assert ids["rt"] == article_id("rt", WIRE) and ids["Coastal Wire"] == article_id(
        "Coastal Wire", PAPER
    )
    assert json.loads(res.stdout)["conflicts"], "the 14 vs 19 disagreement is found"


def test_one_source_option_per_path(runner: CliRunner, fake_models: None) -> None:
    res = runner.invoke(
        cli, ["compare", "a.txt", "b.txt", "-s", "Wire", "--source", "Paper", "--format", "json"]
    )
    assert res.exit_code == 0, res.output
    assert sorted(s for s, _ in _sources(res.stdout)) == ["Paper", "Wire"]


def test_the_same_file_under_two_names_is_two_sources(runner: CliRunner) -> None:
    arts = load_named(named_paths(["x=a.txt", "y=a.txt"], []))
    assert [a.source for a in arts] == ["x", "y"]
    assert arts[0].id != arts[1].id and arts[0].text == arts[1].text


def test_a_record_id_given_in_json_is_kept(runner: CliRunner) -> None:
    Path("c.json").write_text(json.dumps({"id": "mine", "source": "s", "text": WIRE}))
    Path("d.json").write_text(json.dumps({"source": "s", "text": WIRE}))
    c, d = load_named(named_paths(["new=c.json", "new=d.json"], []))
    assert (c.source, c.id) == ("new", "mine")
    assert (d.source, d.id) == ("new", article_id("new", WIRE))


def test_a_file_whose_name_holds_an_equals_sign_is_a_path(runner: CliRunner) -> None:
    Path("x=y.txt").write_text(WIRE, encoding="utf-8")
    assert named_paths(["x=y.txt", "n=b.txt"], []) == [(None, "x=y.txt"), ("n", "b.txt")]
    assert named_paths(["dir/x=y.txt"], []) == [(None, "dir/x=y.txt")]  # a name has no "/"
    assert load_named(named_paths(["x=y.txt"], []))[0].source == "x=y"


def test_a_folder_gets_the_name_for_all_its_files(runner: CliRunner) -> None:
    Path("dir").mkdir()
    Path("dir/one.txt").write_text(WIRE, encoding="utf-8")
    Path("dir/two.txt").write_text(PAPER, encoding="utf-8")
    arts = load_named(named_paths(["afp=dir"], []))
    assert [(a.source, a.origin) for a in arts] == [
        ("afp", str(Path("dir/one.txt"))), ("afp", str(Path("dir/two.txt"))),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "a.txt", "b.txt", "-s", "x"],
         "Error: got 2 path(s) but 1 --source name(s); give one --source per path, in the same "
         "order (or write NAME=PATH)\n"),
        (["compare", "=a.txt", "b.txt"],
         "Error: '=a.txt': write NAME=PATH with both parts, e.g. rt=article.txt\n"),
        (["compare", "rt=", "b.txt"],
         "Error: 'rt=': write NAME=PATH with both parts, e.g. rt=article.txt\n"),
        (["compare", "rt=a.txt", "b.txt", "-s", "x", "-s", "y"],
         "Error: 'rt=a.txt' names its source and --source is given too; use one of the two\n"),
        (["compare", "a.txt", "b.txt", "-s", " ", "-s", "y"],
         "Error: --source number 1 is empty; give the outlet's name\n"),
    ],
)  # fmt: skip
def test_usage_errors_exit_2(runner: CliRunner, args: list[str], message: str) -> None:
    res = runner.invoke(cli, args)
    assert res.exit_code == 2
    assert res.stderr.endswith(message), res.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "rt=nope.txt", "b.txt"],
         "Error: nope.txt: no such file or directory; check the path (relative paths start "
         "from {cwd})\n"),
        (["compare", "r\x01t=a.txt", "b.txt"],
         "Error: source name for a.txt: the source name contains a control character (U+0001 "
         "at position 1); send the outlet's name as plain text, e.g. \"Coastal Wire\"\n"),
        (["compare", "rt=a.txt", "rt=b.txt"],
         "Error: compare needs articles from at least two sources; got 2 article(s) all from "
         "'rt'. Add an article from another outlet, or give each article its own source (the "
         "JSON 'source' field, or separate files). On the command line NAME=PATH names a "
         "file's source, e.g. `factcheck compare rt=a.txt afp=b.txt`.\n"),
        (["compare", "rt=a.txt", "afp=empty.txt"],
         "Error: empty.txt: the file is empty; "),
    ],
)  # fmt: skip
def test_input_errors_name_the_file_and_exit_1(
    runner: CliRunner, args: list[str], message: str
) -> None:
    Path("empty.txt").write_text("", encoding="utf-8")
    res = runner.invoke(cli, args)
    assert res.exit_code == 1
    assert res.stderr.startswith(message.format(cwd=Path.cwd())), res.stderr


def test_an_article_too_long_to_parse_names_its_file(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    from factcheck import nlp

    monkeypatch.setattr(nlp, "max_length", lambda: 100)
    res = runner.invoke(cli, ["compare", "rt=a.txt", "afp=b.txt"])
    assert res.exit_code == 1
    assert res.stderr == (
        f"Error: a.txt: the article is {len(WIRE):,} characters long after cleaning, over the "
        "100 that can be analysed at once; split it into several files\n"
    )


def test_an_unwritable_output_names_the_file(runner: CliRunner, fake_models: None) -> None:
    res = runner.invoke(cli, ["compare", "rt=a.txt", "afp=b.txt", "-o", "nodir/report.json"])
    assert res.exit_code == 1
    assert res.stderr == (
        "Error: nodir/report.json: cannot write the report (No such file or directory); choose "
        "a writable path with --output, or leave it out to print the report\n"
    )


PAGE = (
    '<html><head><link rel="canonical" href="{url}"><title>Bridge</title></head><body><article>'
    + "".join(f"<p>{p}</p>" for p in WIRE.split("\n\n"))
    + "</article></body></html>"
)


@pytest.mark.parametrize("url", ["http://[bad", "javascript:alert(1)", "ftp://x.example/a"])
def test_a_page_whose_own_url_is_not_a_web_address_still_loads(
    runner: CliRunner, url: str
) -> None:
    Path("page.html").write_text(PAGE.format(url=url), encoding="utf-8")
    for spec, source in (("page.html", "page"), ("herald=page.html", "herald")):
        (article,) = load_named(named_paths([spec], []))
        assert article.source == source and "pedestrian bridge" in article.text
        assert article.url is None or article.url.startswith(("http://", "https://"))
        assert article.url != url
