"""Bounded load test of the HTTP API on loopback (not part of `make test`).

    python bench/load_api.py [--events 1000000] [--requests 3000] [--concurrency 50] [--seconds 90]
                             [--db /tmp/lagebild-load.duckdb] [--write-doc]

1. Builds a store of synthetic events (default one million) with bulk SQL straight into the Store's
   tables, in the Store's schema (the file is created by `Store()`, so migrations are applied).
2. Starts the real server (`python -m lagebild serve`) on a free loopback port.
3. Sends a bounded number of requests (and stops at a time cap) from `--concurrency` concurrent
   clients (httpx.AsyncClient) to the events endpoint (a mix of filters and pages) and to the dyad
   timeline endpoint, and reports requests/s, p50/p90/p99 latency and errors per phase.

Everything runs on 127.0.0.1; nothing leaves the machine. `--write-doc` puts the results and the
machine description into docs/PERFORMANCE.md under "## HTTP API" (other sections are kept).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import httpx

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "PERFORMANCE.md"
TOKEN = "load-test-token"

# Synthetic data: facts only (ISO codes, capitals and their coordinates), no text from anywhere.
COUNTRIES = [
    ("USA", "United States"), ("RUS", "Russia"), ("UKR", "Ukraine"), ("CHN", "China"), ("IRN", "Iran"),
    ("ISR", "Israel"), ("DEU", "Germany"), ("FRA", "France"), ("GBR", "United Kingdom"), ("TUR", "Turkey"),
    ("IND", "India"), ("PAK", "Pakistan"), ("PRK", "North Korea"), ("KOR", "South Korea"), ("JPN", "Japan"),
    ("SYR", "Syria"), ("IRQ", "Iraq"), ("SAU", "Saudi Arabia"), ("EGY", "Egypt"), ("POL", "Poland"),
    ("EST", "Estonia"), ("LTU", "Lithuania"), ("SRB", "Serbia"), ("HUN", "Hungary"), ("BRA", "Brazil"),
    ("MEX", "Mexico"), ("CAN", "Canada"), ("QAT", "Qatar"), ("OMN", "Oman"), ("ARE", "United Arab Emirates"),
    ("AFG", "Afghanistan"), ("NGA", "Nigeria"), ("ZAF", "South Africa"), ("ETH", "Ethiopia"), ("SDN", "Sudan"),
    ("VEN", "Venezuela"), ("COL", "Colombia"), ("IDN", "Indonesia"), ("PHL", "Philippines"), ("TWN", "Taiwan"),
]
PLACES = [
    ("Washington", "USA", 38.9, -77.04), ("Moscow", "RUS", 55.76, 37.62), ("Kyiv", "UKR", 50.45, 30.52),
    ("Beijing", "CHN", 39.9, 116.4), ("Tehran", "IRN", 35.69, 51.39), ("Berlin", "DEU", 52.52, 13.4),
    ("Paris", "FRA", 48.86, 2.35), ("London", "GBR", 51.51, -0.13), ("Ankara", "TUR", 39.93, 32.86),
    ("New Delhi", "IND", 28.61, 77.21), ("Tokyo", "JPN", 35.68, 139.69), ("Brussels", "BEL", 50.85, 4.35),
    ("Geneva", "CHE", 46.2, 6.14), ("Doha", "QAT", 25.29, 51.53), ("Cairo", "EGY", 30.04, 31.24),
    ("Brasilia", "BRA", -15.79, -47.88), ("Pretoria", "ZAF", -25.75, 28.19), ("Jakarta", "IDN", -6.2, 106.85),
]
STATUSES = ["asserted"] * 8 + ["claimed", "planned", "negated"]
VERBS = {"01": "commented on", "02": "appealed to", "03": "offered to cooperate with", "04": "met", "05": "praised",
         "06": "cooperated with", "07": "sent aid to", "08": "yielded to", "09": "investigated", "10": "demanded from",
         "11": "criticised", "12": "rejected", "13": "threatened", "14": "protested against", "15": "mobilised against",
         "16": "sanctioned", "17": "coerced", "18": "assaulted", "19": "attacked", "20": "bombarded"}


def cameo_codes() -> list[tuple[str, str, int, float, str | None]]:
    from lagebild.cameo import codebook

    return [(c.code, c.root, c.quad_class, c.goldstein, c.plover) for c in codebook() if len(c.code) == 3]


def build_store(path: Path, n_events: int, n_articles: int, seed: float = 0.42) -> dict[str, object]:
    """Create the store with `Store()` (schema and migrations), then fill it with bulk SQL."""
    from lagebild.store import Store

    if path.exists():
        path.unlink()
    Store(path).close()
    t0 = time.perf_counter()
    con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false")
    con.execute("SELECT setseed(?)", [seed])
    con.execute("CREATE TEMP TABLE cc (idx INTEGER, code VARCHAR, name VARCHAR)")
    con.executemany("INSERT INTO cc VALUES (?, ?, ?)", [(i, c, n) for i, (c, n) in enumerate(COUNTRIES)])
    codes = cameo_codes()
    con.execute("CREATE TEMP TABLE cameo (idx INTEGER, code VARCHAR, root VARCHAR, quad INTEGER, goldstein DOUBLE, "
                "plover VARCHAR, verb VARCHAR)")
    con.executemany("INSERT INTO cameo VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [(i, c, r, q, g, p, VERBS.get(r, "acted towards")) for i, (c, r, q, g, p) in enumerate(codes)])
    con.execute("CREATE TEMP TABLE pl (idx INTEGER, name VARCHAR, country VARCHAR, lat DOUBLE, lon DOUBLE)")
    con.executemany("INSERT INTO pl VALUES (?, ?, ?, ?, ?)", [(i, *p) for i, p in enumerate(PLACES)])
    con.execute("CREATE TEMP TABLE st (idx INTEGER, status VARCHAR)")
    con.executemany("INSERT INTO st VALUES (?, ?)", list(enumerate(STATUSES)))
    nc, nk, npl, nst = len(COUNTRIES), len(codes), len(PLACES), len(STATUSES)
    # skewed actor choice (a few actors in most events, as in news), uniform codes, 11 years of days
    con.execute(
        f"""CREATE TEMP TABLE base AS SELECT i,
            floor(pow(random(), 2.2) * {nc})::INTEGER AS s,
            floor(pow(random(), 1.8) * {nc})::INTEGER AS t0,
            floor(random() * {nk})::INTEGER AS k,
            DATE '2015-01-01' + floor(random() * 4018)::INTEGER AS d,
            random() AS r_place, random() AS r_gran, floor(random() * {nst})::INTEGER AS st,
            floor(random() * {n_articles})::INTEGER AS a, 1 + floor(pow(random(), 3) * 6)::INTEGER AS n
        FROM range({n_events}) r(i)"""
    )
    con.execute(f"UPDATE base SET t0 = (t0 + 1) % {nc} WHERE t0 = s")
    con.execute(
        f"""CREATE TEMP TABLE rows AS SELECT b.i, substr(md5('e' || b.i::VARCHAR), 1, 16) AS event_id,
            md5('a' || b.a::VARCHAR) AS article_id, k.code, k.root, k.quad, k.goldstein, k.plover, k.verb,
            s.code AS s_code, s.name AS s_name, t.code AS t_code, t.name AS t_name,
            CASE WHEN b.r_gran < 0.9 THEN strftime(b.d, '%Y-%m-%d') ELSE strftime(b.d, '%Y-%m') END AS date_value,
            CASE WHEN b.r_gran < 0.9 THEN 'day' ELSE 'month' END AS gran,
            CASE WHEN b.r_gran < 0.9 THEN b.d ELSE date_trunc('month', b.d)::DATE END AS d_start,
            CASE WHEN b.r_gran < 0.9 THEN b.d ELSE (date_trunc('month', b.d) + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE END AS d_end,
            p.name AS p_name, p.country AS p_country, p.lat, p.lon, st.status, b.n, b.a
        FROM base b JOIN cc s ON s.idx = b.s JOIN cc t ON t.idx = b.t0 JOIN cameo k ON k.idx = b.k
        JOIN st ON st.idx = b.st
        LEFT JOIN pl p ON b.r_place < 0.4 AND p.idx = floor(b.r_place * 1000)::INTEGER % {npl}"""
    )
    con.execute(
        """INSERT INTO articles (article_id, input, url, outlet, title, published, published_precision, published_basis,
            published_date, lang, text, n_chars, n_sentences, n_tokens, notes, ingested_at, record)
        SELECT md5('a' || a::VARCHAR), 'synthetic:' || a::VARCHAR, 'https://synthetic.test/' || a::VARCHAR,
            'Outlet ' || (a % 40)::VARCHAR, 'Synthetic article ' || a::VARCHAR, strftime(d, '%Y-%m-%d'), 'day', 'metadata',
            d, CASE WHEN a % 3 = 0 THEN 'en' ELSE 'de' END, 'Synthetic article number ' || a::VARCHAR || '.', 32, 1, 4,
            [], TIMESTAMP '2025-01-01' + to_seconds(a), '{}'
        FROM (SELECT range AS a, DATE '2015-01-01' + (range % 4018)::INTEGER AS d FROM range(?))""",
        [n_articles],
    )
    con.execute(
        """INSERT INTO mentions (mention_id, article_id, event_id, own_event_id, linked_via_duplicate, ordinal, code, root,
            quad_class, goldstein, plover, source_code, source_name, source_actor_id, source_start, source_end,
            target_code, target_name, target_actor_id, trigger_start, trigger_end, date_value, date_granularity, date_basis, date_start, date_end,
            status, location_name, location_country, location_lat, location_lon, sentence, sentence_start, sentence_end,
            sentence_text, trigger_text, trigger_lemma, rule_id, rule_file, rule_line, rule_pattern, quote_ids,
            confidence, lang, record)
        SELECT article_id || '#e' || i::VARCHAR, article_id, event_id, event_id, false, 1, code, root, quad, goldstein, plover,
            s_code, s_name, 'countries:' || s_code, 0, length(s_name), t_code, t_name, 'countries:' || t_code,
            length(s_name) + 1, length(s_name) + 1 + length(verb),
            date_value, gran, 'published', d_start, d_end, status, p_name, p_country, lat, lon, 0, 0,
            length(s_name || verb || t_name) + 3, s_name || ' ' || verb || ' ' || t_name || '.', verb, verb,
            'synthetic.' || code, 'synthetic', 1, verb, [], 0.8, 'en', '{}'
        FROM rows"""
    )
    con.execute(
        """INSERT INTO events (event_id, global_id, code, base_code, root, quad_class, goldstein, plover, source_code,
            source_name, source_actor_id, target_code, target_name, target_actor_id, date_value, date_granularity,
            date_basis, date_start, date_end, location_name, location_country, location_lat, location_lon, status,
            status_mix, num_mentions, num_sources, num_articles, first_seen, last_seen, first_published, last_published,
            mean_confidence, mean_goldstein, min_sentence, source_url, source_outlet, lang)
        SELECT event_id, ('0x' || left(event_id, 15))::BIGINT, code, code, root, quad, goldstein, plover, s_code, s_name,
            'countries:' || s_code, t_code, t_name, 'countries:' || t_code, date_value, gran, 'published', d_start, d_end,
            p_name, p_country, lat, lon, status, '{"' || status || '":' || n::VARCHAR || '}', n, n, n,
            TIMESTAMP '2025-01-01', TIMESTAMP '2025-01-01', strftime(d_start, '%Y-%m-%d'), strftime(d_end, '%Y-%m-%d'),
            0.8, goldstein, 0, 'https://synthetic.test/' || a::VARCHAR, 'Outlet ' || (a % 40)::VARCHAR, 'en'
        FROM rows"""
    )
    con.execute("CHECKPOINT")
    counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "mentions", "events")}
    top = con.execute(
        "SELECT least(source_code, target_code) a, greatest(source_code, target_code) b, count(*) n FROM events "
        "GROUP BY ALL ORDER BY n DESC LIMIT 12"
    ).fetchall()
    con.close()
    return {"seconds": round(time.perf_counter() - t0, 1), "counts": counts, "top_dyads": [(a, b, n) for a, b, n in top],
            "bytes": path.stat().st_size}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


_HELLO = """async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"ok"})
"""


def baseline(concurrency: int, requests: int, cap: float) -> dict[str, object]:
    """The same client against a trivial ASGI app under uvicorn: the ceiling of client, loopback and machine."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "lb_hello.py").write_text(_HELLO, encoding="utf-8")
        port = free_port()
        proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "lb_hello:app", "--app-dir", tmp, "--port", str(port),
                                 "--log-level", "warning", "--no-access-log"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    httpx.get(f"http://127.0.0.1:{port}/", timeout=1, trust_env=False)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            phase = Phase("baseline: trivial ASGI app", cache="-")
            asyncio.run(run_phase(f"http://127.0.0.1:{port}", phase, [("hello", "/")] * requests, concurrency, cap))
            return phase.summary()
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def start_server(db: Path, port: int, readers: int, cache_entries: int) -> subprocess.Popen:
    env = {**os.environ, "LAGEBILD_TOKEN": TOKEN, "LAGEBILD_CACHE_ENTRIES": str(cache_entries)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "lagebild", "serve", "--db", str(db), "--host", "127.0.0.1", "--port", str(port),
         "--readers", str(readers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited: {proc.stderr.read()}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=2, trust_env=False).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.kill()
    raise RuntimeError("the server did not start within 300 s")


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    by_variant: dict[str, list[float]] = field(default_factory=dict)
    seconds: float = 0.0
    bytes: int = 0

    cache: str = ""

    def summary(self) -> dict[str, object]:
        lat = sorted(self.latencies)

        def pct(p: float) -> float:
            return round(lat[min(len(lat) - 1, int(p * len(lat)))] * 1000, 1) if lat else float("nan")

        variants = {k: round(statistics.median(v) * 1000, 1) for k, v in sorted(self.by_variant.items())}
        return {"endpoint": self.name, "cache": self.cache, "requests": len(lat) + len(self.errors), "ok": len(lat), "errors": len(self.errors),
                "seconds": round(self.seconds, 1), "rps": round(len(lat) / self.seconds, 1) if self.seconds else 0,
                "p50_ms": pct(0.50), "p90_ms": pct(0.90), "p99_ms": pct(0.99), "max_ms": pct(1.0),
                "mean_kb": round(self.bytes / max(len(lat), 1) / 1024, 1), "p50_by_variant_ms": variants,
                "first_errors": self.errors[:5]}


async def run_phase(base: str, phase: Phase, requests: list[tuple[str, str]], concurrency: int, cap: float) -> None:
    queue: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
    for item in requests:
        queue.put_nowait(item)
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60, trust_env=False) as client:
        start = time.perf_counter()
        deadline = start + cap

        async def worker() -> None:
            while time.perf_counter() < deadline:
                try:
                    variant, url = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                t = time.perf_counter()
                try:
                    response = await client.get(url)
                    elapsed = time.perf_counter() - t
                    if response.status_code != 200:
                        phase.errors.append(f"{response.status_code} {url}: {response.text[:200]}")
                        continue
                    phase.bytes += len(response.content)
                    phase.latencies.append(elapsed)
                    phase.by_variant.setdefault(variant, []).append(elapsed)
                except httpx.HTTPError as exc:
                    phase.errors.append(f"{type(exc).__name__} {url}: {exc}")

        await asyncio.gather(*(worker() for _ in range(concurrency)))
        phase.seconds = time.perf_counter() - start


