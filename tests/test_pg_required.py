"""tests/pg_required.py: where PostgreSQL is required, a skipped `postgres` test fails the run
(run in a pytest of its own, without Django)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = """
import pytest

@pytest.mark.postgres
def test_needs_pg():
    pytest.skip("not on PostgreSQL")

@pytest.mark.postgres
@pytest.mark.skipif(True, reason="not on PostgreSQL")
def test_needs_pg_marked():
    pass

def test_other_skip():
    pytest.skip("no browser")
"""


def _run(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_x.py").write_text(TESTS)
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "CHITRA_REQUIRE_PG") and not k.startswith("PYTEST")
    }
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:django",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.pg_required",
            "-W",
            "ignore::pytest.PytestUnknownMarkWarning",
            "test_x.py",
        ],
        cwd=tmp_path,
        env={**clean, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_skipped_postgres_test_fails_where_postgres_is_required(tmp_path):
    quiet = _run(tmp_path)
    assert quiet.returncode == 0, quiet.stdout
    assert "3 skipped" in quiet.stdout
    for env in (
        {"CHITRA_REQUIRE_PG": "1", "DATABASE_URL": "postgres://x@127.0.0.1/db"},
        {"DATABASE_URL": "postgresql://x@127.0.0.1/db"},
    ):
        loud = _run(tmp_path, **env)
        assert loud.returncode == 1, loud.stdout
        # skipped in the test (failed) and by its mark (an error at set-up); others still skip
        assert all(f in loud.stdout for f in ("1 failed", "1 error", "1 skipped")), loud.stdout
        assert "PostgreSQL is required here" in loud.stdout


def test_requiring_postgres_on_sqlite_is_refused(tmp_path):
    out = _run(tmp_path, CHITRA_REQUIRE_PG="1", DATABASE_URL="sqlite:///x.sqlite3")
    assert out.returncode != 0 and "must run on PostgreSQL" in out.stderr, out.stderr
