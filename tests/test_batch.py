"""The batch engine: parallel, incremental, safe with hostile paths and faults, bounded by time limits."""

from __future__ import annotations

import errno
import importlib.util
import json
import os
import shutil
import time
from pathlib import Path

import pytest

import convert
import convert.fsutil as fsutil
from convert.batch import (
    UP_TO_DATE,
    BatchSettings,
    Outcome,
    ProcessPoolBackend,
    Task,
    convert_tree,
    execute,
)
from convert.fsutil import TEMP_PREFIX
from convert.manifest import MANIFEST_NAME

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def load_make_corpus():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "benchmarks" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_corpus


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    target = tmp_path / "corpus"
    shutil.copytree(SEEDS, target)
    return target


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.startswith(".convert-")
    }


def temporaries(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.startswith(TEMP_PREFIX)]


def seed_count(folder: Path) -> int:
    return sum(1 for p in folder.rglob("*.txt") if p.is_file())


# ---------------------------------------------------------------- converting a tree


def test_a_tree_is_converted_into_a_mirrored_tree_with_one_result_per_input(corpus, tmp_path):
    seen = []
    report = convert_tree(corpus, "md,json", tmp_path / "out", jobs=1, on_result=seen.append)
    assert report.total == seed_count(corpus) == len(seen) == len(report.results)
    assert report.failed == 0 and report.converted == report.total and report.exit_code == 0
    for result in report.results:
        assert len([o for o in result.outputs if o.endswith((".md", ".json"))]) == 2
    source = next(corpus.rglob("北京市启动垃圾分类示范小区创建工作.txt"))
    mirrored = tmp_path / "out" / source.relative_to(corpus).with_suffix(".md")
    assert mirrored.is_file()
    assert "北京市启动垃圾分类示范小区创建工作" in mirrored.read_text(encoding="utf-8")


def test_convert_tree_is_exported_from_the_package():
    assert convert.convert_tree is convert_tree


def test_two_workers_write_the_same_bytes_as_one(corpus, tmp_path):
    convert_tree(corpus, "md,json", tmp_path / "one", jobs=1)
    convert_tree(corpus, "md,json", tmp_path / "two", jobs=2)
    assert outputs(tmp_path / "one") == outputs(tmp_path / "two")


def test_unknown_format_or_option_is_an_error_before_anything_runs(corpus, tmp_path):
    with pytest.raises(convert.ConvertError, match="unknown format"):
        convert_tree(corpus, "md,nope", tmp_path / "out")
    with pytest.raises(convert.ConvertError, match="no writer"):
        convert_tree(corpus, "md", tmp_path / "out", colour="red")
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- incremental


def test_a_second_run_converts_nothing_and_reports_every_file_up_to_date(corpus, tmp_path):
    out = tmp_path / "out"
    first = convert_tree(corpus, "md,json", out, jobs=1)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}
    second = convert_tree(corpus, "md,json", out, jobs=1)
    assert second.up_to_date == first.total and second.converted == 0
    assert {r.status for r in second.results} == {UP_TO_DATE}
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.md")} == before
    # Warnings of an up-to-date file are still reported.
    assert second.with_warnings == first.with_warnings


def test_a_changed_input_deleted_output_or_changed_picture_is_rebuilt_and_nothing_else(corpus, tmp_path):
    out = tmp_path / "out"
    convert_tree(corpus, "md", out, jobs=1)
    edited = next(corpus.rglob("联合国秘书长呼吁各方保持克制.txt"))
    edited.write_bytes(edited.read_bytes() + "<div><span style='x'> 新增段落</span></div>".encode())
    deleted = out / next(corpus.rglob("关于做好2019年度考核工作的通知.txt")).relative_to(corpus).with_suffix(".md")
    deleted.unlink()
    picture = next(corpus.rglob("图片/0.jpg"))
    picture.write_bytes(picture.read_bytes() + b"\0")
    report = convert_tree(corpus, "md", out, jobs=1)
    rebuilt = sorted(Path(r.source).name for r in report.results if r.status != UP_TO_DATE)
    assert rebuilt == sorted([edited.name, "关于做好2019年度考核工作的通知.txt", *(
        p.name for p in picture.parent.parent.glob("*.txt"))])
    assert "新增段落" in (out / edited.relative_to(corpus).with_suffix(".md")).read_text(encoding="utf-8")
    assert deleted.is_file()


