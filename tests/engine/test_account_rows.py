"""Tests for chitra.engine.rows.account (provider account confirmation files)."""

from __future__ import annotations

import csv
import re
import time
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path

import pytest

import chitra
from chitra.engine.rows.account import (
    ACCOUNT_FIELDS,
    ACCOUNT_ISSUE_CODES,
    DUPLICATE_PREFIX,
    AccountParseResult,
    AccountRecord,
    ProviderRef,
    parse_account_grid,
    parse_account_number,
)
from chitra.engine.rows.beneficiary import Issue
from chitra.engine.sheets.headers import HeaderError
from chitra.engine.sheets.reading import Grid, read_grid
from chitra.engine.sheets.values import ValueProblem
from tests.engine.spreadsheets import make_messy_sheet

TODAY = date(2025, 6, 1)
NAPAS_CSV = Path(chitra.__file__).parent / "payment_methods" / "data" / "napas-banks.csv"
HEADER = [
    "STT",
    "Số CCCD",
    "Họ và tên",
    "Ngân hàng",
    "Số tài khoản",
    "Nhà cung cấp",
    "Số điện thoại",
    "Số ví",
    "Tên chủ tài khoản",
    "Trạng thái",
]
AGRIBANK, VCB, BIDV, MOMO = "970405", "970436", "970418", "971025"


def load_providers() -> list[ProviderRef]:
    """Banks from the NAPAS CSV (971xxx BINs are e-wallets), plus mobile money and the post."""
    refs: list[ProviderRef] = []
    with NAPAS_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if not row["bin"]:
                continue
            names = [
                n for n in (row["code"], row["short_name"], row["name"], row["swift_code"]) if n
            ]
            if row["bin"].startswith("971"):
                refs.append(ProviderRef(row["bin"], "ewallet", [*names[:2], "Ví MoMo"]))
            else:
                refs.append(ProviderRef(row["bin"], "bank", names))
    refs += [
        ProviderRef("VIETTELMONEY", "mobile_money", ["Viettel Money", "Viettel"]),
        ProviderRef("VNPTMONEY", "mobile_money", ["VNPT Money", "VNPT"]),
        ProviderRef("MOBIFONEMONEY", "mobile_money", ["MobiFone Money", "MobiFone"]),
        ProviderRef("VNPOST", "post", ["Vietnam Post", "Bưu điện Việt Nam", "PostPay"]),
    ]
    return refs


PROVIDERS = load_providers()


def row(n: int = 1, **over: object) -> list[object]:
    base: dict[str, object] = {
        "stt": n,
        "pid": f"008050{n:06d}",
        "name": "Nguyễn Văn An",
        "bank": "Agribank",
        "account": f"1000{n:08d}",
        "provider": None,
        "phone": None,
        "wallet": None,
        "holder": "NGUYEN VAN AN",
        "status": "Hoạt động",
    }
    base.update(over)
    return list(base.values())


def mm(n: int = 1, **over: object) -> list[object]:
    """A mobile money row."""
    values: dict[str, object] = {
        "bank": None,
        "account": None,
        "provider": "Viettel Money",
        "phone": f"0912{n:06d}",
    }
    values.update(over)
    return row(n, **values)


def parse(
    rows: Sequence[Sequence[object]],
    header: list[str] | None = None,
    providers: Sequence[ProviderRef] = PROVIDERS,
) -> AccountParseResult:
    return parse_account_grid(
        Grid([list(header or HEADER), *[list(r) for r in rows]]), providers, today=TODAY
    )


def only_issue(result: AccountParseResult) -> Issue:
    assert len(result.rejected) == 1, [i.message_en for r in result.rejected for i in r.issues]
    issues = result.rejected[0].issues
    assert len(issues) == 1, [i.message_en for i in issues]
    return issues[0]


# --------------------------------------------------------------------- files, every format

# make_messy_sheet groups (full_name, birth_date, sex) under one label in a two-row header:
# account fields are written into those slots and labelled as account columns.
SLOTS = {"holder_name": "birth_date", "bank": "sex"}
COLUMNS = [
    "stt",
    "full_name",
    "holder_name",
    "bank",
    "personal_id",
    "provider",
    "account_number",
    "phone",
    "wallet_id",
    "status",
]
LABELS = {
    "full_name": "Họ và tên",
    "holder_name": "Tên chủ\ntài khoản",
    "bank": "Ngân hàng",
    "personal_id": "Số định danh\ncá nhân (*)",
    "provider": "Nhà cung cấp",
    "account_number": "Số tài khoản",
    "phone": "SĐT",
    "wallet_id": "Số ví",
    "status": "Tình trạng",
}