def event_requests(n: int, dyads: list[tuple[str, str, int]], rng: random.Random) -> list[tuple[str, str]]:
    actors = [c for c, _ in COUNTRIES[:20]]
    makers = [
        ("newest", lambda: "/api/events?limit=50"),
        ("page", lambda: f"/api/events?limit=50&offset={rng.randrange(0, 20000, 50)}"),
        ("actor", lambda: f"/api/events?actor={rng.choice(actors)}&limit=50"),
        ("dyad", lambda: "/api/events?dyad={},{}&limit=50".format(*rng.choice(dyads)[:2])),
        ("dates", lambda: f"/api/events?since={rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}&until=2025-12&limit=50"),
        ("quad+code", lambda: f"/api/events?quad={rng.randint(1, 4)}&root={rng.randint(1, 20):02d}&limit=50"),
        ("actor+dates", lambda: f"/api/events?actor={rng.choice(actors)}&since={rng.randint(2015, 2025)}&limit=50"),
    ]
    return [(name, make()) for name, make in (rng.choice(makers) for _ in range(n))]


def timeline_requests(n: int, dyads: list[tuple[str, str, int]], rng: random.Random) -> list[tuple[str, str]]:
    out = []
    for _ in range(n):
        a, b, _count = rng.choice(dyads)
        freq = rng.choice(["month", "month", "week", "day", "year"])
        since = rng.choice(["", "", f"&since={rng.randint(2015, 2024)}"])
        out.append((freq, f"/api/dyads/{a}/{b}/timeline?freq={freq}{since}"))
    return out


