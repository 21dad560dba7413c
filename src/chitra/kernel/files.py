"""Files written whole or not at all: under a temporary name, then renamed into place (pure:
no Django)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["atomic_path", "tmp_for"]


def tmp_for(path: Path) -> Path:
    """The hidden name `path` is written under before it is renamed into place (same
    directory, so that the rename is atomic)."""
    return path.with_name(f".{path.name}.tmp")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Write the file at the path this yields; when the block ends normally it replaces
    `path` in one rename (readers see the old file or the new one, never half of it); when
    it raises, the temporary file is removed and `path` is left as it was."""
    tmp = tmp_for(path)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise
