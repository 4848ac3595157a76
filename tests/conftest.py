"""Shared test fixtures: the shared reference folder (skipped cleanly when absent) and a coder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
TABLES = Path(__file__).resolve().parent / "tables"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "seed" / "gold.de.json").is_file():
        pytest.skip("../shared is not beside the checkout; reference data tests are skipped")
    return SHARED


@pytest.fixture(scope="session")
def coder():
    from lagebild.coder import Coder

    return Coder()
