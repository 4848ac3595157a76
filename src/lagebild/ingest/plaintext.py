"""Plain-text articles: decoding, an optional headline on the first line, the dateline's date."""

from __future__ import annotations

from lagebild.ingest.dates import find_dateline
from lagebild.ingest.errors import EmptyInputError, EncodingError, UnsupportedInputError
from lagebild.ingest.model import IngestedArticle

_SENTENCE_END = ".,;:"
_OPENERS = "\"'„“«‚‘»"


def decode(raw: bytes, source: str, encoding: str = "utf-8") -> str:
    """Text from bytes: refuses binary data and bytes invalid in `encoding`; drops a BOM."""
    if b"\x00" in raw[:8192]:
        raise UnsupportedInputError(
            source, "binary data (NUL bytes); lagebild reads UTF-8 text, HTML, JSON, JSON lines, CSV and RSS/Atom"
        )
    codec = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    try:
        return raw.decode(codec)
    except UnicodeDecodeError as exc:
        bad = raw[exc.start : exc.start + 1].hex()
        raise EncodingError(
            source,
            f"not valid {encoding} (byte 0x{bad} at offset {exc.start}); convert the file "
            f"(e.g. `iconv -f latin1 -t utf-8`) or pass --encoding",
        ) from exc
    except LookupError as exc:
        raise EncodingError(source, f"unknown encoding {encoding!r}") from exc


def looks_like_headline(line: str) -> bool:
    """A short line that does not end like a sentence and is not itself a dateline."""
    s = line.strip()
    if not s or len(s) > 160 or len(s.split()) > 25:
        return False
    if s[-1] in _SENTENCE_END:
        return False
    if not (s[0].isupper() or s[0].isdigit() or s[0] in _OPENERS):
        return False
    return find_dateline(s) is None


def read_text(
    raw: bytes, source: str, *, encoding: str = "utf-8", reference_year: int | None = None
) -> IngestedArticle:
    """An article from a plain-text file.

    The first line is taken as the title when it looks like a headline and more text follows;
    the text is what comes after it. A dateline in the first lines of the text gives the
    publication date and the agency; the dateline stays in the text.
    """
    text = decode(raw, source, encoding).replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInputError(source, "empty file" if not raw else "the file holds only white space")
    title = None
    lines = text.lstrip("\n").split("\n", 1)
    if len(lines) == 2 and lines[1].strip() and looks_like_headline(lines[0]):
        title = lines[0].strip()
        text = lines[1].lstrip("\n")
    text = text.strip()
    article = IngestedArticle(input=source, text=text, title=title)
    dateline = find_dateline(text, reference_year=reference_year)
    if dateline is not None:
        article.agency = dateline.agency
        article.set_published(dateline.published)
        if dateline.note:
            article.notes.append(dateline.note)
    return article
