"""The output directory of a distributed run and its manifest.

    DIR/
      manifest.json                  the plan, every partition's inputs, state, row counts and hashes
      partitions/p000000/            one finished partition (appears only complete: renamed into place)
        articles.parquet  article_signatures.parquet  mentions.parquet  actors.parquet
        quotes.parquet  places.parquet  times.parquet  failures.parquet
        partition.json               its inputs, row counts and the SHA-256 of each file
      tmp/                           partitions being written (removed when the run ends)
      .lock                          held (flock) by the run that writes DIR

The partition directories are the ground truth: a partition is finished when its directory
exists. The manifest records that (it is rewritten every few seconds and at the end), and
`lagebild load` checks every file against it.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

from lagebild.scale.errors import ManifestError, OutputError

FORMAT = "lagebild-parquet/1"
MANIFEST = "manifest.json"
PARTITION_META = "partition.json"


@lru_cache(maxsize=1)
def lagebild_version() -> str:
    from lagebild import __version__

    return __version__


def lexicon_fingerprint() -> str:
    """SHA-256 (first 20 hex digits) over every lexicon file of every language, the loader and the
    CAMEO table: two processes with the same fingerprint code the same text the same way.

    Read from the files at each call (a few milliseconds); a worker keeps the value of its first
    partition (`worker_lexicon_fingerprint`), as it keeps the lexicons it loaded then."""
    from lagebild.lexicons.loader import lexicon_paths, supported_languages

    digest = hashlib.sha256()
    seen: set[Path] = set()
    for code in supported_languages():
        for path in lexicon_paths(code):
            if path in seen:
                continue
            seen.add(path)
            digest.update(f"{path.parent.name}/{path.name}\n".encode())
            if path.exists():
                digest.update(path.read_bytes())
    return digest.hexdigest()[:20]


@lru_cache(maxsize=1)
def worker_lexicon_fingerprint() -> str:
    return lexicon_fingerprint()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON to a temporary name, flush it to disk, rename it over `path`."""
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=False)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise
    except (OSError, ValueError) as exc:
        raise ManifestError(f"{path} cannot be read: {exc}") from exc


def fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems cannot sync a directory; the rename itself is still atomic
    finally:
        os.close(fd)


@dataclass(slots=True)
class OutputDir:
    """Paths of an output directory."""

    root: Path

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST

    @property
    def partitions(self) -> Path:
        return self.root / "partitions"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    def partition(self, pid: str) -> Path:
        return self.partitions / pid

    def files(self, table: str) -> list[Path]:
        """The Parquet files of one table, in partition order."""
        if not self.partitions.is_dir():
            return []
        return [d / f"{table}.parquet" for d in sorted(self.partitions.iterdir()) if (d / PARTITION_META).is_file()]

    def read_manifest(self) -> dict[str, Any]:
        try:
            data = read_json(self.manifest)
        except FileNotFoundError:
            raise ManifestError(
                f"{self.root} holds no {MANIFEST}; it is not the output of `lagebild ingest-dask`"
            ) from None
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ManifestError(f"{self.manifest} is not a lagebild manifest (format {FORMAT})")
        return data


class DirectoryLock:
    """An exclusive `flock` on `DIR/.lock` for the lifetime of a run (released if the process dies)."""

    def __init__(self, root: Path) -> None:
        self.path = root / ".lock"
        self._fh: BinaryIO | None = None

    def __enter__(self) -> DirectoryLock:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = self.path.open("ab")
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            fh.close()
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise OutputError(
                    f"another lagebild run is writing to {self.path.parent}; wait for it to end or use another --out"
                ) from exc
            raise OutputError(f"cannot lock {self.path}: {exc}") from exc
        self._fh = fh
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fh is not None:
            import fcntl

            fcntl.flock(self._fh.fileno(), fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None
