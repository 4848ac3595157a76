"""The sentence tables, run as accuracy floors (trafilatura-style).

Every row is checked and the failures are listed in the assertion message; a table passes when its
pass rate reaches the floor recorded here. Raise a floor when the coder improves; never lower one
to make a change pass.
"""

from __future__ import annotations

import pytest

from _tables import TABLES, Expected, check_row, read_table
from lagebild.lexicons.loader import supported_languages
from lagebild.model import Article

FLOORS = {
    "de_sentences.tsv": 0.68,
    "en_sentences.tsv": 0.89,
    "parallel_de_en.tsv": 0.78,
}
LANG = {"de_sentences.tsv": "de", "en_sentences.tsv": "en"}


def _table(name: str) -> list[dict]:
    path = TABLES / name
    if not path.exists():
        pytest.skip(f"{name} not written yet")
    return read_table(path)


def _need(lang: str) -> None:
    if lang not in supported_languages():
        pytest.skip(f"no lexicons for {lang!r} yet")


@pytest.mark.parametrize("name", ["de_sentences.tsv", "en_sentences.tsv"])
def test_sentence_table_floor(coder, name):
    _need(LANG[name])
    rows = _table(name)
    failures = []
    for row in rows:
        ok, found = check_row(coder, row, "text", LANG[name])
        if not ok:
            failures.append(f"{row['id']}: expected {row['expect']!r}, found {found!r} — {row['text'][:90]}")
    rate = 1 - len(failures) / len(rows)
    assert len(rows) >= 200, f"{name} should hold at least 200 cases, has {len(rows)}"
    assert rate >= FLOORS[name], f"{name}: pass rate {rate:.3f} < floor {FLOORS[name]}\n" + "\n".join(failures)


def _keys(coder, text: str, lang: str, published: str) -> set[tuple]:
    doc = coder.code_article(Article(doc_id="pair", text=text, published=published, lang=lang))
    events = doc.to_records()["events"]
    if len(doc.sentences) > 1:
        events = [e for e in events if e["sentence"] == len(doc.sentences) - 1]
    return {(e["root"], e["source"]["code"], (e["target"] or {}).get("code")) for e in events}


def test_parallel_pairs_agree(coder):
    """Cross-lingual consistency: both sentences give the expected event and the same (root, source, target)."""
    _need("de")
    _need("en")
    rows = _table("parallel_de_en.tsv")
    failures = []
    for row in rows:
        expected = Expected.parse(row["expect"].split()[0])

        def wanted(keys: set[tuple]) -> set[tuple]:
            hits = {k for k in keys if k[0] == expected.code[:2]
                    and (expected._sides(k[1], k[2]) or (expected.symmetric and expected._sides(k[2], k[1])))}
            return {(k[0], *sorted((k[1] or "", k[2] or ""))) if expected.symmetric else k for k in hits}

        de, en = (_keys(coder, row[lang], lang, row["published"]) for lang in ("de", "en"))
        if not (wanted(de) and wanted(de) & wanted(en)):
            failures.append(f"{row['id']}: expected {row['expect']}; de {sorted(de, key=str)}, en {sorted(en, key=str)}")
    rate = 1 - len(failures) / len(rows)
    assert len(rows) >= 30
    assert rate >= FLOORS["parallel_de_en.tsv"], f"pass rate {rate:.3f}\n" + "\n".join(failures)
