"""CPU milliseconds per seed article: PDF (PDF/A-2u, and without it) against OFD.

Not a test: run it by hand. One process, fonts parsed once (as in a batch worker); each
article is rendered ``--repeat`` times in each format, the formats interleaved so that
load on the machine falls on all of them alike. CPU (process) time, the per-core figure.

    python benchmarks/bench_ofd.py                 # every seed article
    python benchmarks/bench_ofd.py path/to/seeds --repeat 20
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
from convert.writers import get_writer  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", type=Path, default=[ROOT / "seeds"])
    parser.add_argument("--repeat", type=int, default=10, help="renders of each article in each format [10]")
    args = parser.parse_args()

    files = sorted(p for root in args.inputs for p in ([root] if root.is_file() else root.rglob("*.txt")) if p.is_file())
    documents = []
    for path in files:
        try:
            documents.append(convert.read(path).document)
        except convert.ConvertError:
            continue
    if not documents:
        sys.exit("no articles found")

    pdf, ofd = get_writer("pdf"), get_writer("ofd")
    cases = {
        "PDF/A-2u": (pdf, pdf.make_options()),
        "PDF (none)": (pdf, pdf.make_options(pdf_standard="none")),
        "OFD": (ofd, ofd.make_options()),
    }
    for writer, options in cases.values():  # parse the fonts once, as a batch worker does
        writer.render(documents[0], options)

    times: dict[str, list[float]] = {name: [] for name in cases}
    best: dict[str, list[float]] = {name: [float("inf")] * len(documents) for name in cases}
    sizes: dict[str, list[int]] = {name: [] for name in cases}
    for _ in range(args.repeat):
        for index, document in enumerate(documents):
            for name, (writer, options) in cases.items():
                started = time.process_time()
                rendered = writer.render(document, options)
                spent = time.process_time() - started
                times[name].append(spent)
                best[name][index] = min(best[name][index], spent)
                sizes[name].append(len(rendered.data))
    print(f"{len(documents)} articles x {args.repeat} renders each; CPU ms per article")
    print("(best: each article's fastest render, averaged -- the figure least disturbed by other load)")
    for name in cases:
        per = times[name]
        print(f"{name:11} best {statistics.mean(best[name]) * 1000:6.1f}  median {statistics.median(per) * 1000:6.1f}"
              f"  mean {statistics.mean(per) * 1000:6.1f}  size mean {statistics.mean(sizes[name]) / 1024:5.0f} KiB")


if __name__ == "__main__":
    main()
