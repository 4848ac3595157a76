"""The time-expression tables: each expression found in its sentence and resolved to the expected value."""

from __future__ import annotations

import pytest

from _tables import TABLES, read_table
from lagebild.model import Article

FLOORS = {"de_times.tsv": 0.97, "en_times.tsv": 0.9}
LANG = {"de_times.tsv": "de", "en_times.tsv": "en"}


def _value(record: dict) -> tuple[str, str]:
    return record["value"], record["granularity"]


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_time_table_floor(coder, name):
    path = TABLES / name
    if not path.exists():
        pytest.skip(f"{name} not written yet")
    rows = read_table(path)
    failures = []
    for row in rows:
        try:
            doc = coder.code_article(Article(doc_id=row["id"], text=row["text"], published=row["published"], lang=LANG[name]))
        except Exception as exc:  # a language without lexicons yet is reported as a failure of the row
            failures.append(f"{row['id']}: {exc}")
            continue
        times = doc.to_records()["times"]
        expression = row["expression"].lower()
        hits = [t for t in times if expression in t["text"].lower() or t["text"].lower() in expression]
        expected = (row["value"], row["granularity"])
        if not any(_value(t) == expected for t in hits):
            failures.append(f"{row['id']}: {row['expression']!r} expected {expected}, found {[(t['text'], *_value(t)) for t in hits]}")
    rate = 1 - len(failures) / len(rows)
    assert rate >= FLOORS[name], f"{name}: pass rate {rate:.3f} < floor {FLOORS[name]}\n" + "\n".join(failures)
