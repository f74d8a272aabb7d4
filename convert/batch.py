"""The batch layer: find inputs, convert each once into every requested format, report.

One engine serves the ``convert`` command, the library call :func:`convert_tree` and the
Dask backend:

* **plan** (parent process): walk the inputs twice, streaming (once to count and find
  inputs that would map to the same output, once to plan), check each output path is
  safe, and skip what the manifest (:mod:`convert.manifest`) says is up to date;
* **render** (:func:`render_input`, the one code path every backend runs): read and
  parse an input once, render every format that needs it, under a time limit;
* **write** (parent process): put each output in place atomically (resources first, the
  main file last), record it in the manifest, report a :class:`FileResult`.

Rendering runs in-process for ``jobs=1``, in a small pool of worker processes otherwise
(each keeps its writers, and so its fonts and templates, for the whole run; a worker
stuck past the time limit is killed and replaced), or on a Dask cluster
(:mod:`convert.distributed`). Workers never write files, so killing one never leaves a
partial output or a temporary file. A failure is a result with one line of
explanation, never an exception that stops the batch.
"""

from __future__ import annotations

import json
import os
import posixpath
import signal
import stat
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path, PurePosixPath

from .errors import ConvertError, DocumentTimeoutError, InputTooLargeError, WriteError
from .fsutil import (
    TEMP_PREFIX,
    atomic_write,
    check_relative,
    collision_key,
    display_path,
    is_inside,
    printable,
    safe_destination,
)
from .model import Diagnostic, Document, Image, map_images
from .readers import DEFAULT_MAX_SIZE, read
from .writers import get_writer
from .writers.base import Rendered

INPUT_SUFFIXES = (".txt",)
#: Default per-document time limit in seconds; a seed article takes well under one.
DEFAULT_TIMEOUT = 120.0
#: A worker that has not answered this long after its soft limit is killed.
HARD_KILL_GRACE = 10.0

CONVERTED, WARNINGS, FAILED, UP_TO_DATE = "converted", "warnings", "failed", "up-to-date"


# ---------------------------------------------------------------- data


@dataclass(frozen=True)
class Job:
    """One input file, and the root its output path is taken relative to."""

    source: Path
    root: Path

    @cached_property
    def relative_text(self) -> str:
        """The input's path below its root, posix separators (string work: a walk makes thousands)."""
        source, root = os.fspath(self.source), os.fspath(self.root)
        prefix = root if root.endswith(os.sep) else root + os.sep
        if root not in ("", ".") and source.startswith(prefix):
            text = source[len(prefix):]
        else:
            try:
                text = os.fspath(self.source.relative_to(self.root))
            except ValueError:
                text = self.source.name
        return text.replace(os.sep, "/") if os.sep != "/" else text

    @property
    def relative(self) -> PurePosixPath:
        return PurePosixPath(self.relative_text)

    @cached_property
    def key(self) -> str:
        """The output stem below the output folder (``a/b/title`` for ``a/b/title.txt``): the manifest key."""
        return posixpath.splitext(self.relative_text)[0]


@dataclass
class FileResult:
    """What happened to one input: the unit the progress bar, the report and the summary count."""

    source: str
    status: str  # "converted", "warnings", "failed", "up-to-date"
    outputs: list[str] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.level == "warning"]

    def to_dict(self) -> dict[str, object]:
        return {
            "input": self.source,
            "status": self.status,
            "outputs": self.outputs,
            "warnings": [{"code": d.code, "message": printable(d.message)} for d in self.warnings],
            "error": printable(self.error) if self.error else None,
        }


@dataclass(frozen=True)
class BatchSettings:
    formats: tuple[str, ...]
    outdir: Path
    options: dict[str, object] = field(default_factory=dict)  # shared pool; each writer takes its own
    max_size: int | None = DEFAULT_MAX_SIZE
    strict: bool = False
    force: bool = False
    timeout: float | None = DEFAULT_TIMEOUT  # seconds per document; None or 0: no limit
    fsync: bool = False  # flush each output to disk before renaming it (survives power loss, costs speed)


