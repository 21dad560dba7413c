import pyarrow.parquet as pq
import pytest
from django.core.management import call_command

from chitra.core.models import AuditEvent
from chitra.iam.models import OrgKind, User
from chitra.registry.models import Beneficiary, Entitlement


@pytest.mark.django_db
def test_demo_data_creates_people_users_and_a_register_extract_and_is_repeatable(tmp_path, capsys):
    out = tmp_path / "register.parquet"
    call_command(
        "demo_data",
        "--province",
        "08",
        "--beneficiaries",
        "400",
        "--seed",
        "5",
        "--register-out",
        str(out),
        "--register-extra",
        "500",
    )
    printed = capsys.readouterr().out
    assert "created=400" in printed
    assert Beneficiary.objects.count() + 0 >= 390  # people with two benefits share a record
    assert Entitlement.objects.count() == 400
    assert set(Beneficiary.objects.values_list("commune__province__code", flat=True)) == {"08"}
    kinds = set(
        User.objects.filter(organisation__isnull=False).values_list("organisation__kind", flat=True)
    )
    assert kinds == set(OrgKind.values)
    table = pq.read_table(out)
    assert table.column_names == [
        "personal_id",
        "full_name",
        "birth_date",
        "sex",
        "commune_code",
        "death_date",
    ]
    assert table.num_rows >= 400 + 500 - 20
    assert (tmp_path / "register.truth.parquet").exists()
    from chitra.payment_methods.models import PaymentMethod

    paid = PaymentMethod.objects.filter(method="BANK_ACCOUNT").count()
    assert 0.25 * Beneficiary.objects.count() < paid < 0.40 * Beneficiary.objects.count()
    assert PaymentMethod.objects.filter(method="MOBILE_MONEY").exists()
    assert all(pm.account.status == "verified" for pm in PaymentMethod.objects.all()[:20])
    # each switched from cash in one of the last 23 months: the clock of proof of life starts
    starts = {
        (pm.beneficiary.proof_of_life_on, pm.beneficiary.proof_of_life_source)
        == (pm.effective_month, "account_start")
        for pm in PaymentMethod.objects.select_related("beneficiary")
    }
    assert starts == {True}
    assert len(set(PaymentMethod.objects.values_list("effective_month", flat=True))) > 12
    # the BHXH of the province has a tax code, the demo banks their pain.001 guides
    from chitra.disbursement.models import ProviderProfile
    from chitra.iam.models import Organisation

    (tax,) = Organisation.objects.filter(kind=OrgKind.BHXH_PROVINCE).values_list(
        "tax_code", flat=True
    )
    assert len(tax) == 10 and tax.isdigit()
    styles = dict(ProviderProfile.objects.values_list("provider__code", "name_style"))
    assert styles == {"970405": "latin_upper", "970436": "latin"}
    events = AuditEvent.objects.count()
    call_command("demo_data", "--province", "08", "--beneficiaries", "400", "--seed", "5")
    assert "created=0 updated=0 unchanged=400 rejected=0" in capsys.readouterr().out
    assert AuditEvent.objects.count() == events + 1
    call_command("demo_logins")
    assert "bhxh.officer" in capsys.readouterr().out


@pytest.mark.django_db
def test_demo_payment_methods_are_decided_by_the_demo_approver_never_the_system_actor():
    from chitra.payment_methods.models import ChangeRequest

    call_command("demo_data", "--province", "08", "--beneficiaries", "200", "--seed", "6")
    checkers = set(ChangeRequest.objects.values_list("checker__username", "maker__username"))
    assert checkers == {("bhxh.approver", "bhxh.officer")}


@pytest.mark.django_db
def test_demo_payment_methods_without_the_demo_users_are_refused():
    from chitra.core.errors import ChitraError
    from chitra.demo.payment_methods import ensure_demo_payment_methods
    from chitra.geo.models import Province
    from chitra.iam.services import system_actor

    call_command(
        "demo_data",
        "--province",
        "08",
        "--beneficiaries",
        "50",
        "--seed",
        "6",
        "--no-users",
        "--no-payments",
    )
    with pytest.raises(ChitraError, match=r"bhxh\.approver"):
        ensure_demo_payment_methods(
            actor=system_actor(), province=Province.objects.get(code="08"), seed=6
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "command", ["demo_data", "demo_newly_banked", "demo_cycle", "demo_reports", "demo_logins"]
)
def test_demo_commands_refuse_a_real_installation(settings, command):
    from django.core.management.base import CommandError

    from chitra.registry.models import Beneficiary

    settings.CHITRA_DEMO = settings.DEBUG = settings.TESTING = False
    with pytest.raises(CommandError, match="CHITRA_DEMO=1"):
        call_command(command)
    assert not Beneficiary.objects.exists()
