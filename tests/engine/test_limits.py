"""Hostile files against the readers: size, zip bombs (honest and forged sizes), compression
ratio, parts, rows and columns, DTDs in XML (chitra.engine.sheets.limits, tabular, documents,
iso20022)."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from chitra.engine import iso20022
from chitra.engine.documents.results import ResultFileError, read_result_table
from chitra.engine.sheets.limits import ReadLimits, check_archive, declared_dimensions
from chitra.engine.sheets.reading import HeaderSpec, TableReadError, read_grid
from tests.zipbombs import MIB, Member, deflated, write_zip, xlsx_bomb, zeros

PEAK_BOUND = 500 * MIB


def _refused(path: Path, code: str, limits: ReadLimits | None = None) -> TableReadError:
    tracemalloc.start()
    try:
        with pytest.raises(TableReadError) as info:
            read_grid(path, limits=limits or ReadLimits())
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.code == code, info.value.message
    assert peak < PEAK_BOUND, f"peak {peak / MIB:.0f} MiB"
    return info.value


def test_a_1_5_gb_zip_bomb_is_refused_before_it_is_read(tmp_path: Path) -> None:
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx", zeros(1536))
    assert bomb.stat().st_size < 3 * MIB  # small on disk, 1.5 GiB inflated
    exc = _refused(bomb, "inflated_too_large")
    assert exc.params["limit"] == 500 * MIB
    assert list(tmp_path.iterdir()) == [bomb]  # nothing written


def test_a_bomb_that_lies_about_its_size_is_stopped_while_inflating(tmp_path: Path) -> None:
    """Declared 1 KB, really 1.5 GiB: the reader's own inflation would not be bounded by the
    declared size; the check measures the real one and stops at once."""
    bomb = xlsx_bomb(tmp_path / "forged.xlsx", zeros(1536, declared=1000))
    exc = _refused(bomb, "size_mismatch")
    assert exc.params["member"] == "xl/worksheets/sheet1.xml"


def test_a_forged_bomb_within_each_declared_size_is_stopped_at_the_total(tmp_path: Path) -> None:
    # 40 members each declaring and holding 20 MiB of zeros: 800 MiB in all
    members = [zeros(20, name=f"xl/media/image{i}.bin") for i in range(40)]
    path = write_zip(tmp_path / "many.xlsx", members)
    _refused(
        path, "inflated_too_large", ReadLimits(max_ratio=10_000)
    )  # the ratio check would catch it first otherwise


def test_compression_ratio(tmp_path: Path) -> None:
    path = xlsx_bomb(tmp_path / "r.xlsx", zeros(20))
    exc = _refused(path, "compression_ratio")
    assert exc.params["ratio"] > 200
    # a small part may compress as much as it likes (styles, empty sheets)
    check_archive(xlsx_bomb(tmp_path / "small.xlsx", zeros(1)), ReadLimits())


def test_too_many_parts(tmp_path: Path) -> None:
    members = []
    for i in range(12):
        m = deflated(b"<x/>")
        m.name = f"xl/part{i}.xml"
        members.append(m)
    path = write_zip(tmp_path / "p.xlsx", members)
    exc = _refused(path, "too_many_members", ReadLimits(max_members=10))
    assert exc.params["count"] == 12


def test_encrypted_and_unknown_compression(tmp_path: Path) -> None:
    m = deflated(b"<x/>")
    m.name = "xl/workbook.xml"
    path = write_zip(tmp_path / "e.xlsx", [m])
    data = bytearray(path.read_bytes())
    data[6] = 1  # local header flag: encrypted
    central = data.index(b"PK\x01\x02")
    data[central + 8] = 1
    path.write_bytes(bytes(data))
    _refused(path, "encrypted")
    m.method = 12  # bzip2
    _refused(write_zip(tmp_path / "b.xlsx", [m]), "compression_unsupported")


def test_file_size(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text("Họ và tên\n" + "Nguyễn Văn An\n" * 1000, encoding="utf-8")
    exc = _refused(path, "file_too_large", ReadLimits(max_bytes=1000))
    assert exc.params == {"size": path.stat().st_size, "limit": 1000}


def _sheet(path: Path, rows: int, cols: int) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("DS")
    for r in range(rows):
        for c in range(cols):
            ws.write_number(r, c, r * cols + c)
    wb.close()
    return path


def test_rows_and_columns_from_the_declared_dimension(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "d.xlsx", 30, 4)
    assert declared_dimensions(path) == {"DS": (30, 4)}
    exc = _refused(path, "too_many_rows", ReadLimits(max_rows=20))
    assert exc.params == {"sheet": "DS", "rows": 30, "limit": 20}
    exc = _refused(path, "too_many_columns", ReadLimits(max_columns=3))
    assert exc.params == {"sheet": "DS", "columns": 4, "limit": 3}
    assert len(read_grid(path, limits=ReadLimits(max_rows=30, max_columns=4)).rows) == 30


def test_rows_and_columns_while_reading_when_nothing_is_declared(tmp_path: Path) -> None:
    src = _sheet(tmp_path / "d.xlsx", 30, 4)
    path = tmp_path / "n.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:D30"/>', b"")
            zout.writestr(info.filename, data)
    assert declared_dimensions(path) == {}
    _refused(path, "too_many_rows", ReadLimits(max_rows=20))
    _refused(path, "too_many_columns", ReadLimits(max_columns=3))


def test_rows_and_columns_of_csv(tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(
        "\n".join(",".join(str(c) for c in range(4)) for _ in range(30)), encoding="utf-8"
    )
    _refused(path, "too_many_rows", ReadLimits(max_rows=20))
    _refused(path, "too_many_columns", ReadLimits(max_columns=3))


def test_result_files_keep_the_limits(tmp_path: Path) -> None:
    path = tmp_path / "res.csv"
    path.write_text(
        "reference,status\n" + "".join(f"{i:022d},succ\n" for i in range(30)), encoding="utf-8"
    )
    with pytest.raises(ResultFileError) as info:  # streamed CSV path
        read_result_table(path, limits=ReadLimits(max_rows=20))
    assert info.value.code == "too_many_rows"
    with pytest.raises(ResultFileError) as info:
        read_result_table(path, limits=ReadLimits(max_bytes=100))
    assert info.value.code == "file_too_large"
    bomb = xlsx_bomb(tmp_path / "res.xlsx", zeros(1536))
    with pytest.raises(ResultFileError) as info:
        read_result_table(bomb)
    assert info.value.code == "inflated_too_large"
    assert len(read_result_table(path)[0]) == 30


def test_a_real_workbook_passes_every_check(tmp_path: Path) -> None:
    path = _sheet(tmp_path / "ok.xlsx", 200, 12)
    check_archive(path, ReadLimits())
    assert len(read_grid(path).rows) == 200


# --------------------------------------------------------------------------------------------
# cover sheets, empty workbooks
# --------------------------------------------------------------------------------------------

FIELDS = {"full_name": ("Họ và tên",), "birth_date": ("Ngày sinh",)}
SPEC = HeaderSpec(FIELDS, ("full_name", "birth_date"))


def _workbook(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                ws.write(r, c, value)
    wb.close()
    return path


def test_the_sheet_with_the_header_is_read_after_a_cover_page(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "c.xlsx",
        {
            "Bìa": [["DANH SÁCH NGƯỜI HƯỞNG"], ["Hướng dẫn: điền từ dòng 5"]],
            "Hướng dẫn": [["Cột Họ và tên: ghi đủ họ tên"]],
            "DS": [["Họ và tên", "Ngày sinh"], ["Nguyễn Văn An", "01/02/1950"]],
        },
    )
    grid = read_grid(path, header=SPEC)
    assert grid.sheet_name == "DS"
    assert grid.rows[1] == ["Nguyễn Văn An", "01/02/1950"]
    # without a header to look for: the first sheet, as before
    assert read_grid(path).sheet_name == "Bìa"


def test_no_sheet_with_the_header_names_the_sheets(tmp_path: Path) -> None:
    path = _workbook(
        tmp_path / "n.xlsx",
        {
            "Bìa": [["DANH SÁCH NGƯỜI HƯỞNG"]],
            "Trống": [],
            "DS": [["Họ và tên", "Giới tính"], ["Nguyễn Văn An", "Nam"]],
        },
    )
    with pytest.raises(TableReadError) as info:
        read_grid(path, header=SPEC)
    assert info.value.code == "no_header"
    assert info.value.params["sheets"] == [
        ("Bìa", ["Họ và tên", "Ngày sinh"]),
        ("Trống", None),
        ("DS", ["Ngày sinh"]),
    ]
    assert "'Bìa'" in info.value.message and "\n" not in info.value.message


def test_one_sheet_without_the_header_is_left_to_the_caller(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "o.xlsx", {"Trống": [], "DS": [["Tên"], ["An"]]})
    assert read_grid(path, header=SPEC).sheet_name == "DS"


def test_empty_workbook_and_empty_csv(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "e.xlsx", {"Sheet1": [], "Sheet2": []})
    with pytest.raises(TableReadError) as info:
        read_grid(path, header=SPEC)
    assert info.value.code == "workbook_empty"
    assert info.value.params["sheets"] == ["Sheet1", "Sheet2"]
    assert read_grid(path).rows == []  # no header asked for: an empty grid, as before
    csv_path = tmp_path / "e.csv"
    csv_path.write_bytes(b"\r\n\r\n")
    with pytest.raises(TableReadError) as info:
        read_grid(csv_path, header=SPEC)
    assert info.value.code == "file_empty"


# --------------------------------------------------------------------------------------------
# XML status reports
# --------------------------------------------------------------------------------------------

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt><GrpHdr>
<MsgId>&lol9;</MsgId><CreDtTm>2026-12-05T10:00:00</CreDtTm></GrpHdr><OrgnlGrpInfAndSts>
<OrgnlMsgId>&lol9;</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>
<OrgnlPmtInfAndSts><OrgnlPmtInfId>P1</OrgnlPmtInfId><TxInfAndSts>
<OrgnlEndToEndId>&lol9;</OrgnlEndToEndId><TxSts>ACSC</TxSts></TxInfAndSts></OrgnlPmtInfAndSts>
</CstmrPmtStsRpt></Document>
"""


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_billion_laughs_pain002_is_refused(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "laughs.xml"
    text = LAUGHS.decode()
    if encoding == "utf-16":
        text = text.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>')
    path.write_bytes(text.encode(encoding))
    tracemalloc.start()
    try:
        for read in (
            lambda: list(iso20022.iter_pain002(path)),
            lambda: iso20022.pain002_header(path),
        ):
            with pytest.raises(iso20022.Pain002Error, match="DTD"):
                read()
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * MIB


def test_a_dtd_after_a_long_prolog_is_refused_by_the_parser(tmp_path: Path) -> None:
    path = tmp_path / "late.xml"
    head, rest = LAUGHS.split(b"\n", 1)
    path.write_bytes(head + b"\n<!--" + b" " * (100 * 1024) + b"-->\n" + rest)
    with pytest.raises(iso20022.Pain002Error, match="DTD"):
        list(iso20022.iter_pain002(path))


def test_member_helper_is_a_valid_archive(tmp_path: Path) -> None:
    """The bombs above are real archives (CRC right), not broken files refused for that."""
    path = write_zip(
        tmp_path / "z.zip",
        [
            zeros(3, name="a.bin"),
            Member("b.txt", b"abc", 3, __import__("zlib").crc32(b"abc"), method=0),
        ],
    )
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        assert zf.read("b.txt") == b"abc"
