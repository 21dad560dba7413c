"""Exports of payment methods: change requests and providers' account notices (audited), and
the provider catalogue (public data: not audited, as before)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.exports import Workbook
from chitra.engine.documents.lists import list_workbook
from chitra.payment_methods import selectors as sel

if TYPE_CHECKING:
    from chitra.iam.models import User


def change_request_export(*, actor: User, filters: Mapping[str, Any]) -> Workbook:
    """The change requests `actor` may see (`selectors.change_requests` with `filters`)."""
    qs = sel.change_requests(actor, **filters)
    audit_record(
        actor,
        "export.change_requests",
        object_type="payment.change_request",
        object_repr=filters.get("status") or "",
    )
    data = list_workbook(
        title=_("Payment change requests"),
        headers=[
            "#",
            _("Beneficiary"),
            _("Personal ID"),
            _("Commune"),
            _("New method"),
            _("Provider"),
            _("Account"),
            _("Account holder"),
            _("Checks"),
            _("Status"),
        ],
        rows=(
            [
                cr.pk,
                cr.beneficiary.full_name,
                cr.beneficiary.personal_id or "",
                cr.beneficiary.commune.name,
                cr.get_method_display(),
                str(cr.provider or ""),
                cr.masked_number,
                cr.holder_name,
                cr.get_name_check_display(),
                cr.get_status_display(),
            ]
            for cr in qs.iterator(chunk_size=2000)
        ),
    )
    return Workbook(data, "yeu-cau-thay-doi.xlsx")


def account_notice_export(*, actor: User, filters: Mapping[str, Any]) -> Workbook:
    """What providers sent about accounts (`selectors.account_notices` with `filters`)."""
    qs = sel.account_notices(actor, **filters)
    audit_record(
        actor,
        "export.account_notices",
        object_type="payment.account_notice",
        object_repr=filters.get("outcome") or "",
    )
    data = list_workbook(
        title=_("Account notices from providers"),
        headers=[
            "#",
            _("Received"),
            _("Provider"),
            _("Personal ID"),
            _("Account"),
            _("Account holder"),
            _("Status given"),
            _("Outcome"),
            _("Request"),
            _("Sent by"),
        ],
        rows=(
            [
                n.pk,
                timezone.localtime(n.created_at).strftime("%d/%m/%Y %H:%M"),
                str(n.provider),
                n.masked_personal_id,
                n.masked_number,
                n.holder_name,
                n.get_reported_status_display(),
                n.get_outcome_display(),
                n.change_request_id or "",
                str(n.created_by),
            ]
            for n in qs.iterator(chunk_size=2000)
        ),
    )
    return Workbook(data, "thong-bao-tai-khoan.xlsx")


def provider_export(*, actor: User, filters: Mapping[str, Any]) -> Workbook:
    """The provider catalogue (`selectors.providers` with `filters`), with the communes of
    `actor`'s area each serves. Public data: not recorded in the audit trail."""
    data = list_workbook(
        title=_("Payment providers"),
        headers=[
            _("Code"),
            _("Name"),
            _("Kind"),
            _("Account-name lookup"),
            _("Communes served in your area"),
            _("Contacts"),
            _("Fees"),
        ],
        rows=(
            [
                p.code,
                p.name,
                p.get_kind_display(),
                _("Yes") if p.lookup_supported else _("No"),
                p.communes,  # type: ignore[attr-defined]
                p.contacts,  # type: ignore[attr-defined]
                p.fee_notes,
            ]
            for p in sel.providers(actor, **filters)
        ),
    )
    return Workbook(data, "nha-cung-cap.xlsx")
