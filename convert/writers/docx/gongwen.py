"""``--style gongwen``: the DOCX layout of GB/T 9704-2012, 党政机关公文格式.

What the standard fixes and this layout sets:

* A4, text block 156 × 225 mm: top margin 37 mm, left 28 mm (so right 26 mm, bottom 35 mm);
* body in 仿宋_GB2312 at 三号 (16 pt), 22 lines of 28 characters a page: a document grid
  (``w:docGrid w:type="linesAndChars"``) with Word's own pitches for 22 × 28 in the
  225 × 156 mm block, punctuation not compressed. 28 characters of 16 pt are 158 mm, wider
  than the block: Word fits each character to its 15.8 pt cell, while LibreOffice gives a
  character wider than a cell two cells (14 a line, measured), so body characters are
  drawn at 98 % width (15.68 pt), which both fit one to a cell. (Condensing the spacing
  instead makes LibreOffice drop punctuation hanging at a line end: measured.);
* the title in 方正小标宋简体 at 二号 (22 pt), centred, off the grid, broken into lines
  at phrase boundaries when it is longer than a line;
* headings by level: 黑体, then 楷体_GB2312, then 仿宋_GB2312, all 三号 (7.3.3);
* page numbers ``— N —`` in 4号 (14 pt) 半角 digits from a PAGE field, odd pages at the
  right, even pages at the left, one character in from the edge of the text block
  (different odd and even footers);
* where the article ends with a date line (``2019年12月1日``) and, before it, an issuer
  line, both set right-aligned two characters in from the margin, a blank line above (7.3.5).

Fonts are named, not embedded: a machine without 仿宋_GB2312 substitutes the fallbacks the
font table names (仿宋, FangSong; for the title 小标宋, 华文中宋, 宋体). The grid keeps the
22 × 28 count whatever face is substituted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import lru_cache

import docx.document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from ...gongwen import (
    BODY_FONT,
    BODY_PT,
    CHARS,
    HEADING_FONTS,
    LINES,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_MM,
    PAGE_NUMBER_FONT,
    PAGE_NUMBER_GAP_MM,
    PAGE_NUMBER_PT,
    STYLE,
    TITLE_FONT,
    TITLE_PT,
    split_closing,
    split_title,
)
from ...model import Block
from .body import BodyBuilder
from .template import Fonts, PageSetup, build_template, indent_xml, mm, run_fonts, styles_xml

BODY_SIZE = BODY_PT * 2  # half-points
TITLE_SIZE = TITLE_PT * 2
PAGE_NUMBER_SIZE = PAGE_NUMBER_PT * 2

PAGE = PageSetup(mm(PAGE_MM[0]), mm(PAGE_MM[1]), mm(MARGIN_TOP_MM), mm(MARGIN_BOTTOM_MM), mm(MARGIN_LEFT_MM),
                 mm(MARGIN_RIGHT_MM), BODY_SIZE, TITLE_SIZE)
TEXT_WIDTH = PAGE.width - PAGE.margin_left - PAGE.margin_right  # twips: 156 mm
TEXT_HEIGHT = PAGE.height - PAGE.margin_top - PAGE.margin_bottom  # 225 mm
#: Grid line pitch in twips: 22 lines fill the 225 mm block (23 do not).
LINE_PITCH = TEXT_HEIGHT // LINES
#: The character pitch Word sets for 28 characters a line, as ``charSpace``: the default
#: font size (16 pt) plus charSpace / 4096 pt = block width / 28 (Word writes -842 here).
CHAR_SPACE = math.floor((TEXT_WIDTH / CHARS / 20 - BODY_SIZE / 2) * 4096)
#: One grid cell as LibreOffice sets it (in twips): the default font size plus charSpace
#: taken in whole twips (16 pt - 5 twips = 15.75 pt); Word's is 15.79 pt.
CELL = BODY_SIZE * 10 + math.floor(CHAR_SPACE * 20 / 4096)
#: Body glyph width in percent (``w:w``): 16 pt × 98 % = 15.68 pt fits LibreOffice's cell.
SCALE = 98

DEFAULT_FONTS = Fonts(cjk=BODY_FONT, latin="Times New Roman", heading_cjk="黑体", heading_latin="Times New Roman")

# The font table: each face named with the next fallback as its alternative name.
_FONT_ENTRIES = {
    BODY_FONT: ("仿宋", "02010609030101010101", "modern", "fixed"),
    "仿宋": ("FangSong", "02010609060101010101", "modern", "fixed"),
    TITLE_FONT: ("小标宋", "02000000000000000000", "auto", "variable"),
    "小标宋": ("华文中宋", "02000000000000000000", "auto", "variable"),
    "华文中宋": ("宋体", "02010600040101010101", "auto", "variable"),
    "宋体": ("SimSun", "02010600030101010101", "auto", "variable"),
    "黑体": ("SimHei", "02010609060101010101", "modern", "fixed"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern", "fixed"),
    "楷体": ("KaiTi", "02010609060101010101", "modern", "fixed"),
}


def _font_table(fonts: Fonts) -> str:
    names = list(dict.fromkeys([fonts.cjk, *_FONT_ENTRIES, fonts.latin, fonts.heading_latin, "Symbol"]))
    entries = []
    for name in names:
        alt, panose, family, pitch = _FONT_ENTRIES.get(name, ("", "", "auto", "variable"))
        charset = "00" if name in (fonts.latin, fonts.heading_latin, "Symbol") and name not in _FONT_ENTRIES else "86"
        entries.append(
            f'<w:font w:name="{name}">' + (f'<w:altName w:val="{alt}"/>' if alt else "")
            + (f'<w:panose1 w:val="{panose}"/>' if panose else "")
            + f'<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        )
    return f"<w:fonts {nsdecls('w')}>{''.join(entries)}</w:fonts>"


# ---------------------------------------------------------------- styles


def _set_children(parent: etree._Element, xml: str) -> None:
    """Replace ``parent``'s children that ``xml`` (a run of elements) also names."""
    new = parse_xml(f"<w:x {nsdecls('w')}>{xml}</w:x>")
    for child in new:
        for old in parent.findall(child.tag):
            parent.remove(old)
    for child in new:
        parent.append(child)
    _order(parent)


