"""SHA-256 of files and streams (pure: no Django)."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import BinaryIO

__all__ = ["BLOCK", "sha256_file", "sha256_stream"]

#: bytes read at a time
BLOCK = 1 << 20


def sha256_stream(stream: BinaryIO) -> str:
    """The SHA-256 (hex) of what is left to read in `stream`, a block at a time."""
    h = hashlib.sha256()
    while block := stream.read(BLOCK):
        h.update(block)
    return h.hexdigest()


def sha256_file(path: Path | str) -> str:
    """The SHA-256 (hex) of the file at `path`."""
    with Path(path).open("rb") as fh:
        return sha256_stream(fh)
