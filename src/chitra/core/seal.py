"""The audit trail's hash chain (ADR 0009): a sealer that appends committed events to an
append-only chain, and a verifier that recomputes it.

Link `seq` of the chain is (seq, event_id, hash) with
    hash = SHA-256(hash of link seq-1 (hex, ASCII) || canonical JSON of the event)
and the genesis hash "0" * 64. Events are written by many concurrent transactions (some long:
the payment release, ADR 0005): nobody waits for the chain when writing. The sealer runs apart
(`chitra audit_seal`, the task `audit_seal_task`), one at a time (an advisory lock on
PostgreSQL; SQLite has one writer anyway), and takes every committed event not sealed yet in id
order; an event committed late (after events with higher ids were sealed) is sealed by the next
run. On PostgreSQL each event carries the writing transaction (`txid`, set by the database),
and each run records its horizon (the oldest transaction still running when it began): every
event of an older transaction was visible to that run, so the next run reads only events of
transactions at or after it. On SQLite transactions commit in id order, so a run reads the
events after the last one sealed.

The canonical JSON is the same on SQLite and PostgreSQL: the fields of `CANONICAL_FIELDS`, keys
sorted, no spaces, UTF-8, the time in UTC ISO 8601 with microseconds and a Z, the JSON columns as
the database gives them back (parsed, then dumped again with sorted keys).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import BooleanField, Count, Exists, Max, OuterRef, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import ProvinceRef, province_id_of
from chitra.core.models import AuditEvent, AuditSeal

GENESIS = "0" * 64
#: the advisory lock that makes sealers take turns (PostgreSQL): "chitra" + 1
SEAL_LOCK = 0x636869747261_0001
#: the event's fields in the hash, version 1 of the chain: a new column of AuditEvent is not
#: covered until a new version is decided (ADR 0009)
CANONICAL_FIELDS = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "organisation_id",
    "organisation_name",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "reason",
    "ip_address",
    "request_id",
    "province_id",
)
_AT = CANONICAL_FIELDS.index("at")


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def utc_iso(value: dt.datetime) -> str:
    """2026-12-01T01:30:00.123456Z"""
    return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def canonical(row: Sequence[Any]) -> bytes:
    """The canonical JSON of an event given as values in the order of `CANONICAL_FIELDS`."""
    data = dict(zip(CANONICAL_FIELDS, row, strict=True))
    data["at"] = utc_iso(row[_AT])
    return _ENCODER.encode(data).encode("utf-8")


def link_hash(prev: str, row: Sequence[Any]) -> str:
    return hashlib.sha256(prev.encode("ascii") + canonical(row)).hexdigest()


def _unsealed() -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(~Exists(AuditSeal.objects.filter(event_id=OuterRef("pk"))))


def _txid_from(value: int) -> RawSQL:
    """Events written by transaction `value` or later (PostgreSQL, column `txid`)."""
    return RawSQL(
        '"core_auditevent"."txid" >= %s::text::xid8', [str(value)], output_field=BooleanField()
    )


def _pg_horizon() -> int:
    """The oldest transaction still running (PostgreSQL): every event of an older one is either
    committed (and visible to the next statement) or gone."""
    with connection.cursor() as cur:
        cur.execute("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint")
        return int(cur.fetchone()[0])


@dataclass(frozen=True)
class SealResult:
    sealed: int
    head_seq: int
    head_hash: str


def audit_seal(*, chunk: int = 5000) -> SealResult:
    """Append every committed, not yet sealed event to the chain, in id order."""
    pg = connection.vendor == "postgresql"
    with transaction.atomic():
        horizon: int | None = None
        if pg:
            with connection.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s)", [SEAL_LOCK])
            horizon = _pg_horizon()
        last = AuditSeal.objects.order_by("-seq").values_list("seq", "hash", "horizon").first()
        seq, prev = (int(last[0]), str(last[1])) if last else (0, GENESIS)
        qs = _unsealed()
        if pg:
            floor = last[2] if last else None
            # a horizon lower than the last one: the database was restored into another
            # cluster (transaction ids start again); read everything once
            if floor is not None and horizon is not None and floor <= horizon:
                qs = qs.filter(_txid_from(floor))
        elif last:
            top = AuditSeal.objects.aggregate(m=Max("event_id"))["m"] or 0
            qs = AuditEvent.objects.filter(id__gt=top)
        rows = qs.order_by("id").values_list(*CANONICAL_FIELDS).iterator(chunk_size=chunk)
        sealed = 0
        now = timezone.now()
        pending: list[tuple[Any, ...]] = []
        from chitra.core.bulk import copy_rows

        columns = ["seq", "event_id", "province_id", "hash", "horizon", "sealed_at"]
        pid = CANONICAL_FIELDS.index("province_id")
        for row in rows:
            seq += 1
            prev = link_hash(prev, row)
            pending.append((seq, row[0], row[pid], prev, horizon, now))
            if len(pending) >= chunk:
                sealed += copy_rows(AuditSeal, columns, pending)
                pending = []
        if pending:
            sealed += copy_rows(AuditSeal, columns, pending)
    return SealResult(sealed=sealed, head_seq=seq, head_hash=prev)


# --------------------------------------------------------------------------------------------
# verification
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    #: gap, duplicate, missing_event, mismatch, province, anchor, behind
    kind: str
    detail: str
    seq: int | None = None
    event_id: int | None = None

    def line(self) -> str:
        where = []
        if self.seq is not None:
            where.append(f"seq={self.seq}")
        if self.event_id is not None:
            where.append(f"event={self.event_id}")
        return f"[{self.kind}] {' '.join(where)} {self.detail}".replace("  ", " ")


@dataclass
class VerifyReport:
    links: int = 0
    checked: int = 0
    head_seq: int = 0
    head_hash: str = GENESIS
    unsealed: int = 0
    oldest_unsealed: tuple[int, dt.datetime] | None = None
    findings: list[Finding] = field(default_factory=list)
    more_findings: int = 0

    @property
    def ok(self) -> bool:
        return not self.findings

    def add(self, finding: Finding, limit: int) -> None:
        if len(self.findings) < limit:
            self.findings.append(finding)
        else:
            self.more_findings += 1


def _chunks(it: Iterator[Any], n: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in it:
        chunk.append(item)
        if len(chunk) >= n:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def audit_verify(
    *,
    province: ProvinceRef = None,
    anchor: tuple[int, str] | None = None,
    chunk: int = 5000,
    limit: int = 1000,
) -> VerifyReport:
    """Recompute the chain (or, with `province`, the links of that province's events, each
    against the hash of the link before it) and report every gap or edit: a link missing or
    twice, an event missing or changed, an event not sealed although the sealer has passed
    it, and (with `anchor` = (seq, hash) kept outside the database) a rewritten chain."""
    pid = province_id_of(province)
    report = VerifyReport()
    prev_seq, prev_hash = 0, GENESIS
    anchor_seen = False
    outer = not connection.in_atomic_block
    with transaction.atomic():  # one snapshot for the whole check (PostgreSQL)
        if connection.vendor == "postgresql" and outer:
            with connection.cursor() as cur:
                cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        seals = (
            AuditSeal.objects.order_by("seq")
            .values_list("seq", "event_id", "hash", "province_id")
            .iterator(chunk_size=chunk)
        )
        for links in _chunks(seals, chunk):
            wanted = [s[1] for s in links if pid is None or s[3] == pid]
            events = _events(wanted)
            for seq, event_id, stored, seal_province in links:
                report.links += 1
                _check_order(report, seq, prev_seq, limit)
                if pid is None or seal_province == pid:
                    report.checked += 1
                    _check_event(
                        report, seq, event_id, stored, seal_province, events, prev_hash, limit
                    )
                if anchor is not None and seq == anchor[0]:
                    anchor_seen = True
                    _check_anchor(report, seq, stored, anchor, limit)
                prev_seq, prev_hash = seq, stored
        report.head_seq, report.head_hash = prev_seq, prev_hash
        if anchor is not None and not anchor_seen:
            report.add(
                Finding(
                    "anchor",
                    _("the chain is shorter than the anchor: links were removed"),
                    seq=anchor[0],
                ),
                limit,
            )
        _check_duplicates(report, pid, limit)
        _check_unsealed(report, pid, limit)
    return report


def _check_order(report: VerifyReport, seq: int, prev_seq: int, limit: int) -> None:
    if seq != prev_seq + 1:
        report.add(
            Finding(
                "gap",
                _("links %(first)s to %(last)s are missing")
                % {"first": prev_seq + 1, "last": seq - 1}
                if seq > prev_seq + 1
                else _("link out of order"),
                seq=seq,
            ),
            limit,
        )


def _check_event(
    report: VerifyReport,
    seq: int,
    event_id: int,
    stored: str,
    seal_province: int | None,
    events: dict[int, tuple[Any, ...]],
    prev_hash: str,
    limit: int,
) -> None:
    """The sealed event of one link: present, unchanged, and of the link's province."""
    row = events.get(event_id)
    if row is None:
        report.add(
            Finding(
                "missing_event",
                _("the sealed event is missing"),
                seq=seq,
                event_id=event_id,
            ),
            limit,
        )
    elif link_hash(prev_hash, row) != stored:
        report.add(
            Finding(
                "mismatch",
                _("the event differs from what was sealed (edited, or the chain was reordered)"),
                seq=seq,
                event_id=event_id,
            ),
            limit,
        )
    elif row[CANONICAL_FIELDS.index("province_id")] != seal_province:
        report.add(
            Finding(
                "province",
                _("the link names another province than its event"),
                seq=seq,
                event_id=event_id,
            ),
            limit,
        )


