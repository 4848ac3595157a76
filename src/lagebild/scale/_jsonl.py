"""Cutting JSON lines files into line ranges without parsing them, and reading one range.

A range is given by byte offsets at line starts and the number of lines before it, so that each
record keeps the locator the single-process reader gives it (`file.jsonl:<line>`). Lines are split
at `\\n` exactly as `lagebild.ingest.tabular` reads them (an over-long line is one line).
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

_BLOCK = 1 << 20


@dataclass(slots=True, frozen=True)
class LineRange:
    """Bytes `[start, end)` of a file, beginning after `first_line` lines; `lines` lines long."""

    start: int
    end: int
    first_line: int
    lines: int


def count_lines(path: str) -> int:
    """Physical lines (a last line without `\\n` counts)."""
    n = 0
    last = b"\n"
    with open(path, "rb") as fh:
        while block := fh.read(_BLOCK):
            n += block.count(b"\n")
            last = block[-1:]
    return n + (last != b"\n")


def cut(path: str, sizes: Iterator[int] | list[int]) -> list[LineRange]:
    """Consecutive ranges of the given numbers of lines (the last range takes what is left).

    One pass over the file in blocks; newlines are counted in C, and only the cut points are
    located line by line.
    """
    ranges: list[LineRange] = []
    sizes = list(sizes)
    with open(path, "rb") as fh:
        total = fh.seek(0, io.SEEK_END)
        fh.seek(0)
        start, first_line = 0, 0
        for want in sizes[:-1]:
            end, lines = _advance(fh, start, want)
            if lines == 0:
                break
            ranges.append(LineRange(start, end, first_line, lines))
            start, first_line = end, first_line + lines
        if start < total:
            ranges.append(LineRange(start, total, first_line, _lines_between(fh, start, total)))
    return ranges


def _advance(fh: BinaryIO, start: int, lines: int) -> tuple[int, int]:
    """The offset after `lines` more lines from `start` (or the end of the file) and how many were passed."""
    fh.seek(start)
    position, passed = start, 0
    while passed < lines:
        block = fh.read(_BLOCK)
        if not block:
            return position, passed + (1 if position > start and not _ends_with_newline(fh, position) else 0)
        newlines = block.count(b"\n")
        if passed + newlines < lines:
            passed += newlines
            position += len(block)
            continue
        index = -1
        for _ in range(lines - passed):
            index = block.index(b"\n", index + 1)
        return position + index + 1, lines
    return position, passed


def _ends_with_newline(fh: BinaryIO, position: int) -> bool:
    if position == 0:
        return True
    fh.seek(position - 1)
    return fh.read(1) == b"\n"


def _lines_between(fh: BinaryIO, start: int, end: int) -> int:
    fh.seek(start)
    remaining, n, last = end - start, 0, b"\n"
    while remaining > 0:
        block = fh.read(min(_BLOCK, remaining))
        if not block:
            break
        remaining -= len(block)
        n += block.count(b"\n")
        last = block[-1:]
    return n + (last != b"\n")


class _RangeReader(io.RawIOBase):
    """A raw stream over bytes `[start, end)` of an open binary file."""

    def __init__(self, fh: BinaryIO, start: int, end: int) -> None:
        self._fh = fh
        self._remaining = end - start
        fh.seek(start)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._remaining <= 0:
            return 0
        view = memoryview(buffer)[: self._remaining]
        n = self._fh.readinto(view)
        n = n or 0
        self._remaining -= n
        return n


def open_range(fh: BinaryIO, line_range: LineRange) -> io.BufferedReader:
    """A buffered stream that ends where the range ends (readline works as on the whole file)."""
    return io.BufferedReader(_RangeReader(fh, line_range.start, line_range.end))
