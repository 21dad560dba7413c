"""Who may see verification: one place for the pages, the services and the API."""

from __future__ import annotations

from typing import TYPE_CHECKING

from chitra.iam.access import Perm, has_perm

if TYPE_CHECKING:
    from chitra.iam.models import User


def can_see_runs(actor: User) -> bool:
    """The verification runs and their outcomes: those who run checks or clean the data."""
    return has_perm(actor, Perm.VERIFY_RUN) or has_perm(actor, Perm.CLEANING_WORK)
