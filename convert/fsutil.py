"""File-system helpers: every output is written atomically."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import WriteError

TEMP_PREFIX = ".convert-tmp-"


def atomic_write(path: str | Path, data: bytes) -> None:
    """Write ``data`` to a temporary file in the same folder, fsync, then rename into place.

    A reader of ``path`` sees the old file or the whole new one, never a part; on any
    failure the temporary file is removed and a :class:`WriteError` names the path.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise WriteError(f"cannot create output folder or file: {exc.strerror or exc}", path) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise WriteError(f"cannot write output: {exc.strerror or exc}", path) from None


def remove_stale_temporaries(folder: str | Path) -> int:
    """Delete temporary files a killed run left behind under ``folder``; return how many."""
    removed = 0
    for tmp in Path(folder).rglob(TEMP_PREFIX + "*"):
        try:
            tmp.unlink()
            removed += 1
        except OSError:
            pass
    return removed
