from __future__ import annotations

import datetime as dt
import filecmp
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from chitra.core import crypto
from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.core.notify import LoggingNotifier
from chitra.iam.models import OrgKind, Role
from chitra.payment_methods.loading import NAPAS_CSV
from chitra.payment_methods.models import Account, ChangeRequest, Provider
from chitra.payment_methods.selectors import method_for_month
from chitra.payment_methods.services import (
    account_check_name,
    account_reveal,
    change_request_approve,
    change_request_create,
    change_request_reject,
    rotate_keys,
)
from chitra.registry.selectors import beneficiary_list
from chitra.registry.services import representative_add
from tests.factories import BeneficiaryFactory, make_pid

TODAY = dt.date.today()


@pytest.fixture
def agribank(db):
    return Provider.objects.get(code="970405")


@pytest.fixture
def approver(make_user):
    return make_user(OrgKind.BHXH_PROVINCE, Role.APPROVER)


def bank_request(actor, b, provider, number="0123456781", holder=None, **kw):
    return change_request_create(
        actor=actor,
        beneficiary=b,
        method="BANK_ACCOUNT",
        source="officer",
        provider=provider,
        number=number,
        holder_name=holder or b.name_folded,
        consent_date=TODAY,
        consent_channel="in_person",
        **kw,
    )


def test_packaged_bank_list_is_the_shared_reference_data():
    shared = Path(__file__).resolve().parents[3] / "shared" / "data" / "napas-banks.csv"
    if shared.exists():
        assert filecmp.cmp(shared, NAPAS_CSV, shallow=False)


@pytest.mark.django_db
def test_providers_are_loaded_from_the_napas_list():
    assert Provider.objects.filter(kind="bank").count() == 58
    lpb = Provider.objects.get(code="970449")
    assert {lpb.short_name, *lpb.aliases.split(";")} >= {"LPBank", "LienVietPostBank"}
    momo = Provider.objects.get(code="971025")
    assert momo.kind == "ewallet" and momo.short_name == "MoMo"
    assert Provider.objects.get(code="VNPOST").kind == "post"
    assert Provider.objects.filter(kind="mobile_money").count() == 3


@pytest.mark.django_db
def test_bank_change_is_approved_by_another_person_and_takes_effect(
    bhxh_officer, approver, agribank, django_capture_on_commit_callbacks, make_user
):
    b = BeneficiaryFactory(full_name="Nguyễn Văn Đức", phone="+84912345678")
    cr = bank_request(bhxh_officer, b, agribank, holder="NGUYEN VAN DUC")
    assert cr.status == "submitted" and cr.name_check == "match"
    assert crypto.decrypt(cr.number_encrypted) == "0123456781"
    assert "0123456781" not in str(AuditEvent.objects.filter(object_id=str(cr.pk)).values())
    with pytest.raises(ChitraError):  # the maker may not check their own request
        change_request_approve(actor=_self_approver(bhxh_officer), change_request=cr)
    LoggingNotifier.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pm = change_request_approve(actor=approver, change_request=cr)
    assert pm.method == "BANK_ACCOUNT" and pm.effective_month == timezone.localdate().replace(day=1)
    assert pm.account.status == "unverified" and pm.account.number_last4 == "6781"
    assert method_for_month(b, pm.effective_month, actor=approver) == pm
    # another province's BHXH never reads it: 404 alike for missing and not yours
    from django.http import Http404

    from chitra.geo.models import Province

    elsewhere = make_user(province=Province.objects.exclude(pk=b.commune.province_id).first())
    with pytest.raises(Http404):
        method_for_month(b, pm.effective_month, actor=elsewhere)
    assert LoggingNotifier.sent and LoggingNotifier.sent[-1][0] == "+84912345678"


def _self_approver(user):
    """The maker, given approver rights for the test: still refused as the checker."""
    user.role = Role.APPROVER
    user.save()
    return user


@pytest.mark.django_db
def test_holder_name_must_be_the_beneficiary_or_a_valid_representative(
    bhxh_officer, approver, agribank
):
    b = BeneficiaryFactory(full_name="Lê Thị Hồng")
    cr = bank_request(bhxh_officer, b, agribank, holder="TRAN VAN KHAC")
    assert cr.name_check == "mismatch"
    with pytest.raises(ChitraError):
        change_request_approve(actor=approver, change_request=cr)
    change_request_approve(
        actor=approver,
        change_request=cr,
        override_reason="Con trai nhận thay, có giấy ủy quyền chờ bổ sung",
    )
    rep = representative_add(
        actor=bhxh_officer,
        beneficiary=b,
        kind="authorised",
        full_name="Trần Văn Con",
        personal_id=make_pid(1975, "M"),
        valid_from=TODAY,
    )
    cr2 = bank_request(bhxh_officer, b, agribank, number="99887766", holder="TRAN VAN CON")
    assert cr2.name_check == "match"
    cr3 = bank_request(
        bhxh_officer,
        b,
        agribank,
        number="99887766",
        holder="TRAN VAN CON",
        payee_representative=rep,
    )
    assert cr3.name_check == "match"