def write_accounts(
    path: Path, rows: Sequence[Mapping[str, object]], **kwargs: object
) -> tuple[Path, list[int]]:
    slot = [SLOTS.get(c, c) for c in COLUMNS]
    labels = {SLOTS.get(k, k): v for k, v in LABELS.items()}
    data = [{SLOTS.get(k, k): v for k, v in r.items()} for r in rows]
    m = make_messy_sheet(path, data, columns=slot, labels=labels, **kwargs)  # type: ignore[arg-type]
    return m.path, m.data_rows


FILE_ROWS: list[dict[str, object]] = [
    {
        "full_name": "Nguyễn Văn Đức",
        "holder_name": "NGUYEN VAN DUC",
        "bank": "Agribank",
        "personal_id": "008040000001",
        "account_number": "0071000123456",
        "phone": "0912300001",
        "status": "Hoạt động",
    },
    {
        "full_name": "Trần Thị Hoà",
        "holder_name": "Trần Thị Hoà",
        "bank": 970436,
        "personal_id": "008147000002",
        "account_number": 123456789012,
    },
    {
        "full_name": "Lê Văn Thuỷ",
        "holder_name": "LE VAN THUY",
        "provider": "Viettel Money",
        "personal_id": "008045000003",
        "phone": "0987000003",
        "status": "Đang hoạt động",
    },
    {
        "full_name": "Phạm Thị Ánh",
        "holder_name": "PHAM THI ANH",
        "provider": "Ví MoMo",
        "personal_id": "008150000004",
        "wallet_id": "MM0004",
        "status": "Đã đóng",
    },
    {
        "full_name": "Hoàng Văn Đạt",
        "holder_name": "HOANG VAN DAT",
        "bank": "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam",
        "personal_id": "008060000005",
        "account_number": "2100 0123 4567",
    },
    {
        "full_name": "Vũ Thị Lụa",
        "holder_name": "VU THI LUA",
        "bank": "VCB",
        "personal_id": "008158000006",
        "account_number": "9876543210",
    },
]


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
def test_messy_file_every_format(tmp_path: Path, fmt: str, encoding: str) -> None:
    path, data_rows = write_accounts(
        tmp_path / f"tk.{fmt}",
        FILE_ROWS,
        fmt=fmt,
        encoding=encoding,
        two_row_header=True,
        title_lines=True,
        totals_row=True,
        blank_rows=True,
        nfd=True,
        ids_as_numbers=True,
        leading_blank_rows=2,
        column_number_row=True,
        signature_block=True,
    )
    result = parse_account_grid(read_grid(path), PROVIDERS, today=TODAY)
    assert result.rejected == [], [i.message_en for i in result.issues]
    assert result.header.header_rows == (6, 7)
    assert [r.sheet_row for r in result.records] == data_rows == [10, 12, 13, 14, 16, 17]
    assert [r.data_row for r in result.records] == [1, 2, 3, 4, 5, 6]
    assert result.total_rows == 6
    first = result.records[0]
    assert first == AccountRecord(
        sheet_row=10,
        data_row=1,
        personal_id="008040000001",
        provider_code=AGRIBANK,
        provider_kind="bank",
        method="BANK_ACCOUNT",
        account_number="0071000123456",
        phone="+84912300001",
        wallet_id=None,
        holder_name="NGUYEN VAN DUC",
        holder_folded="NGUYEN VAN DUC",
        status="active",
        full_name="Nguyễn Văn Đức",
        warnings=[],
    )
    by_row = {r.data_row: r for r in result.records}
    second = by_row[2]
    assert second.personal_id == "008147000002"  # restored from the number 8147000002
    assert (second.provider_code, second.account_number) == (VCB, "123456789012")
    assert second.holder_name == "Trần Thị Hoà"
    assert unicodedata.is_normalized("NFC", second.holder_name)
    assert second.holder_folded == "TRAN THI HOA"
    third = by_row[3]
    assert (third.provider_code, third.method, third.phone) == (
        "VIETTELMONEY",
        "MOBILE_MONEY",
        "+84987000003",
    )  # phone lost its 0 as a number
    fourth = by_row[4]
    assert (fourth.provider_code, fourth.method, fourth.wallet_id, fourth.status) == (
        MOMO,
        "EWALLET",
        "MM0004",
        "closed",
    )
    assert (by_row[5].provider_code, by_row[5].account_number) == (BIDV, "210001234567")
    assert by_row[6].provider_code == VCB


