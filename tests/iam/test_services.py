import pytest

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.geo.models import Commune
from chitra.iam.models import OrgKind, Role
from chitra.iam.services import organisation_upsert, resolve_actor, user_upsert


@pytest.mark.django_db
def test_commune_body_users_are_limited_to_their_communes(system, tq):
    c1, c2 = Commune.objects.filter(province=tq).order_by("code")[:2]
    org = organisation_upsert(
        actor=system,
        code="ca-x",
        kind=OrgKind.POLICE_COMMUNE,
        name="Công an xã",
        province=tq,
        communes=[c1],
    )
    u = user_upsert(actor=system, username="cax", organisation=org, role=Role.OFFICER)
    assert u.scope_commune_ids() == [c1.pk] and u.area_province == tq
    with pytest.raises(ChitraError):
        user_upsert(
            actor=system, username="cax2", organisation=org, role=Role.OFFICER, communes=[c2]
        )
    empty = organisation_upsert(
        actor=system, code="ca-y", kind=OrgKind.POLICE_COMMUNE, name="Công an xã Y", province=tq
    )
    with pytest.raises(ChitraError):
        user_upsert(actor=system, username="cay", organisation=empty, role=Role.OFFICER)


@pytest.mark.django_db
def test_provider_needs_a_code_and_weak_passwords_are_refused(system, tq):
    with pytest.raises(ChitraError):
        organisation_upsert(
            actor=system, code="bank-x", kind=OrgKind.BANK, name="Bank", province=tq
        )
    org = organisation_upsert(
        actor=system, code="bhxh", kind=OrgKind.BHXH_PROVINCE, name="BHXH", province=tq
    )
    with pytest.raises(ChitraError):
        user_upsert(
            actor=system, username="weak", organisation=org, role=Role.VIEWER, password="123"
        )


@pytest.mark.django_db
def test_user_changes_are_audited_and_repeat_calls_are_quiet(system, tq):
    org = organisation_upsert(
        actor=system, code="bhxh", kind=OrgKind.BHXH_PROVINCE, name="BHXH", province=tq
    )
    user_upsert(actor=system, username="a", organisation=org, role=Role.VIEWER)
    user_upsert(actor=system, username="a", organisation=org, role=Role.VIEWER)
    user_upsert(actor=system, username="a", organisation=org, role=Role.ADMIN)
    events = list(AuditEvent.objects.filter(action="iam.user.save").order_by("id"))
    assert len(events) == 2
    assert events[1].before["role"] == "viewer" and events[1].after["role"] == "admin"


@pytest.mark.django_db
def test_resolve_actor(bhxh_officer):
    assert resolve_actor(None).is_system
    assert resolve_actor(bhxh_officer.username) == bhxh_officer
    with pytest.raises(ChitraError):
        resolve_actor("ghost")
