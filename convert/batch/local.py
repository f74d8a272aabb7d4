"""Local backends: render in this process (``jobs=1``) or in a pool of worker processes."""

from __future__ import annotations

import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from ..errors import DocumentTimeoutError
from ..fsutil import display_path
from ..writers import get_writer
from .render import execute
from .types import Outcome, Task

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

#: A worker that has not answered this long after its soft limit is killed.
HARD_KILL_GRACE = 10.0



class SerialBackend:
    """Render in this process, one input after another (``jobs=1``)."""

    def map(self, tasks: Iterator[Task]) -> Iterator[tuple[Task, Outcome]]:
        for task in tasks:
            yield task, execute(task)

    def close(self, cancel: bool = False) -> None:
        pass


def _worker_main(conn: Connection, warm: tuple[str, ...], run: Callable[[Task], Outcome] = execute) -> None:
    """A worker process: load the writers once, then render tasks until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    for fmt in warm:
        try:
            get_writer(fmt)
        except Exception:
            pass
    try:
        conn.send(_READY)
    except (OSError, EOFError):
        return
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return  # the parent is gone
        if task is None:
            return
        outcome = run(task)
        try:
            conn.send(outcome)
        except (OSError, EOFError):
            return
        except Exception as exc:  # an outcome that cannot be pickled
            conn.send(Outcome(error=f"{display_path(task.source)}: internal error: cannot return the result: {exc}"))


_READY = "ready"  # a worker's first message: its writers are loaded, the clock may start
#: How long a new worker may take to start and load its writers before it counts as stuck.
STARTUP_ALLOWANCE = 60.0


@dataclass
class _Worker:
    process: BaseProcess
    conn: Connection
    queue: deque[Task] = field(default_factory=deque)  # tasks sent, in order; the head is running
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
        # here, not at the top: a one-file run starts no pool and need not pay for the import
        import multiprocessing
        from multiprocessing.connection import wait

        self._wait = wait

        methods = multiprocessing.get_all_start_methods()
        # forkserver: forking from a clean server is fast and safe beside threads (the progress bar).
        self._ctx: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._ctx.set_forkserver_preload([__name__])
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
        # Without the input's bytes: up to PER_WORKER tasks wait in the pipe while the worker
        # sends a result back, and large ones would fill it both ways (a deadlock). The
        # worker reads the file itself, as safely as the planner did.
        worker.conn.send(replace(task, data=None) if task.data is not None else task)

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
            ready = self._wait([w.conn for w in busy], timeout=wait_for)
            finished: list[tuple[Task, Outcome]] = []
            for worker in busy:
                if worker.conn not in ready:
                    continue
                try:
                    outcome = worker.conn.recv()
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
                if self._hard and worker.queue and now > self._deadline(worker) and not worker.conn.poll():
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
                process.kill()
            else:
                worker.conn.send(None)
        except (OSError, ValueError):
            pass
        process.join(timeout=2 if not kill else 5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
        try:
            worker.conn.close()
        except OSError:
            pass

    def close(self, cancel: bool = False) -> None:
        for worker in self._workers:
            self._stop(worker, kill=cancel or bool(worker.queue))
        self._workers = []


