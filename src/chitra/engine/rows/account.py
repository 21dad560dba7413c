"""Turn a provider's account confirmation file into validated account records and per-row issues.

Banks, Vietnam Post, mobile-money providers and e-wallets send back the accounts of pensioners:
one row per person and account (personal ID, bank or provider, account number / phone / wallet ID,
holder name, status). The reading rules are the beneficiary import's: any spreadsheet format, title
lines, one- or two-row headers, STT, blank rows, totals, NFD text, numbers that lost leading zeros
(see :func:`chitra.engine.rows.beneficiary.iter_data_rows`).

Pure Python, no Django. Comparing the holder name with the beneficiary and the representatives
needs the database and is the Django layer's job; ``holder_folded`` is the key for it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Literal

from chitra.engine.rows.beneficiary import (
    BENEFICIARY_FIELDS,
    iter_data_rows,
    parse_person_name,
    parse_pid,
)
from chitra.engine.sheets.headers import HeaderError, HeaderMatch
from chitra.engine.sheets.reading import Grid
from chitra.engine.sheets.spec import (
    ColumnSpec,
    Row,
    RowSpec,
    RowsResult,
    Unique,
    cached,
    is_empty,
    validate,
)
from chitra.engine.sheets.values import (
    MAX_CELL_CHARS,
    VALUE_CODES,
    ValueProblem,
    parse_phone,
    render_cell,
)
from chitra.kernel.issues import Issue
from chitra.kernel.names import clean_text, fold_name
from chitra.kernel.personal_id import (
    PERSONAL_ID_ERROR_CODES,
)

__all__ = [
    "ACCOUNT_FIELDS",
    "ACCOUNT_ISSUE_CODES",
    "DUPLICATE_PREFIX",
    "AccountParseResult",
    "AccountRecord",
    "ProviderKind",
    "ProviderRef",
    "account_spec",
    "parse_account_grid",
    "parse_account_number",
]

ProviderKind = Literal["bank", "post", "mobile_money", "ewallet"]
AccountMethod = Literal["BANK_ACCOUNT", "MOBILE_MONEY", "EWALLET"]
AccountStatus = Literal["active", "closed"]

ACCOUNT_FIELDS: dict[str, tuple[str, ...]] = {
    "stt": BENEFICIARY_FIELDS["stt"],
    "personal_id": BENEFICIARY_FIELDS["personal_id"],
    "full_name": ("Họ và tên", "Họ tên", "Tên khách hàng"),
    "bank": ("Ngân hàng", "Mã ngân hàng", "Tên ngân hàng"),
    "provider": ("Nhà cung cấp", "Nhà cung cấp dịch vụ", "Ví điện tử"),
    "account_number": ("Số tài khoản", "STK", "Số TK", "Số tài khoản ngân hàng"),
    "phone": ("Số điện thoại", "SĐT", "Điện thoại"),
    "wallet_id": ("Số ví", "Mã ví"),
    "holder_name": (
        "Tên chủ tài khoản",
        "Chủ tài khoản",
        "Tên tài khoản",
        "Tên chủ TK",
        "Họ tên chủ tài khoản",
        "Họ và tên chủ tài khoản",
    ),
    "status": ("Trạng thái", "Tình trạng"),
}
REQUIRED: tuple[str, ...] = ("personal_id", "holder_name")
#: the holder name is stored (Account.holder_name, ChangeRequest.holder_name: max_length)
HOLDER_MAX_CHARS: dict[str, int] = {"holder_name": 150}

ACCOUNT_ISSUE_CODES: dict[str, str] = {
    "identity_missing": "the personal ID is empty",
    **{
        k: v
        for k, v in PERSONAL_ID_ERROR_CODES.items()
        if k not in ("pid_sex_mismatch", "pid_year_mismatch")
    },
    "pid_unknown_province": "the personal ID prefix is not a known province code (warning)",
    "method_unclear": "both or neither of a bank and a mobile money / e-wallet provider are given",
    "provider_unknown": "the bank or provider is not recognised",
    "provider_ambiguous": "the bank or provider name matches several providers",
    "account_missing": "the bank account number is empty",
    "account_invalid": "the bank account number is not 6 to 19 digits",
    "phone_missing": "neither a phone number nor a wallet ID is given for the provider",
    "phone_invalid": VALUE_CODES["phone_invalid"],
    "wallet_invalid": "not a valid wallet ID",
    "holder_missing": "the account holder name is empty",
    "holder_invalid": "the account holder name contains no letters",
    "status_invalid": "the account status is not recognised",
    "duplicate_in_file": "the same person, provider and account appear on an earlier row",
    "value_too_long": VALUE_CODES["value_too_long"],
}

#: ``expected`` of ``duplicate_in_file`` is this prefix and the earlier row's number (the same
#: "unique; same ... as row N" convention as the beneficiary import).
DUPLICATE_PREFIX = "unique; same person, provider and account as row "
ACCOUNT_EXPECTED = "a bank account number of 6 to 19 digits"
_ACCOUNT_AS_TEXT = (
    f"{ACCOUNT_EXPECTED}, typed as text (a number in scientific notation such "
    "as 1.23456789012E+11 has lost its digits)"
)
WALLET_EXPECTED = "a wallet ID (letters, digits, . _ - @ +; 3 to 64 characters)"
STATUS_EXPECTED = "Hoạt động (active) or Đã đóng (closed)"
_METHOD_EXPECTED = (
    "a bank (with an account number) or a mobile money / e-wallet provider "
    "(with a phone number or wallet ID)"
)

_METHOD_BY_KIND: dict[str, AccountMethod] = {
    "bank": "BANK_ACCOUNT",
    "mobile_money": "MOBILE_MONEY",
    "ewallet": "EWALLET",
    "post": "EWALLET",  # Vietnam Post's wallet (PostPay), addressed by phone or wallet ID
}
_KIND_TEXT = {
    "bank": "a bank",
    "post": "Vietnam Post",
    "mobile_money": "a mobile money provider",
    "ewallet": "an e-wallet",
}


@dataclass
class ProviderRef:
    """A money mover known to the caller: banks (code = NAPAS BIN), Vietnam Post, mobile money,
    e-wallets. ``names`` are matched folded (codes, short names, full names, SWIFT codes...)."""

    code: str
    kind: ProviderKind
    names: Sequence[str] = ()


@dataclass(slots=True)
class AccountRecord:
    sheet_row: int
    data_row: int
    personal_id: str
    provider_code: str
    provider_kind: ProviderKind
    method: AccountMethod
    account_number: str | None
    phone: str | None
    wallet_id: str | None
    holder_name: str
    holder_folded: str
    status: AccountStatus
    full_name: str | None
    warnings: list[Issue] = field(default_factory=list)

    @property
    def address(self) -> str:
        """The account's address at its provider: account number, else phone, else wallet ID."""
        return self.account_number or self.phone or self.wallet_id or ""


