"""The generic HTML reader: bodies that are not the crawler template, and standalone HTML files.

lxml parses with network access off and no entity expansion beyond HTML's own. Scripts,
styles and event handlers are never carried into the model; ``javascript:`` and other
unsafe links lose their target and keep their text. Nesting deeper than
``MAX_DEPTH`` is flattened to text instead of recursing, so a hostile page cannot
exhaust the stack.
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree
from lxml import html as lxml_html

from ..errors import NotASeedError
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
    Metadata,
    Paragraph,
    Quote,
    ReadResult,
    Strong,
    Table,
    Text,
    info,
    plain_text,
    warning,
)
from ..transforms.xml import dropped_control_chars
from ..typography import is_blank, normalize_space, strip_illegal
from ..untrusted import DEFAULT_MAX_SIZE
from .decode import decode, load

MAX_DEPTH = 64

_DROP = frozenset({
    "script", "style", "head", "title", "noscript", "template", "iframe", "object", "embed", "svg", "math", "form",
    "button", "input", "select", "textarea", "meta", "link", "base",
})
_BLOCK = frozenset({
    "p", "div", "section", "article", "main", "header", "footer", "aside", "nav", "center", "figure",
    "figcaption", "address", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd",
    "li", "blockquote", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "hr", "html", "body",
})
_STRONG = frozenset({"strong", "b"})
_EMPHASIS = frozenset({"em", "i", "cite", "var", "dfn"})
_SAFE_SCHEMES = frozenset({"http", "https", "mailto", "ftp"})
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_SPACE = re.compile(r"[ \t\n\r\f]+")


def _parser() -> lxml_html.HTMLParser:
    return lxml_html.HTMLParser(
        no_network=True, remove_comments=True, remove_pis=True, recover=True, default_doctype=False, huge_tree=False
    )


def safe_href(href: str | None) -> str | None:
    """The link target if it is safe to emit in any format (http, https, mailto, ftp, relative)."""
    if not href:
        return None
    cleaned = "".join(ch for ch in href if ch > " ").strip()
    m = _SCHEME.match(cleaned)
    if m and m.group(1).lower() not in _SAFE_SCHEMES:
        return None
    return cleaned or None


class _Builder:
    def __init__(self) -> None:
        self.dropped: set[str] = set()
        self.flattened = False

    # ---- blocks
    def blocks(self, element: etree._Element, depth: int) -> list[Block]:
        out: list[Block] = []
        inlines: list[Inline] = []
        images: list[Block] = []

        def flush() -> None:
            paragraph = _paragraph(inlines)
            if paragraph is not None:
                out.append(paragraph)
            inlines.clear()
            out.extend(images)
            images.clear()

        if element.text:
            inlines.append(Text(element.text))
        for child in element:
            tag = _tag(child)
            if tag is None or tag in _DROP:
                if tag in _DROP:
                    self.dropped.add(tag)
            elif depth >= MAX_DEPTH:
                self.flattened = True
                inlines.append(Text(" ".join(child.itertext())))
            elif tag == "img":
                flush()
                out.append(self.image(child))
            elif tag in _BLOCK:
                flush()
                out.extend(self.block(child, tag, depth + 1))
            elif tag == "br":
                inlines.append(LineBreak())
            else:
                inlines.extend(self.inlines_of(child, depth + 1, images))
            if child.tail:
                inlines.append(Text(child.tail))
        flush()
        return out

    def block(self, element: etree._Element, tag: str, depth: int) -> list[Block]:
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            images: list[Block] = []
            content = _trim(self.inline_children(element, depth, images))
            return ([Heading(int(tag[1]), content)] if content else []) + images
        if tag in ("ul", "ol"):
            items = tuple(tuple(self.blocks(li, depth + 1)) for li in element if _tag(li) == "li")
            return [ListBlock(tag == "ol", items)] if items else []
        if tag == "blockquote":
            inner = self.blocks(element, depth)
            return [Quote(tuple(inner))] if inner else []
        if tag == "table":
            return self.table(element, depth)
        if tag == "hr":
            return []
        return self.blocks(element, depth)

    def table(self, element: etree._Element, depth: int) -> list[Block]:
        rows: list[tuple[tuple[Inline, ...], ...]] = []
        header_rows = 0
        header_run = True
        for tr in element.iter("tr"):
            cells = [c for c in tr if _tag(c) in ("td", "th")]
            if not cells:
                continue
            is_header = all(_tag(c) == "th" for c in cells) or _tag(tr.getparent()) == "thead"
            if header_run and is_header:
                header_rows += 1
            else:
                header_run = False
            row = []
            for cell in cells:
                text = normalize_space(" ".join(cell.itertext()))
                row.append((Text(text),) if text else ())
            rows.append(tuple(row))
        return [Table(tuple(rows), header_rows)] if rows else []

    def image(self, element: etree._Element) -> Image:
        src = safe_href(element.get("src")) or ""
        if src.startswith(("http:", "https:", "ftp:", "mailto:")):
            src = ""  # never fetched from the network
        return Image(src=src or "(no source)", path=None, alt=normalize_space(element.get("alt") or ""))

    # ---- inlines
    def inline_children(self, element: etree._Element, depth: int, images: list[Block]) -> list[Inline]:
        out: list[Inline] = []
        if element.text:
            out.append(Text(element.text))
        for child in element:
            out.extend(self.inlines_of(child, depth + 1, images))
            if child.tail:
                out.append(Text(child.tail))
        return out

    def inlines_of(self, element: etree._Element, depth: int, images: list[Block]) -> list[Inline]:
        tag = _tag(element)
        if tag is None:
            return []
        if tag in _DROP:
            self.dropped.add(tag)
            return []
        if depth >= MAX_DEPTH:
            self.flattened = True
            return [Text(" ".join(element.itertext()))]
        if tag == "br":
            return [LineBreak()]
        if tag == "img":
            images.append(self.image(element))
            return []
        children = self.inline_children(element, depth, images)
        if tag in _STRONG:
            return [Strong(tuple(children))] if children else []
        if tag in _EMPHASIS:
            return [Emphasis(tuple(children))] if children else []
        if tag == "a":
            href = safe_href(element.get("href"))
            if href and children:
                return [Link(tuple(children), href)]
        return children


def _tag(element: etree._Element | None) -> str | None:
    if element is None or not isinstance(element.tag, str):
        return None
    return element.tag.lower()


def _collapse(inlines: list[Inline]) -> list[Inline]:
    """HTML whitespace: runs of ASCII white space are one space; empty runs vanish."""
    out: list[Inline] = []
    for node in inlines:
        if isinstance(node, Text):
            text = _SPACE.sub(" ", node.text)
            if not text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + text)
                continue
            out.append(Text(text))
        elif isinstance(node, (Strong, Emphasis)):
            children = _collapse(list(node.children))
            if children:
                out.append(type(node)(tuple(children)))
        elif isinstance(node, Link):
            children = _collapse(list(node.children))
            if children:
                out.append(Link(tuple(children), node.href))
        else:
            out.append(node)
    return out


def _trim(inlines: list[Inline]) -> tuple[Inline, ...]:
    """Collapse white space and strip it (and a typed U+3000 indent) at both ends."""
    nodes = _collapse(inlines)
    while nodes and isinstance(nodes[0], LineBreak):
        nodes.pop(0)
    while nodes and isinstance(nodes[-1], LineBreak):
        nodes.pop()
    if nodes and isinstance(nodes[0], Text):
        nodes[0] = Text(nodes[0].text.lstrip(" \u3000\u00a0"))
    if nodes and isinstance(nodes[-1], Text):
        nodes[-1] = Text(nodes[-1].text.rstrip(" \u3000\u00a0"))
    nodes = [n for n in nodes if not (isinstance(n, Text) and not n.text)]
    return tuple(nodes)


def _paragraph(inlines: list[Inline]) -> Paragraph | None:
    content = _trim(inlines)
    if not content or is_blank(plain_text(content)):
        return None
    return Paragraph(content)


def _finish(builder: _Builder) -> list[Diagnostic]:
    diags = []
    if builder.dropped:
        diags.append(info("dropped-html", f"left out HTML elements that are not text: {', '.join(sorted(builder.dropped))}"))
    if builder.flattened:
        diags.append(info("flattened-html", f"HTML nested deeper than {MAX_DEPTH} levels was kept as plain text"))
    return diags


_DOCTYPE = re.compile(r"<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>|<\?xml[^>]*\?>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)[^<>]*?(/?)>")
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "base", "col", "area", "wbr", "source", "embed", "param"})
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_BLOCK)) + r"|br)\b[^<>]*>", re.IGNORECASE)
_DROPPED_CONTENT = re.compile(r"<(script|style|template|noscript)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)


def _nesting_depth(markup: str, limit: int) -> int:
    """How deep the tags of ``markup`` nest, counted up to ``limit`` (a cheap scan, no parser)."""
    depth = deepest = 0
    for m in _TAG.finditer(markup):
        if m.group(2).lower() in _VOID or m.group(3):
            continue
        depth = max(depth - 1, 0) if m.group(1) else depth + 1
        deepest = max(deepest, depth)
        if deepest > limit:
            break
    return deepest


def _text_only(markup: str) -> list[Block]:
    """Paragraphs of markup too deep to parse: block tags become paragraph breaks, other tags go."""
    import html as html_entities

    text = _DROPPED_CONTENT.sub("", markup)
    text = _BLOCK_TAG.sub("\n", text)
    text = html_entities.unescape(re.sub(r"<[^<>]*>", "", text))
    blocks: list[Block] = []
    for line in text.split("\n"):
        line = normalize_space(line)
        if line and not is_blank(line):
            blocks.append(Paragraph((Text(line),)))
    return blocks


def parse_fragment(markup: str) -> tuple[list[Block], list[Diagnostic]]:
    """Blocks of an HTML fragment (a seed body that is not the crawler template)."""
    markup = _DOCTYPE.sub("", markup)  # internal DTD subsets are never read, let alone expanded
    if is_blank(markup):
        return [], []
    # libxml2 stops at 256 levels and drops what lies deeper; keep the text instead.
    if _nesting_depth(markup, 200) > 200:
        message = "HTML nested more than 200 levels deep was read as plain text"
        return _text_only(markup), [info("flattened-html", message)]
    try:
        root = lxml_html.fragment_fromstring(markup, create_parent="div", parser=_parser())
    except (etree.ParserError, ValueError):
        return _text_only(markup), [info("unparsable-html", "the body could not be parsed as HTML; its text was kept")]
    builder = _Builder()
    blocks = builder.blocks(root, 0)
    return blocks, _finish(builder)


def read_html(path: str | Path, max_size: int | None = DEFAULT_MAX_SIZE, root: str | Path | None = None) -> ReadResult:
    """A standalone HTML file as a document (title from <title> or the first <h1>) and its diagnostics."""
    path = Path(path)
    return parse_html(load(path, max_size, Path(root) if root is not None else None), path)


def parse_html(data: bytes, path: Path) -> ReadResult:
    """Parse a standalone HTML file's bytes (``path`` names it in messages and metadata)."""
    decoded = decode(data, str(path))
    text, dropped = strip_illegal(_DOCTYPE.sub("", decoded.text))
    try:
        root = lxml_html.document_fromstring(text, parser=_parser())
    except (etree.ParserError, ValueError) as exc:
        raise NotASeedError(f"not readable as HTML: {exc}", path) from None
    title = normalize_space(root.findtext(".//title") or "")
    body = root.find("body")
    builder = _Builder()
    blocks = builder.blocks(body if body is not None else root, 0)
    if not title and blocks and isinstance(blocks[0], Heading):
        title = plain_text(blocks[0].content)
        blocks = blocks[1:]
    meta = Metadata(title=title or path.stem, source=path.name, body_format="html", encoding=decoded.encoding)
    diagnostics = _finish(builder)
    if dropped:
        diagnostics.append(dropped_control_chars(dropped))
    if not blocks:  # said once, here, as the seed reader does: writers do not repeat it
        diagnostics.append(warning("empty-body", "the page has a title but no body text"))
    return ReadResult(Document(meta, tuple(blocks)), tuple(diagnostics))
