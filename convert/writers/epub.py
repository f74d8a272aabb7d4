"""EPUB 3 writer on ebooklib: one article, one chapter, a navigation document and an NCX.

Two steps kept apart so that a book of many articles can reuse both:

* :func:`render_chapter` turns one document into an XHTML chapter (its pictures named
  in ASCII inside the book, its characters counted for font subsetting);
* :func:`package_epub` puts chapters, a stylesheet, fonts and a (nested) table of
  contents into an EPUB with ebooklib, in memory, with fixed zip timestamps and a fixed
  ``dcterms:modified``, so the same input always gives the same bytes.

The identifier is a UUID derived from the source path, so a rebuilt book replaces the
old one in a reader's library.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import posixpath
import uuid
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from .. import labels
from ..errors import ConvertError, WriteError
from ..model import Book, Diagnostic, Document, full_date, info, plain_text, walk_blocks, warning
from ..model import Heading as _Heading
from ..model import Paragraph as _Paragraph
from ..typography import LANGUAGE
from .base import Rendered, Writer, WriterOptions
from .fixedzip import FixedTimeZip
from .xhtml import XHTML_NS, XML_LANG, BodyBuilder, FontFace, Picture, absolute_link, document_title, reading_css

#: Where things live inside the package folder.
STYLESHEET = "style/book.css"
TEXT_DIR = "text"
IMAGE_DIR = "images"
FONT_DIR = "fonts"
EMBEDDED_FAMILY = "Convert Embedded"

#: dcterms:modified and zip entry times when the document has no full date (zip's epoch).
FALLBACK_MODIFIED = _dt.datetime(1980, 1, 1)
_UUID_NAMESPACE = uuid.UUID("5b0ab7a6-3a77-4a55-9d1b-6f1c1e3c9e4d")  # this toolkit's, fixed forever


@dataclass(frozen=True)
class EpubOptions(WriterOptions):
    cjk_font: str | None = None
    latin_font: str | None = None
    embed_font: bool = False


# ---------------------------------------------------------------- the pieces of a book


@dataclass(frozen=True)
class BookFile:
    """A file in the package besides the chapters: ``file_name`` relative to the package folder."""

    file_name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class Chapter:
    """One XHTML content document and the pictures it shows."""

    file_name: str
    title: str
    content: bytes
    files: tuple[BookFile, ...] = ()
    chars: frozenset[str] = frozenset()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True)
class NavPoint:
    """An entry of the table of contents; ``children`` nest (a book's parts and articles)."""

    title: str
    href: str
    children: tuple[NavPoint, ...] = ()


@dataclass(frozen=True)
class BookInfo:
    identifier: str  # urn:uuid:...
    title: str
    language: str = LANGUAGE
    date: str | None = None  # YYYY-MM-DD
    modified: _dt.datetime = FALLBACK_MODIFIED
    subjects: tuple[str, ...] = ()
    source: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def book_identifier(document: Document) -> str:
    """``urn:uuid:`` + a UUID derived from the source path (from the content when there is none)."""
    if document.meta.source:
        key = "source:" + document.meta.source
    else:
        texts = [document.meta.title] + [
            plain_text(b.content) for b in walk_blocks(document.blocks) if isinstance(b, (_Paragraph, _Heading))
        ]
        key = "content:" + hashlib.sha256("\n".join(texts).encode("utf-8", "surrogatepass")).hexdigest()
    return "urn:uuid:" + str(uuid.uuid5(_UUID_NAMESPACE, key))


def _full_date(value: str | None) -> _dt.datetime | None:
    day = full_date(value)
    return _dt.datetime(day.year, day.month, day.day) if day else None


def book_info(document: Document) -> BookInfo:
    meta = document.meta
    date = _full_date(meta.date)
    return BookInfo(
        identifier=book_identifier(document),
        title=document_title(document),
        language=meta.language or LANGUAGE,
        date=meta.date if date else None,
        modified=max(date, FALLBACK_MODIFIED) if date else FALLBACK_MODIFIED,
        subjects=("/".join(meta.category),) if meta.category else (),
        source=meta.source,
    )


# ---------------------------------------------------------------- one document -> one chapter


def _relative(target: str, from_file: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(from_file) or ".")


def chapter_xhtml(builder_fill: Callable[[etree._Element], None], *, title: str, stylesheet_href: str, language: str) -> bytes:
    """An XHTML5 content document: ``builder_fill(body)`` fills the body."""
    q = f"{{{XHTML_NS}}}"
    html = etree.Element(q + "html", nsmap={None: XHTML_NS})
    html.set("lang", language)
    html.set(XML_LANG, language)
    head = etree.SubElement(html, q + "head")
    etree.SubElement(head, q + "meta", {"charset": "utf-8"})
    etree.SubElement(head, q + "title").text = title
    etree.SubElement(head, q + "link", {"rel": "stylesheet", "type": "text/css", "href": stylesheet_href})
    body = etree.SubElement(html, q + "body")
    builder_fill(body)
    content: bytes = etree.tostring(etree.ElementTree(html), encoding="utf-8", xml_declaration=True,
                                    doctype="<!DOCTYPE html>")
    return content


def render_chapter(
    document: Document,
    file_name: str = f"{TEXT_DIR}/article.xhtml",
    *,
    image_prefix: str = "",
    stylesheet: str = STYLESHEET,
) -> Chapter:
    """Render one document as one chapter. Pictures become ``images/{prefix}{n}{ext}``."""
    files: list[BookFile] = []

    def place(picture: Picture, number: int) -> str:
        name = f"{IMAGE_DIR}/{image_prefix}{number}{picture.extension}"
        files.append(BookFile(name, picture.media_type, picture.data))
        return _relative(name, file_name)

    builder = BodyBuilder(place, link_policy=absolute_link)
    page_title = document_title(document)
    content = chapter_xhtml(
        lambda body: builder.article(body, document),
        title=page_title,
        stylesheet_href=_relative(stylesheet, file_name),
        language=document.meta.language or LANGUAGE,
    )
    return Chapter(
        file_name=file_name,
        title=page_title,
        content=content,
        files=tuple(files),
        chars=frozenset(builder.chars | set(page_title)),
        diagnostics=tuple(builder.finish()),
    )


# ---------------------------------------------------------------- fonts


def embedded_font_files(chars: frozenset[str]) -> tuple[list[BookFile], list[FontFace], list[Diagnostic]]:
    """Subsets of the bundled fonts covering ``chars``, as book files and CSS faces."""
    from .fontsubset import subset_for

    try:
        subsets, uncovered = subset_for(chars)
    except ConvertError:
        raise
    except Exception as exc:  # a damaged font file: the book is still good without it
        return [], [], [warning("font-subset-failed", f"the font could not be embedded: {exc}")]
    files: list[BookFile] = []
    faces: list[FontFace] = []
    for i, sub in enumerate(subsets):
        name = f"{FONT_DIR}/font{i}.ttf"
        files.append(BookFile(name, "font/ttf", sub.data))
        # Each subset its own family, listed in order in the font stack: a character missing
        # from the body subset falls through to the fallback subset.
        faces.append(FontFace(f"{EMBEDDED_FAMILY} {i}" if i else EMBEDDED_FAMILY, _relative(name, STYLESHEET)))
    diags: list[Diagnostic] = [
        info("embedded-font", f"embedded {len(sub.chars)} characters of {sub.source_family} ({len(sub.data)} bytes)")
        for sub in subsets
    ]
    if uncovered:
        sample = "".join(sorted(uncovered)[:10])
        diags.append(warning("font-missing-chars", f"{len(uncovered)} character(s) are in no bundled font: {sample}"))
    return files, faces, diags


# ---------------------------------------------------------------- chapters -> EPUB


def _ebooklib_writer() -> type[Any]:
    from ebooklib import epub

    class _Writer(epub.EpubWriter):  # type: ignore[misc]  # ebooklib ships no type hints: its classes are Any
        """ebooklib's writer with fixed zip times; errors propagate instead of returning False."""

        def write(self) -> None:
            self.out = FixedTimeZip(  # ebooklib would stamp the clock
                self.file_name, "w", zipfile.ZIP_DEFLATED, compresslevel=self.options["compresslevel"])
            self.out.fixed_time = self.options["zip_time"]
            try:
                self.out.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
                self._write_container()
                self._write_opf()
                self._write_items()
            finally:
                self.out.close()

    return _Writer


def package_epub(
    info_: BookInfo,
    chapters: Sequence[Chapter],
    toc: Sequence[NavPoint],
    css: str,
    files: Sequence[BookFile] = (),
    *,
    nav_title: str | None = None,
) -> bytes:
    """Package chapters (in spine order), the stylesheet and extra files as EPUB 3 bytes; the
    navigation's titles in the words of the book's language (目录, or 目錄 in an edition)."""
    words = labels.for_language(info_.language)
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier(info_.identifier)
    book.set_title(info_.title)
    book.set_language(info_.language)
    if info_.date:
        book.add_metadata("DC", "date", info_.date)
    for subject in info_.subjects:
        book.add_metadata("DC", "subject", subject)
    if info_.source:
        book.add_metadata("DC", "source", info_.source)
    for name, value in info_.extra.items():
        book.add_metadata("DC", name, value)

    book.add_item(epub.EpubItem(uid="css", file_name=STYLESHEET, media_type="text/css", content=css.encode("utf-8")))
    seen: set[str] = {STYLESHEET}
    counter = 0
    for extra in [f for ch in chapters for f in ch.files] + list(files):
        if extra.file_name in seen:
            continue
        seen.add(extra.file_name)
        counter += 1
        book.add_item(epub.EpubItem(uid=f"res{counter}", file_name=extra.file_name, media_type=extra.media_type,
                                    content=extra.data))
    items = []
    for i, chapter in enumerate(chapters, 1):
        item = epub.EpubItem(uid=f"chapter{i}", file_name=chapter.file_name, media_type="application/xhtml+xml",
                             content=chapter.content)
        book.add_item(item)
        items.append(item)

    ids = iter(range(1, 1_000_000))

    def to_toc(points: Sequence[NavPoint]) -> list[Any]:  # ebooklib Links and (Section, [...]) pairs
        out: list[Any] = []
        for point in points:
            uid = f"navpoint{next(ids)}"
            if point.children:
                out.append((epub.Section(point.title, point.href), to_toc(point.children)))
            else:
                out.append(epub.Link(point.href, point.title, uid))
        return out

    book.toc = to_toc(toc)
    nav = epub.EpubNav(title=nav_title or words.contents)
    nav.add_link(href=_relative(STYLESHEET, nav.file_name), rel="stylesheet", type="text/css")
    book.add_item(epub.EpubNcx())
    book.add_item(nav)
    book.spine = items
    if items:
        # The start of the reading text, for readers (and Kindle conversion) that look for it.
        book.guide = [{"type": "text", "href": chapters[0].file_name, "title": chapters[0].title}]

    stamp = info_.modified
    options = {
        "raise_exceptions": True,
        "mtime": stamp,
        "zip_time": (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0),
        "epub3_pages": False,  # would re-parse every chapter looking for page markers we never write
        "landmark_title": words.landmarks,
        "compresslevel": 6,
    }
    out = io.BytesIO()
    writer = _ebooklib_writer()(out, book, options)
    writer.process()
    writer.write()
    return out.getvalue()


# ---------------------------------------------------------------- the writer


class EpubWriter(Writer[EpubOptions]):
    name = "epub"
    extension = ".epub"
    description = "EPUB 3 e-book (Chinese reading CSS, navigation and NCX; --embed-font embeds a font subset)"
    options_type = EpubOptions

    def render(self, document: Document, options: EpubOptions, destination: Path | None = None) -> Rendered:
        chapter = render_chapter(document)
        diagnostics = list(chapter.diagnostics)
        files: list[BookFile] = []
        faces: list[FontFace] = []
        if options.embed_font:
            files, faces, font_diags = embedded_font_files(chapter.chars)
            diagnostics += font_diags
        css = reading_css(options.cjk_font, options.latin_font, faces, language=document.meta.language)
        book = book_info(document)
        try:
            data = package_epub(book, [chapter], [NavPoint(chapter.title, chapter.file_name)], css, files)
        except (OSError, ValueError, zipfile.BadZipFile) as exc:
            raise WriteError(f"the EPUB could not be built: {exc}") from None
        return Rendered(data, (), tuple(diagnostics))

    def render_book(self, book: Book, options: EpubOptions, destination: Path | None = None) -> Rendered:
        return render_book_epub(book, options)


def _section_page(title: str, file_name: str, language: str, untitled: str) -> Chapter:
    """A part title page for a category or date folder: the nav and NCX need a target."""
    q = f"{{{XHTML_NS}}}"
    clean = title  # already XML-safe: the transform stage cleaned the book's folder names
    if not clean.strip():
        clean = untitled

    def fill(body: etree._Element) -> None:
        section = etree.SubElement(body, q + "section", {"class": "part"})
        etree.SubElement(section, q + "h1", {"class": "part-title"}).text = clean

    content = chapter_xhtml(fill, title=clean, stylesheet_href=_relative(STYLESHEET, file_name), language=language)
    return Chapter(file_name=file_name, title=clean, content=content, chars=frozenset(clean))


def render_book_epub(book: Book, options: EpubOptions) -> Rendered:
    """Many articles as one EPUB: a part page per folder, a chapter per article, nested nav.

    Articles are read one at a time while the book is walked; only their rendered XHTML
    (which the package needs anyway) is kept, never the documents.
    """
    chapters: list[Chapter] = []
    diagnostics: list[Diagnostic] = []
    words = labels.of(book.meta)
    # stack[d] is the list of NavPoints being filled at depth d.
    stack: list[list[NavPoint]] = [[]]
    open_sections: list[tuple[str, str]] = []  # (title, href) of the sections on the path
    for item in book.walk():
        while len(stack) > item.depth + 1:
            children = stack.pop()
            title, href = open_sections.pop()
            stack[-1].append(NavPoint(title, href, tuple(children)))
        number = len(chapters) + 1
        if item.section is not None:
            page = _section_page(item.section.title, f"{TEXT_DIR}/part{number:05d}.xhtml", book.meta.language, words.untitled)
            chapters.append(page)
            open_sections.append((page.title, page.file_name))
            stack.append([])
            diagnostics.extend(page.diagnostics)
        else:
            assert item.document is not None and item.chapter is not None
            chapter = render_chapter(item.document, f"{TEXT_DIR}/ch{number:05d}.xhtml", image_prefix=f"c{number:05d}_")
            chapters.append(chapter)
            stack[-1].append(NavPoint(chapter.title, chapter.file_name))
            diagnostics.extend(
                d.prefixed(item.chapter.key) for d in chapter.diagnostics
            )
    while len(stack) > 1:
        children = stack.pop()
        title, href = open_sections.pop()
        stack[-1].append(NavPoint(title, href, tuple(children)))

    files: list[BookFile] = []
    faces: list[FontFace] = []
    if options.embed_font:
        chars = frozenset().union(*(c.chars for c in chapters)) | set(book.meta.title)
        files, faces, font_diags = embedded_font_files(frozenset(chars))
        diagnostics += font_diags
    modified = _full_date(book.meta.date)
    author = book.meta.author
    info_ = BookInfo(
        identifier=book.meta.identifier,
        title=book.meta.title or words.collection,
        language=book.meta.language,
        date=book.meta.date if modified else None,
        modified=max(modified, FALLBACK_MODIFIED) if modified else FALLBACK_MODIFIED,
        extra={"creator": author} if author else {},
    )
    css = reading_css(options.cjk_font, options.latin_font, faces, language=book.meta.language)
    try:
        data = package_epub(info_, chapters, stack[0], css, files)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise WriteError(f"the EPUB could not be built: {exc}") from None
    return Rendered(data, (), tuple(diagnostics))


__all__ = [
    "BookFile",
    "BookInfo",
    "Chapter",
    "EpubOptions",
    "EpubWriter",
    "NavPoint",
    "book_identifier",
    "book_info",
    "chapter_xhtml",
    "embedded_font_files",
    "package_epub",
    "render_chapter",
]
