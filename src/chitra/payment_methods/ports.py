"""What payment_methods asks of the apps above it (registered in their ``ready()``, see
:mod:`chitra.core.ports`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from chitra.core.ports import Port

#: the earliest month, from `today`'s, whose payment cycle in the province is not frozen yet:
#: disbursement decides it (chitra.disbursement.services.open_payment_month)
open_payment_month: Port[Callable[[int | None, dt.date | None], dt.date]] = Port(
    "open_payment_month"
)