@pytest.mark.django_db
def test_validation_of_account_references(bhxh_officer, agribank):
    b = BeneficiaryFactory()
    for number in ("12345", "12345678901234567890", "12AB5678"):
        with pytest.raises(ChitraError):
            bank_request(bhxh_officer, b, agribank, number=number)
    viettel = Provider.objects.get(code="VIETTELMONEY")
    cr = change_request_create(
        actor=bhxh_officer,
        beneficiary=b,
        method="MOBILE_MONEY",
        source="officer",
        provider=viettel,
        number="0912 345 678",
        holder_name=b.full_name,
    )
    assert cr.status == "draft" and crypto.decrypt(cr.number_encrypted) == "+84912345678"
    with pytest.raises(ChitraError):
        change_request_create(
            actor=bhxh_officer,
            beneficiary=b,
            method="MOBILE_MONEY",
            source="officer",
            provider=viettel,
            number="12345",
            holder_name=b.full_name,
        )
    with pytest.raises(ChitraError):  # a bank is not a mobile-money provider
        change_request_create(
            actor=bhxh_officer,
            beneficiary=b,
            method="MOBILE_MONEY",
            source="officer",
            provider=agribank,
            number="0912345678",
            holder_name=b.full_name,
        )
    with pytest.raises(ChitraError):
        change_request_create(
            actor=bhxh_officer, beneficiary=b, method="CASH_HOME", source="officer"
        )
    home = change_request_create(
        actor=bhxh_officer,
        beneficiary=b,
        method="CASH_HOME",
        source="officer",
        home_reason="aged_80",
    )
    assert home.status == "draft"


@pytest.mark.django_db
def test_shared_and_rapid_changes_are_flagged(bhxh_officer, approver, agribank):
    a, b = BeneficiaryFactory(), BeneficiaryFactory()
    change_request_approve(actor=approver, change_request=bank_request(bhxh_officer, a, agribank))
    cr = bank_request(bhxh_officer, b, agribank)  # same account number as a's
    assert cr.shared_account_flag
    change_request_approve(actor=approver, change_request=cr)
    assert Account.objects.filter(shared_flag=True).count() == 2
    quick = bank_request(bhxh_officer, a, agribank, number="5555666611")
    assert quick.rapid_change_flag


@pytest.mark.django_db
def test_reject_needs_a_note_and_a_checker(bhxh_officer, approver, agribank):
    cr = bank_request(bhxh_officer, BeneficiaryFactory(), agribank)
    with pytest.raises(ChitraError):
        change_request_reject(actor=approver, change_request=cr, note=" ")
    change_request_reject(actor=approver, change_request=cr, note="Sai số tài khoản")
    assert ChangeRequest.objects.get(pk=cr.pk).status == "rejected"
    with pytest.raises(PermissionDenied):
        change_request_reject(actor=bhxh_officer, change_request=cr, note="x")


@pytest.mark.django_db
def test_name_inquiry_verifies_or_closes(bhxh_officer, approver, agribank):
    b = BeneficiaryFactory()
    pm = change_request_approve(
        actor=approver, change_request=bank_request(bhxh_officer, b, agribank, number="11112221")
    )
    acc = account_check_name(actor=approver, account=pm.account)
    assert acc.status == "verified"
    pm2 = change_request_approve(
        actor=approver,
        change_request=bank_request(
            bhxh_officer, BeneficiaryFactory(), agribank, number="11112228"
        ),
    )
    assert account_check_name(actor=approver, account=pm2.account).status == "closed"
    pm3 = change_request_approve(
        actor=approver,
        change_request=bank_request(
            bhxh_officer, BeneficiaryFactory(), agribank, number="11112227"
        ),
    )
    with pytest.raises(ChitraError):
        account_check_name(actor=approver, account=pm3.account)
    pm4 = change_request_approve(
        actor=approver,
        change_request=bank_request(
            bhxh_officer, BeneficiaryFactory(), agribank, number="11112000"
        ),
    )
    with pytest.raises(ChitraError):
        account_check_name(actor=approver, account=pm4.account)


@pytest.mark.django_db
def test_full_numbers_only_for_those_who_need_them_and_audited(
    bhxh_officer, approver, agribank, make_user
):
    b = BeneficiaryFactory()
    pm = change_request_approve(
        actor=approver, change_request=bank_request(bhxh_officer, b, agribank)
    )
    assert account_reveal(actor=approver, account=pm.account) == "0123456781"
    assert AuditEvent.objects.filter(action="payment.account.reveal").count() == 1
    with pytest.raises(PermissionDenied):
        account_reveal(actor=bhxh_officer, account=pm.account)
    agri = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970405")
    vcb = make_user(OrgKind.BANK, Role.OFFICER, provider_code="970436")
    assert account_reveal(actor=agri, account=pm.account) == "0123456781"
    with pytest.raises(PermissionDenied):
        account_reveal(actor=vcb, account=pm.account)
    # a bank sees its own customers in the registry, and only them
    assert list(beneficiary_list(agri)) == [b]
    assert list(beneficiary_list(vcb)) == []


