"""Helpers of the scale-out tests: a small corpus cut from the samples, database snapshots."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
HERE = Path(__file__).resolve().parent

#: What must agree between a database built by `lagebild ingest` and one built by `lagebild load`:
#: every stored column except the times of storing.
SNAPSHOT_SQL = {
    "articles": "SELECT * EXCLUDE (ingested_at) FROM articles",
    "article_signatures": "SELECT * FROM article_signatures",
    "mentions": "SELECT * FROM mentions",
    "events": "SELECT * EXCLUDE (first_seen, last_seen) FROM events",
    "actors": "SELECT * FROM actors",
    "quotes": "SELECT * FROM quotes",
    "places": "SELECT * FROM places",
    "times": "SELECT * FROM times",
    "failures": "SELECT input, reason, kind, attempts FROM failures",
}


def _rounded(row: tuple) -> tuple:
    # The store sums an event's confidences in the order DuckDB returns its mentions, so a mean can
    # differ in the last bit between two databases with the same rows.
    return tuple(round(v, 9) if isinstance(v, float) else v for v in row)


def snapshot(db: Path) -> dict[str, list[tuple]]:
    """Every table of a database as sorted rows (order of storing does not matter here)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            name: sorted((_rounded(r) for r in con.execute(sql).fetchall()), key=repr)
            for name, sql in SNAPSHOT_SQL.items()
        }
    finally:
        con.close()


def differences(a: dict[str, list[tuple]], b: dict[str, list[tuple]]) -> list[str]:
    """Readable differences between two snapshots (empty when equal)."""
    out = []
    for table in a:
        if a[table] != b[table]:
            only_a = set(map(repr, a[table])) - set(map(repr, b[table]))
            only_b = set(map(repr, b[table])) - set(map(repr, a[table]))
            out.append(
                f"{table}: {len(a[table])} vs {len(b[table])} rows; only in A: {sorted(only_a)[:1]}; "
                f"only in B: {sorted(only_b)[:1]}"
            )
    return out


def sample_lines(*numbers: int) -> list[str]:
    lines = (SAMPLES / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    return [lines[n - 1] for n in numbers]


def small_corpus(folder: Path) -> Path:
    """A corpus with every case the merge must get right, all with a `lang` field (no detection):

    main.jsonl      ten sample articles with two near-duplicate pairs (sample lines 6/7 and 19/20)
    more.csv        the six CSV sample articles
    zz-later.jsonl  read last: a third near-duplicate pair, exact repeats of articles stored
                    earlier (in other partitions), a broken line and a record without text
    """
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.jsonl").write_text("\n".join(sample_lines(*range(1, 9), 19, 20)) + "\n", encoding="utf-8")
    shutil.copy(SAMPLES / "csv" / "articles.csv", folder / "more.csv")
    later = sample_lines(36, 37, 3, 20)
    later.insert(2, '{"text": "broken')
    later.append(json.dumps({"title": "no text here", "lang": "de"}))
    (folder / "zz-later.jsonl").write_text("\n".join(later) + "\n", encoding="utf-8")
    return folder


def tiny_corpus(folder: Path) -> Path:
    """Ten sample articles in one JSON lines file, with one exact repeat at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tiny.jsonl").write_text("\n".join(sample_lines(*range(1, 11), 2)) + "\n", encoding="utf-8")
    return folder
