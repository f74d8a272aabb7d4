"""Book mode: a folder tree of articles as one EPUB, PDF or DOCX volume with a table of contents.

The tree gives the order and the structure: category folders and date folders become
nested sections, articles become chapters ordered by listing index, then title. The
articles are read twice: once up front for their titles and places (only that is
kept), and once, one at a time, while the writer walks the book, so memory does not
grow with the number of articles. An article that cannot be read is left out and
reported; the book is still written.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import gongwen, labels, transforms
from .batch.inputs import discover
from .errors import ConvertError, UnknownFormatError
from .model import Book, BookMeta, Chapter, Diagnostic, Document, ReadResult, Section, aggregate
from .readers import DEFAULT_MAX_SIZE, read
from .writers import get_writer
from .writers.base import write_rendered

ORDERS = ("tree", "title", "date")
UNDATED = labels.SIMPLIFIED.undated  # converted with the rest of the tree in an edition


@dataclass(frozen=True)
class _Entry:
    """What the first pass keeps of an article: its place and title, not its text."""

    source: Path
    root: Path
    chapter: Chapter
    category: tuple[str, ...]
    date: str | None
    date_folder: str | None
    index: int | None


@dataclass
class BookReport:
    """What making a book gave: the output, the chapters written, the articles left out and why."""

    output: Path
    format: str
    chapters: int = 0
    failures: list[tuple[str, str]] = field(default_factory=list)  # (source, one-line error)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return bool(self.failures)


def _chapter_key(entry: _Entry) -> tuple[int, str, str]:
    index = entry.index if entry.index is not None else 1 << 30
    return (index, entry.chapter.title, entry.chapter.key)


def _date_key(name: str, date: str | None) -> tuple[str, str]:
    # Date folders sort by date ("--08-29" has no year: after dated ones of the same day is fine).
    return (date.lstrip("-") if date else "~", name)


def _build_tree(entries: list[_Entry], order: str) -> tuple[Section | Chapter, ...]:
    """Nest entries by their section path and sort every level."""
    def path_of(entry: _Entry) -> tuple[str, ...]:
        if order == "date":
            return (entry.date_folder or UNDATED,)
        return entry.category + ((entry.date_folder,) if entry.date_folder else ())

    # ("section", name) -> a nested node; ("chapters", "") -> that level's entries.
    tree: dict[tuple[str, str], Any] = {}
    for entry in entries:
        node = tree
        for name in path_of(entry):
            node = node.setdefault(("section", name), {})
        node.setdefault(("chapters", ""), []).append(entry)

    dates = {e.date_folder: e.date for e in entries if e.date_folder}

    def freeze(node: dict[tuple[str, str], Any]) -> tuple[Section | Chapter, ...]:
        chapters = node.get(("chapters", ""), [])
        if order == "title":
            chapters.sort(key=lambda e: (e.chapter.title, e.chapter.key))
        elif order == "date":
            chapters.sort(key=lambda e: (e.category, *_chapter_key(e)))
        else:
            chapters.sort(key=_chapter_key)
        names = [name for kind, name in node if kind == "section"]
        names.sort(key=lambda n: _date_key(n, dates.get(n)) if n in dates or n == UNDATED else ("", n))
        sections = tuple(Section(name, freeze(node[("section", name)])) for name in names)
        return tuple(e.chapter for e in chapters) + sections

    return freeze(tree)


def read_article(source: Path, root: Path, max_size: int | None = DEFAULT_MAX_SIZE) -> ReadResult:
    """The book's loader: read one article (its document and the reader's diagnostics),
    failing (as the batch does) with a one-line :class:`ConvertError` naming the file for a
    bad input; a bug still propagates."""
    try:
        return read(source, root=root, max_size=max_size)
    except RecursionError:
        raise ConvertError("the input is nested too deeply to parse", source, "leave it out of the input") from None


def plan_book(
    inputs: Iterable[str | Path],
    title: str | None = None,
    author: str = "",
    order: str = "tree",
    max_size: int | None = DEFAULT_MAX_SIZE,
    on_failure: Callable[[str, str], None] | None = None,
    on_read: Callable[[Chapter, tuple[Diagnostic, ...]], None] | None = None,
) -> Book:
    """Read every input once for its place and title and return the book (articles not kept).

    The book's documents carry no diagnostics: each time the book reads a chapter, the
    reader's are given to ``on_read`` (a writer walking the book twice reads it twice)."""
    if order not in ORDERS:
        raise ConvertError(f"unknown order {order!r}; orders: {', '.join(ORDERS)}")
    paths = [Path(i) for i in inputs]
    entries: list[_Entry] = []
    seen: set[str] = set()
    for job in discover(paths):
        try:
            document = read_article(job.source, job.root, max_size).document  # its messages: when the book reads it
        except ConvertError as exc:
            if on_failure:
                on_failure(str(job.source), str(exc))
            continue
        meta = document.meta
        key = str(job.relative)
        while key in seen:  # the same relative path under two inputs: keep both
            key = "+" + key
        seen.add(key)
        chapter = Chapter(key=key, title=meta.title)
        entries.append(_Entry(job.source, job.root, chapter, meta.category, meta.date, meta.date_folder, meta.index))

    by_key = {e.chapter.key: e for e in entries}
    full_dates = sorted(e.date for e in entries if e.date and not e.date.startswith("--"))
    names = [p.resolve().name if p.is_dir() else p.resolve().parent.name for p in paths]
    book_title = title or (names[0] if names else labels.SIMPLIFIED.collection)
    book_meta = BookMeta(
        title=book_title,
        author=author,
        identifier="urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "convert-book:" + "/".join(names) + ":" + book_title)),
        date=full_dates[-1] if full_dates else None,
    )

    def load(chapter: Chapter) -> Document:
        entry = by_key[chapter.key]
        result = read_article(entry.source, entry.root, max_size)
        if on_read is not None:
            on_read(chapter, result.diagnostics)
        return result.document

    def failed(chapter: Chapter, exc: ConvertError) -> None:
        if on_failure:
            on_failure(str(by_key[chapter.key].source), str(exc))

    return Book(book_meta, _build_tree(entries, order), load, failed)


