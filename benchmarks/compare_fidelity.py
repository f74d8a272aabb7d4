"""Characters lost: convert's reader against pandoc and LibreOffice reading the same seed files.

    python benchmarks/compare_fidelity.py [SEEDS_DIR]

Without a reader for the seed format, a user hands the files to a generic tool as HTML.
The ground truth is every character of the title and paragraphs (as FORMAT.md defines
them); a tool's loss is the multiset of those characters missing from its plain-text
output (white space ignored). pandoc and LibreOffice are skipped where not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import convert
from convert.model import Heading, Paragraph, plain_text

ROOT = Path(__file__).resolve().parent.parent


def truth(path: Path) -> str:
    document = convert.read(path).document
    parts = [document.meta.title] + [plain_text(b.content) for b in document.blocks if isinstance(b, (Paragraph, Heading))]
    return "".join("".join(parts).split())


def lost(expected: str, got: str) -> int:
    return sum((Counter(expected) - Counter("".join(got.split()))).values())


def as_html(path: Path, folder: Path) -> Path:
    """The seed as the HTML page a user would try: the raw bytes decoded, in a .html file."""
    target = folder / (path.stem + ".html")
    text = path.read_bytes().decode("utf-8", "replace")
    target.write_text("<meta charset='utf-8'>" + text.replace("\n", "<br>\n", 1), "utf-8")
    return target


def ours(path: Path) -> str:
    """Our Markdown, read back by a CommonMark parser (markdown-it-py): what a notes app shows."""
    from markdown_it import MarkdownIt

    from convert.writers.markdown import markdown_text

    body = markdown_text(convert.read(path).document).split("\n---\n", 1)[1]
    tokens = MarkdownIt("commonmark").parse(body)
    return "".join(child.content for t in tokens if t.type == "inline" for child in t.children or [] if child.type == "text")


def pandoc(html: Path) -> str:
    return subprocess.run(["pandoc", "-f", "html", "-t", "plain", str(html)], capture_output=True, text=True, check=True).stdout


def libreoffice(html: Path, folder: Path) -> str:
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "txt:Text (encoded):UTF8", "--outdir", str(folder), str(html)],
        capture_output=True, check=True, timeout=120,
    )
    return (folder / (html.stem + ".txt")).read_text("utf-8", "replace")


def main(seeds: Path) -> None:
    files = sorted(p for p in seeds.rglob("*.txt") if p.is_file())
    tools = {"convert (md)": None}
    if shutil.which("pandoc"):
        tools["pandoc -f html"] = "pandoc"
    if shutil.which("soffice"):
        tools["LibreOffice (HTML import)"] = "soffice"
    totals = {name: [0, 0.0] for name in tools}
    expected_total = 0
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for path in files:
            expected = truth(path)
            expected_total += len(expected)
            html = as_html(path, folder)
            for name, tool in tools.items():
                started = time.perf_counter()
                got = ours(path) if tool is None else pandoc(html) if tool == "pandoc" else libreoffice(html, folder)
                totals[name][1] += time.perf_counter() - started
                missing = lost(expected, got)
                totals[name][0] += missing
                if missing:
                    print(f"  {name}: {path.relative_to(seeds)} lost {missing} characters")
    print(f"\n{len(files)} seed files, {expected_total:,} characters of title and paragraph text")
    print(f"{'tool':28} {'characters lost':>16} {'seconds':>9}")
    for name, (missing, seconds) in totals.items():
        print(f"{name:28} {missing:>16,} {seconds:>9.2f}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "seeds")
