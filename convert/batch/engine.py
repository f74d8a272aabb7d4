"""The engine: plan the inputs, hand what needs work to a backend, write outputs, report.

* **plan** (parent process): walk the inputs twice, streaming (once to count and find
  inputs that would map to the same output, once to plan), check each output path is
  safe, and skip what the manifest (:mod:`convert.manifest`) says is up to date;
* **render** (:func:`convert.batch.render.render_input`, the one code path every backend
  runs): read and parse an input once, render every format that needs it, under a time limit;
* **write** (parent process): put each output in place atomically (resources first, the
  main file last), record it in the manifest, report a :class:`FileResult`.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from itertools import chain, islice
from pathlib import Path

from .. import gongwen, transforms, version  # version.__version__ is read at run time (keys every output)
from ..errors import ConvertError, InputTooLargeError, WriteError
from ..fsutil import (
    check_relative,
    collision_key,
    display_path,
    open_private,
    remove_stale_temporaries,
    write_error,
)
from ..manifest import LOCK_NAME, Manifest, Record, content_hash, options_key, pictures_of, stat_signature
from ..model import Diagnostic
from ..readers import DEFAULT_MAX_SIZE
from ..untrusted import Refused, read_input, real_inside
from ..writers import get_writer
from ..writers.base import Rendered, write_rendered
from .dask import DaskBackend
from .inputs import discover
from .local import ProcessPoolBackend, SerialBackend
from .report import ReportFile
from .types import (
    CONVERTED,
    DEFAULT_TIMEOUT,
    FAILED,
    UP_TO_DATE,
    WARNINGS,
    Backend,
    BatchInterrupted,
    BatchReport,
    BatchSettings,
    FileResult,
    Outcome,
    Task,
)


def parse_formats(formats: str | Sequence[str]) -> tuple[str, ...]:
    """Canonical writer names for ``"md,docx"`` or a list, each once, in order (aliases folded)."""
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    names = [n.strip().lower() for n in names if n and n.strip()]  # lower: get_writer caches by the name given
    if not names:
        raise ConvertError("name at least one output format", hint="e.g. formats='md,docx'")
    return tuple(dict.fromkeys(get_writer(n).name for n in names))


#: The command line's shared pool of option values; each writer takes the ones it has.
SHARED_OPTIONS = ("page_size", "font", "cjk_font", "latin_font", "embed_font", "continuous", "script", "style", "pdf_standard")


def _check_options(formats: tuple[str, ...], options: dict[str, object]) -> None:
    known: set[str] = set(SHARED_OPTIONS)
    for fmt in formats:
        known |= {f.name for f in dataclasses.fields(get_writer(fmt).options_type)}
    unknown = sorted(k for k, v in options.items() if v is not None and k not in known)
    if unknown:
        raise ConvertError(f"no writer among {', '.join(formats)} has option {', '.join(unknown)}")


class _Engine:
    def __init__(self, settings: BatchSettings, report: BatchReport, emit: Callable[[FileResult], None]) -> None:
        self.settings = settings
        self.report = report
        self.emit = emit
        self.outdir = settings.outdir
        self.manifest = Manifest(self.outdir)
        self.writers = {fmt: get_writer(fmt) for fmt in settings.formats}
        self.keys = {
            fmt: options_key(version.__version__, w, w.options_from(settings.options)) for fmt, w in self.writers.items()
        }

    # -- planning -------------------------------------------------------------------

    def collisions(self, inputs: Sequence[str | Path]) -> dict[str, list[str]]:
        """First pass: count the inputs and find those that would share an output."""
        first: dict[str, str] = {}
        clashes: dict[str, list[str]] = {}
        total = 0
        for job in discover(inputs):
            total += 1
            key = collision_key(job.key)
            source = display_path(job.source)
            if key in first:
                clashes.setdefault(key, [first[key]]).append(source)
            else:
                first[key] = source
        self.report.total = total
        return clashes

    def fail(self, job_source: str, message: str) -> None:
        self.emit(FileResult(job_source, FAILED, error=message))

    def plan(self, inputs: Sequence[str | Path], clashes: dict[str, list[str]]) -> Iterator[Task]:
        """Second pass: emit what needs no work (up to date, refused), yield what does."""
        settings = self.settings
        for job in discover(inputs):
            label = display_path(job.source)
            relative = job.relative
            problem = check_relative(relative)
            if problem:
                self.fail(label, f"{label}: {problem} (pass files inside the input folder)")
                continue
            key = job.key
            others = clashes.get(collision_key(key))
            if others:
                rest = [o for o in others if o != label] or others
                self.fail(label, f"{label}: maps to the same output ({display_path(self.outdir / key)}.*) as "
                                 f"{', '.join(rest)}; none of them was written (rename one, or convert them separately)")
                continue
            try:
                st = os.lstat(job.source)
                if stat.S_ISLNK(st.st_mode):
                    if real_inside(job.source, job.root) is None:
                        self.fail(label, f"{label}: is a symbolic link to a file outside the input folder; not read "
                                         f"(copy the file into the input folder)")
                        continue
                    st = os.stat(job.source)
                if not stat.S_ISREG(st.st_mode):  # a FIFO or device would block or never end
                    self.fail(label, f"{label}: is not a regular file; not read (leave it out of the input)")
                    continue
                size = st.st_size
                if settings.max_size is not None and size > settings.max_size:
                    raise InputTooLargeError(f"file is {size:,} bytes, above the --max-size of {settings.max_size:,}", label)
                pictures = pictures_of(job.source, job.root)
                signature = stat_signature(job.source, pictures, st)
                record = None if settings.force else self.manifest.get(key)
                source_id = os.fsdecode(job.source)
                data = None
                if record is not None and record.source == source_id and record.signature == signature:
                    digest = record.hash  # unchanged stat data: trust the recorded hash (see manifest docs)
                else:
                    # Read once, without following links: these bytes are hashed and then parsed,
                    # so a file swapped after the checks above is never what gets converted.
                    data = read_input(job.source, job.root, settings.max_size)
                    digest = content_hash(data, pictures, settings.max_size)
            except InputTooLargeError as exc:
                self.fail(label, str(exc))
                continue
            except Refused as exc:
                self.fail(label, f"{label}: {'file ' if exc.too_large else ''}{exc.strerror}")
                continue
            except OSError as exc:
                self.fail(label, f"{label}: cannot read file: {exc.strerror or exc} (check the file's permissions)")
                continue
            stem = os.path.join(self.outdir, job.key)
            destinations = {fmt: stem + w.extension for fmt, w in self.writers.items()}
            current = record if record is not None and record.source == source_id and record.hash == digest else None
            needed = tuple(
                fmt for fmt in settings.formats
                if not (current and current.formats.get(fmt) == self.keys[fmt] and os.path.exists(destinations[fmt]))
            )
            if not needed and current is not None:
                diags = [Diagnostic("warning", code, message) for code, message in current.warnings]
                self.emit(FileResult(label, UP_TO_DATE, [display_path(destinations[f]) for f in settings.formats], diags))
                continue
            yield Task(key, str(job.source), str(job.root), job.relative_text, needed,
                       tuple(destinations[f] for f in needed), settings.options, settings.max_size,
                       settings.timeout, signature, digest, data)

    # -- writing --------------------------------------------------------------------

    def finish(self, task: Task, outcome: Outcome) -> FileResult:
        label = display_path(task.source)
        outputs: list[str] = []
        previous = self.manifest.get(task.key)
        if outcome.error:
            return FileResult(label, FAILED, outputs, outcome.diagnostics, outcome.error)
        if previous is not None:
            # Outputs are about to change: until they are all written, nothing here is up to date,
            # even if a kill stops us halfway and the input is later changed back.
            self.manifest.forget(task.key)
        try:
            for fmt, destination in zip(task.formats, task.destinations, strict=True):
                outputs.extend(self._write(outcome.rendered[fmt], Path(destination)))
        except WriteError as exc:  # names the input and the output: "in.txt: out/in.md: cannot write ..."
            return FileResult(label, FAILED, outputs, outcome.diagnostics, f"{label}: {exc}")
        result = FileResult(label, CONVERTED, outputs, outcome.diagnostics)
        warnings = result.warnings
        if self.settings.strict and warnings:
            result.status, result.error = FAILED, f"{label}: {len(warnings)} warning(s) under --strict ({warnings[0].message})"
            return result
        if warnings:
            result.status = WARNINGS
        # Formats built earlier from the same content stay valid beside the ones built now.
        kept = previous if previous is not None and previous.hash == task.hash and previous.source == task.source else None
        formats = dict(kept.formats) if kept else {}
        formats.update({fmt: self.keys[fmt] for fmt in task.formats})
        stored = [[d.code, d.message] for d in warnings]
        if kept:
            stored += [w for w in kept.warnings if w not in stored]
        self.manifest.put(task.key, Record(task.source, task.signature, task.hash, formats, stored))
        return result

    def _write(self, rendered: Rendered, destination: Path) -> list[str]:
        """Resources first, the main file last (see :func:`convert.writers.base.write_rendered`)."""
        return [display_path(p) for p in write_rendered(rendered, destination, self.outdir, self.settings.fsync)]


@contextmanager
def _locked(outdir: Path) -> Iterator[None]:
    """One run at a time per output folder: two would sweep each other's temporary files."""
    try:
        outdir.mkdir(parents=True, exist_ok=True)
        handle = open_private(outdir / LOCK_NAME, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EINVAL, errno.ENXIO):  # a link, FIFO or device planted there
            raise WriteError(f"{LOCK_NAME} in the output folder is a symbolic link or not a regular file; not used",
                             display_path(outdir), hint=f"remove {LOCK_NAME} from the output folder") from None
        raise write_error("cannot write in the output folder", outdir, exc) from None
    try:
        try:
            import fcntl  # POSIX only

            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # not on POSIX: no lock
            pass
        except OSError:
            raise WriteError("another convert run is writing to this output folder", display_path(outdir),
                             hint="wait for it to finish, or choose another folder with -o") from None
        yield
    finally:
        os.close(handle)


