"""The ``factcheck`` command line: a thin click layer over the library.

Every command has help; errors from the library are printed as ``Error: <message>`` on stderr
with exit code 1 (2 for usage errors, as click does).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from factcheck.errors import FactcheckError

if TYPE_CHECKING:
    from factcheck.types import Article

FORMATS = ("table", "json", "html")


def _fail(exc: FactcheckError) -> None:
    raise click.ClickException(exc.message) from exc


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factcheck")
def cli() -> None:
    """Cross-source fact-checking for news: align reports of one story and flag where they
    disagree (numbers, dates, quotes, negations and hedges, who said it, who was involved)."""


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="table for a terminal, json (schema factcheck.report/1), html (one self-contained file).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the report to this file instead of stdout.",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Progress bar on stderr (default: on when stderr is a terminal).",
)
@click.option("--same-claim-threshold", type=float, help="Override the calibrated threshold.")
@click.option("--related-threshold", type=float, help="Override the calibrated threshold.")
@click.option(
    "--explain-cleaning",
    is_flag=True,
    help="Before comparing, list on stderr every paragraph cleaning removed from each file, "
    "with the rule that removed it.",
)
def compare(
    paths: Sequence[Path],
    fmt: str,
    output: Path | None,
    progress: bool | None,
    same_claim_threshold: float | None,
    related_threshold: float | None,
    explain_cleaning: bool,
) -> None:
    """Compare articles across sources: matched claims, duplicates and conflicts.

    PATHS are files (.txt, .html, .json, .jsonl) or folders of them; each file is one source
    unless its JSON records name their own "source".

    \b
    Example:
      factcheck compare rt.txt afp.html
      factcheck compare news/ --format json -o report.json
    """
    from factcheck import ingest
    from factcheck.config import Config
    from factcheck.pipeline import Pipeline, check_sources
    from factcheck.report import render_html, render_table, report_to_dict

    try:
        articles = ingest.load_paths(paths)
        if explain_cleaning:
            click.echo(explain_removed(articles), err=True, nl=False)
        check_sources(articles)
        pipeline = Pipeline(
            Config(same_claim_threshold=same_claim_threshold, related_threshold=related_threshold)
        )
        show = sys.stderr.isatty() if progress is None else progress
        report = _with_progress(
            show, len(articles), lambda tick: pipeline.compare(articles, progress=tick)
        )
    except FactcheckError as exc:
        _fail(exc)
        return
    if fmt == "json":
        import json

        text = json.dumps(report_to_dict(report), indent=2, ensure_ascii=False) + "\n"
    elif fmt == "html":
        text = render_html(report)
    else:
        text = render_table(report)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        click.echo(f"Wrote {fmt} report to {output}", err=True)


def explain_removed(articles: Sequence[Article]) -> str:
    """What cleaning removed, per file: a header line, then one line per removed paragraph."""
    lines: list[str] = []
    for a in articles:
        n = len(a.removed)
        what = a.origin or a.source
        lines.append(f"{what}: {n} paragraph{'' if n == 1 else 's'} removed by cleaning")
        lines.extend(f"  [{reason}] {para}" for reason, para in a.removed_reasons)
    return "".join(f"{line}\n" for line in lines)


def _with_progress(show: bool, total: int, run: Callable[[Callable[[int], None]], Any]) -> Any:
    if not show:
        return run(lambda n: None)
    from tqdm import tqdm

    with tqdm(total=total, unit="article", file=sys.stderr, desc="analysing") as bar:
        return run(bar.update)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="FACTCHECK_DATA_DIR",
    default=Path("factcheck-data"),
    show_default=True,
    help="Where the SQLite store and the FAISS index live (env FACTCHECK_DATA_DIR).",
)
def serve(host: str, port: int, data_dir: Path) -> None:
    """Run the HTTP API and the dashboard (uvicorn) over a local store."""
    from service.app import serve as run_server

    try:
        run_server(host=host, port=port, data_dir=data_dir)
    except FactcheckError as exc:
        _fail(exc)


@cli.command()
@click.option(
    "--data",
    "data_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("../shared/data"),
    show_default=True,
    help="Development data laid out like ../shared/data.",
)
@click.option(
    "--models",
    "models_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the calibration (default: the package's models/ folder).",
)
def calibrate(data_dir: Path, models_dir: Path | None) -> None:
    """Fit the thresholds the pipeline uses from labelled data and write them to models/."""
    from factcheck.calibrate import calibrate as run_calibration
    from factcheck.config import MODELS_DIR

    try:
        result = run_calibration(data_dir, models_dir or MODELS_DIR)
    except FactcheckError as exc:
        _fail(exc)
        return
    import json

    click.echo(json.dumps(result, indent=2, default=str))


def main() -> None:
    cli(prog_name="factcheck")


if __name__ == "__main__":
    main()
