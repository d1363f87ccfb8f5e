"""The ``factcheck`` command line: a thin click layer over the library.

Every command has help; errors from the library are printed as ``Error: <message>`` on stderr
with exit code 1 (2 for usage errors, as click does).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from factcheck.errors import FactcheckError, InputError, InvalidURLError, TooFewSourcesError
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
@click.argument("paths", nargs=-1, required=True, metavar="[NAME=]PATH...")
@click.option(
    "--source",
    "-s",
    "sources",
    multiple=True,
    metavar="NAME",
    help="Source name of each PATH, in order (repeat once per PATH); same as NAME=PATH.",
)
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
    paths: Sequence[str],
    sources: Sequence[str],
    fmt: str,
    output: Path | None,
    progress: bool | None,
    same_claim_threshold: float | None,
    related_threshold: float | None,
    explain_cleaning: bool,
) -> None:
    """Compare articles across sources: matched claims, duplicates and conflicts.

    PATHS are files (.txt, .html, .json, .jsonl) or folders of them; each file is one source
    (named after the file, a page's site, or its JSON records' own "source"). NAME=PATH, or
    one --source NAME per PATH, names the source of every article in PATH.

    \b
    Example:
      factcheck compare rt.txt afp.html
      factcheck compare rt=2021-02-15.txt afp=2021-02-16.txt
      factcheck compare a.txt b.txt --source "Harbor Herald" --source "Coastal Wire"
      factcheck compare news/ --format json -o report.json
    """
    from factcheck.config import Config
    from factcheck.pipeline import Pipeline

    try:
        articles = load_named(named_paths(paths, sources))
        if explain_cleaning:
            click.echo(explain_removed(articles), err=True, nl=False)
        _check_sources(articles)
        _check_lengths(articles)
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
    from factcheck.report import render_html, render_table, report_to_dict

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
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise click.ClickException(
                f"{output}: cannot write the report ({exc.strerror}); choose a writable path "
                "with --output, or leave it out to print the report"
            ) from None
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


def named_paths(specs: Sequence[str], sources: Sequence[str]) -> list[tuple[str | None, str]]:
    """(source name or None, path) for each PATH argument: ``NAME=PATH``, or the --source
    names in order. An existing file whose name holds ``=`` stays a plain path."""
    if sources and len(sources) != len(specs):
        raise click.UsageError(
            f"got {len(specs)} path(s) but {len(sources)} --source name(s); give one --source "
            "per path, in the same order (or write NAME=PATH)"
        )
    out: list[tuple[str | None, str]] = []
    for i, spec in enumerate(specs):
        name: str | None = None
        path = spec
        head = spec.split("=", 1)[0]
        if "=" in spec and not Path(spec).exists() and "/" not in head and "\\" not in head:
            name, path = spec.split("=", 1)
            name = name.strip()
            if not name or not path:
                raise click.UsageError(
                    f"{spec!r}: write NAME=PATH with both parts, e.g. rt=article.txt"
                )
        if sources:
            if name is not None:
                raise click.UsageError(
                    f"{spec!r} names its source and --source is given too; use one of the two"
                )
            name = sources[i].strip()
            if not name:
                raise click.UsageError(f"--source number {i + 1} is empty; give the outlet's name")
        out.append((name, path))
    return out


def _files(path: str) -> list[str]:
    """The article files a PATH argument stands for (a folder is walked as ingest does)."""
    from factcheck import ingest

    p = Path(path)
    if p.is_dir():
        found = [str(f) for f in ingest._walk(p)]
        if found:
            return found
    return [path]  # load_paths gives the not-found / empty-folder errors with the path


_RECORD_SUFFIXES = (".json", ".jsonl")  # files whose urls the user wrote (not a page's own)


def load_named(named: Sequence[tuple[str | None, str]]) -> list[Article]:
    """Load every file, check its urls and source names, and apply NAME=PATH names.

    A url a JSON record gives must be an http(s) address (refused otherwise); a url a page
    gives about itself (its canonical link) that is not one is dropped. Every error names the
    file it comes from.
    """
    from factcheck.validate import check_source, check_url

    articles: list[Article] = []
    for name, path in named:
        if name is not None:
            check_source(name, f"source name for {path}")
        for file in _files(path):
            records = Path(file).suffix.lower() in _RECORD_SUFFIXES
            try:
                loaded = _load_file(file, name)
            except (ValueError, InvalidURLError) as exc:  # a url ingest cannot split ("http://[bad")
                if records:
                    _check_record_urls(file)  # names the record and the url when it can
                hint = (
                    "write each url as an http(s) address such as https://example.org/news/story"
                    if records
                    else f"name the source on the command line instead: NAME={file}"
                )
                raise InvalidURLError(
                    f"{file}: a url cannot be read ({exc}); {hint}", detail={"file": file}
                ) from None
            for k, article in enumerate(loaded, 1):
                what = file if len(loaded) == 1 else f"{file}, record {k}"
                if name is not None:
                    article = _renamed(article, name)
                if records:
                    check_url(article.url, what)
                elif article.url is not None:
                    try:
                        check_url(article.url, what)
                    except InvalidURLError:
                        article = replace(article, url=None)
                check_source(article.source, what)
                articles.append(article)
    return articles


def _load_file(file: str, name: str | None) -> list[Article]:
    """``file``'s articles; with a NAME, ingest gets it as the source (so a page's own url is
    not needed to name one). Missing or unreadable files get ingest's own errors."""
    from factcheck import ingest

    path = Path(file)
    if name is None or not path.is_file():
        return ingest.load_paths([file])
    try:
        data = path.read_bytes()
    except OSError:
        return ingest.load_paths([file])  # its "cannot be read; check its permissions"
    return ingest.load_bytes(data, name=file, source=name)


