"""One partition on one worker, in-process: atomic and idempotent files, the store's columns, failures."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from lagebild.ingest import ReadOptions
from lagebild.scale import CodingSettings, ScaleError, code_partition, ingest_dask, plan_partitions
from lagebild.scale._store_rows import TABLES
from lagebild.scale.errors import OutputError
from lagebild.scale.manifest import DirectoryLock, lagebild_version, sha256_of, worker_lexicon_fingerprint
from lagebild.store import Store

from .scale_helpers import sample_lines

SETTINGS = CodingSettings(ReadOptions(), None, None, None, lagebild_version(), worker_lexicon_fingerprint())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("worker")
    lines = sample_lines(1, 2, 3)
    lines.insert(1, '{"text": "broken')
    lines.append(sample_lines(1)[0])  # an exact repeat within the partition
    path = folder / "four.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def partition(corpus: Path):
    (partition,) = plan_partitions([str(corpus)], ReadOptions(), 100).partitions
    return partition


@pytest.fixture(scope="module")
def written(tmp_path_factory, partition) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = code_partition(partition, str(out), SETTINGS)
    assert not result.reused
    return out


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: sha256_of(p) for p in sorted(folder.iterdir())}


def test_a_partition_is_one_directory_with_every_table_and_its_hashes(written: Path, partition) -> None:
    folder = written / "partitions" / partition.id
    meta = json.loads((folder / "partition.json").read_text())
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{t}.parquet" for t in TABLES] + ["partition.json"])
    assert {name: entry["sha256"] for name, entry in meta["files"].items()} == {
        name: digest for name, digest in _hashes(folder).items() if name != "partition.json"
    }
    assert meta["rows"]["articles"] == 3  # the repeat is skipped as the store skips it
    assert meta["articles_read"] == 4
    assert meta["lexicon_fingerprint"] == worker_lexicon_fingerprint()
    assert not any((written / "tmp").iterdir())


def test_the_tables_have_the_store_columns(written: Path, partition) -> None:
    folder = written / "partitions" / partition.id
    with Store(":memory:") as store:
        for table in TABLES:
            store_columns = [d[0] for d in store.cursor(f"SELECT * FROM {table} LIMIT 0").description]
            extra = ["partition_id", "seq"] if table == "articles" else ["partition_id"]
            assert pq.read_schema(folder / f"{table}.parquet").names == store_columns + extra


def test_read_failures_are_rows_named_as_the_single_path_names_them(written: Path, partition, corpus: Path) -> None:
    rows = pq.read_table(written / "partitions" / partition.id / "failures.parquet").to_pylist()
    assert [(r["input"], r["kind"], r["attempts"]) for r in rows] == [(f"{corpus}:2", "malformed", 1)]


def test_running_a_partition_again_changes_nothing(written: Path, partition, tmp_path: Path) -> None:
    folder = written / "partitions" / partition.id
    before = _hashes(folder)
    again = code_partition(partition, str(written), SETTINGS)
    assert again.reused and _hashes(folder) == before
    elsewhere = code_partition(partition, str(tmp_path), SETTINGS)  # coded afresh: byte-identical files
    assert not elsewhere.reused
    assert _hashes(tmp_path / "partitions" / partition.id) == before


def test_a_worker_with_other_lexicons_refuses(partition, tmp_path: Path) -> None:
    other = CodingSettings(ReadOptions(), lexicons="0" * 20, version=lagebild_version())
    with pytest.raises(ScaleError, match="lexicons"):
        code_partition(partition, str(tmp_path), other)
    assert not (tmp_path / "partitions").exists()


def test_an_output_directory_of_something_else_is_refused(corpus: Path, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="not a lagebild run"):
        ingest_dask([str(corpus)], tmp_path, workers=1)


def test_a_directory_in_use_is_refused(corpus: Path, tmp_path: Path) -> None:
    with DirectoryLock(tmp_path), pytest.raises(OutputError, match="another lagebild run"):
        ingest_dask([str(corpus)], tmp_path, workers=1)
