"""lagebild on Dask: code many articles on many workers, write Parquet, load it into DuckDB.

    from lagebild.scale import ingest_dask, load, parquet_events
    from lagebild.store import Store

    ingest_dask(["articles/"], "out/", workers=4)       # or scheduler="tcp://host:8786"
    parquet_events("out/", actor="RUS")                  # query the Parquet files directly
    with Store("lagebild.duckdb") as store:
        load("out/", store)                              # the same database `lagebild ingest` builds

The stages: `plan_partitions` (inputs → partitions in reading order) → `code_partition` on the
workers (the single-process `Ingestor.add` per article, into Parquet, atomically per partition)
→ `load` (replay in order through the store's write path, with the same near-duplicate index).
See docs/SCALING.md.
"""

from lagebild.scale.engine import RunReport, RunStats, ingest_dask
from lagebild.scale.errors import ClusterError, ManifestError, OutputError, PartitionError, ScaleError
from lagebild.scale.load import LoadReport, LoadStats, load
from lagebild.scale.manifest import OutputDir, lexicon_fingerprint
from lagebild.scale.plan import InputSlice, Partition, Plan, plan_partitions
from lagebild.scale.query import parquet_events, parquet_files
from lagebild.scale.worker import CodingSettings, PartitionResult, PartitionSink, code_partition

__all__ = [
    "ClusterError",
    "CodingSettings",
    "InputSlice",
    "LoadReport",
    "LoadStats",
    "ManifestError",
    "OutputDir",
    "OutputError",
    "Partition",
    "PartitionError",
    "PartitionResult",
    "PartitionSink",
    "Plan",
    "RunReport",
    "RunStats",
    "ScaleError",
    "code_partition",
    "ingest_dask",
    "lexicon_fingerprint",
    "load",
    "parquet_events",
    "parquet_files",
    "plan_partitions",
]