def test_one_row_header_plain_labels(tmp_path: Path) -> None:
    path, data_rows = write_accounts(tmp_path / "p.xlsx", FILE_ROWS[:3], fmt="xlsx")
    result = parse_account_grid(read_grid(path), PROVIDERS, today=TODAY)
    assert result.rejected == []
    assert [r.sheet_row for r in result.records] == data_rows == [2, 3, 4]
    assert result.header.labels["holder_name"] == "Tên chủ tài khoản"
    assert result.header.labels["phone"] == "SĐT"


def test_repeated_header_rows_are_skipped(tmp_path: Path) -> None:
    path, data_rows = write_accounts(
        tmp_path / "r.xls", FILE_ROWS, fmt="xls", repeat_header_every=2, two_row_header=True
    )
    result = parse_account_grid(read_grid(path), PROVIDERS, today=TODAY)
    assert result.rejected == []
    assert [r.sheet_row for r in result.records] == data_rows == [3, 4, 7, 8, 11, 12]


def test_csv_with_semicolons(tmp_path: Path) -> None:
    path, data_rows = write_accounts(
        tmp_path / "s.csv", FILE_ROWS[:2], fmt="csv", delimiter=";", title_lines=True
    )
    result = parse_account_grid(read_grid(path), PROVIDERS, today=TODAY)
    assert result.rejected == []
    assert [r.sheet_row for r in result.records] == data_rows == [6, 7]
    assert result.records[0].account_number == "0071000123456"


def test_rejected_rows_keep_excel_row_numbers(tmp_path: Path) -> None:
    rows = [dict(r) for r in FILE_ROWS]
    rows[2]["phone"] = "12345"
    rows[4]["bank"] = "Ngân hàng Không Tồn Tại"
    path, data_rows = write_accounts(
        tmp_path / "e.xlsx", rows, fmt="xlsx", title_lines=True, blank_rows=True
    )
    result = parse_account_grid(read_grid(path), PROVIDERS, today=TODAY)
    assert [(r.sheet_row, r.data_row) for r in result.rejected] == [
        (data_rows[2], 3),
        (data_rows[4], 5),
    ]
    assert [i.code for i in result.issues] == ["phone_invalid", "provider_unknown"]
    assert result.issues[0].column == "SĐT"
    assert result.issues[1].value == "Ngân hàng Không Tồn Tại"
    assert result.rejected[0].cells[COLUMNS.index("phone")] == 12345  # xlsx text read as int


# ------------------------------------------------------------------------------ layouts


def test_title_lines_two_row_header_totals_and_footer_in_memory() -> None:
    grid = Grid(
        [
            ["NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN VIỆT NAM"],
            ["DANH SÁCH XÁC NHẬN TÀI KHOẢN NGƯỜI HƯỞNG"],
            [],
            ["STT", "Số CCCD", "Thông tin tài khoản", None, None, "Trạng thái"],
            [None, None, "Ngân hàng", "Số tài khoản", "Tên chủ tài khoản", None],
            ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)"],
            [1, "008050000001", "Agribank", "1000001", "NGUYEN VAN AN", "Hoạt động"],
            [None, None, None, None, None, None],
            [2, "008050000002", "VCB", "1000002", "TRAN VAN BINH", None],
            [3],  # a pre-numbered template row left empty
            ["Cộng trang 1", None, None, None, None, None],
            ["STT", "Số CCCD", "Thông tin tài khoản", None, None, "Trạng thái"],
            [None, None, "Ngân hàng", "Số tài khoản", "Tên chủ tài khoản", None],
            [4, "008050000004", "BIDV", "1000004", "LE VAN CUONG", "active"],
            ["Tổng cộng: 3 người", None, None, None, None, None],
            [None, "Người lập biểu", None, None, "Giám đốc chi nhánh", None],
            [None, None, None, None, "Nguyễn Thị Lan", None],
        ]
    )
    result = parse_account_grid(grid, PROVIDERS, today=TODAY)
    assert result.rejected == [], [i.message_en for i in result.issues]
    assert [r.sheet_row for r in result.records] == [7, 9, 14]
    assert [r.provider_code for r in result.records] == [AGRIBANK, VCB, BIDV]
    assert result.total_rows == 3
    assert result.header.header_rows == (3, 4)


