"""Payment files usable by their readers (issue 16 item 4): filters, commune names, zips."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from django.urls import reverse

from chitra.core.models import AuditEvent
from chitra.disbursement.files import ascii_slug, download_name, files_root
from chitra.disbursement.models import PaymentFile
from chitra.disbursement.services import cycle_approve, cycle_compute, cycle_create, cycle_release
from chitra.geo.models import BhxhOffice, OfficeArea
from chitra.iam.models import OrgKind, Role
from tests.auth import VerifiedClient
from tests.disbursement.conftest import MONTH


def client_for(user) -> VerifiedClient:
    c = VerifiedClient()
    c.force_login(user)
    return c


@pytest.fixture
def released(world, runner, approver):
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    cycle = cycle_approve(actor=approver, cycle=cycle)
    return cycle_release(actor=runner, cycle=cycle)


def _body(r) -> bytes:
    return b"".join(r.streaming_content)


def test_ascii_slug() -> None:
    assert ascii_slug("Xã Yên Sơn") == "Xa-Yen-Son"
    assert ascii_slug("Phường Đức Xuân (cũ)") == "Phuong-Duc-Xuan-cu"


def test_a_cash_list_is_downloaded_under_its_commune_name(released, runner, world):
    pf = PaymentFile.objects.filter(batch__cycle=released, kind="cash_pdf").first()
    commune = pf.commune
    name = download_name(pf)
    assert name.endswith(f"_{ascii_slug(commune.name)}-{commune.code}.pdf") and name.isascii()
    stored, sha = pf.path, pf.sha256
    r = client_for(runner).get(reverse("payment_file", args=[pf.pk]))
    assert r.status_code == 200 and name in r["Content-Disposition"]
    data = _body(r)
    assert hashlib.sha256(data).hexdigest() == sha  # the stored file itself, unchanged
    pf.refresh_from_db()
    assert (pf.path, pf.sha256) == (stored, sha)
    html = client_for(runner).get(reverse("cycle_detail", args=[released.pk])).content.decode()
    assert f"{commune.name} ({commune.code})" in html and name in html


def test_files_are_filtered_by_provider_commune_and_kind(released, runner, world):
    c = client_for(runner)
    url = reverse("cycle_detail", args=[released.pk])
    links = lambda html: set(map(int, re.findall(r"/files/(\d+)/", html)))  # noqa: E731
    everything = links(c.get(url).content.decode())
    assert everything == set(
        PaymentFile.objects.filter(batch__cycle=released).values_list("pk", flat=True)
    )
    html = c.get(url, {"provider": "970405"}).content.decode()
    assert links(html) == set(
        PaymentFile.objects.filter(
            batch__cycle=released, batch__provider__code="970405"
        ).values_list("pk", flat=True)
    )
    commune = world.people["cash"].commune
    html = c.get(url, {"commune": commune.code, "kind": "cash_pdf"}).content.decode()
    want = PaymentFile.objects.filter(batch__cycle=released, commune=commune, kind="cash_pdf")
    assert links(html) == set(want.values_list("pk", flat=True)) and want.exists()
    html = c.get(url, {"provider": "NOPE"}).content.decode()
    assert not links(html) and "Không có tệp chi trả nào khớp với bộ lọc." in html


def _zip(r) -> zipfile.ZipFile:
    assert r.status_code == 200 and r["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(_body(r)))


def test_a_zip_per_provider_holds_its_files_checked_and_audited(released, runner, world):
    files = list(PaymentFile.objects.filter(batch__cycle=released, batch__provider__code="970405"))
    assert files
    r = client_for(runner).get(
        reverse("cycle_files_zip", args=[released.pk]), {"provider": "970405"}
    )
    assert "BHXH08_2026-12_970405.zip" in r["Content-Disposition"]
    z = _zip(r)
    assert sorted(z.namelist()) == sorted(download_name(f) for f in files)
    for f in files:
        assert hashlib.sha256(z.read(download_name(f))).hexdigest() == f.sha256
    events = AuditEvent.objects.filter(action="export.payment_file", actor=runner)
    assert {e.object_id for e in events} >= {str(f.pk) for f in files}
    assert all(e.after.get("zip") == "BHXH08_2026-12_970405.zip" for e in events)


def test_a_zip_per_office_holds_the_cash_lists_of_its_communes(released, runner, world, tq):
    commune = world.people["cash"].commune
    office = BhxhOffice.objects.create(code="BHXH-TEST", name="BHXH cơ sở Thử", province=tq)
    OfficeArea.objects.filter(commune=commune).delete()
    OfficeArea.objects.create(office=office, commune=commune)
    html = client_for(runner).get(reverse("cycle_detail", args=[released.pk])).content.decode()
    assert "BHXH cơ sở Thử" in html
    r = client_for(runner).get(
        reverse("cycle_files_zip", args=[released.pk]), {"office": office.pk}
    )
    z = _zip(r)
    want = PaymentFile.objects.filter(batch__cycle=released, commune=commune)
    assert want.exists() and sorted(z.namelist()) == sorted(download_name(f) for f in want)


def test_a_zip_masks_account_numbers_for_a_viewer(released, make_user, world):
    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    number = f"{1000000000 + world.people['bank'].pk:013d}"
    r = client_for(viewer).get(
        reverse("cycle_files_zip", args=[released.pk]), {"provider": "970405"}
    )
    z = _zip(r)
    assert z.namelist() and all("ban-che" in n for n in z.namelist() if n.endswith(".xml"))
    assert all(number.encode() not in z.read(n) for n in z.namelist())


def test_an_altered_file_stops_the_zip_before_anything_is_sent(released, runner):
    pf = PaymentFile.objects.filter(batch__cycle=released, batch__provider__code="970405").first()
    (files_root() / pf.path).write_bytes(b"tampered")
    before = AuditEvent.objects.filter(action="export.payment_file").count()
    c = client_for(runner)
    r = c.get(reverse("cycle_files_zip", args=[released.pk]), {"provider": "970405"})
    assert r.status_code == 302  # back to the cycle page with the error
    assert AuditEvent.objects.filter(action="export.payment_file").count() == before
    html = c.get(r["Location"]).content.decode()
    assert "SHA-256" in html


def test_a_zip_needs_a_provider_or_an_office_and_stays_in_scope(released, make_user, world):
    c = client_for(make_user(OrgKind.BANK, Role.OFFICER, provider_code="970436"))
    url = reverse("cycle_files_zip", args=[released.pk])
    assert c.get(url).status_code == 404
    r = c.get(url, {"provider": "970405"})  # another bank's files: none for this one
    assert (
        r.status_code == 302
        and not AuditEvent.objects.filter(action="export.payment_file").exists()
    )


def test_the_released_cash_list_names_its_place_and_its_total_in_words(released, tq):
    import openpyxl

    from chitra.kernel.vn_numbers import amount_in_words

    pf = PaymentFile.objects.filter(batch__cycle=released, kind="cash_xlsx").first()
    ws = openpyxl.load_workbook(files_root() / pf.path).active
    flat = [v for r in ws.iter_rows(values_only=True) for v in r if isinstance(v, str)]
    place = tq.name.removeprefix("Tỉnh ")
    assert any(v.startswith(f"{place}, ngày ") for v in flat), flat
    assert f"Số tiền bằng chữ: {amount_in_words(pf.amount)}" in flat
