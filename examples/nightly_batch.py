"""A nightly conversion job built on the library call ``convert.convert_tree``.

Converts every article under CORPUS into PDF, DOCX, EPUB and Markdown below OUTDIR,
skipping what earlier nights already converted, logs progress every few hundred files,
keeps a dated JSON report, and exits non-zero when some article failed so that cron or
a CI scheduler notices::

    python examples/nightly_batch.py /data/corpus /data/converted --formats pdf,docx,epub,md
    # crontab: 30 2 * * *  cd /srv/convert && python examples/nightly_batch.py /data/corpus /data/converted

The ``if __name__ == "__main__":`` guard is required: worker processes import this file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import sys
import time
from pathlib import Path

import convert
from convert.batch import BatchInterrupted, FileResult

log = logging.getLogger("nightly")


class ProgressLog:
    """Log a line every ``every`` files, and every failure as it happens."""

    def __init__(self, every: int = 500) -> None:
        self.every = every
        self.total = 0
        self.done = 0
        self.started = time.monotonic()

    def start(self, total: int) -> None:
        self.total = total
        log.info("%d articles to check", total)

    def result(self, result: FileResult) -> None:
        self.done += 1
        if result.failed:
            log.error("%s", result.error)
        if self.done % self.every == 0 or self.done == self.total:
            rate = self.done / max(time.monotonic() - self.started, 1e-9)
            log.info("%d/%d done, %.1f files/s", self.done, self.total, rate)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Nightly batch conversion of a seed corpus.")
    parser.add_argument("corpus", type=Path)
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--formats", default="pdf,docx,epub,md")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes [default: all CPUs]")
    parser.add_argument("--reports", type=Path, default=None, help="folder for dated JSON reports [default: OUTDIR/reports]")
    parser.add_argument("--page-size", default="A4")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")

    reports = args.reports or args.outdir / "reports"
    report_path = reports / f"convert-{dt.date.today().isoformat()}.json"
    progress = ProgressLog()
    try:
        batch = convert.convert_tree(
            args.corpus, args.formats, args.outdir,
            jobs=args.jobs, report=report_path, page_size=args.page_size,
            on_start=progress.start, on_result=progress.result,
            keep_results=False,  # the report file has every result; keep memory flat
        )
    except BatchInterrupted as stop:
        log.warning("interrupted: %s", stop.report.summary_line())
        return 130
    except convert.ConvertError as exc:  # the run could not start (output folder, unknown format)
        log.error("%s", exc)
        return 2
    log.info("%s; report: %s", batch.summary_line(), report_path)
    return batch.exit_code


if __name__ == "__main__":
    sys.exit(main())
