"""Rendering coded documents for the terminal (Rich)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from lagebild.model import Doc

_QUAD_STYLE = {1: "green", 2: "bold green", 3: "yellow", 4: "bold red"}


def evidence(doc: Doc, event, width: int = 120) -> Text:
    sentence = doc.sentences[event.sentence]
    start, end = sentence.start, sentence.end
    text = Text(doc.text[start:end].replace("\n", " "))
    marks = [(event.trigger_start, event.trigger_end, "bold reverse")]
    for mention, style in ((event.source, "bold cyan"), (event.target, "bold magenta")):
        if mention is not None and start <= mention.start < end:
            marks.append((mention.start, mention.end, style))
    for s, e, style in marks:
        if start <= s < end:
            text.stylize(style, s - start, min(e, end) - start)
    if len(text) > width * 2:
        text.truncate(width * 2, overflow="ellipsis")
    return text


def events_table(doc: Doc) -> Table:
    table = Table(title=f"{doc.doc_id} — {len(doc.events)} events ({doc.lang})", show_lines=True, expand=True)
    table.add_column("event", no_wrap=True)
    table.add_column("source → target")
    table.add_column("date", no_wrap=True)
    table.add_column("status")
    table.add_column("evidence (trigger highlighted)", ratio=3)
    table.add_column("rule", no_wrap=True)
    for e in doc.events:
        name = Text(f"{e.code} ", style=_QUAD_STYLE.get(e.quad_class, ""))
        name.append(f"{e.plover or 'STATEMENT'}\nGoldstein {e.goldstein:+.1f}", style="dim")
        target = f"{e.target.code} ({e.target.text})" if e.target else "—"
        actors = f"{e.source.code} ({e.source.text})\n→ {target}"
        date = f"{e.date.value or '?'}\n[{e.date.granularity}, {e.date.basis}]"
        table.add_row(name, actors, date, e.status, evidence(doc, e), f"{e.rule.entry}\n{e.confidence:.2f}")
    return table