AccountParseResult = RowsResult[AccountRecord]


# --------------------------------------------------------------------------------------------
# cell parsers
# --------------------------------------------------------------------------------------------

_SCIENTIFIC = re.compile(r"[+-]?[0-9]*[.,]?[0-9]+\s*[eE]\s*[+-]?[0-9]+")
_ACCOUNT_STRIP = str.maketrans(
    {
        " ": None,
        ".": None,
        "-": None,
        "\u00a0": None,
        "\u202f": None,
        "\t": None,
        "'": None,
        "\u2013": None,
        "_": None,
    }
)
_FLOAT_ZERO = re.compile(r"([0-9]+)\.0")
_EXACT_DIGITS = 15  # an IEEE double (and Excel) keeps 15 significant digits exactly


def _number_digits(cell: int | float, code: str, expected: str) -> str:
    """Digits of a numeric cell (Excel turned the text into a number)."""
    if isinstance(cell, float):
        if not math.isfinite(cell) or not cell.is_integer():
            raise ValueProblem(code, expected)
        cell = int(cell)
    if cell < 0:
        raise ValueProblem(code, expected)
    text = str(cell)
    if len(text) > _EXACT_DIGITS:  # Excel zeroes the digits after the 15th
        raise ValueProblem(
            code, f"{expected}, typed as text (Excel keeps only 15 digits of a number)"
        )
    return text