# Schema order of pPr and rPr children that the styles here use.
_PPR_ORDER = ["keepNext", "keepLines", "pageBreakBefore", "widowControl", "numPr", "snapToGrid", "spacing", "ind", "jc",
              "outlineLvl"]
_RPR_ORDER = ["rFonts", "b", "bCs", "i", "iCs", "color", "spacing", "w", "kern", "sz", "szCs", "u", "lang"]


def _order(parent: etree._Element) -> None:
    order = _PPR_ORDER if parent.tag == qn("w:pPr") else _RPR_ORDER
    rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
    children = sorted(parent, key=lambda c: rank.get(c.tag, len(order)))
    for child in children:
        parent.append(child)


def _props(style: etree._Element, tag: str) -> etree._Element:
    found = style.find(qn(tag))
    if found is None:
        found = etree.SubElement(style, qn(tag))
    return found


def gongwen_styles_xml(fonts: Fonts, language: str) -> str:
    """The normal styles (lists, tables, links…) recast for GB/T 9704: every paragraph on the
    grid at single spacing with no space between paragraphs; title, headings and closing lines
    as the standard sets them."""
    root = etree.fromstring(styles_xml(fonts, PAGE, language).encode("utf-8"))
    single = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    # Two cells of the grid, in twips only: LibreOffice turns firstLineChars="200" into two
    # 16 pt characters, which snap to three 15.75 pt cells (25 characters on a first line).
    body_indent = f'<w:ind w:firstLine="{2 * CELL}"/>'
    for style in root.iter(qn("w:style")):
        sid = style.get(qn("w:styleId"))
        if style.get(qn("w:type")) != "paragraph":
            continue
        ppr = _props(style, "w:pPr")
        if sid == "Normal":
            _set_children(_props(style, "w:rPr"), f'<w:w w:val="{SCALE}"/>')  # see SCALE
            # No widow and orphan control: every page but the last holds its 22 lines.
            _set_children(ppr, '<w:widowControl w:val="0"/>' + single)
        elif sid == "Title":
            _set_children(ppr, f'<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="{LINE_PITCH}" '
                               f'w:line="{round(TITLE_SIZE * 10 * 1.3)}" w:lineRule="exact"/>')
            rpr = _props(style, "w:rPr")
            for child in list(rpr):
                rpr.remove(child)
            _set_children(rpr, f'{run_fonts(fonts.heading_latin, TITLE_FONT)}<w:w w:val="100"/>'
                               f'<w:sz w:val="{TITLE_SIZE}"/><w:szCs w:val="{TITLE_SIZE}"/>')
        elif sid and sid.startswith("Heading"):
            level = int(sid[len("Heading"):])
            _set_children(ppr, f"{single}{body_indent}" + '<w:jc w:val="both"/>')
            rpr = _props(style, "w:rPr")
            for child in list(rpr):
                rpr.remove(child)
            face = HEADING_FONTS.get(level, fonts.cjk)
            _set_children(rpr, f'{run_fonts(fonts.heading_latin, face)}<w:sz w:val="{BODY_SIZE}"/><w:szCs w:val="{BODY_SIZE}"/>')
        elif sid == "BodyText":
            _set_children(ppr, single + body_indent)
        elif sid not in ("Footer", "Figure", "TableText"):
            _set_children(ppr, single)
    # The closing: issuer line (a blank line above, kept with the date) and date line.
    for sid, before, keep in (("Signature", LINE_PITCH, "<w:keepNext/>"), ("DateLine", 0, "")):
        root.append(parse_xml(
            f'<w:style {nsdecls("w")} w:type="paragraph" w:styleId="{sid}"><w:name w:val="{sid}"/>'
            f'<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>{keep}'
            f'<w:spacing w:before="{before}" w:after="0" w:line="240" w:lineRule="auto"/>'
            f'{indent_xml(0, right_chars=200, size=BODY_SIZE)}<w:jc w:val="right"/></w:pPr></w:style>'))
    text: str = etree.tostring(root, encoding="unicode")
    return text


