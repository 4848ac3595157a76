"""Throughput of the Dask path: 1 vs 2 local workers, the serial load, and the single-process ingest.

    python bench/scale_bench.py [--articles 3000] [--partition-size 100] [--single 400]
                                [--workers 1,2] [--stages coder,worker_path,dask,load,ingest]
                                [--out bench/scale_results.json]

Generates German news-like articles (bench/corpus.py) into one JSON lines file (with `lang` and no
`published`: dates come from the datelines), then measures on this machine, wall clock and CPU:

  coder        `Coder.code_article` alone, one core, warm
  worker_path  `code_partition` in this process: reading, `Ingestor.add`, MinHash, Parquet (one core)
  dask         `ingest_dask` on a fresh LocalCluster of N worker processes for each N of --workers:
               wall time with start-up, the steady rate between the first and the last finished
               partition, and the workers' CPU per article (the figure the model in
               docs/SCALING.md uses: other load on a shared machine inflates it least)
  load         `lagebild.scale.load` of the last dask run's output into a new DuckDB file (serial)
  ingest       `Ingestor` into DuckDB (what `lagebild ingest` does) on the first --single articles

Prints a table and writes JSON. The machine may be shared: the load average is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402

BYTES_PER_ARTICLE = 1_300  # what corpus.generate averages


def write_corpus(folder: Path, n: int) -> Path:
    texts = generate(n * BYTES_PER_ARTICLE)[:n]
    path = folder / "bench.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for i, text in enumerate(texts):
            fh.write(json.dumps({"id": f"b{i}", "text": text, "lang": "de"}, ensure_ascii=False) + "\n")
    return path


def _rates(n: int, seconds: float, cpu: float) -> dict:
    """Wall-clock and CPU figures (CPU time is what other load on a shared machine inflates least)."""
    return {
        "articles": n,
        "seconds": seconds,
        "per_second": n / seconds,
        "ms_per_article": 1000 * seconds / n,
        "cpu_seconds": cpu,
        "cpu_ms_per_article": 1000 * cpu / n,
    }


def coder_rate(path: Path, n: int) -> dict:
    from lagebild.coder import Coder
    from lagebild.model import Article

    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()[:n]]
    coder = Coder()
    coder.code_article(Article(doc_id="warm", text=texts[0], lang="de"))
    started, cpu = time.perf_counter(), time.process_time()
    for i, text in enumerate(texts):
        coder.code_article(Article(doc_id=f"b{i}", text=text, lang="de"))
    return _rates(len(texts), time.perf_counter() - started, time.process_time() - cpu)


def worker_path_rate(path: Path, partition_size: int, n: int, out: Path) -> dict:
    from lagebild.ingest import ReadOptions
    from lagebild.scale import CodingSettings, code_partition, plan_partitions
    from lagebild.scale.manifest import lagebild_version, worker_lexicon_fingerprint

    head = out.parent / "head.jsonl"
    head.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:n]), encoding="utf-8")
    plan = plan_partitions([str(head)], ReadOptions(), partition_size)
    settings = CodingSettings(ReadOptions(), None, None, None, lagebild_version(), worker_lexicon_fingerprint())
    started, cpu = time.perf_counter(), time.process_time()
    for partition in plan.partitions:
        code_partition(partition, str(out), settings)
    return _rates(n, time.perf_counter() - started, time.process_time() - cpu)


def _cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def dask_rate(path: Path, workers: int, partition_size: int, out: Path, n: int) -> dict:
    """A fresh LocalCluster as `--workers N` starts it; CPU seconds are the workers' own (robust
    against other load on the machine, unlike the wall time)."""
    from distributed import Client, LocalCluster

    from lagebild.scale import ingest_dask

    finished: list[tuple[float, int]] = []

    def on_progress(stats) -> None:
        finished.append((time.perf_counter(), stats.articles_read))

    started = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=50) as cluster, Client(cluster) as client:
        cpu_before = sum(client.run(_cpu_seconds).values())
        report = ingest_dask([str(path)], out, client=client, partition_size=partition_size, on_progress=on_progress)
        cpu = sum(client.run(_cpu_seconds).values()) - cpu_before
    wall = time.perf_counter() - started
    done = [(t, a) for t, a in finished if a > 0]
    (t0, a0), (t1, a1) = done[0], done[-1]
    steady = (a1 - a0) / (t1 - t0) if t1 > t0 else float("nan")
    return {
        "workers": workers,
        "articles": report.stats.articles_read,
        "partitions": report.stats.partitions,
        "wall_seconds": wall,
        "first_partition_after": t0 - started,
        "per_second_wall": n / wall,
        "per_second_steady": steady,
        "worker_cpu_seconds": cpu,
        "worker_cpu_ms_per_article": 1000 * cpu / report.stats.articles_read,  # start-up included
    }


def load_rate(out: Path, db: Path) -> dict:
    from lagebild.scale import load
    from lagebild.store import Store

    with Store(db) as store:
        started, cpu = time.perf_counter(), time.process_time()
        report = load(out, store)
        return _rates(report.stats.articles, time.perf_counter() - started, time.process_time() - cpu)


def ingest_rate(path: Path, n: int, db: Path) -> dict:
    from lagebild.ingest import Ingestor
    from lagebild.store import Store

    head = db.parent / "single.jsonl"
    head.write_text("".join(path.read_text(encoding="utf-8").splitlines(keepends=True)[:n]), encoding="utf-8")
    with Store(db) as store:
        ingestor = Ingestor(store)
        ingestor.coder("Berlin. Warm.", lang="de", doc_id="warm")
        started, cpu = time.perf_counter(), time.process_time()
        report = ingestor.run([str(head)])
        return _rates(report.stats.articles, time.perf_counter() - started, time.process_time() - cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000)
    parser.add_argument("--partition-size", type=int, default=100)
    parser.add_argument("--coder-sample", type=int, default=600)
    parser.add_argument("--single", type=int, default=400, help="articles for the single-process ingest")
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--stages", default="coder,worker_path,dask,load,ingest", help="which measurements to run")
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "scale_results.json"))
    args = parser.parse_args()

    results: dict = {
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": os.getloadavg(),
        },
        "settings": vars(args),
    }
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        corpus = write_corpus(tmpdir, args.articles)
        results["corpus"] = {"articles": args.articles, "bytes": corpus.stat().st_size}
        stages = set(args.stages.split(","))
        if "coder" in stages:
            results["coder"] = coder_rate(corpus, args.coder_sample)
        if "worker_path" in stages:
            results["worker_path"] = worker_path_rate(corpus, args.partition_size, args.coder_sample, tmpdir / "inproc")
        results["dask"] = []
        if "dask" in stages or "load" in stages:
            for workers in (int(w) for w in args.workers.split(",")):
                results["dask"].append(dask_rate(corpus, workers, args.partition_size, tmpdir / f"out{workers}", args.articles))
        if "load" in stages:
            results["load"] = load_rate(tmpdir / f"out{results['dask'][-1]['workers']}", tmpdir / "loaded.duckdb")
        if "ingest" in stages:
            results["ingest"] = ingest_rate(corpus, args.single, tmpdir / "single.duckdb")
    results["machine"]["load_average_after"] = os.getloadavg()

    print(f"corpus: {args.articles} articles, {results['corpus']['bytes'] / 1e6:.1f} MB; {os.cpu_count()} cpus; "
          f"load average before {results['machine']['load_average_before'][0]:.1f}")
    print(f"{'stage':<28}{'articles/s':>12}{'cpu ms/art.':>12}{'wall s':>10}")
    for name in ("coder", "worker_path", "load", "ingest"):
        if name not in results:
            continue
        r = results[name]
        print(f"{name:<28}{r['per_second']:>12.1f}{r['cpu_ms_per_article']:>12.1f}{r['seconds']:>10.1f}")
    for r in results["dask"]:
        label = f"dask {r['workers']} worker(s)"
        print(f"{label + ', steady':<28}{r['per_second_steady']:>12.1f}{r['worker_cpu_ms_per_article']:>12.1f}"
              f"{r['wall_seconds']:>10.1f}   (worker CPU, start-up included)")
        print(f"{label + ', with start':<28}{r['per_second_wall']:>12.1f}")
    Path(args.out).write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
