"""DOCX writer: Word documents a Chinese office user accepts without reformatting.

Built on python-docx. What Word needs for Chinese and python-docx does not do by itself
(East Asian fonts and the zh-CN language in the styles, a Chinese theme language,
character-unit indents, Chinese font-table entries) is set once, in a configured
template (:mod:`.template`) that every document starts from; the body is written by
:mod:`.body`. Output is reproducible: core-property dates come from the document's date
folder (or a fixed date), and the zip entries carry the same fixed timestamp.

Body paragraphs are in the "Body Text" style (two-character first-line indent, justified,
1.5 line spacing, a half line after); the title is in "Title", headings in "heading N";
pictures are inline, shrunk to the text block; a missing or unreadable picture is a
visible placeholder paragraph.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ... import labels
from ...errors import ConvertError
from ...model import Book, Diagnostic, Document, info
from ...typography import (
    DEFAULT_HEADING_LATIN_FONT,
    DEFAULT_LATIN_FONT,
    LANGUAGE,
    font_set,
    language_tag,
    strip_illegal,
)
from ..base import PAGE_SIZES, STYLES, Rendered, Writer, WriterOptions
from . import gongwen
from .body import BodyBuilder
from .package import new_document, save
from .properties import FALLBACK_DATE, document_date, finish_properties
from .template import PAGES, Fonts


@dataclass(frozen=True)
class DocxOptions(WriterOptions):
    page_size: str = "A4"
    #: Body text faces; None takes the defaults in convert.typography (宋体 / Times New Roman).
    cjk_font: str | None = None
    latin_font: str | None = None
    #: Title and heading faces (黑体 / Arial by default).
    heading_cjk_font: str | None = None
    heading_latin_font: str | None = None
    #: Layout: "normal", or "gongwen" (GB/T 9704-2012 official documents; see .gongwen).
    style: str = "normal"


def _font_name(value: str | None, default: str, option: str) -> str:
    if value is None:
        return default
    name = " ".join(strip_illegal(str(value))[0].split())
    if not name:
        raise ConvertError(f"--{option.replace('_', '-')} needs a font name, got {value!r}")
    return name


def _page_size(value: str) -> str:
    for name in PAGE_SIZES:
        if name.lower() == str(value).lower():
            return name
    raise ConvertError(f"unknown page size {value!r}; page sizes: {', '.join(PAGE_SIZES)}")


def _style(value: str) -> str:
    for name in STYLES:
        if name == str(value).lower():
            return name
    raise ConvertError(f"unknown style {value!r}; styles: {', '.join(STYLES)}")


def resolve_fonts(options: DocxOptions, language: str = LANGUAGE) -> Fonts:
    """The faces for ``options``: the ones asked for, else the defaults of the layout and of
    the document's language (a Traditional edition's 新細明體 / 微軟正黑體, see typography.font_set)."""
    if _style(options.style) == gongwen.STYLE:
        defaults = gongwen.DEFAULT_FONTS
        quote = None
    else:
        edition = font_set(language)
        defaults = Fonts(edition.cjk, DEFAULT_LATIN_FONT, edition.heading_cjk, DEFAULT_HEADING_LATIN_FONT)
        quote = edition.quote_cjk
    return Fonts(
        cjk=_font_name(options.cjk_font, defaults.cjk, "cjk_font"),
        latin=_font_name(options.latin_font, defaults.latin, "latin_font"),
        heading_cjk=_font_name(options.heading_cjk_font, defaults.heading_cjk, "heading_cjk_font"),
        heading_latin=_font_name(options.heading_latin_font, defaults.heading_latin, "heading_latin_font"),
        quote_cjk=quote,
    )


class DocxWriter(Writer[DocxOptions]):
    name = "docx"
    extension = ".docx"
    description = "Word document: Chinese fonts and language, 2-character indent, page numbers, pictures inline"
    options_type = DocxOptions

    def render(self, document: Document, options: DocxOptions, destination: Path | None = None) -> Rendered:
        page_size = _page_size(options.page_size)
        language = language_tag(document.meta.language)
        fonts = resolve_fonts(options, language)
        try:
            return self._render(document, page_size, fonts, language, _style(options.style))
        except ConvertError:
            raise
        except Exception as exc:  # a bug or a python-docx limit: one line, never a traceback
            raise _one_line("the DOCX", exc) from exc

    def render_book(self, book: Book, options: DocxOptions, destination: Path | None = None) -> Rendered:
        """Many articles as one document: title page, contents field, folders and articles as
        nested headings, each article on a new page (see :mod:`.book`); ``--style gongwen``
        sets the whole volume on the GB/T 9704 page."""
        page_size = _page_size(options.page_size)
        style = _style(options.style)
        fonts = resolve_fonts(options, book.meta.language)
        # only books need it; imported as a module, as ``from .book import`` would (for pyright)
        # rebind the parameter ``book``
        from . import book as book_module

        try:
            rendered = book_module.render_book_docx(book, page_size, fonts, style)
        except ConvertError:
            raise
        except Exception as exc:  # a bug or a python-docx limit: one line, never a traceback
            raise _one_line("the DOCX book", exc) from exc
        return Rendered(rendered.data, rendered.resources, (*_layout_notes(style, page_size), *rendered.diagnostics))

    def _render(self, document: Document, page_size: str, fonts: Fonts, language: str, style: str) -> Rendered:
        official = style == gongwen.STYLE
        out_doc = new_document("A4" if official else page_size, fonts, language, style)
        builder = BodyBuilder(out_doc, gongwen.PAGE if official else PAGES[page_size], labels.of(document.meta))
        meta = document.meta
        layout_notes = _layout_notes(style, page_size)

        body = out_doc.element.body
        sect_pr = body.sectPr
        body.remove(sect_pr)  # appended again after the content: it must come last
        title = meta.title
        if official:  # the title broken at phrase ends, the closing lines set apart
            builder.title(body, "\n".join(gongwen.split_title(title)))
            gongwen.article_body(builder, body, document.blocks)
        else:
            builder.title(body, title)
            builder.blocks(body, document.blocks)
        body.append(sect_pr)

        category = [name for name in (folder.strip() for folder in meta.category) if name]
        values = {
            "title": title,
            "subject": "/".join(category),  # the category folders
            "category": "/".join(category),
            "keywords": "; ".join(category),
            "identifier": meta.source or "",
            "comments": meta.first_line or "",  # line 1 as the crawler wrote it
            "language": meta.language or LANGUAGE,
        }
        when = document_date(meta.date)
        diagnostics = layout_notes + list(builder.diagnostics) + finish_properties(out_doc, values, when)

        return Rendered(save(out_doc, when), (), tuple(diagnostics))


def _layout_notes(style: str, page_size: str) -> list[Diagnostic]:
    """GB/T 9704 sets A4 pages: another page size asked for is ignored, with a note."""
    if style == gongwen.STYLE and page_size != "A4":
        return [info("page-size-ignored", f"--style gongwen sets A4 pages (GB/T 9704); {page_size} ignored")]
    return []


def _one_line(what: str, exc: Exception) -> ConvertError:
    detail = " ".join(str(exc).split())
    detail = detail if len(detail) <= 200 else detail[:200] + "…"
    return ConvertError(f"cannot build {what}: {type(exc).__name__}: {detail}")


__all__ = ["FALLBACK_DATE", "DocxOptions", "DocxWriter", "document_date", "resolve_fonts"]
