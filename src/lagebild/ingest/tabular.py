"""Articles as records: JSON (one object or an array), JSON lines, CSV/TSV.

Each record's fields are read through a `FieldMap` (default: the field names `text`, `title`,
`url`, `published`, `outlet`, `lang`, `id`); `--map text=body,published=date` renames them, and a
dotted name reaches into nested objects (`source.name`). A broken line or record is a failure of
its own (`file.jsonl:7`) and the rest of the file is read.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from typing import Any, BinaryIO

from lagebild.errors import ConfigError
from lagebild.ingest.dates import find_dateline, parse_published
from lagebild.ingest.errors import EmptyInputError, EncodingError, IngestError, MalformedInputError, TooLargeError
from lagebild.ingest.model import IngestedArticle, ReadFailure


@dataclass(slots=True, frozen=True)
class FieldMap:
    """Which field of an input record holds each article attribute."""

    text: str = "text"
    title: str = "title"
    url: str = "url"
    published: str = "published"
    outlet: str = "outlet"
    lang: str = "lang"
    id: str = "id"

    @classmethod
    def parse(cls, spec: str | Sequence[str] | None) -> FieldMap:
        """`"text=body,published=date"` (or a list of such strings) → a FieldMap."""
        if not spec:
            return cls()
        items = [spec] if isinstance(spec, str) else list(spec)
        known = {f.name for f in fields(cls)}
        changes: dict[str, str] = {}
        for item in items:
            for pair in item.split(","):
                if not pair.strip():
                    continue
                name, sep, field_name = pair.partition("=")
                name, field_name = name.strip(), field_name.strip()
                if not sep or not field_name:
                    raise ConfigError(f"--map expects ATTRIBUTE=FIELD pairs, got {pair.strip()!r}")
                if name not in known:
                    raise ConfigError(f"--map: unknown attribute {name!r}; use one of {', '.join(sorted(known))}")
                changes[name] = field_name
        return replace(cls(), **changes)

    def get(self, record: Mapping[str, Any], attribute: str) -> Any:
        name = getattr(self, attribute)
        if name in record:
            return record[name]
        value: Any = record
        for part in name.split("."):
            if not isinstance(value, Mapping) or part not in value:
                return None
            value = value[part]
        return value


def _string(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (dict, list)):
        return None
    text = str(value).strip()
    return text or None


def record_to_article(
    record: Any, source: str, field_map: FieldMap, *, max_bytes: int, reference_year: int | None = None
) -> IngestedArticle:
    """An article from one JSON object or CSV row."""
    if not isinstance(record, Mapping):
        raise MalformedInputError(source, f"expected a JSON object, found {type(record).__name__}")
    text = field_map.get(record, "text")
    if not isinstance(text, str) or not text.strip():
        present = ", ".join(sorted(str(k) for k in record)[:12]) or "none"
        raise EmptyInputError(
            source,
            f"no text in field {field_map.text!r} (fields present: {present}); map another field with --map text=FIELD",
        )
    if len(text.encode("utf-8")) > max_bytes:
        raise TooLargeError(source, f"the text is larger than the limit of {max_bytes / 1e6:.1f} MB (--max-mb)")
    article = IngestedArticle(
        input=source,
        text=text.strip(),
        title=_string(field_map.get(record, "title")),
        url=_string(field_map.get(record, "url")),
        outlet=_string(field_map.get(record, "outlet")),
        lang=_string(field_map.get(record, "lang")),
        source_id=_string(field_map.get(record, "id")),
    )
    raw_published = field_map.get(record, "published")
    published = parse_published(raw_published) if raw_published not in (None, "") else None
    if raw_published not in (None, "") and published is None:
        article.notes.append(f"the published value {str(raw_published)[:40]!r} was not understood")
    dateline = find_dateline(article.text, reference_year=reference_year)
    if dateline is not None:
        article.agency = dateline.agency
        if published is None:
            published = dateline.published
            if dateline.note:
                article.notes.append(dateline.note)
    article.set_published(published)
    return article


def _lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes) for each line; None for a line longer than `max_bytes` (skipped unread)."""
    number = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        number += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:  # drain the rest of the over-long line in bounded pieces
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        yield number, line


