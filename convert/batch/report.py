"""The ``--report`` file: JSON streamed to a temporary file beside it, renamed into place at the end."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

from ..fsutil import TEMP_PREFIX, write_error
from .types import FileResult

#: The report's text before its first entry (schema ``convert.report/1``).
HEAD = '{\n"schema": "convert.report/1",\n"files": ['


def entry(result: FileResult, first: bool) -> str:
    """One file's entry, led by the separator it needs."""
    return ("\n" if first else ",\n") + json.dumps(result.to_dict(), ensure_ascii=False)


def tail(head: Mapping[str, object], summary: Mapping[str, object]) -> str:
    """The report's text after its last entry: ``head``'s fields, then the summary."""
    fields = ",\n".join(f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in head.items())
    return f"\n],\n{fields},\n\"summary\": {json.dumps(summary)}\n}}\n"


class ReportFile:
    """The JSON report, streamed to a temporary file beside it and renamed into place at the end."""

    def __init__(self, path: Path) -> None:
        """Start the report (raises :class:`WriteError` when its folder cannot take it)."""
        self.path = path
        self.error: OSError | None = None  # the first write that failed (a full disk): reported at the end
        try:
            self._start(path)
        except OSError as exc:
            raise write_error("cannot write the report", path, exc) from None

    def _start(self, path: Path) -> None:
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
        self.handle.write(HEAD)

    def add(self, result: FileResult) -> None:
        if self.error is not None:
            return
        try:
            self.handle.write(entry(result, self.first))
        except OSError as exc:  # the batch goes on; finish() reports it
            self.error = exc
        self.first = False

    def finish(self, head: dict[str, object], summary: dict[str, object]) -> None:
        """Complete the report and rename it into place (raises OSError, the first one met)."""
        if self.error is not None:
            raise self.error
        self.handle.write(tail(head, summary))
        self.handle.flush()
        os.fsync(self.handle.fileno())
        self.handle.close()
        os.chmod(self.tmp, 0o644)
        os.replace(self.tmp, self.path)

    def abandon(self) -> None:
        try:
            self.handle.close()  # may fail again on a full disk: the temporary file goes regardless
        except OSError:
            pass
        try:
            os.unlink(self.tmp)
        except OSError:
            pass
