"""The document model: one immutable tree every reader produces and every writer consumes.

Shaped after pandoc's ``Pandoc Meta [Block]``: the title is metadata, the body is a tuple
of blocks, blocks hold inline runs. The model knows nothing of files, HTML or output
formats. Everything is a frozen dataclass holding tuples, so a document can be shared
between writers (and threads) without copying.

What a reader noticed (a missing picture, dropped characters) is not part of the
document: a reader returns a :class:`ReadResult`, the document plus its diagnostics (as
mammoth's ``Result(value, messages)``), and a writer returns its own (``Rendered``); the
batch merges reader, transform and writer diagnostics once, so no writer sees, nor
repeats, a reader's.

The JSON form of a document (schema ``convert.document/3``) is in :mod:`convert.jsonform`.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from .errors import ConvertError
from .typography import LANGUAGE

# ---------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    """A run of plain text."""

    text: str


@dataclass(frozen=True, slots=True)
class Strong:
    """Strongly emphasised inlines (bold)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Emphasis:
    """Emphasised inlines (italic)."""

    children: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A link: its inlines and its target."""

    children: tuple[Inline, ...]
    href: str


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break inside a paragraph."""

    pass


Inline = Text | Strong | Emphasis | Link | LineBreak

# ---------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph: a run of inlines, without the source's first-line indent."""

    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading inside the body (level 1 is the highest; the title is metadata, not a heading)."""

    level: int
    content: tuple[Inline, ...]


@dataclass(frozen=True, slots=True)
class Image:
    """A picture at its position in the text.

    ``src`` is the reference as the input wrote it (``图片/0.jpg``); ``path`` is the
    resolved file, or None when the picture is missing (the position is kept anyway).
    """

    src: str
    path: str | None = None
    alt: str = ""

    @property
    def missing(self) -> bool:
        return self.path is None


@dataclass(frozen=True, slots=True)
class ListBlock:
    """A bulleted or numbered list; each item is a tuple of blocks."""

    ordered: bool
    items: tuple[tuple[Block, ...], ...]


@dataclass(frozen=True, slots=True)
class Quote:
    """A block quotation."""

    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of cells; each cell is a run of inlines. ``header_rows`` leading rows are headers."""

    rows: tuple[tuple[tuple[Inline, ...], ...], ...]
    header_rows: int = 0


Block = Paragraph | Heading | Image | ListBlock | Quote | Table

# ---------------------------------------------------------------- metadata and diagnostics


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """Something non-fatal a reader or writer noticed: it travels with the result."""

    level: str  # "warning" or "info"
    code: str  # stable, machine-readable: "missing-image", "dropped-control-chars", ...
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.message} [{self.code}]"

    def prefixed(self, where: str) -> Diagnostic:
        """The same diagnostic, its message led by ``where`` (a book's chapter key, ...)."""
        return Diagnostic(self.level, self.code, f"{where}: {self.message}")


def warning(code: str, message: str) -> Diagnostic:
    """A warning diagnostic (counted by ``--strict``)."""
    return Diagnostic("warning", code, message)


def info(code: str, message: str) -> Diagnostic:
    """An informational diagnostic."""
    return Diagnostic("info", code, message)


#: How many diagnostics of one code one file reports before they are counted instead.
REPEATS_SHOWN = 5


def aggregate(diagnostics: Iterable[Diagnostic], keep: int = REPEATS_SHOWN) -> list[Diagnostic]:
    """At most ``keep`` diagnostics per level and code, in order, then one per code saying how
    many more there were: 76,085 missing pictures in one article are 6 lines, not 76,085. The
    same message twice (one bad picture, said by each format's writer) is one fact: said once."""
    shown: list[Diagnostic] = []
    counts: dict[tuple[str, str], int] = {}
    for diagnostic in dict.fromkeys(diagnostics):  # exact repeats dropped, order kept
        key = (diagnostic.level, diagnostic.code)
        counts[key] = counts.get(key, 0) + 1
        if counts[key] <= keep:
            shown.append(diagnostic)
    for (level, code), count in counts.items():
        if count > keep:
            shown.append(Diagnostic(level, code, f"... and {count - keep:,} more of this kind ({code})"))
    return shown


