"""The document body: model blocks and inlines as WordprocessingML elements.

Elements are made with lxml's ``SubElement`` on python-docx's own elements, so they get
python-docx's element classes, without the cost of its proxy objects for every run.
One instance renders one document: it holds the python-docx document being filled and
what it accumulates (warnings, picture ids). Pictures, links and list
numbers are registered through :class:`_FastPart`, one mechanism for single articles and
books, in constant time per addition.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

import docx.document
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.oxml.ns import qn
from docx.oxml.numbering import CT_Num
from docx.oxml.shape import CT_Inline
from docx.oxml.table import CT_Tbl
from docx.parts.image import ImagePart
from docx.shared import Emu
from lxml import etree

from ... import labels
from ...model import (
    Block,
    Diagnostic,
    Emphasis,
    Heading,
    Image,
    Inline,
    LineBreak,
    Link,
    ListBlock,
    Paragraph,
    Quote,
    Strong,
    Table,
    Text,
    info,
)
from ...visit import Dispatch
from ..pictures import load_picture, unreadable, with_jfif_header
from .template import PageSetup

W_P, W_PPR, W_PSTYLE, W_R, W_RPR = qn("w:p"), qn("w:pPr"), qn("w:pStyle"), qn("w:r"), qn("w:rPr")
W_T, W_TAB, W_BR = qn("w:t"), qn("w:tab"), qn("w:br")
W_VAL, W_RSTYLE, W_RFONTS, W_HINT = qn("w:val"), qn("w:rStyle"), qn("w:rFonts"), qn("w:hint")
W_B, W_BCS, W_I, W_ICS = qn("w:b"), qn("w:bCs"), qn("w:i"), qn("w:iCs")
W_HYPERLINK, W_HISTORY, R_ID = qn("w:hyperlink"), qn("w:history"), qn("r:id")
W_NUMPR, W_ILVL, W_NUMID = qn("w:numPr"), qn("w:ilvl"), qn("w:numId")
W_DRAWING = qn("w:drawing")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

# Tabs and line ends inside a text node become w:tab and w:br, as Word stores them.
_SPECIAL = re.compile(r"(\t|\r\n|\r|\n)")
# Characters Latin and Chinese fonts share (quotes, dashes, ellipsis, middle dot): the
# run says they are East Asian so Word draws them full-width in the Chinese face.
_AMBIGUOUS = re.compile("[\u00b7\u2014\u2015\u2018\u2019\u201c\u201d\u2025\u2026]")
# Picture formats python-docx can embed; anything else Pillow reads is converted to PNG.
_EMBEDDABLE = {"JPEG", "PNG", "GIF", "BMP", "TIFF"}
# The abstract numbering of "List Number", "List Number 2", "List Number 3" in the template.
_NUMBER_ABSTRACT = {1: 7, 2: 3, 3: 2}
_MAX_LIST_LEVEL = 3
_MAX_HEADING = 6


# ---------------------------------------------------------------- constant-time bookkeeping


class _Numbering:
    """Stands in for the numbering part's element: ``add_num`` with a counter, not a scan."""

    def __init__(self, numbering: Any) -> None:
        self._numbering = numbering
        self._next = max((int(n) for n in numbering.xpath("./w:num/@w:numId")), default=0) + 1

    @property
    def element(self) -> _Numbering:
        return self

    def add_num(self, abstract_id: int) -> CT_Num:
        num = CT_Num.new(self._next, abstract_id)
        self._next += 1
        inserted: CT_Num = self._numbering._insert_num(num)
        return inserted


