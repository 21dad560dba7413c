"""Writes of the personal-data app: a person's requests (with their legal deadlines), the
export of everything held on them, corrections decided by a second person, and the breach
register. Every function takes `actor`, runs in one transaction and audits."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.iam.access import Perm, get_in_scope, require_perm
from chitra.privacy.models import (
    Breach,
    CorrectionRequest,
    DataCategory,
    DataSubjectRequest,
    RequestChannel,
    RequestKind,
)
from chitra.privacy.selectors import breach_get, subject_get
from chitra.registry.models import Beneficiary, Consent
from chitra.registry.services import (
    beneficiary_correct,
    consent_record,
    correction_current,
    correction_values,
)

if TYPE_CHECKING:
    from chitra.iam.models import User


def _text(value: str | None) -> str:
    return (value or "").strip()


def add_working_days(day: dt.date, n: int) -> dt.date:
    """`n` working days (Monday to Friday) after `day`. Public holidays are not known to
    chitra: around Tết the acknowledgement falls due earlier than the law allows, never later."""
    out = day
    while n > 0:
        out += dt.timedelta(days=1)
        if out.weekday() < 5:
            n -= 1
    return out


def request_deadlines(kind: str, received_on: dt.date) -> tuple[dt.date, dt.date]:
    """(acknowledge by, answer by) of a request received on `received_on`."""
    ack = add_working_days(received_on, settings.CHITRA_PRIVACY_ACK_WORKING_DAYS)
    due = received_on + dt.timedelta(days=settings.CHITRA_PRIVACY_REQUEST_DAYS[kind])
    return ack, max(ack, due)


# --------------------------------------------------------------------------------------------
# data-subject requests
# --------------------------------------------------------------------------------------------


def _snapshot(r: DataSubjectRequest) -> dict[str, Any]:
    return {
        "beneficiary": r.beneficiary_id,
        "kind": r.kind,
        "status": r.status,
        "received_on": r.received_on,
        "channel": r.channel,
        "purpose": r.purpose,
        "acknowledge_by": r.acknowledge_by,
        "due_date": r.due_date,
    }


def request_create(
    *,
    actor: User,
    beneficiary: Beneficiary,
    kind: str,
    received_on: dt.date,
    channel: str,
    requester_name: str = "",
    requester_capacity: str = "",
    description: str = "",
    purpose: str = "",
) -> DataSubjectRequest:
    """Record a person's request about their data, with its legal deadlines."""
    require_perm(actor, Perm.PRIVACY_REQUESTS)
    ben = subject_get(actor, beneficiary.pk, audit=False)
    if kind not in RequestKind.values:
        raise ChitraError(_("Unknown kind of request."))
    if channel not in RequestChannel.values:
        raise ChitraError(_("Say how the request was received."))
    if received_on is None or received_on > timezone.localdate():
        raise ChitraError(_("The date the request was received cannot be in the future."))
    if kind == RequestKind.WITHDRAWAL:
        if purpose not in Consent.Purpose.values:
            raise ChitraError(_("Say which consent the person withdraws."))
    else:
        purpose = ""
    if _text(requester_name) and not _text(requester_capacity):
        raise ChitraError(
            _(
                "Say in what capacity the requester acts for the person (guardian, "
                "authorised person...)."
            )
        )
    ack, due = request_deadlines(kind, received_on)
    with transaction.atomic():
        r = DataSubjectRequest.objects.create(
            beneficiary=ben,
            kind=kind,
            received_on=received_on,
            channel=channel,
            requester_name=_text(requester_name)[:150],
            requester_capacity=_text(requester_capacity)[:100],
            description=_text(description),
            purpose=purpose,
            acknowledge_by=ack,
            due_date=due,
            created_by=actor,
        )
        audit_record(
            actor,
            "privacy.request.create",
            obj=r,
            object_repr=f"#{r.pk} {kind}",
            after=_snapshot(r),
        )
    return r


def _open_request(actor: User, request: DataSubjectRequest) -> DataSubjectRequest:
    require_perm(actor, Perm.PRIVACY_REQUESTS)
    get_in_scope(actor, DataSubjectRequest.objects.all(), request.pk, perm=Perm.PRIVACY_REQUESTS)
    r = (
        DataSubjectRequest.objects.select_for_update(of=("self",))
        .select_related("beneficiary")
        .get(pk=request.pk)
    )
    if not r.is_open:
        raise ChitraError(_("This request is already closed."))
    return r


