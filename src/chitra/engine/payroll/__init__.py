"""The payroll: the rule (`rule`, pure Python) and the SQL form of its plain case (`sql`),
side by side. `from chitra.engine import payroll` gives the rule's names."""

from chitra.engine.payroll.rule import (
    ACCOUNT_CHANNELS,
    CASH_HOME,
    CASH_PAY_POINT,
    DECEASED,
    FALLBACK_CASH,
    FALLBACK_HOLD,
    ONE_OFF,
    SUSPENDED,
    VERIFIED,
    Excluded,
    Item,
    Line,
    Params,
    Reissue,
    add_months,
    check_digits,
    compute_payroll,
    iter_payroll,
    months_due,
    months_range,
    payment_reference,
    reference_is_valid,
    route,
)

__all__ = [
    "ACCOUNT_CHANNELS", "CASH_HOME", "CASH_PAY_POINT", "DECEASED", "FALLBACK_CASH",
    "FALLBACK_HOLD", "ONE_OFF", "SUSPENDED", "VERIFIED", "Excluded", "Item", "Line", "Params",
    "Reissue", "add_months", "check_digits", "compute_payroll", "iter_payroll", "months_due",
    "months_range", "payment_reference", "reference_is_valid", "route",
]
