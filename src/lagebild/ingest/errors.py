"""Errors of the ingest layer. Each names the input and says what to do next.

LagebildError
 └── InputError                  (lagebild.errors) an input cannot be read or decoded
      └── IngestError            an input cannot be ingested; `kind` is stored with the failure
           ├── UnsupportedInputError   not a format lagebild reads (binary, unknown type)
           ├── EmptyInputError         nothing to code (empty file, no text field, no main text)
           ├── EncodingError           the bytes are not valid in the expected encoding
           ├── TooLargeError           over the size limit for one document or container
           ├── UnsafeXMLError          a DTD or entity declaration (external entities, entity bombs)
           ├── MalformedInputError     broken JSON, CSV, XML or feed
           └── FetchError              an HTTP fetch failed (status, timeout, size cap, scheme)
 └── ConfigError                 (lagebild.errors) a bad option: field mapping, coder spec, date
"""

from __future__ import annotations

from lagebild.errors import InputError


class IngestError(InputError):
    """An input cannot be ingested; the message names it and says why."""

    kind = "input"


class UnsupportedInputError(IngestError):
    """Not a format lagebild reads (a binary file, an unknown content type)."""

    kind = "unsupported"


class EmptyInputError(IngestError):
    """The input holds no text to code."""

    kind = "empty"


class EncodingError(IngestError):
    """The bytes are not valid in the expected encoding (UTF-8 unless --encoding says otherwise)."""

    kind = "encoding"


class TooLargeError(IngestError):
    """The input is larger than the configured limit."""

    kind = "too_large"


class UnsafeXMLError(IngestError):
    """The XML declares a DTD or entities; refused before any parser expands them."""

    kind = "unsafe_xml"


class MalformedInputError(IngestError):
    """Broken JSON, CSV, XML or feed."""

    kind = "malformed"


class FetchError(IngestError):
    """An HTTP fetch failed: bad status, timeout, size cap, redirect loop or unsupported scheme."""

    kind = "fetch"
