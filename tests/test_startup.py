"""Start-up stays cheap: the command imports only the writers (and libraries) a run asks for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_b01cef3071674085.txt"
HEAVY = ("reportlab", "docx", "ebooklib", "lxml", "fontTools", "PIL", "rich", "multiprocessing", "importlib.metadata",
         "secrets")

PROBE = """
import json, sys
try:
    {code}
except SystemExit:
    pass
finally:
    sys.stderr.write("MODULES " + json.dumps(sorted(sys.modules)) + "\\n")
"""


def modules_after(code: str, *argv: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", PROBE.format(code=code), *argv], capture_output=True, text=True,
                          timeout=120, env=env)
    line = next(line for line in done.stderr.splitlines() if line.startswith("MODULES "))
    return set(json.loads(line[len("MODULES "):]))


def heavy(modules: set[str]) -> list[str]:
    return sorted(name for name in HEAVY if name in modules)


def test_importing_the_command_and_the_library_loads_no_writer_stack():
    assert heavy(modules_after("import convert.cli")) == []
    assert heavy(modules_after("import convert; convert.read(sys.argv[1]).document", str(SEED))) == []


def test_one_article_to_markdown_loads_no_pdf_docx_epub_or_html_stack(tmp_path):
    run = f"from convert.cli import main; main([sys.argv[1], '-o', {str(tmp_path / 'a.md')!r}])"
    assert heavy(modules_after(run, str(SEED))) == []
    assert (tmp_path / "a.md").is_file()
    batch = f"from convert.cli import main; main([sys.argv[1], '-o', {str(tmp_path / 'out')!r}, '-q'])"
    assert heavy(modules_after(batch, str(SEED))) == []


@pytest.mark.parametrize(("fmt", "needs", "not_needed"), [
    ("pdf", "reportlab", ("docx", "ebooklib")),
    ("docx", "docx", ("reportlab", "ebooklib")),
])
def test_a_binary_format_loads_its_own_stack_only(tmp_path, fmt, needs, not_needed):
    run = f"from convert.cli import main; main([sys.argv[1], '-o', {str(tmp_path / ('a.' + fmt))!r}])"
    modules = modules_after(run, str(SEED))
    assert needs in modules and not any(name in modules for name in not_needed)


def test_a_body_that_is_not_the_template_still_reads_through_lxml(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("标题\n<h2>小标题</h2><p>正文一段。</p>", encoding="utf-8")
    run = f"from convert.cli import main; main([sys.argv[1], '-o', {str(tmp_path / 'a.md')!r}])"
    assert "lxml" in modules_after(run, str(article))
    assert "## 小标题" in (tmp_path / "a.md").read_text("utf-8")