@dataclass
class BatchReport:
    """The outcome of a batch: counts, timing and (unless not kept) every file's result."""

    results: list[FileResult] = field(default_factory=list)
    total: int = 0
    converted: int = 0
    up_to_date: int = 0
    failed: int = 0
    with_warnings: int = 0
    elapsed: float = 0.0
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)  # run-level problems (manifest unreadable, ...)
    report_error: str | None = None  # the --report file could not be written

    @property
    def done(self) -> int:
        return self.converted + self.up_to_date + self.failed

    @property
    def files_per_second(self) -> float:
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 130
        return 1 if self.failed or self.total == 0 or self.report_error else 0

    def count(self, result: FileResult) -> None:
        if result.status == FAILED:
            self.failed += 1
        elif result.status == UP_TO_DATE:
            self.up_to_date += 1
        else:
            self.converted += 1
        if not result.failed and result.warnings:
            self.with_warnings += 1

    def summary(self) -> dict[str, object]:
        return {
            "total": self.total,
            "converted": self.converted,
            "up_to_date": self.up_to_date,
            "failed": self.failed,
            "with_warnings": self.with_warnings,
            "elapsed_s": round(self.elapsed, 3),
            "files_per_second": round(self.files_per_second, 2),
            "interrupted": self.interrupted,
        }

    def summary_line(self) -> str:
        line = (
            f"{self.converted} converted, {self.up_to_date} up to date, {self.failed} failed, "
            f"{self.with_warnings} with warnings; {self.elapsed:.1f} s, {self.files_per_second:.1f} files/s"
        )
        return ("interrupted: " + line) if self.interrupted else line


class BatchInterrupted(KeyboardInterrupt):
    """Ctrl-C during a batch: the workers were stopped; ``report`` holds what was done."""

    def __init__(self, report: BatchReport) -> None:
        super().__init__("interrupted")
        self.report = report


@dataclass(frozen=True)
class Task:
    """One input to render, as it travels to a worker (local process or Dask)."""

    key: str  # output stem relative to the output folder (posix); the manifest key
    source: str
    root: str
    relative: str
    formats: tuple[str, ...]
    destinations: tuple[str, ...]  # one per format
    options: dict[str, object]
    max_size: int | None
    timeout: float | None
    signature: str = ""
    hash: str = ""


@dataclass
class Outcome:
    """What rendering one input gave: bytes per format, or the one-line error."""

    rendered: dict[str, Rendered] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None


# ---------------------------------------------------------------- inputs and paths


def discover(inputs: Iterable[str | Path]) -> Iterator[Job]:
    """Yield a job per input file; folders are searched for ``*.txt`` recursively, in sorted order.

    Symbolic links to folders are not followed (a link cycle or a link to ``/`` cannot
    make a batch walk forever); links to files are checked when planned.
    """
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                for name in sorted(filenames):
                    if name.endswith(INPUT_SUFFIXES) and not name.startswith(TEMP_PREFIX):
                        yield Job(Path(dirpath) / name, path)
        else:
            yield Job(path, path.parent)


# ---------------------------------------------------------------- rendering (every backend)


def render_input(
    source: Path,
    root: Path,
    formats: Sequence[str],
    destinations: Sequence[Path],
    options: dict[str, object],
    max_size: int | None = DEFAULT_MAX_SIZE,
    picture_folder: str | None = None,
) -> Outcome:
    """Read and parse ``source`` once and render it in every format. Never raises for a bad input.

    ``destinations`` are where the outputs will go (writers that link resources relative
    to their output need them); nothing is written here. ``picture_folder`` is where the
    pictures really are when ``source`` is a copy (a Dask worker's temporary folder): the
    document then names them there, so its JSON form is the same as a local run's.
    """
    label = display_path(source)
    try:
        document = read(source, root=root, max_size=max_size)
    except ConvertError as exc:
        return Outcome(error=str(exc))
    except RecursionError:
        return Outcome(error=f"{label}: the input is nested too deeply to parse (leave it out of the input)")
    if picture_folder is not None:
        document = _rebase_pictures(document, str(source.parent), picture_folder)
    diagnostics = list(document.diagnostics)
    rendered: dict[str, Rendered] = {}
    try:
        for fmt, destination in zip(formats, destinations, strict=True):
            writer = get_writer(fmt)
            result = writer.render(document, writer.options_from(options), Path(destination))
            diagnostics.extend(result.diagnostics)
            rendered[fmt] = result
    except ConvertError as exc:
        if exc.path is None:
            exc.path = label
        return Outcome(diagnostics=diagnostics, error=str(exc))
    except Exception as exc:  # a writer bug must cost one file, not the batch
        return Outcome(
            diagnostics=diagnostics,
            error=f"{label}: internal error in the {fmt} writer: {type(exc).__name__}: {exc} (please report this as a bug)",
        )
    return Outcome(rendered, diagnostics)