def read_jsonl(
    stream: BinaryIO,
    source: str,
    field_map: FieldMap,
    *,
    max_bytes: int,
    encoding: str = "utf-8",
    reference_year: int | None = None,
) -> Iterator[IngestedArticle | ReadFailure]:
    for number, line in _lines(stream, max_bytes):
        where = f"{source}:{number}"
        if line is None:
            yield ReadFailure(
                where, f"the line is larger than the limit of {max_bytes / 1e6:.1f} MB (--max-mb)", TooLargeError.kind
            )
            continue
        if not line.strip():
            continue
        try:
            text = line.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding)
        except UnicodeDecodeError as exc:
            yield ReadFailure(where, f"not valid {encoding} (byte offset {exc.start} in the line)", EncodingError.kind)
            continue
        try:
            record = json.loads(text)
        except json.JSONDecodeError as exc:
            yield ReadFailure(where, f"not valid JSON: {exc.msg} at column {exc.colno}", MalformedInputError.kind)
            continue
        try:
            yield record_to_article(record, where, field_map, max_bytes=max_bytes, reference_year=reference_year)
        except IngestError as exc:
            yield ReadFailure(where, exc.reason, exc.kind)


def read_json(
    raw: bytes,
    source: str,
    field_map: FieldMap,
    *,
    max_bytes: int,
    encoding: str = "utf-8",
    reference_year: int | None = None,
) -> Iterator[IngestedArticle | ReadFailure]:
    """A JSON file: one article object, or an array of them."""
    try:
        data = json.loads(raw.decode("utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding))
    except UnicodeDecodeError as exc:
        raise EncodingError(source, f"not valid {encoding} (byte offset {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise MalformedInputError(
            source,
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno} (JSON lines need the .jsonl suffix)",
        ) from exc
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records):
        where = f"{source}[{index}]" if isinstance(data, list) else source
        try:
            yield record_to_article(record, where, field_map, max_bytes=max_bytes, reference_year=reference_year)
        except IngestError as exc:
            yield ReadFailure(where, exc.reason, exc.kind)


def read_csv(
    stream: BinaryIO,
    source: str,
    field_map: FieldMap,
    *,
    max_bytes: int,
    encoding: str = "utf-8",
    delimiter: str = ",",
    reference_year: int | None = None,
) -> Iterator[IngestedArticle | ReadFailure]:
    """A CSV (or TSV) file with a header row."""
    # csv's field limit is process-wide; it is only ever raised, to the per-document limit.
    if csv.field_size_limit() < max_bytes:
        csv.field_size_limit(max_bytes)
    codec = "utf-8-sig" if encoding.lower() in ("utf-8", "utf8") else encoding
    text_stream = io.TextIOWrapper(stream, encoding=codec, errors="strict", newline="")
    reader = csv.DictReader(text_stream, delimiter=delimiter)
    try:
        for row in reader:
            where = f"{source}:{reader.line_num}"
            try:
                yield record_to_article(
                    {k: v for k, v in row.items() if k is not None},
                    where,
                    field_map,
                    max_bytes=max_bytes,
                    reference_year=reference_year,
                )
            except IngestError as exc:
                yield ReadFailure(where, exc.reason, exc.kind)
    except UnicodeDecodeError:
        yield ReadFailure(
            f"{source}:{reader.line_num + 1}",
            f"not valid {encoding}; the rest of the file was not read",
            EncodingError.kind,
        )
    except csv.Error as exc:
        yield ReadFailure(
            f"{source}:{reader.line_num}",
            f"broken CSV ({exc}); the rest of the file was not read",
            MalformedInputError.kind,
        )
    finally:
        text_stream.detach()
