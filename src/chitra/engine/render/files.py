"""Files the documents write: their SHA-256 and the temporary name they are written under
(the kernel's rules, `chitra.kernel.hashing` and `chitra.kernel.files`, named here for the
documents' writers)."""

from __future__ import annotations

from chitra.kernel.files import atomic_files, atomic_path, move_into_place, tmp_for
from chitra.kernel.hashing import sha256_file

__all__ = ["atomic_files", "atomic_path", "move_into_place", "sha256_file", "tmp_for"]
