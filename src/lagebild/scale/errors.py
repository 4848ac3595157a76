"""Errors of the Dask scale-out.

LagebildError
 └── ScaleError                  a distributed run cannot start, finish or be loaded
      ├── ClusterError           the Dask scheduler cannot be reached or started
      ├── OutputError            the output directory is in use, not lagebild's, or from another run
      ├── PartitionError         partitions failed on the workers (after Dask's retries)
      └── ManifestError          the manifest is missing, unreadable, incomplete or does not match the files

Articles that cannot be read or coded are not errors here: they become rows of the partition's
`failures` table, as in the single-process ingest.
"""

from __future__ import annotations

from lagebild.errors import LagebildError


class ScaleError(LagebildError):
    """A distributed ingest or a load cannot go on."""

    status = 500


class ClusterError(ScaleError):
    """The Dask scheduler cannot be reached, or a local cluster cannot be started."""

    status = 503


class OutputError(ScaleError):
    """The output directory cannot be used: another run holds it, it is not lagebild's, or it
    holds a run of other inputs, settings, lagebild version or lexicons."""

    status = 409


class PartitionError(ScaleError):
    """Some partitions failed on the workers even after Dask retried them.

    `failed` maps partition ids to the last error. Finished partitions are kept; running the same
    command again retries only the failed ones.
    """

    status = 500

    def __init__(self, failed: dict[str, str], total: int) -> None:
        self.failed = dict(failed)
        first = "; ".join(f"{pid}: {reason}" for pid, reason in list(self.failed.items())[:3])
        more = f" (and {len(self.failed) - 3} more)" if len(self.failed) > 3 else ""
        super().__init__(
            f"{len(self.failed)} of {total} partitions failed: {first}{more}. The finished partitions are kept; "
            "run the same command again to retry the failed ones"
        )


class ManifestError(ScaleError):
    """The manifest of an output directory is missing, unreadable or incomplete, or a partition
    file does not match the content hash the manifest records."""

    status = 400
