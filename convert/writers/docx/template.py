"""The configured DOCX template: built once per process and configuration, reused as bytes.

python-docx's bundled template is a Word 2010 document made on a Mac: 350 KB of styles
(plus a 440 KB ``stylesWithEffects`` copy), a thumbnail, Japanese theme fonts
(``themeFontLang eastAsia="ja-JP"``, ``ＭＳ 明朝`` in the font table) and core
properties that say "python-docx". Loading and saving all that is most of the cost of
a small document, and the Japanese settings make Word draw Chinese in a Japanese face.

So the writer builds its own template once: the bundled one, stripped of what it does
not need, with a small set of styles written for Chinese text (East Asian fonts, the
``zh-CN`` language, a two-character first-line indent), Chinese settings and font
table, the page size and margins, and a page number in the footer. Each document then
starts from these bytes.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from xml.sax.saxutils import quoteattr

import docx
import docx.document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree

from ...typography import (
    DEFAULT_CJK_FONT,
    DEFAULT_HEADING_CJK_FONT,
    DEFAULT_HEADING_LATIN_FONT,
    DEFAULT_LATIN_FONT,
    INDENT_EM,
    LANGUAGE,
    NO_LINE_END,
    NO_LINE_START,
    TRADITIONAL_LANGUAGES,
)

TWIPS_PER_MM = 1440 / 25.4
_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
EMU_PER_TWIP = 635


@dataclass(frozen=True)
class PageSetup:
    """Page size and margins in twips; body and title sizes in half-points."""

    width: int
    height: int
    margin_top: int
    margin_bottom: int
    margin_left: int
    margin_right: int
    body_size: int
    title_size: int

    @property
    def text_width_emu(self) -> int:
        return (self.width - self.margin_left - self.margin_right) * EMU_PER_TWIP

    @property
    def text_height_emu(self) -> int:
        return (self.height - self.margin_top - self.margin_bottom) * EMU_PER_TWIP


def mm(value: float) -> int:
    return round(value * TWIPS_PER_MM)


# Margins follow Word's Chinese defaults for A4 (2.54 cm top and bottom, 3.18 cm at the
# sides), scaled down for the smaller pages. Body 小四 (12 pt), title 二号 (22 pt);
# A5 uses 五号 (10.5 pt) and 小二 (18 pt). B5 is ISO B5, as in reportlab's PDF pages.
PAGES: dict[str, PageSetup] = {
    "A4": PageSetup(mm(210), mm(297), 1440, 1440, 1800, 1800, 24, 44),
    "A5": PageSetup(mm(148), mm(210), mm(20), mm(20), mm(18), mm(18), 21, 36),
    "B5": PageSetup(mm(176), mm(250), mm(23), mm(23), mm(25), mm(25), 24, 40),
    "Letter": PageSetup(12240, 15840, 1440, 1440, 1800, 1800, 24, 44),
}

# Metric data Word and WPS use to substitute a font that is not installed: charset 134
# (0x86, GB2312) marks a Chinese face.
_KNOWN_FONTS = {
    "SimSun": ('<w:altName w:val="宋体"/><w:panose1 w:val="02010600030101010101"/><w:charset w:val="86"/>'
               '<w:family w:val="auto"/><w:pitch w:val="variable"/>'),
    "SimHei": ('<w:altName w:val="黑体"/><w:panose1 w:val="02010609060101010101"/><w:charset w:val="86"/>'
               '<w:family w:val="modern"/><w:pitch w:val="fixed"/>'),
    "Times New Roman": ('<w:panose1 w:val="02020603050405020304"/><w:charset w:val="00"/>'
                        '<w:family w:val="roman"/><w:pitch w:val="variable"/>'),
    "Arial": ('<w:panose1 w:val="020B0604020202020204"/><w:charset w:val="00"/>'
              '<w:family w:val="swiss"/><w:pitch w:val="variable"/>'),
    # Traditional editions (charset 136, 0x88: Big5): Windows' Ming, Hong Kong Ming, Hei and Kai faces.
    "PMingLiU": ('<w:altName w:val="新細明體"/><w:panose1 w:val="02020500000000000000"/><w:charset w:val="88"/>'
                 '<w:family w:val="roman"/><w:pitch w:val="variable"/>'),
    "MingLiU_HKSCS": ('<w:altName w:val="細明體_HKSCS"/><w:panose1 w:val="02020500000000000000"/><w:charset w:val="88"/>'
                      '<w:family w:val="roman"/><w:pitch w:val="fixed"/>'),
    "Microsoft JhengHei": ('<w:altName w:val="微軟正黑體"/><w:panose1 w:val="020B0604030504040204"/><w:charset w:val="88"/>'
                           '<w:family w:val="swiss"/><w:pitch w:val="variable"/>'),
    "DFKai-SB": ('<w:altName w:val="標楷體"/><w:panose1 w:val="03000509000000000000"/><w:charset w:val="88"/>'
                 '<w:family w:val="script"/><w:pitch w:val="fixed"/>'),
    "Symbol": ('<w:panose1 w:val="05050102010706020507"/><w:charset w:val="02"/>'
               '<w:family w:val="roman"/><w:pitch w:val="variable"/>'),
}


@dataclass(frozen=True)
class Fonts:
    cjk: str = DEFAULT_CJK_FONT
    latin: str = DEFAULT_LATIN_FONT
    heading_cjk: str = DEFAULT_HEADING_CJK_FONT
    heading_latin: str = DEFAULT_HEADING_LATIN_FONT
    quote_cjk: str | None = None  # quotations (a Kai face in Traditional editions); None: the body's


def run_fonts(latin: str, cjk: str) -> str:
    lat, ea = quoteattr(latin), quoteattr(cjk)
    # hint="eastAsia": quotation marks, dashes and the ellipsis, which Latin and Chinese
    # share, are drawn full-width in the Chinese face, as Chinese text expects.
    return f"<w:rFonts w:ascii={lat} w:hAnsi={lat} w:eastAsia={ea} w:cs={lat} w:hint=\"eastAsia\"/>"


def indent_xml(first_line_chars: int = 0, left_chars: int = 0, right_chars: int = 0, size: int = 24) -> str:
    # Character units (firstLineChars="200" = two characters) follow the font size in Word
    # and WPS; the twips beside them are the fallback for readers that ignore *Chars.
    char = size * 10  # one character of a size-`size` half-point font, in twips
    attrs = []
    if left_chars:
        attrs.append(f'w:left="{left_chars * char // 100}" w:leftChars="{left_chars}"')
    if right_chars:
        attrs.append(f'w:right="{right_chars * char // 100}" w:rightChars="{right_chars}"')
    attrs.append(f'w:firstLine="{first_line_chars * char // 100}" w:firstLineChars="{first_line_chars}"')
    return "<w:ind " + " ".join(attrs) + "/>"


def style_xml(kind: str, style_id: str, name: str, ppr: str = "", rpr: str = "", based_on: str | None = "Normal",
           next_id: str | None = None, extra: str = "", default: bool = False) -> str:
    head = f'<w:style w:type="{kind}"' + (' w:default="1"' if default else "") + f' w:styleId="{style_id}">'
    body = f'<w:name w:val="{name}"/>'
    if based_on:
        body += f'<w:basedOn w:val="{based_on}"/>'
    if next_id:
        body += f'<w:next w:val="{next_id}"/>'
    body += extra
    if ppr:
        body += f"<w:pPr>{ppr}</w:pPr>"
    if rpr:
        body += f"<w:rPr>{rpr}</w:rPr>"
    return head + body + "</w:style>"


def lang_xml(language: str) -> str:
    """The run language of every style: Chinese text tagged with the document's language."""
    return f'<w:lang w:val="en-US" w:eastAsia={quoteattr(language)} w:bidi="ar-SA"/>'


