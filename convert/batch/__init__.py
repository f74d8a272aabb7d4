"""The batch layer: find inputs, convert each once into every requested format, report.

One engine serves the ``convert`` command, the library call :func:`convert_tree` and the
Dask backend. The package's modules, in import order:

* :mod:`.types`: jobs' data (tasks, outcomes, per-file results, the run's report) and
  the :class:`Backend` protocol;
* :mod:`.inputs`: input discovery (also used by book mode);
* :mod:`.render`: the one code path every backend runs (read once, render every format,
  under a time limit);
* :mod:`.local`: the serial and process-pool backends; :mod:`.dask`: the Dask backend;
* :mod:`.report`: the streamed ``--report`` file;
* :mod:`.engine`: planning, writing, the manifest, :func:`convert_tree`.

Workers never write files, so killing one never leaves a partial output or a temporary
file. A failure is a result with one line of explanation, never an exception that stops
the batch.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import SHARED_OPTIONS, convert_tree, parse_formats
    from .inputs import INPUT_SUFFIXES, Job, discover
    from .local import HARD_KILL_GRACE, STARTUP_ALLOWANCE, ProcessPoolBackend, SerialBackend
    from .render import execute, render_input, time_limit
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

# Where each public name lives. Loaded on first use, so that `convert.batch.inputs` (all
# that book mode needs) does not pull in the engine and its backends.
_HOMES = {
    **dict.fromkeys(("SHARED_OPTIONS", "convert_tree", "parse_formats"), "engine"),
    **dict.fromkeys(("INPUT_SUFFIXES", "Job", "discover"), "inputs"),
    **dict.fromkeys(("HARD_KILL_GRACE", "STARTUP_ALLOWANCE", "ProcessPoolBackend", "SerialBackend"), "local"),
    **dict.fromkeys(("execute", "render_input", "time_limit"), "render"),
    **dict.fromkeys(("CONVERTED", "DEFAULT_TIMEOUT", "FAILED", "UP_TO_DATE", "WARNINGS", "Backend", "BatchInterrupted",
                     "BatchReport", "BatchSettings", "FileResult", "Outcome", "Task"), "types"),
}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'convert.batch' has no attribute {name!r}")
    return getattr(import_module(f"{__name__}.{home}"), name)


__all__ = [
    "CONVERTED", "DEFAULT_TIMEOUT", "FAILED", "HARD_KILL_GRACE", "INPUT_SUFFIXES", "SHARED_OPTIONS", "STARTUP_ALLOWANCE",
    "UP_TO_DATE", "WARNINGS", "Backend", "BatchInterrupted", "BatchReport", "BatchSettings", "FileResult", "Job",
    "Outcome", "ProcessPoolBackend", "SerialBackend", "Task", "convert_tree", "discover", "execute", "parse_formats",
    "render_input", "time_limit",
]
