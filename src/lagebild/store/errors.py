"""Errors of the event store.

LagebildError
 └── StoreError                 the database cannot be opened, migrated or written
      ├── StoreLockedError      another process holds the database file
      ├── MigrationError        a schema migration failed or the file is newer than this lagebild
      ├── NotFoundError         an event, mention or article id is not in the store
      └── ExportError           an export cannot be written (unknown format, missing --out, ...)
"""

from __future__ import annotations

from lagebild.errors import LagebildError


class StoreError(LagebildError):
    """The event database cannot be opened, migrated, read or written."""

    status = 500


class StoreLockedError(StoreError):
    """Another process holds the database file open for writing."""

    status = 409

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"the database {path} is in use by another process (DuckDB allows one writer); "
            "wait for it to finish, or pass another --db"
        )


class MigrationError(StoreError):
    """A schema migration failed, or the database needs a migration that cannot run now."""


class NotFoundError(StoreError):
    """An id (event, mention, article) is not in the store, or a prefix matches several."""

    status = 404


class ExportError(StoreError):
    """An export cannot be written: unknown format, missing output, unwritable file."""

    status = 400
