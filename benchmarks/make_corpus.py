"""Generate an N-file corpus from the seed files in ``seeds/``, for benchmarks and tests.

Every generated article is a real seed file (every variant in ``seeds/``, in turn) under
its own category/date folders, with its title numbered so that no two files share
content; articles with pictures keep their ``{title}/图片/`` folder beside them.

    python benchmarks/make_corpus.py 1000 /tmp/corpus
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SEEDS = HERE.parent / "seeds"
PICTURES = "图片"


def seed_files(seeds: Path) -> list[Path]:
    return sorted(p for p in seeds.rglob("*.txt") if p.is_file())


def _number_title(data: bytes, n: int) -> bytes:
    """Make line 1 unique: the title gets a suffix (before a trailing ``.txt``)."""
    newline = data.find(b"\n")
    line, rest = (data, b"") if newline < 0 else (data[:newline], data[newline:])
    glued = line.find(b"<div>")
    if glued > 0:  # a title glued to the body: number the title part
        line, rest = line[:glued], line[glued:] + rest
    suffix = f"（第{n}篇）".encode()
    line = line.rstrip(b"\r")
    if line.endswith(b".txt"):
        line = line[:-4] + suffix + b".txt"
    else:
        line = line + suffix
    return line + rest


def make_corpus(count: int, target: Path, seeds: Path = DEFAULT_SEEDS, per_folder: int = 500) -> int:
    """Write ``count`` articles below ``target``; return the number of ``.txt`` files."""
    sources = seed_files(seeds)
    if not sources:
        raise SystemExit(f"no seed .txt files under {seeds}")
    for n in range(count):
        source = sources[n % len(sources)]
        relative = source.relative_to(seeds)
        data = source.read_bytes()
        folder = target / f"part{n // per_folder:03d}"
        has_pictures = (source.parent / PICTURES).is_dir()
        if has_pictures:
            # {…}/{article}/{article}.txt with {article}/图片/: number the article folder and the file.
            article = relative.parent
            name = article.name  # the plain-text crawler names the folder like the file, ".txt" and all
            new_name = f"{name[:-4]}{n}.txt" if name.endswith(".txt") else f"{name}{n}"
            new_article = article.parent / new_name
            new = folder / new_article / f"{source.stem}{n}{source.suffix}"
            new.parent.mkdir(parents=True, exist_ok=True)
            pictures = new.parent / PICTURES
            if not pictures.exists():
                shutil.copytree(source.parent / PICTURES, pictures)
        else:
            new = folder / relative.parent / f"{source.stem}{n}{source.suffix}"
            new.parent.mkdir(parents=True, exist_ok=True)
        new.write_bytes(_number_title(data, n))
    return count


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int, help="number of articles to write")
    parser.add_argument("target", type=Path, help="folder to write them in (created)")
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS, help="where the seed files are [default: seeds/]")
    args = parser.parse_args(argv)
    if args.target.exists() and any(args.target.iterdir()):
        print(f"{args.target} is not empty; choose a new folder", file=sys.stderr)
        return 2
    made = make_corpus(args.count, args.target, args.seeds)
    size = sum(f.stat().st_size for f in args.target.rglob("*") if f.is_file())
    print(f"{made} articles, {size / 1e6:.1f} MB in {args.target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    os.umask(0o022)
    raise SystemExit(main())
