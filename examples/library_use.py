"""Using convert as a library: read a seed article, inspect it, write it in several formats.

    python examples/library_use.py seeds/000_b01cef3071674085.txt out/example
"""

from __future__ import annotations

import sys
from pathlib import Path

import convert
from convert.model import Paragraph, plain_text
from convert.writers import get_writer


def main(source: str, target: str) -> int:
    try:
        result = convert.read(source)  # the document, and what the reader noticed
    except convert.ConvertError as error:  # one line: file, what is wrong, what to do
        print(f"error: {error}", file=sys.stderr)
        return 1

    document = result.document
    meta = document.meta
    print(f"{meta.title} (index {meta.index}, {meta.encoding}, {len(document.blocks)} blocks)")
    first = next((b for b in document.blocks if isinstance(b, Paragraph)), None)
    if first is not None:
        print("first paragraph:", plain_text(first.content)[:40], "…")
    for diagnostic in result.diagnostics:
        print("reader:", diagnostic)

    out = Path(target)
    # The one-call API: format name, destination, and that writer's options by keyword.
    warnings = convert.write(document, "md", out.with_suffix(".md"))
    warnings += convert.write(document, "json", out.with_suffix(".json"))

    # A writer used directly: build its options once and reuse the writer for many documents.
    docx = get_writer("docx")
    options = docx.make_options(page_size="A5")
    warnings += docx.write(document, out.with_suffix(".docx"), options)

    # Or render to bytes without touching the disk (what the batch layer and Dask do).
    rendered = get_writer("html").render(document, get_writer("html").make_options(), out.with_suffix(".html"))
    print(f"HTML: {len(rendered.data):,} bytes, {len(rendered.resources)} pictures beside it")

    for warning in warnings:
        print("writer:", warning)
    print("formats available:", ", ".join(convert.available_formats()))
    return 0


if __name__ == "__main__":
    sys.exit(main(*(sys.argv[1:3] if len(sys.argv) >= 3 else ["seeds/000_b01cef3071674085.txt", "out/example"])))