def test_changed_options_version_or_force_rebuild_everything(corpus, tmp_path, monkeypatch):
    out = tmp_path / "out"
    total = convert_tree(corpus, "md", out, jobs=1).total
    assert convert_tree(corpus, "md", out, jobs=1, front_matter=False).converted == total
    assert not (out / "000_b01cef3071674085.md").read_text(encoding="utf-8").startswith("---")
    assert convert_tree(corpus, "md", out, jobs=1, front_matter=False).converted == 0
    monkeypatch.setattr(convert.version, "__version__", "99.0")
    assert convert_tree(corpus, "md", out, jobs=1, front_matter=False).converted == total
    assert convert_tree(corpus, "md", out, jobs=1, front_matter=False, force=True).converted == total


def test_adding_a_format_renders_only_the_new_format(corpus, tmp_path):
    out = tmp_path / "out"
    convert_tree(corpus, "md", out, jobs=1)
    md_times = {p: p.stat().st_mtime_ns for p in out.rglob("*.md")}
    report = convert_tree(corpus, "md,json", out, jobs=1)
    assert report.converted == report.total
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.md")} == md_times
    assert len(list(out.rglob("*.json"))) == report.total
    assert convert_tree(corpus, "md,json", out, jobs=1).up_to_date == report.total


def test_a_torn_or_garbage_manifest_costs_a_rebuild_never_a_crash(corpus, tmp_path):
    out = tmp_path / "out"
    total = convert_tree(corpus, "md", out, jobs=1).total
    with open(out / MANIFEST_NAME, "a", encoding="ascii") as handle:
        handle.write('["torn line without an end')
    assert convert_tree(corpus, "md", out, jobs=1).up_to_date == total
    (out / MANIFEST_NAME).write_bytes(b"\xff\xfe garbage\n[1,2]\n")
    assert convert_tree(corpus, "md", out, jobs=1).converted == total


def test_stale_temporary_files_are_removed_at_the_start_of_a_run(corpus, tmp_path):
    out = tmp_path / "out"
    (out / "deep" / "er").mkdir(parents=True)
    stale = [out / f"{TEMP_PREFIX}abc.md", out / "deep" / "er" / f"{TEMP_PREFIX}xyz.pdf"]
    for path in stale:
        path.write_bytes(b"half a file")
    convert_tree(corpus, "md", out, jobs=1)
    assert temporaries(out) == []


