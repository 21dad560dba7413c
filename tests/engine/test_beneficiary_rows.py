"""Tests for chitra.engine.rows.beneficiary and chitra.engine.documents.error_workbook."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest

from chitra.engine.documents.error_workbook import write_error_workbook
from chitra.engine.rows.beneficiary import (
    ISSUE_CODES,
    BeneficiaryRecord,
    Issue,
    ParseContext,
    ParseResult,
    RejectedRow,
    parse_beneficiary_grid,
)
from chitra.engine.sheets.headers import HeaderError
from chitra.engine.sheets.reading import Grid, read_grid
from tests.engine.spreadsheets import (
    SAMPLE_BENEFITS,
    SAMPLE_COMMUNES,
    make_messy_sheet,
    sample_rows,
)

TODAY = date(2025, 6, 1)
HEADER = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Số CCCD",
    "Mã số BHXH",
    "Xã/Phường",
    "Điện thoại",
    "Loại chế độ",
    "Mức hưởng",
    "Tháng bắt đầu hưởng",
]


@pytest.fixture
def ctx() -> ParseContext:
    return ParseContext(
        province_code="08", communes=SAMPLE_COMMUNES, benefit_labels=SAMPLE_BENEFITS, today=TODAY
    )


def person(n: int = 1, **over: object) -> list[object]:
    base: dict[str, object] = {
        "stt": n,
        "name": "Nguyễn Văn An",
        "birth": "02/01/1950",
        "sex": "Nam",
        "pid": f"008050{n:06d}",
        "si": None,
        "commune": "Xã Thượng Lâm",
        "phone": "0912345678",
        "benefit": "Lương hưu",
        "amount": "1.500.000",
        "start": "01/2020",
    }
    base.update(over)
    return list(base.values())


def parse(
    rows: list[list[object]], ctx: ParseContext, header: list[str] | None = None
) -> ParseResult:
    return parse_beneficiary_grid(Grid([header or HEADER, *rows]), ctx)


def only_issue(result: ParseResult) -> Issue:
    assert len(result.rejected) == 1, [i.message_en for r in result.rejected for i in r.issues]
    assert len(result.rejected[0].issues) == 1, [i.message_en for i in result.rejected[0].issues]
    return result.rejected[0].issues[0]


# ------------------------------------------------------------------------ end to end, files


@pytest.mark.parametrize(
    ("fmt", "encoding"),
    [
        ("xlsx", "utf-8"),
        ("xls", "utf-8"),
        ("ods", "utf-8"),
        ("csv", "utf-8"),
        ("csv", "utf-8-sig"),
        ("csv", "cp1258"),
    ],
)
def test_messy_file_every_format(
    tmp_path: Path, ctx: ParseContext, fmt: str, encoding: str
) -> None:
    rows = sample_rows(6)
    m = make_messy_sheet(
        tmp_path / f"ds.{fmt}",
        rows,
        fmt=fmt,
        encoding=encoding,  # type: ignore[arg-type]
        two_row_header=True,
        title_lines=True,
        totals_row=True,
        blank_rows=True,
        nfd=True,
        ids_as_numbers=True,
        leading_blank_rows=2,
        column_number_row=True,
        signature_block=True,
        messy_labels=True,
    )
    result = parse_beneficiary_grid(read_grid(m.path), ctx)
    assert result.rejected == []
    assert result.header.header_rows == (m.header_rows[0] - 1, m.header_rows[1] - 1)
    assert [r.sheet_row for r in result.records] == m.data_rows == [10, 12, 13, 14, 16, 17]
    assert [r.data_row for r in result.records] == [1, 2, 3, 4, 5, 6]
    assert result.total_rows == 6
    assert m.total_row == 18
    first = result.records[0]
    assert first == BeneficiaryRecord(
        sheet_row=10,
        data_row=1,
        personal_id="008040000000",
        old_id=None,
        si_number="0800000000",
        full_name="Nguyễn Văn Đức",
        birth_date=date(1940, 1, 1),
        birth_precision="D",
        sex="M",
        commune_code="02269",
        address="Thôn 1",
        phone="+84912300000",
        benefit_type="PENSION",
        monthly_amount=1500000,
        start_month=date(2020, 1, 1),
        paid_through=None,
        warnings=[],
    )
    second = result.records[1]
    assert second.full_name == "Trần Thị Hoà"
    assert unicodedata.is_normalized("NFC", second.full_name)
    assert second.personal_id == "008147000001"  # restored from the number 8147000001
    assert second.sex == "F"
    assert second.commune_code == "02270"  # "Phường Minh Xuân", not "Xã Minh Xuân"


def test_one_row_header_plain(tmp_path: Path, ctx: ParseContext) -> None:
    rows = sample_rows(3)
    m = make_messy_sheet(tmp_path / "p.xlsx", rows, fmt="xlsx")
    result = parse_beneficiary_grid(read_grid(m.path), ctx)
    assert [r.sheet_row for r in result.records] == [2, 3, 4]
    assert result.header.labels["personal_id"] == "Số CCCD"


def test_repeated_header_rows_are_skipped(tmp_path: Path, ctx: ParseContext) -> None:
    rows = sample_rows(5)
    m = make_messy_sheet(
        tmp_path / "r.xlsx", rows, fmt="xlsx", repeat_header_every=2, messy_labels=True
    )
    result = parse_beneficiary_grid(read_grid(m.path), ctx)
    assert result.rejected == []
    assert [r.sheet_row for r in result.records] == m.data_rows == [2, 3, 5, 6, 8]
    assert result.total_rows == 5


def test_repeated_two_row_header_is_skipped(tmp_path: Path, ctx: ParseContext) -> None:
    rows = sample_rows(4)
    m = make_messy_sheet(
        tmp_path / "r2.xls", rows, fmt="xls", repeat_header_every=2, two_row_header=True
    )
    result = parse_beneficiary_grid(read_grid(m.path), ctx)
    assert result.rejected == []
    assert [r.sheet_row for r in result.records] == m.data_rows == [3, 4, 7, 8]


# ------------------------------------------------------------------------- personal ID rules


def test_lost_leading_zeros_restored_when_valid(ctx: ParseContext) -> None:
    result = parse(
        [person(1, pid=8050000001), person(2, pid="8050000002"), person(3, pid=8050000003.0)], ctx
    )
    assert [r.personal_id for r in result.records] == [
        "008050000001",
        "008050000002",
        "008050000003",
    ]


def test_lost_leading_zeros_rejected_when_not_valid(ctx: ParseContext) -> None:
    issue = only_issue(parse([person(1, pid=99050000001)], ctx))
    assert issue.code == "pid_length"
    assert issue.value == "99050000001"
    assert issue.column == "Số CCCD"
    assert issue.message_en == (
        "Row 2, column 'Số CCCD': value '99050000001' \u2014 expected 12 digits"
    )


def test_scientific_notation_id_rejected(ctx: ParseContext) -> None:
    issue = only_issue(parse([person(1, pid="8.05E+09")], ctx))
    assert issue.code == "pid_not_digits"
    assert issue.value == "8.05E+09"


def test_pid_sex_and_year_mismatch(ctx: ParseContext) -> None:
    result = parse(
        [
            person(1, pid="008150000001"),  # female digit, sex Nam
            person(2, pid="008051000002"),  # year 1951, born 1950
            person(3, pid="008250000003"),  # 2050: wrong century
            person(4, pid="008050000004", birth="1950"),  # year-only birth still checked: fine
        ],
        ctx,
    )
    codes = [[i.code for i in r.issues] for r in result.rejected]
    assert codes == [["pid_sex_mismatch"], ["pid_year_mismatch"], ["pid_year_mismatch"]]
    assert [r.sheet_row for r in result.rejected] == [2, 3, 4]
    assert result.rejected[1].issues[0].expected == (
        "digits 4-6 matching birth year 1950 (found 1951)"
    )
    assert [r.sheet_row for r in result.records] == [5]
    assert result.records[0].birth_precision == "Y"


def test_unknown_province_is_a_warning(ctx: ParseContext) -> None:
    result = parse([person(1, pid="003050000001"), person(2, pid="840050000002")], ctx)
    assert result.rejected == []
    assert [r.personal_id for r in result.records] == ["003050000001", "840050000002"]
    warning = result.records[0].warnings[0]
    assert (warning.code, warning.severity, warning.sheet_row) == (
        "pid_unknown_province",
        "warning",
        2,
    )
    assert [w.code for w in result.issues] == ["pid_unknown_province", "pid_unknown_province"]


def test_identity_missing_and_si_only(ctx: ParseContext) -> None:
    result = parse([person(1, pid=None), person(2, pid=None, si=801234567)], ctx)
    issue = result.rejected[0].issues[0]
    assert (issue.code, issue.sheet_row, issue.column) == ("identity_missing", 2, "Số CCCD")
    rec = result.records[0]
    assert (rec.personal_id, rec.si_number, rec.identity_key) == (
        None,
        "0801234567",
        "si:0801234567",
    )


def test_invalid_si_number_rejected(ctx: ParseContext) -> None:
    issue = only_issue(parse([person(1, pid=None, si="12345")], ctx))
    assert issue.code == "si_number_invalid"
    assert issue.column == "Mã số BHXH"


# ----------------------------------------------------------------------------- duplicates


def test_duplicates_in_file(ctx: ParseContext) -> None:
    result = parse(
        [
            person(1, pid="008050000001"),
            person(2, pid="008050000001", benefit="MONTHLY_ALLOWANCE"),  # other benefit: fine
            person(3, pid=8050000001),  # same person (zeros lost) and benefit as row 2
            person(4, pid=None, si="0801234567"),
            person(5, pid=None, si=801234567),  # same SI number as row 5
        ],
        ctx,
    )
    assert [r.sheet_row for r in result.records] == [2, 3, 5]
    dups = [(r.sheet_row, r.issues[0].code, r.issues[0].expected) for r in result.rejected]
    assert dups == [
        (4, "duplicate_in_file", "unique; same person and benefit as row 2"),
        (6, "duplicate_in_file", "unique; same person and benefit as row 5"),
    ]


def test_rejected_row_does_not_count_as_first_occurrence(ctx: ParseContext) -> None:
    result = parse([person(1, amount="abc"), person(2)], ctx)
    assert [r.sheet_row for r in result.rejected] == [2]
    assert [r.sheet_row for r in result.records] == [3]


# -------------------------------------------------------------------------- special rows


def test_totals_blank_numbering_and_footer_rows(ctx: ParseContext) -> None:
    rows: list[list[object]] = [
        [f"({n})" for n in range(1, 12)],
        person(1),
        [None] * 11,
        ["", "  ", None, None, None, None, None, None, None, None, None],
        person(2),
        [None, "Cộng xã Thượng Lâm", None, None, None, None, None, None, None, 3000000, None],
        person(3),
        ["Tổng cộng", None, None, None, None, None, None, None, None, 4500000, None],
        [None, None, None, None, None, "Tuyên Quang, ngày 14 tháng 01 năm 2025"] + [None] * 5,
        [None, "NGƯỜI LẬP BIỂU", None, None, None, "GIÁM ĐỐC"] + [None] * 5,
        [None, "Nguyễn Thị Lan"] + [None] * 9,
    ]
    result = parse(rows, ctx)
    assert result.rejected == []
    assert [(r.sheet_row, r.data_row) for r in result.records] == [(3, 1), (6, 2), (8, 3)]
    assert result.total_rows == 3


def test_totals_in_name_column(ctx: ParseContext) -> None:
    rows = [
        person(1),
        [None, "TỔNG CỘNG:", None, None, None, None, None, None, None, 1500000, None],
    ]
    result = parse(rows, ctx)
    assert result.rejected == [] and len(result.records) == 1


def test_person_named_tong_is_not_a_totals_row(ctx: ParseContext) -> None:
    result = parse(
        [
            person(1, name="Tống Văn Bình", pid=None),
            person(2, name="Công Thị Lan", pid="008150000002", sex="Nữ"),
        ],
        ctx,
    )
    assert [(r.sheet_row, r.issues[0].code) for r in result.rejected] == [(2, "identity_missing")]
    assert [r.full_name for r in result.records] == ["Công Thị Lan"]


def test_column_number_row_plain_digits(ctx: ParseContext) -> None:
    rows = [list(range(1, 12)), person(1)]
    result = parse(rows, ctx)
    assert result.rejected == []
    assert [r.sheet_row for r in result.records] == [3]


# -------------------------------------------------------------------------- field rules


@pytest.mark.parametrize(
    ("commune", "code"),
    [
        ("Xã Thượng Lâm", "02269"),
        ("xã thượng lâm", "02269"),
        ("Thượng Lâm", "02269"),
        (unicodedata.normalize("NFD", "XÃ THƯỢNG LÂM"), "02269"),
        ("02269", "02269"),
        (2269, "02269"),
        (2269.0, "02269"),
        ("2269", "02269"),
        ("Phường Minh Xuân", "02270"),
        ("P. Minh Xuân", "02270"),
        ("Xã Minh Xuân", "02275"),
        ("Đặc khu Côn Đảo", "02299"),
        ("Côn Đảo", "02299"),
        ("Thị trấn Thượng Lâm", "02269"),
    ],  # prefix ignored if unique
)
def test_commune_resolution(ctx: ParseContext, commune: object, code: str) -> None:
    result = parse([person(1, commune=commune)], ctx)
    assert result.rejected == []
    assert result.records[0].commune_code == code


@pytest.mark.parametrize(
    ("commune", "code"),
    [
        ("Minh Xuân", "commune_ambiguous"),
        ("Xã Không Có", "commune_unknown"),
        ("99999", "commune_unknown"),
        (12, "commune_unknown"),
        ("TT Minh Xuân", "commune_ambiguous"),
    ],
)
def test_commune_errors(ctx: ParseContext, commune: object, code: str) -> None:
    issue = only_issue(parse([person(1, commune=commune)], ctx))
    assert issue.code == code
    assert issue.column == "Xã/Phường"
    if code == "commune_ambiguous":
        assert "02270" in issue.expected and "02275" in issue.expected


@pytest.mark.parametrize(
    "benefit",
    [
        "PENSION",
        "pension",
        "Lương hưu",
        "LƯƠNG HƯU",
        unicodedata.normalize("NFD", "lương hưu"),
        "Hưu trí",
    ],
)
def test_benefit_labels(ctx: ParseContext, benefit: str) -> None:
    assert parse([person(1, benefit=benefit)], ctx).records[0].benefit_type == "PENSION"


def test_benefit_unknown(ctx: ParseContext) -> None:
    issue = only_issue(parse([person(1, benefit="Trợ cấp khác")], ctx))
    assert issue.code == "benefit_unknown"
    assert issue.expected.startswith("one of PENSION (Lương hưu), MONTHLY_ALLOWANCE")


def test_birth_date_rules(ctx: ParseContext) -> None:
    result = parse(
        [
            person(1, birth="01/07/2025", pid="008325000001", sex="Nữ"),  # tomorrow+: future
            person(2, birth="1889"),
            person(3, birth="03/1950"),
            person(4, birth=date(1950, 5, 6)),
            person(5, birth=datetime(1950, 5, 6, 0, 0)),
            person(6, birth=18265),
        ],
        ctx,
    )
    assert [(r.sheet_row, [i.code for i in r.issues]) for r in result.rejected] == [
        (2, ["date_future"]),
        (3, ["date_too_old"]),
    ]
    assert [(r.birth_date, r.birth_precision) for r in result.records] == [
        (date(1950, 3, 1), "M"),
        (date(1950, 5, 6), "D"),
        (date(1950, 5, 6), "D"),
        (date(1950, 1, 2), "D"),
    ]


def test_required_values_missing(ctx: ParseContext) -> None:
    row = person(1, name=" ", birth=None, sex="", commune=None, benefit=None, amount=None)
    result = parse([row], ctx)
    codes = [(i.column, i.code) for i in result.rejected[0].issues]
    assert codes == [
        ("Họ và tên", "full_name_missing"),
        ("Ngày sinh", "value_missing"),
        ("Giới tính", "value_missing"),
        ("Xã/Phường", "value_missing"),
        ("Loại chế độ", "value_missing"),
        ("Mức hưởng", "value_missing"),
    ]


def test_several_errors_on_one_row_and_codes_are_listed(ctx: ParseContext) -> None:
    row = person(1, name="12345", sex="X", amount="1,5", start="13/2020", pid="0080500000")
    result = parse([row], ctx)
    issues = result.rejected[0].issues
    assert [i.code for i in issues] == [
        "name_invalid",
        "sex_invalid",
        "pid_length",
        "amount_fraction",
        "month_invalid",
    ]
    assert all(i.code in ISSUE_CODES for i in issues)
    assert result.rejected[0].cells == row
    assert result.rejected[0].data_row == 1


def test_bad_phone_is_a_warning_and_dropped(ctx: ParseContext) -> None:
    result = parse([person(1, phone="0123")], ctx)
    rec = result.records[0]
    assert rec.phone is None
    assert [(w.code, w.severity, w.value) for w in rec.warnings] == [
        ("phone_invalid", "warning", "0123")
    ]


def test_phone_lost_zero_and_amount_number(ctx: ParseContext) -> None:
    rec = parse([person(1, phone=912345678, amount=2500000.0)], ctx).records[0]
    assert (rec.phone, rec.monthly_amount) == ("+84912345678", 2500000)


def test_optional_columns_absent(ctx: ParseContext) -> None:
    header = ["Họ tên", "Năm sinh", "Giới tính", "CCCD", "Mã xã", "Chế độ", "Số tiền"]
    rows: list[list[object]] = [
        ["Lê Thị Bích", 1948, "Nữ", "001148000123", "02281", "LUMP_SUM", 12000000]
    ]
    rec = parse(rows, ctx, header).records[0]
    assert (rec.birth_date, rec.birth_precision, rec.commune_code, rec.benefit_type) == (
        date(1948, 1, 1),
        "Y",
        "02281",
        "LUMP_SUM",
    )
    assert (rec.address, rec.phone, rec.start_month, rec.si_number, rec.old_id) == (
        None,
        None,
        None,
        None,
        None,
    )


def test_header_errors(ctx: ParseContext) -> None:
    with pytest.raises(HeaderError) as info:
        parse([person(1)], ctx, ["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Số CCCD"])
    assert info.value.missing == ["commune", "benefit_type", "monthly_amount"]
    no_identity = ["Họ và tên", "Ngày sinh", "Giới tính", "Xã", "Chế độ", "Mức hưởng"]
    with pytest.raises(HeaderError) as info2:
        parse([], ctx, no_identity)
    assert info2.value.missing == ["personal_id", "si_number"]


# ------------------------------------------------------------------------- error workbook


def test_error_workbook(tmp_path: Path, ctx: ParseContext) -> None:
    import openpyxl

    rows = [
        person(1, pid=99050000001),
        person(2),
        person(3, sex="X", amount="1,5", birth=date(1950, 1, 2)),
    ]
    result = parse(rows, ctx)
    out = tmp_path / "errors.xlsx"
    write_error_workbook(out, HEADER, result.rejected)
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values[0] == ["Dòng", *HEADER, "Lý do từ chối"]
    assert values[1][:6] == [2, 1, "Nguyễn Văn An", "02/01/1950", "Nam", 99050000001]
    assert values[1][-1] == (
        "Row 2, column 'Số CCCD': value '99050000001' \u2014 expected 12 digits"
    )
    assert values[2][0] == 4
    assert values[2][3] == datetime(1950, 1, 2)
    assert values[2][-1] == (
        "Row 4, column 'Giới tính': value 'X' \u2014 expected Nam or Nữ; "
        "Row 4, column 'Mức hưởng': value '1,5' \u2014 expected a whole positive amount in "
        "đồng, e.g. 1.500.000"
    )
    assert len(values) == 3
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == "A1:M3"
    assert ws["A1"].font.bold is True


def test_error_workbook_custom_reasons(tmp_path: Path) -> None:
    import openpyxl

    rejected = [
        RejectedRow(
            7,
            3,
            ["x", None, 5],
            [
                Issue(7, "A", "x", "c1", {"expected": "e1"}),
                Issue(7, "B", "", "c2", {"expected": "e2"}),
            ],
        )
    ]
    out = tmp_path / "e.xlsx"
    write_error_workbook(
        out, ["A", "B"], rejected, reason_header="Why", reasons=lambda i: f"{i.code}!"
    )
    ws = openpyxl.load_workbook(out).active
    assert ws is not None
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    assert values == [["Dòng", "A", "B", "", "Why"], [7, "x", None, 5, "c1!; c2!"]]


# ---------------------------------------------------------------------------- performance


def test_parse_many_rows(ctx: ParseContext) -> None:
    """A large list parses whole (its speed is measured by bench/import_bench.py, not here)."""
    communes = list(SAMPLE_COMMUNES.values())
    rows: list[list[object]] = []
    for i in range(20_000):
        male = i % 2 == 0
        year = 1930 + i % 60
        pid = f"008{0 if male else 1}{year % 100:02d}{i:06d}"
        rows.append(
            [
                i + 1,
                f"Nguyễn Văn Đức {i}",
                datetime(year, 1 + i % 12, 1 + i % 28),
                "Nam" if male else "Nữ",
                int(pid) if i % 2 else pid,
                f"{i:010d}",
                communes[i % len(communes)],
                912000000 + i,
                "Lương hưu",
                1_500_000 + i % 500 * 1000,
                "01/2020",
            ]
        )
    result = parse(rows, ctx)
    assert len(result.records) == 20_000
    assert result.rejected == []
