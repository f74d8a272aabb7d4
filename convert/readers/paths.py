"""What a seed file's place in the tree says: category folders, date folder, article folder."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..fsutil import display_path

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_CN_FULL_DATE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_CN_DATE = re.compile(r"^(\d{1,2})月(\d{1,2})日$")
PICTURE_FOLDER = "图片"


@dataclass(frozen=True)
class Placement:
    source: str  # relative path, posix separators
    category: tuple[str, ...]
    date: str | None
    date_folder: str | None
    article_folder: str | None  # the {index}{title}/ folder that holds an article with pictures


def parse_date_folder(name: str) -> str | None:
    """ISO 8601 for a date folder name (``2019-08-29``, ``2019年8月29日``, ``08月29日`` → ``--08-29``)."""
    for pattern in (_ISO_DATE, _CN_FULL_DATE):
        m = pattern.match(name)
        if m:
            year, month, day = (int(g) for g in m.groups())
            return f"{year:04d}-{month:02d}-{day:02d}" if _valid(month, day) else None
    m = _CN_DATE.match(name)
    if m:
        month, day = int(m.group(1)), int(m.group(2))
        return f"--{month:02d}-{day:02d}" if _valid(month, day) else None
    return None


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def is_article_folder(folder: Path, file: PurePath) -> bool:
    """The folder a crawler made for one article with pictures: named like the article."""
    return folder.name in (file.stem, file.name) or (folder / PICTURE_FOLDER).is_dir()


def placement(path: Path, root: Path | None) -> Placement:
    """Read category, date and article folder off the path of ``path`` below ``root``."""
    if root is None:
        root = path.parent
    rel: PurePath
    try:
        rel = path.relative_to(root)
    except ValueError:
        rel = PurePath(path.name)
    folders = list(rel.parts[:-1])
    article_folder = None
    if folders and is_article_folder(path.parent, path):
        article_folder = folders.pop()
    date = date_folder = None
    category: list[str] = []
    for name in folders:
        parsed = parse_date_folder(name)
        if parsed and date is None:
            date, date_folder = parsed, name
        else:
            category.append(name)
    return Placement(
        display_path(rel.as_posix()), tuple(display_path(c) for c in category), date,
        date_folder and display_path(date_folder), article_folder and display_path(article_folder),
    )