def machine() -> dict[str, object]:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())[1])
        mem = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, TypeError):
        pass
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    import fastapi
    import uvicorn

    return {"cpu": cpu, "logical_cpus": os.cpu_count(), "usable_cpus": usable, "memory": mem,
            "os": f"{platform.system()} {platform.release()}", "python": platform.python_version(),
            "duckdb": duckdb.__version__, "fastapi": fastapi.__version__, "uvicorn": uvicorn.__version__,
            "httpx": httpx.__version__}


def single_requests(db: Path) -> dict[str, tuple[float, float]]:
    """Median in-process latency of typical requests through the events table and through the index."""
    from lagebild.api import queries
    from lagebild.api.index import EventIndex
    from lagebild.store import Store

    out: dict[str, tuple[float, float]] = {}
    with Store(db) as store:
        index = EventIndex(store, cache_entries=0)
        index.build()
        cases = {
            "events: newest page": lambda ix: queries.events_page(store, queries.event_query(), limit=50, index=ix),
            "events: page at offset 20,000": lambda ix: queries.events_page(store, queries.event_query(), limit=50,
                                                                            offset=20_000, index=ix),
            "events: actor USA": lambda ix: queries.events_page(store, queries.event_query(actor="USA"), limit=50, index=ix),
            "events: dyad USA-RUS": lambda ix: queries.events_page(store, queries.event_query(dyad=["USA", "RUS"]), limit=50,
                                                                   index=ix),
            "events: quad 4, root 19": lambda ix: queries.events_page(store, queries.event_query(quad=4, root="19"), limit=50,
                                                                      index=ix),
            "timeline USA-RUS per month": lambda ix: queries.period_counts(store, queries.event_query(dyad=["USA", "RUS"]),
                                                                          "month", index=ix),
            "timeline USA-RUS per day": lambda ix: queries.period_counts(store, queries.event_query(dyad=["USA", "RUS"]),
                                                                        "day", index=ix),
        }
        for name, run in cases.items():
            timings = []
            for ix in (None, index):
                run(ix)
                samples = []
                for _ in range(5):
                    t = time.perf_counter()
                    run(ix)
                    samples.append(time.perf_counter() - t)
                timings.append(round(statistics.median(samples) * 1000, 1))
            out[name] = (timings[0], timings[1])
    return out


