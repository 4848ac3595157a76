"""Reading lexicon TSV files with validation that names the file and the line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from lagebild.errors import LexiconError

DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
CODE_RE = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")
ROLES = frozenset(
    "GOV MIL LEG JUD COP SPY MED BUS CVL OPP PTY REB INS UAF NGO IGO REF EDU HLH ELI LAB AGR REL CRM "
    "ENV HRI MOD RAD IMG SEP UIS".split()
)


@dataclass(slots=True)
class Row:
    """One data line of a TSV lexicon: its cells by column name, and where it stands."""

    file: str
    line: int
    cells: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.cells.get(column, "")

    def alternatives(self, column: str) -> list[str]:
        return [part.strip() for part in self.cells.get(column, "").split("|") if part.strip()]

    def fail(self, reason: str) -> LexiconError:
        return LexiconError(self.file, self.line, reason)


def read_tsv(path: Path, columns: list[str], required: list[str], label: str | None = None) -> list[Row]:
    """Read a TSV lexicon: header line first (after comments), then one record per line.

    `columns` is the documented column order; trailing optional columns may be left out of the header.
    """
    label = label or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LexiconError(label, None, "file not found") from exc
    except UnicodeDecodeError as exc:
        raise LexiconError(label, None, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from exc
    header: list[str] | None = None
    rows: list[Row] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = raw.split("\t")
        if header is None:
            header = [c.strip() for c in cells]
            if header != columns[: len(header)]:
                raise LexiconError(label, number, f"header must be {columns} (trailing optional columns may be left out), found {header}")
            missing = [c for c in required if c not in header]
            if missing:
                raise LexiconError(label, number, f"required columns missing: {missing}")
            continue
        if len(cells) > len(header):
            extra = [c for c in cells[len(header):] if c.strip()]
            if extra:
                raise LexiconError(label, number, f"{len(cells)} cells but the header has {len(header)} columns (a TAB inside a cell?)")
        record = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        for name in required:
            if not record.get(name):
                raise LexiconError(label, number, f"column '{name}' is empty")
        rows.append(Row(label, number, record))
    if header is None:
        raise LexiconError(label, None, "no header line")
    return rows


def check_date(row: Row, column: str) -> str | None:
    value = row[column]
    if not value:
        return None
    if not DATE_RE.match(value):
        raise row.fail(f"column '{column}': {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    return value


def check_code(row: Row, column: str, known: set[str] | None = None) -> str:
    value = row[column]
    if not CODE_RE.match(value):
        raise row.fail(f"column '{column}': {value!r} is not an upper-case code")
    if known is not None and value not in known:
        raise row.fail(f"column '{column}': unknown code {value!r}")
    return value


def check_role(row: Row, column: str) -> str | None:
    value = row[column]
    if not value:
        return None
    if value not in ROLES:
        raise row.fail(f"column '{column}': {value!r} is not a CAMEO role ({', '.join(sorted(ROLES))})")
    return value
