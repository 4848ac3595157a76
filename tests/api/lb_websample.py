"""Test support shared by tests/api and tests/browser: a coder for the samples, stores, a live server.

`sample_coder()` is the real `lagebild.code` when it codes a plain USA-Iran sentence into an
event between the two, else the fake of `lb_webfakes` (set LAGEBILD_TEST_CODER=real or fake to
choose). The dashboard tests check the web layer, not the coder's accuracy.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

import lb_webfakes

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
TOKEN = "test-token-0123456789"
PROBE = "WASHINGTON, June 3 — The United States imposed new sanctions on Iran on Monday."


@lru_cache(maxsize=1)
def sample_coder() -> tuple[str, Callable[..., Any]]:
    """(name, coder): the real coder if it works on a probe sentence, else the fake."""
    choice = os.environ.get("LAGEBILD_TEST_CODER", "auto")
    if choice == "fake":
        return "fake", lb_webfakes.code
    try:
        from lagebild import code

        records = code(PROBE, published="2025-06-03", lang="en", doc_id="probe").to_records()
        pairs = {(e["source"] or {}).get("code") for e in records["events"]} | {
            (e["target"] or {}).get("code") for e in records["events"]}
        if {"USA", "IRN"} <= pairs:
            return "real", code
        if choice == "real":
            raise AssertionError(f"the real coder found no USA-IRN event in the probe: {records['events']}")
    except Exception:  # noqa: BLE001 - any failure of the coder under construction means: use the fake
        if choice == "real":
            raise
    return "fake", lb_webfakes.code


def fill_from_samples(db: Path) -> dict[str, int]:
    """Ingest the whole sample corpus into `db` with `sample_coder()`; returns the table counts."""
    from lagebild.ingest import Ingestor
    from lagebild.store import Store

    _, coder = sample_coder()
    with Store(db) as store:
        Ingestor(store, coder).run([str(SAMPLES)])
        return store.counts()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_client(db: Path, **settings: Any):
    """A FastAPI TestClient over the real app on `db` (fake coder, test token, no endpoint file)."""
    from fastapi.testclient import TestClient

    from lagebild.api import ServerSettings, create_app

    values = {"db": db, "token": TOKEN, "endpoint_file": False, **settings}
    app = create_app(ServerSettings(**values), coder=lb_webfakes.code)
    return TestClient(app, base_url="http://127.0.0.1:8000")


@contextmanager
def live_server(db: Path, *, token: str = TOKEN, coder: Callable[..., Any] | None = None,
                endpoint_file: bool = True, **settings: Any) -> Iterator[str]:
    """Run the real app under uvicorn in a thread on a free loopback port; yields its base URL."""
    import uvicorn

    from lagebild.api import ServerSettings, create_app

    port = free_port()
    config_settings = ServerSettings(db=db, host="127.0.0.1", port=port, token=token, endpoint_file=endpoint_file, **settings)
    app = create_app(config_settings, coder=coder or sample_coder()[1])
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="lagebild-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)
