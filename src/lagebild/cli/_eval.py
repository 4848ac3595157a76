"""`lagebild eval`: code gold articles and render the GUIDE.md scores."""

from __future__ import annotations

import json
from pathlib import Path

from rich.console import Console
from rich.table import Table

from lagebild.cli._inputs import read_text_input
from lagebild.coder import default_coder
from lagebild.errors import EvaluationError, InputError
from lagebild.evaluate import Summary, gold_events, load_gold, score_article, system_events
from lagebild.model import Article


def run_plover(path: Path, fmt: str, out: Console):
    from lagebild.evaluate_plover import load_plover, score_plover

    coder = default_coder()
    records = load_plover(path)

    def events_of(record: dict) -> list[dict]:
        lang = record.get("language") or "en"
        doc = coder.code_article(Article(doc_id=str(record.get("id")), text=record["text"], published=record.get("date"), lang=lang))
        return doc.to_records()["events"]

    score = score_plover(records, events_of)
    if fmt == "json":
        out.print_json(json.dumps(score.as_dict()))
        return score
    table = Table(title=f"{path}: PLOVER type confusion (gold -> system)")
    table.add_column("gold")
    table.add_column("system")
    table.add_column("n", justify="right")
    for (gold, system), n in sorted(score.type_confusion.items(), key=lambda kv: -kv[1]):
        table.add_row(gold, system, str(n))
    out.print(table)
    out.print(f"records {score.records}  gold triples {score.gold_triples}  system triples {score.system_triples}  matched {score.matched_triples}")
    out.print(f"PLOVER type accuracy {score.type_accuracy:.3f}")
    out.print(f"(type, source, target), all events: precision {score.all_precision:.3f}  recall {score.all_recall:.3f}  F1 {score.all_f1:.3f}")
    out.print(f"(type, source, target), main event: precision {score.precision:.3f}  recall {score.recall:.3f}  F1 {score.f1:.3f}")
    return score


def run_eval(golds: list[Path], text: Path | None, date: str | None, fmt: str, out: Console) -> Summary:
    from lagebild.evaluate_plover import is_plover_gold

    coder = default_coder()
    scores = []
    for path in golds:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise EvaluationError(f"{path}: cannot read the gold file ({exc})") from exc
        if is_plover_gold(raw):
            run_plover(path, fmt, out)
            continue
        data = load_gold(path)
        doc_path = text or (path.parent / str(data.get("doc", "")))
        if not data.get("doc") and text is None:
            raise EvaluationError(f"{path}: the gold file names no 'doc'; pass --text FILE")
        try:
            article_text = read_text_input(str(doc_path))
        except InputError as exc:
            raise EvaluationError(f"{path}: cannot read its article ({exc}); pass --text FILE") from exc
        doc = coder.code_article(Article(doc_id=str(doc_path), text=article_text, published=date or data.get("published"), lang=data.get("language")))
        records = doc.to_records()["events"]
        scores.append(score_article(str(path), gold_events(data, path), system_events(records)))
    summary = Summary(scores)
    if not scores:
        return summary
    if fmt == "json":
        out.print_json(json.dumps(summary.as_dict()))
        return summary
    for article in scores:
        if article.misses:
            table = Table(title=f"{article.doc}: missed gold events")
            for col in ("id", "tier", "roots", "trigger"):
                table.add_column(col)
            for g in article.misses:
                table.add_row(g.id, g.tier, "/".join(g.roots), g.trigger or "")
            out.print(table)
        if article.false_alarms:
            table = Table(title=f"{article.doc}: false alarms")
            for col in ("key", "trigger", "sentence"):
                table.add_column(col)
            seen = set()
            for e in article.false_alarms:
                if e.key in seen:
                    continue
                seen.add(e.key)
                table.add_row(f"{e.key[0]} {e.key[1]}>{e.key[2]} {e.key[3]}", e.trigger or "", (e.sentence or "")[:160])
            out.print(table)
        for gold, dates in article.date_errors:
            out.print(f"date: {gold.id}: gold {gold.date}, system {', '.join(dates)}")
    confusion = summary.confusion()
    if confusion:
        roots = sorted({g for g, _ in confusion} | {s for _, s in confusion})
        table = Table(title="root confusion (rows: gold, columns: system)")
        table.add_column("gold")
        for r in roots:
            table.add_column(r, justify="right")
        for g in roots:
            table.add_row(g, *[str(confusion.get((g, s), "")) for s in roots])
        out.print(table)
    d = summary.as_dict()
    out.print(f"articles {len(scores)}  matched {d['matched']}  false alarms {d['false_alarms']}  neutral {d['neutral']}")
    out.print(f"precision {summary.precision:.3f}  core recall {summary.core_recall:.3f}  stretch recall {summary.stretch_recall:.3f}")
    out.print(f"date accuracy {summary.date_accuracy:.3f}")
    return summary