def styles_xml(fonts: Fonts, page: PageSetup, language: str = LANGUAGE) -> str:
    """The whole ``w:styles`` part: every style the writer uses, nothing else."""
    body = page.body_size
    lang = lang_xml(language)
    heading_fonts = run_fonts(fonts.heading_latin, fonts.heading_cjk)
    no_indent = indent_xml(0, size=body)
    one_and_half = '<w:spacing w:before="0" w:after="0" w:line="360" w:lineRule="auto"/>'
    single = '<w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
    body_spacing = '<w:spacing w:before="0" w:after="120" w:line="360" w:lineRule="auto"/>'
    figure_spacing = '<w:spacing w:before="120" w:after="120" w:line="240" w:lineRule="auto"/>'
    qf = "<w:qFormat/>"
    styles = [
        # Normal repeats the document defaults: Word's and WPS's style dialogs show them there.
        style_xml("paragraph", "Normal", "Normal", default=True, based_on=None, extra=qf,
               ppr=f'{one_and_half}<w:jc w:val="both"/>',
               rpr=f'{run_fonts(fonts.latin, fonts.cjk)}<w:sz w:val="{body}"/><w:szCs w:val="{body}"/>{lang}'),
        style_xml("character", "DefaultParagraphFont", "Default Paragraph Font", default=True, based_on=None,
               extra='<w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/>'),
        style_xml("table", "TableNormal", "Normal Table", default=True, based_on=None,
               extra='<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>'
               '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
               '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr>'),
        style_xml("numbering", "NoList", "No List", default=True, based_on=None,
               extra='<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'),
        # Body paragraphs: the two-character first-line indent, a half line after.
        style_xml("paragraph", "BodyText", "Body Text", next_id="BodyText", extra=qf,
               ppr=f'{body_spacing}{indent_xml(INDENT_EM * 100, size=body)}'),
        style_xml("paragraph", "Title", "Title", next_id="BodyText", extra=qf,
               ppr=f'<w:keepNext/><w:spacing w:before="240" w:after="360" w:line="240" w:lineRule="auto"/>{no_indent}'
               '<w:jc w:val="center"/><w:outlineLvl w:val="9"/>',
               rpr=f'{heading_fonts}<w:kern w:val="28"/><w:sz w:val="{page.title_size}"/><w:szCs w:val="{page.title_size}"/>'),
    ]
    # Headings: 黑体, 三号 / 小三 / 四号 / 小四, black, kept with the next paragraph;
    # the outline level puts them in the navigation pane and a TOC field.
    sizes = {1: 32, 2: 30, 3: 28, 4: body, 5: body, 6: body}
    for level, size in sizes.items():
        before, after = (240, 120) if level <= 2 else (120, 60)
        styles.append(style_xml(
            "paragraph", f"Heading{level}", f"heading {level}", next_id="BodyText",
            extra=f'<w:uiPriority w:val="9"/>{"<w:unhideWhenUsed/>" if level > 1 else ""}{qf}',
            ppr=f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="{after}" w:line="360" '
                f'w:lineRule="auto"/>{no_indent}<w:jc w:val="left"/><w:outlineLvl w:val="{level - 1}"/>',
            rpr=f'{heading_fonts}<w:b/><w:bCs/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>'))
    # Lists keep the bundled numbering definitions (numId 1-3 bullets, 5-7 numbers).
    for suffix, bullet_num, number_num in (("", 1, 5), ("2", 2, 6), ("3", 3, 7)):
        space = " " + suffix if suffix else ""
        for sid, name, num in ((f"ListBullet{suffix}", f"List Bullet{space}", bullet_num),
                               (f"ListNumber{suffix}", f"List Number{space}", number_num)):
            styles.append(style_xml("paragraph", sid, name, extra='<w:uiPriority w:val="99"/><w:unhideWhenUsed/>',
                                 ppr=f'<w:numPr><w:numId w:val="{num}"/></w:numPr><w:spacing w:before="0" w:after="60"/>'))
    for suffix in ("", "2", "3"):
        left = 360 * (int(suffix or 1))
        space = " " + suffix if suffix else ""
        styles.append(style_xml("paragraph", f"ListContinue{suffix}", f"List Continue{space}",
                             extra='<w:uiPriority w:val="99"/><w:unhideWhenUsed/>',
                             ppr=f'<w:spacing w:before="0" w:after="60"/><w:ind w:left="{left}"/>'))
    styles += [
        # Quotations: indented two characters on both sides; no italic, which Chinese faces lack.
        style_xml("paragraph", "Quote", "Quote", next_id="BodyText", extra=f'<w:uiPriority w:val="29"/>{qf}',
               ppr=f'<w:spacing w:before="60" w:after="120" w:line="360" w:lineRule="auto"/>'
                   f'{indent_xml(0, left_chars=200, right_chars=200, size=body)}',
               rpr=run_fonts(fonts.latin, fonts.quote_cjk) if fonts.quote_cjk else ""),
        style_xml("paragraph", "Figure", "Figure", next_id="BodyText", extra=qf,
               ppr=f'{figure_spacing}{no_indent}<w:jc w:val="center"/>'),
        style_xml("paragraph", "ImagePlaceholder", "Image Placeholder", based_on="Figure", next_id="BodyText",
               rpr='<w:color w:val="808080"/>'),
        style_xml("paragraph", "TableText", "Table Text", ppr=f'{single}{no_indent}<w:jc w:val="left"/>'),
        style_xml("paragraph", "Footer", "footer", extra='<w:uiPriority w:val="99"/><w:unhideWhenUsed/>',
               ppr=f'{single}{no_indent}<w:jc w:val="center"/>',
               rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>'),
        style_xml("character", "Hyperlink", "Hyperlink", based_on="DefaultParagraphFont",
               extra='<w:uiPriority w:val="99"/><w:unhideWhenUsed/>',
               rpr='<w:color w:val="0563C1"/><w:u w:val="single"/>'),
        style_xml("table", "TableGrid", "Table Grid", based_on="TableNormal", extra='<w:uiPriority w:val="59"/>'
               '<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
               '<w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
               '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
               '<w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
               '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
               '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr>'),
    ]
    defaults = (
        f"<w:docDefaults><w:rPrDefault><w:rPr>{run_fonts(fonts.latin, fonts.cjk)}"
        f'<w:kern w:val="2"/><w:sz w:val="{body}"/><w:szCs w:val="{body}"/>{lang}</w:rPr></w:rPrDefault>'
        "<w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault>"
        "</w:docDefaults>"
    )
    return f"<w:styles {nsdecls('w')}>{defaults}{''.join(styles)}</w:styles>"


def font_table_xml(fonts: Fonts, language: str = LANGUAGE) -> str:
    names = list(dict.fromkeys([fonts.cjk, fonts.latin, fonts.heading_cjk, fonts.heading_latin, fonts.quote_cjk or "Symbol",
                                "Symbol"]))
    cjk = {fonts.cjk, fonts.heading_cjk, fonts.quote_cjk}
    big5 = language in TRADITIONAL_LANGUAGES
    entries = []
    for name in names:
        detail = _KNOWN_FONTS.get(name)
        if detail is None:
            charset = ("88" if big5 else "86") if name in cjk else "00"
            detail = f'<w:charset w:val="{charset}"/><w:family w:val="auto"/><w:pitch w:val="variable"/>'
        entries.append(f"<w:font w:name={quoteattr(name)}>{detail}</w:font>")
    return f"<w:fonts {nsdecls('w')}>{''.join(entries)}</w:fonts>"


def _configure_settings(settings: etree._Element, language: str = LANGUAGE) -> None:
    w = qn
    # Word picks the East Asian theme font and line-breaking rules from this language.
    lang = settings.find(w("w:themeFontLang"))
    if lang is None:
        lang = etree.SubElement(settings, w("w:themeFontLang"))
    lang.set(w("w:val"), "en-US")
    lang.set(w("w:eastAsia"), language)
    # The thumbnail is gone, and Word must not make a new one from a blank first page.
    for tag in ("w:savePreviewPicture", "w:attachedTemplate"):
        for el in settings.findall(w(tag)):
            settings.remove(el)
    control = settings.find(w("w:characterSpacingControl"))
    if control is None:
        control = etree.SubElement(settings, w("w:characterSpacingControl"))
    # 压缩标点: Word's and WPS's default for Chinese documents.
    control.set(w("w:val"), "compressPunctuation")
    # The clreq line-breaking rules from convert.typography, as Word's custom kinsoku
    # lists; they come right after characterSpacingControl in the schema's order.
    after = etree.Element(w("w:noLineBreaksAfter"))
    after.set(w("w:lang"), language)
    after.set(w("w:val"), "".join(sorted(NO_LINE_END)))
    before = etree.Element(w("w:noLineBreaksBefore"))
    before.set(w("w:lang"), language)
    before.set(w("w:val"), "".join(sorted(NO_LINE_START)))
    control.addnext(after)
    after.addnext(before)
    # A line ended by a line break (w:br) in a justified paragraph is not stretched
    # across the line; the element comes first in w:compat.
    compat = settings.find(w("w:compat"))
    if compat is None:
        compat = etree.SubElement(settings, w("w:compat"))
    compat.insert(0, etree.Element(w("w:doNotExpandShiftReturn")))


_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def _theme_blob(blob: bytes, fonts: Fonts, language: str = LANGUAGE) -> bytes:
    """The theme with Chinese faces for its East Asian fonts (``a:ea``, script Hans, or Hant
    for a Traditional edition)."""
    han = "Hant" if language in TRADITIONAL_LANGUAGES else "Hans"
    root = etree.fromstring(blob)
    for scheme, latin, cjk in (("majorFont", fonts.heading_latin, fonts.heading_cjk), ("minorFont", fonts.latin, fonts.cjk)):
        font = root.find(f".//{_A}fontScheme/{_A}{scheme}")
        if font is None:
            continue
        font.find(f"{_A}latin").set("typeface", latin)
        font.find(f"{_A}ea").set("typeface", cjk)
        for script in font.findall(f"{_A}font"):
            if script.get("script") == han:
                script.set("typeface", cjk)
    themed: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    return themed


_APP_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
    b'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    b"<Template>Normal.dotm</Template><Application>convert</Application><DocSecurity>0</DocSecurity>"
    b"<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    b"<HyperlinksChanged>false</HyperlinksChanged></Properties>"
)

