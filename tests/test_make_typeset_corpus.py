"""The typesetting test corpus (benchmarks/make_typeset_corpus.py) is seed format the
reader takes whole, and the same bytes on every run."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_typeset_corpus as corpus  # noqa: E402

import convert  # noqa: E402
from convert.model import Image, Paragraph, plain_text, walk_blocks  # noqa: E402


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return h.hexdigest()


def test_corpus_is_seed_format_and_reproducible(tmp_path: Path) -> None:
    written = corpus.make_typeset_corpus(tmp_path / "a", count=12, seed=7)
    corpus.make_typeset_corpus(tmp_path / "b", count=12, seed=7)
    assert len(written) == 12
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    text, pictures = "", 0
    for index, path in enumerate(written):
        result = convert.read(path)
        document = result.document
        assert document.meta.index == index and path.read_text("utf-8").split("\n", 1)[0] == path.name
        assert not result.diagnostics
        blocks = list(walk_blocks(document.blocks))
        images = [b for b in blocks if isinstance(b, Image)]
        assert all(image.path for image in images)  # every marker has its 图片/{n}.jpg
        pictures += len(images)
        paragraphs = [plain_text(b.content) for b in blocks if isinstance(b, Paragraph)]
        assert paragraphs and all(p and not p.startswith("\u3000") for p in paragraphs)
        text += "".join(paragraphs)
    assert pictures > 0
    for sample in ("１", "％", "“", "”", "——", "……"):
        assert sample in text