def _check_record_urls(file: str) -> None:
    """Run the url check over a JSON / JSON Lines file's records, labelled as ingest labels
    them ("a.json, item 2", "a.jsonl, line 3"); silent when the file is not such a file."""
    import json

    from factcheck.validate import check_url

    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return
    records: list[tuple[str, object]] = []
    try:
        data = json.loads(text)
        items = data if isinstance(data, list) else [data]
        label = (lambda i: f"{file}, item {i}") if isinstance(data, list) else (lambda i: file)
        records = [(label(i), r) for i, r in enumerate(items, 1)]
    except ValueError:
        for lineno, line in enumerate(text.split("\n"), 1):
            try:
                records.append((f"{file}, line {lineno}", json.loads(line)))
            except ValueError:
                continue
    for label_, record in records:
        if isinstance(record, dict):
            check_url(record.get("url"), label_)


def _renamed(article: Article, source: str) -> Article:
    """``article`` under another source; its id follows when it was the source+text hash."""
    from factcheck.ingest import article_id

    new_id = article.id
    if article.id == article_id(article.source, article.text):
        new_id = article_id(source, article.text)
    return replace(article, source=source, id=new_id)


def _check_sources(articles: Sequence[Article]) -> None:
    from factcheck.pipeline import check_sources

    try:
        check_sources(articles)
    except TooFewSourcesError as exc:
        raise TooFewSourcesError(
            f"{exc.message} On the command line NAME=PATH names a file's source, e.g. "
            "`factcheck compare rt=a.txt afp=b.txt`.",
            detail=exc.detail,
        ) from None


def _check_lengths(articles: Sequence[Article]) -> None:
    """An article too long for spaCy is refused naming its file, before any model runs."""
    from factcheck.nlp import max_length

    limit = max_length()
    for a in articles:
        if len(a.text) > limit:
            raise InputError(
                f"{a.origin or a.source}: the article is {len(a.text):,} characters long after "
                f"cleaning, over the {limit:,} that can be analysed at once; split it into "
                "several files",
                detail={"length": len(a.text), "limit": limit},
            )


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
@click.option(
    "--store",
    "store_url",
    envvar="FACTCHECK_STORE_URL",
    default=None,
    metavar="URL",
    help="Store URL: sqlite:///<dir> or postgresql://user@host/db (env FACTCHECK_STORE_URL; "
    "default: sqlite://<data dir>).",
)
def serve(host: str, port: int, data_dir: Path, store_url: str | None) -> None:
    """Run the HTTP API and the dashboard (uvicorn) over a local store.

    Checks the installation first (as `factcheck doctor` does) and refuses to start, saying how
    to fix it, when something is missing."""
    from factcheck import doctor

    found = doctor.problems()
    if found:
        for line in found:
            click.echo(line, err=True)
        raise click.ClickException(
            f"factcheck serve cannot start: {len(found)} problem(s) above; fix them, then "
            "check with `factcheck doctor`"
        )
    from service.app import serve as run_server

    try:
        run_server(host=host, port=port, data_dir=data_dir, store_url=store_url or None)
    except FactcheckError as exc:
        _fail(exc)


@cli.command()
def doctor() -> None:
    """Check that every library and model factcheck needs is installed and readable.

    Prints one line per problem with the command that fixes it; exit 0 when all is well, 1
    otherwise. `factcheck serve` runs the same checks before it starts.
    """
    from factcheck import doctor as checks

    found = checks.problems()
    for line in found:
        click.echo(line)
    if found:
        click.echo(f"{len(found)} problem(s) found", err=True)
        sys.exit(1)
    click.echo(f"ok: all {checks.check_count()} checks passed")


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
