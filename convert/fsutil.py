"""File-system helpers: atomic writes, output-path safety, stale temporary files.

Every output is written to a temporary file in its own folder and renamed into place,
so a reader (or a rerun after ``kill -9``) sees the old file or the whole new one,
never a part. Temporary files carry a fixed prefix so a later run can sweep them up.
"""

from __future__ import annotations

import errno
import os
import re
import stat
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


_FOLDER_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class LinkInOutput(WriteError):
    """A folder on the way to an output is a symbolic link (or not a folder): never followed."""

    hint = "remove the link from the output folder"


def atomic_write(path: str | Path, data: bytes, durable: bool = True) -> None:
    """Write ``data`` to a temporary file in the same folder, fsync, then rename into place.

    A reader of ``path`` sees the old file or the whole new one, never a part; on any
    failure (including KeyboardInterrupt) the temporary file is removed, and an OS error
    becomes a :class:`WriteError` that names the path. ``path``'s folder is the caller's
    choice (links in it are followed); see :func:`write_beneath` for outputs below a folder.
    """
    path = Path(path)
    write_beneath(path.parent, PurePosixPath(path.name), data, durable)


def write_beneath(outdir: str | Path, relative: PurePosixPath, data: bytes, durable: bool = True) -> None:
    """Write ``outdir/relative`` atomically, following no symbolic link below ``outdir``.

    Each folder below ``outdir`` is opened (or made) relative to its parent's descriptor with
    ``O_NOFOLLOW``, and the file is created and renamed in the last one's descriptor, so a
    folder swapped for a link at any moment, even mid-run, is refused instead of followed:
    nothing is ever written outside ``outdir``. ``durable``: the file and then its folder are
    fsynced, so the rename too survives a power loss.
    """
    path = Path(outdir).joinpath(*relative.parts)
    problem = check_relative(relative)
    if problem:
        raise WriteError(f"refusing to write: {problem}", display_path(path))
    try:
        folder = _open_folder(Path(outdir), relative.parts[:-1])
    except LinkInOutput as exc:
        exc.path = display_path(path)
        raise
    except OSError as exc:
        raise write_error("cannot create output folder or file", path, exc) from None
    name = relative.parts[-1]
    tmp = None
    try:
        fd, tmp = _create_temporary(folder, PurePosixPath(name).suffix[:16])
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp, name, src_dir_fd=folder, dst_dir_fd=folder)
        tmp = None
        if durable:
            os.fsync(folder)  # the rename is an entry in the folder: flush it too
    except BaseException as exc:
        if tmp is not None:
            try:
                os.unlink(tmp, dir_fd=folder)
            except OSError:
                pass
        if isinstance(exc, OSError):
            raise write_error("cannot write output", path, exc) from None
        raise
    finally:
        os.close(folder)


def _open_folder(outdir: Path, parts: tuple[str, ...]) -> int:
    """A descriptor of ``outdir/parts...``, made as needed; no link below ``outdir`` is followed."""
    try:
        fd = os.open(outdir, _FOLDER_FLAGS)  # the output folder itself is the user's choice
    except FileNotFoundError:
        outdir.mkdir(parents=True, exist_ok=True)
        fd = os.open(outdir, _FOLDER_FLAGS)
    try:
        for part in parts:
            try:
                child = os.open(part, _FOLDER_FLAGS | _NOFOLLOW, dir_fd=fd)
            except FileNotFoundError:
                try:
                    os.mkdir(part, 0o777, dir_fd=fd)
                except FileExistsError:
                    pass
                child = os.open(part, _FOLDER_FLAGS | _NOFOLLOW, dir_fd=fd)
            except OSError as exc:  # ELOOP: a link; ENOTDIR: a file (or, on some systems, a link)
                if exc.errno in (errno.ELOOP, errno.ENOTDIR):
                    raise LinkInOutput(f"refusing to write: {part!r} in the output folder is a symbolic link or not a folder",
                                       display_path(outdir)) from None
                raise
            os.close(fd)
            fd = child
        return fd
    except BaseException:
        os.close(fd)
        raise


def _create_temporary(folder: int, suffix: str) -> tuple[int, str]:
    """A new file (mode 0644 less the umask, like any output) in the folder open as ``folder``."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _attempt in range(100):
        # os.urandom, not secrets.token_hex: importing secrets (hmac, hashlib) costs ~15 ms of start-up.
        tmp = f"{TEMP_PREFIX}{os.urandom(6).hex()}{suffix}"
        try:
            return os.open(tmp, flags, 0o644, dir_fd=folder), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name")


def open_private(path: Path, flags: int) -> int:
    """Open a bookkeeping file of the output folder (lock, manifest) without following a link
    or blocking on a FIFO planted there; anything but a regular file is refused (OSError)."""
    fd = os.open(path, flags | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0), 0o644)
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    return fd


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


# Characters a terminal or log reader acts on instead of showing: C0 (newline, ESC...), DEL,
# C1 (CSI U+009B...), line/paragraph separators and bidirectional overrides.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """``text`` safe to print on one line of a terminal or log: undecodable file-name bytes
    (lone surrogates) as ``\\xNN`` and control characters as ``\\xNN``/``\\uNNNN`` escapes, so
    a file name holding a newline or an escape sequence cannot forge a line or retitle a
    terminal. Every message the tool prints (stderr, progress, report) goes through here."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return _CONTROL.sub(_escape, text)


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
