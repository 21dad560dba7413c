from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse

from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, Role
from chitra.outreach.models import Assignment, Campaign, Contact
from chitra.outreach.services import campaign_assign, contact_record
from chitra.payment_methods.models import ChangeRequest


def _cells(resp) -> list:
    assert resp.status_code == 200
    assert resp["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = openpyxl.load_workbook(io.BytesIO(resp.content)).active
    return [c.value for row in ws.iter_rows() for c in row]


K, R = OrgKind, Role
# kind, role, campaigns page, new campaign page, id-card list
CASES = [
    (K.BHXH_PROVINCE, R.OFFICER, 200, 200, 200),
    (K.BHXH_PROVINCE, R.VIEWER, 403, 403, 403),
    (K.BHXH_OFFICE, R.OFFICER, 200, 200, 200),
    (K.POLICE_PROVINCE, R.OFFICER, 403, 403, 200),
    (K.POLICE_COMMUNE, R.OFFICER, 200, 403, 200),
    (K.COMMUNE_COMMITTEE, R.OFFICER, 200, 403, 200),
    (K.POST, R.OFFICER, 200, 403, 403),
    (K.BANK, R.OFFICER, 403, 403, 403),
    (K.EWALLET, R.ADMIN, 403, 403, 403),
    (K.STATE_BANK, R.VIEWER, 403, 403, 403),
    (K.LEADERSHIP, R.VIEWER, 403, 403, 403),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "role", "see", "new", "ids"), CASES, ids=[f"{k}-{r}" for k, r, *_ in CASES]
)
def test_pages_per_role(
    client, make_user, campaign, people, tq_communes, kind, role, see, new, ids
):
    commune_scoped = kind in (K.BHXH_OFFICE, K.POLICE_COMMUNE, K.COMMUNE_COMMITTEE)
    user = make_user(kind, role, communes=[tq_communes[0]] if commune_scoped else None)
    client.force_login(user)
    assert client.get(reverse("outreach_campaigns")).status_code == see
    assert client.get(reverse("outreach_campaign_new")).status_code == new
    assert client.get(reverse("outreach_id_cards")).status_code == ids
    detail = client.get(reverse("outreach_campaign", args=[campaign.pk]))
    if see == 200 and kind != K.POST:
        assert detail.status_code == 200
    else:  # Vietnam Post sees a campaign only once work is handed to its staff
        assert detail.status_code in (403, 404)
    my = client.get(reverse("outreach_my_work"))
    assert my.status_code == (200 if see == 200 else 403)


@pytest.mark.django_db
def test_create_a_campaign_from_the_page(client, people, bhxh_officer, tq_communes):
    client.force_login(bhxh_officer)
    page = client.get(reverse("outreach_campaign_new"))
    assert tq_communes[0].name in page.text
    r = client.post(
        reverse("outreach_campaign_new"),
        {
            "name": "Vận động quý 4",
            "communes": [tq_communes[0].pk, tq_communes[1].pk],
            "start_date": "2026-10-01",
            "end_date": "2026-12-31",
        },
    )
    campaign = Campaign.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse(
        "outreach_campaign", args=[campaign.pk]
    )
    detail = client.get(r["Location"])
    assert "Vận động quý 4" in detail.text and tq_communes[0].name in detail.text
    lst = client.get(reverse("outreach_campaigns"))
    assert "Vận động quý 4" in lst.text
    assert "Vận động quý 4" in _cells(client.get(reverse("outreach_campaigns"), {"format": "xlsx"}))


@pytest.mark.django_db
def test_commune_police_see_only_their_commune(client, campaign, people, police_a):
    client.force_login(police_a)
    page = client.get(reverse("outreach_assignments", args=[campaign.pk]))
    assert people["cash"].full_name in page.text
    assert people["other"].full_name not in page.text
    other = Assignment.objects.get(campaign=campaign, beneficiary=people["other"])
    assert client.get(reverse("outreach_assignment", args=[other.pk])).status_code == 404
    values = _cells(
        client.get(reverse("outreach_assignments", args=[campaign.pk]), {"format": "xlsx"})
    )
    assert people["cash"].full_name in values and people["other"].full_name not in values
    detail = client.get(reverse("outreach_campaign", args=[campaign.pk]))
    # the progress table counts only the police's own commune
    assert f'?commune={people["other"].commune_id}"' not in detail.text
    assert f'?commune={people["cash"].commune_id}"' in detail.text