_CORE_XML = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    b'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    b'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)

_PAGE_FIELD = (
    '<w:p {ns}><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
    '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    '<w:r><w:t>1</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
)


def _replace_part(source: Part | OpcPackage, old: Part, new_blob: bytes, reltype: str) -> Part:
    """Swap a binary part for a new one with the same name (python-docx keeps blobs read-only).

    ``source`` is the part or the package that holds the relationship."""
    for rId, rel in list(source.rels.items()):
        if not rel.is_external and rel.target_part is old:
            source.rels.pop(rId)
    part = Part(PackURI(str(old.partname)), old.content_type, new_blob, old.package)
    source.relate_to(part, reltype)
    return part


def build_template(page_size: str, fonts: Fonts, language: str = LANGUAGE, *, page: PageSetup | None = None,
                   styles_part: str | None = None, font_table_part: str | None = None,
                   finish: Callable[[docx.document.Document], None] | None = None) -> bytes:
    """A configured template, as DOCX bytes (no body yet). A layout other than the normal one
    (``--style gongwen``) passes its own ``page``, ``styles_part`` and ``font_table_part`` and a
    ``finish`` step."""
    page = page or PAGES[page_size]
    document = docx.Document()
    main = document.part
    package = main.package
    assert package is not None  # a part python-docx loaded always belongs to its package
    # Parts that only slow every load and save down, or describe another document.
    for rels, dropped in ((package.rels, (RT.THUMBNAIL,)), (main.rels, (_STYLES_WITH_EFFECTS, RT.CUSTOM_XML))):
        for rId, rel in list(rels.items()):
            if rel.reltype in dropped:
                rels.pop(rId)

    styles = document.styles.element
    for child in list(styles):
        styles.remove(child)
    for child in parse_xml(styles_part or styles_xml(fonts, page, language)):
        styles.append(child)

    font_table = main.part_related_by(RT.FONT_TABLE)
    _replace_part(main, font_table, (font_table_part or font_table_xml(fonts, language)).encode("utf-8"), RT.FONT_TABLE)
    _configure_settings(document.settings.element, language)
    theme = main.part_related_by(RT.THEME)
    _replace_part(main, theme, _theme_blob(theme.blob, fonts, language), RT.THEME)
    app = package.part_related_by(RT.EXTENDED_PROPERTIES)
    _replace_part(package, app, _APP_XML, RT.EXTENDED_PROPERTIES)
    # Empty core properties: the bundled ones name python-docx, with 2013 dates and a
    # last-printed date; each document sets its own.
    core = package.part_related_by(RT.CORE_PROPERTIES)
    _replace_part(package, core, _CORE_XML, RT.CORE_PROPERTIES)

    section = document.sections[0]
    sect = section._sectPr
    pg_sz = sect.get_or_add_pgSz()
    pg_sz.set(qn("w:w"), str(page.width))
    pg_sz.set(qn("w:h"), str(page.height))
    pg_mar = sect.get_or_add_pgMar()
    for attr, value in (("top", page.margin_top), ("bottom", page.margin_bottom), ("left", page.margin_left),
                        ("right", page.margin_right), ("header", 851), ("footer", 992), ("gutter", 0)):
        pg_mar.set(qn(f"w:{attr}"), str(value))
    for attr in ("w:rsidR", "w:rsidRPr", "w:rsidSect"):
        sect.attrib.pop(qn(attr), None)
    footer = section.footer._element
    for child in list(footer):
        footer.remove(child)
    footer.append(parse_xml(_PAGE_FIELD.format(ns=nsdecls("w"))))
    if finish is not None:
        finish(document)

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@lru_cache(maxsize=16)
def template_bytes(page_size: str, fonts: Fonts, language: str = LANGUAGE) -> bytes:
    """The configured template for these options, built on first use in this process."""
    return build_template(page_size, fonts, language)
