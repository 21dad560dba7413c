"""Pages and the provider API of the payment cycle, with their scope."""

from __future__ import annotations

import pytest
from django.urls import reverse

from chitra.disbursement.models import Batch, PayrollLine
from chitra.disbursement.services import (
    cycle_approve,
    cycle_compute,
    cycle_create,
    cycle_release,
)
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


def test_cycle_pages_for_bhxh(released, runner):
    c = client_for(runner)
    r = c.get(reverse("cycle_list"))
    assert r.status_code == 200 and "12/2026" in r.content.decode()
    r = c.get(reverse("cycle_detail", args=[released.pk]))
    html = r.content.decode()
    assert r.status_code == 200 and 'data-testid="invariant"' in html
    assert "results-form" in html
    r = c.get(reverse("cycle_lines", args=[released.pk]) + "?channel=BANK_ACCOUNT")
    assert r.status_code == 200 and "Lê Văn Ngân" in r.content.decode()
    r = c.get(reverse("cycle_lines", args=[released.pk]) + "?format=xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    r = c.get(reverse("cycle_exclusions", args=[released.pk]))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    f = released.batches.get(channel="BANK_ACCOUNT", provider__code="970405").files.get(
        kind="pain001"
    )
    assert f.message_id and f.message_id in html  # the pain.001's MsgId, to match answers
    r = c.get(reverse("payment_file", args=[f.pk]))
    assert r.status_code == 200 and b"".join(r.streaming_content).startswith(b"<?xml")
    assert c.get(reverse("return_reasons")).status_code == 200


def test_create_and_approve_through_pages(world, runner, approver):
    c = client_for(runner)
    r = c.post(reverse("cycle_create"), {"month": "2026-12"})
    assert r.status_code == 302
    from chitra.disbursement.models import Cycle

    cycle = Cycle.objects.get()
    cycle_compute(actor=runner, cycle=cycle)
    r = c.post(reverse("cycle_approve", args=[cycle.pk]), follow=True)
    assert "người phê duyệt khác" in r.content.decode()  # maker is not checker (in Vietnamese)
    cycle.refresh_from_db()
    assert cycle.status == "computed"
    r = client_for(approver).post(reverse("cycle_approve", args=[cycle.pk]), follow=True)
    cycle.refresh_from_db()
    assert cycle.status == "approved"


def test_scope_of_pages(released, make_user):
    commune_police = make_user(OrgKind.POLICE_COMMUNE, Role.ADMIN)
    assert client_for(commune_police).get(reverse("cycle_list")).status_code == 403
    other_bank = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970415")
    c = client_for(other_bank)
    assert c.get(reverse("cycle_detail", args=[released.pk])).status_code == 404
    agri = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    c = client_for(agri)
    html = c.get(reverse("cycle_detail", args=[released.pk])).content.decode()
    assert "970405" in html and "970436" not in html and "results-form" in html
    lines = c.get(reverse("cycle_lines", args=[released.pk])).content.decode()
    assert "Lê Văn Ngân" in lines and "Nguyễn Văn Tiền" not in lines
    other_file = released.batches.get(provider__code="970436").files.first()
    assert c.get(reverse("payment_file", args=[other_file.pk])).status_code == 404
    # a provider cannot run the cycle
    assert c.post(reverse("cycle_reconcile", args=[released.pk])).status_code == 403


def test_provider_api_fetch_and_post_status(released, make_user, world):
    agri = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    c = client_for(agri)
    r = c.get("/api/v1/payments/batches/")
    assert r.status_code == 200
    batches = r.json()["results"]
    assert [b["provider_code"] for b in batches] == ["970405"]
    bid = batches[0]["id"]
    r = c.get(f"/api/v1/payments/batches/{bid}/disbursements/")
    items = r.json()["results"]
    bank_line = PayrollLine.objects.get(entitlement=world.entitlements["bank"])
    mine = {i["reference_id"]: i for i in items}
    assert mine[bank_line.reference]["payee_fa"] == f"{1000000000 + world.people['bank'].pk:013d}"
    body = {
        "transaction_id": "T-1",
        "disbursements": [
            {"reference_id": bank_line.reference, "status": "rjct", "status_reason_code": "AC04"}
        ],
    }
    r = c.post(f"/api/v1/payments/batches/{bid}/status/", body, content_type="application/json")
    assert r.status_code == 200, r.content
    assert r.json()["failed"] == 1
    r = c.post(f"/api/v1/payments/batches/{bid}/status/", body, content_type="application/json")
    assert r.json()["already_applied"] is True
    # a reference of another provider's batch is unknown here: refused whole
    other = PayrollLine.objects.get(entitlement=world.entitlements["bank2"])
    r = c.post(
        f"/api/v1/payments/batches/{bid}/status/",
        {
            "transaction_id": "T-2",
            "disbursements": [{"reference_id": other.reference, "status": "succ"}],
        },
        content_type="application/json",
    )
    assert r.status_code == 400 and r.json()["errors"][0]["code"] == "reference_unknown"
    assert PayrollLine.objects.get(pk=other.pk).status == "sent"  # still waiting
    assert Batch.objects.filter(provider__code="970405").count() >= 1


