"""The CLI's contract: help on every command, exact error text, exit codes (no model needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from factcheck.cli import cli

ONE = "The council approved the new budget on Tuesday after a long debate.\n"


@pytest.fixture()
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.chdir(tmp_path)  # error messages name the paths as the user typed them
    return CliRunner()


@pytest.mark.parametrize("command", [[], ["compare"], ["serve"], ["calibrate"]])
def test_every_command_has_help(runner: CliRunner, command: list[str]) -> None:
    res = runner.invoke(cli, [*command, "--help"])
    assert res.exit_code == 0
    assert "Usage: " in res.output and len(res.output.splitlines()) > 4


def test_missing_file(runner: CliRunner, tmp_path: Path) -> None:
    Path("a.txt").write_text(ONE)
    res = runner.invoke(cli, ["compare", "a.txt", "nope.txt"])
    assert res.exit_code == 1
    assert res.output.startswith("Error: nope.txt: no such file or directory; check the path")


def test_undecodable_file(runner: CliRunner, tmp_path: Path) -> None:
    Path("a.txt").write_text(ONE)
    Path("b.txt").write_bytes("Le conseil a vot\xe9 le budget mardi.".encode("latin-1"))
    res = runner.invoke(cli, ["compare", "a.txt", "b.txt"])
    assert res.exit_code == 1
    assert "Error: b.txt: is not UTF-8 text (byte 0xe9 at byte offset 16)." in res.output
    assert "iconv -f latin1 -t utf-8 b.txt" in res.output


def test_empty_article(runner: CliRunner, tmp_path: Path) -> None:
    Path("a.txt").write_text(ONE)
    Path("b.txt").write_text("Home | News | Sport\n\nSubscribe to our newsletter\n")
    res = runner.invoke(cli, ["compare", "a.txt", "b.txt"])
    assert res.exit_code == 1
    assert res.output.startswith("Error: b.txt: no article text found after removing page")


def test_fewer_than_two_sources(runner: CliRunner, tmp_path: Path) -> None:
    Path("a.txt").write_text(ONE)
    res = runner.invoke(cli, ["compare", "a.txt"])
    assert res.exit_code == 1
    assert res.output == (
        "Error: compare needs articles from at least two sources; got 1 article(s) all from "
        "'a'. Add an article from another outlet, or give each article its own source (the "
        "JSON 'source' field, or separate files). On the command line NAME=PATH names a "
        "file's source, e.g. `factcheck compare rt=a.txt afp=b.txt`.\n"
    )


def test_no_paths_is_a_usage_error(runner: CliRunner) -> None:
    res = runner.invoke(cli, ["compare"])
    assert res.exit_code == 2
    assert "Missing argument '[NAME=]PATH...'" in res.output


def test_unknown_format(runner: CliRunner, tmp_path: Path) -> None:
    res = runner.invoke(cli, ["compare", str(tmp_path), "--format", "xml"])
    assert res.exit_code == 2
    assert "'xml' is not one of 'table', 'json', 'html'" in res.output


def test_explain_cleaning_lists_every_removed_paragraph_with_its_rule(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fakes import FakeEmbedder  # tests/ is on sys.path (rootdir conftest)

    import factcheck.pipeline

    real = factcheck.pipeline.Pipeline
    monkeypatch.setattr(
        factcheck.pipeline,
        "Pipeline",
        lambda config: real(config, embedder=FakeEmbedder(), relation=None),
    )
    Path("a.txt").write_text(
        " date 2022-03-09 Council backs harbour budget after long debate\n\n"
        "By Ana Lopes\n\n" + ONE + "\nTweet\n\nThe vote passed 27 to 12 on Tuesday night.\n"
    )
    Path("b.txt").write_text(
        "PORT LENNA (AP) — " + ONE + "\nRelated Links\n\nThe mayor welcomed the vote.\n"
    )
    plain = runner.invoke(cli, ["compare", "a.txt", "b.txt", "--format", "json"])
    res = runner.invoke(
        cli, ["compare", "a.txt", "b.txt", "--format", "json", "--explain-cleaning"]
    )
    assert plain.exit_code == res.exit_code == 0, res.output
    assert res.stderr == (
        "a.txt: 3 paragraphs removed by cleaning\n"
        "  [page-store date stamp] date 2022-03-09\n"
        "  [byline/timestamp] By Ana Lopes\n"
        "  [share/follow button] Tweet\n"
        "b.txt: 3 paragraphs removed by cleaning\n"
        "  [dateline] PORT LENNA (AP) —\n"
        "  [related links] Related Links\n"
        "  [after related links] The mayor welcomed the vote.\n"
    )
    assert res.stdout == plain.stdout  # the report itself is unchanged
    assert plain.stderr == ""
