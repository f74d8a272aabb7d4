"""The XHTML body and reading CSS that the EPUB and HTML writers share.

One :class:`BodyBuilder` turns the model's blocks into lxml elements (so every piece of
text is escaped by the serialiser, never by hand); the EPUB writer wraps them in an
XHTML chapter, the HTML writer in an HTML5 page. Pictures are placed through a callback,
because the two formats put them in different places (inside the book; beside the page).

Text that XML cannot hold (C0 controls, lone surrogates) never reaches this module: the
transform stage drops and counts it first (:mod:`convert.transforms.xml`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote, urlsplit

from lxml import etree

from .. import labels, typography
from ..model import (
    Block,
    Diagnostic,
    Document,
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
from ..visit import Dispatch
from .pictures import load_picture, unreadable

XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

#: Deepest nesting of lists/quotes, and of inline styles, written as nested elements. XML
#: parsers refuse documents deeper than 256 levels by default; readers never nest this far.
MAX_NESTING = 40

#: Placeholder texts for pictures that cannot be shown (visible to the reader).

# ---------------------------------------------------------------- pictures

# Pillow format name -> (media type, file extension). These are EPUB 3 core media types,
# which every reading system must show; anything else is converted to PNG.
_CORE_IMAGE_TYPES = {
    "JPEG": ("image/jpeg", ".jpg"),
    "PNG": ("image/png", ".png"),
    "GIF": ("image/gif", ".gif"),
    "WEBP": ("image/webp", ".webp"),
}


@dataclass(frozen=True)
class Picture:
    """A picture checked to be readable, with its real media type (from its bytes, not its name)."""

    data: bytes
    media_type: str
    extension: str


def web_picture(path: str) -> Picture | str:
    """The picture at ``path`` as a web page or e-book holds it (see :mod:`.pictures`), or why it
    cannot be used; formats that not every reader shows (BMP, TIFF, ...) become PNG."""
    decoded = load_picture(path, _CORE_IMAGE_TYPES)
    if isinstance(decoded, str):
        return decoded
    media_type, extension = _CORE_IMAGE_TYPES[decoded.format]
    return Picture(decoded.data, media_type, extension)


#: Called with (picture, its number in document order); returns the href to use in the page.
PlacePicture = Callable[[Picture, int], str]

# ---------------------------------------------------------------- links

_SAFE_URL_CHARS = "!#$%&'()*+,-./:;=?@[]_~"


def absolute_link(href: str) -> str | None:
    """An href an EPUB may hold: absolute http(s)/mailto/ftp, percent-encoded; None otherwise.

    Relative links point at files that are not in the book (EPUBCheck reports them as
    errors), so the EPUB keeps their text and drops the link.
    """
    try:
        parts = urlsplit(href)
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme in ("http", "https", "ftp") and parts.netloc:
        pass
    elif scheme == "mailto" and parts.path:
        pass
    else:
        return None
    return quote(href, safe=_SAFE_URL_CHARS)


def any_link(href: str) -> str | None:
    """The link policy of the HTML page: every href the reader kept (it sanitised them)."""
    return href or None


# ---------------------------------------------------------------- the body


# The explicit stacks of BodyBuilder's walks: an element and what goes into it next.
_InlineStack = list[tuple[etree._Element, Iterable[Inline]]]
_BlockStack = list[tuple[etree._Element, Iterator[Block]]]


class BodyBuilder:
    """Renders blocks into lxml elements in namespace ``ns`` ("" for HTML5 serialisation).

    Accumulates diagnostics and the set of characters used (for font subsetting).
    """

    def __init__(self, place_picture: PlacePicture, *, ns: str = XHTML_NS,
                 link_policy: Callable[[str], str | None] = any_link) -> None:
        self.place_picture = place_picture
        self.prefix = f"{{{ns}}}" if ns else ""
        self.link_policy = link_policy
        self.dropped_links = 0
        self.flattened = 0
        self.picture_count = 0
        self.diagnostics: list[Diagnostic] = []
        self.chars: set[str] = set()
        self.labels = labels.SIMPLIFIED  # the document's, from article()
        # One dispatch (convert.visit): each handler takes the node, the element it goes
        # into and the walk's stack; a node of a kind without one is an unknown-node warning.
        self.inline = Dispatch[None]({
            "text": self._text, "linebreak": self._linebreak, "strong": self._strong, "emphasis": self._emphasis,
            "link": self._link,
        }, self.diagnostics, None)
        self.block = Dispatch[None]({
            "paragraph": self._paragraph, "heading": self._heading, "image": self._image, "table": self._table,
            "list": self._list, "quote": self._quote,
        }, self.diagnostics, None)

    # ---- helpers
    def el(self, parent: etree._Element | None, tag: str, attrib: dict[str, str] | None = None) -> etree._Element:
        tag = self.prefix + tag
        return etree.Element(tag, attrib) if parent is None else etree.SubElement(parent, tag, attrib)

    def clean(self, text: str) -> str:
        """``text``, its characters noted for the embedded font (already XML-safe: see the module note)."""
        self.chars.update(text)
        return text

    @staticmethod
    def _append_text(parent: etree._Element, text: str) -> None:
        if not text:
            return
        if len(parent):
            last = parent[-1]
            last.tail = (last.tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    # ---- inlines
    def inlines(self, parent: etree._Element, nodes: Iterable[Inline]) -> None:
        # An explicit stack: inline trees from the HTML reader may be deep.
        stack: list[tuple[etree._Element, Iterable[Inline]]] = [(parent, iter(nodes))]
        while stack:
            target, it = stack[-1]
            node = next(it, None)  # type: ignore[call-overload]
            if node is None:
                stack.pop()
            elif isinstance(node, (Strong, Emphasis, Link)) and len(stack) > MAX_NESTING:
                self.flattened += 1  # keep the text, drop the wrapper (see blocks())
                stack.append((target, iter(node.children)))
            else:
                self.inline(node, target, stack)

    def _text(self, node: Text, target: etree._Element, stack: _InlineStack) -> None:
        self._append_text(target, self.clean(node.text))

    def _linebreak(self, node: LineBreak, target: etree._Element, stack: _InlineStack) -> None:
        self.el(target, "br")

    def _strong(self, node: Strong, target: etree._Element, stack: _InlineStack) -> None:
        stack.append((self.el(target, "strong"), iter(node.children)))

    def _emphasis(self, node: Emphasis, target: etree._Element, stack: _InlineStack) -> None:
        stack.append((self.el(target, "em"), iter(node.children)))

    def _link(self, node: Link, target: etree._Element, stack: _InlineStack) -> None:
        href = self.link_policy(node.href)
        if href:
            stack.append((self.el(target, "a", {"href": href}), iter(node.children)))
        else:
            self.dropped_links += 1
            stack.append((self.el(target, "span", {"class": "link"}), iter(node.children)))

    # ---- blocks
    def blocks(self, parent: etree._Element, blocks: Iterable[Block]) -> None:
        # An explicit stack, not recursion: a document built by a program may nest deeply.
        stack: list[tuple[etree._Element, Iterator[Block]]] = [(parent, iter(blocks))]
        while stack:
            target, it = stack[-1]
            block = next(it, None)
            if block is None:
                stack.pop()
            elif isinstance(block, (ListBlock, Quote)) and len(stack) > MAX_NESTING:
                # Deeper than any reader produces: flatten, so every XML parser can read the file.
                self.flattened += 1
                stack.append((target, iter([b for item in block.items for b in item] if isinstance(block, ListBlock)
                                           else block.blocks)))
            else:
                self.block(block, target, stack)

    def _paragraph(self, block: Paragraph, parent: etree._Element, stack: _BlockStack) -> None:
        self.inlines(self.el(parent, "p"), block.content)

    def _heading(self, block: Heading, parent: etree._Element, stack: _BlockStack) -> None:
        # h1 is the article's title; the body's headings start at h2.
        self.inlines(self.el(parent, f"h{min(max(block.level, 1) + 1, 6)}"), block.content)

    def _image(self, block: Image, parent: etree._Element, stack: _BlockStack) -> None:
        self.image(parent, block)

    def _table(self, block: Table, parent: etree._Element, stack: _BlockStack) -> None:
        self.table(parent, block)

    def _list(self, block: ListBlock, parent: etree._Element, stack: _BlockStack) -> None:
        lst = self.el(parent, "ol" if block.ordered else "ul")
        items = [(self.el(lst, "li"), iter(item)) for item in block.items]
        stack.extend(reversed(items))  # the first item on top: document order

    def _quote(self, block: Quote, parent: etree._Element, stack: _BlockStack) -> None:
        stack.append((self.el(parent, "blockquote"), iter(block.blocks)))

    def table(self, parent: etree._Element, table: Table) -> None:
        if not table.rows:
            return
        tbl = self.el(parent, "table")
        head_rows, body_rows = table.rows[: table.header_rows], table.rows[table.header_rows:]
        if head_rows:
            thead = self.el(tbl, "thead")
            for row in head_rows:
                tr = self.el(thead, "tr")
                for cell in row:
                    self.inlines(self.el(tr, "th"), cell)
        if body_rows:
            tbody = self.el(tbl, "tbody")
            for row in body_rows:
                tr = self.el(tbody, "tr")
                for cell in row:
                    self.inlines(self.el(tr, "td"), cell)

    def image(self, parent: etree._Element, image: Image) -> None:
        number = self.picture_count
        self.picture_count += 1
        src = image.src
        if image.path is None:
            # The reader already reported the missing file; the position stays visible.
            self.placeholder(parent, src)
            return
        picture = web_picture(image.path)
        if isinstance(picture, str):
            self.diagnostics.append(unreadable(image.src, picture))
            self.placeholder(parent, src, unreadable=True)
            return
        href = self.place_picture(picture, number)
        figure = self.el(parent, "figure", {"class": "picture"})
        alt = image.alt or f"{self.labels.picture}{number + 1}"
        self.el(figure, "img", {"src": href, "alt": alt})

    def placeholder(self, parent: etree._Element, src: str, unreadable: bool = False) -> None:
        label = self.labels.missing(src, unreadable)
        div = self.el(parent, "div", {"class": "picture missing", "role": "img", "aria-label": label})
        div.text = self.clean(f"［{label}］")

    # ---- the article
    def article(self, parent: etree._Element, document: Document) -> None:
        """The title block (h1 and a dateline) followed by the body."""
        meta = document.meta
        self.labels = labels.of(meta)
        title = self.clean(typography.normalize_space(meta.title))
        if title:
            header = self.el(parent, "header")
            self._append_text(self.el(header, "h1", {"class": "title"}), title)
            dateline = [part for part in (meta.date if meta.date and not meta.date.startswith("--") else None,
                                          "/".join(meta.category) or None) if part]
            if dateline:
                self._append_text(self.el(header, "div", {"class": "dateline"}), self.clean(" · ".join(dateline)))
        self.blocks(parent, document.blocks)

    def finish(self) -> list[Diagnostic]:
        """The diagnostics of this rendering, the counted ones summed into one line each."""
        out = list(self.diagnostics)
        if self.flattened:
            out.append(info("flattened-nesting",
                            f"{self.flattened} element(s) nested deeper than {MAX_NESTING} levels were flattened"))
        if self.dropped_links:
            out.append(info("dropped-links", f"{self.dropped_links} link(s) to files outside the book kept as text"))
        return out


def document_title(document: Document) -> str:
    """The title to show (page title, package title, contents entry): the document's,
    else the source file's name, else the edition's word for untitled."""
    meta = document.meta
    title = typography.normalize_space(meta.title)
    if not title and meta.source:
        title = PurePosixPath(meta.source).stem.strip()
    return title or labels.of(meta).untitled


# ---------------------------------------------------------------- CSS

_UNSAFE_FONT_NAME = re.compile(r"[^\w \-.()\u3000-\u9fff\uf900-\ufaff]")


def safe_font_name(name: str | None) -> str | None:
    """A font name fit to stand in CSS (quotes, semicolons, braces, '<' could break out)."""
    if not name:
        return None
    cleaned = " ".join(_UNSAFE_FONT_NAME.sub("", name).split())
    return cleaned or None


@dataclass(frozen=True)
class FontFace:
    """An embedded font: ``family`` as named in CSS, ``href`` relative to the stylesheet."""

    family: str
    href: str
    format: str = "truetype"


def reading_css(cjk_font: str | None = None, latin_font: str | None = None, faces: Sequence[FontFace] = (),
                language: str | None = None) -> str:
    """Chinese reading CSS: 2 em first-line indent, justified text, strict line breaking.

    The font stack names the chosen CJK font (the same default as the DOCX writer's
    ``--cjk-font``) and common Song/Ming faces after it; an explicit Latin font goes first
    so that Latin runs use it (CJK fonts carry Latin glyphs and would otherwise win);
    embedded faces come before everything, since they were asked for. A Traditional
    edition's ``language`` (zh-Hant, zh-TW, zh-HK) takes its region's faces
    (:func:`convert.typography.font_set`), and a Kai face for quotations.
    """
    fonts = typography.font_set(language)
    cjk = safe_font_name(cjk_font) or fonts.cjk
    latin = safe_font_name(latin_font)
    embedded = [f.family for f in faces]
    body_stack = typography.css_font_stack(*embedded, latin, cjk, fallback=fonts.serif)
    heading_stack = typography.css_font_stack(
        latin and typography.DEFAULT_HEADING_LATIN_FONT, fonts.heading_cjk,
        fallback=fonts.sans + tuple(embedded),
    )
    quote_rule = (f"blockquote {{\n  font-family: {typography.css_font_stack(*embedded, latin, fallback=fonts.quote)};\n}}\n"
                  if fonts.quote else "")
    font_faces = "".join(
        f'@font-face {{\n  font-family: "{f.family}";\n  src: url("{f.href}") format("{f.format}");\n}}\n' for f in faces
    )
    indent = typography.INDENT_EM
    return f"""{font_faces}html {{
  -webkit-text-size-adjust: 100%;
}}
body {{
  font-family: {body_stack};
  line-height: 1.8;
  text-align: justify;
  text-justify: inter-character;
  line-break: strict;
  -epub-line-break: strict;
  -webkit-line-break: strict;
  word-break: normal;
  overflow-wrap: break-word;
  hanging-punctuation: allow-end;
  text-spacing-trim: space-first;
  text-autospace: ideograph-alpha ideograph-numeric;
  font-kerning: normal;
  orphans: 2;
  widows: 2;
  margin: 0 1em;
}}
p {{
  text-indent: {indent}em;
  margin: 0 0 0.6em 0;
}}
header {{
  margin: 1.5em 0 1.5em 0;
  text-align: center;
}}
h1, h2, h3, h4, h5, h6 {{
  font-family: {heading_stack};
  text-align: center;
  text-indent: 0;
  line-height: 1.5;
  font-weight: bold;
  page-break-after: avoid;
  break-after: avoid;
}}
h1 {{
  font-size: 1.5em;
  margin: 0 0 0.5em 0;
}}
h2 {{
  font-size: 1.25em;
  margin: 1.2em 0 0.6em 0;
}}
h3, h4, h5, h6 {{
  font-size: 1.1em;
  margin: 1em 0 0.5em 0;
}}
.dateline {{
  font-size: 0.85em;
  color: #666666;
  text-indent: 0;
  text-align: center;
}}
figure.picture {{
  margin: 1em 0;
  text-align: center;
  text-indent: 0;
  page-break-inside: avoid;
  break-inside: avoid;
}}
figure.picture img {{
  max-width: 100%;
  height: auto;
}}
div.picture.missing {{
  margin: 1em 0;
  padding: 0.5em;
  border: 1px dashed #999999;
  color: #666666;
  text-align: center;
  text-indent: 0;
}}
li p, blockquote p, td p, th p {{
  text-indent: 0;
}}
blockquote {{
  margin: 1em 2em;
}}
table {{
  border-collapse: collapse;
  margin: 1em auto;
}}
th, td {{
  border: 1px solid #999999;
  padding: 0.2em 0.5em;
  text-align: left;
}}
{quote_rule}"""
