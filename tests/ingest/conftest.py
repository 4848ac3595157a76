"""Fixtures for the ingest tests. The fake coder comes from tests/store/lb_fakes.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

STORE_TESTS = Path(__file__).resolve().parent.parent / "store"
if str(STORE_TESTS) not in sys.path:
    sys.path.insert(0, str(STORE_TESTS))

import lb_fakes  # noqa: E402

from lagebild.store import Store  # noqa: E402


@pytest.fixture
def store(tmp_path: Path):
    with Store(tmp_path / "ingest.duckdb") as s:
        yield s


@pytest.fixture
def fake_coder():
    return lb_fakes.code
