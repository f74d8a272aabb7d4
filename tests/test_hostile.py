"""The command over the hostile corpus (tests/hostile/make_corpus.py), in every format.

No traceback, exit code 1, one line per rejected file, every output that exists valid,
nothing written outside the output folder, no temporary file left, and all of it in
bounded time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from markdown_it import MarkdownIt

sys.path.insert(0, str(Path(__file__).parent / "hostile"))
from make_corpus import make  # noqa: E402

from convert.visit import walk  # noqa: E402

FORMATS = ("md", "json", "html", "epub", "docx", "pdf")
EXTENSIONS = {"md": ".md", "json": ".json", "html": ".html", "epub": ".epub", "docx": ".docx", "pdf": ".pdf"}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    base = tmp_path_factory.mktemp("hostile")
    corpus = base / "corpus"
    expect = make(corpus)
    out = base / "out"
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "convert", str(corpus), "--to", ",".join(FORMATS), "-o", str(out), "-j", "2", "--timeout", "60"],
        capture_output=True, timeout=300, env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    elapsed = time.perf_counter() - started
    return corpus, expect, out, proc, elapsed


def test_no_traceback_and_exit_code_one(run):
    _, _, _, proc, _ = run
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr and "internal error" not in stderr, stderr
    assert proc.returncode == 1, stderr


def test_the_whole_set_finishes_in_bounded_time(run):
    assert run[4] < 120


def test_one_error_line_per_rejected_file_and_none_for_the_rest(run):
    corpus, expect, _, proc, _ = run
    errors = [line for line in proc.stderr.decode("utf-8", "replace").splitlines() if line.startswith("error:")]
    rejected = sorted(rel for rel, e in expect.items() if e == "fail")
    named = sorted(rel for rel in expect if any(str(corpus / rel) in line for line in errors))
    assert named == rejected
    assert len(errors) == len(rejected)


def model_characters(document) -> Counter:
    """Every character of the document's text (title, paragraphs, headings, cells), white space aside."""
    texts = [document.meta.title] + [step.node.text for step in walk(document.blocks) if step.kind == "text" and step.entering]
    return Counter(c for text in texts for c in text if not c.isspace())


def markdown_characters(markdown: str) -> Counter:
    """The characters a CommonMark parser reads as text of the body (front matter aside).

    Raw HTML, code blocks and link targets do not count: text that became markup is lost text.
    """
    assert markdown.startswith("---\n")
    body = markdown[4:].split("\n---\n", 1)[1]
    found: Counter = Counter()
    inlines = [t for t in MarkdownIt("commonmark").enable("table").parse(body) if t.type == "inline"]
    stack = [child for token in inlines for child in token.children or []]
    while stack:
        node = stack.pop()
        if node.type == "text":
            found.update(c for c in node.content if not c.isspace())
        stack.extend(node.children or [])  # an image's alt text is its children
    return found


def test_every_accepted_file_has_every_output_and_each_is_valid(run):
    from docx import Document as DocxDocument
    from pypdf import PdfReader

    from convert.jsonform import from_json

    _, expect, out, _, _ = run
    accepted = [rel for rel, expectation in expect.items() if expectation == "ok"]
    assert len(accepted) >= 15, "the hostile corpus lost its accepted files"
    for rel in accepted:
        for fmt in FORMATS:
            path = (out / rel).with_name(Path(rel).stem + EXTENSIONS[fmt])
            assert path.is_file(), path
            data = path.read_bytes()
            if fmt == "md":
                document = from_json(path.with_suffix(".json").read_text("utf-8"))
                missing = model_characters(document) - markdown_characters(data.decode("utf-8"))
                assert not missing, f"{path}: characters of the text lost or turned into markup: {dict(missing)}"
            elif fmt == "json":
                from_json(data.decode("utf-8"))
            elif fmt == "html":
                etree.fromstring(data, etree.HTMLParser(recover=False))
            elif fmt == "epub":
                with zipfile.ZipFile(path) as book:
                    assert book.testzip() is None
                    for name in book.namelist():
                        if name.endswith((".xhtml", ".opf", ".ncx")):
                            etree.fromstring(book.read(name))
            elif fmt == "docx":
                DocxDocument(str(path))
            elif fmt == "pdf":
                assert len(PdfReader(str(path)).pages) >= 1


def test_markup_in_the_text_stays_text_in_every_format(run):
    from docx import Document as DocxDocument

    _, _, out, _, _ = run
    base = out / "markup" / "xml-specials"
    html = base.with_suffix(".html").read_text("utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    docx_text = "\n".join(p.text for p in DocxDocument(str(base.with_suffix(".docx"))).paragraphs)
    assert "a<b & c>d ]]> &amp; &lt;" in docx_text
    md = (out / "markup" / "markdown-specials.md").read_text("utf-8")
    assert "](javascript:" not in md.replace("\\](javascript:", "")


def test_script_and_javascript_links_never_become_live(run):
    _, _, out, _, _ = run
    for fmt in ("html", "md", "json"):
        text = (out / "html" / ("script-style-events" + EXTENSIONS[fmt])).read_text("utf-8").lower()
        assert "alert(" not in text and "javascript:" not in text and "onclick" not in text, fmt


def test_nothing_is_written_outside_the_output_folder_and_no_temporary_file_is_left(run):
    corpus, _, out, _, _ = run
    outside = corpus.parent / (corpus.name + "-outside")
    assert sorted(p.name for p in outside.iterdir()) == ["outside.txt"]
    for path in out.rglob("*"):
        assert not path.name.startswith(".convert-tmp-"), path
        assert path.resolve().is_relative_to(out.resolve()), path
    assert not any(p.is_symlink() for p in out.rglob("*"))


def test_a_thirty_megabyte_file_is_refused_in_one_line_above_max_size(tmp_path):
    big = tmp_path / "big.txt"
    with big.open("wb") as handle:
        handle.write("三十兆\n".encode())
        chunk = ("<div><span style='x'> 正文" + "字" * 1000 + "</span></div>").encode()
        for _ in range(30_000_000 // len(chunk) + 1):
            handle.write(chunk)
    proc = subprocess.run([sys.executable, "-m", "convert", str(big), "--to", "md", "-o", str(tmp_path / "o")], capture_output=True, timeout=60)
    lines = proc.stderr.decode().splitlines()
    assert proc.returncode == 1
    assert [line for line in lines if line.startswith("error:")] == [
        f"error: {big}: file is {big.stat().st_size:,} bytes, above the --max-size of {10 * 1024 * 1024:,} (raise --max-size if the file is genuine)"
    ]


def test_the_report_names_every_input(run, tmp_path):
    corpus, expect, _, _, _ = run
    report = tmp_path / "report.json"
    subprocess.run(
        [sys.executable, "-m", "convert", str(corpus / "not-seed"), "--to", "md", "-o", str(tmp_path / "o"), "--report", str(report)],
        capture_output=True, timeout=60,
    )
    data = json.loads(report.read_text("utf-8"))
    assert len(data["files"]) == sum(1 for rel in expect if rel.startswith("not-seed/"))
