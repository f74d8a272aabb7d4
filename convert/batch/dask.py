"""Render on a Dask distributed cluster (``convert --scheduler ADDRESS``; extra ``convert-seeds[dask]``).

The client (the ``convert`` process) plans, reads each input and its pictures and sends
the bytes; a worker recreates them in a temporary folder with the same relative path, so
the ordinary path-based reader sees the same tree, runs :func:`convert.batch.render_input`
(the code path local runs use) and sends the rendered bytes back; the client writes
them. Workers need only the ``convert`` package, no shared file system.

Limits: Dask runs tasks in worker threads, where SIGALRM cannot interrupt a document, so
the per-document time limit is enforced by the client: a task not back in time is
reported as timed out and cancelled, but a worker thread truly stuck in C code stays busy
until it returns. Only an input's ``图片/`` pictures travel with it (the seed format's
only pictures). The JSON model names pictures relative to the input root, so every output is
byte-identical to a local run's. The client reads inputs and pictures as a local run does
(no link followed out of the tree, bounded by --max-size); the worker's copies live in its
Dask scratch folder, which Dask removes even when the worker is killed.
"""

from __future__ import annotations

import hashlib
import queue
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import ConvertError, MissingDependencyError
from ..fsutil import check_relative, display_path
from ..manifest import pictures_of
from ..readers.paths import PICTURE_FOLDER
from ..untrusted import Refused, open_real, read_fd, read_input
from .render import render_input
from .types import Outcome, Task

_FONT_OPTION = "font"  # the one option that names a file the worker needs

# The client's --font as a file on this worker process, written once: the PDF writer keys
# its parsed faces by path, and a copy per document both re-parsed the font for each one
# and registered a second face under the same name with reportlab, which then failed
# every document after the first.
_FONT_LOCK = threading.Lock()
_FONT_FILES: dict[str, Path] = {}


def _worker_font(name: str, digest: str, data: bytes) -> Path:
    from distributed import get_worker

    with _FONT_LOCK:
        path = _FONT_FILES.get(digest)
        if path is None:
            # The worker's own scratch folder: Dask removes it with the worker, even a killed one.
            folder = Path(get_worker().local_directory) / "convert-fonts" / digest
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / Path(name).name
            path.write_bytes(data)
            _FONT_FILES[digest] = path
        return path


def _scratch() -> str | None:
    """The Dask worker's local directory (None outside a worker: the system's temporary folder)."""
    try:
        from distributed import get_worker

        return str(get_worker().local_directory)
    except (ImportError, ValueError):
        return None


