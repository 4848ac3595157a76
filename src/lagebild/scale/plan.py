"""The partition plan: which inputs each Dask task reads, in the order the single-process ingest reads them.

Inputs are expanded exactly as `lagebild ingest` expands them (`lagebild.ingest.expand`: directories
walked in sorted order). A JSON lines file is cut into line ranges so that a large collection spreads
over many partitions; every other input (a text, HTML, JSON, CSV or feed file, a URL) is read whole
by one partition. Partitions hold about `partition_size` articles and are numbered in reading order,
so replaying them in id order replays the single-process order.

The plan is a pure function of the inputs (their paths, sizes and modification times) and the
settings; its fingerprint tells a rerun whether an output directory holds the same run.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from lagebild.errors import ConfigError
from lagebild.ingest import ReadFailure, ReadOptions, expand
from lagebild.ingest.sources import SUFFIXES, sniff
from lagebild.scale._jsonl import count_lines, cut

#: Bytes per article assumed when a whole-file container's article count is guessed (only for balancing).
_BYTES_PER_ARTICLE = 2_500


@dataclass(slots=True, frozen=True)
class InputSlice:
    """What one partition reads of one input.

    locator     the input as the single-process ingest names it (path as given, URL)
    kind        `file` or `url`
    path        absolute path of a file (workers may run in another directory)
    fmt         the format the reader will use (`jsonl`, ...; None: decided by the reader)
    size, mtime_ns   of the file when planned (a changed file changes the plan)
    byte_range  `[start, end)` for a cut JSON lines file, else None (the whole input)
    first_line  lines before `byte_range` (record locators continue the file's numbering)
    weight      articles expected (lines of a JSON lines range; a guess elsewhere)
    """

    locator: str
    kind: str
    path: str | None = None
    fmt: str | None = None
    size: int | None = None
    mtime_ns: int | None = None
    byte_range: tuple[int, int] | None = None
    first_line: int = 0
    weight: int = 1

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["byte_range"] = list(self.byte_range) if self.byte_range else None
        return out


@dataclass(slots=True, frozen=True)
class Partition:
    """One Dask task's share of the inputs; `id` orders partitions (`p000000`, `p000001`, ...)."""

    id: str
    slices: tuple[InputSlice, ...]

    @property
    def weight(self) -> int:
        return sum(s.weight for s in self.slices)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "inputs": [s.to_json() for s in self.slices]}


@dataclass(slots=True)
class Plan:
    """Partitions in reading order, and the inputs that could not even be listed (missing paths)."""

    partitions: list[Partition]
    failures: list[ReadFailure] = field(default_factory=list)

    def fingerprint(self, settings: dict[str, Any]) -> str:
        """A hash of the partitions and the settings that change what is coded."""
        payload = {"settings": settings, "partitions": [p.to_json() for p in self.partitions]}
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
        return hashlib.sha256(blob).hexdigest()


def partition_id(index: int) -> str:
    return f"p{index:06d}"


def _format_of(path: Path, options: ReadOptions) -> str | None:
    """The format `SourceReader` will pick for a file (suffix, else first bytes)."""
    if options.fmt:
        return options.fmt
    by_suffix = SUFFIXES.get(path.suffix.lower())
    if by_suffix:
        return by_suffix
    try:
        with path.open("rb") as fh:
            return sniff(fh.read(8192))
    except OSError:
        return None  # the worker's reader reports it as a failure of this input


def plan_partitions(inputs: list[str], options: ReadOptions | None = None, partition_size: int = 500) -> Plan:
    """Partitions of about `partition_size` articles over the inputs, in reading order."""
    if partition_size < 1:
        raise ConfigError(f"--partition-size must be at least 1, got {partition_size}")
    if "-" in inputs:
        raise ConfigError(
            "the dask engine cannot read standard input (the workers cannot share it); "
            "save it to a file and pass the file"
        )
    options = options or ReadOptions()
    sources, failures = expand(inputs)
    packer = _Packer(partition_size)
    for source in sources:
        if source.kind == "url":
            packer.add_whole(InputSlice(source.locator, "url"))
            continue
        assert source.path is not None
        path = source.path
        try:
            stat = path.stat()
        except OSError:
            packer.add_whole(InputSlice(source.locator, "file", str(path.resolve())))
            continue
        fmt = _format_of(path, options)
        base = InputSlice(
            source.locator, "file", str(path.resolve()), fmt, stat.st_size, stat.st_mtime_ns, None, 0, 1
        )
        if fmt == "jsonl" and stat.st_size > 0:
            packer.add_lines(base, count_lines(str(path)))
        elif fmt in ("text", "html", "binary", None) or stat.st_size == 0:
            packer.add_whole(base)
        else:
            guess = max(1, stat.st_size // _BYTES_PER_ARTICLE)
            packer.add_whole(InputSlice(**{**asdict(base), "weight": guess}))
    return Plan(packer.finish(), failures)


class _Packer:
    """Fills partitions in order; JSON lines files are cut to fill each partition exactly."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.partitions: list[Partition] = []
        self._current: list[InputSlice] = []
        self._used = 0

    def _close(self) -> None:
        if self._current:
            self.partitions.append(Partition(partition_id(len(self.partitions)), tuple(self._current)))
        self._current, self._used = [], 0

    def add_whole(self, piece: InputSlice) -> None:
        if self._used and self._used + piece.weight > self.size:
            self._close()
        self._current.append(piece)
        self._used += piece.weight
        if self._used >= self.size:
            self._close()

    def add_lines(self, base: InputSlice, lines: int) -> None:
        if lines <= self.size - self._used:
            self.add_whole(InputSlice(**{**asdict(base), "weight": max(lines, 1)}))
            return
        sizes: list[int] = []
        left = lines
        room = self.size - self._used
        while left > 0:
            take = min(room, left)
            sizes.append(take)
            left -= take
            room = self.size
        assert base.path is not None
        for line_range in cut(base.path, sizes):
            piece = InputSlice(
                **{
                    **asdict(base),
                    "byte_range": (line_range.start, line_range.end),
                    "first_line": line_range.first_line,
                    "weight": line_range.lines,
                }
            )
            self._current.append(piece)
            self._used += piece.weight
            if self._used >= self.size:
                self._close()

    def finish(self) -> list[Partition]:
        self._close()
        return self.partitions


def settings_of(options: ReadOptions, *, coder: str | None, force_date: str | None, lang: str | None, partition_size: int) -> dict[str, Any]:
    """The settings that change what a run produces, as plain JSON (recorded in the manifest)."""
    opts = asdict(options)
    opts["field_map"] = asdict(options.field_map)
    return {
        "read_options": opts,
        "coder": coder or "lagebild:code",
        "force_date": force_date,
        "lang": lang,
        "partition_size": partition_size,
    }