def test_the_json_report_lists_every_input_once_with_status_outputs_warnings_and_error(corpus, tmp_path):
    (corpus / "broken.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    report_path = tmp_path / "report.json"
    convert_tree(corpus, "md", tmp_path / "out", jobs=2, report=report_path)
    data = json.loads(report_path.read_text(encoding="utf-8"))
    files = data["files"]
    assert sorted(f["input"] for f in files) == sorted(str(p) for p in corpus.rglob("*.txt") if p.is_file())
    assert all(set(f) == {"input", "status", "outputs", "warnings", "error"} for f in files)
    failed = [f for f in files if f["status"] == "failed"]
    assert [Path(f["input"]).name for f in failed] == ["broken.txt"] and failed[0]["error"]
    assert any(f["warnings"] for f in files)
    assert data["summary"]["total"] == len(files) and data["summary"]["failed"] == 1
    assert temporaries(tmp_path) == []


# ---------------------------------------------------------------- paths


def test_two_inputs_mapping_to_one_output_are_both_reported_and_neither_written(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SEEDS / "000_b01cef3071674085.txt", tmp_path / folder / "same.txt")
    out = tmp_path / "out"
    report = convert_tree([tmp_path / "a" / "same.txt", tmp_path / "b" / "same.txt"], "md", out, jobs=1)
    assert report.failed == 2 and report.exit_code == 1
    errors = sorted(r.error for r in report.results)
    assert str(tmp_path / "b" / "same.txt") in errors[0] and str(tmp_path / "a" / "same.txt") in errors[1]
    assert not (out / "same.md").exists()


def test_names_differing_only_in_case_collide(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / "000_b01cef3071674085.txt", corpus / "Article.txt")
    shutil.copy(SEEDS / "000_b01cef3071674085.txt", corpus / "article.txt")
    report = convert_tree(corpus, "md", tmp_path / "out", jobs=1)
    assert report.failed == 2 and not list((tmp_path / "out").glob("*.md"))


def test_a_symbolic_link_in_the_output_folder_cannot_lead_writes_outside(corpus, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "网络聚焦").symlink_to(outside, target_is_directory=True)
    report = convert_tree(corpus, "md", out, jobs=1)
    refused = [r for r in report.results if r.failed]
    assert refused and all("symbolic link" in r.error for r in refused)
    assert list(outside.rglob("*")) == []
    assert report.converted == report.total - len(refused)


def test_an_input_link_to_a_file_outside_the_input_folder_is_not_read(corpus, tmp_path):
    secret = tmp_path / "secret.txt"
    shutil.copy(SEEDS / "000_b01cef3071674085.txt", secret)
    (corpus / "link.txt").symlink_to(secret)
    (corpus / "loop").symlink_to(corpus, target_is_directory=True)  # not followed: no endless walk
    report = convert_tree(corpus, "md", tmp_path / "out", jobs=1)
    [refused] = [r for r in report.results if r.failed]
    assert refused.source.endswith("link.txt") and "outside the input folder" in refused.error
    assert not (tmp_path / "out" / "link.md").exists()


def test_a_name_that_is_not_utf8_is_converted_and_reported_printably(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    raw = os.path.join(os.fsencode(corpus), b"bad\xffname.txt")
    shutil.copy(SEEDS / "000_b01cef3071674085.txt", raw)
    report_path = tmp_path / "report.json"
    report = convert_tree(corpus, "md", tmp_path / "out", jobs=1, report=report_path)
    [result] = report.results
    assert "\\xff" in result.source
    data = json.loads(report_path.read_text(encoding="utf-8"))
    assert "bad\\xffname.txt" in data["files"][0]["input"]
    assert not result.failed, result.error
    assert os.path.exists(os.path.join(os.fsencode(tmp_path / "out"), b"bad\xffname.md"))


def test_a_fifo_or_oversized_input_fails_alone_without_blocking(corpus, tmp_path):
    os.mkfifo(corpus / "pipe.txt")
    big = corpus / "big.txt"
    big.write_bytes((SEEDS / "000_b01cef3071674085.txt").read_bytes() * 3)
    report = convert_tree(corpus, "md", tmp_path / "out", jobs=1, max_size=20_000)
    failed = {Path(r.source).name: r.error for r in report.results if r.failed}
    assert set(failed) == {"pipe.txt", "big.txt"}
    assert "not a regular file" in failed["pipe.txt"] and "--max-size" in failed["big.txt"]


# ---------------------------------------------------------------- faults while writing


class _FullDisk:
    """A file handle on a full disk: the first bytes go out, then ENOSPC."""

    def __init__(self, handle):
        self.handle = handle

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.handle.close()

    def write(self, data: bytes) -> int:
        self.handle.write(data[:100])
        self.handle.flush()
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name):
        return getattr(self.handle, name)


@pytest.mark.parametrize("durable", [False, True], ids=["rename", "fsync"])
def test_a_full_disk_fails_the_file_clearly_and_leaves_no_partial_output(corpus, tmp_path, monkeypatch, durable):
    out = tmp_path / "out"
    convert_tree(corpus, "md", out, jobs=1)
    before = outputs(out)
    if durable:  # the data fit, the flush to disk did not
        def no_space(_fd: int) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(fsutil.os, "fsync", no_space)
    else:
        real_fdopen = os.fdopen
        monkeypatch.setattr(fsutil.os, "fdopen", lambda fd, *a, **k: _FullDisk(real_fdopen(fd, *a, **k)))
    report = convert_tree(corpus, "md", out, jobs=1, force=True, fsync=durable)
    assert report.failed == report.total
    assert all("disk is full" in r.error for r in report.results)
    assert outputs(out) == before  # the old outputs are intact, none truncated
    assert temporaries(out) == []


def test_an_unwritable_output_folder_fails_each_file_with_a_clear_reason(corpus, tmp_path, monkeypatch):
    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(fsutil, "_create_temporary", read_only)
    report = convert_tree(corpus, "md", tmp_path / "out", jobs=1)
    assert report.failed == report.total
    assert all("read-only" in r.error for r in report.results)
    assert outputs(tmp_path / "out") == {}


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_one_clear_error(corpus, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o555)
    try:
        with pytest.raises(convert.ConvertError, match="cannot write in the output folder"):
            convert_tree(corpus, "md", out, jobs=1)
    finally:
        out.chmod(0o755)


# ---------------------------------------------------------------- time limits


def test_a_stuck_document_times_out_in_process_and_the_batch_goes_on(corpus, tmp_path, monkeypatch):
    import convert.batch.render as render

    real_parse = render.parse

    def slow_parse(data, path, *args, **kwargs):
        if Path(path).name.startswith("000_"):
            time.sleep(30)
        return real_parse(data, path, *args, **kwargs)

    monkeypatch.setattr(render, "parse", slow_parse)
    started = time.monotonic()
    report = convert_tree(corpus, "md", tmp_path / "out", jobs=1, timeout=0.5)
    assert time.monotonic() - started < 10
    [stuck] = [r for r in report.results if r.failed]
    assert stuck.source.endswith("000_b01cef3071674085.txt") and "timed out after 0.5 s" in stuck.error
    assert report.converted == report.total - 1
    assert temporaries(tmp_path / "out") == []


def sleep_ignoring_alarms(task: Task) -> Outcome:
    """A worker stuck where SIGALRM cannot reach it (as in C code), for the named input only."""
    import signal

    if Path(task.source).name == "stuck.txt":
        signal.signal(signal.SIGALRM, signal.SIG_IGN)
        time.sleep(60)
    return execute(task)


def test_a_worker_stuck_past_the_limit_is_killed_and_replaced(tmp_path, monkeypatch):
    import convert.batch.local as local

    monkeypatch.setattr(local, "HARD_KILL_GRACE", 0.5)
    for name in ("stuck.txt", "fine1.txt", "fine2.txt", "fine3.txt"):
        shutil.copy(SEEDS / "000_b01cef3071674085.txt", tmp_path / name)
    tasks = [
        Task(name[:-4], str(tmp_path / name), str(tmp_path), name, ("md",), (str(tmp_path / "o" / name),), {}, None, 0.5)
        for name in ("stuck.txt", "fine1.txt", "fine2.txt", "fine3.txt")
    ]
    pool = ProcessPoolBackend(2, ("md",), 0.5, run=sleep_ignoring_alarms)
    started = time.monotonic()
    try:
        results = {Path(t.source).name: o for t, o in pool.map(iter(tasks))}
    finally:
        pool.close()
    assert time.monotonic() - started < 20
    assert "timed out after 0.5 s" in results["stuck.txt"].error
    assert all(results[n].error is None and results[n].rendered["md"].data for n in ("fine1.txt", "fine2.txt", "fine3.txt"))


# ---------------------------------------------------------------- memory


def test_planning_streams_inputs_instead_of_listing_them(tmp_path):
    """The planner yields the first task before it has walked the whole tree."""
    from convert.batch import BatchReport
    from convert.batch.engine import _Engine

    corpus = tmp_path / "corpus"
    load_make_corpus()(40, corpus, SEEDS)
    engine = _Engine(BatchSettings(("md",), tmp_path / "out"), BatchReport(), lambda r: None)
    walked = []
    import convert.batch.engine as engine_module

    original = engine_module.discover

    def counting(inputs):
        for job in original(inputs):
            walked.append(job)
            yield job

    engine_module.discover = counting
    try:
        first = next(engine.plan([corpus], {}))
    finally:
        engine_module.discover = original
    assert first is not None and len(walked) == 1


# ---------------------------------------------------------------- no pool for one task


def test_no_worker_pool_starts_for_one_file_or_a_rerun_with_nothing_to_do(tmp_path, monkeypatch):
    import convert.batch.engine as engine_module

    started = []
    real_pool = engine_module.ProcessPoolBackend

    def recording_pool(*args, **kwargs):
        started.append(args)
        return real_pool(*args, **kwargs)

    monkeypatch.setattr(engine_module, "ProcessPoolBackend", recording_pool)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SEEDS / "000_b01cef3071674085.txt", corpus / "one.txt")
    assert convert_tree(corpus / "one.txt", "md", tmp_path / "out", jobs=2).converted == 1
    shutil.copy(SEEDS / "000_b01cef3071674085.txt", corpus / "two.txt")
    assert convert_tree(corpus, "md", tmp_path / "out", jobs=2).converted == 1  # one new, one up to date
    assert convert_tree(corpus, "md", tmp_path / "out", jobs=2).up_to_date == 2
    assert started == []
    assert convert_tree(corpus, "md", tmp_path / "out2", jobs=2).converted == 2
    assert len(started) == 1  # two tasks: the pool is used


def test_one_file_in_process_keeps_the_time_limit(tmp_path, monkeypatch):
    import convert.batch.render as render

    real_parse = render.parse

    def slow_parse(data, path, *args, **kwargs):
        time.sleep(30)
        return real_parse(data, path, *args, **kwargs)

    monkeypatch.setattr(render, "parse", slow_parse)
    started = time.monotonic()
    report = convert_tree(SEEDS / "000_b01cef3071674085.txt", "md", tmp_path / "out", jobs=2, timeout=0.5)
    assert time.monotonic() - started < 10
    assert "timed out after 0.5 s" in report.results[0].error
