"""Writes of the reports app: refresh the aggregates, set targets, issue periodic reports,
post plan-task updates. Each is audited."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.iam.access import Perm, require_perm
from chitra.iam.models import OrgKind
from chitra.reports import periodic
from chitra.reports.kpis import months_to_refresh, refresh_month
from chitra.reports.models import (
    AreaFilter,
    BenefitGroup,
    IssuedReport,
    PlanStatus,
    PlanTask,
    PlanUpdate,
    ReportKind,
    Target,
)
from chitra.reports.selectors import scope_province

if TYPE_CHECKING:
    from chitra.geo.models import Commune, Province
    from chitra.iam.models import User


def kpi_refresh(
    *, actor: User, province: Province, months: list[dt.date] | None = None, progress: Any = None
) -> int:
    """Recompute the monthly aggregates (default: the last 12 months and this one)."""
    require_perm(actor, Perm.REPORTS_VIEW)
    months = months or months_to_refresh(province)
    rows = 0
    for i, m in enumerate(months, 1):
        rows += refresh_month(province, m)
        if progress:
            progress("months", i, len(months))
    with transaction.atomic():
        audit_record(
            actor,
            "reports.refresh",
            object_type="geo.province",
            object_id=province.code,
            province=province,
            after={"months": [f"{m:%Y-%m}" for m in months], "rows": rows},
        )
    return rows


def target_set(
    *,
    actor: User,
    province: Province,
    group: str,
    value: Any,
    deadline: dt.date,
    area: str = AreaFilter.ALL,
    commune: Commune | None = None,
    keep: bool = False,
    note: str = "",
    kpi: str = "cashless_share",
) -> Target:
    """Create or change a target (the province's BHXH admin)."""
    pct = _checked_target(actor, province, group, area, value, commune)
    with transaction.atomic():
        t = (
            Target.objects.select_for_update()
            .filter(
                province=province,
                commune=commune,
                kpi=kpi,
                group=group,
                area=area,
                deadline=deadline,
            )
            .first()
        )
        before = {"value": str(t.value), "keep": t.keep} if t else None
        if t is None:
            t = Target(
                province=province,
                commune=commune,
                kpi=kpi,
                group=group,
                area=area,
                deadline=deadline,
            )
        t.value, t.keep, t.note, t.updated_by = pct, keep, note, actor
        t.save()
        audit_record(
            actor,
            "reports.target",
            obj=t,
            before=before,
            after={
                "group": group,
                "area": area,
                "value": str(pct),
                "deadline": deadline.isoformat(),
                "keep": keep,
                "commune": commune.code if commune else None,
            },
        )
    return t


def _checked_target(
    actor: User,
    province: Province,
    group: str,
    area: str,
    value: Any,
    commune: Commune | None,
) -> Decimal:
    """The target's percentage, once the actor, group, area and commune are checked."""
    require_perm(actor, Perm.TARGET_EDIT)
    if not actor.is_national and province.pk != actor.area_province_id:
        raise ChitraError(_("You can only set the targets of your own province."))
    if group not in BenefitGroup.values or area not in AreaFilter.values:
        raise ChitraError(_("Unknown benefit group or area."))
    try:
        pct = Decimal(str(value).replace(",", "."))
    except InvalidOperation:
        raise ChitraError(_("The target must be a percentage between 0 and 100.")) from None
    if not (0 <= pct <= 100):
        raise ChitraError(_("The target must be a percentage between 0 and 100."))
    if commune is not None and commune.province_id != province.pk:
        raise ChitraError(_("The commune is not in the province."))
    return pct


def _issuer(actor: User, province: Province, kind: str) -> tuple[Any, str, str, str]:
    """(organisation, issuing body, superior body, number prefix)."""
    org = actor.organisation if actor.organisation_id else None
    if org is not None and org.kind == OrgKind.POLICE_PROVINCE:
        return org, str(org.name).upper(), "BỘ CÔNG AN", "BC-CAT"
    if org is not None and org.kind in (OrgKind.BHXH_PROVINCE, OrgKind.BHXH_OFFICE):
        return org, str(org.name).upper(), "BẢO HIỂM XÃ HỘI VIỆT NAM", "BC-BHXH"
    if kind == ReportKind.WEEKLY:
        return None, f"CÔNG AN TỈNH {str(province.name).upper()}", "BỘ CÔNG AN", "BC-CAT"
    return (
        None,
        f"BẢO HIỂM XÃ HỘI TỈNH {str(province.name).upper()}",
        "BẢO HIỂM XÃ HỘI VIỆT NAM",
        "BC-BHXH",
    )


def reports_dir() -> Path:
    return Path(settings.CHITRA_REPORTS_DIR)


def report_issue(
    *, actor: User, kind: str, period: str, province: Province | None = None, signer: str = ""
) -> IssuedReport:
    """Issue a periodic report: collect its figures, number it, write its xlsx and PDF once,
    store it with the data it was made from. An issued report is never changed. Refused while
    the month's indicators are stale (recompute them first)."""
    require_perm(actor, Perm.REPORT_ISSUE)
    if kind not in ReportKind.values:
        raise ChitraError(_("Unknown report kind %(kind)s.") % {"kind": kind})
    province = province or scope_province(actor)
    if province is None:
        raise ChitraError(_("Choose a province."))
    return _issue(actor, kind, period, province, signer)


def report_reissue(
    *, actor: User, report: IssuedReport, reason: str, signer: str = ""
) -> IssuedReport:
    """Correct an issued report: issue it again from the indicators as they are now, under a
    new number, as version + 1 with the reason and a link to the report it replaces. The
    replaced report is not touched (the database refuses it): it stays downloadable and is
    shown as superseded by the new one. Only the latest version can be corrected."""
    require_perm(actor, Perm.REPORT_ISSUE)
    reason = reason.strip()
    if not reason:
        raise ChitraError(_("Say why the report is corrected (a reason is required)."))
    province = report.province
    if not actor.is_national and province.pk != actor.area_province_id:
        raise ChitraError(_("You can only correct the reports of your own province."))
    later = IssuedReport.objects.filter(supersedes=report).first()
    if later is not None:
        raise ChitraError(
            _("Report %(number)s was already replaced by report %(later)s; correct that one.")
            % {"number": report.number, "later": later.number}
        )
    return _issue(
        actor, report.kind, report.period, province, signer, supersedes=report, reason=reason
    )


def _issue(
    actor: User,
    kind: str,
    period: str,
    province: Province,
    signer: str,
    supersedes: IssuedReport | None = None,
    reason: str = "",
) -> IssuedReport:
    org, body, superior, prefix = _issuer(actor, province, kind)
    today = timezone.localdate()
    data = periodic.collect(actor, province, kind, period)
    replaces = _replaces(data, supersedes, reason)
    written: list[Path] = []
    for attempt in range(3):
        try:
            with transaction.atomic():
                seq, number = _next_number(org, today.year, prefix)
                doc = periodic.document(
                    data,
                    number=_("No.: %(number)s") % {"number": number},
                    issuing_body=body,
                    superior_body=superior,
                    place=str(province.name),
                    on=today,
                    signer=signer,
                    replaces=replaces,
                )
                xlsx, pdf = _report_paths(province, today, f"{seq:04d}-{prefix}-{kind}-{period}")
                written = [xlsx, pdf]
                xsha, psha = _write_report_files(xlsx, pdf, doc)
                rep = IssuedReport.objects.create(
                    kind=kind,
                    period=period,
                    province=province,
                    organisation=org,
                    year=today.year,
                    sequence=seq,
                    number=number,
                    title=doc.title[:255],
                    data=data,
                    xlsx_path=str(xlsx.relative_to(reports_dir())),
                    xlsx_sha256=xsha,
                    pdf_path=str(pdf.relative_to(reports_dir())),
                    pdf_sha256=psha,
                    issued_at=timezone.now(),
                    issued_by=actor,
                    version=supersedes.version + 1 if supersedes else 1,
                    supersedes=supersedes,
                    correction_reason=reason,
                )
                _audit_issue(actor, rep)
                return rep
        except IntegrityError:  # another report took this number meanwhile: number again
            for f in written:
                f.unlink(missing_ok=True)
            _refuse_if_replaced(supersedes)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _replaces(
    data: dict[str, Any], supersedes: IssuedReport | None, reason: str
) -> dict[str, str] | None:
    """What a corrected re-issue replaces (also noted in ``data``); None for a first issue."""
    if supersedes is None:
        return None
    data["replaces"] = {
        "number": supersedes.number,
        "version": supersedes.version,
        "reason": reason,
    }
    return {
        "number": supersedes.number,
        "reason": reason,
        "date": timezone.localtime(supersedes.issued_at).strftime("%d/%m/%Y"),
    }


def _next_number(org: Any, year: int, prefix: str) -> tuple[int, str]:
    """The next sequence of the organisation's reports in the year, and its number."""
    seq = (
        IssuedReport.objects.filter(organisation=org, year=year)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
        or 0
    ) + 1
    return seq, f"{seq}/{prefix}"


def _refuse_if_replaced(supersedes: IssuedReport | None) -> None:
    if supersedes is not None and IssuedReport.objects.filter(supersedes=supersedes).exists():
        raise ChitraError(
            _("Report %(number)s was replaced meanwhile by another correction.")
            % {"number": supersedes.number}
        ) from None


def _report_paths(province: Province, today: dt.date, name: str) -> tuple[Path, Path]:
    """The XLSX and PDF paths of a report in its province and year folder (created)."""
    folder = reports_dir() / province.code / str(today.year)
    folder.mkdir(parents=True, exist_ok=True)
    # the time in the name: a failed or concurrent attempt never collides
    stem = re.sub(r"[^0-9A-Za-z-]+", "-", f"{name}-{timezone.now():%Y%m%d%H%M%S%f}")
    return folder / f"{stem}.xlsx", folder / f"{stem}.pdf"


def _write_report_files(xlsx: Path, pdf: Path, doc: Any) -> tuple[str, str]:
    """Write both files of a report (none is left when one fails); their SHA-256."""
    from chitra.engine.documents.report import write_report_pdf, write_report_xlsx

    try:
        xsha = write_report_xlsx(xlsx, doc)
        psha = write_report_pdf(pdf, doc)
    except BaseException:
        for f in (xlsx, pdf):
            f.unlink(missing_ok=True)
        raise
    return xsha, psha


def _audit_issue(actor: User, rep: IssuedReport) -> None:
    supersedes, reason = rep.supersedes, rep.correction_reason
    after = {
        "kind": rep.kind,
        "period": rep.period,
        "number": rep.number,
        "xlsx_sha256": rep.xlsx_sha256,
        "pdf_sha256": rep.pdf_sha256,
    }
    if supersedes is None:
        audit_record(actor, "reports.issue", obj=rep, after=after)
    else:
        audit_record(
            actor,
            "reports.reissue",
            obj=rep,
            reason=reason,
            before={
                "number": supersedes.number,
                "version": supersedes.version,
                "id": supersedes.pk,
            },
            after=after | {"version": rep.version},
        )


def plan_update(
    *, actor: User, task: PlanTask, status: str, note: str, percent: int = 0
) -> PlanUpdate:
    """An agency posts progress on a plan task (its own organisation's status)."""
    require_perm(actor, Perm.PLAN_UPDATE)
    if actor.organisation is None or actor.area_province_id is None:
        raise ChitraError(_("Only an agency of a province posts progress."))
    if status not in PlanStatus.values:
        raise ChitraError(_("Unknown status."))
    if not note.strip():
        raise ChitraError(_("Say what was done (a note is required)."))
    if not 0 <= percent <= 100:
        raise ChitraError(_("The share done must be between 0 and 100."))
    with transaction.atomic():
        u = PlanUpdate.objects.create(
            task=task,
            province_id=actor.area_province_id,
            organisation=actor.organisation,
            status=status,
            percent=percent,
            note=note.strip(),
            at=timezone.now(),
            author=actor,
        )
        audit_record(
            actor,
            "reports.plan_update",
            obj=u,
            after={"task": task.number, "status": status, "percent": percent},
        )
    return u