def request_acknowledge(
    *, actor: User, request: DataSubjectRequest, note: str = ""
) -> DataSubjectRequest:
    """The person was told the request is received and how it will be handled."""
    with transaction.atomic():
        r = _open_request(actor, request)
        if r.status != DataSubjectRequest.Status.RECEIVED:
            raise ChitraError(_("This request was already acknowledged."))
        r.status, r.acknowledged_at = DataSubjectRequest.Status.ACKNOWLEDGED, timezone.now()
        r.save(update_fields=["status", "acknowledged_at", "updated_at"])
        audit_record(
            actor, "privacy.request.acknowledge", obj=r, after=_snapshot(r), reason=_text(note)
        )
    return r


def request_extend(
    *, actor: User, request: DataSubjectRequest, days: int, reason: str
) -> DataSubjectRequest:
    """Extend the deadline once, by at most CHITRA_PRIVACY_EXTENSION_DAYS days, with a reason
    given to the person."""
    limit = settings.CHITRA_PRIVACY_EXTENSION_DAYS
    if not _text(reason):
        raise ChitraError(_("Say why more time is needed."))
    if not 1 <= int(days) <= limit:
        raise ChitraError(_("An extension is 1 to %(n)s days.") % {"n": limit})
    with transaction.atomic():
        r = _open_request(actor, request)
        if r.extension_reason:
            raise ChitraError(_("The deadline of a request can be extended only once."))
        before = r.due_date
        r.due_date = r.due_date + dt.timedelta(days=int(days))
        r.extension_reason = _text(reason)
        r.save(update_fields=["due_date", "extension_reason", "updated_at"])
        audit_record(
            actor,
            "privacy.request.extend",
            obj=r,
            before={"due_date": before},
            after={"due_date": r.due_date},
            reason=r.extension_reason,
        )
    return r


_CONSENT_CHANNEL = {
    RequestChannel.IN_PERSON: Consent.Channel.IN_PERSON,
    RequestChannel.LETTER: Consent.Channel.PAPER_FORM,
    RequestChannel.PHONE: Consent.Channel.PHONE,
    RequestChannel.ELECTRONIC: Consent.Channel.ELECTRONIC,
}


def request_complete(
    *, actor: User, request: DataSubjectRequest, outcome: str
) -> DataSubjectRequest:
    """Answer a request. An access request is answered with the export of the person's data
    (made from the request first); a correction request once its corrections are decided; a
    withdrawal of consent records the withdrawal in the consent log."""
    if not _text(outcome):
        raise ChitraError(_("Write the answer given to the person."))
    with transaction.atomic():
        r = _open_request(actor, request)
        if r.kind == RequestKind.ACCESS and r.exported_at is None:
            raise ChitraError(
                _("Hand out the person's data first: download the PDF or xlsx from this request.")
            )
        if r.kind == RequestKind.CORRECTION:
            corrections = r.corrections.all()
            if not corrections.exists():
                raise ChitraError(_("Record the correction first; it is decided by an approver."))
            if corrections.filter(status=CorrectionRequest.Status.SUBMITTED).exists():
                raise ChitraError(
                    _("A correction of this request is still waiting for a decision.")
                )
        consent = None
        if r.kind == RequestKind.WITHDRAWAL:
            consent = consent_record(
                actor=actor,
                beneficiary=r.beneficiary,
                purpose=r.purpose,
                given=False,
                channel=_CONSENT_CHANNEL[RequestChannel(r.channel)],
                date=timezone.localdate(),
                evidence=_("Request #%(n)s") % {"n": r.pk},
                source_object=r,
            )
        r.status, r.outcome = DataSubjectRequest.Status.DONE, _text(outcome)
        r.closed_at, r.closed_by = timezone.now(), actor
        r.save(update_fields=["status", "outcome", "closed_at", "closed_by", "updated_at"])
        audit_record(
            actor,
            "privacy.request.complete",
            obj=r,
            after={**_snapshot(r), "consent": consent.pk if consent else None},
            reason=r.outcome,
        )
    return r


def request_refuse(*, actor: User, request: DataSubjectRequest, reason: str) -> DataSubjectRequest:
    """Refuse a request with its legal reason (e.g. a deletion of the social-insurance records
    that the law requires BHXH to keep)."""
    if not _text(reason):
        raise ChitraError(_("Give the reason of the refusal (its legal basis)."))
    with transaction.atomic():
        r = _open_request(actor, request)
        r.status, r.outcome = DataSubjectRequest.Status.REFUSED, _text(reason)
        r.closed_at, r.closed_by = timezone.now(), actor
        r.save(update_fields=["status", "outcome", "closed_at", "closed_by", "updated_at"])
        audit_record(actor, "privacy.request.refuse", obj=r, after=_snapshot(r), reason=r.outcome)
    return r


