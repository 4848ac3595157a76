"""The partition plan: reading order, JSON lines cut at line starts, locators as the single path gives them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from lagebild.errors import ConfigError
from lagebild.ingest import IngestedArticle, ReadFailure, ReadOptions, Source, SourceReader, expand
from lagebild.scale import plan_partitions
from lagebild.scale._jsonl import count_lines, cut
from lagebild.scale.worker import read_slice


def _jsonl(path: Path, n: int, *, trailing_newline: bool = True, crlf: bool = False) -> Path:
    lines = []
    for i in range(n):
        if i == 4:
            lines.append("")  # blank: skipped by the reader, still a line
        elif i == 7:
            lines.append('{"text": "broken')
        elif i == 9:
            lines.append(json.dumps({"title": "no text"}))
        else:
            lines.append(json.dumps({"text": f"Artikel Nummer {i} über Berlin.", "lang": "de"}))
    sep = "\r\n" if crlf else "\n"
    path.write_text(sep.join(lines) + (sep if trailing_newline else ""), encoding="utf-8", newline="")
    return path


def _items(items) -> list[tuple[str, str, str]]:
    out = []
    for item in items:
        if isinstance(item, ReadFailure):
            out.append(("failure", item.input, item.reason))
        else:
            assert isinstance(item, IngestedArticle)
            out.append(("article", item.input, item.article_id))
    return out


@pytest.mark.parametrize("trailing_newline", [True, False])
@pytest.mark.parametrize("crlf", [False, True])
@pytest.mark.parametrize("size", [1, 3, 5, 22, 100])
def test_cut_jsonl_reads_exactly_what_the_whole_file_gives(tmp_path: Path, size: int, trailing_newline: bool, crlf: bool) -> None:
    path = _jsonl(tmp_path / "a.jsonl", 23, trailing_newline=trailing_newline, crlf=crlf)
    plan = plan_partitions([str(path)], ReadOptions(), size)
    reader = SourceReader(ReadOptions())
    whole = _items(reader.read(Source(str(path), "file", path)))
    pieces = [s for p in plan.partitions for s in p.slices]
    cut_items = _items(item for piece in pieces for item in read_slice(piece, reader))
    assert cut_items == whole
    assert len(whole) == 22  # 23 lines, one blank
    broken = [item for item in cut_items if item[1] == f"{path}:8"]  # numbering continues across cuts
    assert len(broken) == 1 and broken[0][0] == "failure"
    if size < 23:
        assert len(pieces) == -(-23 // size)
        assert all(p.weight <= size for p in plan.partitions)


@pytest.mark.parametrize("trailing_newline", [True, False])
@pytest.mark.parametrize(
    ("sizes", "lines"),
    [([5, 5, 5, 5, 5], [5, 5, 5, 5, 3]), ([20, 20, 5], [20, 3]), ([23], [23]), ([1] * 30, [1] * 23)],
)
def test_line_ranges_cover_the_file_without_gaps(tmp_path: Path, sizes, lines, trailing_newline: bool) -> None:
    path = _jsonl(tmp_path / "a.jsonl", 23, trailing_newline=trailing_newline)
    ranges = cut(str(path), sizes)
    assert count_lines(str(path)) == 23
    assert ranges[0].start == 0 and ranges[-1].end == path.stat().st_size
    assert all(a.end == b.start for a, b in zip(ranges, ranges[1:]))
    assert [r.lines for r in ranges] == lines
    assert [r.first_line for r in ranges] == [sum(lines[:i]) for i in range(len(lines))]


def test_partitions_follow_the_reading_order_of_the_single_path(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    (folder / "b").mkdir(parents=True)
    for name in ("c.txt", "a.txt", "b/z.txt"):
        (folder / name).write_text("Berlin. Deutschland trifft Frankreich.", encoding="utf-8")
    _jsonl(folder / "b" / "m.jsonl", 12)
    plan = plan_partitions([str(folder), str(tmp_path / "missing.txt")], ReadOptions(), 4)
    sources, _ = expand([str(folder)])
    seen = []
    for partition in plan.partitions:
        for piece in partition.slices:
            if not seen or seen[-1] != piece.locator:
                seen.append(piece.locator)
    assert seen == [s.locator for s in sources]
    assert [p.id for p in plan.partitions] == [f"p{i:06d}" for i in range(len(plan.partitions))]
    assert [f.input for f in plan.failures] == [str(tmp_path / "missing.txt")]
    assert all(Path(piece.path).is_absolute() for p in plan.partitions for piece in p.slices)


def test_a_changed_input_changes_the_plan_fingerprint(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "a.jsonl", 10)
    settings = {"partition_size": 4}
    before = plan_partitions([str(path)], ReadOptions(), 4).fingerprint(settings)
    assert plan_partitions([str(path)], ReadOptions(), 4).fingerprint(settings) == before
    assert plan_partitions([str(path)], ReadOptions(), 5).fingerprint(settings) != before
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps({"text": "Noch ein Artikel."}) + "\n")
    os.utime(path, ns=(1, 1))
    assert plan_partitions([str(path)], ReadOptions(), 4).fingerprint(settings) != before


@pytest.mark.parametrize(("inputs", "size", "message"), [(["-"], 10, "standard input"), (["x"], 0, "at least 1")])
def test_bad_plans_are_refused(inputs: list[str], size: int, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        plan_partitions(inputs, ReadOptions(), size)
