"""Untrusted input trees: nothing is read from outside the tree, nothing unbounded, no race.

Each test builds the hostile tree it needs: links out of the tree, files swapped for links
while a run is under way, oversized pictures and decompression bombs.
"""

from __future__ import annotations

import io
import os
import struct
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image as PILImage

import convert
import convert.batch.engine as engine_module
from convert.batch import convert_tree
from convert.untrusted import Refused, open_real, picture_limit, read_picture

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_b01cef3071674085.txt"
MARKER = "---------------------------------------- \n-------------------这里有图片------------ \n---------------------------------------- \n"
FORMATS = ("md", "html", "epub", "docx", "pdf", "json")


def unit(text: str) -> str:
    return f"<div><span style='font-size:16px'> 　　{text}</span></div><div>&nbsp;</div>"


def jpeg(colour: tuple[int, int, int] = (200, 30, 30), size: tuple[int, int] = (32, 24)) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def picture_article(folder: Path, name: str = "1有图的文章") -> Path:
    """``folder/name/name.txt`` with one picture marker (its ``图片/`` not made here)."""
    article = folder / name
    article.mkdir(parents=True)
    source = article / f"{name}.txt"
    source.write_text(f"{name}.txt\n" + unit("第一段文字。") + MARKER + unit("第二段文字。"), "utf-8")
    return source


def embedded_pictures(path: Path) -> int:
    """How many pictures an output carries (files beside it, zip media, PDF image objects)."""
    data = path.read_bytes()
    if path.suffix in (".docx", ".epub"):
        with zipfile.ZipFile(path) as archive:
            return sum(1 for n in archive.namelist() if n.lower().endswith((".jpg", ".jpeg", ".png", ".gif")))
    if path.suffix == ".pdf":
        return data.count(b"/Subtype /Image")
    return sum(1 for p in path.parent.rglob("*") if p.suffix.lower() in (".jpg", ".jpeg", ".png"))


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder outside the input tree holding a valid picture and a secret text file."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.jpg").write_bytes(jpeg((1, 2, 3)))
    (folder / "0.jpg").write_bytes(jpeg((1, 2, 3)))
    (folder / "secret.txt").write_text("1秘密.txt\n" + unit("不该被读到的秘密内容。"), "utf-8")
    return folder


# ---------------------------------------------------------------- 1. pictures outside the tree


@pytest.mark.parametrize("whole_folder", [False, True], ids=["picture-link", "folder-link"])
def test_a_picture_linked_outside_the_tree_is_refused_in_every_format(tmp_path, outside, whole_folder):
    corpus = tmp_path / "corpus"
    source = picture_article(corpus)
    if whole_folder:
        (source.parent / "图片").symlink_to(outside, target_is_directory=True)
    else:
        (source.parent / "图片").mkdir()
        (source.parent / "图片" / "0.jpg").symlink_to(outside / "secret.jpg")
    out = tmp_path / "out"
    report = convert_tree(corpus, ",".join(FORMATS), out, jobs=1)
    [result] = report.results
    assert not result.failed
    assert any(d.code == "refused-image" and "outside the input folder" in d.message for d in result.warnings)
    for fmt in FORMATS:
        [output] = [Path(o) for o in result.outputs if o.endswith(convert.get_writer(fmt).extension)]
        if fmt != "json":
            assert embedded_pictures(output) == 0, fmt
    assert '"path": null' in next(p for p in out.rglob("*.json")).read_text("utf-8")


def test_a_picture_link_inside_the_tree_is_still_used(tmp_path):
    corpus = tmp_path / "corpus"
    source = picture_article(corpus)
    (corpus / "shared").mkdir()
    (corpus / "shared" / "photo.jpg").write_bytes(jpeg())
    (source.parent / "图片").mkdir()
    (source.parent / "图片" / "0.jpg").symlink_to(corpus / "shared" / "photo.jpg")
    report = convert_tree(corpus, "docx", tmp_path / "out", jobs=1)
    [result] = report.results
    assert not result.warnings, result.warnings
    assert embedded_pictures(Path(result.outputs[0])) == 1