@pytest.mark.django_db
def test_key_rotation_keeps_numbers_readable(bhxh_officer, approver, agribank, settings):
    from cryptography.fernet import Fernet

    old = Fernet.generate_key().decode()
    settings.CHITRA_FIELD_KEYS = [old]
    cr = bank_request(bhxh_officer, BeneficiaryFactory(), agribank)
    token = ChangeRequest.objects.get(pk=cr.pk).number_encrypted
    new = Fernet.generate_key().decode()
    settings.CHITRA_FIELD_KEYS = [new, old]
    assert rotate_keys(actor=bhxh_officer) == 1
    settings.CHITRA_FIELD_KEYS = [new]
    fresh = ChangeRequest.objects.get(pk=cr.pk)
    assert fresh.number_encrypted != token
    assert crypto.decrypt(fresh.number_encrypted) == "0123456781"


@pytest.mark.django_db
def test_rotate_keys_migrates_fernet_and_older_keys_in_batches(
    bhxh_officer, agribank, tq, settings
):
    """Every table holding numbers; Fernet tokens and older AES-GCM keys alike; batch by
    batch, each audited; a second run re-encrypts nothing."""
    from cryptography.fernet import Fernet

    from chitra.payment_methods.models import AccountNotice

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.CHITRA_FIELD_KEYS = [old]
    numbers = [f"01234567{n:02d}" for n in range(7)]
    crs = [
        bank_request(bhxh_officer, BeneficiaryFactory(), agribank, number=n) for n in numbers[:5]
    ]
    accounts = [
        Account.objects.create(
            beneficiary=BeneficiaryFactory(),
            provider=agribank,
            method="BANK_ACCOUNT",
            number_encrypted=crypto.encrypt(n),
            number_index=crypto.blind_index("x", n),
            number_last4=n[-4:],
            holder_name="A",
            status="unverified",
        )
        for n in numbers[5:]
    ]
    notice = AccountNotice.objects.create(
        provider=agribank,
        province=tq,
        personal_id=make_pid(),
        method="BANK_ACCOUNT",
        number_encrypted=Fernet(old.encode()).encrypt(b"0123456799").decode(),
        number_index="i",
        number_last4="6799",
        holder_name="A",
        reported_status="active",
        outcome="no_match",
        channel="file",
        created_by=bhxh_officer,
    )
    # two change requests still in the former Fernet format, one under the newest key already
    for cr, n in zip(crs[:2], numbers, strict=False):
        ChangeRequest.objects.filter(pk=cr.pk).update(
            number_encrypted=Fernet(old.encode()).encrypt(n.encode()).decode()
        )
    settings.CHITRA_FIELD_KEYS = [new, old]
    current = crypto.encrypt(numbers[4])
    ChangeRequest.objects.filter(pk=crs[4].pk).update(number_encrypted=current)
    before = AuditEvent.objects.filter(action="payment.keys.rotate").count()

    assert rotate_keys(actor=bhxh_officer, batch=2) == 4 + 2 + 1
    events = list(AuditEvent.objects.filter(action="payment.keys.rotate").order_by("pk")[before:])
    assert [(e.after["table"], e.after["rows"]) for e in events] == [
        ("payment_methods.account", 2),
        ("payment_methods.changerequest", 2),
        ("payment_methods.changerequest", 2),
        ("payment_methods.accountnotice", 1),
    ]
    older = crypto.token_key(crs[3].number_encrypted)
    assert events[1].after["from"] == {"fernet": 2}
    assert events[2].after["from"] == {older: 2}
    assert {e.after["to"] for e in events} == {crypto.current_prefix().rstrip(".")}

    settings.CHITRA_FIELD_KEYS = [new]  # the old key can go
    assert [
        crypto.decrypt(t)
        for t in ChangeRequest.objects.order_by("pk").values_list("number_encrypted", flat=True)
    ] == numbers[:5]
    assert [
        crypto.decrypt(a.number_encrypted)
        for a in Account.objects.filter(pk__in=[a.pk for a in accounts]).order_by("pk")
    ] == numbers[5:]
    assert crypto.decrypt(AccountNotice.objects.get(pk=notice.pk).number_encrypted) == "0123456799"
    assert ChangeRequest.objects.get(pk=crs[4].pk).number_encrypted == current  # untouched
    # idempotent: nothing left to do, nothing written
    tokens = set(ChangeRequest.objects.values_list("number_encrypted", flat=True))
    assert rotate_keys(actor=bhxh_officer, batch=2) == 0
    assert set(ChangeRequest.objects.values_list("number_encrypted", flat=True)) == tokens
    assert AuditEvent.objects.filter(action="payment.keys.rotate").count() == before + len(events)
