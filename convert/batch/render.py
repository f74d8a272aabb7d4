"""Rendering, the one code path every backend runs: read an input once, render every format."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from ..errors import ConvertError, DocumentTimeoutError
from ..fsutil import display_path
from ..model import Document, Image, map_images
from ..readers import DEFAULT_MAX_SIZE, read
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
                                task.options, task.max_size)
    except DocumentTimeoutError as exc:
        return Outcome(error=str(exc))