# --------------------------------------------------------------------------------------------
# everything held on a person, as PDF or xlsx
# --------------------------------------------------------------------------------------------

EXPORT_FORMATS = ("pdf", "xlsx")


def _issuing_body(actor: User, ben: Beneficiary) -> str:
    org = actor.organisation if actor.organisation_id else None
    if org is not None:
        return str(org.name).upper()
    return f"BẢO HIỂM XÃ HỘI TỈNH {str(ben.commune.province.name).upper()}"


def subject_export(
    *, actor: User, beneficiary: Beneficiary, fmt: str, request: DataSubjectRequest | None = None
) -> tuple[bytes, str]:
    """Everything chitra holds on the person, as (file bytes, file name). Audited, with the
    number of rows of each section; made from a request, it marks the request's data as
    handed out. Nothing is kept on disk."""
    from chitra.engine.documents.report import write_report_pdf, write_report_xlsx
    from chitra.privacy.dossier import dossier, dossier_document

    require_perm(actor, Perm.PRIVACY_REQUESTS)
    if fmt not in EXPORT_FORMATS:
        raise ChitraError(_("Choose PDF or xlsx."))
    with transaction.atomic():
        ben = subject_get(actor, beneficiary.pk, audit=False)
        r = None
        if request is not None:
            r = _open_request(actor, request)
            if r.beneficiary_id != ben.pk:
                raise ChitraError(_("This request is about another person."))
        sections = dossier(ben)
        label = (
            (
                _("Answer to the request #%(n)s received on %(date)s.")
                % {"n": r.pk, "date": r.received_on.strftime("%d/%m/%Y")}
            )
            if r
            else ""
        )
        today = timezone.localdate()
        doc = dossier_document(
            ben,
            sections,
            issuing_body=_issuing_body(actor, ben),
            place=str(ben.commune.province.name),
            on=today,
            request_label=label,
        )
        with tempfile.TemporaryDirectory(prefix="chitra-dsar-") as tmp:
            path = Path(tmp) / f"du-lieu.{fmt}"
            sha = (write_report_pdf if fmt == "pdf" else write_report_xlsx)(path, doc)
            data = path.read_bytes()
        if r is not None:
            r.exported_at = timezone.now()
            r.save(update_fields=["exported_at", "updated_at"])
        audit_record(
            actor,
            "privacy.subject.export",
            obj=ben,
            after={
                "format": fmt,
                "request": r.pk if r else None,
                "sha256": sha,
                "sections": {s.title: len(s.rows) for s in sections},
            },
        )
    ident = ben.personal_id or ben.si_number or str(ben.pk)
    return data, f"du-lieu-ca-nhan-{ident}-{today:%Y%m%d}.{fmt}"


# --------------------------------------------------------------------------------------------
# corrections: made by one officer, decided by a BHXH approver, applied by the registry
# --------------------------------------------------------------------------------------------


def correction_create(
    *,
    actor: User,
    beneficiary: Beneficiary,
    changes: dict[str, Any],
    evidence: str,
    request: DataSubjectRequest | None = None,
) -> CorrectionRequest:
    """Ask to correct a person's record (name, date of birth, sex, address, phone, commune),
    noting the evidence seen (ID card, birth certificate...). Nothing changes until an approver
    other than the maker decides."""
    require_perm(actor, Perm.PRIVACY_REQUESTS)
    if not _text(evidence):
        raise ChitraError(_("Note the evidence seen (the document and its number)."))
    with transaction.atomic():
        ben = subject_get(actor, beneficiary.pk, audit=False)
        ben = (
            Beneficiary.objects.select_for_update(of=("self",))
            .select_related("commune")
            .get(pk=ben.pk)
        )
        r = None
        if request is not None:
            r = _open_request(actor, request)
            if r.beneficiary_id != ben.pk or r.kind != RequestKind.CORRECTION:
                raise ChitraError(
                    _("Attach the correction to a correction request of this person.")
                )
        values = correction_values(ben, changes)
        if not values:
            raise ChitraError(_("Nothing to correct: the record already holds these values."))
        if CorrectionRequest.objects.filter(
            beneficiary=ben, status=CorrectionRequest.Status.SUBMITTED
        ).exists():
            raise ChitraError(_("A correction of this record is already waiting for a decision."))
        c = CorrectionRequest.objects.create(
            beneficiary=ben,
            data_request=r,
            changes=values,
            before=correction_current(ben, values),
            evidence=_text(evidence),
            maker=actor,
        )
        audit_record(
            actor,
            "privacy.correction.create",
            obj=c,
            object_repr=f"#{c.pk} {ben}",
            before=c.before,
            after={"beneficiary": ben.pk, **values, "request": r.pk if r else None},
            reason=c.evidence,
        )
    return c


