"""Files written whole or not at all: under a temporary name, then renamed into place (pure:
no Django). The one module of chitra that renames files: `atomic_path` (one file),
`atomic_files` (several, named at the end), `move_into_place` (a file or directory already
written aside, e.g. a DuckDB store or a release's staged batch directory).
`tests/architecture/test_atomic_writes.py` fails on a rename anywhere else."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path

__all__ = ["Staged", "atomic_files", "atomic_path", "move_into_place", "tmp_for"]


def tmp_for(path: Path) -> Path:
    """The hidden name `path` is written under before it is renamed into place (same
    directory, so that the rename is atomic)."""
    return path.with_name(f".{path.name}.tmp")


def move_into_place(written: Path, path: Path) -> None:
    """Rename `written` (a file, or a directory when `path` does not exist) to `path` in one
    step: readers see the old one or the new one, never half of it. Both must be on the same
    file system (write `written` beside `path`)."""
    os.replace(written, path)


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Write the file at the path this yields; when the block ends normally it replaces
    `path` in one rename (readers see the old file or the new one, never half of it); when
    it raises, the temporary file is removed and `path` is left as it was."""
    tmp = tmp_for(path)
    try:
        yield tmp
        move_into_place(tmp, path)
    except BaseException:
        with suppress(OSError):
            tmp.unlink()
        raise


class Staged:
    """The temporary files of an `atomic_files` block and, once known, their final names."""

    def __init__(self) -> None:
        self.tmps: list[Path] = []
        self.finals: list[Path] | None = None

    def new(self, tmp: Path) -> Path:
        """Record `tmp` (a hidden name beside its final one) as written by this block."""
        self.tmps.append(tmp)
        return tmp

    def publish_as(self, finals: Sequence[Path]) -> None:
        """The final names of the temporary files, in the order they were made."""
        if len(finals) != len(self.tmps):
            raise ValueError(f"{len(self.tmps)} files written, {len(finals)} names given")
        self.finals = list(finals)


@contextmanager
def atomic_files() -> Iterator[Staged]:
    """Several files written under temporary names whose final names may be known only at the
    end (a provider's XLSX in one file or in parts): when the block ends normally each is
    renamed to the name given by `Staged.publish_as` (in that order); when it raises, or no
    names were given, every temporary file is removed."""
    staged = Staged()
    try:
        yield staged
        if staged.finals is None:
            if staged.tmps:
                raise ValueError("atomic_files: the final names were never given")
            return
        for tmp, final in zip(staged.tmps, staged.finals, strict=True):
            move_into_place(tmp, final)
    except BaseException:
        for tmp in staged.tmps:
            with suppress(OSError):
                tmp.unlink()
        raise
