"""`convert --book`: one volume from a tree, failures named, exit codes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "convert", *args], capture_output=True, text=True, timeout=300)


def test_a_book_is_written_and_a_broken_article_is_one_error_line_and_exit_1(tmp_path):
    corpus = tmp_path / "学习教育"
    shutil.copytree(SEEDS, corpus)
    (corpus / "坏文件.txt").write_bytes(b"")
    proc = run(str(corpus), "--book", str(tmp_path / "book.epub"), "--title", "月度文集", "--author", "编辑部")
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "坏文件.txt" in errors[0] and "empty file" in errors[0]
    assert "Traceback" not in proc.stderr
    with zipfile.ZipFile(tmp_path / "book.epub") as book:
        assert "月度文集" in book.read("EPUB/content.opf").decode()


def test_the_format_comes_from_to_when_given(tmp_path):
    proc = run(str(SEEDS), "--book", str(tmp_path / "book.bin"), "--to", "epub", "-q")
    assert proc.returncode == 0, proc.stderr
    assert zipfile.is_zipfile(tmp_path / "book.bin")


def test_a_format_without_book_mode_is_a_usage_error(tmp_path):
    proc = run(str(SEEDS), "--book", str(tmp_path / "book.md"))
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: format 'md' has no book mode")
    assert not (tmp_path / "book.md").exists()