def render_payload(
    relative: str,
    data: bytes,
    pictures: dict[str, bytes],
    formats: tuple[str, ...],
    destinations: tuple[str, ...],
    options: dict[str, object],
    max_size: int | None,
    font: tuple[str, str, bytes] | None = None,
) -> Outcome:
    """The task a Dask worker runs: recreate the input in a temporary folder and render it."""
    rel = PurePosixPath(relative)
    problem = check_relative(rel)
    if problem:
        return Outcome(error=f"{relative}: {problem}")
    # In the worker's own scratch folder, which Dask removes with the worker even after a kill
    # (a folder in /tmp would be left behind by a killed worker).
    with tempfile.TemporaryDirectory(prefix="convert-dask-", dir=_scratch()) as tmp:
        root = Path(tmp) / "in"
        source = root.joinpath(*rel.parts)
        source.parent.mkdir(parents=True, exist_ok=True)
        source.write_bytes(data)
        for name, content in pictures.items():
            picture = PurePosixPath(name)
            if check_relative(picture) or len(picture.parts) != 2:
                continue  # only 图片/<file>; anything else is not ours to write
            target = source.parent.joinpath(*picture.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        if font is not None:
            options = {**options, _FONT_OPTION: str(_worker_font(*font))}
        outcome = render_input(source, root, formats, [Path(d) for d in destinations], options, max_size)
    # Messages name the worker's temporary copy; name the input as the client knows it.
    if outcome.error:
        outcome.error = outcome.error.replace(display_path(source), relative)
    return outcome


class DaskBackend:
    """Submit render tasks to a Dask scheduler, a bounded number in flight."""

    def __init__(self, address: str, timeout: float | None = None) -> None:
        try:
            from distributed import Client
        except ImportError:
            raise MissingDependencyError("--scheduler needs Dask: pip install 'convert-seeds[dask]'") from None
        import dask.config

        # Dask's own setting (env DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT) bounds the wait for the scheduler.
        connect = dask.config.get("distributed.comm.timeouts.connect", "30s")
        try:
            # Any: Client's methods are annotated as returning a value or a coroutine (its
            # asynchronous mode), and this client is synchronous.
            self.client: Any = Client(address, timeout=connect, set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise ConvertError(f"cannot reach the Dask scheduler at {address}: {exc}",
                               hint="check the address, or leave out --scheduler to convert on this machine") from None
        self.timeout = timeout
        self.pending: dict[Any, tuple[Task, float]] = {}  # Dask future -> task, when submitted
        self.done: queue.Queue[Any] = queue.Queue()  # finished Dask futures
        threads = sum(self.client.nthreads().values()) or 1
        self.window = max(4, 2 * threads)
        self._font_cache: dict[str, object] = {}

    def _font(self, options: dict[str, object]) -> object | None:
        """The --font as (name, digest, bytes), sent to the workers once: tasks carry a reference."""
        path = options.get(_FONT_OPTION)
        if not path:
            return None
        key = str(path)
        if key not in self._font_cache:
            data = Path(key).read_bytes()
            font = (Path(key).name, hashlib.blake2b(data, digest_size=16).hexdigest(), data)
            [self._font_cache[key]] = self.client.scatter([font], broadcast=True, hash=False)
        return self._font_cache[key]

    def _submit(self, task: Task) -> tuple[Task, Outcome] | None:
        source = Path(task.source)
        try:
            # The same safe reads as a local run: no link followed out of the input tree, bounded.
            data = task.data if task.data is not None else read_input(source, task.root, task.max_size)
            pictures = {}
            for name, real in pictures_of(source, Path(task.root)):
                try:
                    pictures[f"{PICTURE_FOLDER}/{name}"] = read_fd(open_real(real), task.max_size)
                except Refused:
                    continue  # the worker's reader reports it missing, as a local run reports it refused
            font = self._font(task.options)
        except Refused as exc:
            return task, Outcome(error=f"{display_path(source)}: {'file ' if exc.too_large else ''}{exc.strerror}")
        except OSError as exc:
            return task, Outcome(error=f"{display_path(source)}: cannot read file: {exc.strerror or exc} "
                                       "(check the file's permissions)")
        future = self.client.submit(render_payload, task.relative, data, pictures, task.formats, task.destinations,
                                    task.options, task.max_size, font, pure=False)
        self.pending[future] = (task, time.monotonic())
        future.add_done_callback(self.done.put)  # called from Dask's thread; a Queue is safe there
        return None

    def _collect(self) -> list[tuple[Task, Outcome]]:
        out: list[tuple[Task, Outcome]] = []
        done = []
        try:
            done.append(self.done.get(timeout=1.0))
            while True:
                done.append(self.done.get_nowait())
        except queue.Empty:
            pass
        for future in done:
            if future not in self.pending:
                continue  # already reported as timed out
            task, _ = self.pending.pop(future)
            try:
                outcome = future.result()
                if outcome.error and outcome.error.startswith(task.relative):
                    outcome.error = display_path(task.source) + outcome.error[len(task.relative):]
                out.append((task, outcome))
            except Exception as exc:  # the worker died or the task could not run
                out.append((task, Outcome(error=f"{display_path(task.source)}: failed on the Dask cluster: "
                                                f"{type(exc).__name__}: {exc}")))
        if self.timeout:
            # In flight at most one window: a task waits behind at most one other per thread.
            limit = 2 * self.timeout + 10
            now = time.monotonic()
            for future, (task, submitted) in list(self.pending.items()):
                if now - submitted > limit:
                    del self.pending[future]
                    future.cancel()
                    out.append((task, Outcome(error=f"{display_path(task.source)}: timed out after {self.timeout:g} s "
                                                    "on the Dask cluster (raise --timeout if the file is genuine)")))
        return out

    def map(self, tasks: Iterator[Task]) -> Iterator[tuple[Task, Outcome]]:
        for task in tasks:
            immediate = self._submit(task)
            if immediate is not None:
                yield immediate
            while len(self.pending) >= self.window:
                yield from self._collect()
        while self.pending:
            yield from self._collect()

    def close(self, cancel: bool = False) -> None:
        if cancel and self.pending:
            try:
                self.client.cancel(list(self.pending))
            except Exception:
                pass
        self.pending.clear()
        try:
            self.client.close(timeout=10)
        except Exception:
            pass
