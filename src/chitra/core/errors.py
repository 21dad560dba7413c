"""Error codes and the messages users read (Vietnamese first, through gettext).

The engine reports problems as codes with the row, column and value; this module turns them into
sentences naming the row, the column, the value and what is expected.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chitra.kernel.issues import Issue
from chitra.kernel.names import nfc


class ChitraError(Exception):
    """An error whose message is meant for the user (already translated)."""


class ImportFileError(ChitraError):
    """The file cannot be imported at all (unreadable, no recognisable header...)."""


#: What is expected, per issue code. English msgids, translated to Vietnamese in locale/.
EXPECTED: dict[str, Any] = {
    "identity_missing": gettext_lazy(
        "a personal ID number (12 digits) or a social insurance number (10 digits)"
    ),
    "pid_not_digits": gettext_lazy("12 digits"),
    "pid_length": gettext_lazy("12 digits"),
    "pid_century": gettext_lazy("a valid century and sex digit (4th digit)"),
    "pid_sex_mismatch": gettext_lazy("a 4th digit that agrees with the sex"),
    "pid_year_mismatch": gettext_lazy("digits 4 to 6 that agree with the year of birth"),
    "pid_unknown_province": gettext_lazy("a known province code in the first 3 digits"),
    "full_name_missing": gettext_lazy("the full name"),
    "date_invalid": gettext_lazy("a date as dd/mm/yyyy, mm/yyyy or yyyy"),
    "date_future": gettext_lazy("a date not in the future"),
    "date_too_old": gettext_lazy("a year after 1890"),
    "month_invalid": gettext_lazy("a month as mm/yyyy"),
    "sex_invalid": gettext_lazy("Nam or Nữ"),
    "commune_unknown": gettext_lazy("a commune code or name of the province"),
    "commune_ambiguous": gettext_lazy("a commune code (several communes have this name)"),
    "benefit_unknown": gettext_lazy(
        "a benefit: Lương hưu, Trợ cấp BHXH hằng tháng, BHXH một lần, Trợ cấp thất nghiệp, "
        "Trợ cấp tuất một lần, Trợ cấp mai táng (or its code)"
    ),
    "amount_invalid": gettext_lazy("a whole amount of đồng greater than 0"),
    "amount_fraction": gettext_lazy("a whole amount of đồng (no fraction)"),
    "amount_not_positive": gettext_lazy("an amount greater than 0"),
    "name_invalid": gettext_lazy("a person's full name"),
    "phone_invalid": gettext_lazy("a Vietnamese mobile number such as 0912345678"),
    "si_number_invalid": gettext_lazy("10 digits"),
    "old_id_invalid": gettext_lazy("9 or 12 digits"),
    "value_missing": gettext_lazy("a value"),
    "duplicate_in_file": None,  # the engine names the earlier row
    "commune_out_of_scope": gettext_lazy("a commune of your area"),
    "beneficiary_out_of_scope": gettext_lazy("a beneficiary of your area"),
    "si_number_taken": None,
    "pid_conflicts_si": None,
    # provider account files
    "provider_unknown": gettext_lazy("a bank BIN, code or name, or a provider of the list"),
    "provider_ambiguous": gettext_lazy("a bank or provider name that names only one"),
    "account_invalid": gettext_lazy("an account number of 6 to 19 digits, typed as text"),
    "account_missing": gettext_lazy("the account number"),
    "phone_missing": gettext_lazy("the phone number or wallet id"),
    "wallet_invalid": gettext_lazy("a wallet id (letters, digits)"),
    "holder_missing": gettext_lazy("the account holder's name"),
    "holder_invalid": gettext_lazy("the account holder's name"),
    "status_invalid": gettext_lazy("Hoạt động or Đã đóng"),
    "method_unclear": gettext_lazy(
        "either a bank and an account number, or a provider and a phone or wallet id"
    ),
    "beneficiary_unknown": gettext_lazy("the personal ID of a living beneficiary of your area"),
    "provider_not_yours": gettext_lazy("your own organisation's accounts"),
    "holder_name_mismatch": gettext_lazy(
        "the account holder's name of the change request or of the account (the beneficiary "
        "or a valid representative)"
    ),
    "request_refused": None,  # the message names what is wrong with the caller's own input
    # results files of the payment cycle
    "result_reference_missing": gettext_lazy("a payment reference"),
    "result_status_invalid": gettext_lazy("succ (paid) or rjct (failed)"),
    "reference_invalid": gettext_lazy("a payment reference of 22 digits"),
    "reference_unknown": gettext_lazy("a payment reference of this cycle (and of your batches)"),
    "line_not_sent": gettext_lazy("a line of a released batch"),
    "reason_unknown": gettext_lazy("a reason code of the return-reason catalogue"),
    "reference_duplicate": None,  # names the earlier row
    "line_final_changed": None,  # names the recorded result
    "amount_differs": None,  # names the amount sent
    "value_too_long": None,  # names the limit and the length
    # pain.002 status reports (the column is the element path)
    "pain002_status_unknown": gettext_lazy(
        "an ISO 20022 payment status (ACSC, ACCC, RJCT, PART, a pending one such as ACTC, "
        "ACCP, ACSP, PDNG, RCVD, or a name check RCVC, RVMC, RVNM, RVNA)"
    ),
    "pain002_status_missing": gettext_lazy(
        "a TxSts, or a PmtInfSts or GrpSts (other than PART) to inherit"
    ),
    "pain002_reference_missing": gettext_lazy(
        "the OrgnlEndToEndId of a payment chitra sent (or the OrgnlPmtInfId of the block)"
    ),
    "pain002_part_without_transactions": gettext_lazy(
        "the payments (TxInfAndSts) of a partly accepted message or block"
    ),
    "pain002_count_invalid": gettext_lazy("a DtldSts code and a whole DtldNbOfTxs"),
    "pain002_block_unknown": gettext_lazy(
        "a payment-information block (PmtInfId) of the message chitra sent"
    ),
}

#: characters of a value quoted in a message (the engine cuts its own the same way)
_SHOWN = 100


def render_expected(issue: Issue) -> str:
    """What the cell should hold, in the active language, from the issue's code and params
    (the one place an issue becomes words; the engine's English ``expected`` is the fallback
    of a code without a sentence of its own)."""
    p = issue.params
    if issue.code == "duplicate_in_file" and "row" in p:
        if p.get("of") == "account":
            return _("a single row per person and account (already on row %(row)s)") % {
                "row": p["row"]
            }
        return _("a single row per person and benefit (already on row %(row)s)") % {"row": p["row"]}
    if issue.code == "reference_duplicate":
        return _("a reference given once (already on row %(row)s)") % {"row": p["row"]}
    if issue.code == "line_final_changed":
        return _("the result already recorded (%(status)s), which is final") % {
            "status": p["status"]
        }
    if issue.code == "amount_differs":
        return _("the amount sent, %(amount)s đồng") % {"amount": p["amount"]}
    if issue.code == "value_too_long" and "limit" in p:
        return _("at most %(limit)s characters (this one has %(count)s)") % {
            "limit": f"{p['limit']:,}",
            "count": f"{p['count']:,}",
        }
    text = EXPECTED.get(issue.code)
    return str(text) if text is not None else issue.expected


def render_issue(issue: Issue) -> str:
    """`Dòng 12, cột 'Số CCCD': giá trị '0012' — cần 12 chữ số` (in the active language)."""
    expected = render_expected(issue)
    value, column = nfc(issue.value or ""), nfc(issue.column or "")
    if len(value) > _SHOWN:
        value = value[:_SHOWN] + "…"
    if issue.severity == "warning":
        return _(
            "Row %(row)s, column '%(column)s': value '%(value)s' — warning: expected %(expected)s"
        ) % {"row": issue.sheet_row, "column": column, "value": value, "expected": expected}
    return _("Row %(row)s, column '%(column)s': value '%(value)s' — expected %(expected)s") % {
        "row": issue.sheet_row,
        "column": column,
        "value": value,
        "expected": expected,
    }


# --------------------------------------------------------------------------------------------
# files that cannot be read: limits, empty workbooks, no header (one line each)
# --------------------------------------------------------------------------------------------


def _size(value: object) -> str:
    from django.template.defaultfilters import filesizeformat

    return str(filesizeformat(value))  # type: ignore[arg-type]


def _quoted(names: Any) -> str:
    return ", ".join(f"'{nfc(str(n))}'" for n in names)


def table_error_text(exc: Any) -> str:
    """A :class:`~chitra.engine.sheets.reading.TableReadError` in the active language: the coded
    ones (limits, empty workbook, no header) in full, the others as the engine wrote them."""
    code = getattr(exc, "code", "")
    p = dict(getattr(exc, "params", {}) or {})
    for group in (_archive_error_text, _dimension_error_text, _content_error_text):
        text = group(code, p)
        if text is not None:
            return text
    return str(getattr(exc, "message", exc))


def _archive_error_text(code: str, p: dict[str, Any]) -> str | None:
    """The limits and damage of a workbook archive."""
    if code == "file_too_large":
        return _(
            "The file is %(size)s; the largest file accepted is %(limit)s. Split it into "
            "smaller files."
        ) % {"size": _size(p["size"]), "limit": _size(p["limit"])}
    if code == "inflated_too_large":
        return _(
            "The workbook would expand to more than %(limit)s once unpacked; it was not "
            "read. Split it into smaller files."
        ) % {"limit": _size(p["limit"])}
    if code == "compression_ratio":
        return _(
            "Part '%(member)s' of the workbook is compressed %(ratio)s times, far more than "
            "a real spreadsheet (at most %(limit)s); it was not read."
        ) % {"member": p["member"], "ratio": f"{p['ratio']:,}", "limit": f"{p['limit']:,}"}
    if code == "too_many_members":
        return _(
            "The workbook is made of %(count)s parts, more than a spreadsheet has (at most "
            "%(limit)s); it was not read."
        ) % {"count": f"{p['count']:,}", "limit": f"{p['limit']:,}"}
    if code == "size_mismatch":
        return _(
            "Part '%(member)s' of the workbook holds more than the size it declares; the "
            "file is damaged or forged and was not read."
        ) % {"member": p["member"]}
    if code == "encrypted":
        return _("The workbook is protected by a password; save it without a password.")
    if code == "compression_unsupported":
        return _(
            "Part '%(member)s' of the workbook uses a compression method spreadsheets do "
            "not use; it was not read."
        ) % {"member": p["member"]}
    if code == "archive_invalid":
        return _("The workbook is damaged (%(detail)s); open it in Excel and save it again.") % {
            "detail": p.get("detail", "")
        }
    return None


def _dimension_error_text(code: str, p: dict[str, Any]) -> str | None:
    """Too many rows or columns."""
    if code == "too_many_rows":
        if p.get("sheet"):
            return _(
                "Sheet '%(sheet)s' has more than %(limit)s rows; split the list into several files."
            ) % {"sheet": nfc(str(p["sheet"])), "limit": f"{p['limit']:,}"}
        return _("The file has more than %(limit)s lines; split the list into several files.") % {
            "limit": f"{p['limit']:,}"
        }
    if code == "too_many_columns":
        if p.get("sheet"):
            return _(
                "Sheet '%(sheet)s' has %(columns)s columns; at most %(limit)s are read. "
                "Delete the unused columns."
            ) % {
                "sheet": nfc(str(p["sheet"])),
                "columns": f"{p['columns']:,}",
                "limit": f"{p['limit']:,}",
            }
        return _(
            "The file has %(columns)s columns; at most %(limit)s are read. Delete the "
            "unused columns."
        ) % {"columns": f"{p['columns']:,}", "limit": f"{p['limit']:,}"}
    return None


def _content_error_text(code: str, p: dict[str, Any]) -> str | None:
    """An empty file, workbook or no header row."""
    if code == "file_empty":
        return _("The file is empty.")
    if code == "workbook_empty":
        sheets = p.get("sheets") or []
        if not sheets:
            return _("The workbook is empty: it has no sheet.")
        return _("The workbook is empty: no sheet holds any data (sheets: %(sheets)s).") % {
            "sheets": _quoted(sheets)
        }
    if code == "no_header":
        parts = []
        for name, missing in p.get("sheets") or []:
            if missing is None:
                parts.append(_("'%(sheet)s' (empty)") % {"sheet": nfc(str(name))})
            else:
                parts.append(
                    _("'%(sheet)s' (no column %(columns)s)")
                    % {"sheet": nfc(str(name)), "columns": _quoted(missing)}
                )
        return _("No sheet has a recognisable header row. Sheets looked at: %(sheets)s.") % {
            "sheets": "; ".join(parts)
        }
    return None


def header_error_text(exc: Any, sheet: str | None = None) -> str:
    """A :class:`~chitra.engine.sheets.headers.HeaderError` as one line: the header was not found at
    all, or which required columns it lacks (by their Vietnamese labels)."""
    fields = getattr(exc, "fields", None) or {}
    missing = [fields[k][0] if fields.get(k) else k for k in exc.missing]
    where = _("Sheet '%(sheet)s'") % {"sheet": nfc(sheet)} if sheet else _("The file")
    if not exc.found:
        return _(
            "%(where)s has no recognisable header row: none of the expected columns "
            "(%(columns)s) is in its first 30 rows."
        ) % {"where": where, "columns": _quoted(missing)}
    return _(
        "%(where)s: the header row lacks the column(s) %(columns)s (columns recognised: %(found)s)."
    ) % {"where": where, "columns": _quoted(missing), "found": _quoted(exc.found.values())}
