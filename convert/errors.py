"""Fatal errors: a small hierarchy, each naming the file it concerns.

Everything non-fatal is a :class:`convert.model.Diagnostic` that travels with the result.
``str(error)`` is the one line a user sees: file, what is wrong, what to do.
"""

from __future__ import annotations

from pathlib import Path


class ConvertError(Exception):
    """Base of every error the toolkit raises on purpose."""

    hint = ""

    def __init__(self, message: str, path: str | Path | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        if hint is not None:
            self.hint = hint

    def __str__(self) -> str:
        where = f"{self.path}: " if self.path else ""
        tail = f" ({self.hint})" if self.hint else ""
        return f"{where}{self.message}{tail}"


class DecodeError(ConvertError):
    """The input's bytes are not text in an encoding the reader knows."""

    hint = "re-save the file as UTF-8 or GB18030"


class NotASeedError(ConvertError):
    """The input is not a crawled article (empty, binary, not readable as HTML, ...)."""

    hint = "this is not a crawled article; leave it out of the input"


class ReadError(NotASeedError):
    """An input that cannot be read at all: missing, a folder, or not permitted (the hint says which)."""

    hint = "check the file's permissions"


class InputTooLargeError(ConvertError):
    """The input is larger than ``max_size`` (``--max-size``)."""

    hint = "raise --max-size if the file is genuine"


class UnknownFormatError(ConvertError):
    """No writer has this format name."""

    hint = "run `convert --list-formats` for the formats there are"


class FontError(ConvertError):
    """A font cannot be used (CFF outlines, unreadable, missing glyph tables)."""

    hint = "pass a TrueType (.ttf/.ttc) font with --font"


class WriteError(ConvertError):
    """An output cannot be written; the hint says why (disk full, permissions, ...)."""

    hint = "check that the output folder is writable and the disk has space"


class MissingDependencyError(ConvertError):
    """An optional dependency is not installed; the message names the pip extra."""

    hint = "install the extra named above"


class DocumentTimeoutError(ConvertError):
    """A document took longer than the time limit (``--timeout``)."""

    hint = "raise --timeout if the file is genuine"
