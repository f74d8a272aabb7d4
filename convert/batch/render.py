"""Rendering, the one code path every backend runs: read an input once, render every format."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from .. import transforms
from ..errors import ConvertError, DocumentTimeoutError
from ..fsutil import display_path
from ..model import aggregate
from ..readers import DEFAULT_MAX_SIZE, parse, read
from ..untrusted import picture_limit
from ..writers import get_writer
from ..writers.base import Rendered
from .types import Outcome, Task


def render_input(
    source: Path,
    root: Path,
    formats: Sequence[str],
    destinations: Sequence[Path],
    options: dict[str, object],
    max_size: int | None = DEFAULT_MAX_SIZE,
    data: bytes | None = None,
) -> Outcome:
    """Read and parse ``source`` once and render it in every format. Never raises for a bad input.

    ``data`` is the input's bytes when the caller has read them already (the planner reads
    each input once, safely, to hash it); otherwise the file is read here, without
    following links out of ``root``. ``destinations`` are where the outputs will go
    (writers that link resources relative to their output need them); nothing is written
    here. Pictures are bounded by ``max_size`` each; diagnostics are aggregated per code.
    """
    label = display_path(source)
    try:
        if data is not None:
            read_result = parse(data, source, root=root, max_size=max_size)
        else:
            read_result = read(source, root=root, max_size=max_size)
    except ConvertError as exc:
        return Outcome(error=str(exc))
    except RecursionError:
        return Outcome(error=f"{label}: the input is nested too deeply to parse (leave it out of the input)")
    # Reader, transforms, writers: each one's diagnostics once, in that order, aggregated below.
    document, diagnostics = read_result.document, list(read_result.diagnostics)
    rendered: dict[str, Rendered] = {}
    where = "the transform stage"
    try:
        with picture_limit(max_size):
            transformed = transforms.prepare(document, options)  # once, before every writer
            document = transformed.document
            diagnostics.extend(transformed.diagnostics)
            for fmt, destination in zip(formats, destinations, strict=True):
                writer, where = get_writer(fmt), f"the {fmt} writer"
                result = writer.render(document, writer.options_from(options), Path(destination))
                diagnostics.extend(result.diagnostics)
                rendered[fmt] = result
    except ConvertError as exc:
        if exc.path is None:
            exc.path = label
        return Outcome(diagnostics=aggregate(diagnostics), error=str(exc))
    except Exception as exc:  # a writer bug must cost one file, not the batch
        return Outcome(
            diagnostics=aggregate(diagnostics),
            error=f"{label}: internal error in {where}: {type(exc).__name__}: {exc} (please report this as a bug)",
        )
    return Outcome(rendered, aggregate(diagnostics))


@contextmanager
def time_limit(seconds: float | None, label: str) -> Iterator[None]:
    """Raise :class:`DocumentTimeoutError` in this thread after ``seconds``.

    Uses SIGALRM, so it works only in a process's main thread (where worker processes and
    the ``-j1`` run convert); elsewhere the limit is not applied here (the caller's
    backend enforces it from outside).
    """
    if not seconds or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise DocumentTimeoutError(f"timed out after {seconds:g} s", label)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, float(seconds))
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
                                task.options, task.max_size, task.data)
    except DocumentTimeoutError as exc:
        return Outcome(error=str(exc))


