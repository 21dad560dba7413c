"""Who may cancel a line before release: an approver whose area holds the line, on the page,
the command line and the service alike (found by review of issue #12)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from chitra.disbursement.models import PayrollLine
from chitra.disbursement.services import cycle_compute, cycle_create, line_cancel
from chitra.iam.models import OrgKind, Role
from tests.auth import VerifiedClient
from tests.disbursement.conftest import MONTH
from tests.disbursement.test_line_states import line

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_approver(make_user, tq_communes):
    # an approver of a BHXH office serving commune b only
    return make_user(OrgKind.BHXH_OFFICE, Role.APPROVER, communes=[tq_communes[1]])


def test_office_approver_cannot_cancel_a_line_of_a_commune_it_does_not_serve_service(
    world, runner, office_approver
):
    cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    cash = line(world, "cash")  # commune a
    assert cash.commune_id != office_approver.organisation.communes.first().pk
    with pytest.raises(PermissionDenied):
        line_cancel(actor=office_approver, line=cash, reason="thử")
    assert PayrollLine.objects.get(pk=cash.pk).status == "issued"


def test_office_approver_cannot_cancel_a_line_of_a_commune_it_does_not_serve_cli(
    world, runner, office_approver
):
    cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    cash = line(world, "cash")
    with pytest.raises(CommandError):
        call_command(
            "cycle_cancel_line",
            cash.reference,
            "--reason",
            "thử",
            "--user",
            office_approver.username,
        )
    assert PayrollLine.objects.get(pk=cash.pk).status == "issued"


def test_office_approver_cannot_cancel_a_line_of_a_commune_it_does_not_serve_page(
    world, runner, office_approver
):
    cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    cash = line(world, "cash")
    c = VerifiedClient()
    c.force_login(office_approver)
    c.post(reverse("payroll_line_cancel", args=[cash.pk]), {"reason": "thử"})
    assert PayrollLine.objects.get(pk=cash.pk).status == "issued"