def _correction_for_decision(actor: User, correction: CorrectionRequest) -> CorrectionRequest:
    require_perm(actor, Perm.PRIVACY_DECIDE)
    get_in_scope(actor, CorrectionRequest.objects.all(), correction.pk, perm=Perm.PRIVACY_DECIDE)
    c = (
        CorrectionRequest.objects.select_for_update(of=("self",))
        .select_related("beneficiary")
        .get(pk=correction.pk)
    )
    if c.status != CorrectionRequest.Status.SUBMITTED:
        raise ChitraError(_("This correction was already decided."))
    if c.maker_id == actor.pk:
        raise ChitraError(_("The maker of a correction cannot decide it."))
    return c


def correction_approve(
    *, actor: User, correction: CorrectionRequest, note: str = ""
) -> CorrectionRequest:
    """Approve and apply a correction through the registry (values before and after audited).
    Refused when the record changed since the correction was asked."""
    with transaction.atomic():
        c = _correction_for_decision(actor, correction)
        beneficiary_correct(
            actor=actor,
            beneficiary=c.beneficiary,
            changes=c.changes,
            reason=_("Correction #%(n)s; evidence: %(evidence)s")
            % {"n": c.pk, "evidence": c.evidence},
            expected_before=c.before,
            source_object=c,
        )
        c.status, c.checker, c.decided_at = (
            CorrectionRequest.Status.APPROVED,
            actor,
            timezone.now(),
        )
        c.decision_note = _text(note)
        c.save(update_fields=["status", "checker", "decided_at", "decision_note", "updated_at"])
        audit_record(
            actor, "privacy.correction.approve", obj=c, after=c.changes, reason=c.decision_note
        )
    return c


def correction_reject(
    *, actor: User, correction: CorrectionRequest, note: str
) -> CorrectionRequest:
    if not _text(note):
        raise ChitraError(_("Say why the correction is rejected."))
    with transaction.atomic():
        c = _correction_for_decision(actor, correction)
        c.status, c.checker, c.decided_at = (
            CorrectionRequest.Status.REJECTED,
            actor,
            timezone.now(),
        )
        c.decision_note = _text(note)
        c.save(update_fields=["status", "checker", "decided_at", "decision_note", "updated_at"])
        audit_record(actor, "privacy.correction.reject", obj=c, reason=c.decision_note)
    return c


# --------------------------------------------------------------------------------------------
# breach register: the 72-hour clock to notify the authority (A05, Ministry of Public Security)
# --------------------------------------------------------------------------------------------

_BREACH_FIELDS = (
    "detected_at",
    "reported_by",
    "description",
    "data_categories",
    "data_description",
    "subjects",
    "affected_count",
    "measures",
    "status",
    "notified_at",
    "notification_reference",
    "authority",
    "closed_at",
)


def _breach_snapshot(b: Breach) -> dict[str, Any]:
    return {f: getattr(b, f) for f in _BREACH_FIELDS}


def _categories(values: Any) -> list[str]:
    out = [str(v) for v in (values or [])]
    bad = [v for v in out if v not in DataCategory.values]
    if bad:
        raise ChitraError(_("Unknown category of data: %(values)s.") % {"values": ", ".join(bad)})
    if not out:
        raise ChitraError(_("Choose the categories of data concerned."))
    return sorted(set(out), key=DataCategory.values.index)


def _count(value: Any) -> int:
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise ChitraError(_("People affected: expected a whole number (an estimate).")) from None
    if n < 0:
        raise ChitraError(_("People affected: expected a whole number (an estimate)."))
    return n


