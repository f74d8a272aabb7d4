"""The batch layer's data: jobs, tasks, outcomes, per-file results, the run's report, the backend protocol."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..fsutil import printable
from ..model import Diagnostic
from ..readers import DEFAULT_MAX_SIZE
from ..writers.base import Rendered

#: Default per-document time limit in seconds; a seed article takes well under one.
DEFAULT_TIMEOUT = 120.0

CONVERTED, WARNINGS, FAILED, UP_TO_DATE = "converted", "warnings", "failed", "up-to-date"



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
            "input": printable(self.source),
            "status": self.status,
            "outputs": [printable(o) for o in self.outputs],
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
    data: bytes | None = None  # the input's bytes, when the planner has read them (safely) already


@dataclass
class Outcome:
    """What rendering one input gave: bytes per format, or the one-line error."""

    rendered: dict[str, Rendered] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None




class Backend(Protocol):
    """Where tasks are rendered: in this process, in worker processes, or on a Dask cluster.

    ``map`` yields each task with its outcome as they finish (any order); ``close`` stops
    the workers (``cancel``: without waiting for tasks in flight).
    """

    def map(self, tasks: Iterator[Task]) -> Iterator[tuple[Task, Outcome]]: ...

    def close(self, cancel: bool = False) -> None: ...