# ---------------------------------------------------------------- 3. races: swapped after the checks


def swap_for_link(path: Path, target: Path) -> None:
    path.unlink()
    path.symlink_to(target)


@pytest.mark.parametrize("fmt", ["md", "html", "epub", "docx", "pdf"])
def test_a_picture_swapped_for_a_link_after_reading_is_not_followed_by_any_writer(tmp_path, outside, fmt):
    corpus = tmp_path / "corpus"
    source = picture_article(corpus)
    (source.parent / "图片").mkdir()
    picture = source.parent / "图片" / "0.jpg"
    picture.write_bytes(jpeg())
    document = convert.read(source, root=corpus).document
    swap_for_link(picture, outside / "secret.jpg")  # after the reader checked it, before a writer reads it
    destination = tmp_path / "out" / f"a{convert.get_writer(fmt).extension}"
    warnings = convert.write(document, fmt, destination)
    assert any(w.code == "unreadable-image" for w in warnings), warnings
    assert embedded_pictures(destination) == 0


def test_a_picture_folder_swapped_for_a_link_is_not_followed(tmp_path, outside):
    corpus = tmp_path / "corpus"
    source = picture_article(corpus)
    (source.parent / "图片").mkdir()
    (source.parent / "图片" / "0.jpg").write_bytes(jpeg())
    document = convert.read(source, root=corpus).document
    (source.parent / "图片").rename(tmp_path / "moved")
    (source.parent / "图片").symlink_to(outside, target_is_directory=True)  # outside/0.jpg exists
    [image] = [b for b in document.blocks if type(b).__name__ == "Image"]
    with pytest.raises(Refused):
        read_picture(image.path)


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_input_swapped_for_a_link_during_a_run_is_not_read(tmp_path, outside, monkeypatch, jobs):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    victim = corpus / "1受害者.txt"
    victim.write_text("1受害者.txt\n" + unit("正文。"), "utf-8")
    real_pictures_of = engine_module.pictures_of

    def swapping_pictures_of(source, root=None):  # runs after the planner's lstat checks
        if Path(source) == victim and not victim.is_symlink():
            swap_for_link(victim, outside / "secret.txt")
        return real_pictures_of(source, root)

    monkeypatch.setattr(engine_module, "pictures_of", swapping_pictures_of)
    report = convert_tree(corpus, "md", tmp_path / "out", jobs=jobs)
    [result] = report.results
    assert result.failed and "symbolic link" in result.error
    assert not list((tmp_path / "out").rglob("*.md"))


def test_an_input_swapped_after_planning_is_not_read_by_a_worker(tmp_path, outside, monkeypatch):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(3):
        (corpus / f"{n}文章.txt").write_text(f"{n}文章.txt\n" + unit("正文。"), "utf-8")
    victim = corpus / "1文章.txt"
    real_hash = engine_module.content_hash

    def hash_then_swap(data, pictures, limit):  # the planner has read the file; the worker reads it again
        digest = real_hash(data, pictures, limit)
        if b"1\xe6\x96\x87" in data[:8] and not victim.is_symlink():
            swap_for_link(victim, outside / "secret.txt")
        return digest

    monkeypatch.setattr(engine_module, "content_hash", hash_then_swap)
    report = convert_tree(corpus, "md", tmp_path / "out", jobs=2)
    outputs = [p.read_text("utf-8") for p in (tmp_path / "out").rglob("*.md")]
    assert not any("秘密" in text for text in outputs)
    [failed] = [r for r in report.results if r.failed]
    assert failed.source.endswith("1文章.txt") and "symbolic link" in failed.error


def test_a_folder_on_the_path_swapped_for_a_link_is_refused(tmp_path, outside):
    inner = tmp_path / "corpus" / "a"
    inner.mkdir(parents=True)
    (inner / "secret.txt").write_text("x", "utf-8")
    real = os.path.realpath(inner / "secret.txt")
    (tmp_path / "corpus" / "a").rename(tmp_path / "elsewhere")
    (tmp_path / "corpus" / "a").symlink_to(outside, target_is_directory=True)
    with pytest.raises(Refused):
        open_real(real)


