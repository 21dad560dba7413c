"""The hash chain over the audit trail (ADR 0009): `audit_seal` appends committed events,
`audit_verify` finds every gap or edit. Tampering is done as the database owner would (the
append-only triggers lifted inside the test's transaction)."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from chitra.core.audit import audit_record
from chitra.core.models import AuditEvent, AuditSeal
from chitra.core.seal import (
    CANONICAL_FIELDS,
    GENESIS,
    audit_seal,
    audit_verify,
    canonical,
    link_hash,
)
from chitra.geo.models import Commune, Province
from tests.factories import BeneficiaryFactory


@contextlib.contextmanager
def lifted(table: str) -> Iterator[None]:
    """The table's append-only triggers off, as its owner could do."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks
            cur.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            yield
            cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cur.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
            cur.execute("SET CONSTRAINTS ALL DEFERRED")
            return
        cur.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
        )
        triggers = cur.fetchall()
        for name, _sql in triggers:
            cur.execute(f"DROP TRIGGER {name}")
        yield
        for _name, sql in triggers:
            cur.execute(sql)


def sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cur:
        cur.execute(statement, params or [])


def verify(*args: str) -> tuple[bool, str]:
    out = io.StringIO()
    try:
        call_command("audit_verify", *args, stdout=out)
    except CommandError as exc:
        return False, out.getvalue() + str(exc)
    return True, out.getvalue()


@pytest.fixture
def events(bhxh_officer, system) -> list[AuditEvent]:
    hn = Commune.objects.filter(province__code="01").first()
    ben = BeneficiaryFactory(commune=hn)
    made = [
        audit_record(
            bhxh_officer,
            f"t.e{i}",
            object_type="x",
            object_id=i,
            object_repr=f"Sự kiện {i}",
            before={"b": i, "ý": [1, 2.5, None]},
            after={"a": {"z": 1, "y": "Đ"}},
            reason="lý do",
        )
        for i in range(5)
    ]
    made.append(audit_record(system, "t.hn", obj=ben, after={"x": 1}))
    assert made[-1].province.code == "01"
    return list(AuditEvent.objects.order_by("id"))  # the users' set-up events come first


@pytest.mark.django_db
def test_sealing_covers_every_event_once_and_verify_recomputes_the_chain(events, bhxh_officer):
    first = audit_seal()
    assert first.sealed == len(events) and first.head_seq == len(events)
    seals = list(AuditSeal.objects.order_by("seq"))
    assert [s.event_id for s in seals] == sorted(e.pk for e in events)  # id order
    prev = GENESIS
    for s in seals:  # hash = SHA-256(previous hash || canonical JSON of the event)
        row = AuditEvent.objects.filter(pk=s.event_id).values_list(*CANONICAL_FIELDS).get()
        prev = link_hash(prev, row)
        assert s.hash == prev
    assert first.head_hash == prev
    assert audit_seal().sealed == 0  # nothing new
    audit_record(bhxh_officer, "t.later", object_type="x", object_id=9)
    ok, out = verify()
    assert ok, out
    assert "unsealed=1" in out  # reported, not an error
    second = audit_seal()
    assert second.sealed == 1 and second.head_seq == len(events) + 1
    ok, out = verify()
    assert ok and "unsealed=0" in out and f"head={second.head_seq}:{second.head_hash}" in out


