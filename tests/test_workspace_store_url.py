"""Choosing the store by URL: settings, the CLI option, and errors that say how to fix them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from factcheck import backends
from factcheck.errors import StoreError
from factcheck.pipeline import Pipeline
from factcheck.workspace import Workspace


def test_the_store_url_setting_decides_where_the_workspace_lives(
    tmp_path: Path, fake_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.settings import Settings

    elsewhere = tmp_path / "elsewhere"
    monkeypatch.setenv("FACTCHECK_STORE_URL", f"sqlite://{elsewhere}")
    settings = Settings(data_dir=tmp_path / "unused")
    assert settings.store_location() == f"sqlite://{elsewhere}"
    with Workspace(settings.store_location(), fake_pipeline) as ws:
        assert ws.data_dir == elsewhere
        assert ws.health()["store"]["backend"] == "sqlite"
    assert (elsewhere / "factcheck.sqlite3").is_file() and not (tmp_path / "unused").exists()
    monkeypatch.setenv("FACTCHECK_STORE_URL", "")  # empty: the data folder, as before
    plain = Settings(data_dir=tmp_path / "d")
    assert plain.store_location() == backends.sqlite_url(tmp_path / "d")
    assert plain.store_location() == f"sqlite://{(tmp_path / 'd').resolve()}"


def test_a_path_and_its_sqlite_url_open_the_same_store(
    tmp_path: Path, fake_pipeline: Pipeline, make_article: Any, story_records: Any
) -> None:
    with Workspace(tmp_path / "d", fake_pipeline) as ws:
        wire = story_records["wire"]
        stored = ws.ingest(make_article(wire["text"], source=wire["source"]))
    with Workspace(backends.sqlite_url(tmp_path / "d"), fake_pipeline) as ws:
        assert ws.get(stored.id)["source"] == stored.article["source"]


def test_unknown_and_uninstalled_backends_say_how_to_fix(
    tmp_path: Path, fake_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(StoreError, match=r"unknown store URL scheme 'mysql'.*sqlite://"):
        Workspace("mysql://u@h/db", fake_pipeline)
    with pytest.raises(StoreError, match="not a store URL"):
        backends.scheme_of("just-a-name")
    monkeypatch.delitem(backends._REGISTRY, "postgresql", raising=False)
    monkeypatch.setitem(backends._PLUGINS, "postgresql", ("factcheck.backends._absent", "postgres"))
    with pytest.raises(StoreError, match=r"pip install 'factcheck\[postgres\]'"):
        Workspace("postgresql://fc:secret@db/factcheck", fake_pipeline)


def test_a_registered_scheme_is_opened_by_its_openers(
    tmp_path: Path, fake_pipeline: Pipeline, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What a plugin does (``backends.register``): here SQLite under another name."""
    seen: list[str] = []
    kind = backends.backend_kind("sqlite:///x")

    def repository(url: str, options: backends.BackendOptions) -> Any:
        seen.append(url)
        return kind.open_repository("sqlite://" + str(tmp_path / "p"), options)

    def vectors(url: str, repo: Any, options: backends.BackendOptions) -> Any:
        return kind.open_vectors("sqlite://" + str(tmp_path / "p"), repo, options)

    monkeypatch.setitem(
        backends._REGISTRY, "other", backends.BackendKind("other", repository, vectors)
    )
    with Workspace("other://somewhere", fake_pipeline) as ws:
        assert ws.data_dir is None and ws.health()["data_dir"] == "other://somewhere"
    assert seen == ["other://somewhere"]


def test_passwords_never_reach_messages_or_health() -> None:
    assert backends.redact("postgresql://fc:secret@db:5432/x") == "postgresql://fc:***@db:5432/x"
    assert backends.redact("sqlite:///srv/data") == "sqlite:///srv/data"


def test_serve_passes_the_store_option_through(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    import service.app
    from factcheck import cli, doctor

    got: dict[str, Any] = {}
    monkeypatch.setattr(doctor, "problems", lambda: [])
    monkeypatch.setattr(service.app, "serve", lambda **kw: got.update(kw))
    result = CliRunner().invoke(cli.cli, ["serve", "--store", "sqlite:///srv/fc"])
    assert result.exit_code == 0, result.output
    assert got["store_url"] == "sqlite:///srv/fc"
    monkeypatch.setenv("FACTCHECK_STORE_URL", "postgresql://fc@db/factcheck")
    CliRunner().invoke(cli.cli, ["serve"])
    assert got["store_url"] == "postgresql://fc@db/factcheck"