def test_files_and_lines_stay_with_who_needs_them(released, make_user, world):
    from chitra.disbursement import selectors as sel

    state_bank = make_user(OrgKind.STATE_BANK, Role.VIEWER)
    assert sel.cycle_get(state_bank, released.pk)  # the totals
    assert not sel.files(state_bank, released).exists()
    assert not sel.lines(state_bank, released).exists()
    assert not sel.exclusions(state_bank, released).exists()
    pf = released.batches.get(provider__code="970405").files.first()
    assert client_for(state_bank).get(reverse("payment_file", args=[pf.pk])).status_code == 404
    commune = world.people["cash"].commune
    office = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[commune])
    mine = sel.files(office, released)
    assert mine.exists() and set(mine.values_list("kind", flat=True)) <= {"cash_pdf", "cash_xlsx"}
    assert set(mine.values_list("commune", flat=True)) == {commune.pk}


def test_a_dead_release_leaves_no_lock(world, runner, approver, settings):
    from chitra.disbursement.files import _relative, files_root

    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    cycle = cycle_approve(actor=approver, cycle=cycle)
    batch = cycle.batches.get(provider__code="970405")
    stale = files_root() / _relative(batch)
    stale.mkdir(parents=True)
    (stale / "half-written.xml").write_bytes(b"<Document>")
    cycle = cycle_release(actor=runner, cycle=cycle)
    assert not (stale / "half-written.xml").exists()
    assert batch.files.filter(kind="pain001").exists()


def _body(r) -> bytes:
    return b"".join(r.streaming_content)


def test_full_account_numbers_only_to_the_provider_and_the_sender(
    released, runner, make_user, world
):
    """Issue #11: payment files to the provider concerned and to the BHXH role that sends them;
    every other reader gets a masked copy; each download audited with its person count."""

    from lxml import etree

    from chitra.core.models import AuditEvent

    number = f"{1000000000 + world.people['bank'].pk:013d}"
    pain = released.batches.get(provider__code="970405").files.get(kind="pain001")
    agri = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    for user, full in ((runner, True), (agri, True), (viewer, False)):
        r = client_for(user).get(reverse("payment_file", args=[pain.pk]))
        assert r.status_code == 200
        data = _body(r)
        assert (number.encode() in data) is full, user
        event = AuditEvent.objects.filter(action="export.payment_file", actor=user).latest("id")
        assert event.after["people"] == pain.rows
        assert event.after["full_account_numbers"] is full
        if not full:
            assert b"******" + number[-4:].encode() in data
            assert "ban-che" in r["Content-Disposition"]
            tree = etree.fromstring(data)  # still a well-formed pain.001 with every line
            ns = {"p": tree.nsmap[None]}
            assert len(tree.findall(".//p:CdtTrfTxInf", ns)) == pain.rows
    # the cycle page says which files are masked copies
    html = client_for(viewer).get(reverse("cycle_detail", args=[released.pk])).content.decode()
    assert "ban-che" not in html and html.count("badge text-bg-secondary") >= 1


def test_the_release_command_exports_what_the_user_may_have(
    released, runner, make_user, tmp_path, world
):
    from django.core.management import call_command

    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    call_command(
        "cycle_release",
        "--out",
        str(tmp_path / "v"),
        "--cycle",
        str(released.pk),
        "--user",
        viewer.username,
    )
    number = f"{1000000000 + world.people['bank'].pk:013d}".encode()
    names = sorted(p.name for p in (tmp_path / "v").iterdir())
    assert names and all("ban-che" in n for n in names if n.endswith((".xml", ".csv")))
    assert not any(number in p.read_bytes() for p in (tmp_path / "v").iterdir())
    call_command(
        "cycle_release",
        "--out",
        str(tmp_path / "r"),
        "--cycle",
        str(released.pk),
        "--user",
        runner.username,
    )
    assert any(number in p.read_bytes() for p in (tmp_path / "r").iterdir())


