"""Everything chitra holds on one person, for a data subject's request to access their data
(Law 91/2025/QH15): the registry record and its history, entitlements, representatives,
verification outcomes, payment methods and accounts (account numbers masked), change requests,
the consent log, outreach contacts, payroll lines and their results, suspensions, recoveries,
exclusions, complaints, the person's own requests, and the audit events about the person (who
opened or changed their data).

`dossier` gathers it as plain sections; `dossier_document` lays them out as an administrative
document (engine.documents.report) printed as PDF or xlsx. Reads only; the export service audits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit_actions import action_label
from chitra.core.models import AuditEvent
from chitra.registry.models import Beneficiary

#: at most this many audit events in one export (the newest); the document says when cut
AUDIT_LIMIT = 10_000


@dataclass
class Section:
    title: str
    headers: tuple[str, ...]
    rows: list[tuple[object, ...]] = field(default_factory=list)
    kinds: tuple[str, ...] = ()
    note: str = ""


def _d(value: dt.date | dt.datetime | None, fmt: str = "%d/%m/%Y") -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value)
        return value.strftime(fmt + " %H:%M")
    return value.strftime(fmt)


def _m(value: dt.date | None) -> str:
    return value.strftime("%m/%Y") if value else ""


def _birth(b: Beneficiary) -> str:
    fmt = {"Y": "%Y", "M": "%m/%Y"}.get(b.birth_precision, "%d/%m/%Y")
    return b.birth_date.strftime(fmt)


def _yes(flag: bool) -> str:
    return str(_("Yes")) if flag else str(_("No"))


def related_objects(b: Beneficiary) -> dict[str, list[str]]:
    """object_type -> ids of the rows that belong to the person (to find audit events)."""
    from chitra.grievances.models import Ticket
    from chitra.outreach.models import Assignment, Contact, DeathReport
    from chitra.payment_methods.models import Account, ChangeRequest, PaymentMethod
    from chitra.privacy.models import CorrectionRequest, DataSubjectRequest
    from chitra.registry.models import Consent, Entitlement, Representative
    from chitra.verification.models import CleaningTask, Recovery, Suspension

    def ids(qs: Any) -> list[str]:
        return [str(pk) for pk in qs.values_list("pk", flat=True)]

    return {
        "registry.beneficiary": [str(b.pk)],
        "registry.entitlement": ids(Entitlement.objects.filter(beneficiary=b)),
        "registry.representative": ids(Representative.objects.filter(beneficiary=b)),
        "registry.consent": ids(Consent.objects.filter(beneficiary=b)),
        "payment_methods.account": ids(Account.objects.filter(beneficiary=b)),
        "payment_methods.changerequest": ids(ChangeRequest.objects.filter(beneficiary=b)),
        "payment_methods.paymentmethod": ids(PaymentMethod.objects.filter(beneficiary=b)),
        "outreach.assignment": ids(Assignment.objects.filter(beneficiary=b)),
        "outreach.contact": ids(Contact.objects.filter(assignment__beneficiary=b)),
        "outreach.deathreport": ids(DeathReport.objects.filter(beneficiary=b)),
        "verification.cleaningtask": ids(CleaningTask.objects.filter(beneficiary=b)),
        "verification.suspension": ids(Suspension.objects.filter(entitlement__beneficiary=b)),
        "verification.recovery": ids(Recovery.objects.filter(beneficiary=b)),
        "grievances.ticket": ids(Ticket.objects.filter(beneficiary=b)),
        "privacy.datasubjectrequest": ids(DataSubjectRequest.objects.filter(beneficiary=b)),
        "privacy.correctionrequest": ids(CorrectionRequest.objects.filter(beneficiary=b)),
    }


def audit_events(b: Beneficiary) -> Any:
    """The audit events about the person and their rows, newest first."""
    q = Q()
    for object_type, pks in related_objects(b).items():
        if pks:
            q |= Q(object_type=object_type, object_id__in=pks)
    return AuditEvent.objects.filter(q).order_by("-at", "-id")


def _changed_fields(e: AuditEvent) -> str:
    keys: list[str] = []
    for part in (e.before, e.after):
        if isinstance(part, dict):
            keys.extend(k for k in part if k not in keys)
    return ", ".join(keys[:12])


def _record_section(b: Beneficiary) -> Section:
    """The registry record."""
    record = Section(_("1. The record in the beneficiary registry"), (_("Item"), _("Value")))
    record.rows = [
        (_("Full name"), b.full_name),
        (_("Personal ID number"), b.personal_id or ""),
        (_("Old ID card (CMND)"), b.old_id or ""),
        (_("Social insurance number"), b.si_number or ""),
        (_("Date of birth"), _birth(b)),
        (_("Sex"), str(b.get_sex_display())),
        (_("Commune"), f"{b.commune.name}, {b.commune.province.name}"),
        (_("Address"), b.address),
        (_("Phone"), b.phone),
        (_("Status"), str(b.get_status_display())),
        (_("Recorded on"), _d(b.created_at)),
        (_("Last changed on"), _d(b.updated_at)),
    ]
    return record


def _history_section(b: Beneficiary) -> Section:
    """The changes of the record, oldest first."""
    history = Section(
        _("2. History of the record"), (_("Time"), _("What"), _("Fields"), _("By (organisation)"))
    )
    history.rows = [
        (
            _d(e.at),
            action_label(e.action),
            _changed_fields(e),
            e.organisation_name or e.actor_username,
        )
        for e in AuditEvent.objects.filter(object_type="registry.beneficiary", object_id=str(b.pk))
        .exclude(action__endswith=".view")
        .order_by("at", "id")[:AUDIT_LIMIT]
    ]
    return history


def _entitlements_section(b: Beneficiary) -> Section:
    """The entitlements."""
    ents = Section(
        _("3. Entitlements"),
        (
            _("Benefit"),
            _("Amount (VND)"),
            _("First month"),
            _("Last month"),
            _("Paid through"),
            _("Status"),
            _("Office"),
        ),
        kinds=("text", "money", "text", "text", "text", "text", "text"),
    )
    ents.rows = [
        (
            str(e.get_benefit_type_display()),
            e.monthly_amount,
            _m(e.start_month),
            _m(e.end_month),
            _m(e.paid_through),
            str(e.get_status_display()) + (f" — {e.status_reason}" if e.status_reason else ""),
            str(e.office) if e.office_id else "",
        )
        for e in b.entitlements.select_related("office").order_by("benefit_type")
    ]
    return ents


def _representatives_section(b: Beneficiary) -> Section:
    """The representatives."""
    reps = Section(
        _("4. Representatives"),
        (
            _("Name"),
            _("Kind"),
            _("Personal ID"),
            _("Relationship"),
            _("Document"),
            _("Valid from"),
            _("Valid until"),
        ),
    )
    reps.rows = [
        (
            r.full_name,
            str(r.get_kind_display()),
            r.personal_id,
            r.relationship,
            r.document_ref,
            _d(r.valid_from),
            _d(r.valid_to),
        )
        for r in b.representatives.order_by("valid_from", "id")
    ]
    return reps


def _verification_section(b: Beneficiary) -> Section:
    """The register verifications and the person's status."""
    from chitra.verification.models import PersonStatus, VerificationResult

    ver = Section(
        _("5. Verification against the national population register"),
        (_("Date"), _("Outcome"), _("Fields that differ"), _("Date of death")),
    )
    ver.rows = [
        (_d(r.run.created_at), str(r.get_outcome_display()), r.mismatched_fields, _d(r.death_date))
        for r in VerificationResult.objects.filter(beneficiary=b)
        .select_related("run")
        .order_by("run__created_at", "id")
    ]
    status = PersonStatus.objects.filter(beneficiary=b).first()
    if status is not None:
        ver.note = _(
            "Confirmed on the register: %(confirmed)s; last seen alive in the register: "
            "%(alive)s; identity confirmed in person: %(person)s."
        ) % {
            "confirmed": _yes(status.confirmed_on_register),
            "alive": _d(status.alive_seen_at) or "—",
            "person": _d(status.identity_confirmed_at) or "—",
        }
    return ver


