"""Safe writes: a reader of an output sees the old file or the whole new one, never a part."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

import convert
from convert import fsutil
from convert.errors import WriteError
from convert.fsutil import TEMP_PREFIX, atomic_write
from convert.model import Document, Metadata, text_paragraph


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.fixture
def old_output(tmp_path: Path) -> Path:
    path = tmp_path / "out" / "article.md"
    path.parent.mkdir()
    path.write_bytes(b"old")
    return path


def test_while_the_new_file_is_written_the_old_one_is_still_whole(old_output, monkeypatch):
    seen = []
    real_fsync = os.fsync

    def fsync(fd: int) -> None:  # the new bytes are all written, not yet renamed into place
        seen.append((old_output.read_bytes(), [(old_output.parent / n).read_bytes() for n in leftovers(old_output.parent)]))
        real_fsync(fd)

    monkeypatch.setattr(fsutil.os, "fsync", fsync)
    atomic_write(old_output, b"new and longer")
    # the first fsync is the new file's, before the rename (a second one flushes the folder after it)
    assert seen[0] == (b"old", [b"new and longer"])
    assert old_output.read_bytes() == b"new and longer" and leftovers(old_output.parent) == []


@pytest.mark.parametrize("failure", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_a_failure_mid_write_leaves_the_old_file_intact_and_no_temporary_file(old_output, monkeypatch, failure):
    def fsync(fd: int) -> None:
        raise failure

    monkeypatch.setattr(fsutil.os, "fsync", fsync)
    with pytest.raises(WriteError if isinstance(failure, OSError) else KeyboardInterrupt) as caught:
        atomic_write(old_output, b"new")
    assert old_output.read_bytes() == b"old"
    assert leftovers(old_output.parent) == []
    if isinstance(failure, OSError):
        assert "article.md" in str(caught.value) and "No space left" in str(caught.value) and "\n" not in str(caught.value)


def test_a_failed_rename_leaves_no_temporary_file(old_output, monkeypatch):
    def replace(src: str, dst: str, **dir_fds: int) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(fsutil.os, "replace", replace)
    with pytest.raises(WriteError):
        convert.write(Document(Metadata(title="新"), (text_paragraph("正文"),)), "md", old_output)
    assert old_output.read_bytes() == b"old" and leftovers(old_output.parent) == []
