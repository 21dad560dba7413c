"""The rows of a beneficiary list: a column spec on the one validator of
:mod:`chitra.engine.sheets.spec`.

Pure Python, no Django: the Django layer maps :class:`BeneficiaryRecord` to models and renders
:class:`Issue` by its stable ``code`` and params (see :data:`ISSUE_CODES`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from chitra.engine.sheets.headers import HeaderError, HeaderMatch
from chitra.engine.sheets.reading import Grid
from chitra.engine.sheets.spec import (
    ColumnSpec,
    RejectedRow,
    Row,
    RowSpec,
    RowsResult,
    Unique,
    cached,
    column_label,
    long_cells,
    validate,
)
from chitra.engine.sheets.values import (
    DATE_EXPECTED,
    MAX_CELL_CHARS,
    VALUE_CODES,
    ValueProblem,
    parse_amount,
    parse_date,
    parse_month,
    parse_old_id,
    parse_phone,
    parse_sex,
    parse_si_number,
    too_long,
)
from chitra.kernel.issues import Issue
from chitra.kernel.names import clean_text, fold_name, nfc
from chitra.kernel.personal_id import (
    PERSONAL_ID_ERROR_CODES,
    PersonalId,
    PersonalIdError,
    normalize_personal_id,
    parse_personal_id,
)

__all__ = [
    "BENEFICIARY_FIELDS",
    "FIELD_MAX_CHARS",
    "ISSUE_CODES",
    "REQUIRED",
    "BeneficiaryRecord",
    "Issue",
    "ParseContext",
    "ParseResult",
    "RejectedRow",
    "RowsResult",
    "beneficiary_spec",
    "column_label",
    "long_cells",
    "parse_beneficiary_grid",
]

BENEFICIARY_FIELDS: dict[str, tuple[str, ...]] = {
    "stt": ("STT", "TT", "Số TT", "Số thứ tự"),
    "personal_id": (
        "Số định danh cá nhân",
        "Số định danh",
        "Số CCCD",
        "CCCD",
        "Số căn cước",
        "Số căn cước công dân",
        "Số CCCD/ĐDCN",
    ),
    "old_id": ("Số CMND", "CMND", "Số chứng minh nhân dân"),
    "si_number": ("Mã số BHXH", "Mã BHXH", "Số sổ BHXH"),
    "full_name": ("Họ và tên", "Họ tên", "Họ và tên người hưởng"),
    "birth_date": ("Ngày sinh", "Năm sinh", "Ngày tháng năm sinh"),
    "sex": ("Giới tính",),
    "commune": ("Xã/Phường", "Xã", "Phường", "Mã xã", "Xã, phường", "Đơn vị hành chính"),
    "address": ("Địa chỉ", "Nơi cư trú", "Địa chỉ cư trú"),
    "phone": ("Số điện thoại", "Điện thoại", "SĐT"),
    "benefit_type": ("Loại chế độ", "Chế độ"),
    "monthly_amount": ("Mức hưởng", "Số tiền", "Mức hưởng hằng tháng", "Số tiền hưởng"),
    "start_month": ("Tháng bắt đầu hưởng", "Thời điểm hưởng", "Tháng hưởng"),
    "paid_through": ("Đã chi trả đến tháng", "Đã trả đến tháng"),
}
REQUIRED: tuple[str, ...] = (
    "full_name",
    "birth_date",
    "sex",
    "commune",
    "benefit_type",
    "monthly_amount",
)
#: characters of the fields stored as text: the registry's max_length (Beneficiary.full_name,
#: Beneficiary.name_folded, Beneficiary.address; a test keeps them equal)
FIELD_MAX_CHARS: dict[str, int] = {"full_name": 150, "address": 255}

ISSUE_CODES: dict[str, str] = {
    "value_missing": "a required value is empty",
    "full_name_missing": "the full name is empty",
    "identity_missing": "neither a personal ID nor a social insurance number is given",
    **{k: v for k, v in PERSONAL_ID_ERROR_CODES.items()},
    "pid_unknown_province": "the personal ID prefix is not a known province code (warning)",
    "name_invalid": "the name contains no letters",
    **VALUE_CODES,
    "date_future": "a birth date in the future",
    "commune_unknown": "the commune is not one of the province's communes",
    "commune_ambiguous": "the commune name matches several communes",
    "benefit_unknown": "the benefit type is not recognised",
    "duplicate_in_file": "the same person and benefit appear on an earlier row",
}


@dataclass(slots=True)
class BeneficiaryRecord:
    sheet_row: int
    data_row: int
    personal_id: str | None
    old_id: str | None
    si_number: str | None
    full_name: str
    birth_date: date
    birth_precision: Literal["D", "M", "Y"]
    sex: Literal["M", "F"]
    commune_code: str
    address: str | None
    phone: str | None
    benefit_type: str
    monthly_amount: int
    start_month: date | None
    paid_through: date | None
    warnings: list[Issue] = field(default_factory=list)

    @property
    def identity_key(self) -> str:
        return self.personal_id if self.personal_id else f"si:{self.si_number}"


@dataclass
class ParseContext:
    province_code: str
    communes: Mapping[str, str]
    benefit_labels: Mapping[str, Sequence[str]]
    today: date
    #: characters of any one cell of a data row
    max_cell_chars: int = MAX_CELL_CHARS


ParseResult = RowsResult[BeneficiaryRecord]


# --------------------------------------------------------------------------------------------
# lookups built once per context
# --------------------------------------------------------------------------------------------

_COMMUNE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("THI TRAN ", "THI TRAN"),
    ("DAC KHU ", "DAC KHU"),
    ("PHUONG ", "PHUONG"),
    ("XA ", "XA"),
    ("TT. ", "THI TRAN"),
    ("TT ", "THI TRAN"),
    ("P. ", "PHUONG"),
    ("X. ", "XA"),
)
_COMMUNE_EXPECTED = "a commune code (5 digits) or commune name of the province"


def _split_prefix(folded: str) -> tuple[str | None, str]:
    for prefix, kind in _COMMUNE_PREFIXES:
        if folded.startswith(prefix):
            return kind, folded[len(prefix) :].strip()
    return None, folded


class _CommuneResolver:
    def __init__(self, communes: Mapping[str, str]) -> None:
        self.codes = {str(c).zfill(5) for c in communes}
        self.by_full: dict[tuple[str | None, str], list[str]] = {}
        self.by_bare: dict[str, list[str]] = {}
        for code, name in communes.items():
            code5 = str(code).zfill(5)
            kind, bare = _split_prefix(fold_name(name))
            self.by_full.setdefault((kind, bare), []).append(code5)
            codes = self.by_bare.setdefault(bare, [])
            if code5 not in codes:
                codes.append(code5)
        self.cache: dict[object, str | ValueProblem] = {}

    def resolve(self, cell: object) -> str:
        key = (cell.__class__, cell)
        hit = self.cache.get(key)
        if hit is None:
            hit = self._resolve(cell)
            self.cache[key] = hit
        if isinstance(hit, ValueProblem):
            raise hit
        return hit

    def _resolve(self, cell: object) -> str | ValueProblem:
        text: str | None
        if isinstance(cell, bool):
            return ValueProblem("commune_unknown", _COMMUNE_EXPECTED)
        if isinstance(cell, int):
            text = str(cell)
        elif isinstance(cell, float) and cell.is_integer():
            text = str(int(cell))
        else:
            text = clean_text(cell)
        if text is None:
            return ValueProblem("commune_unknown", _COMMUNE_EXPECTED)
        if text.isdigit():
            code = text.zfill(5)
            if len(code) == 5 and code in self.codes:
                return code
            return ValueProblem("commune_unknown", _COMMUNE_EXPECTED)
        kind, bare = _split_prefix(fold_name(text))
        if kind is not None:
            found = self.by_full.get((kind, bare))
            if found and len(found) == 1:
                return found[0]
        found = self.by_bare.get(bare)
        if not found:
            return ValueProblem("commune_unknown", _COMMUNE_EXPECTED)
        if len(found) > 1:
            return ValueProblem(
                "commune_ambiguous",
                f"one commune; this name matches {len(found)} communes ("
                + ", ".join(found)
                + "), give the code or the full name",
            )
        return found[0]


class _BenefitResolver:
    def __init__(self, labels: Mapping[str, Sequence[str]]) -> None:
        self.index: dict[str, str] = {}
        for code, names in labels.items():
            self.index.setdefault(fold_name(code), code)
            self.index.setdefault(fold_name(code.replace("_", " ")), code)
            for name in names:
                self.index.setdefault(fold_name(name), code)
        shown = []
        for code, names in labels.items():
            shown.append(f"{code} ({names[0]})" if names else code)
        self.expected = "one of " + ", ".join(shown)
        self.cache: dict[object, str | None] = {}

    def resolve(self, cell: object) -> str:
        key = (cell.__class__, cell)
        if key in self.cache:
            hit = self.cache[key]
        else:
            hit = self.index.get(fold_name(cell)) if isinstance(cell, str) else None
            self.cache[key] = hit
        if hit is None:
            raise ValueProblem("benefit_unknown", self.expected)
        return hit


# --------------------------------------------------------------------------------------------
# special rows
# --------------------------------------------------------------------------------------------

_HAS_LETTER = re.compile(r"[^\W\d_]").search
_NUMBERING = re.compile(r"\(?\s*(?:\d{1,2}|[A-Z])\s*\)?")


def _is_blank(row: Sequence[object]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in row)


def _is_numbering_row(row: Sequence[object]) -> bool:
    """``(1) (2) (3)`` / ``1 2 3`` / ``A B C`` under the header."""
    count = 0
    for c in row:
        if c is None:
            continue
        if isinstance(c, bool):
            return False
        if isinstance(c, int | float):
            if not (float(c).is_integer() and 0 <= c < 100):
                return False
        elif isinstance(c, str):
            s = c.strip()
            if not s:
                continue
            if _NUMBERING.fullmatch(s) is None:
                return False
        else:
            return False
        count += 1
    return count >= 3


def _row_key(row: Sequence[object]) -> tuple[str, ...]:
    """Comparable text of a row, ignoring trailing empty cells and spacing."""
    key = [" ".join(str(c).split()) if c is not None else "" for c in row]
    while key and not key[-1]:
        key.pop()
    return tuple(key)


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _starts_total(cell: object) -> bool:
    if not isinstance(cell, str):
        return False
    f = fold_name(cell)
    return f.startswith("TONG") or f.startswith("CONG")


# --------------------------------------------------------------------------------------------
# main entry point
# --------------------------------------------------------------------------------------------


# over the limits: one pass over every row of a list (3.5 M at national scale) that tells data
# rows from blank, total, footer, numbering and repeated-header rows, cheapest checks first;
# split into a call per kind of row it would check each row several times over.
def iter_data_rows(
    grid: Grid, header: HeaderMatch, width: int
) -> Iterator[tuple[int, int, list[object]]]:
    """The person rows of a list, as ``(sheet_row, data_row, cells padded to width + 1)``.

    Skips blank rows, totals and subtotals (and the footer under a grand total), repeated
    headers and the column-numbering row under the header. ``data_row`` counts the rows kept.
    """
    cols = header.columns

    def col(key: str) -> int:
        return cols.get(key, width)

    c_pid, c_si, c_name = col("personal_id"), col("si_number"), col("full_name")
    c_birth, c_sex, c_amount = col("birth_date"), col("sex"), col("monthly_amount")
    # Texts of a repeated header in the name column (exact, so no folding per row).
    header_names = {a for a in BENEFICIARY_FIELDS["full_name"]}
    header_names |= {a.upper() for a in header_names}
    for h in header.header_rows:
        if c_name < len(grid.rows[h]) and isinstance(grid.rows[h][c_name], str):
            header_names.add(str(grid.rows[h][c_name]).strip())
    header_names |= {nfc(" ".join(t.split())) for t in header_names}
    header_copies = {_row_key(grid.rows[h]) for h in header.header_rows}

    data_row = 0
    rows = grid.rows
    pads = [[None] * (width + 1 - n) for n in range(width + 2)]  # by a row's length
    after_total = False  # rows below a grand total without birth date/amount are a footer
    for i in range(header.data_start, len(rows)):
        row = rows[i]
        # a new list padded to width + 1 cells, made in one step
        r = row + pads[len(row)] if row.__class__ is list else [*row, *pads[len(row)]]
        name_cell = r[c_name]
        # ---- special rows (cheap checks first) -------------------------------------------
        if after_total and _empty(r[c_birth]) and _empty(r[c_amount]):
            continue  # signature block, place and date... under the grand total
        if name_cell is None or (isinstance(name_cell, str) and not name_cell.strip()):
            if _is_blank(row):
                continue
            if _row_key(row) in header_copies:
                continue  # e.g. the top row of a two-row header repeated on a new page
            if _empty(r[c_pid]) and _empty(r[c_si]):
                first_text = next((c for c in row if isinstance(c, str) and c.strip()), None)
                if _starts_total(first_text):
                    after_total = after_total or fold_name(first_text).startswith("TONG")
                    continue
            if _is_numbering_row(row):
                continue
        elif isinstance(name_cell, str):
            stripped = name_cell.strip()
            if stripped[:1] in "TtCc":  # cheap gate: fold only what may be "Tổng"/"Cộng"
                folded = fold_name(stripped)
                # "Tổng cộng", "Tổng số:", or a subtotal such as "Cộng xã X" with no person data
                # (a real "Tống Văn B" has an ID, a birth date or a sex and stays a data row).
                # A person called "Tống Công ..." carries person data: only a row without any
                # (no ID, social-insurance number, birth date or sex) is a total.
                if (
                    folded.startswith(("TONG", "CONG"))
                    and _empty(r[c_pid])
                    and _empty(r[c_si])
                    and _empty(r[c_birth])
                    and _empty(r[c_sex])
                ):
                    after_total = after_total or folded.startswith("TONG")
                    continue  # totals / subtotal row
            if stripped in header_names:
                continue  # header repeated (e.g. on every printed page)
            if stripped[:1] in "(0123456789" and _is_numbering_row(row):
                continue
        elif isinstance(name_cell, int | float) and _is_numbering_row(row):
            continue

        data_row += 1
        yield i + 1, data_row, r


# --------------------------------------------------------------------------------------------
# the spec: cell parsers, cross-field rules, the record
# --------------------------------------------------------------------------------------------

PID_EXPECTED_DIGITS = "12 digits"


def parse_pid(cell: object) -> PersonalId | None:
    """A personal ID cell (``None``: nothing that could be one), its problem by its code."""
    text = normalize_personal_id(cell)
    if text is None:
        return None
    try:
        return parse_personal_id(text)
    except PersonalIdError as e:
        expected = (
            PID_EXPECTED_DIGITS
            if e.code in ("pid_length", "pid_not_digits")
            else PERSONAL_ID_ERROR_CODES[e.code]
        )
        raise ValueProblem(e.code, expected) from None


def parse_person_name(cell: object, *, limit: int, invalid_code: str) -> str | None:
    """A person's name (a beneficiary's, an account holder's): cleaned text of at most `limit`
    characters, also once folded, with at least one letter (`invalid_code` otherwise)."""
    text = clean_text(cell)
    if text is None:
        return None
    # Folding removes marks and spaces; only a decomposition (a Hangul syllable: 3 letters) or
    # upper-casing (``ß`` -> ``SS``, ``ﬃ`` -> ``FFI``) lengthens a character, by at most 3, so a
    # name under a quarter of the limit needs no fold to be measured (the hot path: 1 call less).
    n = len(text)
    if n > limit or (n * 4 > limit and len(fold_name(text)) > limit):
        raise ValueProblem("value_too_long", too_long(limit, n), limit=limit, count=n)
    if _HAS_LETTER(text) is None:
        raise ValueProblem(invalid_code, "a name with letters")
    return text


_NAME_LIMIT = FIELD_MAX_CHARS["full_name"]


def _full_name(cell: object) -> str | None:
    return parse_person_name(cell, limit=_NAME_LIMIT, invalid_code="name_invalid")


def _address(cell: object) -> str | None:
    text = clean_text(cell)
    limit = FIELD_MAX_CHARS["address"]
    if text is not None and len(text) > limit:
        raise ValueProblem(
            "value_too_long", too_long(limit, len(text)), limit=limit, count=len(text)
        )
    return text


def _birth_date(today: date) -> Any:
    """The birth date parser of an import made on ``today`` (memoised: dates repeat)."""

    def parse(cell: object) -> tuple[date, str]:
        birth, precision = parse_date(cell)
        if birth > today:
            raise ValueProblem("date_future", f"{DATE_EXPECTED}, not in the future")
        return birth, precision

    return cached(parse)


def _identity_column(row: Row) -> str:
    return row.labels["personal_id"] if "personal_id" in row.cols else row.labels["si_number"]


def pid_agrees(row: Row) -> None:
    """The personal ID's sex and century digit and its birth year are the row's; an unknown
    province prefix is accepted with a warning."""
    v = row.values
    pid: PersonalId | None = v["personal_id"]
    if pid is None:
        return
    sex, birth = v["sex"], v["birth_date"]
    v["personal_id"] = pid.value
    if (sex is None or pid.sex == sex) and (birth is None or pid.birth_year == birth[0].year):
        if not pid.known_province:
            row.warn(
                row.labels["personal_id"],
                row.cell("personal_id"),
                "pid_unknown_province",
                "a known province code as the first 3 digits (accepted)",
            )
        return
    label, raw = row.labels["personal_id"], row.cell("personal_id")
    v["personal_id"] = None  # an ID that disagrees with the row is not taken
    if sex is not None and pid.sex != sex:
        row.error(
            label,
            raw,
            "pid_sex_mismatch",
            f"a 4th digit matching sex {'Nam' if sex == 'M' else 'Nữ'}"
            f" ({'0/2' if sex == 'M' else '1/3'} for 1900s/2000s births)",
        )
    if birth is not None and pid.birth_year != birth[0].year:
        row.error(
            label,
            raw,
            "pid_year_mismatch",
            f"digits 4-6 matching birth year {birth[0].year} (found {pid.birth_year})",
        )


def identity_given(row: Row) -> None:
    """A personal ID or a social insurance number is given (one that is invalid counts)."""
    v = row.values
    if (
        v["personal_id"] is None
        and v["si_number"] is None
        and not row.has_error("si_number_invalid")
        and normalize_personal_id(row.cell("personal_id")) is None
    ):
        row.error(
            _identity_column(row),
            row.cell("personal_id"),
            "identity_missing",
            "a personal ID (12 digits) or a social insurance number (10 digits)",
        )


def _person_benefit(row: Row) -> tuple[str, str] | None:
    v = row.values
    identity = v["personal_id"] or (f"si:{v['si_number']}" if v["si_number"] else None)
    if identity is None or v["benefit_type"] is None:
        return None
    return identity, v["benefit_type"]


def _duplicate(row: Row, first: int) -> None:
    by_pid = bool(row.values["personal_id"])
    row.error(
        _identity_column(row) if by_pid else row.labels["si_number"],
        row.cell("personal_id") if by_pid else row.cell("si_number"),
        "duplicate_in_file",
        f"unique; same person and benefit as row {first}",
        row=first,
        of="benefit",
    )


def _record(row: Row) -> BeneficiaryRecord:
    v = row.values
    birth, precision = v["birth_date"]
    return BeneficiaryRecord(
        row.sheet_row,
        row.data_row,
        v["personal_id"],
        v["old_id"],
        v["si_number"],
        v["full_name"],
        birth,
        precision,
        v["sex"],
        v["commune"],
        v["address"],
        v["phone"],
        v["benefit_type"],
        v["monthly_amount"],
        v["start_month"],
        v["paid_through"],
        row.warnings,
    )


def beneficiary_spec(ctx: ParseContext) -> RowSpec[BeneficiaryRecord]:
    """The columns of a beneficiary list, in the order they are checked, with the rules."""
    f, req = BENEFICIARY_FIELDS, set(REQUIRED)
    benefits = _BenefitResolver(ctx.benefit_labels)
    p_month = cached(parse_month)

    def col(
        name: str, parser: Any = None, missing: tuple[str, str] | None = None, warn: bool = False
    ) -> ColumnSpec:
        return ColumnSpec(name, f[name], parser, name in req, missing, warn)

    steps = (
        col("full_name", _full_name, ("full_name_missing", "the full name")),
        col("birth_date", _birth_date(ctx.today), ("value_missing", DATE_EXPECTED)),
        col("sex", cached(parse_sex), ("value_missing", "Nam or Nữ")),
        col("personal_id", parse_pid),
        pid_agrees,
        col("si_number", parse_si_number),
        identity_given,
        col("old_id", parse_old_id),
        col(
            "commune", _CommuneResolver(ctx.communes).resolve, ("value_missing", _COMMUNE_EXPECTED)
        ),
        col("benefit_type", benefits.resolve, ("value_missing", benefits.expected)),
        col("monthly_amount", cached(parse_amount), ("value_missing", "the monthly amount")),
        col("start_month", p_month),
        col("paid_through", p_month),
        col("address", _address),
        # A bad phone must not block a pension: keep the row, drop the phone, warn.
        col("phone", parse_phone, warn=True),
    )
    parsed = {s.field: s for s in steps if isinstance(s, ColumnSpec)}
    return RowSpec(
        columns=[parsed.get(name) or col(name) for name in f],
        steps=steps,
        data_rows=iter_data_rows,
        record=_record,
        header_check=_identity_columns,
        unique=Unique(_person_benefit, _duplicate),
        text_limits=tuple(FIELD_MAX_CHARS),
        max_cell_chars=ctx.max_cell_chars,
    )


def _identity_columns(header: HeaderMatch) -> HeaderError | None:
    if "personal_id" not in header.columns and "si_number" not in header.columns:
        return HeaderError(["personal_id", "si_number"], dict(header.labels), BENEFICIARY_FIELDS)
    return None


def parse_beneficiary_grid(grid: Grid, ctx: ParseContext) -> ParseResult:
    """Validate every data row of ``grid``; return accepted records and rejected rows.

    Raises :class:`~chitra.engine.sheets.headers.HeaderError` when a required column is missing,
    or when neither a personal-ID nor a social-insurance-number column exists.
    """
    return validate(grid, beneficiary_spec(ctx))