@dataclass(frozen=True, slots=True)
class Metadata:
    title: str = ""
    first_line: str | None = None  # line 1 of the seed file exactly as written
    index: int | None = None  # position on the crawled listing page
    source: str | None = None  # input path relative to the input root (posix separators)
    category: tuple[str, ...] = ()  # category folders, outermost first
    date: str | None = None  # ISO 8601: YYYY-MM-DD, or --MM-DD when the folder has no year
    date_folder: str | None = None  # the date folder's name as written
    encoding: str | None = None  # detected: utf-8, utf-8-sig, gb18030, utf-16
    line_ending: str | None = None  # "lf" or "crlf"
    body_format: str | None = None  # "template", "plain" or "html"
    language: str = LANGUAGE  # BCP 47; a Traditional edition's is zh-Hant, zh-TW or zh-HK
    edition: str | None = None  # the script conversion applied ("zh-TW (opencc s2tw)"); None: as read


def full_date(iso: str | None) -> datetime.date | None:
    """``Metadata.date`` as a calendar date when it has a year (``2019-08-29``); None for a
    folder date without one (``--08-29``), no date, or an impossible one."""
    m = _FULL_DATE.match(iso or "")
    if not m:
        return None
    try:
        return datetime.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


_FULL_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True, slots=True)
class Document:
    """One article: metadata (title, index, source, ...) and body blocks. What the reader
    noticed is not here but in its :class:`ReadResult`."""

    meta: Metadata = field(default_factory=Metadata)
    blocks: tuple[Block, ...] = ()

    @property
    def title(self) -> str:
        return self.meta.title

    def images(self) -> Iterator[Image]:
        """Every picture, in document order, including those inside lists and quotes."""
        for block in walk_blocks(self.blocks):
            if isinstance(block, Image):
                yield block


@dataclass(frozen=True, slots=True)
class ReadResult:
    """What a reader gives: the document, and what the reader noticed while making it.

    Shaped after mammoth's ``Result(value, messages)`` and docling's ``ConversionResult``:
    the messages travel beside the document, never inside it, so writers (which get the
    document only) cannot repeat them. Whoever runs the reader merges ``diagnostics``
    with the transform stage's and the writers' once (the batch: reader, transforms,
    writers, in that order).
    """

    document: Document
    diagnostics: tuple[Diagnostic, ...] = ()


# ---------------------------------------------------------------- helpers shared by writers


# map_images' stack frame: children left, rebuilt children, how to build the node, are the children list items.
_Frame = tuple[Iterator[Any], list[Any], Callable[[list[Any]], Any], bool]


def map_images(document: Document, change: Callable[[Image], Image]) -> Document:
    """A copy of ``document`` with every picture (lists and quotes included) passed through ``change``.

    Without recursion: a frame per open quote, list and list item, each collecting its
    rebuilt children and building its node when its children are done.
    """
    root: _Frame = (iter(document.blocks), [], tuple, False)
    stack: list[_Frame] = [root]
    while True:
        children, out, build, items = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            if not stack:
                return replace(document, blocks=build(out))
            stack[-1][1].append(build(out))
        elif items:  # a list item: a tuple of blocks
            stack.append((iter(child), [], tuple, False))
        elif isinstance(child, Image):
            out.append(change(child))
        elif isinstance(child, Quote):
            stack.append((iter(child.blocks), [], lambda blocks: Quote(tuple(blocks)), False))
        elif isinstance(child, ListBlock):
            stack.append((iter(child.items), [], partial(_list_block, child.ordered), True))
        else:
            out.append(child)


def _list_block(ordered: bool, items: list[tuple[Block, ...]]) -> ListBlock:
    return ListBlock(ordered, tuple(items))


def walk_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    """Depth-first, document order, without recursion (trees may be deep)."""
    stack: list[Iterator[Block]] = [iter(blocks)]
    while stack:
        block = next(stack[-1], None)
        if block is None:
            stack.pop()
            continue
        yield block
        if isinstance(block, Quote):
            stack.append(iter(block.blocks))
        elif isinstance(block, ListBlock):
            stack.append(iter([b for item in block.items for b in item]))


def plain_text(inlines: Iterable[Inline]) -> str:
    """The text of a run of inlines; a line break is a newline."""
    out: list[str] = []
    stack: list[Iterator[Inline]] = [iter(inlines)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, Text):
            out.append(node.text)
        elif isinstance(node, LineBreak):
            out.append("\n")
        else:  # an object that is no model inline has no text here (writers report it: convert.visit)
            stack.append(iter(getattr(node, "children", ())))
    return "".join(out)


def text_paragraph(text: str) -> Paragraph:
    """A paragraph from plain text; newlines become line breaks."""
    parts = text.split("\n")
    content: list[Inline] = []
    for i, part in enumerate(parts):
        if i:
            content.append(LineBreak())
        if part:
            content.append(Text(part))
    return Paragraph(tuple(content))


# ---------------------------------------------------------------- node kinds

