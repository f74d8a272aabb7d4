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
    hint = "re-save the file as UTF-8 or GB18030"


class NotASeedError(ConvertError):
    hint = "this is not a crawled article; leave it out of the input"


class ReadError(NotASeedError):
    """An input that cannot be read at all: missing, a folder, or not permitted (the hint says which)."""

    hint = "check the file's permissions"


class InputTooLargeError(ConvertError):
    hint = "raise --max-size if the file is genuine"


class UnknownFormatError(ConvertError):
    hint = "run `convert --list-formats` for the formats there are"


class FontError(ConvertError):
    hint = "pass a TrueType (.ttf/.ttc) font with --font"


class WriteError(ConvertError):
    hint = "check that the output folder is writable and the disk has space"


class MissingDependencyError(ConvertError):
    hint = "install the extra named above"


class DocumentTimeoutError(ConvertError):
    hint = "raise --timeout if the file is genuine"
