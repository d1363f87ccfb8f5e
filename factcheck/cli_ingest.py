"""``factcheck ingest DIR|JSONL``: a corpus into the store, on the local or the Ray engine.

A thin click layer over ``factcheck.batch``; files are read with the same helpers as
``factcheck compare`` (``factcheck.cli``, imported when a command runs: ``factcheck.cli``
registers this command, so a module-level import would be circular), and errors print as
``Error: <message>``, exit 1.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import click

from factcheck.batch.local import ENGINES
from factcheck.errors import FactcheckError, SourceNotFoundError
from factcheck.types import Article

SUMMARY_FORMATS = ("table", "json", "csv")


@click.command()
@click.argument("corpus", metavar="DIR|JSONL")
@click.option(
    "--store",
    "store_url",
    envvar="FACTCHECK_STORE_URL",
    metavar="URL",
    help="Store URL: sqlite://<dir> or postgresql://user@host/db (env FACTCHECK_STORE_URL; "
    "default: sqlite://<data dir>).",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="FACTCHECK_DATA_DIR",
    default=Path("factcheck-data"),
    show_default=True,
    help="The SQLite + FAISS folder used when no --store is given, as `factcheck serve` uses "
    "it (env FACTCHECK_DATA_DIR).",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="auto",
    show_default=True,
    help="Where the analysis runs: in this process, on Ray Data, or auto (Ray when installed "
    "and the corpus has 500+ articles).",
)
@click.option("--address", metavar="ADDR", help="A Ray cluster to join (ray://HEAD:10001).")
@click.option(
    "--window",
    default="1d",
    show_default=True,
    help="Match only articles published within the same window of days (1d, 3d, 2w, none); "
    "undated articles form a block of their own.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(SUMMARY_FORMATS),
    default="table",
    show_default=True,
    help="Format of the summary printed at the end.",
)
@click.option(
    "--keep-going",
    is_flag=True,
    help="Skip a file that cannot be read (named on stderr) instead of stopping the run.",
)
@click.option("--progress/--no-progress", default=True, help="Progress lines on stderr.")
def ingest(
    corpus: str,
    store_url: str | None,
    data_dir: Path,
    engine: str,
    address: str | None,
    window: str,
    fmt: str,
    keep_going: bool,
    progress: bool,
) -> None:
    """Store a corpus: analyse, match inside time windows, and keep everything in the store.

    CORPUS is a folder of .txt, .html, .json and .jsonl files (walked recursively) or one
    JSON Lines file. Every file is read before anything is stored: a file that cannot be read
    stops the run (nothing stored) unless --keep-going skips it. Re-running adds nothing.

    \b
    Example:
      factcheck ingest news/2025-02/ --window 1d
      factcheck ingest month.jsonl --store postgresql://fc@db/news --engine ray --format json
    """
    from factcheck import backends, batch
    from factcheck.cli import _embed_backend, _fail, _quiet, _say
    from factcheck.config import Config
    from factcheck.pipeline import Pipeline
    from factcheck.workspace import Workspace

    say = _say if progress else _quiet
    try:
        blocks = batch.parse_window(window)
        store = store_url or str(data_dir)
        backends.backend_kind(backends.store_url(store))  # a bad URL fails before any reading
        articles, skipped = load_corpus(corpus, keep_going=keep_going, say=_say)
        runner = batch.open_engine(engine, address=address, corpus_size=len(articles))
        try:
            with Workspace(store, Pipeline(Config(embed_backend=_embed_backend()))) as ws:
                summary = batch.ingest(ws, articles, runner, blocks, say=say)
        finally:
            runner.close()
    except FactcheckError as exc:
        _fail(exc)
        return
    click.echo(replace(summary, skipped_files=tuple(skipped)).render(fmt), nl=False)


def load_corpus(
    corpus: str, *, keep_going: bool, say: Callable[[str], None]
) -> tuple[list[Article], list[str]]:
    """Every article of a corpus, file by file; a bad file stops the run, or with
    ``keep_going`` is named on stderr and skipped. Returns (articles, skipped files)."""
    from factcheck.cli import _check_lengths, _files, load_named

    path = Path(corpus)
    if not path.exists():
        raise SourceNotFoundError(
            f"{corpus}: no such file or directory; give a folder of article files or one "
            f".jsonl file (relative paths start from {Path.cwd()})"
        )
    files = _files(corpus)
    if path.is_dir() and files == [corpus]:  # no article file in it: not a file to skip
        from factcheck import ingest

        ingest.load_paths([corpus])  # raises its "holds no article files; put files ..."
    articles: list[Article] = []
    skipped: list[str] = []
    for file in files:
        try:
            loaded = load_named([(None, file)])
            _check_lengths(loaded)
        except FactcheckError as exc:
            if not keep_going:
                raise FactcheckError(
                    f"{exc.message} (nothing was stored; fix or remove {file}, or pass "
                    "--keep-going to skip files that cannot be read)",
                    detail=exc.detail,
                ) from None
            say(f"Skipped: {exc.message}")
            skipped.append(file)
            continue
        articles.extend(loaded)
    return articles, skipped
