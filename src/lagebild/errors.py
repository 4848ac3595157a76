"""lagebild's exceptions: one hierarchy, caught at the edges (CLI, HTTP, batch runs).

    LagebildError                  base of everything lagebild raises on purpose
     ├── LexiconError              a lexicon file is malformed (names file, line and reason)
     ├── InputError                an input cannot be read or decoded (names the input)
     │    └── UnsupportedLanguageError   the text's language has no lexicons
     ├── ConfigError               a setting or argument is invalid
     └── EvaluationError           a gold file is malformed or its text cannot be found

The store, ingest and HTTP layers add their own subclasses next to their code.
"""

from __future__ import annotations


class LagebildError(Exception):
    """Base class of all errors lagebild raises on purpose."""

    #: HTTP status used when this error reaches the API layer
    status = 500


class LexiconError(LagebildError):
    """A lexicon file is malformed; the message names the file, the line and the reason."""

    status = 500

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        self.path = path
        self.line = line
        self.reason = reason
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {reason}")


class InputError(LagebildError):
    """An input cannot be read or decoded; the message names the input and the reason."""

    status = 400

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class UnsupportedLanguageError(InputError):
    """The text is in a language lagebild has no lexicons for."""

    def __init__(self, source: str, detected: str, supported: tuple[str, ...]) -> None:
        self.detected = detected
        super().__init__(
            source,
            f"the text looks like language '{detected}'; lagebild codes {', '.join(supported)} "
            "(pass --lang to override the detection)",
        )


class ConfigError(LagebildError):
    """A setting or argument is invalid."""

    status = 400


class EvaluationError(LagebildError):
    """A gold file is malformed, or the article it names cannot be found."""

    status = 400