def _methods_section(b: Beneficiary) -> Section:
    """The payment methods by month."""
    from chitra.payment_methods.models import PaymentMethod

    methods = Section(
        _("6. How the person is paid (payment methods)"),
        (_("From month"), _("Method"), _("Provider"), _("Account"), _("Reason for home delivery")),
    )
    methods.rows = [
        (
            _m(pm.effective_month),
            str(pm.get_method_display()),
            str(pm.account.provider) if pm.account is not None else "",
            pm.account.masked_number if pm.account is not None else "",
            str(pm.get_home_reason_display()) if pm.home_reason else "",
        )
        for pm in PaymentMethod.objects.filter(beneficiary=b)
        .select_related("account__provider")
        .order_by("effective_month")
    ]
    return methods


def _accounts_section(b: Beneficiary) -> Section:
    """The payment accounts, numbers masked."""
    from chitra.payment_methods.models import Account

    accounts = Section(
        _("7. Payment accounts (numbers masked)"),
        (
            _("Provider"),
            _("Method"),
            _("Account"),
            _("Account holder"),
            _("Status"),
            _("Recorded on"),
        ),
    )
    accounts.rows = [
        (
            str(a.provider),
            str(a.get_method_display()),
            a.masked_number,
            a.holder_name,
            str(a.get_status_display()),
            _d(a.created_at),
        )
        for a in Account.objects.filter(beneficiary=b)
        .select_related("provider")
        .order_by("created_at", "id")
    ]
    return accounts