def _rebase_pictures(document: Document, copy_folder: str, real_folder: str) -> Document:
    def rebase(image: Image) -> Image:
        if image.path is None or not image.path.startswith(copy_folder + os.sep):
            return image
        return replace(image, path=real_folder + image.path[len(copy_folder) :])

    return map_images(document, rebase)


@contextmanager
def time_limit(seconds: float | None, label: str) -> Iterator[None]:
    """Raise :class:`DocumentTimeoutError` in this thread after ``seconds``.

    Uses SIGALRM, so it works only in a process's main thread (where worker processes and
    the ``-j1`` run convert); elsewhere the limit is not applied here (the caller's
    backend enforces it from outside).
    """
    usable = bool(seconds) and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise DocumentTimeoutError(f"timed out after {seconds:g} s", label)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))  # type: ignore[arg-type]
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def execute(task: Task) -> Outcome:
    """Render one task under its time limit (the function worker processes run)."""
    source = Path(task.source)
    try:
        with time_limit(task.timeout, display_path(source)):
            return render_input(source, Path(task.root), task.formats, [Path(d) for d in task.destinations],
                                task.options, task.max_size)
    except DocumentTimeoutError as exc:
        return Outcome(error=str(exc))


# ---------------------------------------------------------------- backends


class SerialBackend:
    """Render in this process, one input after another (``jobs=1``)."""

    def map(self, tasks: Iterator[Task]) -> Iterator[tuple[Task, Outcome]]:
        for task in tasks:
            yield task, execute(task)

    def close(self, cancel: bool = False) -> None:
        pass


