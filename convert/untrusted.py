"""Reading an input tree someone else controls: nothing from outside it, nothing unbounded.

An input file or picture is opened by its real path (every symbolic link resolved once,
when it is found) and that path must lie inside the input root. It is then opened one
component at a time from ``/`` with ``O_NOFOLLOW``: a file or folder swapped for a link
after the check (during a run) is refused instead of followed, so the bytes read always
come from inside the tree. The descriptor is checked with ``fstat`` (a regular file, not
above the size limit) and read with a bound; a FIFO or device is never read.

Readers and writers share this module: readers resolve and check pictures, writers read
them through :func:`read_picture`.
"""

from __future__ import annotations

import contextvars
import errno
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Default limit for an input file or one picture, in bytes; a real article is about 10 KB.
DEFAULT_MAX_SIZE = 10 * 1024 * 1024

#: The per-picture limit writers apply while they read pictures (the run's --max-size).
_PICTURE_LIMIT: contextvars.ContextVar[int | None] = contextvars.ContextVar("picture_limit", default=DEFAULT_MAX_SIZE)

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
# O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
_FILE_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0)


class Refused(OSError):
    """A file not read for safety: a link out of the tree, not a regular file, too large.

    ``strerror`` is the one-line reason (without the path); ``too_large`` tells the
    size refusal apart (it has its own error type and hint in readers)."""

    def __init__(self, reason: str, too_large: bool = False) -> None:
        super().__init__(errno.EPERM, reason)
        self.too_large = too_large


@contextmanager
def picture_limit(limit: int | None) -> Iterator[None]:
    """Apply ``limit`` (bytes per picture; None: none) to the pictures writers read inside the block."""
    token = _PICTURE_LIMIT.set(limit)
    try:
        yield
    finally:
        _PICTURE_LIMIT.reset(token)


def real_inside(path: str | Path, root: str | Path, real_root: str | None = None) -> str | None:
    """The real path of ``path`` (links resolved) when it lies inside the real ``root``, else None.
    The one containment check of the package; ``real_root``: ``root`` already resolved, for a
    caller checking many paths below one root."""
    real = os.path.realpath(path)
    base = real_root if real_root is not None else os.path.realpath(root)
    if real == base or real.startswith(base.rstrip(os.sep) + os.sep):
        return real
    return None


def open_real(real: str) -> int:
    """Open the file at the absolute real path ``real`` following no symbolic link anywhere in it.

    Raises :class:`Refused` when a component is (now) a link or the file is not a regular
    file; other ``OSError`` as the system gives them (missing file, permissions).
    """
    parts = [p for p in real.split(os.sep) if p]
    fd = os.open(os.sep, _DIR_FLAGS)
    try:
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            try:
                child = os.open(part, _FILE_FLAGS if last else _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR, errno.EMLINK):
                    raise Refused("a symbolic link was swapped in after the file was checked; not followed") from None
                raise
            os.close(fd)
            fd = child
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):  # a folder given as a file: the caller's hint says so
            raise IsADirectoryError(errno.EISDIR, "Is a directory")
        if not stat.S_ISREG(mode):
            raise Refused("is not a regular file; not read")
        return fd
    except BaseException:
        os.close(fd)
        raise


def read_fd(fd: int, limit: int | None) -> bytes:
    """Read a regular file's descriptor whole, refusing more than ``limit`` bytes (closes ``fd``)."""
    try:
        size = os.fstat(fd).st_size
        if limit is not None and size > limit:
            raise Refused(f"is {size:,} bytes, above the --max-size of {limit:,}", too_large=True)
        chunks = []
        total = 0
        cap = limit if limit is not None else -1
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if cap >= 0 and total > cap:  # grew since fstat
                raise Refused(f"is above the --max-size of {limit:,} bytes", too_large=True)
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_input(path: str | Path, root: str | Path | None, limit: int | None) -> bytes:
    """The bytes of an input file inside ``root`` (None: wherever ``path`` leads), read safely."""
    real = real_inside(path, root) if root is not None else os.path.realpath(path)
    if real is None:
        raise Refused("is a symbolic link to a file outside the input folder; not read")
    return read_fd(open_real(real), limit)


def check_picture(path: str | Path, root: str | Path, limit: int | None) -> tuple[str | None, str | None]:
    """``(real path, None)`` for a picture that may be used, ``(None, reason)`` for one refused,
    ``(None, None)`` for one missing. Only stat calls: the picture is read later by a writer."""
    try:
        st = os.stat(path)
    except OSError:
        return None, None
    real = real_inside(path, root)
    if real is None:
        return None, "is a symbolic link leading outside the input folder; not read"
    if not stat.S_ISREG(st.st_mode):
        return None, "is not a regular file; not read"
    if limit is not None and st.st_size > limit:
        return None, f"is {st.st_size:,} bytes, above the --max-size of {limit:,}"
    return real, None


def read_picture(path: str) -> bytes:
    """A picture's bytes, for writers: ``path`` is the real path the reader checked, opened
    again without following links and bounded by the run's limit (raises OSError)."""
    return read_fd(open_real(os.path.abspath(path)), _PICTURE_LIMIT.get())