def test_nfd_and_messy_text_are_cleaned() -> None:
    holder = unicodedata.normalize("NFD", "  Nguyễn   Thị\u00a0Hoà ")
    result = parse(
        [
            row(
                1,
                holder=holder,
                bank=unicodedata.normalize("NFD", "Ngân hàng Á Châu"),
                name=unicodedata.normalize("NFD", "Nguyễn Thị Hoà"),
            )
        ]
    )
    rec = result.records[0]
    assert rec.holder_name == "Nguyễn Thị Hoà"
    assert rec.holder_folded == "NGUYEN THI HOA"
    assert rec.full_name == "Nguyễn Thị Hoà"
    assert rec.provider_code == "970416"


def test_header_aliases() -> None:
    header = [
        "TT",
        "Số định danh cá nhân",
        "Tên khách hàng",
        "Mã ngân hàng",
        "STK",
        "Chủ tài khoản",
        "Tình trạng",
    ]
    result = parse(
        [[1, "008050000001", "Nguyễn Văn An", 970405, 123456, "NGUYEN VAN AN", "Đóng"]],
        header=header,
    )
    rec = result.records[0]
    assert (rec.provider_code, rec.account_number, rec.status) == (AGRIBANK, "123456", "closed")
    assert rec.full_name == "Nguyễn Văn An"


def test_holder_column_next_to_a_full_name_column() -> None:
    header = [
        "STT",
        "Họ và tên",
        "Số CCCD",
        "Tên ngân hàng",
        "Số tài khoản ngân hàng",
        "Họ và tên chủ tài khoản",
    ]
    result = parse(
        [[1, "Nguyễn Văn An", "008050000001", "VCB", "0011001234567", "NGUYEN VAN AN"]],
        header=header,
    )
    rec = result.records[0]
    assert (rec.full_name, rec.holder_name) == ("Nguyễn Văn An", "NGUYEN VAN AN")
    assert result.header.columns["holder_name"] == 5


def test_provider_only_file_with_wallet_ids() -> None:
    header = ["STT", "CCCD", "Ví điện tử", "Mã ví", "Tên tài khoản"]
    result = parse([[1, "008050000001", "MoMo", "abc.123", "NGUYEN VAN AN"]], header=header)
    rec = result.records[0]
    assert (rec.provider_code, rec.method, rec.wallet_id, rec.phone) == (
        MOMO,
        "EWALLET",
        "abc.123",
        None,
    )
    assert rec.address == "abc.123"


def test_missing_columns_raise_header_error() -> None:
    with pytest.raises(HeaderError) as exc:
        parse([], header=["STT", "Số CCCD", "Ngân hàng", "Số tài khoản"])
    assert exc.value.missing == ["holder_name"]
    with pytest.raises(HeaderError) as exc:
        parse([], header=["STT", "Số CCCD", "Ngân hàng", "Tên chủ tài khoản"])
    assert exc.value.missing == ["account_number"]
    with pytest.raises(HeaderError) as exc:
        parse([], header=["STT", "Số CCCD", "Nhà cung cấp", "Tên chủ tài khoản"])
    assert exc.value.missing == ["phone", "wallet_id"]
    with pytest.raises(HeaderError) as exc:
        parse([], header=["STT", "Số CCCD", "Họ và tên", "Tên chủ tài khoản"])
    assert exc.value.missing == ["bank", "account_number"]
    assert "Số tài khoản" in exc.value.message


# ------------------------------------------------------------------ lost zeros, numbers


def test_personal_ids_that_lost_leading_zeros() -> None:
    result = parse([row(1, pid=8050000001), row(2, pid="8050000002"), row(3, pid=8050000003.0)])
    assert [r.personal_id for r in result.records] == [
        "008050000001",
        "008050000002",
        "008050000003",
    ]


