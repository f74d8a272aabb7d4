"""The README's library calls type-check under pyright and mypy, with precise types (not Any)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The calls of the README's "Library use" and batch sections; assert_type fails when a type is Any.
SCRIPT = '''
from pathlib import Path

from typing_extensions import assert_type

import convert
from convert.book import BookReport, write_book
from convert.model import Diagnostic, Document, ReadResult
from convert.writers import Rendered, Writer, get_writer


def main() -> None:
    report = convert.convert_tree("corpus/", "pdf,docx", "out/", jobs=4, page_size="A5",
                                  on_result=lambda r: print(r.status, r.source))
    assert_type(report, convert.BatchReport)
    print(report.summary_line(), report.exit_code)
    assert_type(report.exit_code, int)

    result = convert.read("seeds/000_b01cef3071674085.txt")
    assert_type(result, ReadResult)
    assert_type(result, convert.ReadResult)
    doc = result.document
    assert_type(doc, Document)
    print(doc.meta.title, doc.meta.index, doc.meta.encoding)
    for diagnostic in result.diagnostics:
        assert_type(diagnostic, Diagnostic)
        print(diagnostic)

    warnings = convert.write(result, "pdf", "out/article.pdf", page_size="A5")
    assert_type(warnings, list[Diagnostic])
    warnings = convert.write(doc, "pdf", "out/article.pdf", page_size="A5")
    assert_type(warnings, list[Diagnostic])
    convert.write(doc, "md", Path("out/article.md"))

    docx = get_writer("docx")
    assert_type(docx, Writer)
    rendered = docx.render(doc, docx.make_options(page_size="A4"))
    assert_type(rendered, Rendered)
    assert_type(rendered.data, bytes)

    book = write_book(["corpus/学习教育"], "学习教育.pdf", title="学习教育文集")
    assert_type(book, BookReport)

    try:
        convert.read("nope.txt")
    except convert.ConvertError as error:
        print(error.message, error.path, error.hint)
    try:
        convert.convert_tree("corpus/", "md", "out/")
    except convert.BatchInterrupted as stop:
        assert_type(stop.report, convert.BatchReport)
'''


@pytest.fixture
def script(tmp_path: Path) -> Path:
    path = tmp_path / "library_calls.py"
    path.write_text(SCRIPT, encoding="utf-8")
    # Type-check against this checkout, not an installed copy of the package.
    (tmp_path / "pyrightconfig.json").write_text(json.dumps({"extraPaths": [str(ROOT)], "pythonVersion": "3.10"}))
    return path


def _tool(name: str) -> list[str]:
    if shutil.which(name):
        return [name]
    pytest.skip(f"{name} is not installed (pip install -e '.[test]')")


def test_pyright_reports_nothing_on_the_readme_library_calls(script):
    command = _tool("pyright")
    done = subprocess.run([*command, "--outputjson", str(script)], cwd=script.parent, capture_output=True, text=True,
                          timeout=600)
    try:
        result = json.loads(done.stdout)
    except json.JSONDecodeError:
        pytest.skip(f"pyright did not run: {done.stdout[-500:]} {done.stderr[-500:]}")
    problems = [f"{d['range']['start']['line'] + 1}: {d['message']}" for d in result["generalDiagnostics"]
                if d["severity"] in ("error", "warning")]
    assert problems == []


def test_mypy_reports_nothing_on_the_readme_library_calls(script):
    pytest.importorskip("mypy", reason="mypy is not installed (pip install -e '.[test]')")
    env = {**os.environ, "MYPYPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-m", "mypy", "--follow-imports=silent", "--python-version", "3.10",
                           "--no-incremental", "--cache-dir", os.devnull, str(script)],
                          cwd=script.parent, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_package_ships_py_typed():
    assert (ROOT / "convert" / "py.typed").is_file()
    assert '"convert" = ["py.typed"]' in (ROOT / "pyproject.toml").read_text("utf-8")  # package data of the wheel


def test_errors_are_convert_errors_whose_hint_fits_the_cause(tmp_path):
    import convert
    from convert.errors import ReadError

    cases = {tmp_path / "nope.txt": "no such file", tmp_path: "this is a folder"}
    locked = tmp_path / "locked.txt"
    locked.write_text("标题\n正文")
    locked.chmod(0)
    if os.geteuid() != 0:  # root reads any file
        cases[locked] = "permissions"
    for path, hint in cases.items():
        with pytest.raises(ReadError) as caught:
            convert.read(path)
        assert isinstance(caught.value, convert.ConvertError) and hint in caught.value.hint, path
        assert str(caught.value).startswith(str(path))
