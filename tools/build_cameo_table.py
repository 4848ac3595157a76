"""Build src/lagebild/data/cameo.tsv from the shared CAMEO codebook and the CAMEO→PLOVER 2021 table.

Only facts are kept (code, root, level, short name, Goldstein score, quad class, PLOVER type, mode and
context); the codebook's descriptions stay in ../shared. Run: python tools/build_cameo_table.py ../shared/cameo
"""
import csv
import re
import sys
from pathlib import Path

LINE = re.compile(r"^(\d{2,4}):\s*([^#]*)")


def read_plover(path: Path) -> dict[str, tuple[str, str, str]]:
    table: dict[str, tuple[str, str, str]] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        match = LINE.match(raw)
        if not match:
            continue
        code, rest = match.groups()
        parts = [p.strip() for p in rest.split(",")] + ["", ""]
        table.setdefault(code, (parts[0], parts[1], parts[2]))
    return table


def main(folder: str) -> None:
    src = Path(folder)
    plover = read_plover(src / "cameo_to_plover_2021.txt")
    out = Path(__file__).resolve().parents[1] / "src/lagebild/data/cameo.tsv"
    with (src / "cameo_codes.tsv").open(encoding="utf-8") as fh, out.open("w", encoding="utf-8", newline="") as oh:
        writer = csv.writer(oh, delimiter="\t", lineterminator="\n")
        writer.writerow(["code", "root", "level", "name", "goldstein", "quad_class", "plover", "plover_mode", "plover_context"])
        for row in csv.DictReader(fh, delimiter="\t"):
            code = row["code"]
            ptype, mode, context = plover.get(code, ("", "", ""))
            if not ptype and code[:2] == "02":
                ptype = "REQUEST"  # PLOVER folds CAMEO's appeals into REQUEST; the 2021 table omits 01/02
            writer.writerow([code, row["root"], row["level"], row["name"], row["goldstein"], row["quad_class"], ptype, mode, context])
    print(f"wrote {out}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/cameo")