@pytest.mark.django_db
def test_canonical_json_is_fixed_and_database_independent():
    row = (
        7,
        dt.datetime(2026, 12, 1, 8, 30, 0, 123456, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        3,
        "u",
        None,
        "",
        "a.b",
        "t",
        "7",
        "Tên",
        {"z": 1, "a": [1.5, "Đ"]},
        None,
        "",
        None,
        "",
        8,
    )
    assert canonical(row).decode() == (
        '{"action":"a.b","actor_id":3,"actor_username":"u","after":null,'
        '"at":"2026-12-01T01:30:00.123456Z","before":{"a":[1.5,"Đ"],"z":1},"id":7,'
        '"ip_address":null,"object_id":"7","object_repr":"Tên","object_type":"t",'
        '"organisation_id":null,"organisation_name":"","province_id":8,"reason":"",'
        '"request_id":""}'
    )
    # and the database gives back what was written: sealing then verifying agrees
    ev = audit_record(
        None,
        "t.json",
        object_type="x",
        object_id=1,
        before={"b": 1, "a": {"d": [1, 2.25, "ư"], "c": None}},
        after=[True, 0],
    )
    audit_seal()
    assert audit_verify().ok
    ev.refresh_from_db()
    assert ev.before == {"b": 1, "a": {"d": [1, 2.25, "ư"], "c": None}}


@pytest.mark.django_db
def test_an_edited_field_is_found(events):
    audit_seal()
    with lifted("core_auditevent"):
        sql("UPDATE core_auditevent SET object_repr = %s WHERE id = %s", ["sửa", events[2].pk])
    ok, out = verify()
    assert not ok
    assert f"[mismatch] seq=3 event={events[2].pk}" in out
    assert out.count("[mismatch]") == 1


@pytest.mark.django_db
def test_an_edited_json_value_or_time_is_found(events):
    audit_seal()
    with lifted("core_auditevent"):
        AuditEvent.objects.filter(pk=events[1].pk).update(after={"a": {"z": 2, "y": "Đ"}})
        AuditEvent.objects.filter(pk=events[3].pk).update(
            at=events[3].at + dt.timedelta(microseconds=1)
        )
    report = audit_verify()
    assert {(f.kind, f.event_id) for f in report.findings} == {
        ("mismatch", events[1].pk),
        ("mismatch", events[3].pk),
    }


@pytest.mark.django_db
def test_a_deleted_event_is_found(events):
    audit_seal()
    with lifted("core_auditevent"):
        sql("DELETE FROM core_auditevent WHERE id = %s", [events[4].pk])
    ok, out = verify()
    assert not ok and f"[missing_event] seq=5 event={events[4].pk}" in out
    assert "[mismatch]" not in out  # the links after it still hold


@pytest.mark.django_db
def test_reordered_events_are_found(events):
    """Two events swap their content (what a reorder by id looks like)."""
    audit_seal()
    a, b = events[0], events[1]
    with lifted("core_auditevent"):
        AuditEvent.objects.filter(pk=a.pk).update(action=b.action)
        AuditEvent.objects.filter(pk=b.pk).update(action=a.action)
    report = audit_verify()
    assert {f.event_id for f in report.findings if f.kind == "mismatch"} == {a.pk, b.pk}


@pytest.mark.django_db
def test_reordered_or_removed_links_are_found(events):
    audit_seal()
    seals = list(AuditSeal.objects.order_by("seq"))
    with lifted("core_auditseal"):
        # two links swap their events: both fail
        AuditSeal.objects.filter(seq=2).update(event_id=-1)
        AuditSeal.objects.filter(seq=3).update(event_id=seals[1].event_id)
        AuditSeal.objects.filter(seq=2).update(event_id=seals[2].event_id)
    kinds = {(f.kind, f.seq) for f in audit_verify().findings}
    assert {("mismatch", 2), ("mismatch", 3)} <= kinds
    with lifted("core_auditseal"):
        AuditSeal.objects.filter(seq=4).delete()
    kinds = {(f.kind, f.seq) for f in audit_verify().findings}
    assert ("gap", 5) in kinds and ("mismatch", 5) in kinds  # link 5 chained to the lost one


@pytest.mark.django_db
def test_an_event_inserted_behind_the_sealer_is_found(events, bhxh_officer):
    """A row written with an old id (or, on PostgreSQL, an old transaction id) after the
    sealer has passed: not new, but inserted."""
    audit_seal()
    ev = audit_record(bhxh_officer, "t.x", object_type="x", object_id=1)
    forged = ev.pk - 1000  # below every sealed id, and free
    assert not AuditEvent.objects.filter(pk=forged).exists()
    with lifted("core_auditevent"):
        AuditEvent.objects.filter(pk=ev.pk).delete()
        AuditEvent.objects.create(
            id=forged, actor_username="forger", action="t.forged", at=events[0].at
        )
        if connection.vendor == "postgresql":
            sql("UPDATE core_auditevent SET txid = '3'::xid8 WHERE id = %s", [forged])
    ok, out = verify()
    assert not ok and f"[behind] event={forged}" in out
    # and sealing does not take it into the chain afterwards: it stays reported
    audit_seal()
    ok, out = verify()
    assert not ok and f"[behind] event={forged}" in out


@pytest.mark.django_db
def test_verify_by_province_checks_that_provinces_links(events):
    audit_seal()
    hn_event = events[-1]
    with lifted("core_auditevent"):
        AuditEvent.objects.filter(pk=events[0].pk).update(reason="sửa")  # a Tuyên Quang one
    ok, out = verify("--province", "01")
    assert ok and "checked=1" in out, out
    ok, out = verify("--province", "08")
    assert not ok and f"event={events[0].pk}" in out and f"checked={len(events) - 1}" in out
    with lifted("core_auditevent"):
        AuditEvent.objects.filter(pk=hn_event.pk).delete()
    ok, out = verify("--province", "01")
    assert not ok and f"[missing_event] seq={len(events)} event={hn_event.pk}" in out
    with pytest.raises(CommandError):
        call_command("audit_verify", "--province", "99", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_rewritten_chain_is_found_with_an_anchor_kept_outside(events):
    head = audit_seal()
    anchor = f"{head.head_seq}:{head.head_hash}"
    assert verify("--anchor", anchor)[0]
    # the owner edits an event and rebuilds the whole chain: consistent again...
    with lifted("core_auditevent"), lifted("core_auditseal"):
        AuditEvent.objects.filter(pk=events[0].pk).update(reason="sửa")
        AuditSeal.objects.all().delete()
    audit_seal()
    assert verify()[0]
    # ...but not with the head printed before
    ok, out = verify("--anchor", anchor)
    assert not ok and f"[anchor] seq={head.head_seq}" in out
    ok, out = verify("--anchor", f"{head.head_seq + 5}:{head.head_hash}")
    assert not ok and "[anchor]" in out
    with pytest.raises(CommandError):
        call_command("audit_verify", "--anchor", "nonsense", stdout=io.StringIO())


@pytest.mark.django_db
def test_a_duplicate_link_is_found(events):
    audit_seal()
    if connection.vendor == "postgresql":
        sql("ALTER TABLE core_auditseal DROP CONSTRAINT IF EXISTS core_auditseal_event_id_key")
    else:
        pytest.skip("SQLite cannot drop a UNIQUE constraint in place")
    last = AuditSeal.objects.order_by("-seq").first()
    AuditSeal.objects.create(seq=last.seq + 1, event_id=events[0].pk, hash="0" * 64)
    kinds = {(f.kind, f.event_id) for f in audit_verify().findings}
    assert ("duplicate", events[0].pk) in kinds


@pytest.mark.django_db
def test_the_seal_table_is_append_only(events):
    audit_seal()
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.filter(seq=1).update(hash="0" * 64)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditSeal.objects.filter(seq=1).delete()
    assert audit_verify().ok


@pytest.mark.django_db
def test_audit_seal_command_and_task(events):
    out = io.StringIO()
    call_command("audit_seal", stdout=out)
    head = AuditSeal.objects.order_by("-seq").first()
    assert out.getvalue().strip() == f"sealed={len(events)} head={head.seq}:{head.hash}"
    from chitra.core.tasks import audit_seal_task

    audit_record(None, "t.task", object_type="x", object_id=1)
    assert audit_seal_task.call()["sealed"] == 1
    ok, out = verify("--seal")
    assert ok and "sealed=0" in out


@pytest.mark.django_db
def test_events_before_the_chain_existed_are_sealed_too(events):
    """The first run has no horizon: it takes every event there is (those of earlier
    versions included: on PostgreSQL they have no transaction id)."""
    if connection.vendor == "postgresql":
        with lifted("core_auditevent"):
            sql("UPDATE core_auditevent SET txid = NULL WHERE id = %s", [events[0].pk])
    assert audit_seal().sealed == len(events)
    assert audit_verify().ok


def test_province_lookup_by_code(db):
    from chitra.core.audit import province_id_of

    assert province_id_of("08") == Province.objects.get(code="08").pk
    with pytest.raises(ValueError):
        province_id_of("99")
