"""The CAMEO codebook as data: names, Goldstein scores, quad classes and PLOVER types.

`data/cameo.tsv` is built from the shared codebook by `tools/build_cameo_table.py`; it holds facts only.
`data/cameo_intent.tsv` maps material actions to CAMEO's "express intent to" codes (root 03), used when
an event stands under an intent modality ("will zusammenarbeiten" → 0312 rather than 062).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from lagebild.errors import LexiconError


@dataclass(slots=True, frozen=True)
class CameoCode:
    code: str
    root: str
    level: int
    name: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None
    plover_context: str | None


class Codebook:
    """Look-ups over the CAMEO codes; `codebook()` returns the shared instance."""

    def __init__(self, codes: dict[str, CameoCode], intent: dict[str, str]) -> None:
        self._codes = codes
        self._intent = intent

    def __contains__(self, code: str) -> bool:
        return code in self._codes

    def __getitem__(self, code: str) -> CameoCode:
        return self._codes[code]

    def __iter__(self):
        return iter(self._codes.values())

    def __len__(self) -> int:
        return len(self._codes)

    def intent_of(self, code: str) -> str | None:
        """The root-03 code expressing intent to do `code`, if CAMEO has one."""
        for prefix_len in (len(code), 3, 2):
            found = self._intent.get(code[:prefix_len])
            if found:
                return found
        return None


def _read(name: str) -> list[tuple[int, dict[str, str]]]:
    path = resources.files("lagebild") / "data" / name
    with path.open(encoding="utf-8") as fh:
        rows = [line for line in fh]
    reader = csv.DictReader((r for r in rows if r.strip() and not r.startswith("#")), delimiter="\t")
    return [(n + 2, row) for n, row in enumerate(reader)]


@lru_cache(maxsize=1)
def codebook() -> Codebook:
    codes: dict[str, CameoCode] = {}
    for line, row in _read("cameo.tsv"):
        try:
            codes[row["code"]] = CameoCode(
                code=row["code"],
                root=row["root"],
                level=int(row["level"]),
                name=row["name"],
                goldstein=float(row["goldstein"]),
                quad_class=int(row["quad_class"]),
                plover=row["plover"] or None,
                plover_mode=row["plover_mode"] or None,
                plover_context=row["plover_context"] or None,
            )
        except (KeyError, ValueError, TypeError) as exc:
            raise LexiconError("data/cameo.tsv", line, f"malformed row ({exc})") from exc
    intent: dict[str, str] = {}
    for line, row in _read("cameo_intent.tsv"):
        action, target = row.get("action"), row.get("intent")
        if action not in codes and len(action or "") != 2:
            raise LexiconError("data/cameo_intent.tsv", line, f"unknown CAMEO code {action!r}")
        if target not in codes:
            raise LexiconError("data/cameo_intent.tsv", line, f"unknown CAMEO code {target!r}")
        intent[action] = target
    return Codebook(codes, intent)