def _check_anchor(
    report: VerifyReport, seq: int, stored: str, anchor: tuple[int, str], limit: int
) -> None:
    if stored != anchor[1]:
        report.add(
            Finding(
                "anchor",
                _("the chain differs from the anchor kept outside the database: it was rewritten"),
                seq=seq,
            ),
            limit,
        )


def _check_duplicates(report: VerifyReport, pid: int | None, limit: int) -> None:
    dups = AuditSeal.objects.values("event_id").annotate(n=Count("seq")).filter(n__gt=1)
    if pid is not None:
        dups = dups.filter(province_id=pid)
    for d in dups.order_by("event_id")[:limit]:
        report.add(
            Finding(
                "duplicate",
                _("the event is sealed %(n)s times") % {"n": d["n"]},
                event_id=d["event_id"],
            ),
            limit,
        )


def _check_unsealed(report: VerifyReport, pid: int | None, limit: int) -> None:
    unsealed = _unsealed()
    if pid is not None:
        unsealed = unsealed.filter(province_id=pid)
    report.unsealed = unsealed.count()
    if report.unsealed:
        first = unsealed.order_by("id").values_list("id", "at").first()
        report.oldest_unsealed = (int(first[0]), first[1]) if first else None
        for event_id in _behind_the_sealer(unsealed)[:limit]:
            report.add(
                Finding(
                    "behind",
                    _(
                        "the event is not sealed although the sealer has passed it: inserted "
                        "afterwards"
                    ),
                    event_id=event_id,
                ),
                limit,
            )


