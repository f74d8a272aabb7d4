"""Book mode for the DOCX writer: a folder tree of articles as one Word document.

The volume opens with a title page (book title, author, date) and a table of contents:
a ``TOC`` field that Word refreshes on open (``w:updateFields``), whose stored result
already lists every section and article as a hyperlink to its heading, so LibreOffice,
pandoc and Word before the update show a usable contents page too. Category and date
folders become headings at the upper levels (depth + 1) and each article's title a
heading one level below its folder, so Word's navigation pane shows the tree; the
article's own headings go below the deepest of those levels, which keeps them out of
the contents page (``\\o "1-N"``) while still nesting under their article. Every
article starts on a new page (``w:pageBreakBefore`` on the first heading of its page).

Articles are rendered into the body as the book is walked and their documents dropped,
so memory holds the XML tree and pictures the DOCX itself needs, never the parsed
articles. Pictures, links and list numbers are counted in constant time per addition
by the body builder (see :class:`.body.BodyBuilder`), so thousands of articles cost no
more each than the first.

With ``--style gongwen`` the volume starts from the GB/T 9704 template (:mod:`.gongwen`:
A4, the 22 × 28 grid, the ``— N —`` footers); each article's title is a ``Title``
paragraph (broken at phrase ends) carrying its heading's outline level, and its closing
lines take the Signature and DateLine styles, as in a single gongwen document.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any

import docx.document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from ... import labels
from ...model import Book, Chapter, Diagnostic, Section, full_date, walk_contents
from ...typography import LANGUAGE, language_tag
from ..base import Rendered
from . import gongwen
from .body import W_P, W_PPR, W_PSTYLE, W_R, W_VAL, BodyBuilder
from .package import new_document, save
from .properties import document_date, finish_properties
from .template import PAGES, Fonts, PageSetup, indent_xml, run_fonts, style_xml

#: Word has nine outline levels; deeper folders share the ninth.
MAX_LEVEL = 9

_HEADING_STYLE = re.compile(r"^Heading([1-9])$")
W_PAGE_BREAK_BEFORE, W_BOOKMARK_START, W_BOOKMARK_END = qn("w:pageBreakBefore"), qn("w:bookmarkStart"), qn("w:bookmarkEnd")
W_ID, W_NAME, W_ANCHOR, W_HISTORY = qn("w:id"), qn("w:name"), qn("w:anchor"), qn("w:history")
W_HYPERLINK, W_FLDCHAR, W_FLDCHARTYPE, W_INSTRTEXT = qn("w:hyperlink"), qn("w:fldChar"), qn("w:fldCharType"), qn("w:instrText")
W_OUTLINE_LVL = qn("w:outlineLvl")
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
# Children of w:settings that come after w:updateFields in the schema's order.
_AFTER_UPDATE_FIELDS = ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
                        "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping")


# ---------------------------------------------------------------- styles and settings


def _book_styles(document: docx.document.Document, fonts: Fonts, page: PageSetup, official: bool = False) -> None:
    """Add what a book uses beyond a single article: headings 7-9, the contents page, a subtitle.
    On GB/T 9704 pages (``official``) the contents lines are single-spaced: one grid line each."""
    styles = document.styles.element
    existing = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
    added: list[etree._Element] = []
    deepest = next((existing[f"Heading{n}"] for n in range(6, 0, -1) if f"Heading{n}" in existing), None)
    for level in range(1, MAX_LEVEL + 1):
        if f"Heading{level}" in existing or deepest is None:
            continue
        style = copy.deepcopy(deepest)  # the smallest heading, one outline level further down
        style.set(qn("w:styleId"), f"Heading{level}")
        style.find(qn("w:name")).set(W_VAL, f"heading {level}")
        outline = style.find(f"{qn('w:pPr')}/{qn('w:outlineLvl')}")
        if outline is not None:
            outline.set(W_VAL, str(level - 1))
        added.append(style)
    body, heading_fonts = page.body_size, run_fonts(fonts.heading_latin, fonts.heading_cjk)
    xml = [
        style_xml("paragraph", "Subtitle", "Subtitle", next_id="BodyText", extra="<w:qFormat/>",
               ppr=f'<w:spacing w:before="120" w:after="120" w:line="360" w:lineRule="auto"/>{indent_xml(0, size=body)}'
                   '<w:jc w:val="center"/>',
               rpr=f'{heading_fonts}<w:sz w:val="{body + 4}"/><w:szCs w:val="{body + 4}"/>'),
        # outline level 9 (body text): the contents page is not itself in the navigation pane.
        style_xml("paragraph", "TOCHeading", "TOC Heading", next_id="BodyText",
               extra='<w:uiPriority w:val="39"/><w:unhideWhenUsed/><w:qFormat/>',
               ppr=f'<w:keepNext/><w:spacing w:before="240" w:after="240" w:line="360" w:lineRule="auto"/>'
                   f'{indent_xml(0, size=body)}<w:jc w:val="center"/><w:outlineLvl w:val="9"/>',
               rpr=f'{heading_fonts}<w:b/><w:bCs/><w:sz w:val="32"/><w:szCs w:val="32"/>'),
    ]
    right = page.width - page.margin_left - page.margin_right
    toc_spacing = ('<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>' if official
                   else '<w:spacing w:before="0" w:after="60" w:line="300" w:lineRule="auto"/>')
    for level in range(1, MAX_LEVEL + 1):
        xml.append(style_xml(
            "paragraph", f"TOC{level}", f"toc {level}", next_id="BodyText",
            extra='<w:uiPriority w:val="39"/><w:unhideWhenUsed/>',
            # Page numbers (after Word's update) at the right margin behind a dotted leader.
            ppr=f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{right}"/></w:tabs>'
                f'{toc_spacing}'
                f'{indent_xml(0, left_chars=200 * (level - 1), size=body)}<w:jc w:val="left"/>',
            rpr="<w:b/><w:bCs/>" if level == 1 else ""))
    for fragment in xml:
        style = parse_xml(f"<w:styles {nsdecls('w')}>{fragment}</w:styles>")[0]
        if style.get(qn("w:styleId")) not in existing:
            added.append(style)
    for style in added:
        styles.append(style)


def _update_fields_on_open(settings: etree._Element) -> None:
    """``w:updateFields``: Word offers to refresh the contents field (page numbers) when it opens the file."""
    element = settings.find(qn("w:updateFields"))
    if element is None:
        element = etree.Element(qn("w:updateFields"))
        successor = next((settings.find(qn(tag)) for tag in _AFTER_UPDATE_FIELDS if settings.find(qn(tag)) is not None),
                         None)
        if successor is not None:
            successor.addprevious(element)
        else:
            settings.append(element)
    element.set(W_VAL, "true")


# ---------------------------------------------------------------- the body


def structure_levels(contents: Iterable[Section | Chapter]) -> int:
    """The deepest heading level sections and chapters take (1 for a flat book), at most MAX_LEVEL."""
    deepest = max((depth + 1 for depth, _ in walk_contents(contents)), default=0)
    return min(max(deepest, 1), MAX_LEVEL)


def chinese_date(date: str | None) -> str:
    """``2019-09-30`` as ``2019年9月30日``; anything else as it is."""
    day = full_date(date)
    return f"{day.year}年{day.month}月{day.day}日" if day else (date or "")


class BookBody:
    """Fills one book's body: headings with bookmarks, articles, and the contents entries."""

    def __init__(self, document: docx.document.Document, page: PageSetup, levels: int, official: bool = False,
                 words: labels.Labels = labels.SIMPLIFIED) -> None:
        self.words = words  # the book's edition's (contents heading, untitled, the field's placeholder)
        self.builder = BodyBuilder(document, page, words)
        self.body = document.element.body
        self.levels = levels
        self.official = official  # GB/T 9704: articles set as a --style gongwen document is
        self.entries: list[tuple[int, str, str]] = []  # (level, text, bookmark) for the contents page
        self.break_next = True  # the next heading starts a page

    def paragraph(self, style: str, text: str, page_break: bool = False) -> etree._Element:
        p = self.builder.paragraph(self.body, style)
        if page_break:
            etree.SubElement(p[0], W_PAGE_BREAK_BEFORE)  # after w:pStyle, as the schema orders it
        self.builder.runs(p, text, False, False, False)
        return p

    def heading(self, level: int, text: str, title: bool = False) -> None:
        """A section or article heading: page break as due, a bookmark for the contents entry.
        ``title``: an article's title in the GB/T 9704 title style, broken at phrase ends, and
        at outline level ``level`` (the Title style has none) for the navigation pane."""
        if title:
            p = self.paragraph("Title", "\n".join(gongwen.split_title(text)), self.break_next)
            etree.SubElement(p[0], W_OUTLINE_LVL).set(W_VAL, str(level - 1))  # last among pPr's children here
        else:
            p = self.paragraph(f"Heading{level}", text, self.break_next)
        number = len(self.entries) + 1
        name = f"_Toc{number:08d}"
        start = p.makeelement(W_BOOKMARK_START)
        start.set(W_ID, str(number))
        start.set(W_NAME, name)
        p[0].addnext(start)
        end = etree.SubElement(p, W_BOOKMARK_END)
        end.set(W_ID, str(number))
        self.entries.append((level, text, name))

    def section(self, depth: int, section: Section) -> None:
        self.heading(min(depth + 1, MAX_LEVEL), section.title.strip() or self.words.untitled)
        self.break_next = False  # its first article follows on the same page

    def article(self, depth: int, chapter: Chapter, document: Any) -> list[Diagnostic]:
        title = (document.meta.title or chapter.title).strip() or self.words.untitled
        self.heading(min(depth + 1, MAX_LEVEL), title, self.official)
        self.break_next = True
        last = self.body[-1]  # the heading; len() and slices of an lxml element count its children
        seen = len(self.builder.diagnostics)
        if self.official:
            gongwen.article_body(self.builder, self.body, document.blocks)
        else:
            self.builder.blocks(self.body, document.blocks)
        # The article's own headings go below every folder and article level.
        for p in last.itersiblings():
            ppr = p[0] if p.tag == W_P and len(p) else None
            if ppr is None or ppr.tag != W_PPR:
                continue
            style = ppr.find(W_PSTYLE)
            if style is None:
                continue
            m = _HEADING_STYLE.match(style.get(W_VAL, ""))
            if m:
                style.set(W_VAL, f"Heading{min(self.levels + int(m[1]), MAX_LEVEL)}")
        diagnostics = [d.prefixed(chapter.key) for d in self.builder.diagnostics[seen:]]
        return diagnostics

    def contents(self, at: int) -> None:
        """The contents page, inserted at body position ``at`` once every heading is known."""
        ps: list[etree._Element] = []

        def run(parent: etree._Element) -> etree._Element:
            return etree.SubElement(parent, W_R)

        def field_char(parent: etree._Element, kind: str) -> None:
            etree.SubElement(run(parent), W_FLDCHAR).set(W_FLDCHARTYPE, kind)

        # makeelement: python-docx's element classes, like every other paragraph of the body
        heading = self.body.makeelement(W_P)
        ppr = etree.SubElement(heading, W_PPR)
        etree.SubElement(ppr, W_PSTYLE).set(W_VAL, "TOCHeading")
        etree.SubElement(ppr, W_PAGE_BREAK_BEFORE)
        self.builder.runs(heading, self.words.contents, False, False, False)
        ps.append(heading)
        entries = self.entries or [(1, self.words.update_contents, "")]
        for i, (level, text, bookmark) in enumerate(entries):
            p = self.body.makeelement(W_P)
            ppr = etree.SubElement(p, W_PPR)
            etree.SubElement(ppr, W_PSTYLE).set(W_VAL, f"TOC{level}")
            if i == 0:
                field_char(p, "begin")
                instr = etree.SubElement(run(p), W_INSTRTEXT)
                instr.text = f' TOC \\o "1-{self.levels}" \\h \\z \\u '
                instr.set(XML_SPACE, "preserve")
                field_char(p, "separate")
            target = p
            if bookmark:
                target = etree.SubElement(p, W_HYPERLINK)
                target.set(W_ANCHOR, bookmark)
                target.set(W_HISTORY, "1")
            self.builder.runs(target, text, False, False, False)
            ps.append(p)
        end = self.body.makeelement(W_P)
        field_char(end, "end")
        ps.append(end)
        for offset, p in enumerate(ps):
            self.body.insert(at + offset, p)


