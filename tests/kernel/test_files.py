"""Atomic writes and SHA-256 of files (kernel)."""

from __future__ import annotations

import hashlib
import io

import pytest

from chitra.kernel.files import atomic_files, atomic_path, move_into_place, tmp_for
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


def test_atomic_files_named_at_the_end(tmp_path):
    (tmp_path / "b.xlsx").write_text("old")
    with atomic_files() as staged:
        for k in (1, 2):
            staged.new(tmp_path / f".part{k}.tmp").write_text(f"part {k}")
        assert sorted(p.name for p in tmp_path.iterdir()) == [".part1.tmp", ".part2.tmp", "b.xlsx"]
        staged.publish_as([tmp_path / "a.xlsx", tmp_path / "b.xlsx"])
    assert (tmp_path / "a.xlsx").read_text() == "part 1"
    assert (tmp_path / "b.xlsx").read_text() == "part 2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xlsx", "b.xlsx"]


def test_atomic_files_leave_nothing_on_error_or_without_names(tmp_path):
    with pytest.raises(RuntimeError, match="disk"), atomic_files() as staged:
        staged.new(tmp_path / ".p1.tmp").write_text("half")
        staged.publish_as([tmp_path / "p1.xlsx"])
        raise RuntimeError("disk full")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="never given"), atomic_files() as staged:
        staged.new(tmp_path / ".p1.tmp").write_text("done")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValueError, match="1 files written, 2 names"), atomic_files() as staged:
        staged.new(tmp_path / ".p1.tmp").write_text("done")
        staged.publish_as([tmp_path / "a", tmp_path / "b"])
    assert list(tmp_path.iterdir()) == []


def test_move_into_place_moves_a_directory(tmp_path):
    staged = tmp_path / ".staged"
    staged.mkdir()
    (staged / "f.txt").write_text("x")
    move_into_place(staged, tmp_path / "final")
    assert (tmp_path / "final" / "f.txt").read_text() == "x" and not staged.exists()
