import pytest

from chitra.core.models import AuditEvent
from tests.auth import api_headers
from tests.factories import BeneficiaryFactory, EntitlementFactory


@pytest.mark.django_db
def test_schema_and_docs_are_served(client, bhxh_officer):
    r = client.get("/api/schema/")
    assert r.status_code in (200, 401, 403)
    client.force_login(bhxh_officer)
    r = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    assert "/api/v1/beneficiaries/" in r.content.decode()
    assert client.get("/api/docs/").status_code == 200


@pytest.mark.django_db
def test_list_searches_and_pages_with_a_cursor(client, bhxh_officer):
    auth = api_headers(bhxh_officer)
    BeneficiaryFactory.create_batch(7)
    duc = BeneficiaryFactory(full_name="Nguyễn Văn Đức")
    r = client.get("/api/v1/beneficiaries/", {"page_size": 5}, **auth).json()
    assert len(r["results"]) == 5 and r["next"]
    r2 = client.get(r["next"], **auth).json()
    assert len(r2["results"]) == 3
    r = client.get("/api/v1/beneficiaries/", {"q": "van duc"}, **auth).json()
    assert [row["id"] for row in r["results"]] == [duc.pk]


@pytest.mark.django_db
def test_detail_includes_entitlements_and_is_audited(client, bhxh_officer):
    e = EntitlementFactory(monthly_amount=4_500_000)
    r = client.get(f"/api/v1/beneficiaries/{e.beneficiary.pk}/", **api_headers(bhxh_officer))
    body = r.json()
    assert body["entitlements"][0]["monthly_amount"] == 4_500_000
    assert body["personal_id"] == e.beneficiary.personal_id
    assert (
        AuditEvent.objects.filter(
            action="registry.beneficiary.view", object_id=str(e.beneficiary.pk)
        ).count()
        == 1
    )


@pytest.mark.django_db
def test_detail_tells_the_latest_proof_of_life(client, bhxh_officer):
    import datetime as dt

    from chitra.verification.proof_of_life import proof_of_life_record

    e = EntitlementFactory()
    proof_of_life_record(
        actor=bhxh_officer,
        on=dt.date(2026, 11, 20),
        source="counter",
        reference="BHXH khu vực 1",
        beneficiaries=type(e.beneficiary).objects.filter(pk=e.beneficiary.pk),
        province=e.beneficiary.commune.province_id,
    )
    body = client.get(
        f"/api/v1/beneficiaries/{e.beneficiary.pk}/", **api_headers(bhxh_officer)
    ).json()
    assert (body["proof_of_life_on"], body["proof_of_life_source"]) == ("2026-11-20", "counter")