def write_book(
    inputs: Iterable[str | Path],
    destination: str | Path,
    format: str | None = None,
    title: str | None = None,
    author: str = "",
    order: str = "tree",
    max_size: int | None = DEFAULT_MAX_SIZE,
    **options: object,
) -> BookReport:
    """Build one volume from ``inputs`` and write it atomically to ``destination``.

    The format comes from ``format`` or the destination's extension (.epub, .pdf, .ofd, .docx).
    """
    destination = Path(destination)
    name = format or destination.suffix.lstrip(".")
    if not name:
        raise UnknownFormatError("cannot tell the book's format: give the file an extension (.epub, .pdf, .ofd, .docx) or --to")
    writer = get_writer(name)
    if not writer.supports_book:
        raise UnknownFormatError(f"format {writer.name!r} has no book mode; books are made as epub, pdf, ofd or docx")
    failures: dict[str, str] = {}

    def on_failure(source: str, message: str) -> None:
        failures.setdefault(source, message)  # a two-pass writer reports a bad article once

    # Reader, transform and writer diagnostics, each once (a writer may walk the book twice),
    # reader before transforms for each article, then the writer's.
    reader_notes: dict[str, list[Diagnostic]] = {}

    def read_notes(chapter: Chapter, diagnostics: tuple[Diagnostic, ...]) -> None:
        # The reader's warnings (a missing picture, dropped characters) belong in the book's report.
        reader_notes.setdefault(chapter.key, [d.prefixed(chapter.key) for d in aggregate(diagnostics)])

    def transform_notes(chapter: Chapter | None, diagnostics: tuple[Diagnostic, ...]) -> None:
        where = "the book's title, author or folder names" if chapter is None else chapter.key
        key = "transform:" + ("" if chapter is None else chapter.key)
        reader_notes.setdefault(key, [d.prefixed(where) for d in diagnostics])

    # The transform stage (a Traditional edition): the book's title and contents now,
    # each chapter as it is read.
    book = transforms.run_book(
        plan_book(inputs, title=title, author=author, order=order, max_size=max_size, on_failure=on_failure,
                  on_read=read_notes),
        transforms.from_options(options), transform_notes,
    )
    planned = sum(1 for _ in book.chapters())
    failed_before_walk = len(failures)
    rendered = writer.render_book(book, writer.options_from(dict(options)), destination)
    write_rendered(rendered, destination)
    ignored = gongwen.style_ignored([writer.name], options.get("style"))  # an EPUB book has no such layout
    return BookReport(
        output=destination,
        format=writer.name,
        chapters=planned - (len(failures) - failed_before_walk),
        failures=sorted(failures.items()),
        diagnostics=([ignored] if ignored else []) + [d for notes in reader_notes.values() for d in notes]
        + list(rendered.diagnostics),
    )
