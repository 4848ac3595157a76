"""How another process finds the server and hands it articles: the endpoint file, `running_server`,
`post_articles`, and the real `lagebild serve` command in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import lb_webfakes
import pytest
from lb_websample import TOKEN, free_port, live_server

from lagebild.api.client import post_articles, running_server
from lagebild.api.discovery import endpoint_path, read_endpoint, write_endpoint
from lagebild.api.errors import AuthenticationError

HERE = Path(__file__).resolve().parent
ARTICLES = [
    {"text": "Germany criticised Russia on Monday.", "published": "2025-02-03", "title": "one", "outlet": "W"},
    {"text": "France welcomed Germany in Paris.", "published": "2025-02-04", "title": "two", "outlet": "W"},
]


def test_endpoint_file_is_private_and_names_the_server(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    info = write_endpoint(db, "127.0.0.1", 8123, "secret")
    path = endpoint_path(db)
    assert path.name == "x.duckdb.server.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_endpoint(db) == info and info.url == "http://127.0.0.1:8123" and info.pid == os.getpid()


def test_no_server_and_stale_files_give_none(tmp_path: Path) -> None:
    db = tmp_path / "x.duckdb"
    assert running_server(db) is None
    endpoint_path(db).write_text("{not json")
    assert running_server(db) is None
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    endpoint_path(db).write_text(json.dumps({"pid": int(dead.stdout), "host": "127.0.0.1", "port": free_port(),
                                             "url": "http://127.0.0.1:1", "db": str(db), "token": None,
                                             "token_env": "LAGEBILD_TOKEN", "started": "", "version": ""}))
    assert running_server(db) is None
    write_endpoint(db, "127.0.0.1", free_port(), None)  # alive pid (this one), but nothing listens
    assert running_server(db) is None


def test_running_server_and_post_articles(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAGEBILD_TOKEN", raising=False)
    with live_server(db, token=TOKEN, coder=lb_webfakes.code) as url:
        info = running_server(db)
        assert info is not None and info.url == url and info.token is None  # the token came from the settings
        with pytest.raises(AuthenticationError):
            post_articles(info, ARTICLES)
        seen = []
        outcomes = post_articles(info, ARTICLES + ARTICLES[:1], token=TOKEN, batch=2, on_result=seen.append)
        assert [o["status"] for o in outcomes] == ["stored", "stored", "skipped"] and seen == outcomes
        monkeypatch.setenv("LAGEBILD_TOKEN", TOKEN)
        assert post_articles(info, ARTICLES[1:])[0]["status"] == "skipped"
    assert not endpoint_path(db).exists()  # removed when the server stops


@pytest.mark.slow
def test_lagebild_serve_owns_the_database(tmp_path: Path) -> None:
    """`lagebild serve` in a subprocess: the database is locked to other processes, the endpoint file
    with a made-up token lets a client ingest, and the file goes away when the server stops."""
    from lagebild.store import Store, StoreLockedError

    db = tmp_path / "served.duckdb"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(HERE), os.environ.get("PYTHONPATH", "")])}
    env.pop("LAGEBILD_TOKEN", None)
    proc = subprocess.Popen(
        [sys.executable, "-m", "lagebild", "serve", "--db", str(db), "--port", str(port), "--coder", "lb_webfakes:code"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        deadline = time.monotonic() + 60
        info = None
        while info is None:
            assert proc.poll() is None, proc.stderr.read()
            assert time.monotonic() < deadline, "lagebild serve did not start"
            time.sleep(0.1)
            info = running_server(db)
        assert info.pid == proc.pid and info.token  # made up for this run, kept in the private file
        with pytest.raises(StoreLockedError):
            Store(db)
        outcomes = post_articles(info, ARTICLES)
        assert [o["status"] for o in outcomes] == ["stored", "stored"]
        # `lagebild ingest` while the server runs: handed to the server, no lock error for the user
        article = tmp_path / "handoff.txt"
        article.write_text("Polen weist Diplomaten aus\n\nPolen hat zwei russische Diplomaten ausgewiesen.\n", encoding="utf-8")
        cli = subprocess.run([sys.executable, "-m", "lagebild", "ingest", str(article), "--db", str(db), "--date", "2025-03-01"],
                             env=env, capture_output=True, text=True, timeout=120)
        assert cli.returncode == 0, cli.stderr
        said = " ".join((cli.stderr + cli.stdout).split())  # Rich wraps long lines
        assert "handing the articles to it" in said and "The server stored 1 article" in said, said
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            _, err = proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            _, err = proc.communicate()
    assert proc.returncode in (0, 130, -signal.SIGINT), err  # uvicorn re-raises Ctrl+C after a clean shutdown
    assert "lagebild serves" in err
    assert not endpoint_path(db).exists()
    with Store(db, read_only=True) as store:
        assert store.counts()["articles"] == 3


def test_serve_reports_a_locked_database(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from lagebild.cli.main import app
    from lagebild.store import Store

    db = tmp_path / "locked.duckdb"
    Store(db).close()
    holder = subprocess.Popen([sys.executable, "-c", f"import duckdb, time; c = duckdb.connect({str(db)!r}); "
                               "print('ok', flush=True); time.sleep(30)"], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ok"
        result = CliRunner().invoke(app, ["serve", "--db", str(db), "--port", str(free_port())])
        assert result.exit_code == 1
        assert "in use by another process" in result.output
    finally:
        holder.kill()
        holder.wait()