def render_book_docx(book: Book, page_size: str, fonts: Fonts, style: str = "normal") -> Rendered:
    """Many articles as one DOCX; see the module's docstring for the layout. ``style``
    ``gongwen``: GB/T 9704's A4 page, grid, fonts and ``— N —`` footers for the whole volume
    (the gongwen template), each article's title in its title style and its closing lines set
    apart; the title page and contents keep their own styles on that grid."""
    official = style == gongwen.STYLE
    out_doc = new_document("A4" if official else page_size, fonts, language_tag(book.meta.language), style)
    page = gongwen.PAGE if official else PAGES[page_size]
    _book_styles(out_doc, fonts, page, official)
    _update_fields_on_open(out_doc.settings.element)
    levels = structure_levels(book.contents)
    filler = BookBody(out_doc, page, levels, official, labels.of(book.meta))
    body = filler.body
    sect_pr = body.sectPr
    body.remove(sect_pr)  # appended again after the content: it must come last

    meta = book.meta
    title = meta.title.strip() or filler.words.collection
    author = meta.author.strip()
    cover = filler.paragraph("Title", title)
    spacing = cover[0].makeelement(qn("w:spacing"), {qn("w:before"): str(page.text_height_emu // 635 // 4)})
    cover[0].append(spacing)  # the title a quarter down the page
    if author:
        filler.paragraph("Subtitle", author)
    if meta.date:
        filler.paragraph("Subtitle", chinese_date(meta.date.strip()))
    contents_at = len(body)

    diagnostics: list[Diagnostic] = []
    for item in book.walk():
        if item.section is not None:
            filler.section(item.depth, item.section)
        elif item.chapter is not None and item.document is not None:
            diagnostics += filler.article(item.depth, item.chapter, item.document)
        # the document is not kept: the next item replaces it
    filler.contents(contents_at)
    body.append(sect_pr)

    when = document_date(meta.date)
    values = {"title": title, "author": author, "identifier": meta.identifier,
              "language": meta.language or LANGUAGE}
    diagnostics += finish_properties(out_doc, values, when)
    return Rendered(save(out_doc, when), (), tuple(diagnostics))


__all__ = ["MAX_LEVEL", "BookBody", "chinese_date", "render_book_docx",
           "structure_levels"]
