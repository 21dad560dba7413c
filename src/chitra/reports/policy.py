"""Who must issue which periodic report (plan IV): the provincial police the weekly one, the
provincial BHXH the monthly and yearly ones. One place for the reminders on the home page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chitra.iam.access import Perm, has_perm
from chitra.iam.models import OrgKind
from chitra.reports.models import ReportKind

if TYPE_CHECKING:
    from chitra.iam.models import User

#: the body that must issue each periodic report
ISSUER_OF: dict[str, str] = {
    ReportKind.WEEKLY: OrgKind.POLICE_PROVINCE,
    ReportKind.MONTHLY: OrgKind.BHXH_PROVINCE,
    ReportKind.YEARLY: OrgKind.BHXH_PROVINCE,
}


def must_issue(actor: User, kind: str) -> bool:
    """Whether `actor` issues the periodic report of `kind` (their organisation is the body
    that must, and they may issue reports); national users oversee every one."""
    if not has_perm(actor, Perm.REPORT_ISSUE):
        return False
    if actor.is_national:
        return True
    org = actor.organisation
    return org is not None and ISSUER_OF.get(kind) == org.kind