def parse_account_number(cell: object) -> str:
    """A bank account number as its digit string (6 to 19 digits).

    Numbers (Excel turned the text into a number) are kept as their digits: leading zeros lost
    that way cannot be seen here. Numbers over 15 significant digits, fractions and text in
    scientific notation (``1.23456789012E+11``) have lost digits and are rejected. Spaces, dots,
    dashes and a leading apostrophe are separators.
    """
    if isinstance(cell, bool) or cell is None:
        raise ValueProblem("account_invalid", ACCOUNT_EXPECTED)
    if isinstance(cell, int | float):
        text = _number_digits(cell, "account_invalid", ACCOUNT_EXPECTED)
    elif isinstance(cell, str):
        if cell.isascii() and cell.isdigit():
            text = cell
        else:
            cleaned = clean_text(cell)
            if cleaned is None:
                raise ValueProblem("account_invalid", ACCOUNT_EXPECTED)
            if _SCIENTIFIC.fullmatch(cleaned):
                raise ValueProblem("account_invalid", _ACCOUNT_AS_TEXT)
            m = _FLOAT_ZERO.fullmatch(cleaned)  # "123456789012.0": a float written as text
            text = m[1] if m else cleaned.translate(_ACCOUNT_STRIP)
    else:
        raise ValueProblem("account_invalid", ACCOUNT_EXPECTED)
    if not (text.isascii() and text.isdigit() and 6 <= len(text) <= 19):
        raise ValueProblem("account_invalid", ACCOUNT_EXPECTED)
    return text


_WALLET = re.compile(r"[A-Za-z0-9._@+\-]{3,64}")


def _parse_wallet_id(cell: object) -> str:
    if isinstance(cell, bool) or cell is None:
        raise ValueProblem("wallet_invalid", WALLET_EXPECTED)
    if isinstance(cell, int | float):
        return _number_digits(cell, "wallet_invalid", WALLET_EXPECTED)
    text = clean_text(cell)
    if text is None:
        raise ValueProblem("wallet_invalid", WALLET_EXPECTED)
    text = text.replace(" ", "")
    if _SCIENTIFIC.fullmatch(text) or _WALLET.fullmatch(text) is None:
        raise ValueProblem("wallet_invalid", WALLET_EXPECTED)
    return text


_STATUS: dict[str, AccountStatus] = {
    "HOAT DONG": "active",
    "DANG HOAT DONG": "active",
    "ACTIVE": "active",
    "DA DONG": "closed",
    "DONG": "closed",
    "CLOSED": "closed",
}


def _parse_status(cell: object) -> AccountStatus:
    if not isinstance(cell, str):
        raise ValueProblem("status_invalid", STATUS_EXPECTED)
    found = _STATUS.get(fold_name(cell).rstrip(". "))
    if found is None:
        raise ValueProblem("status_invalid", STATUS_EXPECTED)
    return found


# --------------------------------------------------------------------------------------------
# provider resolution
# --------------------------------------------------------------------------------------------

_NOT_ALNUM = re.compile(r"[^0-9A-Z]+")
# Words that do not tell banks apart ("Ngân hàng TMCP Á Châu" = "NH Á Châu" = "Á Châu").
_NOISE_WORDS = re.compile(r"\b(?:NGAN HANG|THUONG MAI CO PHAN|TMCP|NH|VI DIEN TU)\b")
_BANK_WORD = re.compile(r"\bBANK\b")
_BIN = re.compile(r"[0-9]{6}")
_BIN_AND_NAME = re.compile(r"([0-9]{6})\s*[-\u2013:|/]\s*(.+)")


