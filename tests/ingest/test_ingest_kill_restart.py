"""A run killed with SIGKILL and started again loses no article and stores none twice."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import lb_fakes
import pytest

from lagebild.ingest import Ingestor
from lagebild.store import Store

N_FILES = 60
STORE_TESTS = Path(__file__).resolve().parent.parent / "store"
CLI = "from lagebild.cli.db import main; main()"

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def _env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(STORE_TESTS), env.get("PYTHONPATH", "")) if p)
    env.update(extra)
    return env


def _corpus(folder: Path) -> list[Path]:
    rng = random.Random(5)
    vocabulary = [f"w{i}" for i in range(2000)]
    paths = []
    for i in range(N_FILES):
        path = folder / f"{i:03d}.txt"
        path.write_text(f"Germany meets France. {' '.join(rng.choices(vocabulary, k=40))}.", encoding="utf-8")
        paths.append(path)
    return paths


def _ingest(folder: Path, db: Path, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CLI, "ingest", str(folder), "--db", str(db), "--coder", "lb_fakes:code", "--quiet", "--batch-size", "4"],
        env=_env(**env),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def _lines(path: Path) -> int:
    return len(path.read_text().splitlines()) if path.exists() else 0


def test_sigkill_mid_run_then_restart(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    paths = _corpus(folder)
    db = tmp_path / "kill.duckdb"
    log = tmp_path / "coded.log"

    proc = _ingest(folder, db, LB_FAKE_SLEEP="0.03", LB_FAKE_LOG=str(log))
    deadline = time.monotonic() + 60
    while _lines(log) < 15:
        assert proc.poll() is None, proc.stderr.read()
        assert time.monotonic() < deadline, "the ingest did not get going"
        time.sleep(0.01)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    coded_before_kill = _lines(log)
    assert coded_before_kill < N_FILES, "the run finished before it could be killed"

    with Store(db, read_only=True) as store:
        partial = store.counts()["articles"]
    assert 0 < partial < N_FILES

    # the restart: the same ingest again (in this process, to keep the test fast)
    with Store(db) as store:
        report = Ingestor(store, lb_fakes.code).run([str(folder)])
        assert report.stats.skipped == partial and report.stats.stored == N_FILES - partial
        articles = store.articles()
        assert sorted(articles["input"]) == sorted(str(p) for p in paths)  # none lost, none doubled
        assert articles["article_id"].is_unique
        counts = store.counts()
        assert (counts["articles"], counts["mentions"], counts["events"]) == (N_FILES, N_FILES, 1)
        (event,) = store.events().itertuples()
        assert (event.num_mentions, event.num_articles) == (N_FILES, N_FILES)
        assert counts["failures"] == 0
