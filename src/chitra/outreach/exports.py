"""Exports of outreach: campaigns, a campaign's progress and work list, an officer's work
list, the police's ID-card priority list and the deaths reported during visits (all
audited)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.exports import Workbook
from chitra.engine.documents.lists import list_workbook
from chitra.outreach import selectors as sel
from chitra.outreach.models import Outcome

if TYPE_CHECKING:
    from chitra.iam.models import User
    from chitra.outreach.models import Campaign


def _today() -> str:
    return timezone.localdate().strftime("%d/%m/%Y")


def _d(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def campaign_export(*, actor: User) -> Workbook:
    """The campaigns `actor` may see, with their totals."""
    audit_record(
        actor, "export.outreach_campaigns", object_type="outreach.campaign", object_repr="campaigns"
    )
    camps = list(sel.campaigns(actor))
    totals = sel.campaign_totals(actor, [c.pk for c in camps])
    rows = (
        [c.name, c.province.name, _d(c.start_date), _d(c.end_date), *totals.get(c.pk, (0, 0, 0))]
        for c in camps
    )
    data = list_workbook(
        title=_("Outreach campaigns"),
        subtitle=_today(),
        headers=[
            _("Campaign"),
            _("Province"),
            _("Start date"),
            _("End date"),
            _("Beneficiaries"),
            _("Contacted"),
            _("Agreed"),
        ],
        rows=rows,
    )
    return Workbook(data, "chien-dich-van-dong.xlsx")


def campaign_progress_export(
    *, actor: User, campaign: Campaign, filters: Mapping[str, Any]
) -> Workbook:
    """The progress of `campaign` by commune, or by officer (`filters["by"] == "officer"`)."""
    by_officer = filters.get("by") == "officer"
    table = (
        sel.progress_by_officer(actor, campaign)
        if by_officer
        else sel.progress_by_commune(actor, campaign)
    )
    audit_record(actor, "export.outreach_progress", obj=campaign, object_repr=campaign.name)
    first = _("Officer") if by_officer else _("Commune")
    rows = (
        [
            r.label or _("Not assigned"),
            r.total,
            r.contacted,
            round(100 * r.share_contacted, 1),
            r.agreed,
            round(100 * r.share_agreed, 1),
            r.done,
            *r.outcome_counts(),
        ]
        for r in table
    )
    data = list_workbook(
        title=_("Outreach progress: %(name)s") % {"name": campaign.name},
        subtitle=_today(),
        headers=[
            first,
            _("Beneficiaries"),
            _("Contacted"),
            _("Contacted share"),
            _("Agreed"),
            _("Agreed share"),
            _("Done"),
            *[str(label) for _v, label in Outcome.choices],
        ],
        rows=rows,
    )
    return Workbook(data, f"tien-do-van-dong-{campaign.pk}.xlsx")


def _assignment_headers() -> list[str]:
    return [
        _("Commune"),
        _("Full name"),
        _("Personal ID"),
        _("Social insurance no."),
        _("Date of birth"),
        _("Address"),
        _("Phone"),
        _("Assigned to"),
        _("Status"),
        _("Last outcome"),
        _("Last contact"),
        _("Follow up on"),
    ]


def _assignment_rows(qs: Any) -> Iterable[list[Any]]:
    for a in qs.iterator(chunk_size=2000):
        b = a.beneficiary
        yield [
            a.commune.name,
            b.full_name,
            b.personal_id or "",
            b.si_number or "",
            _d(b.birth_date),
            b.address,
            b.phone,
            a.assigned_to.username if a.assigned_to else "",
            a.get_status_display(),
            a.get_last_outcome_display() if a.last_outcome else "",
            _d(a.last_contact_date),
            _d(a.follow_up_date),
        ]


def assignment_export(
    *, actor: User, campaign: Campaign, filters: Mapping[str, Any], query: str = ""
) -> Workbook:
    """The work list of `campaign` (`selectors.assignments` with `filters`); `query` (the
    page's query string) is recorded in the audit trail."""
    qs = sel.assignments(actor, campaign=campaign, **filters)
    audit_record(
        actor, "export.outreach_work_list", obj=campaign, object_repr=query[:255] or campaign.name
    )
    data = list_workbook(
        title=_("Outreach work list: %(name)s") % {"name": campaign.name},
        subtitle=_today(),
        headers=_assignment_headers(),
        rows=_assignment_rows(qs),
    )
    return Workbook(data, f"danh-sach-van-dong-{campaign.pk}.xlsx")


def my_work_export(*, actor: User, filters: Mapping[str, Any], query: str = "") -> Workbook:
    """The officer's own work list (`selectors.my_work` with `filters`)."""
    qs = sel.my_work(actor, **filters)
    audit_record(
        actor,
        "export.outreach_my_work",
        object_type="outreach.assignment",
        object_repr=query[:255] or "mine",
    )
    data = list_workbook(
        title=_("My outreach work list"),
        subtitle=_today(),
        headers=_assignment_headers(),
        rows=_assignment_rows(qs),
    )
    return Workbook(data, "danh-sach-cua-toi.xlsx")


def id_card_priority_export(
    *, actor: User, filters: Mapping[str, Any], query: str = ""
) -> Workbook:
    """The beneficiaries to issue an ID card first (`selectors.id_card_priority`)."""
    qs = sel.id_card_priority(actor, **filters)
    audit_record(
        actor,
        "export.id_card_priority",
        object_type="outreach.id_cards",
        object_repr=query[:255] or "id_cards",
    )
    rows = (
        [
            b.commune.name,
            b.full_name,
            b.personal_id or "",
            b.old_id or "",
            b.si_number or "",
            _d(b.birth_date),
            b.get_sex_display(),
            b.address,
            b.phone,
            _("Found by outreach") if getattr(b, "flagged", False) else _("No personal ID"),
        ]
        for b in qs.iterator(chunk_size=2000)
    )
    data = list_workbook(
        title=_("Beneficiaries to issue an ID card first"),
        subtitle=_today(),
        headers=[
            _("Commune"),
            _("Full name"),
            _("Personal ID"),
            _("Old ID card (CMND)"),
            _("Social insurance no."),
            _("Date of birth"),
            _("Sex"),
            _("Address"),
            _("Phone"),
            _("Why"),
        ],
        rows=rows,
    )
    return Workbook(data, "uu-tien-cap-can-cuoc.xlsx")


def death_report_export(*, actor: User, filters: Mapping[str, Any]) -> Workbook:
    """The deaths reported during outreach (`selectors.death_reports` with `filters`)."""
    qs = sel.death_reports(actor, **filters)
    audit_record(
        actor,
        "export.death_reports",
        object_type="outreach.deathreport",
        object_repr="death_reports",
    )
    rows = (
        [
            r.beneficiary.commune.name,
            r.beneficiary.full_name,
            r.beneficiary.personal_id or "",
            _d(timezone.localtime(r.reported_at)),
            str(r.reported_by),
            r.note,
            _d(timezone.localtime(r.checked_at)) if r.checked_at else "",
            r.check_outcome,
        ]
        for r in qs.iterator(chunk_size=2000)
    )
    data = list_workbook(
        title=_("Deaths reported during outreach"),
        subtitle=_today(),
        headers=[
            _("Commune"),
            _("Full name"),
            _("Personal ID"),
            _("Reported on"),
            _("Reported by"),
            _("Note"),
            _("Checked on"),
            _("Register outcome"),
        ],
        rows=rows,
    )
    return Workbook(data, "bao-tu-vong.xlsx")