#: The kind of each node type: its name in the JSON form and in :mod:`convert.visit`.
KINDS: dict[type, str] = {
    Text: "text", Strong: "strong", Emphasis: "emphasis", Link: "link", LineBreak: "linebreak",
    Paragraph: "paragraph", Heading: "heading", Image: "image", ListBlock: "list", Quote: "quote", Table: "table",
}


# ---------------------------------------------------------------- books: many articles as one volume


@dataclass(frozen=True, slots=True)
class BookMeta:
    title: str
    author: str = ""
    identifier: str = ""  # stable: derived from the input root, so a rebuilt book replaces the old one
    date: str | None = None  # ISO 8601; the newest full date of the articles, for metadata
    language: str = LANGUAGE
    edition: str | None = None  # as Metadata.edition


@dataclass(frozen=True, slots=True)
class Chapter:
    """One article of a book, known by its place; its document is read only when the book is walked."""

    key: str  # the source path relative to the input root: unique within the book
    title: str


@dataclass(frozen=True, slots=True)
class Section:
    """A part of a book made from a category or date folder; ``children`` are sections and chapters."""

    title: str
    children: tuple[Section | Chapter, ...] = ()


@dataclass(frozen=True, slots=True)
class BookItem:
    """What :meth:`Book.walk` yields: a section heading, or a chapter with its document."""

    depth: int  # 0 for the top level of the table of contents
    section: Section | None = None
    chapter: Chapter | None = None
    document: Document | None = None


#: Gives a chapter's document, or raises :class:`~convert.errors.ConvertError` when it cannot.
ChapterLoader = Callable[[Chapter], Document]
#: Told of a chapter left out of the book, and why.
ChapterFailure = Callable[[Chapter, ConvertError], None]


def walk_contents(contents: Iterable[Section | Chapter]) -> Iterator[tuple[int, Section | Chapter]]:
    """Every section and chapter of a book's table of contents in reading order (a section
    before its children), with its depth (0 at the top); the one walk over the book tree,
    without recursion."""
    stack: list[tuple[int, Iterator[Section | Chapter]]] = [(0, iter(contents))]
    while stack:
        depth, items = stack[-1]
        node = next(items, None)
        if node is None:
            stack.pop()
            continue
        yield depth, node
        if isinstance(node, Section):
            stack.append((depth + 1, iter(node.children)))


def map_titles(contents: Iterable[Section | Chapter], change: Callable[[str], str]) -> tuple[Section | Chapter, ...]:
    """The table of contents with every section and chapter title through ``change``, same
    shape and keys; rebuilt from :func:`walk_contents` (no second walker)."""
    top: list[Section | Chapter] = []
    open_sections: list[tuple[str, list[Section | Chapter]]] = []  # (new title, new children)

    def close() -> None:
        title, children = open_sections.pop()
        (open_sections[-1][1] if open_sections else top).append(Section(title, tuple(children)))

    for depth, node in walk_contents(contents):
        while len(open_sections) > depth:
            close()
        if isinstance(node, Section):
            open_sections.append((change(node.title), []))
        else:
            (open_sections[-1][1] if open_sections else top).append(Chapter(node.key, change(node.title)))
    while open_sections:
        close()
    return tuple(top)


@dataclass(frozen=True)
class Book:
    """A volume: metadata, a table-of-contents tree, and where each chapter's document comes from.

    The model does not know where documents come from: ``loader`` gives one (the reader of
    the article's file, in :mod:`convert.book`, which keeps the reader's messages outside
    the documents: ``plan_book(on_read=...)``). Walking the book asks for one document at
    a time, so a writer that streams never holds more than one; a writer that needs two
    passes (page numbers in a PDF contents page) walks twice. A chapter whose loader raises
    a :class:`~convert.errors.ConvertError` is reported to ``on_failure`` and skipped (with
    no ``on_failure`` the error propagates); any other exception is a bug and propagates.
    Sections left without chapters are still walked (their heading shows).
    """

    meta: BookMeta
    contents: tuple[Section | Chapter, ...]
    loader: ChapterLoader
    on_failure: ChapterFailure | None = None

    def walk(self) -> Iterator[BookItem]:
        for depth, node in walk_contents(self.contents):
            if isinstance(node, Section):
                yield BookItem(depth, section=node)
            else:
                try:
                    document = self.loader(node)
                except ConvertError as exc:  # one article that cannot be had costs its chapter, not the book
                    if self.on_failure is None:
                        raise
                    self.on_failure(node, exc)
                    continue
                yield BookItem(depth, chapter=node, document=document)

    def chapters(self) -> Iterator[Chapter]:
        """Every chapter in reading order, without reading any article."""
        for _, node in walk_contents(self.contents):
            if isinstance(node, Chapter):
                yield node