def _worker_main(conn: object, warm: tuple[str, ...], run: Callable[[Task], Outcome] = execute) -> None:
    """A worker process: load the writers once, then render tasks until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for fmt in warm:
        try:
            get_writer(fmt)
        except Exception:
            pass
    try:
        conn.send(_READY)  # type: ignore[attr-defined]
    except (OSError, EOFError):
        return
    while True:
        try:
            task = conn.recv()  # type: ignore[attr-defined]
        except (EOFError, OSError):
            return  # the parent is gone
        if task is None:
            return
        outcome = run(task)
        try:
            conn.send(outcome)  # type: ignore[attr-defined]
        except (OSError, EOFError):
            return
        except Exception as exc:  # an outcome that cannot be pickled
            conn.send(Outcome(error=f"{display_path(task.source)}: internal error: cannot return the result: {exc}"))  # type: ignore[attr-defined]


_READY = "ready"  # a worker's first message: its writers are loaded, the clock may start
#: How long a new worker may take to start and load its writers before it counts as stuck.
STARTUP_ALLOWANCE = 60.0


@dataclass
class _Worker:
    process: object
    conn: object
    queue: deque = field(default_factory=deque)  # tasks sent, in order; the head is running
    started: float = 0.0  # when the head task started (at the latest)
    ready: bool = False


class ProcessPoolBackend:
    """Worker processes fed through pipes, at most four tasks each in flight.

    Knowing which task each worker runs, and since when, lets the parent kill a worker
    stuck in C code past the time limit (SIGALRM cannot interrupt it) and replace it,
    which a ``concurrent.futures`` pool cannot do without breaking.
    """

    PER_WORKER = 4

    def __init__(self, workers: int, warm: tuple[str, ...], timeout: float | None,
                 run: Callable[[Task], Outcome] = execute) -> None:
        import multiprocessing

        methods = multiprocessing.get_all_start_methods()
        # forkserver: forking from a clean server is fast and safe beside threads (the progress bar).
        self._ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._ctx.set_forkserver_preload(["convert.batch"])
        self._size = max(1, workers)
        self._warm = warm
        self._hard = (timeout + HARD_KILL_GRACE) if timeout else None
        self._run = run  # what a worker does with a task (tests put a stuck function here)
        self._workers: list[_Worker] = []

    def _spawn(self) -> _Worker:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_main, args=(child, self._warm, self._run), daemon=True, name="convert-worker")
        process.start()
        child.close()
        return _Worker(process, parent)

    def _send(self, worker: _Worker, task: Task) -> None:
        if not worker.queue:
            worker.started = time.monotonic()
        worker.queue.append(task)
        worker.conn.send(task)  # type: ignore[attr-defined]

    def _replace(self, worker: _Worker) -> list[Task]:
        """Kill ``worker``, start another in its place; return the tasks it had not begun."""
        self._stop(worker, kill=True)
        lost = list(worker.queue)[1:]
        fresh = self._spawn()
        self._workers[self._workers.index(worker)] = fresh
        for task in lost:
            self._send(fresh, task)
        return lost

    def map(self, tasks: Iterator[Task]) -> Iterator[tuple[Task, Outcome]]:
        from multiprocessing.connection import wait

        tasks = iter(tasks)
        exhausted = False
        while True:
            # Feed: an idle worker first, a new worker while under the limit, then a second task each.
            while not exhausted:
                worker = next((w for w in self._workers if not w.queue), None)
                if worker is None and len(self._workers) < self._size:
                    worker = self._spawn()
                    self._workers.append(worker)
                if worker is None:
                    worker = next((w for w in self._workers if len(w.queue) < self.PER_WORKER), None)
                if worker is None:
                    break
                task = next(tasks, None)
                if task is None:
                    exhausted = True
                    break
                self._send(worker, task)
            busy = [w for w in self._workers if w.queue]
            if not busy:
                return
            now = time.monotonic()
            wait_for = None
            if self._hard:
                wait_for = max(0.0, min(self._deadline(w) for w in busy) - now)
            ready = wait([w.conn for w in busy], timeout=wait_for)  # type: ignore[misc]
            finished: list[tuple[Task, Outcome]] = []
            for worker in busy:
                if worker.conn not in ready:
                    continue
                try:
                    outcome = worker.conn.recv()  # type: ignore[attr-defined]
                except (EOFError, OSError):
                    task = worker.queue[0]
                    code = getattr(worker.process, "exitcode", None)
                    finished.append((task, Outcome(error=f"{display_path(task.source)}: the worker process died "
                                                         f"(exit status {code}) while converting it (out of memory?)")))
                    self._replace(worker)
                    continue
                if outcome == _READY:
                    worker.ready = True
                else:
                    finished.append((worker.queue.popleft(), outcome))
                worker.started = time.monotonic()
            now = time.monotonic()
            for worker in list(self._workers):
                if self._hard and worker.queue and now > self._deadline(worker) and not worker.conn.poll():  # type: ignore[attr-defined]
                    task = worker.queue[0]
                    finished.append((task, Outcome(error=str(DocumentTimeoutError(
                        f"timed out after {task.timeout:g} s (the worker was stopped)", display_path(task.source))))))
                    self._replace(worker)
            yield from finished

    def _deadline(self, worker: _Worker) -> float:
        assert self._hard is not None
        return worker.started + self._hard + (0.0 if worker.ready else STARTUP_ALLOWANCE)

    def _stop(self, worker: _Worker, kill: bool) -> None:
        process = worker.process
        try:
            if kill:
                process.kill()  # type: ignore[attr-defined]
            else:
                worker.conn.send(None)  # type: ignore[attr-defined]
        except (OSError, ValueError):
            pass
        process.join(timeout=2 if not kill else 5)  # type: ignore[attr-defined]
        if process.is_alive():  # type: ignore[attr-defined]
            process.kill()  # type: ignore[attr-defined]
            process.join(timeout=5)  # type: ignore[attr-defined]
        try:
            worker.conn.close()  # type: ignore[attr-defined]
        except OSError:
            pass

    def close(self, cancel: bool = False) -> None:
        for worker in self._workers:
            self._stop(worker, kill=cancel or bool(worker.queue))
        self._workers = []


# ---------------------------------------------------------------- the engine


class _ReportFile:
    """The JSON report, streamed to a temporary file beside it and renamed into place at the end."""

    def __init__(self, path: Path) -> None:
        import tempfile

        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        prefix = f"{TEMP_PREFIX}report-{path.name}-"
        for stale in path.parent.iterdir():
            if stale.name.startswith(prefix):
                try:
                    stale.unlink()
                except OSError:
                    pass
        fd, self.tmp = tempfile.mkstemp(prefix=prefix, dir=path.parent)
        self.handle = os.fdopen(fd, "w", encoding="utf-8")
        self.first = True
        self.handle.write('{\n"schema": "convert.report/1",\n"files": [')

    def add(self, result: FileResult) -> None:
        self.handle.write(("\n" if self.first else ",\n") + json.dumps(result.to_dict(), ensure_ascii=False))
        self.first = False

    def finish(self, head: dict[str, object], summary: dict[str, object]) -> None:
        tail = ",\n".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in head.items())
        self.handle.write(f"\n],\n{tail},\n\"summary\": {json.dumps(summary)}\n}}\n")
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self.tmp, 0o644)
        os.replace(self.tmp, self.path)

    def abandon(self) -> None:
        try:
            self.handle.close()
            os.unlink(self.tmp)
        except OSError:
            pass


def parse_formats(formats: str | Sequence[str]) -> tuple[str, ...]:
    """Canonical writer names for ``"md,docx"`` or a list, each once, in order (aliases folded)."""
    names = formats.split(",") if isinstance(formats, str) else list(formats)
    names = [n.strip().lower() for n in names if n and n.strip()]  # lower: get_writer caches by the name given
    if not names:
        raise ConvertError("name at least one output format", hint="e.g. formats='md,docx'")
    return tuple(dict.fromkeys(get_writer(n).name for n in names))


#: The command line's shared pool of option values; each writer takes the ones it has.
SHARED_OPTIONS = ("page_size", "font", "cjk_font", "latin_font", "embed_font", "continuous", "pdf_standard")


def _check_options(formats: tuple[str, ...], options: dict[str, object]) -> None:
    import dataclasses

    known: set[str] = set(SHARED_OPTIONS)
    for fmt in formats:
        known |= {f.name for f in dataclasses.fields(get_writer(fmt).options_type)}
    unknown = sorted(k for k, v in options.items() if v is not None and k not in known)
    if unknown:
        raise ConvertError(f"no writer among {', '.join(formats)} has option {', '.join(unknown)}")


class _Engine:
    def __init__(self, settings: BatchSettings, report: BatchReport, emit: Callable[[FileResult], None]) -> None:
        from . import __version__
        from .manifest import Manifest, options_key

        self.settings = settings
        self.report = report
        self.emit = emit
        self.outdir = settings.outdir
        self.manifest = Manifest(self.outdir)
        self._safe_folders: set[str] = set()
        self.writers = {fmt: get_writer(fmt) for fmt in settings.formats}
        self.keys = {
            fmt: options_key(__version__, w, w.options_from(settings.options)) for fmt, w in self.writers.items()
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
        from .manifest import content_hash, pictures_of, stat_signature

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
                    if not is_inside(job.source, job.root):
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
                pictures = pictures_of(job.source)
                signature = stat_signature(job.source, pictures, st)
                record = None if settings.force else self.manifest.get(key)
                source_id = os.fsdecode(job.source)
                if record is not None and record.source == source_id and record.signature == signature:
                    digest = record.hash  # unchanged stat data: trust the recorded hash (see manifest docs)
                else:
                    digest = content_hash(job.source, pictures)
            except InputTooLargeError as exc:
                self.fail(label, str(exc))
                continue
            except OSError as exc:
                self.fail(label, f"{label}: cannot read file: {exc.strerror or exc} (check the file's permissions)")
                continue
            stem = os.path.join(self.outdir, job.key)
            destinations = {fmt: stem + w.extension for fmt, w in self.writers.items()}
            current = record is not None and record.source == source_id and record.hash == digest
            needed = tuple(
                fmt for fmt in settings.formats
                if not (current and record.formats.get(fmt) == self.keys[fmt] and os.path.exists(destinations[fmt]))  # type: ignore[union-attr]
            )
            if not needed:
                diags = [Diagnostic("warning", code, message) for code, message in record.warnings]  # type: ignore[union-attr]
                self.emit(FileResult(label, UP_TO_DATE, [display_path(destinations[f]) for f in settings.formats], diags))
                continue
            yield Task(key, str(job.source), str(job.root), job.relative_text, needed,
                       tuple(destinations[f] for f in needed), settings.options, settings.max_size,
                       settings.timeout, signature, digest)

    # -- writing --------------------------------------------------------------------

    def finish(self, task: Task, outcome: Outcome) -> FileResult:
        from .manifest import Record

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
        except WriteError as exc:
            return FileResult(label, FAILED, outputs, outcome.diagnostics, str(exc))
        result = FileResult(label, CONVERTED, outputs, outcome.diagnostics)
        warnings = result.warnings
        if self.settings.strict and warnings:
            result.status, result.error = FAILED, f"{label}: {len(warnings)} warning(s) under --strict ({warnings[0].message})"
            return result
        if warnings:
            result.status = WARNINGS
        # Formats built earlier from the same content stay valid beside the ones built now.
        kept = previous is not None and previous.hash == task.hash and previous.source == task.source
        formats = dict(previous.formats) if kept else {}  # type: ignore[union-attr]
        formats.update({fmt: self.keys[fmt] for fmt in task.formats})
        stored = [[d.code, d.message] for d in warnings]
        if kept:
            stored += [w for w in previous.warnings if w not in stored]  # type: ignore[union-attr]
        self.manifest.put(task.key, Record(task.source, task.signature, task.hash, formats, stored))
        return result

    def _safe(self, destination: Path) -> None:
        # Resolving a deep path costs a call per component: remember folders found safe (a few hundred).
        folder = str(destination.parent)
        if folder not in self._safe_folders:
            safe_destination(self.outdir, destination)
            if len(self._safe_folders) > 512:
                self._safe_folders.clear()
            self._safe_folders.add(folder)

    def _write(self, rendered: Rendered, destination: Path) -> list[str]:
        """Resources first, the main file last: a main file present means a complete output."""
        written = []
        self._safe(destination)
        for resource in rendered.resources:
            relative = PurePosixPath(resource.relpath)
            target = destination.parent.joinpath(*relative.parts)
            if check_relative(relative):
                raise WriteError(f"the writer named a resource outside the output folder: {resource.relpath!r}",
                                 display_path(destination), hint="please report this as a bug")
            self._safe(target)
            atomic_write(target, resource.data, durable=self.settings.fsync)
            written.append(display_path(target))
        atomic_write(destination, rendered.data, durable=self.settings.fsync)
        written.append(display_path(destination))
        return written


@contextmanager
def _locked(outdir: Path) -> Iterator[None]:
    """One run at a time per output folder: two would sweep each other's temporary files."""
    from .manifest import LOCK_NAME

    try:
        outdir.mkdir(parents=True, exist_ok=True)
        handle = open(outdir / LOCK_NAME, "a")  # noqa: SIM115
    except OSError as exc:
        from .fsutil import write_error

        raise write_error("cannot write in the output folder", outdir, exc) from None
    try:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # not on POSIX: no lock
            pass
        except OSError:
            raise WriteError("another convert run is writing to this output folder", display_path(outdir),
                             hint="wait for it to finish, or choose another folder with -o") from None
        yield
    finally:
        handle.close()


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
    settings = BatchSettings(names, Path(outdir), dict(options), max_size, strict, force, timeout or None, fsync)
    workers = jobs or os.cpu_count() or 1
    batch = BatchReport()
    started = time.perf_counter()
    report_file: _ReportFile | None = None

    def emit(result: FileResult) -> None:
        batch.count(result)
        if keep_results:
            batch.results.append(result)
        if report_file is not None:
            report_file.add(result)
        if on_result is not None:
            on_result(result)

    backend: object | None = None
    engine: _Engine | None = None
    try:
        with _locked(settings.outdir):
            from .fsutil import remove_stale_temporaries

            remove_stale_temporaries(settings.outdir)
            if report is not None:  # after the sweep: the report may live inside the output folder
                report_file = _ReportFile(Path(report))
            engine = _Engine(settings, batch, emit)
            clashes = engine.collisions(inputs)
            if on_start is not None:
                on_start(batch.total)
            if not force:
                engine.manifest.load()
            if scheduler:
                from .distributed import DaskBackend

                backend = DaskBackend(scheduler, timeout=settings.timeout)
            elif workers <= 1:
                backend = SerialBackend()
            else:
                backend = ProcessPoolBackend(workers, names, settings.timeout)
            try:
                for task, outcome in backend.map(engine.plan(inputs, clashes)):  # type: ignore[attr-defined]
                    emit(engine.finish(task, outcome))
            except KeyboardInterrupt:
                batch.interrupted = True
            finally:
                backend.close(cancel=batch.interrupted)  # type: ignore[attr-defined]
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
        from . import __version__

        try:
            report_file.finish({"version": __version__, "formats": list(names), "outdir": display_path(settings.outdir)},
                               batch.summary())
        except OSError as exc:
            report_file.abandon()
            batch.report_error = (f"{display_path(report_file.path)}: cannot write the report: {exc.strerror or exc} "
                                  "(check that its folder is writable)")
    if batch.interrupted:
        raise BatchInterrupted(batch)
    return batch
