"""Tests of the register connectors. Helpers shared by the test modules live here."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from chitra.engine.register.store import load_extract

COLUMNS = ("personal_id", "full_name", "birth_date", "sex", "commune_code", "death_date")

# A tiny register (first extract): dates at D, M and Y precision, one death, one without commune.
FIRST = [
    ("001050000001", "Nguyễn Văn An", "1950-03-12", "M", "08089", ""),
    ("001148000002", "Trần Thị Bình", "1948-05", "F", "08089", ""),
    ("008045000003", "Lê Văn Cường", "1945", "M", "", ""),
    ("008140000004", "Phạm Thị Dung", "1940-01-01", "F", "08092", "2024-02-03"),
    ("008052000005", "Hoàng Văn Em", "1952-07-30", "M", "08092", ""),
    ("008155000006", "Đỗ Thị Phương", "1955-11-02", "F", "08095", ""),
    ("008060000007", "Vũ Văn Giang", "1960-12-24", "M", "08095", ""),
    ("008138000008", "Bùi Thị Hạnh", "1938-02", "F", "08089", ""),
]
# The second extract: 1 dies, 2 corrected, 5 moved, 8 removed, 9 new -> five changes.
SECOND = [
    ("001050000001", "Nguyễn Văn An", "1950-03-12", "M", "08089", "2025-01-20"),
    ("001148000002", "Trần Thị Bích", "1948-05", "F", "08089", ""),
    FIRST[2],
    FIRST[3],
    ("008052000005", "Hoàng Văn Em", "1952-07-30", "M", "08095", ""),
    FIRST[5],
    FIRST[6],
    ("008049000009", "Ngô Văn Ích", "1949-09-09", "M", "08092", ""),
]
FIRST_LOAD = datetime(2025, 1, 1, 6, 0)
SECOND_LOAD = datetime(2025, 2, 1, 6, 0)
BETWEEN = datetime(2025, 1, 15)
UNKNOWN = ["008070999991", "008070999992", "008070999993"]


def write_extract(path: Path, rows: list[tuple[str, ...]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(COLUMNS)
        w.writerows(rows)
    return path


def build_store(directory: Path) -> Path:
    """A DuckDB register store loaded twice (so that it holds a change history)."""
    store = directory / "register.duckdb"
    load_extract(
        write_extract(directory / "first.csv", FIRST),
        store,
        checksum=False,
        loaded_at=FIRST_LOAD,
        memory_limit="256MB",
        threads=1,
    )
    load_extract(
        write_extract(directory / "second.csv", SECOND),
        store,
        checksum=False,
        loaded_at=SECOND_LOAD,
        memory_limit="256MB",
        threads=1,
    )
    return store
