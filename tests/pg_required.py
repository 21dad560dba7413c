"""Where PostgreSQL is required (CI: `.ci/run` sets CHITRA_REQUIRE_PG=1 and a PostgreSQL
DATABASE_URL), a test marked `postgres` that is skipped is an error, not a quiet "s": the
payroll's SQL form and its rule, for one, are only compared there (ADR 0005). Hooks used by
tests/conftest.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest


def pg_url() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith("postgres")


def pg_required() -> bool:
    return os.environ.get("CHITRA_REQUIRE_PG") == "1" or pg_url()


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CHITRA_REQUIRE_PG") == "1" and not pg_url():
        raise pytest.UsageError(
            "CHITRA_REQUIRE_PG=1: the suite must run on PostgreSQL (DATABASE_URL=postgres://...)"
        )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    report = yield
    if (
        report.skipped
        and not hasattr(report, "wasxfail")
        and pg_required()
        and item.get_closest_marker("postgres") is not None
    ):
        longrepr = report.longrepr
        reason = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid}: PostgreSQL is required here (CHITRA_REQUIRE_PG=1 "
            f"or a PostgreSQL DATABASE_URL), yet this PostgreSQL test was "
            f"skipped: {reason}"
        )
    return report
