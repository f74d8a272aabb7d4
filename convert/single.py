"""One document, the way pandoc is used: from a file or standard input, to named files or standard output.

The command takes this path for ``convert - …``, ``-o FILE.ext`` and ``-o -``: one input,
read and rendered in this process (no worker pool, no manifest: like pandoc, the output
is written every time). Files are still written atomically (temporary file + rename,
pictures before the main file); standard output gets the main file's bytes only.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO, TextIO

from . import transforms
from .batch import CONVERTED, FAILED, WARNINGS, BatchReport, FileResult, time_limit
from .batch import report as report_text
from .errors import ConvertError, InputTooLargeError, WriteError
from .fsutil import atomic_write, check_relative, display_path, printable
from .model import Diagnostic, ReadResult, warning
from .readers import parse_seed, read
from .writers import get_writer

#: The name standard input is read under when ``--name`` is not given.
STDIN_NAME = "stdin.txt"
STDIN_LABEL = "<stdin>"


@dataclass(frozen=True)
class Source:
    """Where the one document comes from: a file, or standard input read under a virtual path.

    The seed reader takes the title's index, the category and the date folders from the
    path, so ``name`` (``--name``) may be a relative path such as
    ``网络聚焦/国际新闻/2019-08-29/标题.txt``.
    """

    path: Path | None  # None: standard input
    name: str = STDIN_NAME

    @property
    def label(self) -> str:
        if self.path is not None:
            return display_path(self.path)
        return STDIN_LABEL if self.name == STDIN_NAME else f"{STDIN_LABEL} ({self.name})"


def read_source(source: Source, max_size: int | None, data: bytes | None = None) -> ReadResult:
    """The document of ``source`` and the reader's diagnostics; for standard input, ``data``
    is what :func:`read_stdin` gave."""
    if source.path is not None:
        return read(source.path, root=source.path.parent, max_size=max_size)
    return parse_seed(data if data is not None else read_stdin(max_size), Path(source.name), Path("."))


def read_stdin(max_size: int | None, stream: BinaryIO | None = None) -> bytes:
    """Standard input, whole; more than ``max_size`` bytes is refused."""
    source: BinaryIO = stream if stream is not None else sys.stdin.buffer
    data = source.read() if max_size is None else source.read(max_size + 1)
    if max_size is not None and len(data) > max_size:
        raise InputTooLargeError(f"more than the --max-size of {max_size:,} bytes", STDIN_LABEL)
    return data


def convert_one(
    source: Source,
    targets: Sequence[tuple[str, Path | None]],
    options: dict[str, object],
    *,
    max_size: int | None,
    timeout: float | None,
    strict: bool = False,
    fsync: bool = False,
    stdout: BinaryIO | None = None,
) -> FileResult:
    """Convert ``source`` to each ``(format, destination)``; destination None is standard output.

    Never raises for a bad input: the result carries the one-line error, as in a batch.
    """
    label = source.label
    outputs: list[str] = []
    diagnostics: list[Diagnostic] = []
    try:
        # Waiting for a slow pipe is not the document's time: read standard input first.
        data = read_stdin(max_size) if source.path is None else None
        with time_limit(timeout, label):
            read_result = read_source(source, max_size, data)  # reader, transforms, writers: each once, in order
            diagnostics.extend(read_result.diagnostics)
            transformed = transforms.prepare(read_result.document, options)  # once, before every writer
            document = transformed.document
            diagnostics.extend(transformed.diagnostics)
            rendered = []
            # Where the file would go names its picture folder; on stdout, as if in the current folder.
            stem = source.path.stem if source.path is not None else PurePosixPath(source.name).stem
            for fmt, destination in targets:
                writer = get_writer(fmt)
                where = destination or Path(stem + writer.extension)
                result = writer.render(document, writer.options_from(options), where)
                diagnostics.extend(result.diagnostics)
                if destination is None and result.resources:
                    diagnostics.append(warning("resources-not-written", f"{len(result.resources)} picture file(s) "
                                               "linked from the output were not written (write to a file with -o)"))
                rendered.append((result, destination))
    except ConvertError as exc:
        if exc.path is None or source.path is None:
            exc.path = label
        return FileResult(label, FAILED, outputs, diagnostics, str(exc))
    except RecursionError:
        return FileResult(label, FAILED, outputs, diagnostics,
                          f"{label}: the input is nested too deeply to parse (leave it out of the input)")
    except Exception as exc:  # a writer bug: one line, as in a batch, not a traceback
        return FileResult(label, FAILED, outputs, diagnostics,
                          f"{label}: internal error: {type(exc).__name__}: {exc} (please report this as a bug)")
    warnings = [d for d in diagnostics if d.level == "warning"]
    if strict and warnings:
        return FileResult(label, FAILED, outputs, diagnostics,
                          f"{label}: {len(warnings)} warning(s) under --strict ({warnings[0].message})")
    try:
        for result, destination in rendered:
            if destination is None:
                _to_stdout(result.data, stdout)
                outputs.append("-")
                continue
            for resource in result.resources:  # pictures first: a main file present means a complete output
                relative = PurePosixPath(resource.relpath)
                if check_relative(relative):
                    raise WriteError(f"the writer named a resource outside the output folder: {resource.relpath!r}",
                                     display_path(destination), hint="please report this as a bug")
                target = destination.parent.joinpath(*relative.parts)
                atomic_write(target, resource.data, durable=fsync)
                outputs.append(display_path(target))
            atomic_write(destination, result.data, durable=fsync)
            outputs.append(display_path(destination))
    except ConvertError as exc:
        return FileResult(label, FAILED, outputs, diagnostics, str(exc))
    except BrokenPipeError:
        return FileResult(label, FAILED, outputs, diagnostics,
                          f"{label}: standard output was closed before the whole document was written")
    return FileResult(label, WARNINGS if warnings else CONVERTED, outputs, diagnostics)


def _to_stdout(data: bytes, stream: BinaryIO | None) -> None:
    out = stream if stream is not None else sys.stdout.buffer
    try:
        out.write(data)
        out.flush()
    except BrokenPipeError:
        _silence(out)
        raise


def _silence(stream: BinaryIO | TextIO) -> None:
    """The reader of ``stream`` went away (``| head``): point it at /dev/null, so that
    Python's own flush at exit does not fail a second time with a traceback."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


class ReportStream:
    """The ``--report`` JSON (schema ``convert.report/1``, as the batch writes it) streamed to a text stream.

    Used for ``--report -``: each file's entry is written as it finishes, so a long batch
    does not hold them; the head is written with the first entry.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.entries = 0
        self.closed = False  # the reader of the stream went away: the rest is not written

    def add(self, result: FileResult) -> None:
        self._write((report_text.HEAD if self.entries == 0 else "") + report_text.entry(result, self.entries == 0))
        self.entries += 1

    def finish(self, report: BatchReport, formats: Sequence[str], outdir: str) -> None:
        from . import __version__

        if self.entries == 0:
            self._write(report_text.HEAD)
        head = {"version": __version__, "formats": list(formats), "outdir": printable(outdir)}
        self._write(report_text.tail(head, report.summary()), flush=True)

    def _write(self, text: str, flush: bool = False) -> None:
        if self.closed:
            return
        try:
            self.stream.write(text)
            if flush:
                self.stream.flush()
        except BrokenPipeError:
            self.closed = True
            _silence(self.stream)
