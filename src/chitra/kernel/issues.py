"""A problem found in one cell of a file: where it is, its stable code and the facts it names.

Pure Python (no Django). An :class:`Issue` carries ``(code, params)``; the sentence a user reads
is rendered from them in one place, :func:`chitra.core.errors.render_issue` (gettext: Vietnamese
and English). ``params["expected"]`` is the engine's own English description of what the cell
should hold (the English text of a message outside Django: :attr:`Issue.message_en`, the error
workbook of a command line); the other params are the facts a rendering names, never read back
out of a sentence:

``row``
    the earlier row of a ``duplicate_in_file`` / ``reference_duplicate``;
``of``
    what a ``duplicate_in_file`` repeats: ``"benefit"`` (a person and benefit) or ``"account"``
    (a person, provider and account);
``limit``, ``count``
    the characters allowed and found of a ``value_too_long``;
``status``, ``amount``
    the recorded result of a ``line_final_changed``, the amount sent of an ``amount_differs``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Issue", "Severity", "issue"]

Severity = Literal["error", "warning"]


@dataclass(slots=True)
class Issue:
    """Row ``sheet_row`` (as the spreadsheet numbers it), column ``column`` (its header text),
    value ``value`` (as shown): problem ``code`` with its ``params``."""

    sheet_row: int
    column: str
    value: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: Severity = "error"

    @property
    def expected(self) -> str:
        """The engine's English description of what the cell should hold."""
        return str(self.params.get("expected", ""))

    @property
    def message_en(self) -> str:
        return (
            f"Row {self.sheet_row}, column '{self.column}': value '{self.value}' "
            f"\u2014 expected {self.expected}"
        )


def issue(
    sheet_row: int,
    column: str,
    value: str,
    code: str,
    expected: str,
    severity: Severity = "error",
    **params: Any,
) -> Issue:
    """An :class:`Issue` whose English expectation is ``expected`` and whose other facts are
    ``params``."""
    return Issue(sheet_row, column, value, code, {"expected": expected, **params}, severity)
