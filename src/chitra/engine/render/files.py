"""Files the documents write: their SHA-256 and the temporary name they are written under."""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

__all__ = ["sha256_file", "tmp_for"]


def sha256_file(path: Path) -> str:
    """The SHA-256 (hex) of the file at ``path``, read a megabyte at a time."""
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(functools.partial(fh.read, 1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def tmp_for(path: Path) -> Path:
    """The hidden name ``path`` is written under before it is renamed into place."""
    return path.with_name(f".{path.name}.tmp")
