"""Model blocks to flowables: title block, paragraphs, headings, quotes, lists, tables and
pictures, with the warnings met on the way."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from reportlab.platypus import Flowable, Indenter, Spacer
from reportlab.platypus import Table as RLTable

from ... import labels
from ...model import (
    Block,
    Diagnostic,
    Document,
    Heading,
    Image,
    Inline,
    ListBlock,
    Paragraph,
    Quote,
    Table,
    Text,
    warning,
)
from ...typography import INDENT_EM
from ...visit import Dispatch
from ..pictures import unreadable
from .flowables import Bookmark, Picture, Placeholder, drawable_picture
from .fonts import Fonts
from .paragraph import CJKParagraph
from .text import GREY, Counters, Flattener, Style, StyledText

LEADING = 1.75  # line height in em: the seed sites ask for 16 px text on 25 px lines; print wants a bit more


class Builder:
    """Turns the model's blocks into flowables, collecting warnings on the way."""

    def __init__(self, document: Document, fonts: Fonts, size: float, frame_height: float, frame_width: float = 0.0,
                 outline_headings: bool = True, key_prefix: str = "h") -> None:
        self.document = document
        self.fonts = fonts
        self.size = size
        self.leading = size * LEADING
        self.frame_height = frame_height
        self.counters = Counters()
        self.diagnostics: list[Diagnostic] = []
        self.body_style = Style(fonts.body, size)
        self.frame_width = frame_width  # tables divide it among their columns
        self._keys = 0
        self._outline_level = 0
        # a book's outline lists its sections and articles only, like its table of contents
        self.outline_headings = outline_headings
        self.key_prefix = key_prefix  # bookmark names must be unique across a book's articles
        # One dispatch (convert.visit): a block of a kind without a handler is an
        # unknown-node warning and gives no flowables.
        # inlines go through the same dispatch (an unknown inline: the same warning)
        self.flatten = Flattener(fonts.heading, self.diagnostics)
        self.block = Dispatch[list[Flowable]]({
            "paragraph": self.paragraph, "heading": self.heading, "image": self.image, "quote": self.quote,
            "list": self.list_block, "table": self.table_block,
        }, self.diagnostics, [])

    def text(self, inlines: tuple[Inline, ...], style: Style | None = None) -> StyledText:
        return StyledText(self.flatten(inlines, style or self.body_style), self.counters)

    def plain(self, value: str, style: Style) -> StyledText:
        return StyledText([(value, style)], self.counters)

    def key(self) -> str:
        self._keys += 1
        return f"{self.key_prefix}{self._keys}"

    def title_block(self, outline_level: int = 0, outline_title: str | None = None,
                    key: str | None = None) -> list[Flowable]:
        meta = self.document.meta
        out: list[Flowable] = []
        title = meta.title or (PurePosixPath(meta.source).stem if meta.source else "")
        outline_title = outline_title or title or labels.of(meta).document
        outline = (outline_title, outline_level, key or self.key())
        if meta.title:
            size = self.size * 1.75
            style = Style(self.fonts.heading, size)
            out.append(CJKParagraph(self.plain(meta.title, style), size, size * 1.5, align="center",
                                    space_after=self.size * 0.6, outline=outline))
        else:
            out.append(Bookmark(*outline))
        details = [" / ".join(meta.category)] if meta.category else []
        if meta.date and not meta.date.startswith("--"):
            details.append(meta.date)
        if details:
            small = self.size * 0.8
            style = Style(self.fonts.body, small, GREY)
            out.append(CJKParagraph(self.plain(" · ".join(details), style), small, small * 1.6, align="center"))
        out.append(Spacer(1, self.size * 1.2))
        return out

    def blocks(self, blocks: tuple[Block, ...]) -> list[Flowable]:
        out: list[Flowable] = []
        for block in blocks:
            out.extend(self.block(block))
        return out

    def paragraph(self, block: Paragraph) -> list[Flowable]:
        return [CJKParagraph(self.text(block.content), self.size, self.leading, indent=INDENT_EM * self.size,
                             space_after=self.size * 0.35)]

    def heading(self, block: Heading) -> list[Flowable]:
        size = self.size * {1: 1.5, 2: 1.3, 3: 1.15}.get(block.level, 1.05)
        style = Style(self.fonts.heading, size)
        text = self.text(block.content, style)
        outline = None
        if self.outline_headings:
            level = min(max(block.level, 1), self._outline_level + 1)
            self._outline_level = level
            outline = (text.chars.replace("\n", " ") or "—", level, self.key())
        return [CJKParagraph(text, size, size * 1.5, align="left", space_before=self.size * 0.8,
                             space_after=self.size * 0.4, outline=outline, keep_with_next=True)]

    def image(self, block: Image) -> list[Flowable]:
        return [self.picture(block)]

    def quote(self, block: Quote) -> list[Flowable]:
        indent = INDENT_EM * self.size
        return [Indenter(indent, indent), *self.blocks(block.blocks), Indenter(-indent, -indent)]

    def table_block(self, block: Table) -> list[Flowable]:
        return [self.table(block)]

    def list_block(self, block: ListBlock) -> list[Flowable]:
        indent = INDENT_EM * self.size
        out: list[Flowable] = [Indenter(indent, 0)]
        for number, item in enumerate(block.items, 1):
            marker = f"{number}. " if block.ordered else "• "
            first = True
            for child in item:
                if first and isinstance(child, Paragraph):
                    text = self.text((Text(marker), *child.content))
                    out.append(CJKParagraph(text, self.size, self.leading, space_after=self.size * 0.2))
                else:
                    if first:
                        out.append(CJKParagraph(self.plain(marker, self.body_style), self.size, self.leading))
                    out.extend(self.block(child))
                first = False
        out.append(Indenter(-indent, 0))
        return out

    def table(self, block: Table) -> Flowable:
        columns = max((len(row) for row in block.rows), default=1) or 1
        width = self.frame_width / columns
        size = self.size * 0.9
        data = []
        for r, row in enumerate(block.rows):
            style = Style(self.fonts.heading if r < block.header_rows else self.fonts.body, size)
            cells: list[Any] = [CJKParagraph(self.text(cell, style), size, size * 1.5, align="left") for cell in row]
            cells += [Spacer(1, 0) for _ in range(columns - len(cells))]
            data.append(cells)
        if not data:
            return Spacer(1, 0)
        table = RLTable(data, colWidths=[width] * columns, repeatRows=min(block.header_rows, len(data) - 1) or 0)
        table.setStyle([("GRID", (0, 0), (-1, -1), 0.5, GREY), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("FONTNAME", (0, 0), (-1, -1), self.fonts.body.main.name),
                        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)])
        return table

    def picture(self, image: Image) -> Flowable:
        loaded = drawable_picture(image)
        if isinstance(loaded, tuple):
            reader, size = loaded
            return Picture(reader, size, self.frame_height * 0.9)
        if loaded == "missing":  # the reader reported it (missing-image); the writer only draws the box
            label = labels.of(self.document.meta).missing(image.src)
        else:
            self.diagnostics.append(unreadable(image.src, loaded))
            label = labels.of(self.document.meta).missing(image.src, unreadable=True)
        small = self.size * 0.85
        return Placeholder(self.plain(label, Style(self.fonts.body, small, GREY)), small)

    def finish(self) -> list[Diagnostic]:
        c = self.counters
        if c.uncovered:
            total = sum(c.uncovered.values())
            self.diagnostics.append(warning(
                "uncovered-chars",
                f"{total} character(s) in no font ({c.uncovered_codes()}) drawn as boxes with their code point",
            ))
        if c.dropped_invisible:
            self.diagnostics.append(warning(
                "dropped-invisible-chars", f"{c.dropped_invisible} invisible format character(s) no font has were left out"))
        return self.diagnostics
