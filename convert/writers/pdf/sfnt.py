"""A TrueType face read lazily: only what the PDF writer needs, from a memory-mapped file.

reportlab's ``TTFont`` parses the whole character map and every glyph's metrics in pure
Python when a font is loaded (about 1 s of CPU for the three faces a document used, most of
a single article's conversion). Here opening a face reads its table directory and a few
small tables; a character is looked up in the ``cmap`` subtable's segments (binary search)
when it is first asked for, widths come from the ``hmtx`` array, and a glyph's bytes are
sliced out of the mapped file when a subset needs them.
"""

from __future__ import annotations

import mmap
import struct
import sys
from array import array
from bisect import bisect_left
from pathlib import Path


class SfntError(ValueError):
    """Not a TrueType font this writer can embed (with the reason)."""


def _array(typecode: str, data: bytes) -> array[int]:
    """Big-endian numbers as a native array."""
    values = array(typecode)
    values.frombytes(data[: len(data) // values.itemsize * values.itemsize])
    if sys.byteorder == "little":
        values.byteswap()
    return values


class SfntFace:
    """One face of a ``.ttf``/``.ttc`` file with TrueType (``glyf``) outlines."""

    def __init__(self, path: Path | str, subfont_index: int = 0) -> None:
        with open(path, "rb") as handle:
            try:
                self.data: bytes | mmap.mmap = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except ValueError:  # an empty file cannot be mapped
                raise SfntError("empty file") from None
        data = self.data
        offset = 0
        if data[:4] == b"ttcf":
            count = struct.unpack(">L", data[8:12])[0]
            if not 0 <= subfont_index < count:
                raise SfntError(f"font collection has no subfont {subfont_index}")
            offset = struct.unpack(">L", data[12 + 4 * subfont_index : 16 + 4 * subfont_index])[0]
        version = data[offset : offset + 4]
        if version == b"OTTO":
            raise SfntError("has CFF (PostScript) outlines, which this writer cannot embed")
        if version not in (b"\x00\x01\x00\x00", b"true"):
            raise SfntError("not a TrueType font")
        tables = struct.unpack(">H", data[offset + 4 : offset + 6])[0]
        self.tables: dict[str, tuple[int, int]] = {}
        for i in range(tables):
            at = offset + 12 + 16 * i
            tag = data[at : at + 4].decode("latin-1")
            start, length = struct.unpack(">LL", data[at + 8 : at + 16])
            if start + length > len(data):
                raise SfntError(f"table {tag!r} runs past the end of the file")
            self.tables[tag] = (start, length)
        for tag in ("head", "hhea", "hmtx", "maxp", "cmap", "glyf", "loca"):
            if tag not in self.tables:
                raise SfntError(f"has no {tag!r} table" + (" (no TrueType outlines)" if tag == "glyf" else ""))

        head = self.table("head")
        self.units_per_em = struct.unpack(">H", head[18:20])[0] or 1000
        self.bbox = struct.unpack(">hhhh", head[36:44])
        loca_format = struct.unpack(">h", head[50:52])[0]
        hhea = self.table("hhea")
        self.ascent, self.descent = struct.unpack(">hh", hhea[4:8])
        metrics = struct.unpack(">H", hhea[34:36])[0]
        self.glyph_count = struct.unpack(">H", self.table("maxp")[4:6])[0]
        hmtx = _array("H", self.table("hmtx"))
        if metrics < 1 or len(hmtx) < 2 * metrics:
            raise SfntError("broken hmtx table")
        self.advances = hmtx[0 : 2 * metrics : 2]
        lsbs = hmtx[1 : 2 * metrics : 2]
        lsbs.extend(hmtx[2 * metrics :])
        self.lsbs = lsbs  # unsigned here; written back as the same 16 bits
        loca = _array("H" if loca_format == 0 else "I", self.table("loca"))
        self.loca = array("I", (o * 2 for o in loca)) if loca_format == 0 else loca
        if len(self.loca) < self.glyph_count + 1:
            raise SfntError("broken loca table")
        self.glyf_start = self.tables["glyf"][0]

        self.cap_height = self.ascent
        self.weight = 400
        if "OS/2" in self.tables:
            os2 = self.table("OS/2")
            self.weight = struct.unpack(">H", os2[4:6])[0]
            fs_type = struct.unpack(">H", os2[8:10])[0]
            if fs_type == 0x0002 or fs_type & 0x0300:
                raise SfntError(f"its licence does not allow embedding (fsType {fs_type:04X})")
            if struct.unpack(">H", os2[0:2])[0] >= 2 and len(os2) >= 90:
                self.cap_height = struct.unpack(">h", os2[88:90])[0]
        self.italic_angle = 0.0
        self.fixed_pitch = False
        if "post" in self.tables:
            post = self.table("post")
            self.italic_angle = struct.unpack(">l", post[4:8])[0] / 65536.0
            self.fixed_pitch = struct.unpack(">L", post[12:16])[0] != 0
        self.names = self._names()
        self.postscript_name = self.names.get(6) or Path(path).stem
        self._read_cmap()

    def table(self, tag: str) -> bytes:
        start, length = self.tables[tag]
        return self.data[start : start + length]

    # ------------------------------------------------------------ names

    def _names(self) -> dict[int, str]:
        """Name records 1-6 (family, style, unique id, full name, version, PostScript name)."""
        if "name" not in self.tables:
            return {}
        raw = self.table("name")
        count, storage = struct.unpack(">HH", raw[2:6])
        found: dict[int, tuple[int, str]] = {}
        for i in range(count):
            platform, encoding, language, name_id, length, offset = struct.unpack(">6H", raw[6 + 12 * i : 18 + 12 * i])
            if not 1 <= name_id <= 6:
                continue
            value = raw[storage + offset : storage + offset + length]
            if platform == 3 or platform == 0:
                rank, text = (0 if language == 0x409 else 1), value.decode("utf-16-be", "replace")
            elif platform == 1 and encoding == 0:
                rank, text = 2, value.decode("mac-roman", "replace")
            else:
                continue
            if name_id not in found or rank < found[name_id][0]:
                found[name_id] = (rank, text)
        names = {k: v for k, (_, v) in found.items()}
        if 6 in names:  # a PDF name: printable ASCII, no delimiters
            names[6] = "".join(c for c in names[6] if "!" <= c <= "~" and c not in "()<>[]{}/%#") or "Font"
        return names

    def name_table(self) -> bytes:
        """A small ``name`` table with records 1-6 only (Windows, UTF-16), for a subset."""
        records = []
        storage = b""
        for name_id in sorted(self.names):
            value = self.names[name_id].encode("utf-16-be")
            records.append(struct.pack(">6H", 3, 1, 0x409, name_id, len(value), len(storage)))
            storage += value
        return struct.pack(">HHH", 0, len(records), 6 + 12 * len(records)) + b"".join(records) + storage

    # ------------------------------------------------------------ characters

    def _read_cmap(self) -> None:
        cmap_start = self.tables["cmap"][0]
        raw = self.table("cmap")
        count = struct.unpack(">H", raw[2:4])[0]
        choices: dict[tuple[int, int], int] = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack(">HHL", raw[4 + 8 * i : 12 + 8 * i])
            fmt = struct.unpack(">H", raw[offset : offset + 2])[0]
            choices[(fmt, platform * 100 + encoding)] = offset
        data = self.data
        for key in ((12, 310), (12, 4), (12, 3), (4, 301), (4, 3), (4, 1), (4, 0), (4, 300)):
            if key in choices:
                at = cmap_start + choices[key]
                break
        else:
            raise SfntError("has no Unicode character map (cmap format 4 or 12)")
        self._format = key[0]
        if key[0] == 12:
            groups = struct.unpack(">L", data[at + 12 : at + 16])[0]
            values = _array("I", data[at + 16 : at + 16 + 12 * groups])
            self._starts, self._ends, self._glyphs = values[0::3], values[1::3], values[2::3]
        else:
            length = struct.unpack(">H", data[at + 2 : at + 4])[0]
            segments = struct.unpack(">H", data[at + 6 : at + 8])[0] // 2
            body = _array("H", data[at + 14 : at + length])
            self._ends = body[0:segments]
            self._starts = body[segments + 1 : 2 * segments + 1]
            self._glyphs = body[2 * segments + 1 : 3 * segments + 1]  # idDelta
            self._ranges = body[3 * segments + 1 :]  # idRangeOffset, then glyphIdArray

    def glyph_of(self, code: int) -> int:
        """The glyph index for a code point (0 when the face has none)."""
        ends = self._ends
        i = bisect_left(ends, code)
        if i >= len(ends) or code < self._starts[i]:
            return 0
        if self._format == 12:
            glyph = self._glyphs[i] + code - self._starts[i]
        else:
            if code > 0xFFFF:
                return 0
            range_offset = self._ranges[i]
            if range_offset == 0:
                glyph = (code + self._glyphs[i]) & 0xFFFF
            else:
                at = i + range_offset // 2 + code - self._starts[i]
                glyph = self._ranges[at] if at < len(self._ranges) else 0
                if glyph:
                    glyph = (glyph + self._glyphs[i]) & 0xFFFF
        return glyph if glyph < self.glyph_count else 0

    def advance(self, glyph: int) -> int:
        """A glyph's advance width in font units."""
        advances = self.advances
        return advances[glyph] if glyph < len(advances) else advances[-1]

    def glyph_data(self, glyph: int) -> bytes:
        """A glyph's bytes in the ``glyf`` table (empty for a blank glyph)."""
        start = self.glyf_start
        return self.data[start + self.loca[glyph] : start + self.loca[glyph + 1]]