def breach_create(
    *,
    actor: User,
    detected_at: dt.datetime,
    reported_by: str,
    description: str,
    data_categories: list[str],
    data_description: str = "",
    subjects: str = "",
    affected_count: int = 0,
    measures: str = "",
    province: Any = None,
) -> Breach:
    """Record a personal-data breach; the clock to notify the authority starts at detection."""
    require_perm(actor, Perm.BREACH_REGISTER)
    if province is None:
        province = actor.area_province
    elif not actor.is_national and province.pk != actor.area_province_id:
        raise PermissionDenied(_("You do not have permission to do this."))
    if province is None:
        raise ChitraError(_("Choose a province."))
    if detected_at is None or detected_at > timezone.now():
        raise ChitraError(_("The time of detection cannot be in the future."))
    if not _text(reported_by) or not _text(description):
        raise ChitraError(_("Say who reported the breach and what happened."))
    with transaction.atomic():
        b = Breach.objects.create(
            province=province,
            detected_at=detected_at,
            reported_by=_text(reported_by)[:200],
            description=_text(description),
            data_categories=_categories(data_categories),
            data_description=_text(data_description),
            subjects=_text(subjects)[:200],
            affected_count=_count(affected_count),
            measures=_text(measures),
            recorded_by=actor,
        )
        audit_record(actor, "privacy.breach.create", obj=b, after=_breach_snapshot(b))
    return b


def _breach_for_update(actor: User, breach: Breach) -> Breach:
    require_perm(actor, Perm.BREACH_REGISTER)
    breach_get(actor, breach.pk)
    b = Breach.objects.select_for_update().get(pk=breach.pk)
    if b.status == Breach.Status.CLOSED:
        raise ChitraError(_("This breach is closed."))
    return b


def breach_update(
    *,
    actor: User,
    breach: Breach,
    measures: str | None = None,
    affected_count: int | None = None,
    data_categories: list[str] | None = None,
    data_description: str | None = None,
    subjects: str | None = None,
) -> Breach:
    """Complete what is known of a breach as the investigation goes on."""
    with transaction.atomic():
        b = _breach_for_update(actor, breach)
        before = _breach_snapshot(b)
        if measures is not None:
            b.measures = _text(measures)
        if affected_count is not None:
            b.affected_count = _count(affected_count)
        if data_categories is not None:
            b.data_categories = _categories(data_categories)
        if data_description is not None:
            b.data_description = _text(data_description)
        if subjects is not None:
            b.subjects = _text(subjects)[:200]
        b.save()
        from chitra.core.audit import diff

        old, new = diff(
            {k: str(v) for k, v in before.items()},
            {k: str(v) for k, v in _breach_snapshot(b).items()},
        )
        audit_record(actor, "privacy.breach.update", obj=b, before=old, after=new)
    return b


def breach_notify(
    *,
    actor: User,
    breach: Breach,
    notified_at: dt.datetime,
    reference: str,
    authority: str = "",
    late_reason: str = "",
) -> Breach:
    """Record the notice sent to the authority. A notice after the 72 hours needs the reason
    of the delay (the law asks for it with the late notice)."""
    with transaction.atomic():
        b = _breach_for_update(actor, breach)
        if b.status != Breach.Status.OPEN:
            raise ChitraError(_("The authority was already notified of this breach."))
        if notified_at is None or notified_at > timezone.now() or notified_at < b.detected_at:
            raise ChitraError(
                _("The time of the notice must be after the detection and not in the future.")
            )
        if not _text(reference):
            raise ChitraError(
                _("Give the reference of the notice (number of the dispatch or of the receipt).")
            )
        if notified_at > b.deadline and not _text(late_reason):
            raise ChitraError(
                _(
                    "The notice is later than %(hours)s hours after detection: give "
                    "the reason of the delay."
                )
                % {"hours": settings.CHITRA_BREACH_NOTIFY_HOURS}
            )
        b.status, b.notified_at = Breach.Status.NOTIFIED, notified_at
        b.notification_reference = _text(reference)[:100]
        b.authority = _text(authority)[:255] or b.authority
        b.late_reason = _text(late_reason)
        b.save()
        audit_record(
            actor,
            "privacy.breach.notify",
            obj=b,
            after={
                "notified_at": notified_at,
                "reference": b.notification_reference,
                "authority": b.authority,
                "late": b.notified_late,
            },
            reason=b.late_reason,
        )
    return b


def breach_close(*, actor: User, breach: Breach, note: str) -> Breach:
    """Close a breach once handled. Closing one never notified (found not to be a breach)
    needs the reason in the note, and stays visible as closed without notice."""
    if not _text(note):
        raise ChitraError(_("Write how the breach was handled (or why it is not one)."))
    with transaction.atomic():
        b = _breach_for_update(actor, breach)
        without_notice = b.status == Breach.Status.OPEN
        b.status, b.closed_at, b.closure_note = Breach.Status.CLOSED, timezone.now(), _text(note)
        b.save()
        audit_record(
            actor,
            "privacy.breach.close",
            obj=b,
            after={"without_notice": without_notice},
            reason=b.closure_note,
        )
    return b