def _change_requests_section(b: Beneficiary) -> Section:
    """The change requests of the payment method."""
    from chitra.payment_methods.models import ChangeRequest

    crs = Section(
        _("8. Requests to change how the person is paid"),
        (
            _("Date"),
            _("Method"),
            _("Provider"),
            _("Account"),
            _("Source"),
            _("Consent"),
            _("Status"),
            _("Decided on"),
        ),
    )
    crs.rows = [
        (
            _d(cr.created_at),
            str(cr.get_method_display()),
            str(cr.provider) if cr.provider_id else "",
            cr.masked_number,
            str(cr.get_source_display()),
            (
                f"{_d(cr.consent_date)} ({cr.get_consent_channel_display()})"
                if cr.consent_date
                else ""
            ),
            str(cr.get_status_display()),
            _d(cr.decided_at),
        )
        for cr in ChangeRequest.objects.filter(beneficiary=b)
        .select_related("provider")
        .order_by("created_at", "id")
    ]
    return crs


def _consent_log_section(b: Beneficiary) -> Section:
    """The consent log."""
    from chitra.registry.models import Consent

    consents = Section(
        _("9. Consent log"),
        (
            _("Date"),
            _("Purpose"),
            _("Given or withdrawn"),
            _("How"),
            _("Evidence"),
            _("Recorded on"),
        ),
    )
    consents.rows = [
        (
            _d(c.date),
            str(c.get_purpose_display()),
            str(_("Given")) if c.given else str(_("Withdrawn")),
            str(c.get_channel_display()),
            c.evidence,
            _d(c.recorded_at),
        )
        for c in Consent.objects.filter(beneficiary=b).order_by("date", "recorded_at", "id")
    ]
    return consents


def _contacts_section(b: Beneficiary) -> Section:
    """The outreach contacts."""
    from chitra.outreach.models import Contact

    contacts = Section(
        _("10. Outreach contacts"),
        (
            _("Date"),
            _("Campaign"),
            _("Channel"),
            _("Outcome"),
            _("Reason"),
            _("Provider"),
            _("Note"),
        ),
    )
    contacts.rows = [
        (
            _d(c.date),
            c.assignment.campaign.name,
            str(c.get_channel_display()),
            str(c.get_outcome_display()),
            str(c.get_reason_display()) if c.reason else "",
            str(c.provider) if c.provider_id else "",
            c.note,
        )
        for c in Contact.objects.filter(assignment__beneficiary=b)
        .select_related("assignment__campaign", "provider")
        .order_by("date", "id")
    ]
    return contacts


