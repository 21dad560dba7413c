"""Each role's home page leads to its work today, with counts from the scoped selectors
(issue #16 item 1): checked on the small demo of `make demo` against the database."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils.translation import override

from tests.auth import VerifiedClient

_COUNT = re.compile(
    r'data-testid="count-([\w-]+)"><strong class="fs-5" data-count="(\d+)">([\d.]+)<'
)
_ROW = re.compile(r'data-testid="row-([\w-]+)">([\d.]+)<')


def _home(username: str) -> str:
    from chitra.iam.models import User

    client = VerifiedClient()
    client.force_login(User.objects.get(username=username))
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="vi")
    assert page.status_code == 200
    return page.content.decode()


def _counts(html: str) -> dict[str, int]:
    out = {}
    for key, raw, shown in _COUNT.findall(html):
        assert shown == f"{int(raw):,}".replace(",", "."), (key, raw, shown)  # 1.234
        out[key] = int(raw)
    return out


def _cards(html: str) -> set[str]:
    return set(re.findall(r'data-testid="card-([\w-]+)"', html))


@pytest.fixture
def demo(tmp_path, settings, db):
    settings.CHITRA_VAR_DIR = str(tmp_path)
    settings.CHITRA_PAYMENT_FILES_DIR = tmp_path / "payments"
    register = tmp_path / "register.parquet"
    call_command("demo_data", beneficiaries=150, seed=7, register_out=register, verbosity=0)
    call_command("register_load", str(register), verbosity=0)
    call_command("verify", verbosity=0)
    call_command("demo_cycle", verbosity=0)


def _open_tasks(communes=None) -> int:
    from chitra.verification.models import CleaningTask

    qs = CleaningTask.objects.filter(status=CleaningTask.Status.OPEN)
    if communes is not None:
        qs = qs.filter(commune_id__in=communes)
    return qs.count()


@pytest.mark.django_db
def test_each_role_home_shows_its_own_work_with_scoped_counts(demo):
    from chitra.iam.models import User
    from chitra.verification.models import CleaningTask, Outcome

    # the officer of the province: the whole province's cleaning queue
    officer = _home("bhxh.officer")
    assert {"cleaning", "outreach", "id_cards", "complaints", "dashboard"} <= _cards(officer)
    assert "approvals" not in _cards(officer) and "provider" not in _cards(officer)
    counts = _counts(officer)
    assert counts["cleaning-open"] == _open_tasks() > 0
    mismatches = CleaningTask.objects.filter(status="open", outcome=Outcome.MISMATCH).count()
    assert counts.get("cleaning-mismatch", 0) == mismatches
    assert "Hàng đợi làm sạch dữ liệu" in officer

    # an office's officer: only its 21 communes
    kv1 = User.objects.get(username="kv1.officer")
    kv1_counts = _counts(_home("kv1.officer"))
    assert kv1_counts["cleaning-open"] == _open_tasks(kv1.scope_commune_ids())
    assert kv1_counts["cleaning-open"] < counts["cleaning-open"]

    # the approver: the computed cycle (computed by bhxh.officer) waits for them
    approver = _home("bhxh.approver")
    assert "approvals" in _cards(approver)
    assert _counts(approver)["approvals-cycles"] == 1

    # the commune police: its commune's ID-card list, by commune, and its cleaning queue
    cax = User.objects.get(username="cax.officer")
    police = _home("cax.officer")
    assert {"id_cards", "cleaning"} <= _cards(police)
    assert "approvals" not in _cards(police) and "provider" not in _cards(police)
    from chitra.outreach.selectors import id_card_priority

    total = id_card_priority(cax).count()
    assert _counts(police)["id_cards-total"] == total
    rows = dict(_ROW.findall(police))
    assert sum(int(v.replace(".", "")) for v in rows.values()) == total
    assert set(rows) <= {f"id_cards-{c}" for c in cax.scope_commune_ids()}

    # leadership: the dashboard first, no individual work
    leader = _home("lanhdao.viewer")
    assert re.findall(r'data-testid="card-([\w-]+)"', leader)[0] == "dashboard"
    assert not _cards(leader) & {"cleaning", "outreach", "id_cards", "approvals", "provider"}


@pytest.mark.django_db
def test_a_bank_sees_its_batches_to_fetch_and_the_results_it_owes(demo):
    from chitra.disbursement.models import Cycle, LineStatus, PayrollLine
    from chitra.disbursement.services import cycle_approve, cycle_release
    from chitra.iam.models import User

    before = _home("bank.officer")
    assert "provider" in _cards(before)
    assert _counts(before)["provider-batches"] == 0
    cycle = Cycle.objects.get()
    for name in ("bhxh.approver", "bhxh.admin"):
        cycle.refresh_from_db()
        if cycle.status == "computed":
            cycle_approve(actor=User.objects.get(username=name), cycle=cycle)
    cycle_release(actor=User.objects.get(username="bhxh.officer"), cycle=cycle)
    after = _counts(_home("bank.officer"))
    bank = User.objects.get(username="bank.officer")
    code = bank.organisation.provider_code
    sent = PayrollLine.objects.filter(batch__provider__code=code, status=LineStatus.SENT)
    assert after["provider-batches"] == cycle.batches.filter(provider__code=code).count() >= 1
    assert after["provider-results"] == sent.count() > 0
    # another provider never counts the bank's lines
    momo = _counts(_home("momo.officer"))
    momo_code = User.objects.get(username="momo.officer").organisation.provider_code
    assert momo["provider-results"] == (
        PayrollLine.objects.filter(batch__provider__code=momo_code, status="sent").count()
    )


@pytest.mark.django_db
def test_reports_due_only_for_the_body_that_issues_them(system, tq):
    from chitra.demo.iam import ensure_demo_org_users

    ensure_demo_org_users(actor=system, province=tq)
    with override("vi"):
        police = _home("ca.officer")
        bhxh = _home("bhxh.officer")
    assert 'data-testid="due-weekly"' in police
    assert 'data-testid="due-monthly"' not in police and 'data-testid="due-yearly"' not in police
    assert 'data-testid="due-monthly"' in bhxh and 'data-testid="due-yearly"' in bhxh
    assert 'data-testid="due-weekly"' not in bhxh
    for other in ("kv1.officer", "cax.officer", "bank.officer", "lanhdao.viewer", "bhxh.viewer"):
        assert 'data-testid="reminders"' not in _home(other), other
