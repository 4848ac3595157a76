"""`make bench`: throughput, start-up and memory of the coding pipeline, with spaCy's blank
tokenizer over the same text in the same run as the yardstick. Prints a table and writes JSON.

    python bench/run.py [--mb 5.5] [--out bench/results.json] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate  # noqa: E402

STARTUP = "import time; t=time.perf_counter(); from lagebild.coder import Coder; Coder().pipeline('de'); print(time.perf_counter()-t)"


def startup_seconds(cache: str) -> tuple[float, float]:
    env = dict(os.environ, LAGEBILD_CACHE=cache)
    cold = float(subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True, check=True).stdout)
    warm = min(float(subprocess.run([sys.executable, "-c", STARTUP], env=env, capture_output=True, text=True, check=True).stdout) for _ in range(3))
    return cold, warm


def _code_chunk(texts: list[str]) -> tuple[int, int, int]:
    from lagebild.coder import Coder
    from lagebild.model import Article

    coder = Coder()
    sentences = words = events = 0
    for n, text in enumerate(texts):
        doc = coder.code_article(Article(doc_id=f"b{n}", text=text, published="2025-01-15", lang="de"))
        sentences += len(doc.sentences)
        words += sum(1 for t in doc.tokens if not t.is_punct)
        events += len(doc.events)
    return sentences, words, events


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=float, default=5.5)
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent / "results.json"))
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    texts = generate(int(args.mb * 1_000_000))
    total_bytes = sum(len(t.encode("utf-8")) for t in texts)

    with tempfile.TemporaryDirectory() as cache:
        cold, warm = startup_seconds(cache)

    from lagebild.coder import Coder  # noqa: E402  (after the start-up subprocesses)

    Coder().pipeline("de")
    t0 = time.perf_counter()
    sentences, words, events = _code_chunk(texts)
    pipeline_s = time.perf_counter() - t0
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    import spacy

    nlp = spacy.blank("de")
    t0 = time.perf_counter()
    spacy_tokens = 0
    for doc in nlp.tokenizer.pipe(texts, batch_size=64):
        spacy_tokens += sum(1 for t in doc if not t.is_punct and not t.is_space)
    tokenizer_s = time.perf_counter() - t0

    # storing: code and store the same articles into a fresh DuckDB file
    store_s = None
    try:
        from lagebild.model import Article
        from lagebild.store import PendingArticle, Store

        with tempfile.TemporaryDirectory() as folder:
            coder = Coder()
            sample = texts[: max(50, len(texts) // 10)]
            t0 = time.perf_counter()
            docs = [coder.code_article(Article(doc_id=f"s{n}", text=t, published="2025-01-15", lang="de")) for n, t in enumerate(sample)]
            code_only = time.perf_counter() - t0
            store = Store(Path(folder) / "bench.duckdb")
            t0 = time.perf_counter()
            for start in range(0, len(docs), 64):  # as `lagebild ingest` writes: one transaction per batch
                store.add_articles([PendingArticle(d.article, d.to_records()) for d in docs[start:start + 64]])
            store_only = time.perf_counter() - t0
            store.close() if hasattr(store, "close") else None
            store_s = {"articles": len(sample), "code_s": round(code_only, 3), "store_s": round(store_only, 3),
                       "overhead": round(store_only / code_only, 3)}
    except Exception as exc:  # the figure is reported as missing, never invented
        store_s = {"error": repr(exc)}

    workers = {}
    if args.workers > 1:
        half = [texts[i::args.workers] for i in range(args.workers)]
        t0 = time.perf_counter()
        _code_chunk(texts[: len(texts) // 4])
        one = time.perf_counter() - t0
        quarter = texts[: len(texts) // 4]
        parts = [quarter[i::args.workers] for i in range(args.workers)]
        t0 = time.perf_counter()
        with mp.get_context("fork").Pool(args.workers) as pool:
            pool.map(_code_chunk, parts)
        many = time.perf_counter() - t0
        workers = {"workers": args.workers, "one_worker_s": round(one, 2), "n_workers_s": round(many, 2), "speedup": round(one / many, 2)}
        del half

    result = {
        "machine": {"python": platform.python_version(), "cpu": platform.processor() or platform.machine(), "cores": os.cpu_count()},
        "corpus": {"articles": len(texts), "bytes": total_bytes, "sentences": sentences, "words": words, "events": events},
        "pipeline": {"seconds": round(pipeline_s, 2), "sentences_per_s": round(sentences / pipeline_s), "words_per_s": round(words / pipeline_s),
                     "articles_per_s": round(len(texts) / pipeline_s, 1)},
        "spacy_blank_tokenizer": {"seconds": round(tokenizer_s, 2), "words_per_s": round(spacy_tokens / tokenizer_s)},
        "ratio_pipeline_to_tokenizer": round((words / pipeline_s) / (spacy_tokens / tokenizer_s), 3),
        "startup_s": {"cold_cache": round(cold, 2), "warm_cache": round(warm, 2)},
        "peak_rss_mb": round(rss_mb),
        "store": store_s,
        "parallel": workers,
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"lagebild benchmark ({total_bytes / 1e6:.1f} MB, {len(texts)} articles)")
    table.add_column("measure")
    table.add_column("value", justify="right")
    rows = [
        ("pipeline sentences/s", result["pipeline"]["sentences_per_s"]),
        ("pipeline words/s", result["pipeline"]["words_per_s"]),
        ("pipeline articles/s", result["pipeline"]["articles_per_s"]),
        ("spaCy blank tokenizer words/s", result["spacy_blank_tokenizer"]["words_per_s"]),
        ("ratio pipeline / tokenizer", result["ratio_pipeline_to_tokenizer"]),
        ("start-up, cold cache (s)", result["startup_s"]["cold_cache"]),
        ("start-up, warm cache (s)", result["startup_s"]["warm_cache"]),
        ("peak RSS (MB)", result["peak_rss_mb"]),
        ("DuckDB store overhead", (store_s or {}).get("overhead", (store_s or {}).get("error"))),
        (f"{args.workers} workers speed-up", workers.get("speedup")),
    ]
    for name, value in rows:
        table.add_row(name, str(value))
    Console().print(table)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
