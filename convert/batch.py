"""The batch layer: find inputs, convert each once into every requested format, report.

Each input is read and parsed once, then rendered by every requested writer; outputs
are written atomically (resources first, the main file last). A failure is a
:class:`FileResult` with one line of explanation, never an exception that stops the
batch. Work runs in worker processes when ``jobs > 1``; each worker keeps its writers
(and so its fonts and templates) for the whole run.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import ConvertError
from .model import Diagnostic
from .readers import DEFAULT_MAX_SIZE, read
from .writers import get_writer
from .writers.base import write_rendered

INPUT_SUFFIXES = (".txt",)


@dataclass(frozen=True)
class Job:
    """One input file, and the root its output path is taken relative to."""

    source: Path
    root: Path

    @property
    def relative(self) -> PurePosixPath:
        try:
            return PurePosixPath(self.source.relative_to(self.root).as_posix())
        except ValueError:
            return PurePosixPath(self.source.name)


@dataclass
class FileResult:
    source: str
    status: str  # "converted", "warnings", "failed", "skipped"
    outputs: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass(frozen=True)
class BatchSettings:
    formats: tuple[str, ...]
    outdir: Path
    options: dict[str, object] = field(default_factory=dict)  # shared pool; each writer takes its own
    max_size: int | None = DEFAULT_MAX_SIZE
    strict: bool = False


def discover(inputs: Iterable[str | Path]) -> Iterator[Job]:
    """Yield a job per input file; folders are searched for ``*.txt`` recursively, in sorted order."""
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                for name in sorted(filenames):
                    if name.endswith(INPUT_SUFFIXES):
                        yield Job(Path(dirpath) / name, path)
        else:
            yield Job(path, path.parent)


def output_path(job: Job, outdir: Path, extension: str) -> Path:
    relative = job.relative
    return outdir.joinpath(*relative.parent.parts, relative.stem + extension)


def convert_job(job: Job, settings: BatchSettings) -> FileResult:
    """Read once, render every format, write atomically. Never raises for a bad input."""
    source = str(job.source)
    try:
        document = read(job.source, root=job.root, max_size=settings.max_size)
    except ConvertError as exc:
        return FileResult(source, "failed", error=str(exc))
    diagnostics = list(document.diagnostics)
    outputs = []
    try:
        for fmt in settings.formats:
            writer = get_writer(fmt)
            destination = output_path(job, settings.outdir, writer.extension)
            rendered = writer.render(document, writer.options_from(settings.options), destination)
            diagnostics.extend(rendered.diagnostics)
            write_rendered(rendered, destination)
            outputs.append(str(destination))
    except ConvertError as exc:
        if exc.path is None:
            exc.path = source
        return FileResult(source, "failed", outputs, diagnostics, str(exc))
    except Exception as exc:  # a writer bug must cost one file, not the batch
        return FileResult(source, "failed", outputs, diagnostics, f"{source}: internal error: {type(exc).__name__}: {exc}")
    warnings = [d for d in diagnostics if d.level == "warning"]
    if settings.strict and warnings:
        return FileResult(source, "failed", outputs, diagnostics, f"{source}: {len(warnings)} warning(s) under --strict")
    return FileResult(source, "warnings" if warnings else "converted", outputs, diagnostics)


def run(
    jobs: Iterable[Job],
    settings: BatchSettings,
    workers: int = 1,
    on_result: Callable[[FileResult], None] | None = None,
) -> list[FileResult]:
    """Convert every job; call ``on_result`` as each finishes. Results come back in input order."""
    results: list[FileResult] = []
    if workers <= 1:
        for job in jobs:
            result = convert_job(job, settings)
            results.append(result)
            if on_result:
                on_result(result)
        return results

    # Keep a bounded number of jobs in flight so memory does not grow with the corpus.
    window = workers * 4
    ordered: dict[int, FileResult] = {}
    with ProcessPoolExecutor(max_workers=workers) as pool:
        pending: dict[Future[FileResult], int] = {}
        for number, job in enumerate(jobs):
            pending[pool.submit(convert_job, job, settings)] = number
            if len(pending) >= window:
                _drain(pending, ordered, on_result, block=True)
        while pending:
            _drain(pending, ordered, on_result, block=True)
    return [ordered[i] for i in sorted(ordered)]


def _drain(pending: dict, ordered: dict, on_result: Callable[[FileResult], None] | None, block: bool) -> None:
    done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
    for future in done:
        number = pending.pop(future)
        result = future.result()
        ordered[number] = result
        if on_result:
            on_result(result)
