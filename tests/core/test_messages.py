"""Every problem a user can meet has a Vietnamese sentence."""

from django.utils import translation

from chitra.core.errors import EXPECTED
from chitra.engine.rows.beneficiary import ISSUE_CODES

APPLY_CODES = {
    "commune_out_of_scope",
    "beneficiary_out_of_scope",
    "si_number_taken",
    "pid_conflicts_si",
}


def test_every_issue_code_has_an_expectation():
    assert set(ISSUE_CODES) | APPLY_CODES <= set(EXPECTED)


def test_every_expectation_is_translated_to_vietnamese():
    untranslated = []
    for code, text in EXPECTED.items():
        if text is None:
            continue
        with translation.override("en"):
            en = str(text)
        with translation.override("vi"):
            vi = str(text)
        if vi == en and code not in {"sex_invalid"}:
            untranslated.append(code)
    assert untranslated == []


def _grid(rows):
    from chitra.engine.sheets.reading import Grid

    return Grid([list(r) for r in rows])


def test_issues_are_rendered_from_their_code_and_params():
    """The facts a sentence names come from the issue's params, never out of its English."""
    from datetime import date

    from chitra.core.errors import render_issue
    from chitra.engine.rows.beneficiary import ParseContext, parse_beneficiary_grid

    header = [
        "Họ và tên",
        "Ngày sinh",
        "Giới tính",
        "Số CCCD",
        "Xã/Phường",
        "Loại chế độ",
        "Mức hưởng",
        "Địa chỉ",
    ]
    person = [
        "Nguyễn Văn A",
        "01/02/1950",
        "Nam",
        "001050000001",
        "00001",
        "Lương hưu",
        "1500000",
        "",
    ]
    long_address = [*person[:3], "001050000002", *person[4:7], "x" * 300]
    ctx = ParseContext(
        "01", {"00001": "Xã Một"}, {"retirement_pension": ["Lương hưu"]}, date(2026, 1, 1)
    )
    result = parse_beneficiary_grid(_grid([header, person, person, long_address]), ctx)
    duplicate, too_long = [r.issues[0] for r in result.rejected]
    assert duplicate.params == {
        "expected": "unique; same person and benefit as row 2",
        "row": 2,
        "of": "benefit",
    }
    assert too_long.params == {
        "expected": "at most 255 characters (this one has 300)",
        "limit": 255,
        "count": 300,
    }
    with translation.override("vi"):
        assert render_issue(duplicate).endswith(
            "mỗi người, mỗi chế độ chỉ một dòng (đã có ở dòng 2)"
        )
        assert render_issue(too_long).endswith("tối đa 255 ký tự (giá trị này có 300 ký tự)")
    with translation.override("en"):
        assert render_issue(duplicate) == (
            "Row 3, column 'Số CCCD': value '001050000001' — expected a single row per person "
            "and benefit (already on row 2)"
        )
    # the English of the engine says the same without Django
    assert duplicate.message_en == (
        "Row 3, column 'Số CCCD': value '001050000001' — expected unique; same person and "
        "benefit as row 2"
    )
