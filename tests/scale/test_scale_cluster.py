"""A real deployment on loopback: `dask scheduler` and two `dask worker` processes, the CLI as a user runs
it, and one worker killed with SIGKILL in the middle of a partition. Dask moves the worker's tasks to
the other worker; nothing is lost or stored twice."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lagebild.cli.main import app

from .scale_helpers import HERE, differences, snapshot, tiny_corpus

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="process groups and SIGKILL are POSIX"),
]

BIN = Path(sys.executable).parent
START_TIMEOUT = 60.0


def _start(args: list[str], log: Path, cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    with log.open("wb") as fh:
        return subprocess.Popen(args, cwd=cwd, env=env, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)


def _stop(proc: subprocess.Popen) -> None:
    """End a process we started and everything in its process group (a worker's nanny and its child)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers of the group, if any
    except ProcessLookupError:
        pass
    proc.wait(timeout=15)


@pytest.fixture
def cluster(tmp_path: Path):
    """`dask scheduler` on 127.0.0.1 and two single-threaded `dask worker`s, as separate processes."""
    distributed = pytest.importorskip("distributed")
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), env.get("PYTHONPATH", "")) if p)
    env["LB_SCALE_KILL_MARKER"] = str(tmp_path / "killed.pid")
    procs: list[subprocess.Popen] = []
    try:
        scheduler_file = tmp_path / "scheduler.json"
        procs.append(
            _start(
                [str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                 "--scheduler-file", str(scheduler_file)],
                tmp_path / "scheduler.log", tmp_path, env,
            )
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not scheduler_file.exists() or not scheduler_file.read_text().strip():
            assert procs[0].poll() is None, (tmp_path / "scheduler.log").read_text()
            assert time.monotonic() < deadline, "the scheduler did not start"
            time.sleep(0.1)
        address = json.loads(scheduler_file.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        for i in range(2):
            procs.append(
                _start(
                    [str(BIN / "dask"), "worker", address, "--nworkers", "1", "--nthreads", "1", "--no-dashboard",
                     "--no-nanny"],  # so the killed worker stays dead and its tasks must move
                    tmp_path / f"worker{i}.log", tmp_path, env,
                )
            )
        with distributed.Client(address, timeout=START_TIMEOUT) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT)
        yield {"address": address, "env": env, "marker": Path(env["LB_SCALE_KILL_MARKER"]), "workers": procs[1:]}
    finally:
        for proc in reversed(procs):
            _stop(proc)


def _lagebild(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    """The installed `lagebild` program, as a user runs it."""
    return subprocess.run([str(BIN / "lagebild"), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=180)


def test_a_killed_worker_loses_and_doubles_nothing(cluster, tmp_path: Path) -> None:
    corpus = tiny_corpus(tmp_path / "corpus")
    out, db = tmp_path / "out", tmp_path / "dask.duckdb"

    ingest = _lagebild(
        "ingest-dask", str(corpus), "--out", str(out), "--scheduler", cluster["address"],
        "--partition-size", "3", "--coder", "lb_scale_coders:code_or_die", "--quiet",
        env=cluster["env"], cwd=tmp_path,
    )
    assert ingest.returncode == 0, ingest.stderr
    killed = [w for w in cluster["workers"] if w.poll() is not None]
    assert [w.returncode for w in killed] == [-signal.SIGKILL], "exactly one worker should have been killed"
    assert int(cluster["marker"].read_text()) == killed[0].pid

    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["complete"] and len(manifest["partitions"]) == 4
    assert sorted(p.name for p in (out / "partitions").iterdir()) == [e["id"] for e in manifest["partitions"]]
    assert not (out / "tmp").exists()

    runner = CliRunner()  # in-process: the workers are what must be separate processes here
    loaded = runner.invoke(app, ["load", str(out), "--db", str(db), "--quiet"])
    assert loaded.exit_code == 0, loaded.output
    reference = tmp_path / "single.duckdb"
    single = runner.invoke(app, ["ingest", str(corpus), "--db", str(reference), "--quiet"])
    assert single.exit_code == 0, single.output
    assert differences(snapshot(reference), snapshot(db)) == []
    assert len(snapshot(db)["articles"]) >= 9
