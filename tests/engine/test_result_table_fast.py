"""The CSV fast path of read_result_table gives exactly what the general (grid) path gives."""

from __future__ import annotations

import csv
import io
import random
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from chitra.engine.documents import results
from chitra.engine.documents.provider_files import _CP1258_ERRORS
from chitra.engine.documents.results import (
    ResultFileError,
    ResultIssue,
    ResultRow,
    _read_result_csv,
    _read_result_grid,
    read_result_table,
)
from tests.engine.result_files import VI_RESULT_HEAD, VI_RESULT_ROWS

Outcome = tuple[Any, ...]  # ("ok", rows, issues) or ("error", class, message, str(error))


def _outcome(
    fn: Callable[[Path], tuple[list[ResultRow], list[ResultIssue]]], path: Path
) -> Outcome:
    try:
        rows, issues = fn(path)
    except ResultFileError as exc:
        return ("error", type(exc), exc.message, str(exc))
    return ("ok", rows, issues)


def _check(path: Path, *, fast: bool = True) -> Outcome:
    """read_result_table (fast path) == the general path; ``fast``: the fast path decides."""
    general = _outcome(_read_result_grid, path)
    assert _outcome(read_result_table, path) == general
    assert (_read_result_csv(path) is not None) is fast
    return general


def _csv_bytes(
    rows: list[list[str]],
    *,
    delimiter: str = ",",
    terminator: str = "\r\n",
    encoding: str = "utf-8",
    quote_all: bool = False,
) -> bytes:
    buf = io.StringIO()
    csv.writer(
        buf,
        delimiter=delimiter,
        lineterminator=terminator,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    ).writerows(rows)
    # cp1258: Vietnamese letters as Windows writes them (base letter + combining tone mark).
    return buf.getvalue().encode(encoding, _CP1258_ERRORS if encoding == "cp1258" else "strict")