def convert_tree(
    inputs: str | Path | Sequence[str | Path],
    formats: str | Sequence[str] = "md",
    outdir: str | Path = "out",
    *,
    jobs: int | None = None,
    force: bool = False,
    timeout: float | None = DEFAULT_TIMEOUT,
    strict: bool = False,
    max_size: int | None = DEFAULT_MAX_SIZE,
    scheduler: str | None = None,
    report: str | Path | None = None,
    fsync: bool = False,
    on_start: Callable[[int], None] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    keep_results: bool = True,
    **options: object,
) -> BatchReport:
    """Convert every seed file under ``inputs`` into ``formats`` below ``outdir``, mirroring the tree.

    Up-to-date outputs are skipped (``force=True`` rebuilds them); ``jobs`` worker
    processes render (default: the number of CPUs; 1 renders in this process);
    ``scheduler`` is a Dask scheduler address to render on instead. ``on_start(total)``
    is called once the inputs are counted and ``on_result(result)`` as each file finishes.
    ``report`` writes the JSON report there. Outputs are renamed into place whole, which a
    killed process cannot tear; ``fsync=True`` also flushes each to disk first, for
    power-loss safety at some cost in speed. Keyword ``options`` are writer options
    (page_size, font, cjk_font, ...). A bad input is a failed result, never an exception;
    Ctrl-C stops the workers and raises :class:`BatchInterrupted` carrying the report.
    """
    if isinstance(inputs, (str, Path)):
        inputs = [inputs]
    inputs = list(inputs)
    names = parse_formats(formats)
    _check_options(names, options)
    transforms.from_options(options)  # a bad script fails the run here, not every file
    settings = BatchSettings(names, Path(outdir), dict(options), max_size, strict, force, timeout or None, fsync)
    workers = jobs or os.cpu_count() or 1
    batch = BatchReport()
    ignored = gongwen.style_ignored(names, options.get("style"))  # Markdown, HTML, EPUB, JSON have no such layout
    batch.notes += [ignored.message] if ignored else []
    started = time.perf_counter()
    report_file: ReportFile | None = None

    def emit(result: FileResult) -> None:
        batch.count(result)
        if keep_results:
            batch.results.append(result)
        if report_file is not None:
            report_file.add(result)
        if on_result is not None:
            on_result(result)

    backend: Backend | None = None
    engine: _Engine | None = None
    try:
        with _locked(settings.outdir):
            remove_stale_temporaries(settings.outdir)
            if report is not None:  # after the sweep: the report may live inside the output folder
                report_file = ReportFile(Path(report))
            engine = _Engine(settings, batch, emit)
            clashes = engine.collisions(inputs)
            if on_start is not None:
                on_start(batch.total)
            if not force:
                engine.manifest.load()
            tasks: Iterator[Task] = engine.plan(inputs, clashes)
            if scheduler:
                backend = DaskBackend(scheduler, timeout=settings.timeout)
            try:
                if backend is None:
                    # A worker pool costs more to start than one document takes: none for a single
                    # file or a rerun with nothing (or one thing) to do. In-process keeps the time limit.
                    head = list(islice(tasks, 2)) if workers > 1 else []
                    pool = len(head) > 1
                    backend = ProcessPoolBackend(workers, names, settings.timeout) if pool else SerialBackend()
                    tasks = chain(head, tasks)
                for task, outcome in backend.map(tasks):
                    emit(engine.finish(task, outcome))
            except KeyboardInterrupt:
                batch.interrupted = True
            finally:
                if backend is not None:
                    backend.close(cancel=batch.interrupted)
                if batch.interrupted:
                    # Ctrl-C may land between creating a temporary file and the handler that would
                    # remove it; we hold the folder's lock, so every temporary in it is ours.
                    remove_stale_temporaries(settings.outdir)
                engine.manifest.close()
                if engine.manifest.problem:
                    batch.notes.append(engine.manifest.problem)
    except BaseException:
        if report_file is not None:
            report_file.abandon()
        raise
    batch.elapsed = time.perf_counter() - started
    if report_file is not None:
        try:
            report_file.finish({"version": version.__version__, "formats": list(names), "outdir": display_path(settings.outdir)},
                               batch.summary())
        except OSError as exc:
            report_file.abandon()
            batch.report_error = str(write_error("cannot write the report", report_file.path, exc))
    if batch.interrupted:
        raise BatchInterrupted(batch)
    return batch
