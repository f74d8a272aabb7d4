"""The ``convert`` command (also ``python -m convert``)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from click.shell_completion import CompletionItem

from . import gongwen
from .batch import (
    DEFAULT_TIMEOUT,
    SHARED_OPTIONS,
    BatchInterrupted,
    BatchReport,
    FileResult,
    convert_tree,
    parse_formats,
)
from .errors import ConvertError, UnknownFormatError
from .fsutil import check_relative, display_path, printable
from .progress import Display
from .readers import DEFAULT_MAX_SIZE
from .transforms.script import SCRIPTS
from .version import __version__
from .writers import BUILTIN_FORMATS, PAGE_SIZES, available_formats, get_writer
from .writers.base import STYLES

#: Formats written to standard output even when it is a terminal (the rest are binary).
TEXT_FORMATS = ("md", "html", "json")
#: Writer options the command line sets: the batch's shared pool plus the Markdown front matter switch.
CLI_OPTIONS = (*SHARED_OPTIONS, "front_matter")

EXAMPLES = """
\b
Examples:
  convert seeds/ --to pdf                 every article under seeds/ as PDF in out/
  convert seeds/ --to md,docx,epub -o notes/
  convert article.txt -o article.pdf      exactly that file (format from the extension)
  cat article.txt | convert - -t md       standard input to standard output, like pandoc
  convert article.txt -t docx -o - > a.docx
  convert article.txt --to json           what the reader saw, as JSON
  convert seeds/ --to pdf --page-size A5 --font /path/to/font.ttf
  convert corpus/ --to pdf,docx,epub,md -j 8 --report report.json
  convert corpus/ --to md --scheduler tcp://10.0.0.5:8786    render on a Dask cluster
\b
A second run converts only what changed (input, options or toolkit version);
--force rebuilds everything.
\b
-o names a file when there is one input and one format and its extension is a
format's (.md .pdf .docx ...); otherwise it is a folder. "-" as the input reads
standard input (--name gives it a path), and then the output goes to standard
output unless -o says otherwise; -o - and --report - write to standard output.
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


def _complete_formats(_ctx: click.Context, _param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Shell completion for --to: format names, also after a comma (``md,do`` → ``md,docx``)."""
    from click.shell_completion import CompletionItem  # loaded only when completing

    done, _, last = incomplete.rpartition(",")
    prefix = done + "," if done else ""
    taken = set(done.split(","))
    return [CompletionItem(prefix + name) for name in available_formats() if name.startswith(last.lower()) and name not in taken]


def _usage(message: str) -> click.UsageError:
    return click.UsageError(message, ctx=click.get_current_context())


def _extension_format(name: str) -> str | None:
    """The format a file name's extension names (``a.pdf`` → pdf, ``a.markdown`` → md), or None."""
    suffix = PurePosixPath(name).suffix
    if not suffix or len(suffix) < 2:
        return None
    try:
        return get_writer(suffix).name
    except UnknownFormatError:
        return None


@click.command(epilog=EXAMPLES, context_settings={"help_option_names": ["-h", "--help"]})
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True, allow_dash=True, path_type=Path))
@click.option(
    "-t", "--to", "formats", default=None, metavar="FORMATS", shell_complete=_complete_formats,
    help=f"Output format(s), comma-separated: {', '.join(BUILTIN_FORMATS)} [default: md, or -o FILE's extension].",
)
@click.option(
    "-o", "--output", "output", default=None, metavar="PATH",
    help="Output folder (the input tree is mirrored below it) [default: out]; or one file (FILE.pdf, "
         "FILE.md, ...) for one input and one format; '-' for standard output.",
)
@click.option("--name", default=None, metavar="PATH",
              help="With '-' as the input: the file name (or relative path) to read standard input as; it gives "
                   "the output's name, and the index, category and date folders as for a file [default: stdin.txt].")
