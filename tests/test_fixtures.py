"""Every bundled seed variant against its fixture: the JSON model the reader makes of it.

``tests/fixtures/seeds/<path below seeds/>.json`` holds the reader's result exactly: the
document's JSON form (schema ``convert.document/3``) under ``"document"``, and the reader's
diagnostics (which the document no longer holds) under ``"diagnostics"``; a change in what
the reader sees, however small (an index, a diagnostic, a paragraph split), fails here with
the difference. Rewrite after a deliberate change with
``CONVERT_REGENERATE_GOLDEN=1 pytest tests/test_fixtures.py`` and say why in the commit.
"""

from __future__ import annotations

import json
from pathlib import Path

import convert
from convert.jsonform import to_dict
from convert.model import Document, Image, ReadResult, map_images

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "seeds"


def portable(document: Document, seeds_root: Path) -> Document:
    """Picture paths relative to the repository, so the fixture holds on any checkout."""
    base = seeds_root.parent

    def relative(image: Image) -> Image:
        if image.path is None:
            return image
        return Image(image.src, Path(image.path).relative_to(base).as_posix(), image.alt)

    return map_images(document, relative)


def result_json(result: ReadResult, seeds_root: Path) -> str:
    """The fixture's text: the document's JSON form and the reader's diagnostics beside it."""
    diagnostics = [{"level": d.level, "code": d.code, "message": d.message} for d in result.diagnostics]
    data = {"document": to_dict(portable(result.document, seeds_root)), "diagnostics": diagnostics}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def fixture_of(seed_file: Path, seeds_root: Path) -> Path:
    return FIXTURES / (seed_file.relative_to(seeds_root).as_posix() + ".json")


def test_each_seed_reads_exactly_as_its_fixture(seed_file, seeds_root, regenerate_golden):
    actual = result_json(convert.read(seed_file, root=seeds_root), seeds_root)
    fixture = fixture_of(seed_file, seeds_root)
    if regenerate_golden:
        fixture.parent.mkdir(parents=True, exist_ok=True)
        fixture.write_text(actual, "utf-8")
    assert fixture.is_file(), f"no fixture for {seed_file}: run with CONVERT_REGENERATE_GOLDEN=1"
    assert actual == fixture.read_text("utf-8")


def test_every_fixture_has_its_seed(seed_files, seeds_root):
    expected = {fixture_of(path, seeds_root) for path in seed_files}
    assert set(FIXTURES.rglob("*.json")) == expected