def test_a_fifo_swapped_in_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(Refused, match="not a regular file"):
        open_real(str(fifo))


# ---------------------------------------------------------------- 2. bounded pictures


def test_a_picture_above_max_size_is_refused_not_read(tmp_path):
    corpus = tmp_path / "corpus"
    source = picture_article(corpus)
    (source.parent / "图片").mkdir()
    (source.parent / "图片" / "0.jpg").write_bytes(jpeg(size=(600, 600)) + bytes(20_000))
    report = convert_tree(corpus, "md,docx", tmp_path / "out", jobs=1, max_size=10_000)
    [result] = report.results
    assert any(d.code == "refused-image" and "--max-size" in d.message for d in result.warnings)
    assert not list((tmp_path / "out").rglob("*.jpg"))


def test_writers_read_pictures_within_the_run_limit(tmp_path):
    big = tmp_path / "big.jpg"
    big.write_bytes(bytes(50_000))
    with picture_limit(10_000), pytest.raises(Refused, match="max-size"):
        read_picture(str(big))
    assert len(read_picture(str(big))) == 50_000  # the default limit (10 MiB)


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels in a few dozen bytes (a decompression bomb)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


@pytest.mark.parametrize("fmt", ["md", "html", "epub", "docx", "pdf"])
def test_a_decompression_bomb_is_refused_by_every_writer(tmp_path, fmt):
    corpus = tmp_path / "corpus"
    source = picture_article(corpus)
    (source.parent / "图片").mkdir()
    (source.parent / "图片" / "0.png").write_bytes(png_header_only(12_000, 12_000))  # 144 M pixels
    destination = tmp_path / "out" / f"a{convert.get_writer(fmt).extension}"
    warnings = convert.write(convert.read(source), fmt, destination)
    assert any(w.code == "unreadable-image" for w in warnings), warnings
    assert embedded_pictures(destination) == 0


# ---------------------------------------------------------------- 4. writes never leave -o


def small_corpus(folder: Path, names: tuple[str, ...] = ("a/1甲.txt", "a/2乙.txt", "a/3丙.txt")) -> Path:
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{path.name}\n" + unit(f"{path.stem}的正文。"), "utf-8")
    return folder


def test_the_manifest_is_not_written_through_a_link(tmp_path, outside):
    out = tmp_path / "out"
    out.mkdir()
    target = outside / "victim.log"
    target.write_text("untouched\n", "utf-8")
    (out / ".convert-manifest").symlink_to(target)
    report = convert_tree(small_corpus(tmp_path / "corpus"), "md", out, jobs=1)
    assert report.converted == 3
    assert target.read_text("utf-8") == "untouched\n"
    assert any("manifest" in note for note in report.notes)


def test_the_lock_is_not_created_through_a_link(tmp_path, outside):
    out = tmp_path / "out"
    out.mkdir()
    (out / ".convert-lock").symlink_to(outside / "created-by-lock")
    with pytest.raises(convert.ConvertError, match="convert-lock"):
        convert_tree(small_corpus(tmp_path / "corpus"), "md", out, jobs=1)
    assert not (outside / "created-by-lock").exists()


def test_an_output_folder_swapped_for_a_link_mid_run_is_caught(tmp_path, outside):
    out = tmp_path / "out"
    swapped = []

    def swap_after_first(result):
        if not swapped:
            (out / "a").rename(tmp_path / "moved")
            (out / "a").symlink_to(outside, target_is_directory=True)
            swapped.append(result)

    report = convert_tree(small_corpus(tmp_path / "corpus"), "md", out, jobs=1, on_result=swap_after_first)
    assert report.converted == 1 and report.failed == 2
    assert all("symbolic link" in r.error for r in report.results if r.failed)
    assert sorted(p.name for p in outside.iterdir()) == ["0.jpg", "secret.jpg", "secret.txt"]


