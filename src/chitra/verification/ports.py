"""What verification asks of the apps above it (registered in their ``ready()``, see
:mod:`chitra.core.ports`): the money that left (disbursement) and how people are paid this
month (payment_methods). Each answer is a query or a function of the app that owns the data,
so the SQL is the same as when verification imported it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

from chitra.core.ports import Port

#: {entitlement id: [(month, amount), ...]}: the money that really left for each entitlement
#: from its month on (chitra.disbursement.ledger.months_paid_from)
months_paid_from: Port[Callable[[list[Any], dict[int, Any]], dict[int, list[tuple[Any, int]]]]]
months_paid_from = Port("months_paid_from")

#: the beneficiary ids (a values() query) of the cash lines a results import marked paid to
#: the person themself (disbursement)
cash_paid_to_person: Port[Callable[[Any], QuerySet[Any]]] = Port("cash_paid_to_person")

#: (entitlement ids of the lines a results import answered, entitlement ids of the lines it
#: reported as come back), two values() queries (disbursement)
entitlements_answered: Port[Callable[[Any], tuple[QuerySet[Any], QuerySet[Any]]]] = Port(
    "entitlements_answered"
)

#: `qs` of beneficiaries narrowed to those paid into an account (bank, mobile money,
#: e-wallet) in `month` (payment_methods)
paid_into_account: Port[Callable[[QuerySet[Any], dt.date], QuerySet[Any]]] = Port(
    "paid_into_account"
)