def _write(tmp_path: Path, data: bytes, name: str = "kq.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


REF = "0820261200000000010117"

VI_FILE = [
    *VI_RESULT_HEAD,
    ["", "succ", "", "100", "a row without reference, in the middle"],
    ["0820261200000000060117", "succ", "", "abc", "bad amount"],
    ["0820261200000000070117", "Đang xử lý", "", "-5", "bad status and amount"],
    ["0820261200000000080117", "succ", " AC 04 ", "3.500.000,5", ""],
    ["0820261200000000090117", "succ", "", "1500.000", ""],
    ["  ", "  ", "", "", ""],
    ["", "", "", "10.500.000", "Tổng cộng"],
    ["", "Người lập biểu", "", "Kế toán", ""],
    ["", "", "", "", ""],
]


def test_vietnamese_file_matches_general_path_and_expected(tmp_path: Path) -> None:
    path = _write(tmp_path, _csv_bytes(VI_FILE))
    _, rows, issues = _check(path)
    assert rows == VI_RESULT_ROWS
    assert issues == [
        ResultIssue(10, "Mã thanh toán", "", "a payment reference"),
        ResultIssue(11, "Số tiền (đồng)", "abc", "a whole number of đồng"),
        ResultIssue(12, "Trạng thái", "Đang xử lý", "succ or rjct"),
        ResultIssue(12, "Số tiền (đồng)", "-5", "a whole number of đồng"),
        ResultIssue(13, "Số tiền (đồng)", "3.500.000,5", "a whole number of đồng"),
        ResultIssue(14, "Số tiền (đồng)", "1500.000", "a whole number of đồng"),
    ]


@pytest.mark.parametrize("terminator", ["\r\n", "\n", "\r"])
@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_encodings_delimiters_line_ends(
    tmp_path: Path, terminator: str, delimiter: str, encoding: str
) -> None:
    data = _csv_bytes(VI_FILE, delimiter=delimiter, terminator=terminator, encoding=encoding)
    _, rows, issues = _check(_write(tmp_path, data))
    assert len(rows) == 5 and len(issues) == 6


@pytest.mark.parametrize("name", ["kq.txt", "kq.tsv", "KQ.CSV"])
def test_text_extensions(tmp_path: Path, name: str) -> None:
    _check(_write(tmp_path, _csv_bytes(VI_FILE, delimiter="\t"), name))


def test_quoted_cells_commas_quotes_newlines(tmp_path: Path) -> None:
    rows = [
        ["reference", "status", "reason_code", "amount", "note"],
        ["R1", "succ", "", "1,500,000", 'closed, "really"'],
        ["R2", "rjct", "AC04", "2.000.000", "two\nlines"],
        ["R3", "paid", "", "", "multi\r\nline\rnote"],
        ["R,4", "failed", "AM04", "100 đ", ""],
    ]
    for quote_all in (False, True):
        _, got, issues = _check(_write(tmp_path, _csv_bytes(rows, quote_all=quote_all)))
        assert issues == []
        # Records, not physical lines: row numbers count CSV records.
        assert [(r.row, r.reference, r.note) for r in got] == [
            (2, "R1", 'closed, "really"'),
            (3, "R2", "two lines"),
            (4, "R3", "multi line note"),
            (5, "R,4", ""),
        ]


def test_english_headers_any_case_and_nfd(tmp_path: Path) -> None:
    header = [
        unicodedata.normalize("NFD", h)
        for h in (
            "END TO END ID",
            "trạng THÁI",
            "Status reason code",
            "INSTRUCTED AMOUNT",
            "ghi chu",
        )
    ]
    data = [
        header,
        [REF, unicodedata.normalize("NFD", "Thành Công"), "", "3500000", ""],
        ["A2", "Từ chối", "AC06", "", unicodedata.normalize("NFD", "Tài khoản")],
        ["A3", "OK!", "", "", ""],
    ]
    _, rows, issues = _check(_write(tmp_path, _csv_bytes(data)))
    assert issues == [] and [r.status for r in rows] == ["succ", "rjct", "succ"]
    assert rows[1].note == "Tài khoản"


def test_only_required_columns_and_extra_columns(tmp_path: Path) -> None:
    data = [
        ["STT", "Họ tên", "reference", "Số CMND", "status"],
        ["1", "Nguyễn Văn A", "R1", "001", "succ"],
        ["2", "Trần Thị B", "R2", "002", "rjct"],
        ["3", "", "", "", ""],
        ["4", "Lê C", "", "", "succ"],
    ]
    _, rows, issues = _check(_write(tmp_path, _csv_bytes(data)))
    assert [(r.row, r.reference, r.status, r.reason_code, r.amount, r.note) for r in rows] == [
        (2, "R1", "succ", "", None, ""),
        (3, "R2", "rjct", "", None, ""),
    ]
    assert issues == []  # the numbered rows after the last reference are ignored


def test_short_and_long_records(tmp_path: Path) -> None:
    text = (
        "reference,status,reason_code,amount\r\n"
        "R1,succ\r\n"
        "R2,rjct,AC04\r\n"
        "R3\r\n"
        "R4,succ,,100,extra,cells\r\n"
        "\r\n"
        ",,,\r\n"
        "R5,succ,,\r\n"
    )
    _, rows, issues = _check(_write(tmp_path, text.encode()))
    assert [r.reference for r in rows] == ["R1", "R2", "R4", "R5"]
    assert issues == [ResultIssue(4, "status", "", "succ or rjct")]


def test_unusual_references(tmp_path: Path) -> None:
    refs = [
        "REF-001",
        "A 1",
        " R2 ",
        "Đ123",
        "ref\t1",
        "\u200b",
        "R/1",
        "ＲＥＦ",
        "0012",
        "A\x0bB",
        "1.0",
        "a\u00a0b",
        "x\u200by",
    ]
    data = [["reference", "status"]] + [[r, "succ"] for r in refs] + [["", "succ"]]
    _, rows, issues = _check(_write(tmp_path, _csv_bytes(data)))
    assert [r.reference for r in rows] == [
        "REF-001",
        "A 1",
        "R2",
        "Đ123",
        "ref 1",
        "R/1",
        "ＲＥＦ",
        "0012",
        "A B",
        "1.0",
        "a b",
        "xy",
    ]
    # An invisible-only cell counts as a reference cell but reads as no reference.
    assert issues == [ResultIssue(7, "reference", "\u200b", "a payment reference")]


def test_rows_without_reference_reported_only_before_a_later_reference(tmp_path: Path) -> None:
    data = [
        ["reference", "status", "amount"],
        ["", "succ", "1"],
        ["", "bogus", "x"],
        ["R1", "succ", "1"],
        ["", "", ""],
        ["", "rjct", "2"],
        [" ", "succ", ""],
        ["R2", "rjct", ""],
        ["", "succ", "3"],
        ["", "", "Tổng: 4"],
        ["   ", " ", " "],
    ]
    _, rows, issues = _check(_write(tmp_path, _csv_bytes(data)))
    assert [r.row for r in rows] == [4, 8]
    assert issues == [
        ResultIssue(2, "reference", "", "a payment reference"),
        ResultIssue(3, "reference", "", "a payment reference"),
        ResultIssue(3, "status", "bogus", "succ or rjct"),
        ResultIssue(3, "amount", "x", "a whole number of đồng"),
        ResultIssue(6, "reference", "", "a payment reference"),
        ResultIssue(7, "reference", " ", "a payment reference"),
    ]


def test_amount_spellings(tmp_path: Path) -> None:
    amounts = [
        "3.500.000",
        "3500000",
        "1,500,000",
        "1 500 000",
        "0",
        "0.0",
        "00",
        " 100 ",
        "100 đ",
        "2.000.000 đồng",
        "100 VND",
        "abc",
        "-5",
        "(5)",
        "3.500.000,5",
        "1500.000",
        "1e5",
        "3500000.5",
        " ",
        "1.000",
    ]
    data = [["reference", "status", "so tien"]] + [
        [f"R{i}", "succ", a] for i, a in enumerate(amounts)
    ]
    # Twice: the second time every amount comes from the fast path's memo.
    _, rows, issues = _check(_write(tmp_path, _csv_bytes(data + data[1:])))
    assert len(rows) + len(issues) == 2 * len(amounts)


def test_title_rows_and_header_position(tmp_path: Path) -> None:
    body = [["reference", "status"], ["R1", "succ"], ["R2", "rjct"]]
    for titles in (0, 1, 28, 29, 30, 31):
        data = [["Title", ""]] * titles + body
        result = _check(_write(tmp_path, _csv_bytes(data)), fast=titles < 30)
        if titles < 30:
            assert [r.row for r in result[1]] == [titles + 2, titles + 3]
        else:  # the header is past the rows find_header scans
            assert result[0] == "error"


def test_two_row_header(tmp_path: Path) -> None:
    data = [
        ["Thông tin", "", "Kết quả", ""],
        ["Mã thanh toán", "Họ tên", "Trạng thái", "Mã lỗi"],
        ["R1", "A", "succ", ""],
        ["R2", "B", "rjct", "AC04"],
    ]
    _, rows, _issues = _check(_write(tmp_path, _csv_bytes(data)))
    assert [(r.row, r.reason_code) for r in rows] == [(3, ""), (4, "AC04")]


def test_header_only_and_blank_tail(tmp_path: Path) -> None:
    assert _check(_write(tmp_path, b"reference,status\r\n"))[1:] == ([], [])
    data = [["reference", "status"]] + [["", ""]] * 50 + [[" ", ""]] * 5
    assert _check(_write(tmp_path, _csv_bytes(data)))[1:] == ([], [])


def test_greek_question_mark_becomes_a_delimiter(tmp_path: Path) -> None:
    # NFC maps U+037E to ";": both paths normalise the whole text before splitting cells.
    text = "reference;status\r\nR1\u037esucc;x\r\nR2;rjct\r\n"
    _check(_write(tmp_path, text.encode()))


def test_errors_go_through_the_general_path(tmp_path: Path) -> None:
    missing = _check(
        _write(tmp_path, _csv_bytes([["Mã thanh toán", "Số tiền"], ["R1", "1"]])), fast=False
    )
    assert missing[0] == "error" and "missing column(s) status" in str(missing[2])
    assert _check(_write(tmp_path, b""), fast=False)[0] == "error"
    assert _check(_write(tmp_path, b"a,b\r\n1,2\r\n"), fast=False)[0] == "error"
    binary = _check(_write(tmp_path, b"reference,status\r\nR1,\x00succ\r\n"), fast=False)
    assert "binary" in str(binary[2])
    too_big = _write(tmp_path, b"reference,status,note\r\nR1,succ," + b"x" * 200_000 + b"\r\n")
    assert "field larger than field limit" in str(_check(too_big, fast=False)[2])
    assert _check(tmp_path / "missing.csv", fast=False)[0] == "error"
    assert _check(tmp_path, fast=False)[0] == "error"  # a directory


def test_nul_after_the_first_block(tmp_path: Path) -> None:
    data = [["reference", "status", "note"]] + [[f"R{i}", "succ", ""] for i in range(400)]
    data.append(["R\x00", "succ\x00", "a\x00b"])
    _check(_write(tmp_path, _csv_bytes(data)))


def test_many_rows_same_result(tmp_path: Path) -> None:
    rnd = random.Random(7)
    data = [["reference", "status", "reason_code"]]
    for i in range(20_000):
        rjct = rnd.random() < 0.03
        data.append([f"{i:022d}", "rjct" if rjct else "succ", "AC04" if rjct else ""])
    _, rows, issues = _check(_write(tmp_path, _csv_bytes(data, terminator="\n")))
    assert len(rows) == 20_000 and issues == []
    assert rows[-1] == ResultRow(
        20_001, f"{19_999:022d}", rows[-1].status, rows[-1].reason_code, None
    )


# --- random files ------------------------------------------------------------------------------

_HEADERS = {
    "reference": ["reference", "Mã thanh toán", "MA THANH TOAN", "EndToEndId", "Reference_ID"],
    "status": ["status", "Trạng thái", "TRANG THAI", "Kết quả", "Result", "tình trạng"],
    "reason_code": ["reason_code", "Mã lý do", "Reason code", "error code"],
    "amount": ["amount", "Số tiền", "Số tiền (đồng)", "SO TIEN"],
    "note": ["note", "Ghi chú", "Description"],
}
_VALUES = {
    "reference": ["", " ", "R1", "REF-001", "A 1", " R2", "Đ123", "\u200b", "0012"],
    "status": [
        "succ",
        "rjct",
        "SUCC",
        " rjct ",
        "Thành công",
        "THẤT BẠI",
        "paid",
        "OK!",
        "ACSC",
        "Đã chi trả",
        "Từ chối",
        "bogus",
        "",
        " ",
        "Tha\u0300nh co\u0302ng",
        "\u200bsucc",
    ],
    "reason_code": ["", "", "AC04", "ac01", " AM04 ", "A  C", " "],
    "amount": [
        "",
        "",
        "3.500.000",
        "3500000",
        "0",
        "abc",
        "-5",
        "3.500.000,5",
        " 100 ",
        " ",
        "100 đ",
        "1500.000",
    ],
    "note": ["", "", "Tài khoản đã đóng", "x,y", 'say "hi"', "two\nlines", "  a  b ", "\u200b"],
}
_TAILS = [
    ["", "", "", "10.500.000", "Tổng cộng"],
    ["Người lập biểu", "", "Kế toán"],
    [""],
    ["   "],
    [],
]


def _random_file(rnd: random.Random) -> bytes:
    fields = ["reference", "status"] + [
        f for f in ("reason_code", "amount", "note") if rnd.random() < 0.6
    ]
    if rnd.random() < 0.05:
        fields.remove(rnd.choice(["reference", "status"]))
    rnd.shuffle(fields)
    rows: list[list[str]] = [
        [rnd.choice(["KẾT QUẢ", "", "Ngân hàng"])] for _ in range(rnd.choice([0, 0, 1, 3, 29]))
    ]
    rows.append([rnd.choice(_HEADERS[f]) for f in fields])
    for _ in range(rnd.choice([0, 1, 5, 40])):
        row = [
            f"{rnd.randrange(10**21):022d}"
            if f == "reference" and rnd.random() < 0.7
            else rnd.choice(_VALUES[f])
            for f in fields
        ]
        if rnd.random() < 0.05:
            row = row[: rnd.randrange(len(row) + 1)]
        rows.append(row)
    rows += [rnd.choice(_TAILS) for _ in range(rnd.choice([0, 1, 3, 35]))]
    text = _csv_bytes(
        rows, delimiter=rnd.choice([",", ";", "\t"]), terminator=rnd.choice(["\r\n", "\n"])
    ).decode()
    encoding = rnd.choice(["utf-8", "utf-8-sig", "cp1258"])
    try:
        return text.encode(encoding, _CP1258_ERRORS if encoding == "cp1258" else "strict")
    except UnicodeEncodeError:  # e.g. "\u200b" has no cp1258 form
        return text.encode("utf-8")


@pytest.mark.parametrize("seed", range(4))
def test_random_files(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    fast = 0
    for i in range(150):
        path = _write(tmp_path, _random_file(rnd), f"r{i}.csv")
        general = _outcome(_read_result_grid, path)
        assert _outcome(read_result_table, path) == general, path.read_bytes()[:300]
        fast += _read_result_csv(path) is not None
    assert fast > 100  # most random files are read by the fast path


def test_fast_path_is_what_read_result_table_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, _csv_bytes(VI_FILE))

    def fail(_path: Path) -> None:
        raise AssertionError("general path used")

    monkeypatch.setattr(results, "_read_result_grid", fail)
    rows, _issues = read_result_table(path)
    assert len(rows) == 5
