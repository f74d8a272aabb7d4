"""Zip packages with fixed entry times (EPUB and DOCX): the same input gives the same bytes.

``zipfile`` stamps entries written by name with the clock; :class:`FixedTimeZip` stamps
them with ``fixed_time`` and fixed attributes instead. Both writers' packages go through it.
"""

from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from _typeshed import SizedBuffer

#: The earliest time a zip entry can hold.
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


class FixedTimeZip(zipfile.ZipFile):
    """A ZipFile whose entries written by name all carry one fixed time and fixed attributes."""

    fixed_time: tuple[int, int, int, int, int, int] = ZIP_EPOCH
    external_attr: int = 0o644 << 16  # rw-r--r--
    create_system: int | None = None  # None: zipfile's default for this platform

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            zinfo = zipfile.ZipInfo(zinfo_or_arcname, self.fixed_time)
            zinfo.compress_type = self.compression if compress_type is None else compress_type
            zinfo.external_attr = self.external_attr
            if self.create_system is not None:
                zinfo.create_system = self.create_system
            zinfo_or_arcname = zinfo
        super().writestr(zinfo_or_arcname, data, compress_type=compress_type, compresslevel=compresslevel)


__all__ = ["ZIP_EPOCH", "FixedTimeZip"]
