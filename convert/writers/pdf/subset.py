"""The TrueType subsetter reportlab calls for every 256-glyph subset, and sfnt helpers."""

from __future__ import annotations

import struct
import sys
from array import array
from typing import Any

from .reportlab_compat import font_file_bytes

_COMPOSITE_MORE, _COMPOSITE_WORDS = 0x0020, 0x0001
_COMPOSITE_SCALE, _COMPOSITE_XY_SCALE, _COMPOSITE_2X2 = 0x0008, 0x0040, 0x0080
_NAME_IDS_KEPT = (1, 2, 3, 4, 5, 6)  # family, style, unique id, full name, version, PostScript name


class Subsetter:
    """reportlab's ``makeSubset`` without its per-document costs, output of the same shape.

    reportlab slices the whole ``glyf`` table (17 MB for AR PL UMing) out of the font file
    again for every 256-glyph subset of every document and copies the full ``name`` table
    (23 KB of licence text in AR PL UMing) into each subset. Here the tables and every
    glyph's bytes are read once per process, and the subset's ``name`` table keeps only the
    records that identify the font.
    """

    def __init__(self, face: Any) -> None:
        self.face = face
        self.glyf_start = face.get_table_pos("glyf")[0]
        self.data = font_file_bytes(face)
        self.glyphs: dict[int, tuple[bytes, tuple[int, ...], int]] = {}
        self.tables: dict[str, bytes] = {}
        for tag in ("OS/2", "cvt ", "fpgm", "prep", "hhea", "maxp", "head"):
            try:
                self.tables[tag] = face.get_table(tag)
            except KeyError:  # cvt, fpgm and prep are optional
                pass
        self.tables["name"] = self._small_name_table(face)
        self.post = b"\x00\x03\x00\x00" + face.get_table("post")[4:16] + b"\x00" * 16
        # reportlab's hmetrics past the hhea's long metrics repeat the last advance already scaled
        # to 1000 units per em: the subset must keep the font's own (PDF/A checks it against /Widths)
        self.long_metrics = struct.unpack(">H", self.tables["hhea"][34:36])[0]
        self.last_advance = face.hmetrics[self.long_metrics - 1][0] if self.long_metrics else 0

    @staticmethod
    def _small_name_table(face: Any) -> bytes:
        from fontTools.ttLib import newTable
        from fontTools.ttLib.tables._n_a_m_e import NameRecord

        raw = face.get_table("name")
        count, storage = struct.unpack(">HH", raw[2:6])
        table = newTable("name")
        table.names = []
        for i in range(count):
            platform, encoding, language, name_id, length, offset = struct.unpack(">6H", raw[6 + 12 * i : 18 + 12 * i])
            if name_id in _NAME_IDS_KEPT:
                record = NameRecord()
                record.platformID, record.platEncID, record.langID, record.nameID = platform, encoding, language, name_id
                record.string = raw[storage + offset : storage + offset + length]
                table.names.append(record)
        return table.compile(None)

    def glyph(self, index: int) -> tuple[bytes, tuple[tuple[int, int], ...], int]:
        """A glyph's bytes padded to four; for a composite glyph, the offset and original index of
        each component's glyph index (none for a simple glyph); its checksum."""
        found = self.glyphs.get(index)
        if found is None:
            pos = self.face.glyphPos
            start, end = pos[index], pos[index + 1]
            data = self.data[self.glyf_start + start : self.glyf_start + end]
            components: list[tuple[int, int]] = []
            if len(data) > 2 and struct.unpack(">h", data[:2])[0] < 0:
                at, flags = 10, _COMPOSITE_MORE
                while flags & _COMPOSITE_MORE:
                    flags, component = struct.unpack(">HH", data[at : at + 4])
                    components.append((at + 2, component))
                    at += 8 if flags & _COMPOSITE_WORDS else 6
                    if flags & _COMPOSITE_SCALE:
                        at += 2
                    elif flags & _COMPOSITE_XY_SCALE:
                        at += 4
                    elif flags & _COMPOSITE_2X2:
                        at += 8
            data += b"\0" * (-len(data) % 4)
            found = self.glyphs[index] = (data, tuple(components), table_checksum(data))
        return found

    def __call__(self, subset: list[int]) -> bytes:
        char_to_glyph = self.face.charToGlyph
        glyph_map = [0]  # new index -> original index
        glyph_set = {0: 0}  # original index -> new index
        code_to_glyph = []
        for code in subset:
            original = char_to_glyph.get(code, 0)
            if original not in glyph_set:
                glyph_set[original] = len(glyph_map)
                glyph_map.append(original)
            code_to_glyph.append(glyph_set[original])
        n = 0
        while n < len(glyph_map):  # pull in the parts of composite glyphs
            for _, component in self.glyph(glyph_map[n])[1]:
                if component not in glyph_set:
                    glyph_set[component] = len(glyph_map)
                    glyph_map.append(component)
            n += 1

        output: dict[str, bytes] = {}
        for tag in ("name", "OS/2", "cvt ", "fpgm", "prep"):
            if tag in self.tables:
                output[tag] = self.tables[tag]
        output["post"] = self.post

        hmetrics = self.face.hmetrics
        hmtx: list[int] = []
        for original in glyph_map:
            aw, lsb = hmetrics[original]
            if original >= self.long_metrics:
                aw = self.last_advance
            hmtx += (int(aw), int(lsb))
        k = len(hmtx) - 2
        while k and hmtx[k] == hmtx[k - 2]:
            k -= 2
        k += 2
        long_metrics = k >> 1
        hmtx = hmtx[:k] + hmtx[k + 1 :: 2]
        output["hmtx"] = struct.pack(f">{len(hmtx)}H", *hmtx)
        output["hhea"] = set_ushort(self.tables["hhea"], 34, long_metrics)
        output["maxp"] = set_ushort(self.tables["maxp"], 4, len(glyph_map))

        entries = len(subset)
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + entries * 2, 0, 0, entries, *code_to_glyph]
        output["cmap"] = struct.pack(f">{len(cmap)}H", *cmap)

        parts: list[bytes] = []
        offsets: list[int] = []
        pos = 0
        glyf_sum = 0
        for original in glyph_map:
            offsets.append(pos)
            data, components, checksum = self.glyph(original)
            if components:  # renumber the components
                patched = bytearray(data)
                for at, component in components:
                    struct.pack_into(">H", patched, at, glyph_set[component])
                data = bytes(patched)
                checksum = table_checksum(data)
            parts.append(data)
            pos += len(data)
            glyf_sum += checksum
        offsets.append(pos)
        output["glyf"] = b"".join(parts)
        if (pos + 1) >> 1 > 0xFFFF:
            loca_format, loca = 1, struct.pack(f">{len(offsets)}L", *offsets)
        else:
            loca_format, loca = 0, struct.pack(f">{len(offsets)}H", *[o >> 1 for o in offsets])
        output["loca"] = loca
        output["head"] = set_ushort(self.tables["head"], 50, loca_format)
        return sfnt(output, {"glyf": glyf_sum & 0xFFFFFFFF})


