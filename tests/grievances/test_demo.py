from __future__ import annotations

import pytest

from chitra.core.models import AuditEvent
from chitra.demo.grievances import SPECS, ensure_demo_tickets
from chitra.demo.iam import ensure_demo_org_users
from chitra.grievances.models import Ticket, TicketEvent
from chitra.grievances.selectors import tickets
from chitra.iam.models import User
from chitra.payment_methods.models import Provider
from tests.factories import BeneficiaryFactory
from tests.grievances.conftest import _account


@pytest.mark.django_db
def test_demo_tickets_are_varied_routed_and_idempotent(system, tq, tq_communes):
    ensure_demo_org_users(actor=system, province=tq)
    agribank = Provider.objects.get(code="970405")
    for i, commune in enumerate(tq_communes[:6]):
        b = BeneficiaryFactory(commune=commune, full_name=f"Demo {i}")
        if i % 2:
            _account(b, agribank, system)
    made = ensure_demo_tickets(tq, 2026)
    assert made == len(SPECS) == Ticket.objects.count()
    statuses = set(Ticket.objects.values_list("status", flat=True))
    assert statuses == {"open", "in_progress", "waiting_info", "resolved", "rejected", "closed"}
    assert set(Ticket.objects.values_list("category", flat=True)) == {
        "payment_not_received",
        "wrong_amount",
        "account_problem",
        "scam_attempt",
        "suspected_fraud",
        "data_error",
    }
    assert any(t.overdue for t in Ticket.objects.all())
    kinds = set(TicketEvent.objects.values_list("kind", flat=True))
    assert {"created", "status", "comment", "resolved", "reopened"} <= kinds
    police = User.objects.get(username="ca.officer")
    assert (
        tickets(police, mine=True).filter(category__in=["scam_attempt", "suspected_fraud"]).count()
        == 3
    )
    assert tickets(User.objects.get(username="bank.officer"), mine=True).exists()
    counts = (Ticket.objects.count(), TicketEvent.objects.count(), AuditEvent.objects.count())
    assert ensure_demo_tickets(tq, 2026) == 0
    assert counts == (
        Ticket.objects.count(),
        TicketEvent.objects.count(),
        AuditEvent.objects.count(),
    )
