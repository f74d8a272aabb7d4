"""Words shown to readers are typed once, in convert/labels.py."""

from __future__ import annotations

from pathlib import Path

from convert import labels

ROOT = Path(__file__).resolve().parent.parent / "convert"
WORDS = ("图片缺失", "图片无法读取", "无标题", '"目录"', '"文集"')


def test_no_label_is_typed_outside_labels_py() -> None:
    found = [f"{p.relative_to(ROOT)}: {word}" for p in ROOT.rglob("*.py") if p.name != "labels.py"
             for word in WORDS if word in p.read_text("utf-8")]
    assert found == []


def test_the_missing_picture_label_has_one_spelling() -> None:
    assert labels.missing_picture("图片/2.jpg") == "图片缺失：图片/2.jpg"
    assert labels.missing_picture("a.jpg", labels.UNREADABLE_PICTURE) == "图片无法读取：a.jpg"