def _payments_section(b: Beneficiary) -> Section:
    """The payroll lines and their results."""
    from chitra.disbursement.models import LineStatus, PayrollLine

    lines = Section(
        _("11. Payments (payroll lines and their results)"),
        (
            _("For month"),
            _("Benefit"),
            _("Amount (VND)"),
            _("Channel"),
            _("Provider"),
            _("Account"),
            _("Payment reference"),
            _("Status"),
            _("Return reason"),
        ),
        kinds=("text", "text", "money", "text", "text", "text", "text", "text", "text"),
    )
    status_labels = dict(LineStatus.choices)
    for ln in (
        PayrollLine.objects.filter(beneficiary=b)
        .select_related("provider", "account", "batch")
        .order_by("period_month", "attempt", "id")
    ):
        state = ln.status
        if state == LineStatus.ISSUED and ln.batch.released_at is not None:
            state = LineStatus.SENT
        lines.rows.append(
            (
                _m(ln.period_month),
                ln.benefit_type,
                ln.amount,
                ln.channel,
                str(ln.provider) if ln.provider_id else "",
                ln.account.masked_number if ln.account is not None else "",
                ln.reference,
                str(status_labels.get(state, state)),
                ln.reason_code,
            )
        )
    return lines


def _stops_and_recoveries_section(b: Beneficiary) -> Section:
    """Suspensions, recoveries and exclusions."""
    from chitra.disbursement.models import Exclusion
    from chitra.verification.models import Recovery, Suspension

    stops = Section(
        _("12. Suspensions, amounts to recover and months not paid"),
        (_("What"), _("Benefit"), _("From / month"), _("Detail"), _("Status")),
    )
    for s in (
        Suspension.objects.filter(entitlement__beneficiary=b)
        .select_related("entitlement")
        .order_by("from_month", "id")
    ):
        stops.rows.append(
            (
                str(_("Suspension")),
                str(s.entitlement.get_benefit_type_display()),
                _m(s.from_month),
                f"{s.get_reason_display()} {s.detail}".strip(),
                (str(_("reversed")) + f" {_d(s.reversed_at)}")
                if s.reversed_at
                else str(_("in force")),
            )
        )
    for r in Recovery.objects.filter(beneficiary=b).select_related("entitlement"):
        stops.rows.append(
            (
                str(_("To recover")),
                str(r.entitlement.get_benefit_type_display()),
                f"{_m(r.first_month)} – {_m(r.last_month)}",
                _("%(months)s months, %(amount)s VND")
                % {"months": r.months, "amount": f"{r.amount:,}".replace(",", ".")},
                str(r.get_status_display()),
            )
        )
    for x in Exclusion.objects.filter(beneficiary=b).select_related("cycle", "entitlement"):
        stops.rows.append(
            (
                str(_("Not paid in a cycle")),
                str(x.entitlement.get_benefit_type_display()),
                x.cycle.months_label,
                str(x.get_reason_display()),
                "",
            )
        )
    return stops


def _tickets_section(b: Beneficiary) -> Section:
    """The complaints."""
    from chitra.grievances.models import Ticket

    tickets = Section(
        _("13. Complaints and reports"),
        (_("Number"), _("Received on"), _("Category"), _("Status"), _("Resolution")),
    )
    tickets.rows = [
        (
            t.number or f"#{t.pk}",
            _d(t.received_on),
            str(t.get_category_display()),
            str(t.get_status_display()),
            t.resolution,
        )
        for t in Ticket.objects.filter(beneficiary=b).order_by("received_on", "id")
    ]
    return tickets


