"""What a transform is and gives back (a module of its own: the transforms import it, and the
stage in ``__init__`` imports the transforms)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..model import Book, Diagnostic, Document


@dataclass(frozen=True)
class Transformed:
    """A transform's result: the new document and what the transform noticed."""

    document: Document
    diagnostics: tuple[Diagnostic, ...] = ()


class Transform(Protocol):
    @property
    def name(self) -> str: ...

    def apply(self, document: Document) -> Transformed: ...

    def apply_book(self, book: Book) -> Book: ...


__all__ = ["Transform", "Transformed"]
