"""Batch benchmarks: files per second per format at -j1 and -jN, peak memory, no-op rerun, pandoc loop.

    python benchmarks/bench_batch.py                       # defaults: 1000 files, sizes 1000 and 10000
    python benchmarks/bench_batch.py --files 300 --sizes 300,3000 --pandoc-files 30

Every figure comes from running the ``convert`` command itself (a fresh process per run,
as a user would), on a corpus generated from ``seeds/`` by ``make_corpus.py``. Peak memory
is sampled from /proc (psutil) over the command's whole process tree: the parent, and the
largest single worker. pandoc is run once per file, as a user's shell loop would, on this
toolkit's HTML output of the same articles. Results are printed as a table and as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from make_corpus import make_corpus  # noqa: E402

ALL_FOUR = "pdf,docx,epub,md"


def _tree_sample(root_pid: int, cpu: dict[int, float]) -> tuple[int, int]:
    """(RSS of the root process, largest RSS among its descendants), in bytes; records each
    process's CPU seconds so far in ``cpu`` (the last sample before a process exits counts)."""
    import psutil

    try:
        root = psutil.Process(root_pid)
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0, 0
    sizes = []
    for process in processes:
        try:
            sizes.append(process.memory_info().rss)
            times = process.cpu_times()
            cpu[process.pid] = times.user + times.system
        except psutil.Error:
            sizes.append(0)
    return sizes[0], max(sizes[1:], default=0)


def run_convert(corpus: Path, out: Path, formats: str, jobs: int, extra: tuple[str, ...] = ()) -> dict[str, float]:
    """Run the command once; wall time, and peak RSS of parent and largest worker (MB)."""
    command = [sys.executable, "-m", "convert", str(corpus), "--to", formats, "-o", str(out), "-j", str(jobs), "-q", *extra]
    peaks = [0, 0]
    cpu: dict[int, float] = {}
    started = time.perf_counter()
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            parent, worker = _tree_sample(process.pid, cpu)
            peaks[0], peaks[1] = max(peaks[0], parent), max(peaks[1], worker)
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"convert failed ({process.returncode}): {stderr[-2000:]}")
    # CPU seconds of the whole tree (sampled every 50 ms, so slightly low): shows whether a
    # -jN run was short of cores (other load on the machine) rather than of parallel work.
    return {"seconds": elapsed, "parent_mb": peaks[0] / 1e6, "worker_mb": peaks[1] / 1e6, "cpu_s": sum(cpu.values())}


def bench_formats(corpus: Path, files: int, formats: list[str], jobs: int, work: Path) -> list[dict[str, object]]:
    rows = []
    for fmt in formats:
        for j in (1, jobs):
            out = work / f"out-{fmt.replace(',', '+')}-j{j}"
            shutil.rmtree(out, ignore_errors=True)
            result = run_convert(corpus, out, fmt, j)
            rows.append({"formats": fmt, "jobs": j, "files": files, **result, "files_per_s": files / result["seconds"]})
            print(f"  {fmt:18} -j{j}: {files / result['seconds']:7.1f} files/s  ({result['seconds']:.1f} s, "
                  f"{result['cpu_s']:.1f} CPU s, load {os.getloadavg()[0]:.1f})", file=sys.stderr)
            shutil.rmtree(out, ignore_errors=True)
    return rows


