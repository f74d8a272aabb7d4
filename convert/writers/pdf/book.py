"""PDF book mode: many articles as one volume, streamed through one reportlab document.

The volume: a title page, a table of contents with dot leaders and page numbers, then the
articles (each on a new page, or run on with ``continuous``), a running header with the
current article's title, page numbers in the footer, and an outline (bookmarks) that nests
exactly like the table of contents: folders as parents, articles under them.

One pass over the articles, each read, laid out, drawn and dropped in turn: the story
given to platypus is a :class:`_Stream` that asks the book for the next article only when
layout reaches it, so memory does not grow with the number of articles (only the PDF being
assembled does). The contents pages need the page on which every article starts, which is
known only after the articles are laid out; and the articles' page numbers need to know
how many pages the contents take. The contents lay out from the book's plan alone (titles
and depths, no article read), so their page count is known before the articles are drawn;
the articles are drawn first with their final page numbers, then the title page and the
contents, and those pages are moved to the front of the page tree. Fonts are subset once
for the whole volume, since it is one reportlab document.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from reportlab.platypus import CondPageBreak, Flowable, Frame, PageBreak, PageTemplate, Spacer
from reportlab.platypus.doctemplate import ActionFlowable, LayoutError

from ... import labels
from ...errors import ConvertError
from ...model import Book, Chapter, Diagnostic, Section, walk_contents, warning
from ...typography import fit_lines
from ..base import Rendered
from . import gongwen
from .builder import Builder
from .document import DocTemplate, artifact, document_info, draw_page_number
from .draw import ASCENT, draw_lines, painter_for
from .fonts import Fonts
from .options import Geometry, PdfOptions
from .paragraph import CJKParagraph, balanced
from .reportlab_compat import compress_page_streams, content_ops, page_objects
from .text import BLACK, GREY, Counters, Style, StyledText

_ELLIPSIS = "…"
_TOC_INDENT_EM = 1.5  # indent per level of the contents
_NUMBER_DIGITS = "00000"
#: Draws the page number ``number`` on ``canvas`` (the normal layout's or GB/T 9704's).
_Numbers = Callable[[Any, int], None]  # the contents reserve room for page numbers this wide
_STREAM_AHEAD = 24  # flowables kept ready ahead of layout (keep-with-next looks this far)
# A title longer than this is cut (with an ellipsis) in the contents and the outline; the
# article itself shows it whole. Crawled titles run to 60 characters; a damaged file's
# "title" can be a whole article, which would otherwise fill pages of contents.
MAX_ENTRY_CHARS = 200


@dataclass
class _Entry:
    """A line of the contents and of the outline: a folder or an article."""

    depth: int
    title: str
    key: str  # the PDF destination name
    section: bool
    source: str = ""  # an article's chapter key (its path in the tree), for warnings
    page: int | None = None  # where it starts, once drawn


def _entry_title(title: str) -> str:
    """A title on one line, cut to :data:`MAX_ENTRY_CHARS`."""
    title = " ".join(title[: MAX_ENTRY_CHARS * 4].split())
    return title if len(title) <= MAX_ENTRY_CHARS else title[: MAX_ENTRY_CHARS - 1] + _ELLIPSIS


def _chapter_title(chapter: Chapter, untitled: str) -> str:
    """The title a chapter goes by in the contents, outline and running header."""
    return _entry_title(chapter.title) or _entry_title(PurePosixPath(chapter.key.lstrip("+")).stem) or untitled


def _plan_entries(contents: tuple[Section | Chapter, ...], untitled: str) -> tuple[list[_Entry], dict[int, _Entry]]:
    """Every folder and article in reading order, from the plan (no article is read); ``untitled``
    stands for a missing title (the edition's word)."""
    entries: list[_Entry] = []
    by_node: dict[int, _Entry] = {}
    for depth, node in walk_contents(contents):
        if isinstance(node, Section):
            entry = _Entry(depth, _entry_title(node.title) or untitled, f"b{len(entries) + 1}", True)
        else:
            entry = _Entry(depth, _chapter_title(node, untitled), f"b{len(entries) + 1}", False, node.key)
        entries.append(entry)
        by_node[id(node)] = entry
    return entries, by_node


# ---------------------------------------------------------------- the lazy story


class _Stream:
    """A list, as far as ``BaseDocTemplate.build`` uses one, whose items are made on demand.

    platypus takes flowables from the front, puts split remainders back at the front and
    looks a few ahead for keep-with-next; it never needs the whole story. ``chunks`` yields
    the flowables of one article at a time; they are dropped once drawn.
    """

    def __init__(self, chunks: Iterator[list[Flowable]], ahead: int = _STREAM_AHEAD) -> None:
        self._chunks = chunks
        self._items: list[Flowable] = []
        self._ahead = ahead
        self._done = False

    def _fill(self, count: int) -> None:
        while len(self._items) < count and not self._done:
            chunk = next(self._chunks, None)
            if chunk is None:
                self._done = True
            else:
                self._items.extend(chunk)

    def __len__(self) -> int:
        self._fill(self._ahead)
        return len(self._items)

    def __getitem__(self, index: int | slice) -> Any:
        if isinstance(index, slice):
            self._fill(index.stop if index.stop is not None and index.stop >= 0 else 1 << 62)
        else:
            self._fill(index + 1 if index >= 0 else 1 << 62)
        return self._items[index]

    def __setitem__(self, index: int | slice, value: Any) -> None:
        self._items[index] = value

    def __delitem__(self, index: int | slice) -> None:
        self[index]  # noqa: B018 - make sure the items exist before they are deleted
        del self._items[index]

    def insert(self, index: int, value: Flowable) -> None:
        self._items.insert(index, value)


class _Mark(Flowable):  # type: ignore[misc]  # reportlab ships no type hints: Flowable is Any
    """Draws nothing; records where a folder or an article starts (for the contents and the header)."""

    _book_furniture = True

    def __init__(self, doc: _BookTemplate, entry: _Entry) -> None:
        super().__init__()
        self.doc, self.entry = doc, entry
        self.keepWithNext = True  # never left at a page's foot without what it marks

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab API
        return 0, 0

    def draw(self) -> None:
        self.entry.page = self.doc.page_label()
        if not self.entry.section:
            self.doc.current = self.entry.title
            self.doc.current_source = self.entry.source


class _SectionHeading(CJKParagraph):
    """A folder's title above its first article (not counted as article text in the header)."""

    _book_furniture = True


# ---------------------------------------------------------------- the document


class _BookTemplate(DocTemplate):
    """One page template for article pages: running header and page number drawn at page end,
    when it is known which article the page begins with."""

    def __init__(self, *args: Any, first_page: int, header_size: float, number: _Numbers, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.first_page = first_page  # the printed number of the first article page
        self.header_size = header_size  # 0: no running header (GB/T 9704 has none)
        self.number = number
        self.current = ""  # the article being drawn
        self.current_source = ""
        self.page_top: str | None = None  # the article the current page begins with
        self._compressed = 0
        self._header: tuple[str, StyledText | None] = ("", None)
        self.defer_save()  # the front matter is added before saving

    def page_template(self, frame: Frame) -> PageTemplate:
        return PageTemplate(id="article", frames=[frame], onPage=self._begin, onPageEnd=self._end)

    def page_label(self) -> int:
        number: int = self.canv.getPageNumber() - 1 + self.first_page
        return number

    def compress_pages(self) -> None:
        """Deflate the content of the pages finished so far now rather than when the file is
        written: reportlab keeps each page's operators as text until then, several times the
        size of the finished file, and that would grow with every article."""
        self._compressed = compress_page_streams(self.canv, self._compressed)

    def too_large_message(self) -> str:
        return f"{self.current_source}: a block too large for a page was left out"

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab API
        furniture = getattr(flowable, "_book_furniture", False) or isinstance(flowable, ActionFlowable)
        if self.page_top is None and not furniture:
            self.page_top = self.current

    def _begin(self, canvas: Any, doc: Any) -> None:
        self.page_top = None
        self.compress_pages()
        self._header_at = len(content_ops(canvas))

    def _end(self, canvas: Any, doc: Any) -> None:
        """Header and page number, drawn now but put first in the page's content stream, where
        text extraction and screen readers expect them."""
        code = content_ops(canvas)
        end = len(code)
        canvas.saveState()
        title = self.page_top if self.page_top is not None else self.current
        if title and self.header_size:
            if self._header[0] != title:  # an article runs over many pages: fit its title once
                style = Style(self.fonts.body, self.header_size, GREY)
                self._header = (title, _fitted(title, style, self.width, Counters()))  # counted with the article
            header = self._header[1]
            assert header is not None  # set just above for this title
            _draw_header(canvas, header, self.header_size, self.leftMargin, self.width,
                         self.pagesize[1] - self.topMargin * 0.55)
        self.number(canvas, self.page_label())
        canvas.restoreState()
        moved = code[end:]
        del code[end:]
        code[self._header_at:self._header_at] = moved


def _fitted(text: str, style: Style, width: float, counters: Counters) -> StyledText:
    """``text`` on one line, cut with an ellipsis where it would be wider than ``width``."""
    limit = int(width / (style.size * 0.15)) + 2  # more characters than the narrowest glyphs fit
    line = StyledText([(text[:limit], style)], counters)
    if len(text) <= limit and sum(line.widths) <= width:
        return line
    ellipsis = StyledText([(_ELLIPSIS, style)], counters)
    room = width - sum(ellipsis.widths)
    used, cut = 0.0, 0
    for w in line.widths:
        if used + w > room:
            break
        used += w
        cut += 1
    return StyledText([(line.chars[:cut].rstrip() + _ELLIPSIS, style)], counters)


def _draw_header(canvas: Any, text: StyledText, size: float, left: float, width: float, baseline: float) -> None:
    with artifact(canvas, "Header"):
        draw_lines(painter_for(canvas), text, [(0, len(text.chars))], left, baseline + size * ASCENT + size * 0.3, width,
                   size * 1.6, 0.0, "center")
    canvas.saveState()
    canvas.setStrokeColorRGB(*GREY)
    canvas.setLineWidth(0.4)
    canvas.line(left, baseline - size * 0.5, left + width, baseline - size * 0.5)
    canvas.restoreState()


# ---------------------------------------------------------------- front matter


@dataclass
class _TocLine:
    entry: _Entry
    text: StyledText
    lines: list[tuple[int, int]]
    x: float  # left edge of the title
    top: float  # top of its first line
    width: float  # the measure of the title


class _Front:
    """Title page and contents pages, laid out and drawn by hand: they are simple, and their
    layout must be known (page count) before the articles are drawn."""

    def __init__(self, fonts: Fonts, pages: Geometry, counters: Counters, number: _Numbers,
                 words: labels.Labels = labels.SIMPLIFIED) -> None:
        self.words = words  # the book's edition's: the contents heading
        self.fonts = fonts
        self.size = size = pages.size
        self.page = page = pages.page
        margins = pages.margins
        self.left = margins[0]
        self.width = page[0] - margins[0] - margins[1]
        self.top = page[1] - margins[2]
        self.bottom = margins[3]
        self.number = number
        self.counters = counters
        self.leading = size * 1.6
        self.number_width = fonts.body.main.width("0") * size * len(_NUMBER_DIGITS)

    def heading_height(self) -> float:
        return self.size * 1.5 * 2.5

    def toc_pages(self, entries: list[_Entry]) -> list[list[_TocLine]]:
        """The contents cut into pages; an entry's lines stay together."""
        pages: list[list[_TocLine]] = [[]]
        y = self.top - self.heading_height()
        gap = self.size  # between the title and the page number, at least
        for entry in entries:
            indent = entry.depth * _TOC_INDENT_EM * self.size
            chain = self.fonts.heading if entry.section else self.fonts.body
            text = StyledText([(entry.title, Style(chain, self.size))], self.counters)
            measure = max(self.width - indent - self.number_width - gap, self.size * 4)
            lines = fit_lines(text.chars, text.widths, measure) or [(0, 0)]
            space = self.size * 0.5 if entry.section and entry.depth == 0 else 0.0
            height = len(lines) * self.leading
            if y - space - height < self.bottom and pages[-1]:
                pages.append([])
                y = self.top
                space = 0.0
            y -= space
            pages[-1].append(_TocLine(entry, text, lines, self.left + indent, y, measure))
            y -= height
        return pages

    def draw_title_page(self, canvas: Any, title: str, author: str, date: str | None) -> None:
        size = self.size * 2.2
        text = StyledText([(title, Style(self.fonts.heading, size))], self.counters)
        lines = fit_lines(text.chars, text.widths, self.width)
        if len(lines) > 1:
            lines = balanced(text.chars, text.widths, self.width, len(lines))
        top = self.page[1] * 0.68
        draw_lines(painter_for(canvas), text, lines, self.left, top, self.width, size * 1.5, 0.0, "center")
        y = top - len(lines) * size * 1.5 - self.size * 3
        for line in (author, date or ""):
            if line:
                small = StyledText([(line, Style(self.fonts.body, self.size * 1.2, GREY))], self.counters)
                rows = fit_lines(small.chars, small.widths, self.width)
                draw_lines(painter_for(canvas), small, rows, self.left, y, self.width, self.size * 2, 0.0, "center")
                y -= len(rows) * self.size * 2

    def draw_toc_page(self, canvas: Any, lines: list[_TocLine], first: bool, number: int) -> None:
        if first:
            size = self.size * 1.5
            heading = StyledText([(self.words.contents, Style(self.fonts.heading, size))], self.counters)
            draw_lines(painter_for(canvas), heading, [(0, len(heading.chars))], self.left, self.top, self.width, size * 1.5,
                       0.0, "center")
        right = self.left + self.width
        for line in lines:
            entry = line.entry
            draw_lines(painter_for(canvas), line.text, line.lines, line.x, line.top, line.width, self.leading, 0.0, "left")
            start, end = line.lines[-1]
            last_width = sum(line.text.widths[start:end])
            baseline = line.top - (len(line.lines) - 1) * self.leading - (self.leading - self.size) / 2 - ASCENT * self.size
            label = str(entry.page) if entry.page is not None else ""
            face = self.fonts.body.main
            label_width = sum(face.width(c) for c in label) * self.size
            leader_from = line.x + last_width + self.size * 0.5
            leader_to = right - label_width - self.size * 0.5
            canvas.saveState()
            if leader_to > leader_from:  # dot leaders, drawn: they are not text to extract
                canvas.setStrokeColorRGB(*GREY)
                canvas.setLineWidth(0.8)
                canvas.setLineCap(1)
                canvas.setDash(0.01, self.size * 0.45)
                canvas.line(leader_from, baseline + self.size * 0.1, leader_to, baseline + self.size * 0.1)
            canvas.setFont(face.name, self.size)
            canvas.drawRightString(right, baseline, label)
            canvas.restoreState()
            bottom = line.top - len(line.lines) * self.leading
            canvas.linkAbsolute("", entry.key, Rect=(line.x, bottom, right, line.top), thickness=0)
        self.number(canvas, number)


# ---------------------------------------------------------------- the build


def _page_numbers(pages: Geometry, fonts: Fonts) -> _Numbers:
    """How page numbers are drawn: centred below the block, or GB/T 9704's ``— N —`` at the outer side."""
    left, right, _, bottom = pages.margins
    width = pages.page[0] - left - right
    if pages.official:
        return lambda canvas, number: gongwen.draw_page_number(canvas, fonts, number, left, width)
    return lambda canvas, number: draw_page_number(canvas, fonts, number, left + width / 2, bottom * 0.5)


def render_book_pdf(book: Book, opts: PdfOptions, fonts: Fonts, pages: Geometry, canvasmaker: Any = None) -> Rendered:
    """The whole book as one PDF on ``pages`` (the normal layout's or GB/T 9704's). Call with
    the build lock held and reportlab's settings set. ``canvasmaker``: another reportlab
    canvas class (the OFD writer's records instead of writing)."""
    page, margins, size = pages.page, pages.margins, pages.size
    counters = Counters()
    numbers = _page_numbers(pages, fonts)
    words = labels.of(book.meta)
    front = _Front(fonts, pages, counters, numbers, words)
    entries, by_node = _plan_entries(book.contents, words.untitled)
    front_pages = 1 + len(front.toc_pages(entries))

    meta = book.meta
    info = document_info(meta.title, meta.author, "", "", meta.date)
    buffer = io.BytesIO()
    doc = _BookTemplate(buffer, page, margins, fonts, info, size, meta.language or opts.language,
                        first_page=front_pages + 1, header_size=0.0 if pages.official else size * 0.75, number=numbers)
    diagnostics: list[Diagnostic] = []
    stream = _Stream(_articles(book, by_node, doc, fonts, pages, opts.continuous, diagnostics))
    try:
        try:
            # the stream hands reportlab one article at a time (a list would hold the whole book)
            doc.build(stream, **({"canvasmaker": canvasmaker} if canvasmaker else {}))  # pyright: ignore[reportArgumentType]
        except LayoutError as exc:
            raise ConvertError(f"cannot lay out the PDF: {str(exc).splitlines()[0][:200]}") from None
        canvas = doc.canv
        drawn = [e for e in entries if e.page is not None]
        if not any(entry.page is not None and not entry.section for entry in entries):
            diagnostics.append(warning(
                "empty-book", "no article could be read; the book has only its title page, contents and folder headings"))
        # The front matter, drawn last and moved to the front. With articles left out, the
        # contents may now need fewer pages than the article pages were numbered for: pad.
        front.draw_title_page(canvas, meta.title or words.collection, meta.author, meta.date)
        canvas.showPage()
        toc = front.toc_pages(drawn)
        toc += [[] for _ in range(front_pages - 1 - len(toc))]
        for number, lines in enumerate(toc, 2):
            front.draw_toc_page(canvas, lines, number == 2, number)
            canvas.showPage()
        doc.compress_pages()
        tree = page_objects(canvas)
        tree[:] = tree[-front_pages:] + tree[:-front_pages]
        canvas.save()
    finally:
        doc.forget_fonts()
    diagnostics += doc.dropped + _front_diagnostics(counters)
    return Rendered(buffer.getvalue(), (), tuple(diagnostics))


def _articles(book: Book, by_node: dict[int, _Entry], doc: _BookTemplate, fonts: Fonts, pages: Geometry,
              continuous: bool, diagnostics: list[Diagnostic]) -> Iterator[list[Flowable]]:
    """The flowables of one folder heading or article at a time, in reading order. On GB/T
    9704 pages every article is set as a single ``--style gongwen`` document is (title,
    body, closing lines), and folder headings and gaps take whole lines of its grid."""
    size = pages.size
    after_article = False
    for item in book.walk():
        node = item.section if item.section is not None else item.chapter
        entry = by_node[id(node)]
        out: list[Flowable] = []
        if after_article:
            # a new page for each article (with the folder headings above it), or a gap
            if continuous:
                gap: list[Flowable] = ([Spacer(1, gongwen.PITCH * 2), CondPageBreak(gongwen.PITCH * 5)] if pages.official
                                       else [Spacer(1, size * 2), CondPageBreak(size * 8)])
                for flowable in gap:
                    setattr(flowable, "_book_furniture", True)  # noqa: B010 - an attribute reportlab does not declare
                out += gap
            else:
                out.append(PageBreak())
        if item.section is not None:
            outline = (entry.title, entry.depth, entry.key)
            if pages.official:  # 黑体 at the body size, one grid line
                text = StyledText([(entry.title, Style(fonts.heading, size))], Counters())
                heading = _SectionHeading(text, size, gongwen.PITCH, align="left", outline=outline, keep_with_next=True)
            else:
                heading_size = size * max(1.6 - 0.15 * entry.depth, 1.15)
                style = Style(fonts.heading, heading_size, GREY if entry.depth else BLACK)
                text = StyledText([(entry.title, style)], Counters())
                heading = _SectionHeading(text, heading_size, heading_size * 1.5, align="left", space_before=size * 0.5,
                                          space_after=size * 0.8, outline=outline, keep_with_next=True)
            out += [_Mark(doc, entry), heading]
            after_article = False
        else:
            assert item.document is not None and item.chapter is not None
            key_prefix = entry.key + "h"
            out.append(_Mark(doc, entry))
            if pages.official:
                official = gongwen.GongwenBuilder(item.document, fonts, doc.height, doc.width, outline_headings=False,
                                                  key_prefix=key_prefix)
                out += gongwen.story(official, entry.depth, entry.title, entry.key)
                builder: Builder = official
            else:
                builder = Builder(item.document, fonts, size, doc.height, doc.width, outline_headings=False,
                                  key_prefix=key_prefix)
                out += builder.title_block(entry.depth, entry.title, entry.key) + builder.blocks(item.document.blocks)
            for d in builder.finish():
                diagnostics.append(d.prefixed(item.chapter.key))
            after_article = True
        yield out


def _front_diagnostics(counters: Counters) -> list[Diagnostic]:
    if not counters.uncovered:
        return []
    return [warning("uncovered-chars",
                    f"title page or contents: character(s) in no font ({counters.uncovered_codes()}) drawn as boxes")]
