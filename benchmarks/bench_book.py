"""Book mode at scale: time per article and peak memory, book against separate files.

Not a test: run it by hand. For each corpus size it generates a corpus with
``make_corpus.py`` (the seed files copied into many folders), then, for each format, runs
two measurements, each in a fresh process so that peak memory is its own:

* separate: every article read and rendered to its own output, one after another (what a
  batch worker does, without writing files);
* book: ``plan_book`` (reads every article once for its place and title) and the writer's
  ``render_book`` (reads them again, one at a time), to bytes, without writing the file.

Both first render every seed file once (imports, fonts and font fallbacks loaded, as in a
long-running worker); the resident size after that is reported as ``base``, and ``peak`` is
the process's highest resident size (``ru_maxrss``) including it. Times are CPU (process)
time, the per-core figure, less disturbed by other work on the machine than wall time.
The issue asks that a book's time per article stay within 1.5 times the separate files'
and that its memory not grow with the number of articles beyond the output itself.

A format without book mode is listed and skipped; it is measured as soon as its writer
implements ``render_book``.

DOCX, measured with ``--formats docx`` (2 cores, one busy with other work; CPU time):
200 articles: separate 3.91 ms/article, book 0.68 ms/article (0.18 times), peak 43 MB
(base 42); 2,000 articles: separate 3.00, book 0.66 ms/article (0.22 times), peak 79 MB
(base 42), i.e. about 18 KB per article. Most of it is python-docx's XML tree of the book
(4.5 MB of document.xml, 97,000 elements; python-docx merely opening the finished
2,000-article book takes 27 MB above its base); the rest is document.xml serialized while
saving and the plan's titles and paths. No parsed article is kept (a test checks it).

    python benchmarks/bench_book.py                          # 200 and 2,000 articles, epub pdf docx
    python benchmarks/bench_book.py --counts 500 --formats pdf --options continuous=true

Measured (2 cores, CPython 3.11, reportlab 5.1, corpora of the 12 seed files copied; ms of
CPU per article; ratio = book / separate; growth = peak minus base resident size, MB):

    format articles mode     ms/article  ratio    output  base MB  peak MB  growth
    epub        200 separate       1.60   1.00     1.1MB       34       34       0
    epub        200 book           0.87   0.55     0.5MB       34       39       5
    pdf         200 separate      11.49   1.00    15.3MB      192      204      12
    pdf         200 book           5.12   0.45     0.9MB      192      221      29
    epub       2000 separate       1.55   1.00    11.2MB       41       41       0
    epub       2000 book           0.70   0.45     5.1MB       41       94      53
    pdf        2000 separate       9.35   1.00   152.3MB      192      214      22
    pdf        2000 book           4.46   0.48     5.7MB      192      273      81
    pdf        2000 book --continuous  3.65   0.39  4.6MB      192      261      69

A PDF book costs less per article than separate PDFs (fonts are subset once, not per
file). Its memory is reportlab's object tree of the finished PDF (a page dictionary and a
compressed content stream per page, kept until the file is written, ~15 KB of Python heap
per article here) plus the buffers of writing it; no article's document or flowables
outlive its pages. For comparison, the same 2,000-article book laid out from a plain list
of flowables (the usual ``doc.build(story)``) peaked at 895 MB (+703 MB). The DOCX rows
are left out above: its book mode was being written while this was measured.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

FORMATS = ("epub", "pdf", "docx")


def _rss_mb() -> float:
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    return kib / 1024


def _warm_up(writer, options) -> None:
    import convert

    for path in sorted((ROOT / "seeds").rglob("*.txt")):
        if path.is_file():
            try:
                writer.render(convert.read(path).document, options)
            except convert.ConvertError:
                pass


def measure(mode: str, fmt: str, corpus: Path, options: dict) -> dict:
    """One measurement in this process (run by the parent in a fresh one)."""
    import convert
    from convert.batch import discover
    from convert.book import plan_book
    from convert.writers import get_writer

    writer = get_writer(fmt)
    opts = writer.make_options(**options)
    _warm_up(writer, writer.make_options(**{k: v for k, v in options.items() if k != "continuous"}))
    base = _rss_mb()
    cpu0, wall0 = time.process_time(), time.perf_counter()
    out_bytes = 0
    if mode == "separate":
        articles = 0
        for job in discover([corpus]):
            document = convert.read(job.source, root=job.root).document
            out_bytes += len(writer.render(document, opts).data)
            articles += 1
    else:
        failures: list[str] = []
        book = plan_book([corpus], on_failure=lambda source, message: failures.append(source))
        out_bytes = len(writer.render_book(book, opts).data)
        articles = sum(1 for _ in book.chapters()) - len(failures)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {"mode": mode, "format": fmt, "articles": articles, "cpu": cpu, "wall": wall,
            "bytes": out_bytes, "base_mb": base, "peak_mb": _rss_mb()}


def _run(mode: str, fmt: str, corpus: Path, options: dict) -> dict:
    command = [sys.executable, __file__, "--measure", mode, fmt, str(corpus), json.dumps(options)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _parse_options(pairs: list[str]) -> dict:
    options: dict = {}
    for pair in pairs:
        key, _, value = pair.partition("=")
        options[key] = {"true": True, "false": False}.get(value.lower(), value)
    return options


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        _, _, mode, fmt, corpus, options = sys.argv
        print(json.dumps(measure(mode, fmt, Path(corpus), json.loads(options))))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counts", type=int, nargs="+", default=[200, 2000], help="corpus sizes [200 2000]")
    parser.add_argument("--formats", nargs="+", default=list(FORMATS), choices=FORMATS)
    parser.add_argument("--options", nargs="*", default=[], help="writer options as key=value (book runs only)")
    parser.add_argument("--corpus-dir", type=Path, help="keep generated corpora here (reused when present)")
    args = parser.parse_args()

    from make_corpus import make_corpus

    from convert.writers import get_writer

    book_options = _parse_options(args.options)
    with tempfile.TemporaryDirectory(prefix="bench_book_") as scratch:
        where = args.corpus_dir or Path(scratch)
        print(f"{'format':6} {'articles':>8} {'mode':8} {'ms/article':>10} {'ratio':>6} {'output':>9} "
              f"{'base MB':>8} {'peak MB':>8} {'growth':>7}")
        for count in args.counts:
            corpus = where / f"corpus{count}"
            if not corpus.exists():
                make_corpus(count, corpus)
            for fmt in args.formats:
                if not get_writer(fmt).supports_book:
                    print(f"{fmt:6} {count:8} {'book':8} (no book mode yet: skipped)")
                    continue
                separate_options = {k: v for k, v in book_options.items() if k != "continuous"}
                rows = [_run("separate", fmt, corpus, separate_options), _run("book", fmt, corpus, book_options)]
                per_separate = rows[0]["cpu"] / rows[0]["articles"]
                for row in rows:
                    per = row["cpu"] / row["articles"]
                    print(f"{fmt:6} {row['articles']:8} {row['mode']:8} {per * 1000:10.2f} {per / per_separate:6.2f} "
                          f"{row['bytes'] / 1e6:7.1f}MB {row['base_mb']:8.0f} {row['peak_mb']:8.0f} "
                          f"{row['peak_mb'] - row['base_mb']:7.0f}")
                sys.stdout.flush()


if __name__ == "__main__":
    main()
