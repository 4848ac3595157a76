"""The run clock that the ingest, Dask and load statistics share."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(slots=True)
class Clocked:
    """A run's start time; statistics classes derive from it and report their own `rate`."""

    started: float = field(default_factory=time.monotonic)

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def per_second(self, count: int) -> float:
        elapsed = self.elapsed
        return count / elapsed if elapsed > 0 else 0.0