def test_phones_that_lost_leading_zero() -> None:
    result = parse(
        [
            mm(1, phone=912000001),
            mm(2, phone="912000002"),
            mm(3, phone=912000003.0),
            mm(4, phone="+84 912 000 004"),
            mm(5, phone="0912.000.005"),
        ]
    )
    assert [r.phone for r in result.records] == [
        "+84912000001",
        "+84912000002",
        "+84912000003",
        "+84912000004",
        "+84912000005",
    ]


@pytest.mark.parametrize(
    ("cell", "digits"),
    [
        (123456789012, "123456789012"),
        (123456789012.0, "123456789012"),
        ("0071000123456", "0071000123456"),
        ("0071 0001 23456", "0071000123456"),
        ("0071-000-123456", "0071000123456"),
        ("0071.000.123456", "0071000123456"),
        ("'0071000123456", "0071000123456"),
        ("123456789012.0", "123456789012"),
        ("123456", "123456"),
        ("1234567890123456789", "1234567890123456789"),
        (999999999999999, "999999999999999"),
    ],
)
def test_account_number_kept_as_digits(cell: object, digits: str) -> None:
    assert parse_account_number(cell) == digits


@pytest.mark.parametrize(
    "cell",
    [
        "1.23456789012E+11",
        "1,23457E+11",
        "1.23457e11",
        1.5,
        -1234567,
        12345,
        "12345",
        "12345678901234567890",
        1234567890123456,
        12345678901234567890,
        "0071A00123",
        "",
        True,
        None,
        date(2020, 1, 1),
        float("nan"),
        "１２３４５６７",
    ],
)
def test_account_number_rejected(cell: object) -> None:
    with pytest.raises(ValueProblem) as exc:
        parse_account_number(cell)
    assert exc.value.code == "account_invalid"


def test_account_number_messages() -> None:
    issue = only_issue(parse([row(1, account="1.23456789012E+11")]))
    assert issue.code == "account_invalid"
    assert issue.column == "Số tài khoản"
    assert issue.value == "1.23456789012E+11"
    assert "scientific notation" in issue.expected
    issue = only_issue(parse([row(1, account=1234567890123456)]))
    assert "15 digits" in issue.expected
    issue = only_issue(parse([row(1, account=12345678.5)]))
    assert issue.expected == "a bank account number of 6 to 19 digits"
    issue = only_issue(parse([mm(1, phone=None, wallet=10**16)]))
    assert (issue.code, issue.column) == ("wallet_invalid", "Số ví")
    assert "15 digits" in issue.expected
    issue = only_issue(parse([row(1, account="12345")]))
    assert issue.expected == "a bank account number of 6 to 19 digits"
    assert issue.message_en == (
        "Row 2, column 'Số tài khoản': value '12345' \u2014 expected "
        "a bank account number of 6 to 19 digits"
    )


# --------------------------------------------------------------------- provider resolution


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("970405", AGRIBANK),
        (970405, AGRIBANK),
        (970405.0, AGRIBANK),
        (" 970405 ", AGRIBANK),
        ("AGRIBANK", AGRIBANK),
        ("Agribank", AGRIBANK),
        ("agribank", AGRIBANK),
        ("Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam", AGRIBANK),
        ("NH Nông nghiệp và Phát triển Nông thôn Việt Nam", AGRIBANK),
        ("NGAN HANG NONG NGHIEP VA PHAT TRIEN NONG THON VIET NAM", AGRIBANK),
        ("VBAAVNVX", AGRIBANK),
        ("970405 - Agribank", AGRIBANK),
        ("970405 - NHNo", AGRIBANK),
        ("BID", BIDV),
        ("BIDV", BIDV),
        ("Ngân hàng TMCP Đầu tư và Phát triển Việt Nam", BIDV),
        ("Ngân hàng Đầu tư và Phát triển Việt Nam", BIDV),
        ("Vietcombank", VCB),
        ("VCB", VCB),
        ("NH TMCP Ngoại thương Việt Nam", VCB),
        ("Ngoại Thương Việt Nam", VCB),
        ("Vietin Bank", "970415"),
        ("VietinBank", "970415"),
        ("CTG", "970415"),
        ("MB", "970422"),
        ("MB Bank", "970422"),
        ("MBBank", "970422"),
        ("Á Châu", "970416"),
        ("NH Á Châu", "970416"),
        ("Ngân hàng Thương mại cổ phần Á Châu", "970416"),
        ("Sài Gòn", "970429"),
        ("SaigonBank", "970400"),
        ("LPBank", "970449"),
        ("LienVietPostBank", "970449"),
        ("Bưu Điện Liên Việt", "970449"),
        (unicodedata.normalize("NFD", "Ngân hàng TMCP Kỹ thương Việt Nam"), "970407"),
    ],
)
def test_bank_resolution(cell: object, code: str) -> None:
    result = parse([row(1, bank=cell)])
    assert result.rejected == [], [i.message_en for i in result.issues]
    assert result.records[0].provider_code == code
    assert result.records[0].method == "BANK_ACCOUNT"