def test_a_plugin_resource_path_cannot_climb_out_of_the_output_folder(tmp_path):
    from convert.writers.base import Rendered, Resource, Writer

    class Climbing(Writer):
        name = "climb"
        extension = ".climb"

        def render(self, document, options, destination=None):
            return Rendered(b"main", resources=(Resource("../../escaped.txt", b"x"),))

    document = convert.read(SEED).document
    destination = tmp_path / "a" / "b" / "out.climb"
    with pytest.raises(convert.ConvertError, match="outside the output folder"):
        Climbing().write(document, destination)
    assert not (tmp_path / "escaped.txt").exists() and not destination.exists()


def test_fsync_also_flushes_the_folder_after_the_rename(tmp_path, monkeypatch):
    import stat

    import convert.fsutil as fsutil

    synced = []
    real_fsync = os.fsync

    def recording_fsync(fd):
        synced.append("folder" if stat.S_ISDIR(os.fstat(fd).st_mode) else "file")
        real_fsync(fd)

    monkeypatch.setattr(fsutil.os, "fsync", recording_fsync)
    convert_tree(small_corpus(tmp_path / "corpus", ("1甲.txt",)), "md", tmp_path / "out", jobs=1, fsync=True)
    assert synced[:2] == ["file", "folder"]  # the output, then its folder (the manifest follows)


# ---------------------------------------------------------------- 5. terminal and log injection


def test_control_characters_in_names_cannot_forge_lines_or_reach_the_terminal(tmp_path):
    import json
    import subprocess
    import sys

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "bad\nerror: forged line\x1b]0;owned\x07.txt").write_bytes(b"")  # empty: fails, printed as an error
    warned = corpus / "w\u009b31m\u202e.txt"  # C1 CSI and a bidi override; a missing picture warns
    warned.write_text("w.txt\n" + unit("正文。") + MARKER, "utf-8")
    report_path = tmp_path / "report.json"
    run = subprocess.run([sys.executable, "-m", "convert", str(corpus), "-o", str(tmp_path / "out"), "-j1",
                          "--report", str(report_path)], capture_output=True, cwd=ROOT, timeout=120)
    stderr = run.stderr.decode("utf-8")
    assert run.returncode == 1
    assert not any(line.startswith("error: forged") for line in stderr.splitlines()), stderr
    for raw in ("\x1b", "\x07", "\u009b", "\u202e"):
        assert raw not in stderr, repr(raw)
        assert raw not in report_path.read_text("utf-8"), repr(raw)
    assert "bad\\x0aerror: forged line\\x1b]0;owned\\x07.txt" in stderr
    assert any(f["input"].endswith("w\\x9b31m\\u202e.txt") for f in json.loads(report_path.read_text("utf-8"))["files"])


# ---------------------------------------------------------------- 6. reports, disk full, repeated warnings


