"""Reading text inputs for `lagebild code`: files, '-' for standard input; errors name the input."""

from __future__ import annotations

import sys
from pathlib import Path

from lagebild.errors import InputError

MAX_BYTES = 200 * 1024 * 1024


def read_text_input(name: str) -> str:
    if name == "-":
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    else:
        path = Path(name)
        if not path.exists():
            raise InputError(name, "no such file")
        if path.is_dir():
            raise InputError(name, "is a folder; give files (or use 'lagebild ingest' for folders)")
        if path.stat().st_size > MAX_BYTES:
            raise InputError(name, f"larger than {MAX_BYTES // (1024 * 1024)} MB")
        data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise InputError(name, f"larger than {MAX_BYTES // (1024 * 1024)} MB")
    if b"\x00" in data[:8192]:
        raise InputError(name, "looks binary (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(name, f"not valid UTF-8 (byte {exc.start}: {exc.reason}); convert it to UTF-8 first") from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")
