"""EPUB (and HTML) documents per second per core on seed-sized articles.

Not a test: run it by hand. One process (a batch worker's view: fonts parsed once), each
article rendered ``--repeat`` times in turn, to bytes (the writer's work; the atomic file
write is the batch layer's). Reports wall-clock and CPU (process) time; CPU time is the
per-core figure and is less disturbed by other work on the machine. With ``--embed-font``
it also reports the size of the embedded font subset.

    python benchmarks/bench_epub.py                  # the seeds/ folder
    python benchmarks/bench_epub.py path/to/seeds --repeat 50 --embed-font
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import zipfile
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import convert  # noqa: E402
from convert.model import Paragraph, plain_text, walk_blocks  # noqa: E402
from convert.writers import get_writer  # noqa: E402


def characters(document: convert.Document) -> int:
    return len(document.title) + sum(len(plain_text(b.content)) for b in walk_blocks(document.blocks) if isinstance(b, Paragraph))


def measure(writer_name: str, documents: list, repeat: int, **options: object) -> tuple[float, float, list[bytes]]:
    writer = get_writer(writer_name)
    opts = writer.make_options(**options)
    outputs = [writer.render(d, opts).data for d in documents]  # warm-up: imports, font caches
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(repeat):
        for document in documents:
            writer.render(document, opts)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    n = repeat * len(documents)
    return n / wall, n / cpu, outputs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", type=Path, default=[ROOT / "seeds"])
    parser.add_argument("--repeat", type=int, default=30, help="renders of each article [30]")
    parser.add_argument("--min-chars", type=int, default=300, help="skip articles shorter than this [300]")
    parser.add_argument("--max-chars", type=int, default=8000, help="skip articles longer than this [8000]")
    parser.add_argument("--embed-font", action="store_true", help="also measure --embed-font")
    args = parser.parse_args()

    files = sorted(p for root in args.inputs for p in ([root] if root.is_file() else root.rglob("*.txt")) if p.is_file())
    documents = []
    for path in files:
        try:
            document = convert.read(path).document
        except convert.ConvertError:
            continue
        if args.min_chars <= characters(document) <= args.max_chars:
            documents.append(document)
    if not documents:
        sys.exit("no seed-sized articles found")
    sizes = [characters(d) for d in documents]
    print(f"{len(documents)} articles, {statistics.median(sizes):.0f} characters median "
          f"({min(sizes)}-{max(sizes)}), {sum(1 for d in documents for _ in d.images())} pictures")

    for label, name, options, repeat in (
        ("epub", "epub", {}, args.repeat),
        ("html", "html", {}, args.repeat),
        *((("epub --embed-font", "epub", {"embed_font": True}, max(1, args.repeat // 10)),) if args.embed_font else ()),
    ):
        per_wall, per_cpu, outputs = measure(name, documents, repeat, **options)
        mean = statistics.mean(len(o) for o in outputs)
        print(f"{label:18} {per_cpu:8.1f} documents/s per core (CPU)  {per_wall:8.1f}/s wall  "
              f"{1000 / per_cpu:6.2f} ms each  mean output {mean / 1024:.1f} KiB")
        if options.get("embed_font"):
            fonts = []
            for out in outputs:
                with zipfile.ZipFile(BytesIO(out)) as z:
                    fonts.append(sum(i.file_size for i in z.infolist() if i.filename.endswith(".ttf")))
            print(f"{'':18} embedded font subset: {statistics.median(fonts) / 1024:.0f} KiB median "
                  f"({min(fonts) / 1024:.0f}-{max(fonts) / 1024:.0f} KiB), uncompressed")


if __name__ == "__main__":
    main()
