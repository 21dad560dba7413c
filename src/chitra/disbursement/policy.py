"""Who may do what in the payment cycle: one place for the object permissions, used by the
pages (what they offer and accept), the API and the services alike.

The provincial BHXH runs the cycle; a provider (bank, post, mobile money) sees its own batches
and posts results, never runs, approves or cancels anything (`provider_code_of`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chitra.disbursement.models import DEAD_LINE_STATUSES, CycleStatus, LineStatus
from chitra.disbursement.selectors import provider_code_of
from chitra.iam.access import Perm, has_perm

if TYPE_CHECKING:
    from chitra.disbursement.models import Cycle, PaymentFile, PayrollLine
    from chitra.iam.models import User

#: a cycle's pay dates change until its files are released
PAY_DATES_OPEN = (CycleStatus.OPEN, CycleStatus.FROZEN, CycleStatus.COMPUTED, CycleStatus.APPROVED)


def _provider(actor: User) -> bool:
    return provider_code_of(actor) is not None


def may_run(actor: User) -> bool:
    """Open, freeze, compute, release, reconcile a cycle: BHXH (PAYMENT_RUN), never a
    provider."""
    return has_perm(actor, Perm.PAYMENT_RUN) and not _provider(actor)


def may_approve(actor: User) -> bool:
    """Approve or close a cycle, cancel a line or pay it again: a BHXH approver."""
    return has_perm(actor, Perm.PAYMENT_APPROVE) and not _provider(actor)


def may_act(actor: User, perm: Perm) -> bool:
    """A step of the cycle that needs `perm` (PAYMENT_RUN or PAYMENT_APPROVE), by BHXH."""
    return has_perm(actor, perm) and not _provider(actor)


def may_edit_pay_schedule(actor: User) -> bool:
    """The province's pay days: its BHXH admin."""
    return has_perm(actor, Perm.PAY_SCHEDULE_EDIT) and not _provider(actor)


def may_change_pay_dates(actor: User, cycle: Cycle) -> bool:
    """A cycle's pay dates: those who run it, until its files are released."""
    return may_run(actor) and cycle.status in PAY_DATES_OPEN


def may_cancel_line(actor: User, line: PayrollLine) -> bool:
    """A line issued but not sent yet: an approver cancels it."""
    return may_approve(actor) and line.status == LineStatus.ISSUED


def may_pay_line_again(actor: User, line: PayrollLine, reissue: Any) -> bool:
    """A line that failed or came back (not one retried by its provider, not one paid again
    already: `reissue`): an approver has it paid again in the next cycle."""
    return (
        may_approve(actor)
        and line.status in DEAD_LINE_STATUSES
        and line.action != "retry"
        and reissue is None
    )


def full_numbers_allowed(actor: User, pf: PaymentFile) -> bool:
    """Who may have a file with every full account number: the provider the batch pays
    through, and the BHXH role that sends the files (PAYMENT_RUN: the provincial BHXH's
    officers and above). Everyone else who may see the file gets a masked copy."""
    if actor.is_national:
        return True
    if actor.area_province_id is None or actor.area_province_id != pf.batch.cycle.province_id:
        return False
    code = provider_code_of(actor)
    if code is not None:
        return pf.batch.provider is not None and pf.batch.provider.code == code
    return has_perm(actor, Perm.PAYMENT_RUN)


def cycle_permissions(actor: User, cycle: Cycle) -> dict[str, bool]:
    """What the cycle's page offers `actor` (the template's `can_*` flags)."""
    return {
        "can_run": may_run(actor),
        "can_approve": may_approve(actor),
        "can_results": has_perm(actor, Perm.PAYMENT_RESULTS),
        "can_change_dates": may_change_pay_dates(actor, cycle),
    }
