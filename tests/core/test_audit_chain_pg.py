"""The sealer among concurrent writers (PostgreSQL): it never waits for a transaction still
writing, never makes a writer wait, and seals an event committed late by its next run."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from chitra.core.audit import audit_record
from chitra.core.models import AuditEvent, AuditSeal
from chitra.core.seal import SEAL_LOCK, audit_seal, audit_verify

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="concurrent transactions need PostgreSQL"
    ),
]


class LongWriter(threading.Thread):
    """A transaction that writes an event, then stays open until told to commit (the payment
    release holds its transaction for tens of seconds)."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.written = threading.Event()
        self.commit = threading.Event()
        self.event_id: int | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with transaction.atomic():
                self.event_id = audit_record(None, "t.long", object_type="x", object_id=1).pk
                self.written.set()
                assert self.commit.wait(30)
        except BaseException as exc:  # reported to the test
            self.error = exc
            self.written.set()
        finally:
            connections.close_all()


def test_an_event_committed_late_is_sealed_by_the_next_run_and_nobody_waits():
    long = LongWriter()
    long.start()
    assert long.written.wait(10) and long.error is None
    later = audit_record(None, "t.short", object_type="x", object_id=2)  # committed now
    assert later.pk > long.event_id
    started = time.monotonic()
    first = audit_seal()  # does not wait for the open transaction
    assert time.monotonic() - started < 5
    sealed = set(AuditSeal.objects.values_list("event_id", flat=True))
    assert later.pk in sealed and long.event_id not in sealed
    assert audit_verify().ok and audit_verify().unsealed == 0  # the open one is invisible
    long.commit.set()
    long.join(10)
    assert long.error is None
    report = audit_verify()
    assert report.ok and report.unsealed == 1  # committed, not sealed yet: pending, no alarm
    second = audit_seal()
    assert second.sealed == 1 and second.head_seq == first.head_seq + 1
    link = AuditSeal.objects.get(event_id=long.event_id)
    assert link.seq == second.head_seq  # after the higher id sealed before it
    report = audit_verify()
    assert report.ok and report.unsealed == 0


def test_a_running_sealer_never_blocks_a_writer():
    holding = threading.Event()
    release = threading.Event()

    def sealer_holding_the_lock() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
                holding.set()
                release.wait(30)
        finally:
            connections.close_all()

    t = threading.Thread(target=sealer_holding_the_lock, daemon=True)
    t.start()
    assert holding.wait(10)
    try:
        started = time.monotonic()
        with transaction.atomic():
            audit_record(None, "t.write", object_type="x", object_id=3)
        assert time.monotonic() - started < 2
        assert AuditEvent.objects.filter(action="t.write").exists()
    finally:
        release.set()
        t.join(10)
    assert audit_seal().sealed >= 1 and audit_verify().ok