class _FastPart:
    """The document part as :class:`BodyBuilder` uses it, with the bookkeeping kept in dictionaries.

    python-docx finds the next picture name by testing every number against a list of
    every picture (cubic over a book of thousands of articles), the next ``rId`` and an
    existing external link by scanning all relationships, and the next list number with
    an XPath over all lists. Here each is the next after the highest in use, found in
    constant time: the same names python-docx gives, as the template leaves no gaps.
    """

    def __init__(self, part: Any) -> None:
        self._part = part
        self._rels = part.rels
        numbers = [int(rid[3:]) for rid in self._rels if rid.startswith("rId") and rid[3:].isdigit()]
        self._next_rid = max(numbers, default=0) + 1
        self._external = {(rel.reltype, rel.target_ref): rid for rid, rel in self._rels.items() if rel.is_external}
        self._images: dict[str, tuple[str, DocxImage]] = {}  # sha1 -> (rId, image): a picture is stored once
        used = [p.partname.idx or 0 for p in part.package.iter_parts() if p.partname.startswith("/word/media/image")]
        self._next_image = max(used, default=0) + 1
        self.numbering_part = _Numbering(part.numbering_part.element)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._part, name)

    def _rid(self) -> str:
        while f"rId{self._next_rid}" in self._rels:
            self._next_rid += 1
        rid = f"rId{self._next_rid}"
        self._next_rid += 1
        return rid

    def relate_to(self, target: Any, reltype: str, is_external: bool = False) -> str:
        if not is_external:
            rid_internal: str = self._part.relate_to(target, reltype)
            return rid_internal
        rid = self._external.get((reltype, target))
        if rid is None:
            rid = self._external[(reltype, target)] = self._rid()
            self._rels.add_relationship(reltype, target, rid, is_external=True)
        return rid

    def get_or_add_image(self, stream: Any) -> tuple[str, DocxImage]:
        image = DocxImage.from_file(stream)
        known = self._images.get(image.sha1)
        if known is not None:
            return known
        partname = PackURI(f"/word/media/image{self._next_image}.{image.ext}")
        self._next_image += 1
        image_part = ImagePart.from_image(image, partname)
        rid = self._rid()
        self._rels.add_relationship(RT.IMAGE, image_part, rid)
        self._images[image.sha1] = (rid, image)
        return rid, image


@dataclass(frozen=True, slots=True)
class _ListItem:
    """The numbered (or bulleted) paragraph that opens a list item."""

    style: str
    num_id: str | None
    first: Paragraph | None


# The explicit stacks of BodyBuilder's walks. Inlines: what comes next, bold, italic and the
# element runs go into. Blocks: what comes next, a plain paragraph's style there, the list level.
_InlineStack = list[tuple[Iterator[Inline], bool, bool, etree._Element]]
_BlockStack = list[tuple[Iterator["Block | _ListItem"], str, int]]


