from __future__ import annotations

import pytest

from chitra.core.models import AuditEvent
from chitra.demo.iam import ensure_demo_org_users
from chitra.demo.outreach import DEMO_CAMPAIGN, ensure_demo_campaign
from chitra.geo.models import Commune
from chitra.iam.models import User
from chitra.outreach.models import Assignment, Campaign, Contact
from tests.factories import BeneficiaryFactory, EntitlementFactory


@pytest.mark.django_db
def test_demo_campaign_is_scoped_and_idempotent(system, tq, tq_communes):
    ensure_demo_org_users(actor=system, province=tq)
    cax = User.objects.get(username="cax.officer")
    ward = Commune.objects.get(pk=cax.scope_commune_ids()[0])
    for commune in (ward, tq_communes[0], tq_communes[1], tq_communes[2]):
        for i in range(25):
            EntitlementFactory(
                beneficiary=BeneficiaryFactory(
                    commune=commune, full_name=f"Demo {commune.code} {i}"
                )
            )
    campaign = ensure_demo_campaign(actor=system, province=tq)
    assert campaign is not None and campaign.name == DEMO_CAMPAIGN
    assert campaign.communes.count() == 3 and ward in campaign.communes.all()
    assigned = Assignment.objects.filter(campaign=campaign, assigned_to__isnull=False)
    assert assigned.exists() and Contact.objects.exists()
    assert not assigned.filter(assigned_to=cax).exclude(commune=ward).exists()
    kv1 = User.objects.get(username="kv1.officer")
    assert (
        not assigned.filter(assigned_to=kv1)
        .exclude(commune_id__in=kv1.scope_commune_ids())
        .exists()
    )
    assert set(assigned.values_list("assigned_to__username", flat=True)) <= {
        "cax.officer",
        "kv1.officer",
        "post.officer",
    }
    counts = (
        Campaign.objects.count(),
        Assignment.objects.count(),
        Contact.objects.count(),
        AuditEvent.objects.count(),
    )
    again = ensure_demo_campaign(actor=system, province=tq)
    assert again == campaign
    assert counts == (
        Campaign.objects.count(),
        Assignment.objects.count(),
        Contact.objects.count(),
        AuditEvent.objects.count(),
    )
