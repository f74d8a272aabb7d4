"""File-system helpers: atomic writes, output-path safety, stale temporary files.

Every output is written to a temporary file in its own folder and renamed into place,
so a reader (or a rerun after ``kill -9``) sees the old file or the whole new one,
never a part. Temporary files carry a fixed prefix so a later run can sweep them up.
"""

from __future__ import annotations

import errno
import os
import unicodedata
from pathlib import Path, PurePosixPath

from .errors import WriteError

TEMP_PREFIX = ".convert-tmp-"

# errno values that mean "this folder cannot take the file", with the hint a user needs.
_HINTS = {
    errno.ENOSPC: "the disk is full: free some space and run again",
    errno.EDQUOT: "the disk quota is exceeded: free some space and run again",
    errno.EROFS: "the output folder is on a read-only file system: choose another with -o",
    errno.EACCES: "the output folder is not writable: fix its permissions or choose another with -o",
    errno.EPERM: "the output folder is not writable: fix its permissions or choose another with -o",
    errno.ENAMETOOLONG: "the input's name is too long for the output file system: shorten it",
}


def write_error(message: str, path: str | Path, exc: OSError) -> WriteError:
    """A :class:`WriteError` naming ``path``, with a hint that fits the OS error."""
    error = WriteError(f"{message}: {exc.strerror or exc}", display_path(path))
    hint = _HINTS.get(exc.errno or 0)
    if hint:
        error.hint = hint
    return error


def atomic_write(path: str | Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to a temporary file in the same folder, fsync, then rename into place.

    A reader of ``path`` sees the old file or the whole new one, never a part; on any
    failure (including KeyboardInterrupt) the temporary file is removed, and an OS error
    becomes a :class:`WriteError` that names the path.
    """
    path = Path(path)
    try:
        fd, tmp = _create_temporary(path)
    except OSError as exc:
        raise write_error("cannot create output folder or file", path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise write_error("cannot write output", path, exc) from None
        raise


def _create_temporary(path: Path) -> tuple[int, str]:
    """A new file beside ``path`` (mode 0644 less the umask, like any output), creating folders as needed."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for attempt in range(100):
        # os.urandom, not secrets.token_hex: importing secrets (hmac, hashlib) costs ~15 ms of start-up.
        tmp = os.path.join(path.parent, f"{TEMP_PREFIX}{os.urandom(6).hex()}{path.suffix[:16]}")
        try:
            return os.open(tmp, flags, 0o644), tmp
        except FileNotFoundError:
            if attempt:
                raise
            path.parent.mkdir(parents=True, exist_ok=True)  # only when the folder is missing: saves a call a file
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


def remove_stale_temporaries(folder: str | Path) -> int:
    """Delete temporary files a killed run left behind under ``folder``; return how many."""
    removed = 0
    for dirpath, _dirnames, filenames in os.walk(folder):
        for name in filenames:
            if name.startswith(TEMP_PREFIX):
                try:
                    os.unlink(os.path.join(dirpath, name))
                    removed += 1
                except OSError:
                    pass
    return removed


def display_path(path: str | Path) -> str:
    """``path`` as printable text: bytes that are not UTF-8 are shown as ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def printable(text: str) -> str:
    """``text`` with any undecodable file-name bytes (lone surrogates) shown as ``\\xNN``."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def collision_key(relative: str) -> str:
    """The key under which two output paths would be the same file on a case-insensitive,
    normalising file system (macOS, Windows): ``x.md`` and ``X.md`` collide there."""
    return unicodedata.normalize("NFC", relative).casefold()


def check_relative(relative: PurePosixPath) -> str | None:
    """Why ``relative`` may not be used below an output folder, or None when it is safe."""
    if relative.is_absolute() or not relative.parts:
        return "the input's path is absolute or empty"
    for part in relative.parts:
        if part in ("", ".", "..") or "\x00" in part:
            return f"the input's path has a {part!r} component"
    return None


def is_inside(path: Path, folder: Path) -> bool:
    """Whether ``path``, with every symbolic link followed, lies inside ``folder``."""
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def safe_destination(outdir: Path, destination: Path) -> None:
    """Refuse to write ``destination`` when a symbolic link in its folders leads out of ``outdir``.

    The file itself is replaced by rename, which replaces a link rather than following it.
    """
    parent = destination.parent
    # Walk up to the nearest folder that exists; folders created later are made by us.
    while not parent.exists() and parent != parent.parent and parent != outdir:
        parent = parent.parent
    if not is_inside(parent, outdir):
        raise WriteError(
            "refusing to write: a symbolic link in the output folder leads outside it",
            display_path(destination),
            hint="remove the link from the output folder",
        )
