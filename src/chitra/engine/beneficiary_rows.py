"""Turn a beneficiary spreadsheet grid into validated records and per-row issues.

Pure Python, no Django: the Django layer maps :class:`BeneficiaryRecord` to models and translates
:class:`Issue` messages by their stable ``code`` (see :data:`ISSUE_CODES`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Generic, Literal, Protocol, TypeVar

from chitra.engine.sheets.headers import HeaderError, HeaderMatch, find_header
from chitra.engine.sheets.reading import Grid
from chitra.engine.sheets.values import (
    DATE_EXPECTED,
    MAX_CELL_CHARS,
    MIN_YEAR,
    VALUE_CODES,
    ValueProblem,
    excel_column,
    parse_amount,
    parse_date,
    parse_month,
    parse_old_id,
    parse_phone,
    parse_sex,
    parse_si_number,
    render_cell,
    shown_value,
    too_long,
)
from chitra.kernel.names import clean_text, fold_name, nfc
from chitra.kernel.personal_id import (
    PERSONAL_ID_ERROR_CODES,
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
    "column_label",
    "long_cells",
    "parse_beneficiary_grid",
]

BENEFICIARY_FIELDS: dict[str, tuple[str, ...]] = {
    "stt": ("STT", "TT", "Số TT", "Số thứ tự"),
    "personal_id": (
        "Số định danh cá nhân", "Số định danh", "Số CCCD", "CCCD", "Số căn cước",
        "Số căn cước công dân", "Số CCCD/ĐDCN",
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
    "full_name", "birth_date", "sex", "commune", "benefit_type", "monthly_amount",
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

Severity = Literal["error", "warning"]
_T = TypeVar("_T")


@dataclass(slots=True)
class Issue:
    sheet_row: int
    column: str
    value: str
    code: str
    expected: str
    severity: Severity = "error"

    @property
    def message_en(self) -> str:
        return (f"Row {self.sheet_row}, column '{self.column}': value '{self.value}' "
                f"\u2014 expected {self.expected}")


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


@dataclass(slots=True)
class RejectedRow:
    sheet_row: int
    data_row: int
    cells: list[object]
    issues: list[Issue]


@dataclass
class ParseContext:
    province_code: str
    communes: Mapping[str, str]
    benefit_labels: Mapping[str, Sequence[str]]
    today: date
    #: characters of any one cell of a data row
    max_cell_chars: int = MAX_CELL_CHARS


def long_cells(row: Sequence[object], limit: int, skip: Sequence[int] = ()) -> Iterator[
        tuple[int, str]]:
    """``(column index, text)`` of the text cells of ``row`` longer than ``limit``."""
    for ci, cell in enumerate(row):
        if cell.__class__ is str and len(cell) > limit and ci not in skip:  # type: ignore[arg-type]
            yield ci, cell  # type: ignore[misc]


def column_label(header: HeaderMatch, index: int) -> str:
    """The header text of column ``index``, else its letter (A, B... AA)."""
    labels = header.column_labels
    if index < len(labels) and labels[index]:
        return labels[index]
    return excel_column(index)


class _HasWarnings(Protocol):
    warnings: list[Issue]


R = TypeVar("R", bound=_HasWarnings)


@dataclass
class RowsResult(Generic[R]):
    """What a file parser returns: accepted records, rejected rows, the header found."""

    records: list[R]
    rejected: list[RejectedRow]
    header: HeaderMatch
    total_rows: int

    @property
    def issues(self) -> list[Issue]:
        """All issues: errors of rejected rows and warnings of accepted records, by row."""
        out = [i for r in self.rejected for i in r.issues]
        out += [w for r in self.records for w in r.warnings]
        out.sort(key=lambda i: i.sheet_row)
        return out


ParseResult = RowsResult[BeneficiaryRecord]


# --------------------------------------------------------------------------------------------
# lookups built once per context
# --------------------------------------------------------------------------------------------

_COMMUNE_PREFIXES: tuple[tuple[str, str], ...] = (
    ("THI TRAN ", "THI TRAN"), ("DAC KHU ", "DAC KHU"), ("PHUONG ", "PHUONG"), ("XA ", "XA"),
    ("TT. ", "THI TRAN"), ("TT ", "THI TRAN"), ("P. ", "PHUONG"), ("X. ", "XA"),
)
_COMMUNE_EXPECTED = "a commune code (5 digits) or commune name of the province"


def _split_prefix(folded: str) -> tuple[str | None, str]:
    for prefix, kind in _COMMUNE_PREFIXES:
        if folded.startswith(prefix):
            return kind, folded[len(prefix):].strip()
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
                + ", ".join(found) + "), give the code or the full name",
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


def _cached(fn: Callable[[object], _T]) -> Callable[[object], _T]:
    """Memoise a parser per import (values repeat a lot: dates, amounts, sex, months)."""
    cache: dict[object, _T | ValueProblem] = {}

    def wrapper(cell: object) -> _T:
        # Key by value (1 == 1.0 parse alike); bools would collide with 0/1, so keep them apart.
        key = cell if cell.__class__ is not bool else ("bool", cell)
        try:
            hit = cache[key]
        except KeyError:
            try:
                hit = fn(cell)
            except ValueProblem as exc:
                hit = exc
            cache[key] = hit
        if isinstance(hit, ValueProblem):
            raise hit
        return hit

    return wrapper


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
    after_total = False  # rows below a grand total without birth date/amount are a footer
    for i in range(header.data_start, len(rows)):
        row = rows[i]
        r = list(row)
        r.extend([None] * (width + 1 - len(r)))
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
                if folded.startswith(("TONG", "CONG")) and _empty(r[c_pid]) and _empty(
                        r[c_si]) and _empty(r[c_birth]) and _empty(r[c_sex]):
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


def parse_beneficiary_grid(grid: Grid, ctx: ParseContext) -> ParseResult:
    """Validate every data row of ``grid``; return accepted records and rejected rows.

    Raises :class:`~chitra.engine.sheets.headers.HeaderError` when a required column is missing, or
    when neither a personal-ID nor a social-insurance-number column exists.
    """
    header = find_header(grid.rows, BENEFICIARY_FIELDS, required=REQUIRED)
    cols = header.columns
    if "personal_id" not in cols and "si_number" not in cols:
        raise HeaderError(["personal_id", "si_number"], dict(header.labels), BENEFICIARY_FIELDS)
    labels = {k: header.labels.get(k, k) for k in BENEFICIARY_FIELDS}

    # Rows are padded to ``width + 1`` cells; an absent column points at the last, always None.
    width = max(max((len(r) for r in grid.rows), default=0), max(cols.values(), default=0) + 1)

    def col(key: str) -> int:
        return cols.get(key, width)

    c_pid, c_old, c_si = col("personal_id"), col("old_id"), col("si_number")
    c_name, c_birth, c_sex = col("full_name"), col("birth_date"), col("sex")
    c_commune, c_addr, c_phone = col("commune"), col("address"), col("phone")
    c_benefit, c_amount = col("benefit_type"), col("monthly_amount")
    c_start, c_paid = col("start_month"), col("paid_through")
    identity_column = labels["personal_id"] if "personal_id" in cols else labels["si_number"]

    communes = _CommuneResolver(ctx.communes)
    benefits = _BenefitResolver(ctx.benefit_labels)
    p_date = _cached(parse_date)
    p_month = _cached(parse_month)
    p_amount = _cached(parse_amount)
    p_sex = _cached(parse_sex)
    p_phone = _cached(parse_phone)
    today = ctx.today

    records: list[BeneficiaryRecord] = []
    rejected: list[RejectedRow] = []
    seen: dict[tuple[str, str], int] = {}
    max_cell = ctx.max_cell_chars
    max_name, max_address = FIELD_MAX_CHARS["full_name"], FIELD_MAX_CHARS["address"]
    # the reader measured the longest cell: rows are checked only when one may be too long
    check_cells = grid.longest_text is None or grid.longest_text > max_cell
    text_fields = tuple(cols[k] for k in FIELD_MAX_CHARS if k in cols)

    for sheet_row, data_row, r in iter_data_rows(grid, header, width):
        row = grid.rows[sheet_row - 1]
        name_cell = r[c_name]
        errors: list[Issue] = []
        warnings: list[Issue] = []

        def err(column: str, value: object, code: str, expected: str,
                errors: list[Issue] = errors, sheet_row: int = sheet_row) -> None:
            errors.append(Issue(sheet_row, column, shown_value(value), code, expected))

        # ---- any cell longer than a cell may be (the text fields have their own limit) ------
        if check_cells:
            for ci, text in long_cells(row, max_cell, text_fields):
                err(column_label(header, ci), text, "value_too_long",
                    too_long(max_cell, len(text)))

        # ---- name ---------------------------------------------------------------------------
        full_name = clean_text(name_cell) if name_cell is not None else None
        if full_name is None:
            err(labels["full_name"], name_cell, "full_name_missing", "the full name")
        elif len(full_name) > max_name or len(fold_name(full_name)) > max_name:
            err(labels["full_name"], name_cell, "value_too_long",
                too_long(max_name, len(full_name)))
            full_name = None
        elif _HAS_LETTER(full_name) is None:
            err(labels["full_name"], name_cell, "name_invalid", "a name with letters")

        # ---- birth date -------------------------------------------------------------------
        birth: date | None = None
        precision: Literal["D", "M", "Y"] = "D"
        raw = r[c_birth]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            err(labels["birth_date"], raw, "value_missing", DATE_EXPECTED)
        else:
            try:
                birth, precision = p_date(raw)
            except ValueProblem as e:
                err(labels["birth_date"], raw, e.code, e.expected)
            else:
                assert birth is not None
                if birth > today:
                    err(labels["birth_date"], raw, "date_future",
                        f"{DATE_EXPECTED}, not in the future")
                    birth = None
                elif birth.year < MIN_YEAR:  # pragma: no cover - parse_date rejects it
                    birth = None

        # ---- sex ----------------------------------------------------------------------------
        sex: Literal["M", "F"] | None = None
        raw = r[c_sex]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            err(labels["sex"], raw, "value_missing", "Nam or Nữ")
        else:
            try:
                sex = p_sex(raw)
            except ValueProblem as e:
                err(labels["sex"], raw, e.code, e.expected)

        # ---- identity -----------------------------------------------------------------------
        personal_id: str | None = None
        raw_pid = r[c_pid]
        pid_text = normalize_personal_id(raw_pid) if raw_pid is not None else None
        if pid_text is not None:
            try:
                pid = parse_personal_id(pid_text)
            except PersonalIdError as e:
                expected = ("12 digits" if e.code in ("pid_length", "pid_not_digits")
                            else PERSONAL_ID_ERROR_CODES[e.code])
                err(labels["personal_id"], raw_pid, e.code, expected)
            else:
                ok = True
                if sex is not None and pid.sex != sex:
                    ok = False
                    err(labels["personal_id"], raw_pid, "pid_sex_mismatch",
                        f"a 4th digit matching sex {'Nam' if sex == 'M' else 'Nữ'}"
                        f" ({'0/2' if sex == 'M' else '1/3'} for 1900s/2000s births)")
                if birth is not None and pid.birth_year != birth.year:
                    ok = False
                    err(labels["personal_id"], raw_pid, "pid_year_mismatch",
                        f"digits 4-6 matching birth year {birth.year} (found {pid.birth_year})")
                if ok:
                    personal_id = pid.value
                    if not pid.known_province:
                        warnings.append(Issue(
                            sheet_row, labels["personal_id"], render_cell(raw_pid),
                            "pid_unknown_province",
                            "a known province code as the first 3 digits (accepted)",
                            "warning"))

        si_number: str | None = None
        raw = r[c_si]
        if raw is not None and not (isinstance(raw, str) and not raw.strip()):
            try:
                si_number = parse_si_number(raw)
            except ValueProblem as e:
                err(labels["si_number"], raw, e.code, e.expected)

        if (pid_text is None and si_number is None
                and not any(x.code == "si_number_invalid" for x in errors)):
            err(identity_column, raw_pid, "identity_missing",
                "a personal ID (12 digits) or a social insurance number (10 digits)")

        old_id: str | None = None
        raw = r[c_old]
        if raw is not None and not (isinstance(raw, str) and not raw.strip()):
            try:
                old_id = parse_old_id(raw)
            except ValueProblem as e:
                err(labels["old_id"], raw, e.code, e.expected)

        # ---- commune, benefit, amount -------------------------------------------------------
        commune_code: str | None = None
        raw = r[c_commune]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            err(labels["commune"], raw, "value_missing", _COMMUNE_EXPECTED)
        else:
            try:
                commune_code = communes.resolve(raw)
            except ValueProblem as e:
                err(labels["commune"], raw, e.code, e.expected)

        benefit: str | None = None
        raw = r[c_benefit]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            err(labels["benefit_type"], raw, "value_missing", benefits.expected)
        else:
            try:
                benefit = benefits.resolve(raw)
            except ValueProblem as e:
                err(labels["benefit_type"], raw, e.code, e.expected)

        amount: int | None = None
        raw = r[c_amount]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            err(labels["monthly_amount"], raw, "value_missing", "the monthly amount")
        else:
            try:
                amount = p_amount(raw)
            except ValueProblem as e:
                err(labels["monthly_amount"], raw, e.code, e.expected)

        # ---- optional fields ----------------------------------------------------------------
        start_month: date | None = None
        raw = r[c_start]
        if raw is not None and not (isinstance(raw, str) and not raw.strip()):
            try:
                start_month = p_month(raw)
            except ValueProblem as e:
                err(labels["start_month"], raw, e.code, e.expected)

        paid_through: date | None = None
        raw = r[c_paid]
        if raw is not None and not (isinstance(raw, str) and not raw.strip()):
            try:
                paid_through = p_month(raw)
            except ValueProblem as e:
                err(labels["paid_through"], raw, e.code, e.expected)

        address = clean_text(r[c_addr])
        if address is not None and len(address) > max_address:
            err(labels["address"], r[c_addr], "value_too_long",
                too_long(max_address, len(address)))

        phone: str | None = None
        raw = r[c_phone]
        if raw is not None and not (isinstance(raw, str) and not raw.strip()):
            try:
                phone = p_phone(raw)
            except ValueProblem as e:
                # A bad phone must not block a pension: keep the row, drop the phone, warn.
                warnings.append(Issue(sheet_row, labels["phone"], render_cell(raw), e.code,
                                      e.expected, "warning"))

        # ---- duplicates within the file -----------------------------------------------------
        identity = personal_id if personal_id else (f"si:{si_number}" if si_number else None)
        dup_key: tuple[str, str] | None = None
        if identity is not None and benefit is not None:
            dup_key = (identity, benefit)
            first = seen.get(dup_key)
            if first is not None:
                err(identity_column if personal_id else labels["si_number"],
                    raw_pid if personal_id else r[c_si], "duplicate_in_file",
                    f"unique; same person and benefit as row {first}")

        if errors:
            rejected.append(RejectedRow(sheet_row, data_row, list(row), errors + warnings))
            continue
        assert full_name is not None and birth is not None and sex is not None
        assert commune_code is not None and benefit is not None and amount is not None
        if dup_key is not None:
            seen[dup_key] = sheet_row
        records.append(BeneficiaryRecord(
            sheet_row, data_row, personal_id, old_id, si_number, full_name, birth, precision,
            sex, commune_code, address, phone, benefit, amount, start_month, paid_through,
            warnings,
        ))
    return ParseResult(records, rejected, header, data_row)