def test_masked_copies_of_csv_and_xlsx_files(world, runner, approver, make_user):
    import csv
    import io

    import openpyxl

    from chitra.disbursement.models import PaymentFile, ProviderProfile

    ProviderProfile.objects.create(provider=world.agribank, formats="csv,xlsx")
    cycle = cycle_compute(actor=runner, cycle=cycle_create(actor=runner, month=MONTH))
    cycle = cycle_release(actor=runner, cycle=cycle_approve(actor=approver, cycle=cycle))
    viewer = make_user(OrgKind.BHXH_PROVINCE, Role.VIEWER)
    number = f"{1000000000 + world.people['bank'].pk:013d}"
    files = PaymentFile.objects.filter(batch__cycle=cycle, batch__provider=world.agribank)
    assert {f.kind for f in files} == {"csv", "xlsx"}
    for pf in files:
        masked = _body(client_for(viewer).get(reverse("payment_file", args=[pf.pk])))
        full = _body(client_for(runner).get(reverse("payment_file", args=[pf.pk])))
        assert number.encode() in full or pf.kind == "xlsx"
        if pf.kind == "csv":
            rows = list(csv.reader(io.StringIO(masked.decode("utf-8-sig"))))
            full_rows = list(csv.reader(io.StringIO(full.decode("utf-8-sig"))))
        else:
            rows = [
                [str(c or "") for c in r]
                for r in openpyxl.load_workbook(io.BytesIO(masked)).active.iter_rows(
                    values_only=True
                )
            ]
            full_rows = [
                [str(c or "") for c in r]
                for r in openpyxl.load_workbook(io.BytesIO(full)).active.iter_rows(values_only=True)
            ]
        assert len(rows) == len(full_rows) == pf.rows + 1 and rows[0] == full_rows[0]
        account = rows[0].index("Số tài khoản")
        assert number in {r[account] for r in full_rows[1:]}
        assert all(r[account].startswith("******") for r in rows[1:])
        assert [r[:account] + r[account + 1 :] for r in rows] == [
            r[:account] + r[account + 1 :] for r in full_rows
        ]


def test_results_upload_over_the_limit_or_a_bomb_is_refused(released, runner, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chitra.core.models import Job
    from tests.zipbombs import xlsx_bomb, zeros

    settings.CHITRA_UPLOAD_DIR = tmp_path / "uploads"
    c = client_for(runner)
    url = reverse("cycle_results", args=[released.pk])
    bomb = xlsx_bomb(tmp_path / "kq.xlsx", zeros(1536)).read_bytes()
    r = c.post(url, {"file": SimpleUploadedFile("kq.xlsx", bomb)}, follow=True)
    assert "giải nén" in r.content.decode()
    settings.CHITRA_UPLOAD_MAX_BYTES = 1_000
    r = c.post(url, {"file": SimpleUploadedFile("kq.csv", b"x" * 5_000)}, follow=True)
    assert "kq.csv lớn hơn" in r.content.decode()
    assert not Job.objects.filter(kind="cycle_results").exists()
    assert not (tmp_path / "uploads").exists() or not any(
        p.is_file() for p in (tmp_path / "uploads").rglob("*")
    )


def test_cycle_import_results_applies_the_limits(released, runner, settings, tmp_path):
    from django.core.management import CommandError, call_command

    from chitra.disbursement.models import ResultImport

    path = tmp_path / "kq.csv"
    path.write_text("reference,status\n" + "1" * 22 + ",succ\n" * 20, encoding="utf-8")
    settings.CHITRA_UPLOAD_MAX_BYTES = 100
    with pytest.raises(CommandError, match="largest file accepted is 100"):  # English here
        call_command("cycle_import_results", str(path), "--user", runner.username)
    xml = tmp_path / "kq.xml"
    xml.write_bytes(b"<?xml version='1.0'?>" + b" " * 200 + b"<Document/>")
    with pytest.raises(CommandError, match="largest file accepted is 100"):
        call_command("cycle_import_results", str(xml), "--user", runner.username)
    assert not ResultImport.objects.exists()
