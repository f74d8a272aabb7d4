"""Markdown writer: CommonMark with YAML front matter.

Text is escaped so that a CommonMark parser gives back every character: backslash
escapes for ASCII punctuation that could start markup, and numeric character
references for what a backslash cannot protect (leading spaces after a line break).
Pictures are copied beside the output into ``{stem}_files/`` and linked relatively.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .. import labels
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
    plain_text,
)
from ..visit import Dispatch
from .base import Rendered, Resource, Writer, WriterOptions
from .pictures import bomb_reason, read_bytes, unreadable

# Escaped wherever they stand: they open emphasis, links, code, HTML, or are the escape itself.
_ALWAYS = re.compile(r"([\\`*_\[\]<>|~])")
# '&' only where it would start an entity or character reference.
_ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
# At the start of a line: headings, quotes, list markers, thematic breaks, setext underlines.
_LINE_START = re.compile(r"^([#>+=\-])")
_ORDERED = re.compile(r"^(\d{1,9})([.)])")


@dataclass(frozen=True)
class MarkdownOptions(WriterOptions):
    front_matter: bool = True
    assets_suffix: str = "_files"


def escape_text(text: str, line_start: bool = False, in_heading: bool = False) -> str:
    """Escape plain text for CommonMark inline content; ``line_start`` when it begins a line.

    In a heading every '#' is escaped: a trailing run would be read as the closing sequence.
    """
    text = _ALWAYS.sub(r"\\\1", text)
    text = _ENTITY_LIKE.sub(r"\\&", text)
    if in_heading:
        text = text.replace("#", "\\#")
    if line_start:
        text = _escape_line_start(text)
    return text


def _protect_line_end(text: str) -> str:
    """White space at the end of a line would be stripped: write it as character references."""
    stripped = text.rstrip()
    return stripped + "".join(f"&#{ord(c)};" for c in text[len(stripped) :])


def _escape_line_start(text: str) -> str:
    if text[:1].isspace():
        # Leading white space of a line would be stripped (or make a code block).
        stripped = text.lstrip()
        return "".join(f"&#{ord(c)};" for c in text[: len(text) - len(stripped)]) + _escape_line_start(stripped)
    m = _ORDERED.match(text)
    if m:
        return f"{m.group(1)}\\{m.group(2)}{text[m.end():]}"
    return _LINE_START.sub(r"\\\1", text)


def _yaml(value: object) -> str:
    """A front-matter value: a number as is, a string double-quoted (see :func:`front_matter_text`)."""
    if isinstance(value, int):
        return str(value)
    return '"' + "".join(_YAML_ESCAPES.get(c) or _yaml_char(c) for c in front_matter_text(str(value))) + '"'


_YAML_ESCAPES = {'"': '\\"', "\\": "\\\\"}


def _yaml_char(c: str) -> str:
    # YAML allows only printable characters in a document; U+0085/2028/2029 are YAML 1.1 line
    # breaks (a parser would fold them). Everything else, Chinese included, stays readable.
    code = ord(c)
    if code in (0x85, 0x2028, 0x2029, 0xFEFF) or code < 0x20 or 0x7F <= code <= 0x9F or 0xD800 <= code <= 0xDFFF \
            or code in (0xFFFE, 0xFFFF):
        return f"\\u{code:04x}"
    return c


# ASCII punctuation that is never markup where it stands in a one-line value.
_META_SAFE = frozenset("/,;?%")


def front_matter_text(text: str) -> str:
    """``text`` as a Markdown string that pandoc (which reads YAML metadata values as Markdown)
    and any CommonMark parser give back character for character.

    A YAML string alone is not enough: pandoc reads ``title: "<<条例>>"`` as raw HTML and
    drops it, turns ``"..."`` into curly quotes and an ellipsis, ``@x`` into a citation,
    ``e.g. x`` into a no-break space. So ASCII punctuation is backslash-escaped unless it is
    plainly text where it stands (``/ , ; ? %`` anywhere, ``-`` and ``.`` between two
    characters that are not space or the same sign, ``_`` inside a word, ``:`` and ``=``
    after the start), and
    white space other than a single inner space is written as a character reference.
    """
    out: list[str] = []
    last = len(text) - 1
    for i, c in enumerate(text):
        before = text[i - 1] if i > 0 else ""
        after = text[i + 1] if i < last else ""
        if c.isspace():
            single = c == " " and before not in ("", " ") and not before.isspace() and after and not after.isspace()
            out.append(" " if single else f"&#{ord(c)};")
        elif not c.isascii() or c.isalnum():
            out.append(c)
        elif c in _META_SAFE:
            out.append(c)
        elif c in "-." and before and after and not before.isspace() and not after.isspace() and c not in (before, after):
            out.append(c)
        elif c == "_" and before.isalnum() and after.isalnum():  # inside a word: never emphasis
            out.append(c)
        elif c in ":=" and i > 0:
            out.append(c)
        elif c == "&" and not _ENTITY_LIKE.match(text, i):
            out.append(c)
        else:
            out.append("\\" + c)
    return "".join(out)


class _Renderer:
    def __init__(self, document: Document, options: MarkdownOptions, assets: str) -> None:
        self.document = document
        self.labels = labels.of(document.meta)
        self.options = options
        self.assets = assets
        self.resources: list[Resource] = []
        self.diagnostics: list[Diagnostic] = []
        self.in_heading = False
        self.pictures = 0
        # One dispatch (convert.visit): a node of a kind Markdown has no handler for is
        # reported as an unknown-node warning and left out.
        self.inline = Dispatch[tuple[str, bool] | None]({
            "text": self.text, "linebreak": self.linebreak, "strong": self.strong, "emphasis": self.emphasis,
            "link": self.link,
        }, self.diagnostics, None)
        self.block = Dispatch[str | None]({
            "paragraph": self.paragraph, "heading": self.heading, "image": self.image, "list": self.list_block,
            "quote": self.quote, "table": self.table,
        }, self.diagnostics, None)

    def inlines(self, nodes: tuple[Inline, ...]) -> str:
        out: list[str] = []
        at_line_start = True
        for position, node in enumerate(nodes):
            done = self.inline(node, nodes, position, at_line_start)
            if done is not None:
                text, at_line_start = done
                out.append(text)
        return "".join(out)

    # Inline handlers: the node's Markdown, and whether the next node starts a line.
    def text(self, node: Text, nodes: tuple[Inline, ...], position: int, at_line_start: bool) -> tuple[str, bool]:
        text = escape_text(node.text, line_start=at_line_start, in_heading=self.in_heading)
        following = nodes[position + 1] if position + 1 < len(nodes) else None
        if following is None or isinstance(following, LineBreak):
            text = _protect_line_end(text)
        return text, False

    def linebreak(self, node: LineBreak, *_: object) -> tuple[str, bool]:
        return "\\\n", True

    def strong(self, node: Strong, *_: object) -> tuple[str, bool]:
        return f"**{self.inlines(node.children)}**", False

    def emphasis(self, node: Emphasis, *_: object) -> tuple[str, bool]:
        return f"*{self.inlines(node.children)}*", False

    def link(self, node: Link, *_: object) -> tuple[str, bool]:
        href = node.href.replace("\\", "\\\\").replace("<", "\\<").replace(">", "\\>")
        return f"[{self.inlines(node.children)}](<{href}>)", False

    def blocks(self, blocks: Iterable[Block]) -> list[str]:
        return [text for text in map(self.block, blocks) if text is not None]

    # Block handlers.
    def paragraph(self, block: Paragraph) -> str:
        return self.inlines(block.content)

    def heading(self, block: Heading) -> str:
        self.in_heading = True
        text = self.inlines(block.content).replace("\\\n", " ")
        self.in_heading = False
        return "#" * min(block.level + 1, 6) + " " + text

    def list_block(self, block: ListBlock) -> str:
        lines = []
        for number, item in enumerate(block.items, 1):
            marker = f"{number}. " if block.ordered else "- "
            body = "\n\n".join(self.blocks(item)) or "&#32;"
            pad = " " * len(marker)
            lines.append(marker + body.replace("\n", "\n" + pad))
        return "\n".join(lines)

    def quote(self, block: Quote) -> str:
        inner = "\n\n".join(self.blocks(block.blocks))
        return "\n".join("> " + line if line else ">" for line in inner.split("\n"))

    def table(self, table: Table) -> str:
        # CommonMark has no tables: a GFM pipe table, which CommonMark reads as a paragraph
        # holding the same text.
        width = max(len(row) for row in table.rows)
        cells = [[self.inlines(c).replace("\\\n", " ") for c in row] + [""] * (width - len(row)) for row in table.rows]
        header = cells[0] if table.header_rows else [""] * width
        body = cells[1:] if table.header_rows else cells
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * width]
        lines += ["| " + " | ".join(row) + " |" for row in body]
        return "\n".join(lines)

    def image(self, image: Image) -> str:
        # Pictures are named by their position among the document's pictures (missing ones
        # count too, so 图片/3.jpg stays 3.jpg): two pictures of one name in different
        # folders of an HTML body never overwrite each other.
        number = self.pictures
        self.pictures += 1
        alt = escape_text(image.alt or PurePosixPath(image.src).name)
        if image.path is None:
            return self.placeholder(image.src)
        data = read_bytes(image.path)
        if isinstance(data, str):
            return self.placeholder(image.src, data)
        bomb = bomb_reason(data)
        if bomb:
            return self.placeholder(image.src, bomb)
        relpath = f"{self.assets}/{number}{PurePosixPath(image.path).suffix.lower() or '.jpg'}"
        self.resources.append(Resource(relpath, data))
        return f"![{alt}](<{relpath}>)"

    def placeholder(self, src: str, unusable: str | None = None) -> str:
        """What stands where a picture is missing or, for the reason ``unusable`` (reported here),
        cannot be used: bold, bracketed, like the other formats'."""
        if unusable is not None:
            self.diagnostics.append(unreadable(src, unusable))
        return f"**\\[{escape_text(self.labels.missing(src, unusable is not None))}\\]**"

    def render(self) -> str:
        meta = self.document.meta
        parts = []
        if self.options.front_matter:
            fm = [("title", meta.title), ("index", meta.index), ("source", meta.source),
                  ("category", "/".join(meta.category) or None), ("date", meta.date), ("lang", meta.language),
                  ("edition", meta.edition)]
            parts.append("---\n" + "".join(f"{k}: {_yaml(v)}\n" for k, v in fm if v is not None) + "---")
        if meta.title:
            parts.append("# " + escape_text(meta.title, in_heading=True))
        parts.extend(self.blocks(self.document.blocks))
        return "\n\n".join(parts) + "\n"


class MarkdownWriter(Writer[MarkdownOptions]):
    name = "md"
    extension = ".md"
    description = "CommonMark with YAML front matter; pictures copied beside it"
    options_type = MarkdownOptions

    def render(self, document: Document, options: MarkdownOptions, destination: Path | None = None) -> Rendered:
        stem = destination.stem if destination is not None else "article"
        renderer = _Renderer(document, options, stem + options.assets_suffix)
        text = renderer.render()
        return Rendered(text.encode("utf-8"), tuple(renderer.resources), tuple(renderer.diagnostics))


def markdown_text(document: Document) -> str:
    """Convenience for tests and scripts: the Markdown of a document, without resources."""
    return MarkdownWriter().render(document, MarkdownOptions()).data.decode("utf-8")


__all__ = ["MarkdownOptions", "MarkdownWriter", "escape_text", "markdown_text", "plain_text"]