def _keys(text: str) -> tuple[str, str]:
    """(key, key without the word BANK): folded, noise words dropped, letters and digits only.

    "Vietin Bank" = "VietinBank" (key); "MB Bank" = "MB" (key without BANK).
    """
    words = " ".join(_NOT_ALNUM.sub(" ", fold_name(text)).split())
    words = _NOISE_WORDS.sub(" ", words)
    key = words.replace(" ", "")
    return key, _BANK_WORD.sub(" ", words).replace(" ", "")


class _ProviderIndex:
    """Resolve a cell to one provider among ``refs`` (by code, BIN or any name, folded)."""

    def __init__(self, refs: Sequence[ProviderRef], expected: str) -> None:
        self.by_code: dict[str, ProviderRef] = {}
        self.full: dict[str, set[str]] = {}
        self.loose: dict[str, set[str]] = {}
        for ref in refs:
            self.by_code.setdefault(ref.code, ref)
            for name in (ref.code, *ref.names):
                if not name or not str(name).strip():
                    continue
                key, loose = _keys(str(name))
                if key:
                    self.full.setdefault(key, set()).add(ref.code)
                if loose:
                    self.loose.setdefault(loose, set()).add(ref.code)
        self.expected = expected
        self.cache: dict[tuple[type, object], ProviderRef | ValueProblem] = {}

    def resolve(self, cell: object) -> ProviderRef:
        key = (cell.__class__, cell)
        hit = self.cache.get(key)
        if hit is None:
            hit = self._resolve(cell)
            self.cache[key] = hit
        if isinstance(hit, ValueProblem):
            raise hit
        return hit

    def find(self, text: str) -> set[str]:
        """Codes of the providers that ``text`` names (empty: none)."""
        digits = text.replace(" ", "")
        if _BIN.fullmatch(digits) or (digits.isdigit() and digits in self.by_code):
            return {digits} if digits in self.by_code else set()
        key, loose = _keys(text)
        if not key:
            return set()
        found = self.full.get(key)
        if not found:
            found = self.loose.get(loose) if loose else None
        return set(found) if found else set()

    def _resolve(self, cell: object) -> ProviderRef | ValueProblem:
        if isinstance(cell, bool):
            return ValueProblem("provider_unknown", self.expected)
        if isinstance(cell, int):
            text: str | None = str(cell)
        elif isinstance(cell, float) and math.isfinite(cell) and cell.is_integer():
            text = str(int(cell))
        else:
            text = clean_text(cell)
        if text is None:
            return ValueProblem("provider_unknown", self.expected)
        m = _BIN_AND_NAME.fullmatch(text)  # "970405 - Agribank"
        if m is not None and m[1] in self.by_code:
            named = self.find(m[2])
            if named and m[1] not in named:
                return ValueProblem(
                    "provider_ambiguous",
                    f"one provider; BIN {m[1]} and name '{m[2]}' name different providers",
                )
            return self.by_code[m[1]]
        found = self.find(text)
        if not found:
            return ValueProblem("provider_unknown", self.expected)
        if len(found) > 1:
            codes = sorted(found)
            return ValueProblem(
                "provider_ambiguous",
                f"one provider; this name matches {len(codes)} providers ({', '.join(codes)}), "
                "give the BIN or code",
            )
        return self.by_code[next(iter(found))]


def _bank_expected(banks: Sequence[ProviderRef]) -> str:
    text = "a bank BIN (6 digits), code or name"
    if banks:
        first = banks[0]
        shown = list(dict.fromkeys([first.code, *(str(n) for n in first.names[:2] if n)]))
        text += ", e.g. " + " or ".join(shown)
    return text


def _provider_expected(others: Sequence[ProviderRef]) -> str:
    text = "a mobile money or e-wallet provider code or name"
    if others:
        text += ", e.g. " + ", ".join(str(r.names[0]) if r.names else r.code for r in others[:4])
    return text


# --------------------------------------------------------------------------------------------
# rows
# --------------------------------------------------------------------------------------------


