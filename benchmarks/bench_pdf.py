"""PDF documents per second per core on seed-sized articles (about 3,000 characters).

Not a test: run it by hand. One process, fonts parsed once (as in a batch worker), each
article rendered ``--repeat`` times in turn. Reports wall-clock and CPU (process) time;
CPU time is the per-core figure and is less disturbed by other work on the machine.

    python benchmarks/bench_pdf.py                 # the seeds/ folder
    python benchmarks/bench_pdf.py path/to/seeds --repeat 20 --page-size A5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import convert  # noqa: E402
from convert.model import Paragraph, plain_text, walk_blocks  # noqa: E402
from convert.writers import get_writer  # noqa: E402


def characters(document: convert.Document) -> int:
    return len(document.title) + sum(len(plain_text(b.content)) for b in walk_blocks(document.blocks) if isinstance(b, Paragraph))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", type=Path, default=[ROOT / "seeds"])
    parser.add_argument("--repeat", type=int, default=10, help="renders of each article [10]")
    parser.add_argument("--page-size", default="A4")
    parser.add_argument("--min-chars", type=int, default=1500, help="skip articles shorter than this [1500]")
    parser.add_argument("--max-chars", type=int, default=6000, help="skip articles longer than this [6000]")
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

    writer = get_writer("pdf")
    options = writer.make_options(page_size=args.page_size)
    started = time.perf_counter()
    writer.render(documents[0], options)  # parse the fonts once, as a batch worker does
    print(f"font loading and first document: {time.perf_counter() - started:.2f} s")

    sizes = []
    wall0, cpu0 = time.perf_counter(), time.process_time()
    per_doc = []
    for _ in range(args.repeat):
        for document in documents:
            t = time.process_time()
            rendered = writer.render(document, options)
            per_doc.append(time.process_time() - t)
            sizes.append(len(rendered.data))
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    count = len(per_doc)
    mean_chars = statistics.mean(characters(d) for d in documents)
    print(f"{len(documents)} articles (mean {mean_chars:.0f} characters) x {args.repeat} = {count} PDFs, {args.page_size}")
    print(f"CPU time : {count / cpu:6.1f} documents/s per core (median {statistics.median(per_doc) * 1000:.1f} ms each)")
    print(f"wall time: {count / wall:6.1f} documents/s")
    print(f"PDF size : mean {statistics.mean(sizes) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
