"""The Dask path on a LocalCluster of two worker processes gives the database `lagebild ingest` gives."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from lagebild.cli.main import app
from lagebild.scale import ManifestError, OutputError, ingest_dask, load, parquet_events
from lagebild.scale.manifest import sha256_of
from lagebild.store import Store

from .scale_helpers import ROOT, differences, small_corpus, snapshot

PARTITION_SIZE = 4

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50
    )
    dask_client = distributed.Client(cluster)
    yield dask_client
    dask_client.close()
    cluster.close()


@pytest.fixture(scope="module")
def run(tmp_path_factory, client):
    """One corpus, coded once by `lagebild ingest` (db A) and once by the Dask path + `lagebild load` (db B)."""
    base = tmp_path_factory.mktemp("local")
    corpus = small_corpus(base / "corpus")
    runner = CliRunner()
    single = runner.invoke(app, ["ingest", str(corpus), "--db", str(base / "a.duckdb"), "--quiet"])
    assert single.exit_code == 0, single.output
    report = ingest_dask([str(corpus)], base / "out", client=client, partition_size=PARTITION_SIZE)
    loaded = runner.invoke(app, ["load", str(base / "out"), "--db", str(base / "b.duckdb"), "--quiet"])
    assert loaded.exit_code == 0, loaded.output
    return {"base": base, "corpus": corpus, "out": base / "out", "a": base / "a.duckdb", "b": base / "b.duckdb", "report": report}


def test_the_dask_path_builds_the_same_database(run) -> None:
    a, b = snapshot(run["a"]), snapshot(run["b"])
    assert differences(a, b) == []
    con_a = duckdb.connect(str(run["a"]), read_only=True)
    con_b = duckdb.connect(str(run["b"]), read_only=True)
    for sql in (
        "SELECT article_id FROM articles ORDER BY 1",
        "SELECT event_id, num_mentions, num_articles FROM events ORDER BY 1",
        "SELECT article_id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL ORDER BY 1",
        "SELECT mention_id, event_id FROM mentions WHERE linked_via_duplicate ORDER BY 1",
    ):
        assert con_a.execute(sql).fetchall() == con_b.execute(sql).fetchall(), sql
    # the corpus exercises what the merge must get right
    assert con_b.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0] >= 2
    assert con_b.execute("SELECT count(*) FROM failures").fetchone()[0] == 2
    assert run["report"].stats.partitions > 5


def test_the_manifest_records_partitions_inputs_counts_and_hashes(run) -> None:
    manifest = json.loads((run["out"] / "manifest.json").read_text())
    assert manifest["complete"] and manifest["lexicon_fingerprint"] and manifest["lagebild_version"]
    cut = [s for p in manifest["partitions"] for s in p["inputs"] if s["byte_range"]]
    assert len([s for s in cut if s["locator"].endswith("main.jsonl")]) > 2  # spread over partitions
    for entry in manifest["partitions"]:
        folder = run["out"] / "partitions" / entry["id"]
        assert entry["status"] == "done" and entry["rows"]["articles"] + entry["rows"]["failures"] >= 1
        assert all(sha256_of(folder / name) == f["sha256"] for name, f in entry["files"].items())
    with Store(run["b"], read_only=True) as store:
        assert manifest["totals"]["mentions"] >= store.counts()["mentions"]


def test_a_rerun_codes_only_the_unfinished_partitions(run, client, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(run["out"], out)
    before = {p.name: sha256_of(p) for p in out.glob("partitions/*/*.parquet")}
    for pid in ("p000001", "p000003"):
        shutil.rmtree(out / "partitions" / pid)
    (out / "tmp" / "p000001-0badc0ffee00").mkdir(parents=True)  # left behind by a worker that died
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["complete"] = False
    (out / "manifest.json").write_text(json.dumps(manifest))
    with Store(tmp_path / "partial.duckdb") as store, pytest.raises(ManifestError, match="not finished"):
        load(out, store)

    report = ingest_dask([str(run["corpus"])], out, client=client, partition_size=PARTITION_SIZE)
    assert (report.stats.done, report.stats.reused) == (report.stats.partitions, report.stats.partitions - 2)
    assert {p.name: sha256_of(p) for p in out.glob("partitions/*/*.parquet")} == before
    assert not (out / "tmp").exists()
    assert json.loads((out / "manifest.json").read_text())["complete"]


@pytest.mark.parametrize(
    ("change", "message"),
    [("partition_size", "other inputs or settings"), ("lexicons", "was written by lagebild")],
)
def test_a_rerun_with_other_settings_or_lexicons_is_refused(run, tmp_path: Path, change: str, message: str) -> None:
    out = tmp_path / "out"
    shutil.copytree(run["out"], out)
    size = PARTITION_SIZE
    if change == "partition_size":
        size += 1
    else:
        manifest = json.loads((out / "manifest.json").read_text())
        manifest["lexicon_fingerprint"] = "0" * 20
        (out / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(OutputError, match=message):
        ingest_dask([str(run["corpus"])], out, workers=1, partition_size=size)


def test_loading_again_stores_nothing_twice(run, tmp_path: Path) -> None:
    db = tmp_path / "twice.duckdb"
    shutil.copy(run["b"], db)
    with Store(db) as store:
        report = load(run["out"], store)
        assert report.stats.stored == 0 and report.stats.skipped == report.stats.articles > 0
    assert snapshot(db)["articles"] == snapshot(run["b"])["articles"]
    assert snapshot(db)["events"] == snapshot(run["b"])["events"]


def test_an_altered_partition_file_is_not_loaded(run, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(run["out"], out)
    victim = out / "partitions" / "p000002" / "mentions.parquet"
    victim.write_bytes(victim.read_bytes()[:-10] + b"0123456789")
    with Store(tmp_path / "x.duckdb") as store, pytest.raises(ManifestError, match="SHA-256"):
        load(out, store)
    with Store(tmp_path / "x.duckdb") as store:
        assert store.counts()["articles"] == 0


def test_parquet_events_count_each_mention_once(run) -> None:
    events = parquet_events(run["out"])
    con = duckdb.connect(str(run["b"]), read_only=True)
    own = dict(con.execute("SELECT own_event_id, count(*) FROM mentions GROUP BY 1").fetchall())
    assert dict(zip(events["event_id"], events["num_mentions"])) == own
    germany = parquet_events(run["out"], actor="DEU", quad=1)
    assert 0 < len(germany) < len(events)
    assert ((germany.source_code == "DEU") | (germany.target_code == "DEU")).all()
    assert (germany.quad_class == 1).all()
    with Store(run["b"], read_only=True) as store:
        stored = store.events(actor="DEU", quad=1)
    assert 0 < len(stored) and set(stored.event_id) <= set(germany.event_id)


def test_the_documented_parquet_queries_run(run) -> None:
    doc = (ROOT / "docs" / "SCALING.md").read_text(encoding="utf-8")
    queries = re.findall(r"```sql\n(.*?)```", doc, flags=re.S)
    assert queries, "docs/SCALING.md shows no SQL query on the Parquet output"
    con_b = duckdb.connect(str(run["b"]), read_only=True)
    stored = {
        row[:3]: row[3]
        for row in con_b.execute(
            "SELECT code, source_code, target_code, count(*) FROM mentions GROUP BY ALL"
        ).fetchall()
    }
    for query in queries:
        rows = duckdb.connect().execute(query.replace("'out/", f"'{run['out']}/")).fetchall()
        assert rows, query
        if query.lstrip().startswith("-- mentions per code and dyad"):
            assert all(stored[row[:3]] == row[3] for row in rows)