class BodyBuilder:
    def __init__(self, document: docx.document.Document, page: PageSetup, words: labels.Labels = labels.SIMPLIFIED) -> None:
        self.labels = words  # the edition's: labels.of(meta)
        self.part = _FastPart(document.part)
        self.page = page
        self.diagnostics: list[Diagnostic] = []
        self.shape_id = 0
        # One dispatch (convert.visit): each handler takes the node and the walk's stack
        # (and the paragraph for inlines); a node of a kind without one is an unknown-node
        # warning, no longer skipped silently.
        self.inline = Dispatch[None]({
            "text": self._text, "linebreak": self._linebreak, "strong": self._strong, "emphasis": self._emphasis,
            "link": self._link,
        }, self.diagnostics, None)
        self.block = Dispatch[None]({
            "paragraph": self._paragraph, "heading": self._heading, "image": self._image, "table": self._table,
            "quote": self._quote, "list": self._list,
        }, self.diagnostics, None)

    # ------------------------------------------------------------------ text

    def paragraph(self, parent: etree._Element, style: str) -> etree._Element:
        p = etree.SubElement(parent, W_P)
        ppr = etree.SubElement(p, W_PPR)
        etree.SubElement(ppr, W_PSTYLE).set(W_VAL, style)
        return p

    def runs(self, container: etree._Element, text: str, bold: bool, italic: bool, link: bool) -> None:
        if not text:
            return
        r = etree.SubElement(container, W_R)
        hint = _AMBIGUOUS.search(text) is not None
        if link or hint or bold or italic:
            rpr = etree.SubElement(r, W_RPR)  # children in schema order
            if link:
                etree.SubElement(rpr, W_RSTYLE).set(W_VAL, "Hyperlink")
            if hint:
                etree.SubElement(rpr, W_RFONTS).set(W_HINT, "eastAsia")
            if bold:
                etree.SubElement(rpr, W_B)
                etree.SubElement(rpr, W_BCS)
            if italic:
                etree.SubElement(rpr, W_I)
                etree.SubElement(rpr, W_ICS)
        for piece in _SPECIAL.split(text) if _SPECIAL.search(text) else (text,):
            if not piece:
                continue
            if piece == "\t":
                etree.SubElement(r, W_TAB)
            elif piece in ("\n", "\r", "\r\n"):
                etree.SubElement(r, W_BR)
            else:
                t = etree.SubElement(r, W_T)
                t.text = piece
                if piece[0].isspace() or piece[-1].isspace():
                    t.set(XML_SPACE, "preserve")

    def inlines(self, p: etree._Element, nodes: tuple[Inline, ...], bold: bool = False) -> None:
        """Append a run of inlines to paragraph ``p``, without recursion (inlines may nest deeply)."""
        stack: _InlineStack = [(iter(nodes), bold, False, p)]
        while stack:
            node = next(stack[-1][0], None)
            if node is None:
                stack.pop()
            else:
                self.inline(node, p, stack)

    # Inline handlers: ``stack[-1]`` holds the bold and italic state and the container.
    def _text(self, node: Text, p: etree._Element, stack: _InlineStack) -> None:
        _, b, i, container = stack[-1]
        self.runs(container, node.text, b, i, container is not p)

    def _linebreak(self, node: LineBreak, p: etree._Element, stack: _InlineStack) -> None:
        etree.SubElement(etree.SubElement(stack[-1][3], W_R), W_BR)

    def _strong(self, node: Strong, p: etree._Element, stack: _InlineStack) -> None:
        _, b, i, container = stack[-1]
        stack.append((iter(node.children), True, i, container))

    def _emphasis(self, node: Emphasis, p: etree._Element, stack: _InlineStack) -> None:
        _, b, i, container = stack[-1]
        stack.append((iter(node.children), b, True, container))

    def _link(self, node: Link, p: etree._Element, stack: _InlineStack) -> None:
        _, b, i, container = stack[-1]
        target = container
        href = node.href.strip()
        if container is p and href:  # a link inside a link keeps the outer one
            target = etree.SubElement(p, W_HYPERLINK)
            target.set(R_ID, self.hyperlink(href))
            target.set(W_HISTORY, "1")
        stack.append((iter(node.children), b, i, target))

    def hyperlink(self, href: str) -> str:
        # Relationship targets are URIs: percent-encode non-ASCII and spaces, keep the rest.
        href = quote(href, safe="%/:=&?~#+!$,;'@()*[]")
        return self.part.relate_to(href, RT.HYPERLINK, is_external=True)  # one relationship per target

    # ------------------------------------------------------------------ blocks

    def title(self, body: etree._Element, title: str) -> None:
        if title:
            p = self.paragraph(body, "Title")
            self.runs(p, title, False, False, False)

    def blocks(self, parent: etree._Element, blocks: tuple[Block, ...]) -> None:
        """Append blocks in document order, without recursion: quotes and lists may nest
        deeply, and in WordprocessingML they all become sibling paragraphs anyway.

        Each stack entry is an iterator with its context: the paragraph style a plain
        paragraph takes there (body, quote, list continuation) and the list level.
        """
        stack: _BlockStack = [(iter(blocks), "BodyText", 0)]
        while stack:
            block = next(stack[-1][0], None)
            if block is None:
                stack.pop()
            elif isinstance(block, _ListItem):
                p = self.paragraph(parent, block.style)
                if block.num_id is not None:
                    numpr = etree.SubElement(p[0], W_NUMPR)
                    etree.SubElement(numpr, W_ILVL).set(W_VAL, "0")
                    etree.SubElement(numpr, W_NUMID).set(W_VAL, block.num_id)
                if block.first is not None:
                    self.inlines(p, block.first.content)
            else:
                self.block(block, parent, stack)

    # Block handlers: ``stack[-1]`` holds the style a plain paragraph takes there and the list level.
    def _paragraph(self, block: Paragraph, parent: etree._Element, stack: _BlockStack) -> None:
        self.inlines(self.paragraph(parent, stack[-1][1]), block.content)

    def _heading(self, block: Heading, parent: etree._Element, stack: _BlockStack) -> None:
        self.inlines(self.paragraph(parent, f"Heading{min(max(block.level, 1), _MAX_HEADING)}"), block.content)

    def _image(self, block: Image, parent: etree._Element, stack: _BlockStack) -> None:
        self.image(parent, block)

    def _table(self, block: Table, parent: etree._Element, stack: _BlockStack) -> None:
        self.table(parent, block)

    def _quote(self, block: Quote, parent: etree._Element, stack: _BlockStack) -> None:
        stack.append((iter(block.blocks), "Quote", stack[-1][2]))

    def _list(self, block: ListBlock, parent: etree._Element, stack: _BlockStack) -> None:
        inner = min(stack[-1][2] + 1, _MAX_LIST_LEVEL)
        suffix = "" if inner == 1 else str(inner)
        stack.append((self.list_items(block, inner), "ListContinue" + suffix, inner))

    def list_items(self, block: ListBlock, level: int) -> Iterator[Block | _ListItem]:
        """A list as a flat run: each item's numbered paragraph, then the item's other blocks."""
        suffix = "" if level == 1 else str(level)
        style = ("ListNumber" if block.ordered else "ListBullet") + suffix
        num_id = None
        if block.ordered:
            # Each ordered list starts again at 1: a numbering instance of its own.
            num = self.part.numbering_part.element.add_num(_NUMBER_ABSTRACT[level])
            num.add_lvlOverride(ilvl=0).add_startOverride(1)
            num_id = str(num.numId)
        for item in block.items:
            # An item that does not open with a paragraph still gets its number or bullet.
            first = item[0] if item and isinstance(item[0], Paragraph) else None
            yield _ListItem(style, num_id, first)
            yield from item[1:] if first is not None else item

    def table(self, parent: etree._Element, table: Table) -> None:
        if not table.rows:
            return
        columns = max(len(row) for row in table.rows) or 1
        tbl = CT_Tbl.new_tbl(len(table.rows), columns, Emu(self.page.text_width_emu))
        tbl.tblStyle_val = "TableGrid"
        for r, (tr, row) in enumerate(zip(tbl.tr_lst, table.rows, strict=True)):
            header = r < table.header_rows
            if header:  # repeated on every page the table spans
                etree.SubElement(tr.get_or_add_trPr(), qn("w:tblHeader"))
            for c, tc in enumerate(tr.tc_lst):
                p = tc.p_lst[0]
                ppr = p.get_or_add_pPr()
                ppr.get_or_add_pStyle().set(W_VAL, "TableText")
                if c < len(row):
                    self.inlines(p, row[c], bold=header)
        parent.append(tbl)

    # ------------------------------------------------------------------ pictures

    def placeholder(self, parent: etree._Element, src: str, unreadable: bool = False) -> None:
        p = self.paragraph(parent, "ImagePlaceholder")
        self.runs(p, f"［{self.labels.missing(src, unreadable)}］", False, False, False)

    def image(self, parent: etree._Element, image: Image) -> None:
        src = image.src
        if image.path is None:  # the reader has reported it; keep the position visible
            self.placeholder(parent, src)
            return
        decoded = load_picture(image.path, _EMBEDDABLE, rgb=True)  # Word and LibreOffice show CMYK JPEGs inconsistently
        if isinstance(decoded, str):
            self.diagnostics.append(unreadable(image.src, decoded))
            self.placeholder(parent, src, unreadable=True)
            return
        if decoded.converted:
            self.diagnostics.append(info("converted-image", f"picture {src} was converted from {decoded.source_format} to PNG"))
        data = with_jfif_header(decoded.data) if decoded.format == "JPEG" else decoded.data
        try:
            rid, picture = self.part.get_or_add_image(io.BytesIO(data))
        except Exception as exc:  # python-docx raises several kinds on odd files
            reason = str(exc).strip() or type(exc).__name__  # python-docx's image errors have no message
            self.diagnostics.append(unreadable(image.src, f"Word cannot hold it: {reason}"))
            self.placeholder(parent, src, unreadable=True)
            return
        # Natural size at the picture's own resolution, shrunk to fit the text block.
        width, height = int(picture.width) or 1, int(picture.height) or 1
        scale = min(1.0, self.page.text_width_emu / width, self.page.text_height_emu * 0.9 / height)
        cx, cy = max(1, int(width * scale)), max(1, int(height * scale))
        self.shape_id += 1
        name = PurePosixPath(src).name or f"image{self.shape_id}"
        inline = CT_Inline.new_pic_inline(self.shape_id, rid, name, Emu(cx), Emu(cy))
        inline.docPr.set("descr", image.alt or src)
        p = self.paragraph(parent, "Figure")
        etree.SubElement(etree.SubElement(p, W_R), W_DRAWING).append(inline)