@pytest.mark.parametrize(
    ("cell", "code", "method", "kind"),
    [
        ("Viettel Money", "VIETTELMONEY", "MOBILE_MONEY", "mobile_money"),
        ("viettel", "VIETTELMONEY", "MOBILE_MONEY", "mobile_money"),
        ("VIETTELMONEY", "VIETTELMONEY", "MOBILE_MONEY", "mobile_money"),
        ("VNPT Money", "VNPTMONEY", "MOBILE_MONEY", "mobile_money"),
        ("Mobifone", "MOBIFONEMONEY", "MOBILE_MONEY", "mobile_money"),
        ("MoMo", MOMO, "EWALLET", "ewallet"),
        ("Ví MoMo", MOMO, "EWALLET", "ewallet"),
        ("Ví điện tử MoMo", MOMO, "EWALLET", "ewallet"),
        (971025, MOMO, "EWALLET", "ewallet"),
        ("Bưu điện Việt Nam", "VNPOST", "EWALLET", "post"),
    ],
)
def test_provider_resolution(cell: object, code: str, method: str, kind: str) -> None:
    result = parse([mm(1, provider=cell)])
    assert result.rejected == [], [i.message_en for i in result.issues]
    rec = result.records[0]
    assert (rec.provider_code, rec.method, rec.provider_kind) == (code, method, kind)
    assert rec.account_number is None


def test_same_bin_twice_is_not_ambiguous() -> None:
    # The NAPAS list carries LienVietPostBank and LPBank (renamed) under BIN 970449.
    assert sum(p.code == "970449" for p in PROVIDERS) == 2
    assert parse([row(1, bank="LPB")]).records[0].provider_code == "970449"


def test_unknown_bank() -> None:
    for cell in ("Ngân hàng ABC", "970999", 123, "NH"):
        issue = only_issue(parse([row(1, bank=cell)]))
        assert issue.code == "provider_unknown"
        assert issue.column == "Ngân hàng"
        assert issue.expected.startswith("a bank BIN (6 digits), code or name, e.g. 970425")


def test_ambiguous_names() -> None:
    providers = [
        *PROVIDERS,
        ProviderRef("999001", "bank", ["Ngân hàng Mới", "NHM"]),
        ProviderRef("999002", "bank", ["TMCP Mới", "Mới Bank"]),
    ]
    issue = only_issue(parse([row(1, bank="Mới")], providers=providers))
    assert issue.code == "provider_ambiguous"
    assert "999001, 999002" in issue.expected
    # the BIN or code still resolves
    assert parse([row(1, bank="NHM")], providers=providers).records[0].provider_code == "999001"
    assert parse([row(1, bank=999002)], providers=providers).records[0].provider_code == "999002"


def test_bin_and_name_that_disagree() -> None:
    issue = only_issue(parse([row(1, bank="970405 - Vietcombank")]))
    assert issue.code == "provider_ambiguous"
    assert "970405" in issue.expected


def test_wallet_in_bank_column_and_bank_in_provider_column() -> None:
    issue = only_issue(parse([row(1, bank="MoMo")]))
    assert issue.code == "provider_unknown"
    assert "this is an e-wallet: give it in column 'Nhà cung cấp'" in issue.expected
    issue = only_issue(parse([mm(1, provider="Agribank")]))
    assert issue.code == "provider_unknown"
    assert issue.column == "Nhà cung cấp"
    assert "this is a bank: give it in column 'Ngân hàng'" in issue.expected