def _empty(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _header_error(header: HeaderMatch) -> HeaderError | None:
    """Account columns: (bank + account number) or (provider + phone or wallet ID)."""
    cols = header.columns
    options = (("bank", "account_number"), ("provider", "phone"), ("provider", "wallet_id"))
    if any(all(k in cols for k in opt) for opt in options):
        return None
    best = max(options, key=lambda opt: sum(k in cols for k in opt))
    if not any(k in cols for k in best):
        best = options[0]
    missing = [k for k in best if k not in cols]
    if best[0] == "provider" and "phone" in missing:
        missing.append("wallet_id")
    return HeaderError(missing, dict(header.labels), ACCOUNT_FIELDS)


_LETTER = re.compile(r"[^\W\d_]").search


def _looks_like_number(cell: object) -> bool:
    """A personal ID, account number or phone: a number, or text of 6+ digits and no letter."""
    if isinstance(cell, bool) or cell is None:
        return False
    if isinstance(cell, int | float):
        return True
    text = str(cell)
    return _LETTER(text) is None and sum(ch.isdigit() for ch in text) >= 6


def _is_grand_total(row: Sequence[object]) -> bool:
    first = next((c for c in row if isinstance(c, str) and c.strip()), None)
    return first is not None and fold_name(first).startswith("TONG")


# over the limits: the footer and pre-numbered-row checks of an account file on top of
# :func:`iter_data_rows`, in the same single pass over the rows.
def _data_rows(
    grid: Grid, header: HeaderMatch, width: int
) -> Iterator[tuple[int, int, list[object]]]:
    """The account rows, by :func:`iter_data_rows` of the beneficiary import.

    ``iter_data_rows`` recognises totals, footers and repeated headers by beneficiary columns;
    account columns stand in for them (cells that a totals, subtotal or footer row leaves empty):
    the holder name for the name, the personal ID for the birth date, the account number (in a
    provider file the phone, else the wallet ID) for the social insurance number and the amount,
    the phone (else the wallet ID) for the sex. On top of that:

    * under a grand total ("Tổng cộng"), rows without a personal ID, account number or phone
      that looks like a number (nor a wallet ID) are the footer (signatures, place and date),
      whichever columns their texts fall in;
    * rows where only the STT cell is filled (a pre-numbered template) are skipped.
    """
    cols = header.columns
    address = next((cols[k] for k in ("account_number", "phone", "wallet_id") if k in cols), width)
    contact = next((cols[k] for k in ("phone", "wallet_id") if k in cols), width)
    mapped = {
        "personal_id": cols["personal_id"],
        "full_name": cols["holder_name"],
        "birth_date": cols["personal_id"],
        "si_number": address,
        "monthly_amount": address,
        "sex": contact,
    }
    proxy = replace(header, columns=mapped)
    c_pid, c_holder, c_stt = cols["personal_id"], cols["holder_name"], cols.get("stt", width)
    numbers = [cols[k] for k in ("personal_id", "account_number", "phone") if k in cols]
    c_wallet = cols.get("wallet_id", width)
    rows = grid.rows
    after_total = False
    previous = header.data_start  # 1-based sheet row of the last row looked at
    data_row = 0
    for sheet_row, _, r in iter_data_rows(grid, proxy, width):
        if not after_total:
            after_total = any(_is_grand_total(rows[i]) for i in range(previous, sheet_row - 1))
        previous = sheet_row
        if after_total:
            wallet = r[c_wallet]
            if not any(_looks_like_number(r[c]) for c in numbers) and (
                _empty(wallet) or " " in str(wallet).strip()
            ):
                continue  # footer under the grand total
        if (
            _empty(r[c_pid])
            and _empty(r[c_holder])
            and all(_empty(c) for i, c in enumerate(r) if i != c_stt)
        ):
            continue  # only the STT cell is filled
        data_row += 1
        yield sheet_row, data_row, r


def _holder(cell: object) -> str | None:
    return parse_person_name(
        cell, limit=HOLDER_MAX_CHARS["holder_name"], invalid_code="holder_invalid"
    )


def pid_known_province(row: Row) -> None:
    """The personal ID's value; an unknown province prefix is accepted with a warning."""
    pid = row.values["personal_id"]
    if pid is None:
        return
    row.values["personal_id"] = pid.value
    if not pid.known_province:
        row.warn(
            row.labels["personal_id"],
            row.cell("personal_id"),
            "pid_unknown_province",
            "a known province code as the first 3 digits (accepted)",
        )


class _Method:
    """The rule of the payment method: a bank with an account number, or a mobile money /
    e-wallet provider with a phone number or wallet ID (never both, never neither)."""

    def __init__(self, providers: Sequence[ProviderRef]) -> None:
        banks_list = [p for p in providers if p.kind == "bank"]
        others_list = [p for p in providers if p.kind != "bank"]
        self.banks = _ProviderIndex(banks_list, _bank_expected(banks_list))
        self.others = _ProviderIndex(others_list, _provider_expected(others_list))
        self.phone = cached(parse_phone)

    def __call__(self, row: Row) -> None:
        v = row.values
        v.update(provider=None, account_number=None, phone=None, wallet_id=None, address=None)
        raw_bank, raw_prov = row.cell("bank"), row.cell("provider")
        if is_empty(raw_bank) == is_empty(raw_prov):
            shown = [row.labels[k] for k in ("bank", "provider") if k in row.cols]
            values = [render_cell(v) for v in (raw_bank, raw_prov) if not is_empty(v)]
            row.error(
                " / ".join(shown),
                " / ".join(values),
                "method_unclear",
                _METHOD_EXPECTED + (", not both" if values else ""),
            )
        elif not is_empty(raw_bank):
            self.bank_account(row, raw_bank)
        else:
            self.provider_contact(row, raw_prov)

    def bank_account(self, row: Row, raw_bank: object) -> None:
        labels, v = row.labels, row.values
        try:
            v["provider"] = self.banks.resolve(raw_bank)
        except ValueProblem as e:
            expected = e.expected
            if e.code == "provider_unknown":
                elsewhere = self.others.find(render_cell(raw_bank).strip())
                if len(elsewhere) == 1:
                    kind = self.others.by_code[next(iter(elsewhere))].kind
                    expected += (
                        f"; this is {_KIND_TEXT[kind]}: give it in column "
                        f"'{labels['provider']}' with a phone number or wallet ID"
                    )
            row.error(labels["bank"], raw_bank, e.code, expected)
        raw = row.cell("account_number")
        if is_empty(raw):
            row.error(labels["account_number"], raw, "account_missing", ACCOUNT_EXPECTED)
        else:
            try:
                v["account_number"] = parse_account_number(raw)
                v["address"] = (labels["account_number"], raw)
            except ValueProblem as e:
                row.error(labels["account_number"], raw, e.code, e.expected)
        raw = row.cell("phone")
        if not is_empty(raw):
            try:
                v["phone"] = self.phone(raw)
            except ValueProblem as e:  # the phone of a bank account is informative only
                row.warn(labels["phone"], raw, e.code, e.expected)

    def provider_contact(self, row: Row, raw_prov: object) -> None:
        labels, v = row.labels, row.values
        try:
            v["provider"] = self.others.resolve(raw_prov)
        except ValueProblem as e:
            expected = e.expected
            if e.code == "provider_unknown":
                elsewhere = self.banks.find(render_cell(raw_prov).strip())
                if len(elsewhere) == 1:
                    expected += (
                        f"; this is a bank: give it in column '{labels['bank']}'"
                        " with an account number"
                    )
            row.error(labels["provider"], raw_prov, e.code, expected)
        raw_phone, raw_wallet = row.cell("phone"), row.cell("wallet_id")
        if not is_empty(raw_phone):
            try:
                v["phone"] = self.phone(raw_phone)
                v["address"] = (labels["phone"], raw_phone)
            except ValueProblem as e:
                row.error(labels["phone"], raw_phone, e.code, e.expected)
        if not is_empty(raw_wallet):
            try:
                v["wallet_id"] = _parse_wallet_id(raw_wallet)
                if v["address"] is None:
                    v["address"] = (labels["wallet_id"], raw_wallet)
            except ValueProblem as e:
                row.error(labels["wallet_id"], raw_wallet, e.code, e.expected)
        if is_empty(raw_phone) and is_empty(raw_wallet):
            shown = [labels[k] for k in ("phone", "wallet_id") if k in row.cols]
            row.error(
                " / ".join(shown) or labels["phone"],
                "",
                "phone_missing",
                "a phone number or a wallet ID",
            )


def _person_account(row: Row) -> tuple[str, str, str] | None:
    v = row.values
    if v["personal_id"] is None or v["provider"] is None or v["address"] is None:
        return None
    return (
        v["personal_id"],
        v["provider"].code,
        (v["account_number"] or v["phone"] or v["wallet_id"] or ""),
    )


def _duplicate(row: Row, first: int) -> None:
    column, raw = row.values["address"]
    row.error(
        column, raw, "duplicate_in_file", f"{DUPLICATE_PREFIX}{first}", row=first, of="account"
    )


def _record(row: Row) -> AccountRecord:
    v = row.values
    ref, holder = v["provider"], v["holder_name"]
    return AccountRecord(
        row.sheet_row,
        row.data_row,
        v["personal_id"],
        ref.code,
        ref.kind,
        _METHOD_BY_KIND[ref.kind],
        v["account_number"],
        v["phone"],
        v["wallet_id"],
        holder,
        fold_name(holder),
        v["status"] or "active",
        v["full_name"],
        row.warnings,
    )


def account_spec(
    providers: Sequence[ProviderRef], *, max_cell_chars: int = MAX_CELL_CHARS
) -> RowSpec[AccountRecord]:
    """The columns of an account confirmation file, in the order they are checked."""
    f, req = ACCOUNT_FIELDS, set(REQUIRED)

    def col(name: str, parser: Any = None, missing: tuple[str, str] | None = None) -> ColumnSpec:
        return ColumnSpec(name, f[name], parser, name in req, missing)

    steps = (
        col("personal_id", parse_pid, ("identity_missing", "a personal ID (12 digits)")),
        pid_known_province,
        col("holder_name", _holder, ("holder_missing", "the account holder's name")),
        col("full_name", clean_text),
        col("status", _parse_status),
        _Method(providers),
    )
    parsed = {s.field: s for s in steps if isinstance(s, ColumnSpec)}
    return RowSpec(
        columns=[parsed.get(name) or col(name) for name in f],
        steps=steps,
        data_rows=_data_rows,
        record=_record,
        header_check=_header_error,
        unique=Unique(_person_account, _duplicate),
        text_limits=tuple(HOLDER_MAX_CHARS),
        label_default=lambda k: ACCOUNT_FIELDS[k][0],
        max_cell_chars=max_cell_chars,
    )


def parse_account_grid(
    grid: Grid,
    providers: Sequence[ProviderRef],
    *,
    today: date,
    max_cell_chars: int = MAX_CELL_CHARS,
) -> AccountParseResult:
    """Validate every data row of an account confirmation file.

    ``providers`` are the money movers the file may name: a ``Ngân hàng`` cell resolves among the
    banks (by BIN, code or any name), a ``Nhà cung cấp`` cell among the others (Vietnam Post,
    mobile money, e-wallets). ``today`` is the import date (kept for date checks; unused now).
    Raises :class:`~chitra.engine.sheets.headers.HeaderError` when the personal ID or holder
    name column is missing, or when neither (bank + account number) nor (provider + phone or
    wallet ID) columns exist.
    """
    del today  # reserved: the file has no date column yet
    return validate(grid, account_spec(providers, max_cell_chars=max_cell_chars))
