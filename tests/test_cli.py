"""The ``convert`` command: exit codes, one error line per failed file, progress, kills and Ctrl-C."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from convert import cli
from convert.batch import convert_tree
from convert.fsutil import TEMP_PREFIX, display_path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_b01cef3071674085.txt"


def make_corpus(count: int, target: Path) -> Path:
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_corpus(count, target, SEEDS)
    return target


def convert_cmd(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "convert", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, **kwargs)


def run_cmd(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "convert", *args], capture_output=True, text=True, timeout=timeout)


def files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".convert-")}


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(TEMP_PREFIX)]


def test_a_successful_run_prints_one_summary_line_and_exits_0(tmp_path):
    run = run_cmd(str(SEEDS), "--to", "md,json", "-o", str(tmp_path / "out"), "-j", "2")
    assert run.returncode == 0, run.stderr
    summary = run.stderr.strip().splitlines()[-1]
    assert summary.startswith(f"{sum(1 for p in SEEDS.rglob('*.txt') if p.is_file())} converted, 0 up to date, 0 failed")
    assert "files/s" in summary and run.stdout == ""
    again = run_cmd(str(SEEDS), "--to", "md,json", "-o", str(tmp_path / "out"))
    assert again.returncode == 0 and " 0 converted," in " " + again.stderr.strip().splitlines()[-1]
    assert "warning:" not in again.stderr  # warnings were reported when the files were converted


def test_quiet_prints_nothing_and_usage_errors_exit_2(tmp_path):
    quiet = run_cmd(str(SEEDS), "--to", "md", "-o", str(tmp_path / "out"), "-q")
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")
    assert run_cmd(str(SEEDS), "--to", "nope", "-o", str(tmp_path / "o2")).returncode == 2
    assert run_cmd(str(SEEDS), "--to", " , ", "-o", str(tmp_path / "o2")).returncode == 2
    assert run_cmd(str(SEEDS), "-j", "0").returncode == 2
    assert run_cmd(str(tmp_path / "missing")).returncode == 2
    assert not (tmp_path / "o2").exists()


def test_no_input_files_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    run = run_cmd(str(tmp_path / "empty"), "-o", str(tmp_path / "out"))
    assert run.returncode == 1 and "no .txt input files" in run.stderr


def _hostile_corpus(root: Path) -> dict[str, str]:
    """Inputs that must each fail with one line, and what the line must say."""
    root.mkdir()
    good = SEED.read_bytes()
    shutil.copy(SEED, root / "good.txt")
    (root / "empty.txt").write_bytes(b"")
    (root / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (root / "binary.txt").write_bytes(b"\x00" * 64)
    (root / "huge.txt").write_bytes(good * 20)
    os.mkfifo(root / "fifo.txt")
    outside = root.parent / "outside.txt"
    shutil.copy(SEED, outside)
    (root / "escape.txt").symlink_to(outside)
    (root / "Same.txt").write_bytes(good)
    (root / "same.txt").write_bytes(good)
    # Titles that look like paths: the output name comes from the file's own path, never the title.
    (root / "title-dotdot.txt").write_bytes(b"../../../../tmp/evil.txt\n" + good.split(b"\n", 1)[1])
    (root / "title-absolute.txt").write_bytes(b"/etc/evil.txt\n" + good.split(b"\n", 1)[1])
    (root / os.fsdecode(b"name-\xff\xfe.txt")).write_bytes(good)
    (root / os.fsdecode(b"empty-\xff.txt")).write_bytes(b"")
    return {os.fsdecode(b"empty-\xff.txt"): "empty file", "empty.txt": "empty file", "image.txt": "PNG", "binary.txt": "NUL", "huge.txt": "--max-size",
            "fifo.txt": "not a regular file", "escape.txt": "outside the input folder",
            "Same.txt": "same output", "same.txt": "same output"}


def test_a_hostile_corpus_gives_one_error_line_per_failed_file_no_traceback_and_exit_1(tmp_path):
    corpus = tmp_path / "corpus"
    expected = _hostile_corpus(corpus)
    out = tmp_path / "out"
    run = run_cmd(str(corpus), "--to", "md,json", "-o", str(out), "--max-size", "100000", "-j", "2",
                  "--report", str(tmp_path / "report.json"))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and run.stdout == ""
    errors = [line for line in run.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == len(expected)
    for name, reason in expected.items():
        [line] = [e for e in errors if e.startswith(f"error: {display_path(corpus / name)}:")]
        assert reason in line
        assert line.endswith(")")  # every line ends with what to do
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert {Path(f["input"]).name for f in report["files"] if f["status"] == "failed"} == {
        display_path(n) for n in expected}
    assert report["summary"]["converted"] == 4
    # Nothing was written outside the output folder, whatever the titles said.
    assert not Path("/tmp/evil.md").exists() and not Path("/etc/evil.md").exists()
    assert {os.fsencode(p.name) for p in out.rglob("*.md")} == {
        b"good.md", b"title-dotdot.md", b"title-absolute.md", b"name-\xff\xfe.md"}
    assert temporaries(out) == []


def test_a_run_killed_with_sigkill_then_run_again_ends_complete_valid_and_clean(tmp_path):
    corpus = make_corpus(160, tmp_path / "corpus")
    reference = tmp_path / "reference"
    convert_tree(corpus, "md,json", reference, jobs=1)
    out = tmp_path / "out"
    killed_at = []
    for wanted in (20, 120):
        process = convert_cmd(str(corpus), "--to", "md,json", "-o", str(out), "-j", "2", "-q")
        deadline = time.monotonic() + 60
        while process.poll() is None and time.monotonic() < deadline:
            if sum(1 for _ in out.rglob("*.json")) >= wanted:
                break
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
        killed_at.append(sum(1 for _ in out.rglob("*.json")))
    again = run_cmd(str(corpus), "--to", "md,json", "-o", str(out), "-j", "2")
    assert again.returncode == 0, again.stderr
    assert temporaries(out) == []
    assert files(out) == files(reference)  # every output complete and identical to an uninterrupted run
    for data in (p.read_bytes() for p in out.rglob("*.json")):
        json.loads(data)
    assert killed_at[0] < 160  # the first kill did land in the middle of the run


def test_ctrl_c_stops_the_workers_prints_the_summary_and_exits_130(tmp_path):
    corpus = make_corpus(600, tmp_path / "corpus")
    out = tmp_path / "out"
    process = convert_cmd(str(corpus), "--to", "md,json", "-o", str(out), "-j", "2", start_new_session=True)
    deadline = time.monotonic() + 60
    while sum(1 for _ in out.rglob("*.md")) < 20 and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.01)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole foreground group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "Traceback" not in stderr
    summary = stderr.strip().splitlines()[-1]
    assert summary.startswith("interrupted: ") and "converted" in summary
    assert temporaries(out) == []
    # No worker outlives the command (multiprocessing's helpers notice the exit within moments).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        leftover = subprocess.run(["pgrep", "-s", str(process.pid)], capture_output=True, text=True).stdout.split()
        if not leftover:
            break
        time.sleep(0.1)
    assert leftover == []
    # What was done is kept: the manifest records it, so a rerun will not redo it.
    done = int(summary.split("interrupted: ")[1].split(" converted")[0])
    assert 0 < done < 600
    assert len((out / ".convert-manifest").read_text(encoding="ascii").splitlines()) == done + 1


def test_plain_progress_lines_are_printed_when_stderr_is_not_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(cli.Display, "PLAIN_EVERY", 0.0)
    result = CliRunner().invoke(cli.main, [str(SEEDS), "--to", "md", "-o", str(tmp_path / "out"), "-j", "1"])
    assert result.exit_code == 0, result.output
    progress = [line for line in result.output.splitlines() if line.startswith("progress: ")]
    assert progress and "files/s" in progress[-1] and "left" in progress[-1]


def test_the_report_option_writes_json_and_force_rebuilds(tmp_path):
    out = tmp_path / "out"
    assert run_cmd(str(SEEDS), "-o", str(out)).returncode == 0
    run = run_cmd(str(SEEDS), "-o", str(out), "--force", "--report", str(tmp_path / "r.json"), "--timeout", "0")
    assert run.returncode == 0
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {f["status"] for f in report["files"]} <= {"converted", "warnings"}
    assert report["summary"]["up_to_date"] == 0


@pytest.mark.parametrize("fmt", ["docx", "epub", "html", "pdf"])
def test_every_writer_runs_through_the_batch(fmt, tmp_path):
    from convert.writers import get_writer

    writer = get_writer(fmt)
    report = convert_tree(SEEDS, fmt, tmp_path / "out", jobs=2)
    assert report.failed == 0, [r.error for r in report.results if r.failed]
    assert len(list((tmp_path / "out").rglob("*" + writer.extension))) == report.total
    assert convert_tree(SEEDS, fmt, tmp_path / "out", jobs=2).up_to_date == report.total


def test_the_nightly_example_converts_reports_and_skips_work_done(tmp_path):
    script = ROOT / "examples" / "nightly_batch.py"
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout's package, not an installed one
    first = subprocess.run([sys.executable, str(script), str(SEEDS), str(out), "--formats", "md,json", "--jobs", "2"],
                           capture_output=True, text=True, timeout=120, env=env)
    assert first.returncode == 0, first.stderr
    [report] = (out / "reports").glob("convert-*.json")
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["failed"] == 0
    second = subprocess.run([sys.executable, str(script), str(SEEDS), str(out), "--formats", "md,json"],
                            capture_output=True, text=True, timeout=120, env=env)
    assert second.returncode == 0 and " 0 converted," in second.stderr


def test_writer_flags_reach_the_batch_as_the_shared_options_with_page_sizes_in_canonical_case(tmp_path, monkeypatch):
    from convert.batch import SHARED_OPTIONS, BatchReport

    seen = {}

    def fake_convert_tree(*_args, **kwargs):
        seen.update(kwargs)
        return BatchReport(total=1, converted=1)

    monkeypatch.setattr(cli, "convert_tree", fake_convert_tree)
    result = CliRunner().invoke(cli.main, [str(SEED), "-o", str(tmp_path / "out"), "--page-size", "letter",
                                           "--cjk-font", "KaiTi", "--embed-font"])
    assert result.exit_code == 0, result.output
    assert {name: seen[name] for name in SHARED_OPTIONS} == {
        "page_size": "Letter", "font": None, "cjk_font": "KaiTi", "latin_font": None, "embed_font": True,
        "continuous": None, "script": None, "style": None, "pdf_standard": None}
    result = CliRunner().invoke(cli.main, [str(SEED), "-o", str(tmp_path / "out"), "--script", "zh-tw",
                                           "--style", "GONGWEN"])
    assert result.exit_code == 0, result.output
    assert (seen["script"], seen["style"]) == ("zh-TW", "gongwen")


def test_help_names_every_built_in_format_and_where_the_style_applies():
    from convert.writers import BUILTIN_FORMATS

    text = " ".join(CliRunner().invoke(cli.main, ["--help"], terminal_width=200).output.split())
    assert f"comma-separated: {', '.join(BUILTIN_FORMATS)} [default" in text and "ofd" in BUILTIN_FORMATS
    assert "DOCX, PDF and OFD layout (documents and books)" in text