def _requests_section(b: Beneficiary) -> Section:
    """The data-subject and correction requests."""
    from chitra.privacy.models import CorrectionRequest, DataSubjectRequest

    requests = Section(
        _("14. The person's requests about their data"),
        (_("Received on"), _("Kind"), _("Status"), _("Answer by"), _("Answer")),
    )
    requests.rows = [
        (
            _d(r.received_on),
            str(r.get_kind_display()),
            str(r.get_status_display()),
            _d(r.due_date),
            r.outcome,
        )
        for r in DataSubjectRequest.objects.filter(beneficiary=b).order_by("received_on", "id")
    ]
    for c in CorrectionRequest.objects.filter(beneficiary=b).order_by("created_at", "id"):
        requests.rows.append(
            (
                _d(c.created_at),
                str(_("Correction of the record")),
                str(c.get_status_display()),
                "",
                ", ".join(f"{k}: {v}" for k, v in c.changes.items()),
            )
        )
    return requests


def _audit_section(b: Beneficiary) -> Section:
    """The audit trail about the person (the newest, bounded)."""
    audit = Section(
        _("15. Who opened or changed the person's data (audit trail)"),
        (_("Time"), _("User"), _("Organisation"), _("Action"), _("Object")),
    )
    events = list(audit_events(b)[: AUDIT_LIMIT + 1])
    if len(events) > AUDIT_LIMIT:
        audit.note = _("The newest %(n)s events are listed; ask for the earlier ones.") % {
            "n": AUDIT_LIMIT
        }
        events = events[:AUDIT_LIMIT]
    audit.rows = [
        (
            _d(e.at),
            e.actor_username,
            e.organisation_name,
            action_label(e.action),
            f"{e.object_type} #{e.object_id}",
        )
        for e in events
    ]
    return audit


#: the sections of the document, in order
_SECTIONS = (
    _record_section,
    _history_section,
    _entitlements_section,
    _representatives_section,
    _verification_section,
    _methods_section,
    _accounts_section,
    _change_requests_section,
    _consent_log_section,
    _contacts_section,
    _payments_section,
    _stops_and_recoveries_section,
    _tickets_section,
    _requests_section,
    _audit_section,
)


def dossier(b: Beneficiary) -> list[Section]:
    """Every section of the person's data, in the order of the document."""
    return [section(b) for section in _SECTIONS]


def _empty_row(headers: Sequence[str]) -> tuple[object, ...]:
    return (str(_("None.")), *([""] * (len(headers) - 1)))


def dossier_document(
    b: Beneficiary,
    sections: Iterable[Section],
    *,
    issuing_body: str,
    place: str,
    on: dt.date,
    request_label: str = "",
) -> Any:
    """The sections as an administrative document (engine.documents.report.ReportDoc)."""
    from chitra.engine.documents.report import ReportDoc, Table, vn_date_line

    tables = []
    for s in sections:
        rows = tuple(s.rows) or (_empty_row(s.headers),)
        kinds = s.kinds if s.rows else ()
        tables.append(Table(s.title, s.headers, rows, kinds=kinds, note=s.note))
    paragraphs = [
        _(
            "At the request of the person (Law on Personal Data Protection No. 91/2025/QH15), "
            "this document lists all personal data that the cashless payment system chitra "
            "holds on %(name)s, personal ID %(pid)s, as of %(date)s."
        )
        % {
            "name": b.full_name,
            "pid": b.personal_id or b.si_number or "",
            "date": on.strftime("%d/%m/%Y"),
        },
        _(
            "Account numbers are shown masked. The data are used to pay the person's social "
            "insurance benefits; how long each is kept and why is described in the processing "
            "records of the system."
        ),
    ]
    if request_label:
        paragraphs.append(request_label)
    return ReportDoc(
        superior_body="BẢO HIỂM XÃ HỘI VIỆT NAM",
        issuing_body=issuing_body,
        number="",
        place_date=vn_date_line(place, on),
        doc_type=_("NOTICE"),
        title=_("Personal data held on a beneficiary"),
        subtitle=b.full_name,
        paragraphs=tuple(paragraphs),
        tables=tuple(tables),
        recipients=(_("The person concerned;"), _("Filed.")),
        signer_authority=(_("FOR THE DIRECTOR"),),
        signer_name="",
    )
