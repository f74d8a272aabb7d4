"""Rendering on a real Dask scheduler and worker (on 127.0.0.1) gives the bytes a local run gives."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from convert.batch import convert_tree

distributed = pytest.importorskip("distributed", reason="Dask is an optional extra: pip install 'convert-seeds[dask]'")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


def _start(args: list[str], log: Path) -> subprocess.Popen:
    handle = open(log, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "distributed.cli." + args[0], *args[1:]],
        stdout=handle, stderr=subprocess.STDOUT, start_new_session=True,
    )


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A scheduler and one worker (2 threads) on loopback, always stopped at the end."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    processes = []
    try:
        processes.append(_start(["dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                                 "--scheduler-file", str(scheduler_file)], folder / "scheduler.log"))
        deadline = time.monotonic() + 60
        while not scheduler_file.exists() or not scheduler_file.read_text().strip():
            if time.monotonic() > deadline or processes[0].poll() is not None:
                pytest.fail(f"the Dask scheduler did not start: {(folder / 'scheduler.log').read_text()[-2000:]}")
            time.sleep(0.2)
        time.sleep(0.2)  # the file is written in one go, but give the JSON a moment
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        processes.append(_start(["dask_worker", address, "--host", "127.0.0.1", "--nthreads", "2", "--nworkers", "1",
                                 "--no-dashboard", "--death-timeout", "60"], folder / "worker.log"))
        with distributed.Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        yield address
    finally:
        for process in processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not p.name.startswith(".convert-")}


def _has_pictures(json_bytes: bytes) -> bool:
    return any(b["type"] == "image" for b in json.loads(json_bytes)["blocks"])


def test_a_dask_run_writes_the_same_bytes_as_a_local_run(cluster, tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(SEEDS, corpus)
    (corpus / "broken.txt").write_bytes(b"")  # a failure travels back as a result, too
    local = convert_tree(corpus, "md,json", tmp_path / "local", jobs=1)
    remote = convert_tree(corpus, "md,json", tmp_path / "dask", scheduler=cluster)
    assert (remote.converted, remote.failed) == (local.converted, local.failed) == (local.total - 1, 1)
    [failure] = [r for r in remote.results if r.failed]
    assert failure.error.startswith(str(corpus / "broken.txt")) and "empty file" in failure.error
    here, there = _outputs(tmp_path / "local"), _outputs(tmp_path / "dask")
    assert sorted(here) == sorted(there)
    assert any("_files/" in name for name in there)  # pictures travelled to the worker and back
    assert any(name.endswith(".json") and _has_pictures(data) for name, data in here.items())
    for name, data in here.items():
        assert there[name] == data, name  # the JSON model too: pictures named where the client has them
    # The manifest is shared: a local rerun finds everything the cluster built up to date.
    assert convert_tree(corpus, "md,json", tmp_path / "dask", jobs=1).up_to_date == local.total - 1


def test_the_command_takes_the_scheduler_from_the_environment(cluster, tmp_path):
    env = {**os.environ, "DASK_SCHEDULER_ADDRESS": cluster}
    run = subprocess.run([sys.executable, "-m", "convert", str(SEEDS), "--to", "md", "-o", str(tmp_path / "out")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert len(list((tmp_path / "out").rglob("*.md"))) == sum(1 for p in SEEDS.rglob("*.txt") if p.is_file())


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path):
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    run = subprocess.run([sys.executable, "-m", "convert", str(SEEDS), "-o", str(tmp_path / "out"),
                          "--scheduler", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=120, env=env)
    assert run.returncode == 1
    assert run.stderr.startswith("error: cannot reach the Dask scheduler") and "Traceback" not in run.stderr


def test_a_chosen_font_reaches_each_dask_worker_once_and_gives_the_local_bytes(cluster, tmp_path):
    font = ROOT / "fonts" / "LiberationSerif-Regular.ttf"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        shutil.copy(SEEDS / "000_b01cef3071674085.txt", corpus / name)
    local = convert_tree(corpus, "pdf", tmp_path / "local", jobs=1, font=str(font))
    remote = convert_tree(corpus, "pdf", tmp_path / "dask", scheduler=cluster, font=str(font))
    assert remote.failed == local.failed == 0 and remote.converted == 3
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")

    def user_faces() -> list[str]:
        from convert.writers.pdf.fonts import loaded_faces

        return sorted({path for path, _index in loaded_faces() if path.endswith(font.name) and str(ROOT) not in path})

    with distributed.Client(cluster, timeout="30s") as client:
        [faces] = client.run(user_faces).values()
    assert len(faces) == 1  # one copy of the font on the worker, parsed once, not one per document


def test_a_worker_copies_inputs_into_its_dask_scratch_folder_not_tmp(cluster):
    """Dask removes a worker's local directory even when the worker is killed; /tmp is never swept."""
    from convert.batch.dask import _scratch

    with distributed.Client(cluster, timeout="30s") as client:
        scratch = client.submit(_scratch, pure=False).result(timeout=60)
        [local] = client.run(lambda dask_worker: str(dask_worker.local_directory)).values()
    assert scratch == local
