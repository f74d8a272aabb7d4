"""The command used the way pandoc is: -t, '-' for standard input and output, -o FILE, --report -."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from convert import batch, cli

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SEED = SEEDS / "000_b01cef3071674085.txt"
TITLE = "山西省“不忘初心、牢记使命”主题教育工作会议召开"


def run(*args: str, stdin: bytes | None = None, stdout: int = subprocess.PIPE) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "convert", *args], input=stdin, stdout=stdout, stderr=subprocess.PIPE,
                          timeout=120, env=env)


def test_t_is_an_alias_of_to(tmp_path):
    done = run(str(SEED), "-t", "json", "-o", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "out" / "000_b01cef3071674085.json").is_file()


def test_standard_input_to_standard_output_prints_markdown_and_nothing_else():
    for args in (["-", "-t", "md", "-o", "-"], ["-", "-t", "md"]):  # without -o, '-' writes to standard output
        done = run(*args, stdin=SEED.read_bytes())
        assert done.returncode == 0, done.stderr
        text = done.stdout.decode("utf-8")
        assert text.startswith("---\n") and f"\n# {TITLE}\n" in text
        assert done.stderr == b""


def test_name_gives_standard_input_a_path_with_category_date_and_output_name(tmp_path):
    name = "网络聚焦/国际新闻/2019-08-29/230标题.txt"
    done = run("-", "--name", name, "-t", "json", stdin=SEED.read_bytes())
    meta = json.loads(done.stdout)["meta"]
    assert (meta["category"], meta["date"], meta["source"]) == (["网络聚焦", "国际新闻"], "2019-08-29", name)
    done = run("-", "--name", name, "-t", "md,json", "-o", str(tmp_path / "out"), stdin=SEED.read_bytes())
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "out" / "网络聚焦" / "国际新闻" / "2019-08-29").iterdir()) == [
        "230标题.json", "230标题.md"]


def test_bad_standard_input_is_one_error_line_and_exit_1_and_a_bad_name_is_a_usage_error(tmp_path):
    done = run("-", "-o", str(tmp_path / "a.md"), stdin=b"")
    assert done.returncode == 1 and done.stderr.decode().strip() == "error: <stdin>: empty file (this is not a crawled article; leave it out of the input)"
    assert not (tmp_path / "a.md").exists()
    assert run("-", "--name", "../x.txt", "-o", str(tmp_path / "o"), stdin=b"t\nx").returncode == 2
    assert run(str(SEED), "--name", "x.txt").returncode == 2  # --name belongs to '-'
    assert run("-", str(SEED), "-o", str(tmp_path / "o")).returncode == 2
    big = run("-", "-o", "-", "--max-size", "10", stdin=SEED.read_bytes())
    assert big.returncode == 1 and b"--max-size" in big.stderr and big.stdout == b""


def test_binary_to_standard_output_only_when_it_is_not_a_terminal():
    piped = run(str(SEED), "-t", "docx", "-o", "-")
    assert piped.returncode == 0 and piped.stdout.startswith(b"PK\x03\x04")
    leader, follower = pty.openpty()
    try:
        on_terminal = run(str(SEED), "-t", "pdf", "-o", "-", stdout=follower)
    finally:
        os.close(follower)
        os.close(leader)
    assert on_terminal.returncode == 2
    assert b"pdf is binary" in on_terminal.stderr and b"-o FILE.pdf" in on_terminal.stderr


def test_o_file_writes_exactly_that_file_taking_the_format_from_its_extension(tmp_path):
    target = tmp_path / "article.pdf"
    done = run(str(SEED), "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert target.is_file() and target.read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.pdf"]  # no folder, no manifest, no temporaries
    again = run(str(SEED), "-t", "md", "-o", str(tmp_path / "notes.markdown"))
    assert again.returncode == 0 and (tmp_path / "notes.markdown").read_text("utf-8").startswith("---\n")


@pytest.mark.parametrize(("args", "says"), [
    (["-o", "{tmp}/x.pdf", str(SEEDS)], "is a folder"),
    (["-o", "{tmp}/x.md", str(SEED), str(SEEDS / "不忘初心牢记使命")], "2 inputs"),
    (["-o", "{tmp}/x.docx", "-t", "pdf", str(SEED)], "names a docx file, but --to asks for pdf"),
    (["-o", "{tmp}/x.md", "-t", "md,json", str(SEED)], "takes one format"),
    (["-o", "{tmp}/existing.txt", str(SEEDS)], "is an existing file"),
    (["-o", "-", "--report", "-", str(SEED)], "cannot both go to standard output"),
    (["--book", "{tmp}/b.epub", "-o", "{tmp}/c.epub", str(SEEDS)], "-o cannot name another output"),
])
def test_output_clashes_are_usage_errors_that_say_why(tmp_path, args, says):
    (tmp_path / "existing.txt").write_text("a file, not a folder")
    done = run(*[a.replace("{tmp}", str(tmp_path)) for a in args])
    assert done.returncode == 2, done.stderr
    assert says in done.stderr.decode("utf-8")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["existing.txt"]
    assert (tmp_path / "existing.txt").read_text() == "a file, not a folder"


def test_report_dash_writes_the_json_report_to_standard_output_and_nothing_else(tmp_path):
    for args in ([str(SEEDS), "-o", str(tmp_path / "out")], [str(SEED), "-o", str(tmp_path / "a.md")]):
        done = run(*args, "--report", "-")
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)  # the whole of standard output is the report
        assert report["schema"] == "convert.report/1" and report["summary"]["failed"] == 0
        assert report["summary"]["total"] == len(report["files"]) >= 1
        assert all(f["status"] in ("converted", "warnings") for f in report["files"])
    assert not (Path.cwd() / "-").exists()


def test_the_report_file_of_a_single_document_has_the_batch_schema(tmp_path):
    done = run(str(SEED), "-o", str(tmp_path / "a.md"), "--report", str(tmp_path / "r.json"))
    assert done.returncode == 0, done.stderr
    report = json.loads((tmp_path / "r.json").read_text("utf-8"))
    assert report["files"][0]["outputs"] == [str(tmp_path / "a.md")]
    assert set(report) == {"schema", "files", "version", "formats", "outdir", "summary"}


def test_one_file_is_converted_in_this_process_without_a_worker_pool(tmp_path, monkeypatch):
    def no_pool(*_args, **_kwargs):
        raise AssertionError("a worker pool was started for one file")

    monkeypatch.setattr(batch, "ProcessPoolBackend", no_pool)
    result = CliRunner().invoke(cli.main, [str(SEED), "-j", "2", "-o", str(tmp_path / "out"), "-q"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "000_b01cef3071674085.md").is_file()
    # the manifest still records it: a second run finds it up to date
    second = CliRunner().invoke(cli.main, [str(SEED), "-o", str(tmp_path / "out")])
    assert second.exit_code == 0 and "0 converted, 1 up to date" in second.output


def test_front_matter_flag_reaches_the_markdown_writer(tmp_path):
    without = run(str(SEED), "--no-front-matter", "-o", "-")
    assert without.returncode == 0 and without.stdout.decode("utf-8").startswith(f"# {TITLE}\n")
    assert run(str(SEED), "--front-matter", "-o", "-").stdout.startswith(b"---\n")
    # a Markdown option beside formats that do not have it is no error
    assert run(str(SEED), "--no-front-matter", "-t", "json", "-o", str(tmp_path / "o")).returncode == 0


def test_to_completes_format_names_also_after_a_comma():
    names = [item.value for item in cli._complete_formats(None, None, "")]  # type: ignore[arg-type]
    assert {"md", "pdf", "docx", "epub", "html", "json"} <= set(names)
    assert [item.value for item in cli._complete_formats(None, None, "md,d")] == ["md,docx"]  # type: ignore[arg-type]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "_CONVERT_COMPLETE": "bash_complete", "COMP_WORDS": "convert -t e",
           "COMP_CWORD": "2"}
    done = subprocess.run([sys.executable, "-c", "from convert.cli import main; main(prog_name='convert')"],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["plain,epub"]


def test_the_progress_bar_says_it_is_starting_then_reads_elapsed_and_remaining(monkeypatch):
    from rich.console import Console

    from convert.batch import FileResult
    from convert.progress import Display

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    display = Display(quiet=False, workers=2)
    display.start(10)

    def shown() -> str:
        console = Console(record=True, width=200, file=open(os.devnull, "w"))  # noqa: SIM115
        console.print(display.progress.make_tasks_table(display.progress.tasks))
        return console.export_text()

    try:
        assert shown().startswith("starting 2 workers…")
        display.result(FileResult("a.txt", "converted"))
        line = shown()
    finally:
        display.stop()
    assert line.startswith("converting") and "1/10" in line
    words = line.split()
    assert words[words.index("elapsed") + 1].count(":") == 2 and words[words.index("remaining") + 1].count(":") == 2
    assert "left" not in words


@pytest.mark.parametrize("args", [
    [str(SEED), "-o", "-"],
    [str(SEEDS), "-o", "{tmp}/out", "--report", "-", "-q"],
    [str(SEED), "-o", "{tmp}/a.md", "--report", "-"],
])
def test_a_closed_standard_output_is_one_error_line_and_exit_1_not_a_traceback(tmp_path, args):
    reader, writer = os.pipe()
    os.close(reader)  # like `| head` that has gone away
    try:
        done = run(*[a.replace("{tmp}", str(tmp_path)) for a in args], stdout=writer)
    finally:
        os.close(writer)
    assert done.returncode == 1
    assert done.stderr.decode("utf-8").strip().endswith("standard output was closed before the whole document was written") \
        or "standard output was closed before the whole report was written" in done.stderr.decode("utf-8")
    assert b"Traceback" not in done.stderr


def test_a_writer_bug_in_a_single_document_is_one_error_line(tmp_path, monkeypatch):
    from convert.writers.markdown import MarkdownWriter

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(MarkdownWriter, "render", broken)
    result = CliRunner().invoke(cli.main, [str(SEED), "-o", str(tmp_path / "a.md")])
    assert result.exit_code == 1
    assert "internal error: RuntimeError: boom (please report this as a bug)" in result.output
    assert not (tmp_path / "a.md").exists()
