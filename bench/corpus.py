"""A varied German news-like benchmark corpus, generated from our own lexicons and sentence tables.

No article is repeated: each is assembled from randomly chosen sentence frames (the example
sentences of the trigger lexicon and the German test table, all written by us) with their actors
swapped for other countries, capitals and persons, plus dateline, time expressions and quotes.
When ../shared is beside the checkout, real sentences of the GermEval 2014 test set are mixed in.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEX = ROOT / "src" / "lagebild" / "lexicons"
GERMEVAL = ROOT.parent / "shared" / "corpora" / "germeval2014_test_sentences.txt"

WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"]
SPEECH = ["sagte", "betonte", "erklärte", "kritisierte", "warnte", "unterstrich"]


def _rows(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as fh:
        lines = [l for l in fh if l.strip() and not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def _names() -> tuple[list[str], list[str]]:
    countries, capitals = [], []
    for row in _rows(LEX / "de" / "countries.tsv"):
        names = [n for n in row["names"].split("|") if n and not n.endswith("s") and len(n) > 3]
        if names:
            countries.append(names[0])
        caps = [c for c in (row.get("capitals") or "").split("|") if c and not c.endswith("s")]
        if caps:
            capitals.append(caps[0])
    return countries, capitals


def _persons() -> list[str]:
    out = []
    for path in sorted((LEX / "common" / "persons").glob("*.tsv")):
        for row in _rows(path):
            names = [n for n in (row.get("names") or "").split("|") if " " in n]
            if names:
                out.append(names[0])
    return out


def frames() -> list[str]:
    """Example sentences written by us: trigger examples and sentence-table rows."""
    found = [r["example"] for r in _rows(LEX / "de" / "triggers.tsv") if r.get("example")]
    found += [r["text"] for r in _rows(ROOT / "tests" / "tables" / "de_sentences.tsv") if "\n" not in r["text"]]
    return [f for f in found if len(f.split()) >= 5]


def generate(target_bytes: int = 5_500_000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    countries, capitals = _names()
    persons = _persons()
    sentences = frames()
    real = GERMEVAL.read_text(encoding="utf-8").splitlines() if GERMEVAL.exists() else []
    name_re = re.compile("|".join(re.escape(c) for c in sorted(set(countries + capitals), key=len, reverse=True)))
    articles: list[str] = []
    size = 0
    while size < target_bytes:
        day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.choice([2023, 2024, 2025])
        city = rng.choice(capitals)
        lines = [f"{rng.choice(countries)}: {rng.choice(['Streit', 'Gespräche', 'Krise', 'Einigung', 'Proteste'])} um {rng.choice(['Sanktionen', 'Grenze', 'Gas', 'Waffen', 'Hilfe'])}", ""]
        body = [f"{city}, {day}. {month} {year} – "]
        for _ in range(rng.randint(8, 22)):
            kind = rng.random()
            if kind < 0.55 and sentences:
                s = name_re.sub(lambda m: rng.choice(countries) if m.group(0) in countries else rng.choice(capitals), rng.choice(sentences))
            elif kind < 0.8 and real:
                s = rng.choice(real)
            else:
                s = (f"»{rng.choice(['Wir werden das nicht hinnehmen', 'Die Lage ist ernst', 'Wir setzen auf Dialog', 'Das ist ein wichtiger Schritt'])}«, "
                     f"{rng.choice(SPEECH)} {rng.choice(persons)} am {rng.choice(WEEKDAYS)}.")
            body.append(s)
        lines.append(" ".join(body))
        text = "\n".join(lines)
        articles.append(text)
        size += len(text.encode("utf-8"))
    return articles