# ---------------------------------------------------------------- page: grid, settings, footers

_PAGE_NUMBER = (
    '<w:p {ns}><w:pPr><w:pStyle w:val="Footer"/><w:snapToGrid w:val="0"/>{indent}<w:jc w:val="{side}"/></w:pPr>'
    '{run_open}— </w:t></w:r>'
    '<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r>{rpr}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r>{rpr}<w:t>{number}</w:t></w:r>'
    '<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>'
    '{run_open} —</w:t></w:r></w:p>'
)


def page_number_xml(odd: bool) -> str:
    """``— N —``: 宋体 4号, at the right of odd pages and the left of even ones, one character in."""
    rpr = (f'<w:rPr><w:rFonts w:ascii="{PAGE_NUMBER_FONT}" w:hAnsi="{PAGE_NUMBER_FONT}" '
           f'w:eastAsia="{PAGE_NUMBER_FONT}" w:hint="eastAsia"/><w:w w:val="100"/>'
           f'<w:sz w:val="{PAGE_NUMBER_SIZE}"/><w:szCs w:val="{PAGE_NUMBER_SIZE}"/></w:rPr>')
    one_char = PAGE_NUMBER_SIZE * 10
    indent = f'<w:ind w:right="{one_char}" w:firstLine="0"/>' if odd else f'<w:ind w:left="{one_char}" w:firstLine="0"/>'
    return _PAGE_NUMBER.format(ns=nsdecls("w"), indent=indent, side="right" if odd else "left", rpr=rpr,
                               run_open=f'<w:r>{rpr}<w:t xml:space="preserve">', number="1" if odd else "2")


def _finish(document: docx.document.Document) -> None:
    """The grid, the settings and the two footers (built into the template once)."""
    settings = document.settings.element
    control = settings.find(qn("w:characterSpacingControl"))
    if control is not None:  # every character, punctuation included, takes one grid cell
        control.set(qn("w:val"), "doNotCompress")
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    sect = section._sectPr
    pg_mar = sect.get_or_add_pgMar()
    # The page number's top sits 7 mm below the text block: its line's bottom about 23 mm up.
    pg_mar.set(qn("w:footer"), str(mm(MARGIN_BOTTOM_MM - PAGE_NUMBER_GAP_MM - PAGE_NUMBER_PT * 25.4 / 72)))
    grid = sect.find(qn("w:docGrid"))
    if grid is None:
        grid = etree.SubElement(sect, qn("w:docGrid"))
    grid.attrib.clear()
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), str(LINE_PITCH))
    grid.set(qn("w:charSpace"), str(CHAR_SPACE))
    for footer, odd in ((section.footer._element, True), (section.even_page_footer._element, False)):
        for child in list(footer):
            footer.remove(child)
        footer.append(parse_xml(page_number_xml(odd)))


def article_body(builder: BodyBuilder, body: etree._Element, blocks: Sequence[Block]) -> None:
    """An article's blocks, a trailing issuer and date line set apart in their styles (7.3.5);
    single documents and every article of a book."""
    main, signature, date = split_closing(blocks)
    builder.blocks(body, main)
    for closing, style_id in ((signature, "Signature"), (date, "DateLine")):
        if closing is not None:
            builder.inlines(builder.paragraph(body, style_id), closing.content)


@lru_cache(maxsize=8)
def template_bytes(fonts: Fonts, language: str) -> bytes:
    """The GB/T 9704 template for these fonts and language, built once per process."""
    return build_template("A4", fonts, language, page=PAGE,
                          styles_part=gongwen_styles_xml(fonts, language), font_table_part=_font_table(fonts),
                          finish=_finish)


__all__ = ["CHAR_SPACE", "DEFAULT_FONTS", "LINE_PITCH", "PAGE", "SCALE", "STYLE", "article_body", "split_closing",
           "split_title", "template_bytes"]
