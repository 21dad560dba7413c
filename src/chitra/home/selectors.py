"""What the home page shows each user: their work today, with counts (the top layer: it reads
every app through that app's own scoped selectors, each taking the actor).

A card is shown when its page opens for the user (the view's own test, `chitra.home.menu`)
and, where a role matters (approvers, providers), that role's policy agrees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from chitra.home.policy import may_open

if TYPE_CHECKING:
    from chitra.iam.models import User

#: at most this many communes in a card's list (the page behind it has them all)
COMMUNE_ROWS = 10


@dataclass(frozen=True)
class WorkCount:
    label: str | Promise
    count: int
    url: str
    key: str = ""


@dataclass
class WorkCard:
    key: str
    title: str | Promise
    text: str | Promise
    url: str
    link_label: str | Promise
    counts: list[WorkCount] = field(default_factory=list)
    #: a list by commune (name, count, link), largest first
    rows: list[WorkCount] = field(default_factory=list)


def _url(name: str, query: str = "") -> str:
    return reverse(name) + (f"?{query}" if query else "")


def _cleaning(actor: User) -> WorkCard | None:
    from chitra.verification.models import Outcome
    from chitra.verification.selectors import queue

    if not may_open(actor, "verification_queue"):
        return None
    open_tasks = queue(actor).order_by()
    by_outcome = dict(open_tasks.values_list("outcome").annotate(n=Count("id")))
    counts = [
        WorkCount(_("To resolve"), sum(by_outcome.values()), _url("verification_queue"), "open"),
        WorkCount(
            _("Assigned to me"),
            open_tasks.filter(assigned_to=actor).count(),
            _url("verification_queue", "mine=1"),
            "mine",
        ),
    ]
    counts += [
        WorkCount(label, by_outcome[value], _url("verification_queue", f"outcome={value}"), value)
        for value, label in Outcome.choices
        if by_outcome.get(value)
    ]
    return WorkCard(
        "cleaning",
        _("Cleaning queue"),
        _(
            "Records that differ from the population register, or have no personal ID: "
            "check and resolve them."
        ),
        _url("verification_queue"),
        _("Open the cleaning queue"),
        counts,
    )


def _outreach(actor: User) -> WorkCard | None:
    from chitra.outreach.selectors import my_work

    if not may_open(actor, "outreach_my_work"):
        return None
    mine = my_work(actor).order_by()
    today = timezone.localdate()
    counts = [
        WorkCount(_("People to contact"), mine.count(), _url("outreach_my_work"), "mine"),
        WorkCount(
            _("Follow-ups overdue"),
            mine.filter(follow_up_date__lt=today).count(),
            _url("outreach_my_work"),
            "overdue",
        ),
        WorkCount(
            _("Open in your area"),
            my_work(actor, area=True).order_by().count(),
            _url("outreach_my_work", "area=1"),
            "area",
        ),
    ]
    return WorkCard(
        "outreach",
        _("Outreach list"),
        _("Beneficiaries to visit or call about being paid into an account."),
        _url("outreach_my_work"),
        _("Open my outreach list"),
        counts,
    )


def _approvals(actor: User) -> WorkCard | None:
    from chitra.disbursement.models import CycleStatus
    from chitra.disbursement.policy import may_approve
    from chitra.disbursement.selectors import cycles
    from chitra.payment_methods.models import ChangeRequest
    from chitra.payment_methods.selectors import change_requests

    if not (may_approve(actor) and may_open(actor, "cycle_list")):
        return None
    to_approve = (
        cycles(actor)
        .filter(status=CycleStatus.COMPUTED)
        .exclude(computed_by=actor)
        .exclude(approved_by=actor)
    )
    submitted = ChangeRequest.Status.SUBMITTED
    changes = change_requests(actor, status=submitted).exclude(maker=actor)
    counts = [
        WorkCount(_("Payment cycles to approve"), to_approve.count(), _url("cycle_list"), "cycles"),
        WorkCount(
            _("Payment changes to approve"),
            changes.count(),
            _url("change_requests", f"status={submitted}"),
            "changes",
        ),
    ]
    return WorkCard(
        "approvals",
        _("To approve"),
        _(
            "Payrolls computed by another officer and changes of where money goes, "
            "waiting for your decision."
        ),
        _url("cycle_list"),
        _("Open the monthly payments"),
        counts,
    )


def _provider(actor: User) -> WorkCard | None:
    from chitra.disbursement.models import CycleStatus, LineStatus
    from chitra.disbursement.selectors import batches_anywhere, lines_anywhere, provider_code_of

    if provider_code_of(actor) is None or not may_open(actor, "cycle_list"):
        return None
    to_fetch = batches_anywhere(actor).filter(cycle__status=CycleStatus.RELEASED)
    awaiting = lines_anywhere(actor).filter(status=LineStatus.SENT)
    counts = [
        WorkCount(_("Batches to fetch"), to_fetch.count(), _url("cycle_list"), "batches"),
        WorkCount(
            _("Payments waiting for your result"), awaiting.count(), _url("cycle_list"), "results"
        ),
    ]
    return WorkCard(
        "provider",
        _("Payment files and results"),
        _(
            "Fetch the released payment files of your customers and send back the result "
            "of each payment."
        ),
        _url("cycle_list"),
        _("Open the monthly payments"),
        counts,
    )


def _id_cards(actor: User) -> WorkCard | None:
    from chitra.outreach.selectors import id_card_priority

    if not may_open(actor, "outreach_id_cards"):
        return None
    qs = id_card_priority(actor).order_by()
    per_commune = (
        qs.values("commune_id", "commune__name", "commune__code")
        .annotate(n=Count("id"))
        .order_by("-n", "commune__name")
    )
    rows = [
        WorkCount(
            f"{r['commune__name']} ({r['commune__code']})",
            r["n"],
            _url("outreach_id_cards", f"commune={r['commune_id']}"),
            str(r["commune_id"]),
        )
        for r in per_commune[:COMMUNE_ROWS]
    ]
    return WorkCard(
        "id_cards",
        _("ID-card priority list"),
        _(
            "Beneficiaries without a 12-digit personal ID, or found by outreach to need a "
            "card, by commune."
        ),
        _url("outreach_id_cards"),
        _("Open the ID-card priority list"),
        [
            WorkCount(
                _("Beneficiaries to issue a card first"),
                qs.count(),
                _url("outreach_id_cards"),
                "total",
            )
        ],
        rows,
    )


def _complaints(actor: User) -> WorkCard | None:
    from chitra.grievances.selectors import tickets

    if not may_open(actor, "ticket_list"):
        return None
    counts = [
        WorkCount(
            _("Open complaints for your organisation"),
            tickets(actor, status="active", mine=True).order_by().count(),
            _url("ticket_list", "status=active&mine=1"),
            "mine",
        ),
        WorkCount(
            _("Overdue"),
            tickets(actor, overdue=True).order_by().count(),
            _url("ticket_list", "overdue=1"),
            "overdue",
        ),
    ]
    return WorkCard(
        "complaints",
        _("Complaints"),
        _("Complaints and fraud reports to answer before their due date."),
        _url("ticket_list"),
        _("Open the complaints"),
        counts,
    )


def _dashboard(actor: User) -> WorkCard | None:
    if not may_open(actor, "report_dashboard"):
        return None
    return WorkCard(
        "dashboard",
        _("Dashboard"),
        _("Where the province stands: people paid without cash, by commune, against the targets."),
        _url("report_dashboard"),
        _("Open the dashboard"),
    )


def work_today(actor: User) -> list[WorkCard]:
    """The cards of `actor`'s home page, their most pressing work first."""
    from chitra.iam.models import OVERSIGHT_KINDS

    oversight = actor.organisation is not None and actor.organisation.kind in OVERSIGHT_KINDS
    work: list[Callable[[User], WorkCard | None]] = [
        _approvals,
        _provider,
        _cleaning,
        _outreach,
        _id_cards,
        _complaints,
    ]
    makers = [_dashboard, *work] if oversight else [*work, _dashboard]
    return [card for make in makers if (card := make(actor)) is not None]


def reports_due(actor: User) -> list[Any]:
    """The periodic reports `actor`'s organisation must issue (the police's weekly, BHXH's
    monthly and yearly), with their state; nothing for everyone else."""
    from chitra.reports.policy import must_issue
    from chitra.reports.selectors import obligations

    return [o for o in obligations(actor) if must_issue(actor, o.kind)]