def markdown(result: dict[str, object]) -> str:
    m = result["machine"]
    s = result["store"]
    lines = [
        "## HTTP API",
        "",
        "Measured by `python bench/load_api.py --write-doc` (not part of `make test`). The script builds a store",
        f"of {s['counts']['events']:,} synthetic events ({s['counts']['mentions']:,} mentions, {s['counts']['articles']:,} articles)",
        "with bulk SQL straight into the Store's tables (its schema, created by `Store()`), starts the real server",
        "(`python -m lagebild serve`, one uvicorn process) on 127.0.0.1, and sends a bounded number of GET requests",
        f"from {result['concurrency']} concurrent clients (httpx.AsyncClient, keep-alive) to each endpoint in turn.",
        "Latency is measured at the client, from sending the request to reading the whole body.",
        "",
        f"Machine: {m['cpu']}, {m['usable_cpus']} usable of {m['logical_cpus']} logical CPUs, {m['memory']} RAM, {m['os']};",
        f"Python {m['python']}, DuckDB {m['duckdb']}, FastAPI {m['fastapi']}, uvicorn {m['uvicorn']}. Client and server",
        f"share the machine. Store built in {s['seconds']} s ({s['bytes'] / 1e6:.0f} MB file); server readers: {result['readers']}.",
        f"Run: {result['when']}; load average (1/5/15 min) {result['load'][0]}/{result['load'][1]}/{result['load'][2]} "
        f"before and {result['load'][3]}/{result['load'][4]}/{result['load'][5]} after: other work shared the machine.",
        "The first row is the ceiling of this client on this machine: the same load against a trivial ASGI app.",
        "",
        "| endpoint | result cache | requests | errors | req/s | p50 ms | p90 ms | p99 ms | max ms | mean body KiB |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in result["phases"]:
        lines.append(f"| {p['endpoint']} | {p['cache']} | {p['requests']:,} | {p['errors']} | {p['rps']} | {p['p50_ms']} | "
                     f"{p['p90_ms']} | {p['p99_ms']} | {p['max_ms']} | {p['mean_kb']} |")
    lines += ["", f"Bounds: at most {result['requests']:,} requests and {result['cap']:.0f} s per row; "
              f"server start-up (open, build the event index) {', '.join(f'{v} s' for v in result['startup_seconds'].values())}.",
              "With 50 requests always in flight, client latency is mostly waiting in line: p50 is about",
              "50 / (req/s). The work one request costs is in the single-request table further down.",
              "", "Median latency per request kind (ms):", ""]
    for p in result["phases"][1:]:
        kinds = ", ".join(f"{k} {v}" for k, v in p["p50_by_variant_ms"].items())
        lines.append(f"- {p['endpoint']}, cache {p['cache']}: {kinds}")
    lines += [
        "",
        "The events mix: newest page, deeper pages (offset up to 20,000), one actor, one dyad, a date range, quad",
        "class with CAMEO root, actor with a year; every response has 50 rows and the total count. The timeline mix:",
        "the 12 busiest dyads per month, week, day and year, some from a given year on.",
        "",
        "Single requests without load, in-process (median of 5, ms): the same query through the events table",
        "(the CLI's filter SQL) and through the server's event index, no result cache:",
        "",
        "| request | events table | event index |",
        "|---|---:|---:|",
    ] + [f"| {name} | {a} | {b} |" for name, (a, b) in result["single"].items()] + [
        "",
        "What was added for a million events (all in `lagebild/api/`, the store's file and schema are untouched):",
        "",
        "- **Event index** (`api/index.py`): at start the server copies the filter columns of `events` into an",
        "  in-memory database attached to its DuckDB instance, sorted in page order (`pos`), with each source and",
        "  target replaced by an integer key into a table of distinct (code, role, actor id). An actor filter is",
        "  resolved to keys with the Store's own actor test on that small table, then the scan compares integers;",
        "  a page takes the first rows by `pos` and fetches only those 50 rows from `events`. Every write through",
        "  the server refreshes the touched events (new rows join a delta merged by the full sort key; the index is",
        "  rebuilt when the delta passes 50,000 rows). Queries with `text` (which needs the mentions) use `events`.",
        "  Tests check that index and events table give identical pages, counts, timelines, pairs and places.",
        "- **Result cache** (`LAGEBILD_CACHE_ENTRIES`, default 1024): counts, timelines, top pairs, network and",
        "  map aggregates are kept until the next write (every write empties it). The mix above repeats many",
        "  filters, as a dashboard does; the rows with the cache off are the cost of computing every request.",
        "- Concurrency: each request borrows one of N DuckDB connections to the server's single database",
        "  instance (a Store is not thread-safe); DuckDB runs their queries in parallel; writes go through one",
        "  writer connection behind a lock. On this 2-CPU machine the load client competes with the server for",
        "  the same cores, so the request rates are a floor.",
        "",
    ]
    return "\n".join(lines)


def write_doc(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n\n"
    pattern = re.compile(r"^## HTTP API\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--requests", type=int, default=2000, help="requests per endpoint and configuration")
    ap.add_argument("--concurrency", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=75, help="time cap per endpoint and configuration")
    ap.add_argument("--cache", type=int, nargs="+", default=[0, 1024],
                    help="server result-cache sizes to measure (0 = off); one server run each")
    ap.add_argument("--readers", type=int, default=max(4, min(16, os.cpu_count() or 4)))
    ap.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "lagebild-load.duckdb")
    ap.add_argument("--reuse", action="store_true", help="use an existing --db instead of building it")
    ap.add_argument("--write-doc", action="store_true", help="write the results into docs/PERFORMANCE.md")
    ap.add_argument("--json", type=Path, help="also write the results as JSON")
    args = ap.parse_args(argv)

    if args.reuse and args.db.exists():
        con = duckdb.connect(str(args.db), read_only=True)
        top = con.execute("SELECT least(source_code, target_code), greatest(source_code, target_code), count(*) n "
                          "FROM events GROUP BY ALL ORDER BY n DESC LIMIT 12").fetchall()
        counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("articles", "mentions", "events")}
        con.close()
        store = {"seconds": 0, "counts": counts, "top_dyads": top, "bytes": args.db.stat().st_size}
    else:
        print(f"building {args.events:,} events in {args.db} ...", file=sys.stderr)
        store = build_store(args.db, args.events, args.articles)
    print(f"store: {store['counts']} in {store['seconds']} s", file=sys.stderr)
    load_before = os.getloadavg()
    print("single requests ...", file=sys.stderr)
    single = single_requests(args.db)
    dyads = [tuple(d) for d in store["top_dyads"]]
    phases = [baseline(args.concurrency, args.requests, args.seconds)]
    print(json.dumps(phases[-1]), file=sys.stderr)
    startup = {}
    for cache_entries in args.cache:
        port = free_port()
        t0 = time.perf_counter()
        proc = start_server(args.db, port, args.readers, cache_entries)
        startup[cache_entries] = round(time.perf_counter() - t0, 1)
        base = f"http://127.0.0.1:{port}"
        rng = random.Random(7)  # the same requests in every configuration
        label = "off" if cache_entries == 0 else f"{cache_entries} entries"
        try:
            for name, make in (("GET /api/events", event_requests), ("GET /api/dyads/{a}/{b}/timeline", timeline_requests)):
                warm = Phase(name)
                asyncio.run(run_phase(base, warm, make(50, dyads, random.Random(1)), args.concurrency, 30))
                phase = Phase(name, cache=label)
                asyncio.run(run_phase(base, phase, make(args.requests, dyads, rng), args.concurrency, args.seconds))
                phases.append(phase.summary())
                print(json.dumps(phases[-1]), file=sys.stderr)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    result = {"when": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(), "store": store,
              "concurrency": args.concurrency, "readers": args.readers, "phases": phases, "startup_seconds": startup,
              "requests": args.requests, "cap": args.seconds, "single": single,
              "load": [round(x, 1) for x in (*load_before, *os.getloadavg())]}
    section = markdown(result)
    print(section)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    if args.write_doc:
        write_doc(section)
        print(f"wrote {DOC}", file=sys.stderr)
    return 1 if any(p["errors"] for p in phases) else 0


if __name__ == "__main__":
    sys.exit(main())