def test_a_report_to_an_unwritable_place_is_one_clear_error(tmp_path):
    import subprocess
    import sys

    blocker = tmp_path / "a-file"
    blocker.write_text("x", "utf-8")
    run = subprocess.run([sys.executable, "-m", "convert", str(small_corpus(tmp_path / "corpus")), "-o",
                          str(tmp_path / "out"), "--report", str(blocker / "report.json")],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    [line] = run.stderr.strip().splitlines()
    assert line.startswith("error: ") and "cannot write the report" in line and "report.json" in line


class _FullDisk:
    """A file on a disk that fills up after ``allowed`` writes (ENOSPC)."""

    def __init__(self, handle, allowed: int = 1):
        self.handle, self.allowed = handle, allowed

    def write(self, text):
        if self.allowed <= 0:
            raise OSError(28, os.strerror(28))
        self.allowed -= 1
        return self.handle.write(text)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def __getattr__(self, name):
        return getattr(self.handle, name)


def test_a_full_disk_while_the_report_is_written_is_reported_not_raised(tmp_path, monkeypatch):
    import convert.batch.report as report_module

    real_fdopen = os.fdopen
    monkeypatch.setattr(report_module.os, "fdopen", lambda *a, **k: _FullDisk(real_fdopen(*a, **k)))
    report_path = tmp_path / "reports" / "r.json"
    batch = convert_tree(small_corpus(tmp_path / "corpus"), "md", tmp_path / "out", jobs=1, report=report_path)
    assert batch.converted == 3 and batch.exit_code == 1
    assert "cannot write the report" in batch.report_error and "disk is full" in batch.report_error
    assert list(report_path.parent.iterdir()) == []  # no temporary file left


def test_a_disk_full_error_names_the_input_and_the_output(tmp_path, monkeypatch):
    import convert.fsutil as fsutil

    real_fdopen = os.fdopen
    monkeypatch.setattr(fsutil.os, "fdopen", lambda *a, **k: _FullDisk(real_fdopen(*a, **k), 0))
    corpus = small_corpus(tmp_path / "corpus", ("1甲.txt",))
    batch = convert_tree(corpus, "md", tmp_path / "out", jobs=1)
    [result] = batch.results
    assert result.error.startswith(str(corpus / "1甲.txt") + ": " + str(tmp_path / "out" / "1甲.md") + ": ")
    assert "disk is full" in result.error


def test_repeated_warnings_are_aggregated_per_code_and_file(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "1多图.txt").write_text("1多图.txt\n" + unit("正文。") + MARKER * 300, "utf-8")
    [result] = convert_tree(corpus, "md", tmp_path / "out", jobs=1).results
    missing = [d for d in result.warnings if d.code == "missing-image"]
    assert len(missing) == 6 and "295 more" in missing[-1].message


# ---------------------------------------------------------------- 7. input checks


@pytest.mark.parametrize("data", [b"\xff\xfe\x00garbage\x80\x81", b"\xfe\xff" + bytes(range(0x4e, 0x9f)) * 2],
                         ids=["ascii-pairs", "byte-soup"])
def test_utf16_garbage_is_refused_like_gb18030_garbage(tmp_path, data):
    path = tmp_path / "1x.txt"
    path.write_bytes(data)
    with pytest.raises(convert.ConvertError, match="UTF-16") as caught:
        convert.read(path)
    assert "\n" not in str(caught.value)


def test_real_utf16_still_reads(tmp_path):
    path = tmp_path / "1标题.txt"
    path.write_bytes("\ufeff1标题.txt\n".encode("utf-16-le") + unit("这是正文内容。").encode("utf-16-le"))
    document = convert.read(path).document
    assert document.meta.title == "标题" and document.meta.encoding == "utf-16"


def bare_jpeg() -> bytes:
    """A valid JPEG with no JFIF or Exif segment (the APP0 Pillow writes is cut out)."""
    data = jpeg()
    assert data[2:4] == b"\xff\xe0"
    return data[:2] + data[4 + int.from_bytes(data[4:6], "big"):]


def cmyk_jpeg() -> bytes:
    out = io.BytesIO()
    PILImage.new("CMYK", (40, 30), (10, 200, 30, 0)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize("picture", [bare_jpeg, cmyk_jpeg], ids=["bare-jpeg", "cmyk-jpeg"])
@pytest.mark.parametrize("fmt", ["docx", "pdf", "epub"])
def test_valid_jpegs_without_jfif_or_in_cmyk_are_embedded_in_every_format(tmp_path, picture, fmt):
    corpus = tmp_path / "corpus"
    source = picture_article(corpus)
    (source.parent / "图片").mkdir()
    (source.parent / "图片" / "0.jpg").write_bytes(picture())
    destination = tmp_path / "out" / f"a{convert.get_writer(fmt).extension}"
    warnings = convert.write(convert.read(source), fmt, destination)
    assert not [w for w in warnings if w.level == "warning"], warnings
    assert embedded_pictures(destination) == 1