@pytest.mark.django_db
def test_bulk_assignment_from_the_page(client, campaign, people, bhxh_officer, police_a, police_b):
    client.force_login(bhxh_officer)
    page = client.get(reverse("outreach_assignments", args=[campaign.pk]))
    assert str(police_a) in page.text  # offered as an officer
    ids = list(campaign.assignments.values_list("pk", flat=True))
    r = client.post(
        reverse("outreach_assign", args=[campaign.pk]), {"assignment": ids, "officer": police_b.pk}
    )
    assert r.status_code == 302
    assert list(
        Assignment.objects.filter(assigned_to=police_b).values_list(
            "beneficiary__full_name", flat=True
        )
    ) == [people["other"].full_name]
    client.force_login(police_a)  # may not assign
    r = client.post(
        reverse("outreach_assign", args=[campaign.pk]), {"assignment": ids, "officer": police_a.pk}
    )
    assert r.status_code == 403


@pytest.mark.django_db
def test_my_work_cards_and_recording_a_contact(
    client, campaign, people, bhxh_officer, police_a, agribank
):
    a = Assignment.objects.get(campaign=campaign, beneficiary=people["cash"])
    campaign_assign(actor=bhxh_officer, assignments=[a], officer=police_a)
    client.force_login(police_a)
    page = client.get(reverse("outreach_my_work"))
    assert page.text.count('data-testid="card"') == 1
    assert people["cash"].full_name in page.text and "tel:+84912000001" in page.text
    area = client.get(reverse("outreach_my_work"), {"area": "1"})
    assert people["home"].full_name in area.text
    p = f"a{a.pk}-"
    r = client.post(
        reverse("outreach_assignment", args=[a.pk]),
        {
            p + "outcome": "needs_account",
            p + "channel": "phone",
            p + "provider": agribank.pk,
            p + "follow_up_date": (dt.date.today() + dt.timedelta(days=5)).isoformat(),
        },
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and f'id="card-{a.pk}"' in r.text
    c = Contact.objects.get()
    assert c.outcome == "needs_account" and c.officer == police_a and c.channel == "phone"
    r = client.post(
        reverse("outreach_assignment", args=[a.pk]),
        {
            p + "outcome": "agreed",
            p + "channel": "visit",
            p + "method": "BANK_ACCOUNT",
            p + "provider": agribank.pk,
            p + "number": "0123456789012",
            p + "holder_name": "Nguyễn Văn Tiền",
            "next": reverse("outreach_my_work"),
        },
    )
    assert r.status_code == 302 and r["Location"] == reverse("outreach_my_work")
    assert ChangeRequest.objects.get(source="outreach").status == "draft"
    a.refresh_from_db()
    assert a.status == "done"
    assert client.get(reverse("outreach_my_work")).text.count('data-testid="card"') == 0
    detail = client.get(reverse("outreach_assignment", args=[a.pk]))
    assert detail.status_code == 200 and agribank.short_name in detail.text
    assert AuditEvent.objects.filter(action="outreach.assignment.view").exists()
    # a refused contact says why and records nothing
    b = Assignment.objects.get(campaign=campaign, beneficiary=people["home"])
    p = f"a{b.pk}-"
    r = client.post(
        reverse("outreach_assignment", args=[b.pk]),
        {p + "outcome": "declined", p + "channel": "visit"},
        HTTP_HX_REQUEST="true",
    )
    assert r.status_code == 200 and "alert-danger" in r.text
    assert not Contact.objects.filter(assignment=b).exists()


@pytest.mark.django_db
def test_progress_and_exports(client, campaign, people, bhxh_officer, police_a):
    a = Assignment.objects.get(campaign=campaign, beneficiary=people["cash"])
    campaign_assign(actor=bhxh_officer, assignments=[a], officer=police_a)
    contact_record(actor=police_a, assignment=a, outcome="declined", reason="distrust")
    client.force_login(bhxh_officer)
    page = client.get(reverse("outreach_campaign", args=[campaign.pk]))
    assert police_a.username in page.text and people["other"].commune.name in page.text
    by_commune = _cells(
        client.get(
            reverse("outreach_campaign", args=[campaign.pk]), {"format": "xlsx", "by": "commune"}
        )
    )
    assert people["cash"].commune.name in by_commune
    by_officer = _cells(
        client.get(
            reverse("outreach_campaign", args=[campaign.pk]), {"format": "xlsx", "by": "officer"}
        )
    )
    assert police_a.username in by_officer
    client.force_login(police_a)
    mine = _cells(client.get(reverse("outreach_my_work"), {"format": "xlsx", "area": "1"}))
    assert people["home"].full_name in mine and people["other"].full_name not in mine
    actions = set(
        AuditEvent.objects.filter(action__startswith="export.outreach").values_list(
            "action", flat=True
        )
    )
    assert actions == {"export.outreach_progress", "export.outreach_my_work"}


@pytest.mark.django_db
def test_id_card_priority_list(client, campaign, people, police_a, make_user, tq_communes):
    a = Assignment.objects.get(campaign=campaign, beneficiary=people["home"])
    contact_record(actor=police_a, assignment=a, outcome="needs_id_card")
    client.force_login(police_a)
    page = client.get(reverse("outreach_id_cards"))
    assert people["noid"].full_name in page.text and people["home"].full_name in page.text
    assert people["cash"].full_name not in page.text
    values = _cells(client.get(reverse("outreach_id_cards"), {"format": "xlsx"}))
    assert people["noid"].full_name in values and people["home"].full_name in values
    assert AuditEvent.objects.filter(action="export.id_card_priority", actor=police_a).exists()
    police_b = make_user(OrgKind.POLICE_COMMUNE, Role.OFFICER, communes=[tq_communes[1]])
    client.force_login(police_b)
    assert people["noid"].full_name not in client.get(reverse("outreach_id_cards")).text


@pytest.mark.django_db
def test_death_reports_page_and_check(client, campaign, people, police_a, bhxh_officer, register):
    a = Assignment.objects.get(campaign=campaign, beneficiary=people["cash"])
    contact_record(actor=police_a, assignment=a, outcome="reported_dead")
    client.force_login(police_a)
    page = client.get(reverse("outreach_death_reports"))
    assert people["cash"].full_name in page.text
    assert client.post(reverse("outreach_death_reports_check")).status_code == 403
    client.force_login(bhxh_officer)
    r = client.post(reverse("outreach_death_reports_check"))
    assert r.status_code == 302
    assert people["cash"].full_name not in client.get(reverse("outreach_death_reports")).text
    values = _cells(client.get(reverse("outreach_death_reports"), {"all": "1", "format": "xlsx"}))
    assert people["cash"].full_name in values and "deceased" in values
    # the check is a verification run of the officer's province, listed with the others
    from chitra.verification.models import VerificationRun

    run = VerificationRun.objects.get()
    assert (run.origin, run.province_code, run.total) == ("page", "08", 1)
    runs = client.get(reverse("verification_runs")).text
    assert f'<tr data-run="{run.pk}">' in runs


@pytest.mark.django_db
def test_post_sees_only_work_handed_to_it(client, campaign, people, bhxh_officer, post_officer):
    client.force_login(post_officer)
    assert campaign.name not in client.get(reverse("outreach_campaigns")).text
    a = Assignment.objects.get(campaign=campaign, beneficiary=people["home"])
    campaign_assign(actor=bhxh_officer, assignments=[a], officer=post_officer)
    assert campaign.name in client.get(reverse("outreach_campaigns")).text
    page = client.get(reverse("outreach_assignments", args=[campaign.pk]))
    assert people["home"].full_name in page.text and people["cash"].full_name not in page.text
    assert people["home"].full_name in client.get(reverse("outreach_my_work")).text
