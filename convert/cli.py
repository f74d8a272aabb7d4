"""The ``convert`` command (also ``python -m convert``)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import click

from . import __version__
from .batch import BatchSettings, FileResult, discover, run
from .errors import ConvertError
from .readers import DEFAULT_MAX_SIZE
from .writers import PAGE_SIZES, available_formats, get_writer

EXAMPLES = """
\b
Examples:
  convert seeds/ --to pdf                 every article under seeds/ as PDF in out/
  convert seeds/ --to md,docx,epub -o notes/
  convert article.txt --to json           what the reader saw, as JSON
  convert seeds/ --to pdf --page-size A5 --font /path/to/font.ttf
\b
Exit status: 0 all converted, 1 some files failed (each named on stderr), 2 usage error.
"""


def _parse_formats(value: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    if not names:
        raise click.BadParameter("name at least one format", param_hint="--to")
    for name in names:
        try:
            get_writer(name)
        except ConvertError as exc:
            raise click.BadParameter(exc.message, param_hint="--to") from None
    return tuple(get_writer(name).name for name in names)


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
@click.option("--to", "formats", default="md", show_default=True, help="Output format(s), comma-separated: md, docx, pdf, epub, html, json.")
@click.option("-o", "--output", "outdir", default="out", show_default=True, type=click.Path(path_type=Path), help="Output folder; the input tree is mirrored below it.")
@click.option("-j", "--jobs", default=None, type=click.IntRange(min=1), help="Worker processes [default: number of CPUs].")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.option("--strict", is_flag=True, help="Count a file with warnings as failed.")
@click.option("--max-size", default=DEFAULT_MAX_SIZE, show_default=True, type=click.IntRange(min=1), help="Refuse input files larger than this many bytes.")
@click.option("--page-size", type=click.Choice(PAGE_SIZES, case_sensitive=False), default=None, help="Page size for PDF and DOCX [default: A4].")
@click.option("--font", "font", default=None, type=click.Path(exists=True, dir_okay=False), help="TrueType font (.ttf/.ttc) for the PDF body text.")
@click.option("--cjk-font", default=None, help="Chinese font name for DOCX, EPUB and HTML [default: SimSun / a serif stack].")
@click.option("--latin-font", default=None, help="Latin font name for DOCX, EPUB and HTML.")
@click.option("--embed-font", is_flag=True, default=None, help="EPUB: embed a subset of the bundled CJK font.")
@click.option("--list-formats", is_flag=True, expose_value=False, is_eager=True, callback=_list_formats, help="List the output formats and exit.")
@click.version_option(__version__, prog_name="convert")
def main(
    inputs: tuple[Path, ...],
    formats: str,
    outdir: Path,
    jobs: int | None,
    quiet: bool,
    strict: bool,
    max_size: int,
    page_size: str | None,
    font: str | None,
    cjk_font: str | None,
    latin_font: str | None,
    embed_font: bool | None,
) -> None:
    """Convert crawled Chinese news articles (seed .txt files, or folders of them) to documents."""
    names = _parse_formats(formats)
    options = {
        "page_size": {s.lower(): s for s in PAGE_SIZES}[page_size.lower()] if page_size else None,
        "font": font,
        "cjk_font": cjk_font,
        "latin_font": latin_font,
        "embed_font": embed_font,
    }
    settings = BatchSettings(formats=names, outdir=outdir, options=options, max_size=max_size, strict=strict)
    workers = jobs or os.cpu_count() or 1
    started = time.perf_counter()

    def report(result: FileResult) -> None:
        if result.failed:
            click.echo(f"error: {result.error}", err=True)
        elif not quiet:
            for diag in result.diagnostics:
                if diag.level == "warning":
                    click.echo(f"warning: {result.source}: {diag.message}", err=True)

    results = run(discover(inputs), settings, workers=workers, on_result=report)
    elapsed = time.perf_counter() - started
    failed = sum(r.failed for r in results)
    warned = sum(r.status == "warnings" for r in results)
    if not quiet:
        rate = len(results) / elapsed if elapsed > 0 else 0.0
        click.echo(
            f"{len(results) - failed} converted ({warned} with warnings), {failed} failed, "
            f"{elapsed:.1f} s, {rate:.1f} files/s -> {outdir}",
            err=True,
        )
    if not results:
        click.echo("error: no .txt input files found", err=True)
        sys.exit(1)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":  # pragma: no cover
    main()
