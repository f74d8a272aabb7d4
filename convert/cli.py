"""The ``convert`` command (also ``python -m convert``)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from . import __version__
from .batch import (
    DEFAULT_TIMEOUT,
    SHARED_OPTIONS,
    BatchInterrupted,
    BatchReport,
    FileResult,
    convert_tree,
    parse_formats,
)
from .errors import ConvertError
from .fsutil import display_path, printable
from .readers import DEFAULT_MAX_SIZE
from .writers import PAGE_SIZES, available_formats, get_writer

EXAMPLES = """
\b
Examples:
  convert seeds/ --to pdf                 every article under seeds/ as PDF in out/
  convert seeds/ --to md,docx,epub -o notes/
  convert article.txt --to json           what the reader saw, as JSON
  convert seeds/ --to pdf --page-size A5 --font /path/to/font.ttf
  convert corpus/ --to pdf,docx,epub,md -j 8 --report report.json
  convert corpus/ --to md --scheduler tcp://10.0.0.5:8786    render on a Dask cluster
\b
A second run converts only what changed (input, options or toolkit version);
--force rebuilds everything.
\b
Exit status: 0 all converted or up to date, 1 some files failed (each named on
stderr), 2 usage error, 130 interrupted (Ctrl-C).
"""


def _parse_formats(value: str) -> tuple[str, ...]:
    try:
        return parse_formats(value)
    except ConvertError as exc:  # a usage error: exit 2
        raise click.BadParameter(exc.message, param_hint="--to") from None


def _list_formats(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    for name in available_formats():
        try:
            writer = get_writer(name)
            click.echo(f"{name:6} {writer.extension:6} {writer.description}")
        except ConvertError as exc:
            click.echo(f"{name:6} (unavailable: {exc.message})")
    ctx.exit(0)


@click.command(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option(
    "--to", "formats", default="md", show_default=True,
    help="Output format(s), comma-separated: md, docx, pdf, epub, html, json.",
)
@click.option(
    "-o", "--output", "outdir", default="out", show_default=True, type=click.Path(path_type=Path),
    help="Output folder; the input tree is mirrored below it.",
)
@click.option("-j", "--jobs", default=None, type=click.IntRange(min=1), help="Worker processes [default: number of CPUs].")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors: no progress, no warnings, no summary.")
@click.option("--force", is_flag=True, help="Rebuild every output, even those that are up to date.")
@click.option(
    "--report", "report", default=None, type=click.Path(dir_okay=False, path_type=Path),
    help="Write a JSON report of every input (status, outputs, warnings, error) to this file.",
)
@click.option(
    "--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(min=0),
    help="Seconds one document may take before it is failed (0: no limit).",
)
@click.option(
    "--scheduler", default=None, envvar="DASK_SCHEDULER_ADDRESS", metavar="ADDRESS",
    help="Render on this Dask scheduler (tcp://host:port) [env: DASK_SCHEDULER_ADDRESS].",
)
@click.option(
    "--fsync",
    is_flag=True,
    help="Flush every output to disk before renaming it into place (safe against power loss; slower).",
)
@click.option("--strict", is_flag=True, help="Count a file with warnings as failed.")
@click.option(
    "--max-size", default=DEFAULT_MAX_SIZE, show_default=True, type=click.IntRange(min=1),
    help="Refuse input files larger than this many bytes.",
)
@click.option(
    "--page-size", type=click.Choice(PAGE_SIZES, case_sensitive=False), default=None,
    help="Page size for PDF and DOCX [default: A4].",
)
@click.option(
    "--font", "font", default=None, type=click.Path(exists=True, dir_okay=False),
    help="TrueType font (.ttf/.ttc) for the PDF body text.",
)
@click.option("--cjk-font", default=None, help="Chinese font name for DOCX, EPUB and HTML [default: SimSun / a serif stack].")
@click.option("--latin-font", default=None, help="Latin font name for DOCX, EPUB and HTML.")
@click.option("--embed-font", is_flag=True, default=None, help="EPUB: embed a subset of the bundled CJK font.")
@click.option(
    "--book", "book", default=None, type=click.Path(dir_okay=False, path_type=Path),
    help="Make one volume of all inputs (.epub, .pdf or .docx; or --to) with a table of contents.",
)
@click.option("--title", default=None, help="Book: the title [default: the top folder's name].")
@click.option("--author", default="", help="Book: the author or editor.")
@click.option(
    "--order", type=click.Choice(["tree", "title", "date"]), default="tree", show_default=True,
    help="Book: folder tree then listing index, by title, or by date folder.",
)
@click.option("--continuous", is_flag=True, default=None, help="PDF book: do not start each article on a new page.")
@click.option(
    "--pdf-standard", type=click.Choice(["pdfa-2u", "none"]), default=None,
    help="PDF: the standard the file conforms to, PDF/A-2u or none [default: pdfa-2u].",
)
@click.option(
    "--list-formats", is_flag=True, expose_value=False, is_eager=True, callback=_list_formats,
    help="List the output formats and exit.",
)
@click.version_option(__version__, prog_name="convert")
def main(
    inputs: tuple[Path, ...],
    formats: str,
    outdir: Path,
    jobs: int | None,
    quiet: bool,
    force: bool,
    report: Path | None,
    timeout: float,
    scheduler: str | None,
    fsync: bool,
    strict: bool,
    max_size: int,
    book: Path | None,
    title: str | None,
    author: str,
    order: str,
    **shared: object,
) -> None:
    """Convert crawled Chinese news articles (seed .txt files, or folders of them) to documents."""
    names = _parse_formats(formats)
    # The writer options: one flag per name in SHARED_OPTIONS, None when not given
    # (click's Choice already gives --page-size its canonical case).
    options = {name: shared[name] for name in SHARED_OPTIONS}
    if book is not None:
        explicit = click.get_current_context().get_parameter_source("formats") != click.core.ParameterSource.DEFAULT
        _make_book(list(inputs), book, names[0] if explicit else None, title, author, order, max_size, quiet, options)
    display = _Display(quiet)
    try:
        batch = convert_tree(
            list(inputs), names, outdir, jobs=jobs, force=force, timeout=timeout or None, strict=strict,
            max_size=max_size, scheduler=scheduler or None, report=report, fsync=fsync,
            on_start=display.start, on_result=display.result, keep_results=False, **options,
        )
    except BatchInterrupted as stop:
        display.stop()
        display.finish(stop.report, outdir)
        sys.exit(130)
    except KeyboardInterrupt:
        display.stop()
        click.echo("interrupted before any file was converted", err=True)
        sys.exit(130)
    except ConvertError as exc:  # the run as a whole cannot start: output folder, scheduler
        display.stop()
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    display.stop()
    display.finish(batch, outdir)
    if batch.total == 0:
        click.echo("error: no .txt input files found (pass seed .txt files or folders that hold them)", err=True)
    sys.exit(batch.exit_code)


def _make_book(
    inputs: list[Path], destination: Path, fmt: str | None, title: str | None, author: str, order: str,
    max_size: int, quiet: bool, options: dict[str, object],
) -> None:
    """``--book``: one volume; each article that fails is one error line, and the book is still written."""
    from .book import write_book

    started = time.monotonic()
    try:
        report = write_book(
            inputs, destination, format=fmt, title=title, author=author, order=order, max_size=max_size,
            **{k: v for k, v in options.items() if v is not None},
        )
    except KeyboardInterrupt:
        click.echo("interrupted: the book was not written", err=True)
        sys.exit(130)
    except ConvertError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2 if exc.__class__.__name__ == "UnknownFormatError" else 1)
    for source, message in report.failures:
        click.echo(printable(f"error: {message}" if source in message else f"error: {source}: {message}"), err=True)
    if not quiet:
        for diag in report.diagnostics:
            if diag.level == "warning":
                click.echo(printable(f"warning: {diag.message}"), err=True)
        click.echo(
            f"book: {report.chapters} articles, {len(report.failures)} left out, {time.monotonic() - started:.1f} s "
            f"-> {display_path(destination)}",
            err=True,
        )
    sys.exit(1 if report.failures else 0)


class _Display:
    """Progress on stderr: a rich bar on a terminal, a log line every few seconds otherwise."""

    PLAIN_EVERY = 5.0  # seconds between plain progress lines

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.total = 0
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self.last_line = self.started
        self.progress = None
        self.task_id = None

    def start(self, total: int) -> None:
        self.total = total
        self.started = self.last_line = time.monotonic()
        if self.quiet or not total or not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("converting"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} files/s"),
            TextColumn("{task.fields[failed]} failed"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(stderr=True, highlight=False),
            transient=True,
        )
        self.task_id = self.progress.add_task("convert", total=total, rate=0.0, failed=0)
        self.progress.start()

    def _echo(self, line: str) -> None:
        line = printable(line)
        if self.progress is not None:
            self.progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(line, err=True)

    def result(self, result: FileResult) -> None:
        self.done += 1
        if result.failed:
            self.failed += 1
            self._echo(f"error: {result.error}")
        elif not self.quiet and result.status != "up-to-date":
            for diag in result.warnings:
                self._echo(f"warning: {result.source}: {diag.message}")
        if self.quiet:
            return
        now = time.monotonic()
        rate = self.done / (now - self.started) if now > self.started else 0.0
        if self.progress is not None:
            self.progress.update(self.task_id, completed=self.done, rate=rate, failed=self.failed)
        elif now - self.last_line >= self.PLAIN_EVERY:
            self.last_line = now
            left = (self.total - self.done) / rate if rate > 0 else 0
            click.echo(f"progress: {self.done}/{self.total} files, {rate:.1f} files/s, {self.failed} failed, "
                       f"about {_duration(left)} left", err=True)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def finish(self, batch: BatchReport, outdir: Path) -> None:
        for note in batch.notes:
            click.echo(f"warning: {note}", err=True)
        if batch.report_error:
            click.echo(f"error: {batch.report_error}", err=True)
        if not self.quiet:
            click.echo(f"{batch.summary_line()} -> {display_path(outdir)}", err=True)


def _duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"


if __name__ == "__main__":  # pragma: no cover
    main()
