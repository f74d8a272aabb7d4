"""The incremental-build manifest: what each output was made from.

One JSON line per input in ``OUTDIR/.convert-manifest``: the output stem it maps to, the
input's path, a stat signature, the content hash (BLAKE2b of the input's bytes and of
its pictures), and per format a key of the toolkit version, the writer and the options
that shape that format. An output is up to date when its record matches and the file
exists. Lines are appended (and flushed) as each file finishes, so a run killed with
SIGKILL loses at most the records of files in flight; later lines win over earlier
ones, a torn last line is ignored, and the file is compacted at the end of a run.

Fast path: when an input's stat signature (size, modification and change time in ns,
inode, for the text file and each picture) equals the recorded one, the recorded hash
is reused instead of reading the files again. Any write to a file changes its ctime,
which a user cannot set back, so only an edit that the file system does not see
escapes it; pass ``force`` to rebuild regardless.

Otherwise (a first run, an edited or touched input) the parent reads the input and its
pictures to hash them, and the worker reads them again to parse. That is deliberate: the
hash decides whether there is work at all (a touched but unchanged file is not rebuilt),
so it cannot wait for a worker, and the second read comes from the page cache. Hashing
a seed article costs about 35 µs, against about 1.7 ms a file for a whole Markdown run
(``bench_batch.py``: 583 files/s).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path
from typing import TextIO

from .fsutil import atomic_write, open_private
from .readers.paths import PICTURE_FOLDER
from .untrusted import Refused, open_real, real_inside

MANIFEST_NAME = ".convert-manifest"
LOCK_NAME = ".convert-lock"
_HEADER = '{"schema": "convert.manifest/1"}'


def pictures_of(source: Path, root: Path | None = None) -> list[tuple[str, str]]:
    """The pictures that belong to ``source`` (its ``图片/`` folder), sorted by name, as
    (name, real path): only regular files whose real path lies inside ``root`` (default:
    the input's folder); a link leading out of the tree is no picture of ours."""
    folder = source.parent / PICTURE_FOLDER
    root = root if root is not None else source.parent
    real_root = os.path.realpath(root)  # once for the folder and all its pictures
    if real_inside(folder, root, real_root) is None:
        return []  # no picture folder, or one that leads outside the input tree
    found = []
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_file():
                    real = real_inside(entry.path, root, real_root)
                    if real is not None:
                        found.append((entry.name, real))
    except OSError:  # an unreadable picture folder: no pictures
        return []
    return sorted(found)


def stat_signature(source: Path, pictures: list[tuple[str, str]], source_stat: os.stat_result | None = None) -> str:
    """A short digest of the stat data of an input and its pictures (raises OSError)."""
    parts = []
    for name, path in [(source.name, None), *pictures]:
        st = os.stat(path) if path is not None else (source_stat if source_stat is not None else source.stat())
        parts.append(f"{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ctime_ns}\0{st.st_ino}")
    return hashlib.blake2b("\n".join(parts).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()


def content_hash(data: bytes, pictures: list[tuple[str, str]], limit: int | None) -> str:
    """BLAKE2b of the input's bytes and of every picture (name and bytes) (raises OSError).

    Pictures are read in chunks without following links; one above ``limit`` counts by
    its size only (the reader refuses it anyway), so a huge file is never read here."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(data)
    for name, real in pictures:
        digest.update(b"\0picture\0" + name.encode("utf-8", "surrogateescape") + b"\0")
        try:
            fd = open_real(real)
        except Refused:
            digest.update(b"\0refused\0")
            continue
        try:
            size = os.fstat(fd).st_size
            if limit is not None and size > limit:
                digest.update(b"\0too large\0%d" % size)
                continue
            while chunk := os.read(fd, 1 << 20):
                digest.update(chunk)
        finally:
            os.close(fd)
    return digest.hexdigest()


def options_key(version: str, writer: object, options: object) -> str:
    """What shapes one format's output besides the input: toolkit version, writer, options."""
    values = dataclasses.asdict(options) if dataclasses.is_dataclass(options) and not isinstance(options, type) else options
    text = json.dumps(
        [version, type(writer).__module__, type(writer).__qualname__, values], sort_keys=True, default=str, ensure_ascii=True
    )
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


@dataclasses.dataclass
class Record:
    source: str
    signature: str
    hash: str
    formats: dict[str, str]  # format -> options key
    warnings: list[list[str]]  # [code, message] of the input's warnings


class Manifest:
    """The records of one output folder. Holds one short string per input, parsed on demand."""

    def __init__(self, outdir: Path) -> None:
        self.path = outdir / MANIFEST_NAME
        self._lines: dict[str, str] = {}
        self._journal: TextIO | None = None
        self._appended = 0
        self.problem: str | None = None  # set when the manifest could not be read or written

    def load(self) -> None:
        try:
            fd = open_private(self.path, os.O_RDONLY)  # a link or FIFO planted as the manifest is not read
            with os.fdopen(fd, encoding="ascii", errors="replace") as handle:
                for line in handle:
                    if not line.endswith("\n"):
                        break  # torn by a kill in the middle of an append
                    try:
                        record = json.loads(line)
                    except ValueError:
                        continue
                    if isinstance(record, list) and len(record) == 6 and isinstance(record[0], str):
                        self._lines[record[0]] = line
        except FileNotFoundError:
            pass
        except OSError as exc:
            self.problem = f"cannot read the manifest: {exc.strerror or exc}; every file is rebuilt"

    def get(self, key: str) -> Record | None:
        line = self._lines.get(key)
        if line is None:
            return None
        try:
            _, source, signature, digest, formats, warnings = json.loads(line)
            return Record(source, signature, digest, dict(formats), list(warnings))
        except (ValueError, TypeError):
            return None

    def put(self, key: str, record: Record) -> None:
        line = json.dumps([key, record.source, record.signature, record.hash, record.formats, record.warnings],
                          ensure_ascii=True, separators=(",", ":")) + "\n"
        self._lines[key] = line
        if self.problem:
            return
        try:
            if self._journal is None:
                fd = open_private(self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND)  # never a link's target
                self._journal = os.fdopen(fd, "a", encoding="ascii")  # kept open for the run
                if os.fstat(fd).st_size == 0:
                    self._journal.write(_HEADER + "\n")
            self._journal.write(line)
            self._journal.flush()
            self._appended += 1
        except OSError as exc:
            self.problem = f"cannot update the manifest: {exc.strerror or exc}; the next run rebuilds what this one made"

    def forget(self, key: str) -> None:
        """Record that nothing built for ``key`` may be trusted (a line with no formats)."""
        if key in self._lines:
            self.put(key, Record("", "", "", {}, []))

    def close(self) -> None:
        """Close the journal; rewrite the file with one line per input when it has grown."""
        if self._journal is not None:
            try:
                self._journal.close()
            except OSError:
                pass
            self._journal = None
        if self._appended and not self.problem:
            live = (line for line in self._lines.values() if not line.endswith(',"","","",{},[]]\n'))
            data = (_HEADER + "\n" + "".join(live)).encode("ascii")
            try:
                atomic_write(self.path, data)
            except Exception as exc:  # a manifest we cannot compact costs speed, never correctness
                self.problem = f"cannot rewrite the manifest: {exc}"
