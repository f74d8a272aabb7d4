"""The TrueType subsetter: one CID-keyed subset per face per document, and sfnt helpers.

A subset's glyph ``n`` is the ``n``-th glyph the document used (0 is ``.notdef``), which is
also its CID: the PDF font is a Type 0 font with ``/Identity-H`` encoding and an identity
``CIDToGIDMap``. Composite glyphs pull in their components after the used glyphs.
"""

from __future__ import annotations

import struct
import sys
from array import array
from itertools import accumulate
from operator import itemgetter
from typing import cast

from .sfnt import SfntFace

_COMPOSITE_MORE, _COMPOSITE_WORDS = 0x0020, 0x0001
#: A glyph's bytes padded to four, its components (offset, original index), its checksum.
_Entry = tuple[bytes, tuple[tuple[int, int], ...], int]
_COMPOSITE_SCALE, _COMPOSITE_XY_SCALE, _COMPOSITE_2X2 = 0x0008, 0x0040, 0x0080


class Subsetter:
    """Builds subsets of one face; the tables every subset shares and each glyph's bytes are
    read once per process."""

    def __init__(self, face: SfntFace) -> None:
        self.face = face
        self.glyphs: dict[int, _Entry] = {}
        self.composites: set[int] = set()  # the composite glyphs among those read
        self.tables: dict[str, bytes] = {}
        for tag in ("OS/2", "cvt ", "fpgm", "prep", "hhea", "maxp", "head"):
            if tag in face.tables:  # cvt, fpgm and prep are optional
                self.tables[tag] = face.table(tag)
        self.tables["name"] = face.name_table()
        post = face.table("post") if "post" in face.tables else b"\0" * 32
        self.post = b"\x00\x03\x00\x00" + post[4:16] + b"\x00" * 16
        # the tables every subset copies unchanged, with their checksums, computed once
        shared_tags: tuple[str, ...] = ("name", "OS/2", "cvt ", "fpgm", "prep")
        self.shared: dict[str, bytes] = {tag: self.tables[tag] for tag in shared_tags if tag in self.tables}
        self.shared["post"] = self.post
        self.shared_sums: dict[str, int] = {tag: table_checksum(data) for tag, data in self.shared.items()}

    def glyph(self, index: int) -> _Entry:
        """A glyph's bytes padded to four; for a composite glyph, the offset and original index of
        each component's glyph index (none for a simple glyph); its checksum."""
        found = self.glyphs.get(index)
        if found is None:
            data = bytes(self.face.glyph_data(index))
            components: list[tuple[int, int]] = []
            if len(data) > 2 and struct.unpack(">h", data[:2])[0] < 0:
                at, flags = 10, _COMPOSITE_MORE
                while flags & _COMPOSITE_MORE and at + 4 <= len(data):
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
            if components:
                self.composites.add(index)
        return found

    def __call__(self, used: list[int]) -> bytes:
        """A TrueType font whose glyph ``n`` is the face's glyph ``used[n]`` (``used[0]`` is 0)."""
        return sfnt(*self.tables_for(used))

    def tables_for(self, used: list[int]) -> tuple[dict[str, bytes], dict[str, int]]:
        """The tables of :meth:`__call__`'s font, and the checksums known of them, for :func:`sfnt`
        (the OFD writer adds a cmap before the file is put together)."""
        glyph_map = list(used)  # new index -> original index
        found = list(map(self.glyphs.get, glyph_map))
        entries = list(map(self.glyph, glyph_map)) if None in found else cast("list[_Entry]", found)
        glyph_set: dict[int, int] = {}
        if not self.composites.isdisjoint(glyph_map):  # composite glyphs: pull in their parts
            glyph_set = {original: new for new, original in enumerate(glyph_map)}
            n = 0
            while n < len(glyph_map):
                for _, component in self.glyph(glyph_map[n])[1]:
                    if component not in glyph_set and component < self.face.glyph_count:
                        glyph_set[component] = len(glyph_map)
                        glyph_map.append(component)
                n += 1
            entries = list(map(self.glyph, glyph_map))

        output: dict[str, bytes] = dict(self.shared)

        advances, lsbs = self.face.advances, self.face.lsbs
        last, n_lsbs = len(advances) - 1, len(lsbs)
        hmtx = [0, 0] * len(glyph_map)
        highest = max(glyph_map)
        if highest < n_lsbs and highest <= last:  # every glyph has its own metrics
            hmtx[0::2] = map(advances.__getitem__, glyph_map)
            hmtx[1::2] = map(lsbs.__getitem__, glyph_map)
        else:
            hmtx[0::2] = [advances[g if g <= last else last] for g in glyph_map]
            hmtx[1::2] = [lsbs[g] if g < n_lsbs else 0 for g in glyph_map]
        k = len(hmtx) - 2
        while k and hmtx[k] == hmtx[k - 2]:
            k -= 2
        k += 2
        long_metrics = k >> 1
        hmtx = hmtx[:k] + hmtx[k + 1 :: 2]
        output["hmtx"] = struct.pack(f">{len(hmtx)}H", *hmtx)
        output["hhea"] = set_ushort(self.tables["hhea"], 34, long_metrics)
        output["maxp"] = set_ushort(self.tables["maxp"], 4, len(glyph_map))

        if glyph_set:
            entries = [self._renumbered(entry, glyph_set) if entry[1] else entry for entry in entries]
        parts = list(map(itemgetter(0), entries))
        glyf_sum = sum(map(itemgetter(2), entries))
        offsets = [0, *accumulate(map(len, parts))]
        pos = offsets[-1]
        output["glyf"] = b"".join(parts)
        if (pos + 1) >> 1 > 0xFFFF:
            loca_format, loca = 1, struct.pack(f">{len(offsets)}L", *offsets)
        else:
            loca_format, loca = 0, struct.pack(f">{len(offsets)}H", *[o >> 1 for o in offsets])
        output["loca"] = loca
        output["head"] = set_ushort(self.tables["head"], 50, loca_format)
        return output, {"glyf": glyf_sum & 0xFFFFFFFF, **self.shared_sums}


    @staticmethod
    def _renumbered(entry: _Entry, glyph_set: dict[int, int]) -> _Entry:
        """A composite glyph's entry with its components' glyph indices those of the subset."""
        data, components, _checksum = entry
        patched = bytearray(data)
        for at, component in components:
            struct.pack_into(">H", patched, at, glyph_set.get(component, 0))
        return bytes(patched), components, table_checksum(bytes(patched))


def table_checksum(data: bytes) -> int:
    """The TrueType table checksum: the sum of big-endian 32-bit words, modulo 2**32."""
    words = array("I", data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        words.byteswap()
    return sum(words) & 0xFFFFFFFF


def sfnt(tables: dict[str, bytes], sums: dict[str, int]) -> bytes:
    """A TrueType file from its tables; ``sums`` holds checksums known already, and the file's
    checksum is the sum of its parts'."""
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