def bench_pandoc(corpus: Path, count: int, work: Path) -> list[dict[str, object]]:
    """pandoc once per file (md, docx, epub), from this toolkit's HTML of the same articles."""
    if shutil.which("pandoc") is None:
        print("  pandoc not installed: skipped", file=sys.stderr)
        return []
    html_out = work / "pandoc-input"
    shutil.rmtree(html_out, ignore_errors=True)
    run_convert(corpus, html_out, "html", 2)
    pages = sorted(html_out.rglob("*.html"))[:count]
    rows = []
    for target, ext in (("commonmark", ".md"), ("docx", ".docx"), ("epub", ".epub")):
        dest = work / f"pandoc-{ext[1:]}"
        dest.mkdir(exist_ok=True)
        started = time.perf_counter()
        for n, page in enumerate(pages):
            # Run in the page's folder so pictures linked beside it are found, as a user's loop would.
            subprocess.run(["pandoc", "-f", "html", "-t", target, "-o", str(dest / f"{n}{ext}"), page.name],
                           cwd=page.parent, check=True, capture_output=True)
        elapsed = time.perf_counter() - started
        rows.append({"formats": f"pandoc {ext[1:]}", "jobs": 1, "files": len(pages), "seconds": elapsed,
                     "files_per_s": len(pages) / elapsed})
        print(f"  pandoc -> {ext[1:]:5} loop: {len(pages) / elapsed:7.1f} files/s", file=sys.stderr)
    return rows


def bench_memory_and_rerun(sizes: list[int], formats: str, jobs: int, work: Path) -> list[dict[str, object]]:
    rows = []
    for size in sizes:
        corpus = work / f"corpus-{size}"
        if not corpus.exists():
            make_corpus(size, corpus)
        out = work / f"out-mem-{size}"
        shutil.rmtree(out, ignore_errors=True)
        first = run_convert(corpus, out, formats, jobs)
        rerun = run_convert(corpus, out, formats, jobs)
        rows.append({"files": size, "formats": formats, "jobs": jobs, "first_s": first["seconds"],
                     "files_per_s": size / first["seconds"], "parent_peak_mb": first["parent_mb"],
                     "worker_peak_mb": first["worker_mb"], "noop_rerun_s": rerun["seconds"],
                     "noop_parent_peak_mb": rerun["parent_mb"]})
        print(f"  {size:6} files: first run {first['seconds']:.1f} s, peak parent {first['parent_mb']:.0f} MB, "
              f"worker {first['worker_mb']:.0f} MB; no-op rerun {rerun['seconds']:.2f} s", file=sys.stderr)
        shutil.rmtree(out, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000, help="corpus size for the throughput runs")
    parser.add_argument("--sizes", default="1000,10000", help="corpus sizes for peak memory and the no-op rerun")
    parser.add_argument("--memory-formats", default=ALL_FOUR, help="formats for the memory/rerun runs")
    parser.add_argument("--formats", default=f"md;docx;epub;pdf;{ALL_FOUR}",
                        help="';'-separated runs to time, each one format or a comma-separated group")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--pandoc-files", type=int, default=50, help="files for the pandoc loop (it is slow)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder [default: a temporary one]")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: formats, pandoc, memory")
    parser.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = parser.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="convert-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    skip = set(filter(None, args.skip.split(",")))
    groups = [g.strip() for g in args.formats.split(";") if g.strip()]
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.platform(),
               "load_average_at_start": os.getloadavg()}
    print(f"machine: {machine}", file=sys.stderr)
    results: dict[str, object] = {"machine": machine}
    corpus = work / f"corpus-{args.files}"
    if not corpus.exists():
        make_corpus(args.files, corpus)
    if "formats" not in skip:
        print(f"throughput on {args.files} files:", file=sys.stderr)
        results["throughput"] = bench_formats(corpus, args.files, groups, args.jobs, work)
    if "pandoc" not in skip:
        print(f"pandoc, once per file, on {args.pandoc_files} files:", file=sys.stderr)
        results["pandoc"] = bench_pandoc(corpus, args.pandoc_files, work)
    if "memory" not in skip:
        sizes = [int(s) for s in args.sizes.split(",") if s]
        print(f"peak memory and no-op rerun ({args.memory_formats}, -j{args.jobs}):", file=sys.stderr)
        results["memory"] = bench_memory_and_rerun(sizes, args.memory_formats, args.jobs, work)
    results["load_average_at_end"] = os.getloadavg()
    text = json.dumps(results, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
