"""Every diagnostic code, in one table: what it means, its level, and who reports it.

A :class:`~convert.model.Diagnostic`'s ``code`` is the stable, machine-readable part
(reports, ``--strict``, programs filter on it); the message is for people and may change.
A new code goes here first: ``tests/test_diagnostics.py`` fails on a code the source uses
that this table does not list, and on a listed code nothing uses. The README lists them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Code:
    name: str
    level: str  # "warning" (counts under --strict) or "info"
    source: str  # who reports it: "reader", "writer", "book" or "model"
    meaning: str


#: Every code in the order the README lists them (a name twice would make one entry vanish from
#: ``CODES`` silently: a test checks they are unique).
TABLE: tuple[Code, ...] = (
    # ---------------------------------------------------------------- readers
    Code("ambiguous-index", "info", "reader", "line 1's digits split into listing index and title more than one way"),
    Code("no-title", "warning", "reader", "line 1 holds no title: it was taken from the file name"),
    Code("long-title", "warning", "reader", "the title is over 1,000 characters long"),
    Code("empty-body", "warning", "reader", "the article has a title but no body text: the output holds the title (said once, "
         "by the reader; no writer repeats it)"),
    Code("dropped-control-chars", "warning", "reader",
         "control characters no output format can hold were dropped and counted, once: by the reader as it "
         "reads or by the transform stage (convert.transforms.xml); writers never see them"),
    Code("text-before-template", "info", "reader", "text before the first paragraph unit was kept as plain paragraphs"),
    Code("text-after-template", "info", "reader", "text after the last paragraph unit was kept as plain paragraphs"),
    Code("truncated", "warning", "reader", "the file ends inside a tag (truncated?); the tag was left out"),
    Code("unclosed-unit", "warning", "reader", "the last paragraph unit is not closed; its text was kept"),
    Code("missing-image", "warning", "reader", "a picture's file is missing; its position is kept as a placeholder"),
    Code("refused-image", "warning", "reader",
         "a picture outside the input tree, not a regular file, or over the size limit was not read; a placeholder stands in"),
    Code("dropped-html", "info", "reader", "HTML elements that are not text (script, style, form, ...) were left out"),
    Code("flattened-html", "info", "reader", "HTML nested too deeply was kept as plain text"),
    Code("unparsable-html", "info", "reader", "the body could not be parsed as HTML; its text was kept"),
    # ---------------------------------------------------------------- writers
    Code("page-size-ignored", "info", "writer",
         "--style gongwen sets A4 pages (GB/T 9704): the --page-size asked for was ignored"),
    Code("gongwen-font-stand-in", "warning", "writer",
         "--style gongwen PDF and OFD: a bundled face stands in for 仿宋 (no --font given) and for the title's 小标宋"),
    Code("style-ignored", "warning", "writer",
         "--style gongwen asked of formats without that layout (md, html, epub, json): they keep the normal one"),
    Code("unreadable-image", "warning", "writer", "a picture cannot be read or decoded; a placeholder stands in its place"),
    Code("converted-image", "info", "writer", "a picture was converted to PNG for a format that cannot hold it as it is"),
    Code("uncovered-chars", "warning", "writer", "characters in no font were drawn as boxes (PDF)"),
    Code("dropped-invisible-chars", "warning", "writer", "invisible format characters no font has were left out (PDF)"),
    Code("block-too-large", "warning", "writer", "a block too large for a page was left out (PDF)"),
    Code("font-subset-failed", "warning", "writer", "the font could not be subset and embedded (EPUB --embed-font)"),
    Code("font-missing-chars", "warning", "writer", "characters are in no bundled font (EPUB --embed-font)"),
    Code("embedded-font", "info", "writer", "how many characters of which font were embedded (EPUB --embed-font)"),
    Code("flattened-nesting", "info", "writer", "elements nested too deeply for readers were flattened (EPUB, HTML)"),
    Code("dropped-links", "info", "writer", "links to files outside the book were kept as text (EPUB, HTML)"),
    Code("resources-not-written", "warning", "writer",
         "pictures linked from an output written to standard output were not written (write to a file with -o)"),
    Code("truncated-property", "info", "writer", "document properties were cut to 255 characters (DOCX); the text is whole"),
    # ---------------------------------------------------------------- books and the model
    Code("empty-book", "warning", "book", "no article could be read; the book has only its front matter and folder headings"),
    Code("unknown-node", "warning", "writer", "a node that is not part of the document model (or that the writer has no "
         "handler for) was left out: the same in every format (convert.visit)"),
)
CODES: dict[str, Code] = {code.name: code for code in TABLE}


def describe(code: str) -> str:
    """The one-line meaning of ``code``, or a note that it is not a known code."""
    known = CODES.get(code)
    return known.meaning if known else f"{code!r} is not a known diagnostic code"
