"""The ``--report`` file: JSON streamed to a temporary file beside it, renamed into place at the end."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from ..fsutil import TEMP_PREFIX
from .types import FileResult


class ReportFile:
    """The JSON report, streamed to a temporary file beside it and renamed into place at the end."""

    def __init__(self, path: Path) -> None:
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
