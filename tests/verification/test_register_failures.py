"""The register's failures (down, answering garbage after the retries) end the `verify`
command with one line and fail a verification job with one sentence; nothing is applied."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from chitra.core.models import Job
from chitra.demo.register_simulator import Faults, start
from tests.jobs import queued


@pytest.fixture
def malformed_register(register, settings):
    srv = start(register["store"], faults=Faults(malformed_rate=1.0, malformed_kind="wrong_ids"))
    settings.CHITRA_REGISTER_CONNECTOR = "http"
    settings.CHITRA_REGISTER_URL = srv.url
    settings.CHITRA_REGISTER_TIMEOUT = 2
    yield srv
    srv.stop()


@pytest.mark.django_db
def test_verify_against_a_register_answering_garbage_ends_with_one_line(
    malformed_register, people, bhxh_officer
):
    from chitra.verification.models import VerificationResult, VerificationRun

    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("verify", "--user", bhxh_officer.username)
    msg = str(exc.value)
    assert "\n" not in msg
    assert msg.startswith(
        "The population register answered in a form that cannot be read, "
        "even after retrying (register at http://127.0.0.1:"
    )
    assert "malformed answer 4 time(s)" in msg and "Nothing was changed" in msg
    assert malformed_register.app.stats["fault.malformed"] == 4  # 1 + 3 retries
    assert not VerificationResult.objects.exists()
    assert VerificationRun.objects.get().status == "failed"
    # in Vietnamese, as the users read it
    with translation.override("vi"), pytest.raises(CommandError) as vi:
        call_command("verify", "--user", bhxh_officer.username)
    assert str(vi.value).startswith("Cơ sở dữ liệu quốc gia về dân cư trả lời sai định dạng")


@pytest.mark.django_db
def test_a_register_that_is_down_fails_the_job_with_one_sentence(
    register, people, settings, bhxh_officer
):
    from chitra.verification.tasks import verification_run_task

    settings.CHITRA_REGISTER_CONNECTOR = "http"
    settings.CHITRA_REGISTER_URL = "http://127.0.0.1:1"
    settings.CHITRA_REGISTER_TIMEOUT = 0.5
    job = queued("verification_run", bhxh_officer, params={"province": "08"})
    with translation.override("en"):
        assert verification_run_task.call(job.pk) == {"ok": False}
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message.startswith(
        "The population register cannot be reached (register at http://127.0.0.1:1 unavailable"
    )