# ------------------------------------------------------------------------ rejection codes


def codes(result: AccountParseResult) -> list[tuple[int, str]]:
    return [(i.sheet_row, i.code) for i in result.issues]


def test_personal_id_problems() -> None:
    result = parse(
        [
            row(1, pid=None),
            row(2, pid="  "),
            row(3, pid="00805000000"),
            row(4, pid="00805000000X"),
            row(5, pid="8.05E+09"),
            row(6, pid=99050000001),
        ]
    )
    assert codes(result) == [
        (2, "identity_missing"),
        (3, "identity_missing"),
        (4, "pid_length"),
        (5, "pid_not_digits"),
        (6, "pid_not_digits"),
        (7, "pid_length"),
    ]
    first = result.rejected[0].issues[0]
    assert (first.column, first.expected) == ("Số CCCD", "a personal ID (12 digits)")
    assert result.rejected[2].issues[0].expected == "12 digits"


def test_unknown_province_is_a_warning() -> None:
    result = parse([row(1, pid="840050000001")])
    rec = result.records[0]
    assert rec.personal_id == "840050000001"
    assert [(w.code, w.severity) for w in rec.warnings] == [("pid_unknown_province", "warning")]


def test_holder_missing_and_invalid() -> None:
    result = parse([row(1, holder=None), row(2, holder=" "), row(3, holder="12345")])
    assert codes(result) == [(2, "holder_missing"), (3, "holder_missing"), (4, "holder_invalid")]
    assert result.rejected[0].issues[0].column == "Tên chủ tài khoản"


def test_account_missing_and_invalid() -> None:
    result = parse([row(1, account=None), row(2, account="12-34"), row(3, account="ABC123456")])
    assert codes(result) == [(2, "account_missing"), (3, "account_invalid"), (4, "account_invalid")]


def test_method_unclear() -> None:
    result = parse(
        [
            row(1, provider="MoMo", phone="0912000001"),
            row(2, bank=None),
            row(3, bank=" ", provider=None),
        ]
    )
    assert codes(result) == [(2, "method_unclear"), (3, "method_unclear"), (4, "method_unclear")]
    both = result.rejected[0].issues[0]
    assert both.column == "Ngân hàng / Nhà cung cấp"
    assert both.value == "Agribank / MoMo"
    assert both.expected.endswith("not both")
    neither = result.rejected[1].issues[0]
    assert neither.value == ""
    assert not neither.expected.endswith("not both")


def test_phone_problems_for_a_provider() -> None:
    result = parse(
        [
            mm(1, phone="12345"),
            mm(2, phone=None),
            mm(3, phone="0212345678x"),
            mm(4, phone=None, wallet="bad wallet!"),
            mm(5, phone=None, wallet="1.2E+11"),
        ]
    )
    assert codes(result) == [
        (2, "phone_invalid"),
        (3, "phone_missing"),
        (4, "phone_invalid"),
        (5, "wallet_invalid"),
        (6, "wallet_invalid"),
    ]
    missing = result.rejected[1].issues[0]
    assert missing.column == "Số điện thoại / Số ví"
    assert missing.expected == "a phone number or a wallet ID"


def test_bad_phone_of_a_bank_account_is_a_warning() -> None:
    result = parse([row(1, phone="12345")])
    rec = result.records[0]
    assert rec.phone is None
    assert [(w.code, w.severity, w.column) for w in rec.warnings] == [
        ("phone_invalid", "warning", "Số điện thoại")
    ]
    assert [i.code for i in result.issues] == ["phone_invalid"]


def test_phone_and_wallet_both_kept() -> None:
    rec = parse([mm(1, provider="MoMo", wallet=912000001)]).records[0]
    assert (rec.phone, rec.wallet_id) == ("+84912000001", "912000001")