@click.option("-j", "--jobs", default=None, type=click.IntRange(min=1), help="Worker processes [default: number of CPUs].")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors: no progress, no warnings, no summary.")
@click.option("--force", is_flag=True, help="Rebuild every output, even those that are up to date.")
@click.option(
    "--report", "report", default=None, type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write a JSON report of every input (status, outputs, warnings, error) to this file ('-': standard output).",
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
@click.option("--front-matter/--no-front-matter", default=None,
              help="Markdown: begin with a YAML front matter block (title, index, source, ...) [default: on].")
@click.option(
    "--script", type=click.Choice(SCRIPTS, case_sensitive=False), default=None,
    help="Edition: zh-Hans (the text as read; default), or Traditional: zh-Hant (OpenCC s2t), zh-TW (s2tw), "
         "zh-HK (s2hk); zh-TW-phrases also swaps Taiwan vocabulary (s2twp: 软件→軟體), only when asked for.",
)
@click.option(
    "--style", type=click.Choice(STYLES, case_sensitive=False), default=None,
    help="DOCX, PDF and OFD layout (documents and books): normal (default) or gongwen (GB/T 9704 official document: "
         "仿宋 三号, 22 lines × 28 characters).",
)
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
    formats: str | None,
    output: str | None,
    name: str | None,
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
    names = _parse_formats(formats) if formats is not None else None
    first: Path = inputs[0]  # click requires at least one
    stdin = any(str(p) == "-" for p in inputs)
    if stdin and len(inputs) > 1:
        raise _usage("'-' (standard input) must be the only input")
    if name is not None and not stdin:
        raise _usage("--name names standard input: use it with '-' as the input")
    report_stdout = report is not None and str(report) == "-"
    # The writer options: one flag per name in CLI_OPTIONS, None when not given (click's
    # Choice already gives --page-size its canonical case).
    options = {key: shared[key] for key in CLI_OPTIONS}
    if book is not None:
        if output is not None:
            raise _usage(f"--book {display_path(book)} names the book's file; -o cannot name another output "
                         "(drop -o, or give its path to --book)")
        if stdin or report is not None or str(book) == "-":
            raise _usage("--book reads files and folders and writes the named file (no '-', no --report)")
        _make_book(list(inputs), book, names[0] if names else None, title, author, order, max_size, quiet,
                   {k: v for k, v in options.items() if k != "front_matter"})
    single = stdin or (len(inputs) == 1 and first.is_file())
    to_stdout = output == "-" or (stdin and output is None)
    file_format = None if to_stdout or output is None else _output_file_format(output)
    if to_stdout or file_format is not None:
        shown = "standard output" if to_stdout else output
        if not single:
            what = f"{len(inputs)} inputs" if len(inputs) > 1 else f"{display_path(first)} is a folder"
            raise _usage(f"-o {shown} is one file, but {what}: give -o a folder for many documents (e.g. -o out/)")
        if names is not None and len(names) > 1:
            raise _usage(f"-o {shown} takes one format, not {','.join(names)} (give -o a folder for several)")
        if file_format is not None and names is not None and names != (file_format,):
            raise _usage(f"-o {output} names a {file_format} file, but --to asks for {','.join(names)} "
                         f"(name the file after the format, or leave out --to)")
        names = names or (file_format or "md",)
        if to_stdout and report_stdout:
            raise _usage("--report - and the document cannot both go to standard output")
        if to_stdout and names[0] not in TEXT_FORMATS and sys.stdout.isatty():
            raise _usage(f"{names[0]} is binary: it is not written to a terminal (redirect standard output, "
                         f"or write a file with -o FILE.{get_writer(names[0]).extension.lstrip('.')})")
        destination = None if to_stdout or output is None else Path(output)  # output is a file name here
        _run_single(first, name, [(names[0], destination)], options, report, timeout, strict, fsync, max_size, quiet)
    names = names or ("md",)
    outdir = Path(output if output is not None else "out")
    if outdir.exists() and not outdir.is_dir():
        raise _usage(f"-o {output} is an existing file, but this run writes a folder of outputs "
                     f"({len(inputs)} inputs, formats {','.join(names)}): give -o a folder")
    if stdin:
        stem = PurePosixPath(name or "stdin.txt")
        problem = check_relative(stem)
        if problem:
            raise _usage(f"--name {name}: {problem.replace('input', 'name')} (give a relative path)")
        targets = [(fmt, outdir.joinpath(*stem.with_suffix(get_writer(fmt).extension).parts)) for fmt in names]
        _run_single(first, name, targets, options, report, timeout, strict, fsync, max_size, quiet)
    if single and not scheduler:
        jobs = 1  # one file: converted in this process, no worker pool to start
    _run_batch(list(inputs), names, outdir, jobs, quiet, force, report, timeout, scheduler, fsync, strict, max_size, options)


def _output_file_format(output: str) -> str | None:
    """The format when ``-o`` names one file (its extension is a format's, it is no folder), else None."""
    if output.endswith(("/", os.sep)) or os.path.isdir(output):
        return None
    return _extension_format(output)


def _writer_options(names: tuple[str, ...], options: dict[str, object]) -> dict[str, object]:
    """The batch's shared options, and the others that some writer among ``names`` has (so a
    --no-front-matter beside --to pdf is no error)."""
    import dataclasses

    known: set[str] = set()
    for fmt in names:
        known |= {f.name for f in dataclasses.fields(get_writer(fmt).options_type)}
    return {k: v for k, v in options.items() if k in SHARED_OPTIONS or (v is not None and k in known)}


def _run_single(
    path: Path, name: str | None, targets: Sequence[tuple[str, Path | None]], options: dict[str, object],
    report: Path | None, timeout: float, strict: bool, fsync: bool, max_size: int, quiet: bool,
) -> None:
    """One document in this process (standard input, ``-o FILE``, ``-o -``); exits like a batch would."""
    from .single import STDIN_NAME, ReportStream, Source, convert_one

    source = Source(None, name or STDIN_NAME) if str(path) == "-" else Source(path)
    names = tuple(fmt for fmt, _ in targets)
    ignored = gongwen.style_ignored(names, options.get("style"))  # as a batch says it, once
    if ignored and not quiet:
        click.echo(f"warning: {ignored.message}", err=True)
    started = time.perf_counter()
    try:
        result = convert_one(source, targets, _writer_options(names, options), max_size=max_size,
                             timeout=timeout or None, strict=strict, fsync=fsync)
    except KeyboardInterrupt:
        click.echo("interrupted: nothing was written", err=True)
        sys.exit(130)
    batch = BatchReport(total=1)
    batch.count(result)
    batch.results.append(result)
    batch.elapsed = time.perf_counter() - started
    if result.failed:
        click.echo(printable(f"error: {result.error}"), err=True)
    elif not quiet:
        for diag in result.warnings:
            click.echo(printable(f"warning: {result.source}: {diag.message}"), err=True)
    if report is not None:
        folder = ", ".join(sorted({display_path(d.parent) if d else "-" for _, d in targets}))
        if str(report) == "-":
            stream = ReportStream(sys.stdout)  # click 8.5 deprecates get_text_stream
            stream.add(result)
            stream.finish(batch, names, folder)
            if stream.closed:
                click.echo("error: standard output was closed before the whole report was written", err=True)
                sys.exit(1)
        else:
            import io

            from .fsutil import atomic_write

            text = io.StringIO()
            stream = ReportStream(text)
            stream.add(result)
            stream.finish(batch, names, folder)
            try:
                atomic_write(report, text.getvalue().encode("utf-8"), durable=fsync)
            except ConvertError as exc:
                click.echo(printable(f"error: {exc}"), err=True)
                sys.exit(1)
    sys.exit(batch.exit_code)


def _run_batch(
    inputs: list[Path], names: tuple[str, ...], outdir: Path, jobs: int | None, quiet: bool, force: bool,
    report: Path | None, timeout: float, scheduler: str | None, fsync: bool, strict: bool, max_size: int,
    options: dict[str, object],
) -> None:
    """The batch engine over files and folders: a mirrored tree below ``outdir``, a manifest, a summary."""
    display = Display(quiet, jobs or os.cpu_count() or 1)
    on_result = display.result
    stream = None
    if report is not None and str(report) == "-":
        from .single import ReportStream

        stream = ReportStream(sys.stdout)  # click 8.5 deprecates get_text_stream
        report = None

        def on_result(result: FileResult) -> None:
            display.result(result)
            stream.add(result)

    try:
        batch = convert_tree(
            inputs, names, outdir, jobs=jobs, force=force, timeout=timeout or None, strict=strict,
            max_size=max_size, scheduler=scheduler or None, report=report, fsync=fsync,
            on_start=display.start, on_result=on_result, keep_results=False, **_writer_options(names, options),
        )
    except BatchInterrupted as stop:
        display.stop()
        if stream is not None:
            stream.finish(stop.report, names, display_path(outdir))
        display.finish(stop.report, outdir)
        sys.exit(130)
    except KeyboardInterrupt:
        display.stop()
        click.echo("interrupted before any file was converted", err=True)
        sys.exit(130)
    except ConvertError as exc:  # the run as a whole cannot start: output folder, scheduler
        display.stop()
        click.echo(printable(f"error: {exc}"), err=True)
        sys.exit(1)
    display.stop()
    if stream is not None:
        stream.finish(batch, names, display_path(outdir))
        if stream.closed:  # printed by display.finish, and the exit status is 1
            batch.report_error = batch.report_error or "standard output was closed before the whole report was written"
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
        click.echo(printable(f"error: {exc}"), err=True)
        sys.exit(2 if exc.__class__.__name__ == "UnknownFormatError" else 1)
    for source, message in report.failures:
        click.echo(printable(f"error: {message}" if source in message else f"error: {source}: {message}"), err=True)
    if not quiet:
        for diag in report.diagnostics:
            if diag.level == "warning":
                click.echo(printable(f"warning: {diag.message}"), err=True)
        click.echo(
            f"book: {report.chapters} articles, {len(report.failures)} left out, {time.monotonic() - started:.1f} s "
            f"-> {printable(display_path(destination))}",
            err=True,
        )
    sys.exit(1 if report.failures else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
