"""Reading the sentence tables (tests/tables/*.tsv) and checking coded events against them."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

TABLES = Path(__file__).resolve().parent / "tables"


@dataclass(frozen=True)
class Expected:
    code: str
    sources: tuple[str, ...]
    targets: tuple[str, ...]  # () for no target
    symmetric: bool
    status: str

    @classmethod
    def parse(cls, text: str) -> "Expected":
        code, actors, status = text.split(":")
        symmetric = "<>" in actors
        source, target = actors.split("<>" if symmetric else ">")
        targets = () if target == "-" else tuple(target.split("/"))
        return cls(code, tuple(source.split("/")), targets, symmetric, status)

    def found_in(self, events: list[dict]) -> bool:
        for e in events:
            if e["root"] != self.code[:2] or e["status"] != self.status:
                continue
            source = (e.get("source") or {}).get("code")
            target = (e.get("target") or {}).get("code")
            if self._sides(source, target) or (self.symmetric and self._sides(target, source)):
                return True
        return False

    def _sides(self, source, target) -> bool:
        if source not in self.sources:
            return False
        return target is None if not self.targets else target in self.targets


def read_table(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader((l for l in fh if l.strip() and not l.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE)]
    return rows


def check_row(coder, row: dict, text_column: str = "text", lang: str | None = None) -> tuple[bool, str]:
    """Whether the row's expectation holds, and what the coder found (for the report)."""
    from lagebild.model import Article

    text = row[text_column]
    doc = coder.code_article(Article(doc_id=row.get("id", "row"), text=text, published=row.get("published") or None, lang=lang))
    events = doc.to_records()["events"]
    if len(doc.sentences) > 1:  # context rows: the expectation is about the last sentence
        events = [e for e in events if e["sentence"] == len(doc.sentences) - 1]
    found = " ".join(
        f"{e['code']}:{(e['source'] or {}).get('code')}>{(e['target'] or {}).get('code') or '-'}:{e['status']}" for e in events
    ) or "none"
    expect = row["expect"].strip()
    if expect == "none":
        return (not events), found
    return all(Expected.parse(part).found_in(events) for part in expect.split()), found
