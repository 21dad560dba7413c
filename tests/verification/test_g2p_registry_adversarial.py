"""Adversarial probes of the register's G2P Connect callbacks (``/api/g2p/registry/notify``:
a notified death suspends pensions): a reused message_id carrying another message, and a
notified death the register itself does not hold."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time

import pytest
from django.test import Client
from django.utils import timezone

from chitra.engine.g2p import jws
from chitra.register.connector import FileExtractConnector
from chitra.verification.models import RegisterEvent, RegisterMessage, Suspension
from chitra.verification.services import verification_run
from tests.verification import test_g2p_registry as registry_tests
from tests.verification.test_g2p_registry import SIM_KEY, _subscribed, django_post

sim = registry_tests.sim  # the simulated population register (C06) and its machine client
pytestmark = pytest.mark.django_db


def _notified(sim, settings, person, **change):  # type: ignore[no-untyped-def]
    """The register's signed notify of `person`'s death (with `change` to its record)."""
    (record,) = (
        FileExtractConnector(settings.CHITRA_REGISTER_STORE).lookup([person.personal_id]).values()
    )
    sim.app.notify([dataclasses.replace(record, **change)], died=True)
    ((url, envelope),) = sim.app.outbox
    sim.app.outbox.clear()
    return url, envelope


def test_a_reused_message_id_with_another_message_is_refused(  # type: ignore[no-untyped-def]
    sim, people, bhxh_officer, settings
):
    """Two genuinely signed notifies under one message_id: the second (another death) must
    not be answered ACK and dropped (the sender would never resend it)."""
    _subscribed(sim, bhxh_officer)
    post = django_post(Client())
    auth = {"Authorization": f"Bearer {sim.app.bearer(post)}"}
    url, first = _notified(sim, settings, people["dead"])
    assert post(url, json=first, headers=auth).json()["message"]["ack_status"] == "ACK"
    _url, second = _notified(sim, settings, people["ok"], death_date=dt.date(2026, 4, 1))
    header = dict(second["header"], message_id=first["header"]["message_id"])
    sig = jws.sign_envelope(header, second["message"], SIM_KEY, kid="c06|1|ed25519",
                            created=int(time.time()))  # fmt: skip
    body = {"signature": sig, "header": header, "message": second["message"]}
    answer = post(url, json=body, headers=auth).json()["message"]
    assert answer["ack_status"] == "ERR", answer
    assert "already used for another message" in answer["error"]["message"]
    assert list(RegisterEvent.objects.values_list("personal_id", flat=True)) == [
        people["dead"].personal_id
    ]
    # the very same message again is still a harmless repeat
    assert post(url, json=first, headers=auth).json()["message"]["ack_status"] == "ACK"
    assert RegisterMessage.objects.filter(action="notify").count() == 1


def test_a_notified_death_the_register_does_not_hold_suspends_nobody(  # type: ignore[no-untyped-def]
    sim, people, bhxh_officer, settings
):
    """A signed notify says a living pensioner died: the notify only marks the person for
    the re-check, which asks the register itself; the register says alive: no suspension."""
    _subscribed(sim, bhxh_officer)
    since = timezone.now() - dt.timedelta(seconds=1)
    post = django_post(Client())
    url, forged = _notified(sim, settings, people["ok"], death_date=dt.date(2026, 4, 1))
    auth = {"Authorization": f"Bearer {sim.app.bearer(post)}"}
    assert post(url, json=forged, headers=auth).json()["message"]["ack_status"] == "ACK"
    assert not Suspension.objects.exists()  # the notify alone changes no payment
    settings.CHITRA_REGISTER_CONNECTOR = "http"
    settings.CHITRA_REGISTER_CHANGE_FEED = False
    run = verification_run(actor=bhxh_officer, changed_since=since)
    assert run.status == "succeeded" and run.total == 1
    assert not Suspension.objects.filter(entitlement__beneficiary=people["ok"]).exists()