def _events(ids: list[int]) -> dict[int, tuple[Any, ...]]:
    """The events of these ids (values of CANONICAL_FIELDS), read as the sealer read them."""
    if not ids:
        return {}
    low, high = min(ids), max(ids)
    qs = AuditEvent.objects.order_by()
    # links follow ids closely: a range scan, unless a late event makes the range too wide
    qs = (
        qs.filter(id__gte=low, id__lte=high)
        if high - low < 2 * len(ids) + 100
        else qs.filter(id__in=ids)
    )
    wanted = set(ids)
    return {row[0]: row for row in qs.values_list(*CANONICAL_FIELDS) if row[0] in wanted}


def _behind_the_sealer(unsealed: QuerySet[AuditEvent]) -> list[int]:
    """Unsealed events that the last sealing run must have seen: written afterwards with an
    old id (SQLite) or an old transaction id (PostgreSQL). The others are simply new."""
    last = AuditSeal.objects.order_by("-seq").values_list("horizon", flat=True).first()
    if not AuditSeal.objects.exists():
        return []
    if connection.vendor == "postgresql":
        if last is None or _pg_horizon() < last:
            return []  # restored into another cluster: the next sealing run starts again
        qs = unsealed.filter(
            RawSQL(
                '("core_auditevent"."txid" IS NULL OR "core_auditevent"."txid" < %s::text::xid8)',
                [str(last)],
                output_field=BooleanField(),
            )
        )
    else:
        top = AuditSeal.objects.aggregate(m=Max("event_id"))["m"] or 0
        qs = unsealed.filter(id__lt=top)
    return list(qs.order_by("id").values_list("id", flat=True))
