import pytest
from django.core.exceptions import PermissionDenied

from chitra.core.models import AuditEvent
from chitra.geo.models import BhxhOffice, Commune, OfficeArea, Province
from chitra.geo.services import commune_set_urban, office_set_area
from chitra.iam.models import OrgKind, Role


@pytest.mark.django_db
def test_all_provinces_and_communes_of_the_two_level_structure_are_loaded():
    assert Province.objects.count() == 34
    assert Commune.objects.count() == 3321
    tq = Province.objects.get(code="08")
    assert tq.name == "Tuyên Quang"
    assert Commune.objects.filter(province=tq).count() == 124
    assert Commune.objects.filter(province=tq, kind="phuong").count() == 7
    assert Commune.objects.get(code="02269").name == "Xã Thượng Lâm"
    # phường are urban by default, xã rural
    assert set(
        Commune.objects.filter(province=tq, is_urban=True).values_list("kind", flat=True)
    ) == {"phuong"}


@pytest.mark.django_db
def test_urban_flag_is_editable_by_the_province_admin_and_audited(make_user):
    admin = make_user(OrgKind.BHXH_PROVINCE, Role.ADMIN)
    xa = Commune.objects.get(code="02269")
    commune_set_urban(actor=admin, commune=xa, is_urban=True, reason="đô thị loại V")
    xa.refresh_from_db()
    assert xa.is_urban
    ev = AuditEvent.objects.get(action="geo.commune.set_urban")
    assert ev.before == {"is_urban": False} and ev.after == {"is_urban": True}
    with pytest.raises(PermissionDenied):
        commune_set_urban(
            actor=make_user(OrgKind.BHXH_PROVINCE, Role.OFFICER), commune=xa, is_urban=False
        )


@pytest.mark.django_db
def test_office_service_area_moves_communes_and_refuses_other_provinces(system, tq):
    c = list(Commune.objects.filter(province=tq).order_by("code")[:4])
    a = BhxhOffice.objects.create(code="A", name="A", province=tq)
    b = BhxhOffice.objects.create(code="B", name="B", province=tq)
    office_set_area(actor=system, office=a, communes=c[:3])
    office_set_area(actor=system, office=b, communes=c[2:])
    assert set(a.communes.all()) == set(c[:2]) and set(b.communes.all()) == set(c[2:])
    assert OfficeArea.objects.filter(commune=c[2]).count() == 1
    hanoi = Commune.objects.filter(province__code="01").first()
    with pytest.raises(ValueError):
        office_set_area(actor=system, office=a, communes=[hanoi])
    assert AuditEvent.objects.filter(action="geo.office.set_area").count() == 2
