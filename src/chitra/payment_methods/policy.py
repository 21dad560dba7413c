"""Who may do what with payment methods: one place for the object permissions, used by the
services (which enforce them), the pages (what they offer), outreach and the API alike."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chitra.iam.access import Perm, has_perm
from chitra.iam.models import PROVIDER_KINDS

if TYPE_CHECKING:
    from chitra.iam.models import User
    from chitra.payment_methods.models import Account


def is_provider(actor: User) -> bool:
    """A user of a bank, Vietnam Post, a mobile-money or an e-wallet provider (not national)."""
    org = actor.organisation if actor.is_authenticated else None
    return org is not None and org.kind in PROVIDER_KINDS and not actor.is_national


def acts_for_provider(actor: User) -> bool:
    """The user's organisation is a provider (whatever their reach): the services' rule for
    requests into the provider's own accounts."""
    org = actor.organisation
    return org is not None and org.kind in PROVIDER_KINDS


def may_open_change_request(actor: User) -> bool:
    """Who may open or complete a request: BHXH officers and the police of the area, and a
    provider's officers (their customers to be; into its own accounts only, and for people of
    its province: `services` checks both). The commune committee records the agreement during
    outreach; BHXH opens the request."""
    return (
        has_perm(actor, Perm.REGISTRY_IMPORT)
        or has_perm(actor, Perm.CLEANING_WORK)
        or (acts_for_provider(actor) and has_perm(actor, Perm.ACCOUNT_CONFIRM))
    )


def may_see_full_number(actor: User, account: Account) -> bool:
    """Approvers and admins of BHXH in the area; a bank for its own customers only."""
    org = actor.organisation
    if actor.is_national:
        return True
    if org is None:
        return False
    if org.kind in PROVIDER_KINDS:
        return org.provider_code == account.provider.code
    return has_perm(actor, Perm.PAYMENT_APPROVE)


def change_request_list_permissions(actor: User) -> dict[str, Any]:
    """What the list of change requests offers `actor` (the template's `can_*` flags)."""
    return {
        "can_decide": has_perm(actor, Perm.PAYMENT_APPROVE),
        "can_submit": not is_provider(actor),
        "can_notices": has_perm(actor, Perm.REGISTRY_IMPORT),
    }
