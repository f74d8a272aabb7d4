"""Input discovery: the seed files under the inputs, each with the root its output path is taken from.

Used by the batch engine and by book mode (:mod:`convert.book`), which needs only this.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePosixPath

from ..fsutil import TEMP_PREFIX

INPUT_SUFFIXES = (".txt",)


@dataclass(frozen=True)
class Job:
    """One input file, and the root its output path is taken relative to."""

    source: Path
    root: Path

    @cached_property
    def relative_text(self) -> str:
        """The input's path below its root, posix separators (string work: a walk makes thousands)."""
        source, root = os.fspath(self.source), os.fspath(self.root)
        prefix = root if root.endswith(os.sep) else root + os.sep
        if root not in ("", ".") and source.startswith(prefix):
            text = source[len(prefix):]
        else:
            try:
                text = os.fspath(self.source.relative_to(self.root))
            except ValueError:
                text = self.source.name
        return text.replace(os.sep, "/") if os.sep != "/" else text

    @property
    def relative(self) -> PurePosixPath:
        return PurePosixPath(self.relative_text)

    @cached_property
    def key(self) -> str:
        """The output stem below the output folder (``a/b/title`` for ``a/b/title.txt``): the manifest key."""
        return posixpath.splitext(self.relative_text)[0]



def discover(inputs: Iterable[str | Path]) -> Iterator[Job]:
    """Yield a job per input file; folders are searched for ``*.txt`` recursively, in sorted order.

    Symbolic links to folders are not followed (a link cycle or a link to ``/`` cannot
    make a batch walk forever); links to files are checked when planned.
    """
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for dirpath, dirnames, filenames in os.walk(path):
                dirnames.sort()
                for name in sorted(filenames):
                    if name.endswith(INPUT_SUFFIXES) and not name.startswith(TEMP_PREFIX):
                        yield Job(Path(dirpath) / name, path)
        else:
            yield Job(path, path.parent)