def test_status_values() -> None:
    values = [
        "Hoạt động",
        "hoat dong",
        "ACTIVE",
        "Đang hoạt động",
        None,
        "  ",
        "Đã đóng",
        "da dong.",
        "Closed",
        "Đóng",
        unicodedata.normalize("NFD", "Đã đóng"),
    ]
    result = parse([row(n + 1, status=v) for n, v in enumerate(values)])
    assert result.rejected == []
    assert [r.status for r in result.records] == ["active"] * 6 + ["closed"] * 5
    result = parse([row(1, status="Tạm khóa"), row(2, status=1)])
    assert codes(result) == [(2, "status_invalid"), (3, "status_invalid")]
    assert result.rejected[0].issues[0].column == "Trạng thái"


def test_duplicates_in_file() -> None:
    result = parse(
        [
            row(1, pid="008050000001", account="123456789"),
            row(2, pid="008050000001", account="987654321"),  # other account: fine
            row(3, pid=8050000001, account=123456789, bank=970405),  # same as row 2 (sheet)
            row(4, pid="008050000001", account="123456789", bank="VCB"),  # other bank: fine
            mm(5, pid="008050000005", phone="0912000005"),
            mm(6, pid="008050000005", phone=912000005, provider="viettel"),  # same as row 6
            mm(7, pid="008050000005", phone="0912000005", provider="MoMo"),  # other provider
            row(8, pid="008050000008", account="12"),  # rejected rows do not count
            row(9, pid="008050000008", account="12"),
        ]
    )
    dups = [i for i in result.issues if i.code == "duplicate_in_file"]
    assert [(i.sheet_row, i.column, i.value, i.expected) for i in dups] == [
        (4, "Số tài khoản", "123456789", "unique; same person, provider and account as row 2"),
        (7, "Số điện thoại", "912000005", "unique; same person, provider and account as row 6"),
    ]
    for issue in dups:  # parseable like the beneficiary import's message
        assert issue.expected.startswith(DUPLICATE_PREFIX)
        assert DUPLICATE_PREFIX.startswith("unique; same ")
        assert re.fullmatch(r"unique; same .+ as row (\d+)", issue.expected)
    assert len(result.records) == 5


def test_several_problems_on_one_row_are_all_reported() -> None:
    result = parse([row(1, pid="123", account="1", holder=None, status="?")])
    assert sorted(i.code for i in result.rejected[0].issues) == [
        "account_invalid",
        "holder_missing",
        "pid_length",
        "status_invalid",
    ]


def test_issue_codes_are_documented() -> None:
    emitted = {
        "identity_missing",
        "pid_not_digits",
        "pid_length",
        "pid_unknown_province",
        "method_unclear",
        "provider_unknown",
        "provider_ambiguous",
        "account_missing",
        "account_invalid",
        "phone_missing",
        "phone_invalid",
        "wallet_invalid",
        "holder_missing",
        "holder_invalid",
        "status_invalid",
        "duplicate_in_file",
    }
    assert emitted <= set(ACCOUNT_ISSUE_CODES)
    assert all(ACCOUNT_ISSUE_CODES.values())
    assert set(ACCOUNT_FIELDS) == {
        "stt",
        "personal_id",
        "full_name",
        "bank",
        "provider",
        "account_number",
        "phone",
        "wallet_id",
        "holder_name",
        "status",
    }


def test_rejected_row_carries_the_original_cells() -> None:
    cells = row(1, holder=None)
    result = parse([cells])
    assert result.rejected[0].cells == cells
    assert result.rejected[0].data_row == 1


# -------------------------------------------------------------------------------- scale


def test_fifty_thousand_rows() -> None:
    banks = ["Agribank", 970436, "BIDV", "Ngân hàng TMCP Công thương Việt Nam", "MB"]
    rows: list[list[object]] = []
    for n in range(1, 50_001):
        if n % 10 == 0:
            rows.append(mm(n, pid=8050000000 + n, phone=912000000 + n))
        else:
            rows.append(
                row(
                    n,
                    pid=f"008050{n:06d}",
                    bank=banks[n % 5],
                    account=10**9 + n,
                    holder=f"NGUYEN VAN AN {n % 97}",
                )
            )
    rows[100][1] = "bad"
    start = time.perf_counter()
    result = parse(rows)
    elapsed = time.perf_counter() - start
    assert len(result.records) == 49_999
    assert [r.sheet_row for r in result.rejected] == [102]
    assert result.total_rows == 50_000
    assert result.records[-1].sheet_row == 50_001
    print(f"50,000 account rows parsed in {elapsed:.2f} s")
