"""The writer registry: built-in writers by name, plugins through entry points, clear errors."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import convert
from convert.errors import UnknownFormatError
from convert.writers import available_formats, get_writer

ROOT = Path(__file__).resolve().parent.parent


def test_every_built_in_format_loads_with_its_extension():
    expected = {"md": ".md", "json": ".json", "html": ".html", "epub": ".epub", "docx": ".docx", "pdf": ".pdf"}
    for name, extension in expected.items():
        writer = get_writer(name)
        assert (writer.name, writer.extension) == (name, extension)
        assert writer.description


def test_an_unknown_format_names_the_formats_there_are():
    with pytest.raises(UnknownFormatError) as caught:
        get_writer("rtf")
    assert "md, json, html, epub, docx, pdf" in str(caught.value)


def test_an_unknown_option_is_an_error_naming_the_options_and_writes_nothing(tmp_path):
    with pytest.raises(convert.ConvertError, match="has no option colour"):
        convert.write(convert.read(ROOT / "seeds" / "000_b01cef3071674085.txt"), "md", tmp_path / "unused.md", colour="red")
    assert list(tmp_path.iterdir()) == []


def test_a_third_party_writer_registers_through_an_entry_point(tmp_path):
    # A real installed distribution on sys.path, found by importlib.metadata like any plugin.
    (tmp_path / "shout_writer.py").write_text(textwrap.dedent('''
        from convert.writers import Rendered, Writer
        from convert.model import plain_text, Paragraph

        class ShoutWriter(Writer):
            name = "shout"
            extension = ".shout"
            description = "titles in brackets"

            def render(self, document, options, destination=None):
                body = "\\n".join(plain_text(b.content) for b in document.blocks if isinstance(b, Paragraph))
                return Rendered(("[" + document.meta.title + "]\\n" + body).encode())
    '''))
    dist = tmp_path / "shout_writer-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: shout-writer\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[convert.writers]\nshout = shout_writer:ShoutWriter\n")
    script = (
        "import sys, convert; from convert.writers import available_formats;"
        f"sys.path.insert(0, {str(tmp_path)!r});"
        "print(available_formats()[-1]);"
        f"convert.write(convert.read({str(ROOT / 'seeds' / '000_b01cef3071674085.txt')!r}), 'shout', {str(tmp_path / 'a.shout')!r})"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env={"PYTHONPATH": str(tmp_path)}, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "shout"
    assert (tmp_path / "a.shout").read_text().startswith("[山西省")


def test_formats_are_listed_in_a_stable_order():
    assert available_formats()[:6] == ["md", "json", "html", "epub", "docx", "pdf"]


def test_the_library_example_runs(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "library_use.py"), str(ROOT / "seeds" / "000_b01cef3071674085.txt"), str(tmp_path / "x")],
        capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},  # this checkout
    )
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".docx", ".json", ".md"]


def test_every_writer_takes_the_common_options_alone_and_keeps_their_values():
    from convert.writers import WriterOptions

    for name in available_formats()[:6]:
        writer = get_writer(name)
        own = writer.own_options(WriterOptions(language="zh-TW"))
        assert isinstance(own, writer.options_type) and own.language == "zh-TW"
        assert writer.own_options(None) == writer.options_type()


def test_one_writer_instance_per_format_whatever_the_spelling():
    assert get_writer("PDF") is get_writer("pdf") is get_writer(".pdf")
    assert get_writer("markdown") is get_writer("md")


def test_render_and_render_book_receive_the_writers_own_options_whatever_the_caller_passes():
    from dataclasses import dataclass

    from convert.errors import ConvertError
    from convert.model import Document
    from convert.writers import Rendered, Writer, WriterOptions

    @dataclass(frozen=True)
    class LoudOptions(WriterOptions):
        volume: int = 11

    seen: list[object] = []

    class LoudWriter(Writer[LoudOptions]):
        name = "loud"
        extension = ".loud"
        options_type = LoudOptions

        def render(self, document, options: LoudOptions, destination=None):
            seen.append(options)
            return Rendered(b"")

        def render_book(self, book, options: LoudOptions, destination=None):
            seen.append(options)
            return Rendered(b"")

    writer = LoudWriter()
    writer.render(Document(), WriterOptions(language="zh-TW"))
    writer.render(Document(), None, destination=None)
    writer.render(Document(), LoudOptions(volume=3))
    writer.render_book(object(), WriterOptions(language="zh-HK"))
    assert seen == [LoudOptions(language="zh-TW"), LoudOptions(), LoudOptions(volume=3), LoudOptions(language="zh-HK")]
    assert writer.supports_book
    with pytest.raises(ConvertError, match="takes WriterOptions"):
        writer.render(Document(), {"volume": 3})


def test_no_writer_converts_its_options_itself():
    import pathlib

    import convert.writers as writers

    root = pathlib.Path(writers.__file__).parent
    copied = [p.name for p in root.rglob("*.py") if p.name != "base.py" and "own_options(" in p.read_text(encoding="utf-8")]
    assert root.exists() and not copied
