"""The CAMEO codebook as data: names, Goldstein scores, quad classes and PLOVER types.

`data/cameo.tsv` is built from the shared codebook by `tools/build_cameo_table.py`; it holds facts only.
`data/cameo_intent.tsv` maps material actions to CAMEO's "express intent to" codes (root 03), used when
an event stands under an intent modality ("will zusammenarbeiten" → 0312 rather than 062);
`data/cameo_refusal.tsv` maps those intent codes to CAMEO's refusals (root 12) for negated intent
("will not accept refugees"). `Codebook.plover_for` applies the PLOVER manual's rules for statuses.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from lagebild.errors import LexiconError


# Groups of CAMEO actor roles the coder and the PLOVER scorer reason with.
ARMED_ROLES = frozenset(["REB", "INS", "UAF", "SEP", "RAD"])  # non-state armed groups (PLOVER: IMG)
FORCE_ROLES = ARMED_ROLES - {"SEP", "RAD"} | {"MIL", "COP", "SPY"}  # those who move as forces ("withdrew troops from Syria")
PEOPLE_ROLES = frozenset(["CVL", "REF", "EDU", "LAB", "AGR", "REL", "OPP"])  # people of a country, not things or forces
VIOLENT_ROOTS = frozenset(["18", "19", "20"])  # acts of force


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

    def __init__(self, codes: dict[str, CameoCode], intent: dict[str, str], refusal: dict[str, str] | None = None,
                 posture: dict[str, str] | None = None) -> None:
        self._codes = codes
        self._intent = intent
        self._refusal = refusal or {}
        self._posture = posture or {}

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


    def posture_of(self, code: str) -> str | None:
        """The root-15 show of force of preparing `code` ("prepared to resume shelling": 194 → 150), if any."""
        for prefix_len in (len(code), 3, 2):
            found = self._posture.get(code[:prefix_len])
            if found:
                return found
        return None

    def refusal_of(self, code: str) -> str | None:
        """The root-12 refusal of intending `code` ("will not accept refugees": 075 → 033 → 122), if any."""
        intent = code if code.startswith("03") else self.intent_of(code)
        if intent is None:
            return None
        for prefix_len in (len(intent), 3, 2):
            found = self._refusal.get(intent[:prefix_len])
            if found:
                return found
        return None

    def plover_for(self, code: str, status: str = "asserted", override: str | None = None) -> str | None:
        """The PLOVER type of an event. A planned act is typed as CAMEO's intent to do it (cameo_intent.tsv):
        future consultation, support, cooperation, aid or concessions are AGREE (manual, section 3.1), a
        future act of force is a threat. The 2021 manual would keep future RETREAT and CONCEDE apart
        (section 3.4); PLOVER's gold records code them as AGREE, as CAMEO does (035x), and so do we.
        A trigger rule may name the type itself where the CAMEO code says less than PLOVER does
        (a resignation is RETREAT in PLOVER, CAMEO's 0831 'accede to demands for change in leadership')."""
        entry = self._codes.get(code)
        kind = override or (entry.plover if entry else None)
        if status != "planned" or kind is None:
            return kind
        intent = self.intent_of(code)
        return self._codes[intent].plover if intent in self._codes else kind


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
    refusal: dict[str, str] = {}
    for line, row in _read("cameo_refusal.tsv"):
        source, target = row.get("intent"), row.get("refusal")
        if source not in codes or target not in codes:
            raise LexiconError("data/cameo_refusal.tsv", line, f"unknown CAMEO code in {source!r} → {target!r}")
        refusal[source] = target
    posture: dict[str, str] = {}
    for line, row in _read("cameo_posture.tsv"):
        source, target = row.get("action"), row.get("posture")
        if (source not in codes and len(source or "") != 2) or target not in codes:
            raise LexiconError("data/cameo_posture.tsv", line, f"unknown CAMEO code in {source!r} → {target!r}")
        posture[source] = target
    return Codebook(codes, intent, refusal, posture)
