"""Atomic writes and SHA-256 of files (kernel)."""

from __future__ import annotations

import hashlib
import io

import pytest

from chitra.kernel.files import atomic_path, tmp_for
from chitra.kernel.hashing import BLOCK, sha256_file, sha256_stream


def test_sha256_of_a_file_and_a_stream(tmp_path):
    data = bytes(range(256)) * (BLOCK // 128 + 3)  # more than two blocks
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    want = hashlib.sha256(data).hexdigest()
    assert sha256_file(path) == sha256_file(str(path)) == want
    stream = io.BytesIO(b"skip" + data)
    stream.read(4)
    assert sha256_stream(stream) == want
    (tmp_path / "empty").write_bytes(b"")
    assert sha256_file(tmp_path / "empty") == hashlib.sha256(b"").hexdigest()


def test_atomic_path_replaces_whole(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old")
    with atomic_path(path) as tmp:
        assert tmp == tmp_for(path) and tmp.parent == path.parent
        tmp.write_text("new")
        assert path.read_text() == "old"  # not there until the block ends
    assert path.read_text() == "new" and not tmp.exists()


def test_atomic_path_leaves_the_old_file_on_error(tmp_path):
    path = tmp_path / "out.csv"
    path.write_text("old")
    with pytest.raises(RuntimeError, match="disk"), atomic_path(path) as tmp:
        tmp.write_text("half")
        raise RuntimeError("disk full")
    assert path.read_text() == "old"
    assert list(tmp_path.iterdir()) == [path]
    # an error before anything was written: nothing to clean, the error passes
    with pytest.raises(KeyError), atomic_path(tmp_path / "new.csv"):
        raise KeyError("x")
    assert not (tmp_path / "new.csv").exists()