def table_checksum(data: bytes) -> int:
    """The TrueType table checksum: the sum of big-endian 32-bit words, modulo 2**32."""
    words = array("I", data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def sfnt(tables: dict[str, bytes], sums: dict[str, int]) -> bytes:
    """A TrueType file from its tables, byte for byte what reportlab's TTFontMaker makes, faster:
    ``sums`` holds checksums known already, and the file's checksum is the sum of its parts'."""
    count = len(tables)
    search = 1
    selector = 0
    while search * 2 <= count:
        search *= 2
        selector += 1
    header = [struct.pack(">LHHHH", 0x00010000, count, search * 16, selector, count * 16 - search * 16)]
    body: list[bytes] = []
    offset = 12 + count * 16
    head_offset = 0
    total = 0
    for tag in sorted(tables):
        data = tables[tag]
        if tag == "head":
            data = data[:8] + b"\0\0\0\0" + data[12:]  # checksumAdjustment is computed over the whole file
            head_offset = offset
        checksum = sums[tag] if tag in sums else table_checksum(data)
        total += checksum
        header.append(tag.encode("latin-1") + struct.pack(">LLL", checksum, offset, len(data)))
        padded = data + b"\0" * (-len(data) % 4)
        body.append(padded)
        offset += len(padded)
    directory = b"".join(header)
    font = b"".join([directory, *body])
    adjustment = (0xB1B0AFBA - total - table_checksum(directory)) & 0xFFFFFFFF
    return font[: head_offset + 8] + struct.pack(">L", adjustment) + font[head_offset + 12 :]


def set_ushort(data: bytes, offset: int, value: int) -> bytes:
    """``data`` with the big-endian unsigned short at ``offset`` set to ``value``."""
    return data[:offset] + struct.pack(">H", value) + data[offset + 2 :]
