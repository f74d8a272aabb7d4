"""What the command shows on stderr while a batch runs: a progress bar or plain log lines."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

import click

from .batch import BatchReport, FileResult
from .fsutil import display_path, printable


class Display:
    """Progress on stderr: a rich bar on a terminal, a log line every few seconds otherwise.

    Until the first file is done the bar says it is starting (worker processes load fonts
    and templates for a few seconds), then "converting"; the times read
    "elapsed 0:00:07 remaining 0:04:19".
    """

    PLAIN_EVERY = 5.0  # seconds between plain progress lines

    def __init__(self, quiet: bool, workers: int = 1) -> None:
        self.quiet = quiet
        self.workers = workers
        self.total = 0
        self.done = 0
        self.failed = 0
        self.started = time.monotonic()
        self.last_line = self.started
        self.progress: Any = None
        self.task_id: Any = None

    def starting_label(self) -> str:
        workers = min(self.workers, self.total)
        return f"starting {workers} workers…" if workers > 1 else "starting…"

    def start(self, total: int) -> None:
        self.total = total
        self.started = self.last_line = time.monotonic()
        if self.quiet or not total or not sys.stderr.isatty():
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} files/s"),
            TextColumn("{task.fields[failed]} failed"),
            TextColumn("elapsed"),
            TimeElapsedColumn(),
            TextColumn("remaining"),
            TimeRemainingColumn(),
            console=Console(stderr=True, highlight=False),
            transient=True,
        )
        self.task_id = self.progress.add_task(self.starting_label(), total=total, rate=0.0, failed=0)
        self.progress.start()

    def _echo(self, line: str) -> None:
        line = printable(line)
        if self.progress is not None:
            self.progress.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            click.echo(line, err=True)

    def result(self, result: FileResult) -> None:
        self.done += 1
        if result.failed:
            self.failed += 1
            self._echo(f"error: {result.error}")
        elif not self.quiet and result.status != "up-to-date":
            for diag in result.warnings:
                self._echo(f"warning: {result.source}: {diag.message}")
        if self.quiet:
            return
        now = time.monotonic()
        rate = self.done / (now - self.started) if now > self.started else 0.0
        if self.progress is not None:
            self.progress.update(self.task_id, description="converting", completed=self.done, rate=rate, failed=self.failed)
        elif now - self.last_line >= self.PLAIN_EVERY:
            self.last_line = now
            left = (self.total - self.done) / rate if rate > 0 else 0
            click.echo(f"progress: {self.done}/{self.total} files, {rate:.1f} files/s, {self.failed} failed, "
                       f"about {duration(left)} left", err=True)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()
            self.progress = None

    def finish(self, batch: BatchReport, outdir: Path) -> None:
        for note in () if self.quiet else batch.notes:  # -q: errors only
            click.echo(printable(f"warning: {note}"), err=True)
        if batch.report_error:
            click.echo(printable(f"error: {batch.report_error}"), err=True)
        if not self.quiet:
            click.echo(printable(f"{batch.summary_line()} -> {display_path(outdir)}"), err=True)


def duration(seconds: float) -> str:
    """``4m19s``: a short human duration for the plain progress lines."""
    seconds = int(seconds)
    if seconds >= 3600:
        return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    if seconds >= 60:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds}s"
