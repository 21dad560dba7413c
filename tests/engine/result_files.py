"""A provider's results file as the tests of the result reader use it (both paths: the
general grid reader and the CSV fast path): a title, a Vietnamese header, the usual status
and amount spellings, and what the reader makes of those rows."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from chitra.engine.documents.results import ResultRow

#: a title, a blank row, the header (row 3), then five payments (rows 4-9, row 6 blank)
VI_RESULT_HEAD: list[list[str]] = [
    ["KẾT QUẢ CHI TRẢ THÁNG 12/2026", "", "", "", ""],
    ["", "", "", "", ""],
    ["Mã thanh toán", "Trạng thái", "Mã lý do", "Số tiền (đồng)", "Ghi chú"],
    ["0820261200000000010117", "Thành công", "", "3.500.000", ""],
    ["0820261200000000020117", "THẤT BẠI", "AC04", "3500000", "Tài khoản đã đóng"],
    ["", "", "", "", ""],
    ["0820261200000000030117", "ACSC", "", "", ""],
    ["0820261200000000040117", "không thành công", "AM04", "0", ""],
    ["0820261200000000050117", " rjct ", "ac01", "1,500,000", ""],
]

#: what the reader gives for the payments of VI_RESULT_HEAD
VI_RESULT_ROWS: list[ResultRow] = [
    ResultRow(4, "0820261200000000010117", "succ", "", 3_500_000),
    ResultRow(5, "0820261200000000020117", "rjct", "AC04", 3_500_000, "Tài khoản đã đóng"),
    ResultRow(7, "0820261200000000030117", "succ", "", None),
    ResultRow(8, "0820261200000000040117", "rjct", "AM04", 0),
    ResultRow(9, "0820261200000000050117", "rjct", "ac01", 1_500_000),
]


def write_rows_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    """`rows` as a CSV file (lines end with CRLF) at `path`."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))
    return path
