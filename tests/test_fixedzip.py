"""One zip helper with fixed entry times serves the EPUB and DOCX writers."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from convert.writers.fixedzip import ZIP_EPOCH, FixedTimeZip


def test_entries_written_by_name_carry_the_fixed_time_and_attributes() -> None:
    out = io.BytesIO()
    with FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.create_system = 0
        z.writestr("a.txt", b"x")
        z.writestr("b.txt", b"y", compress_type=zipfile.ZIP_STORED)
    with zipfile.ZipFile(out) as z:
        a, b = z.infolist()
    assert a.date_time == b.date_time == ZIP_EPOCH
    assert a.external_attr == 0o644 << 16 and a.create_system == 0
    assert (a.compress_type, b.compress_type) == (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED)


def test_no_writer_keeps_its_own_fixed_time_zip_class() -> None:
    root = Path(__file__).resolve().parent.parent / "convert"
    own = [str(p.relative_to(root)) for p in root.rglob("*.py")
           if p.name != "fixedzip.py" and re.search(r"^class \w*FixedTime\w*", p.read_text("utf-8"), re.M)]
    assert own == []
