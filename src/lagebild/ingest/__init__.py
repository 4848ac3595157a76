"""Reading news into the event store: text, HTML, JSON/JSON lines/CSV, RSS/Atom (files or URLs).

    from lagebild.ingest import Ingestor
    from lagebild.store import Store
    with Store("lagebild.duckdb") as store:
        report = Ingestor(store).run(["articles/", "https://example.org/feed.xml"])

See docs/STORE.md for the field mapping, the date rules and de-duplication.
"""

from lagebild.ingest.dates import Dateline, find_dateline, parse_published
from lagebild.ingest.dedup import NearDuplicateIndex
from lagebild.ingest.errors import (
    EmptyInputError,
    EncodingError,
    FetchError,
    IngestError,
    MalformedInputError,
    TooLargeError,
    UnsafeXMLError,
    UnsupportedInputError,
)
from lagebild.ingest.fetch import Fetcher, user_agent
from lagebild.ingest.ingestor import Ingestor, IngestReport, IngestStats, load_coder
from lagebild.ingest.model import IngestedArticle, Published, ReadFailure
from lagebild.ingest.sources import FORMATS, ReadOptions, Source, SourceReader, expand
from lagebild.ingest.tabular import FieldMap

__all__ = [
    "FORMATS",
    "Dateline",
    "EmptyInputError",
    "EncodingError",
    "FetchError",
    "Fetcher",
    "FieldMap",
    "IngestError",
    "IngestReport",
    "IngestStats",
    "IngestedArticle",
    "Ingestor",
    "MalformedInputError",
    "NearDuplicateIndex",
    "Published",
    "ReadFailure",
    "ReadOptions",
    "Source",
    "SourceReader",
    "TooLargeError",
    "UnsafeXMLError",
    "UnsupportedInputError",
    "expand",
    "find_dateline",
    "load_coder",
    "parse_published",
    "user_agent",
]
