"""A bank's pain.002 status report applied to a cycle: checked against what chitra sent, then
applied whole (or refused whole) through :func:`chitra.disbursement.results.results_apply`.

What each level of the report does (docs/conformance/pain002.md lists every element):

* ``OrgnlMsgId`` must name a message chitra sent for this cycle (:func:`sent_messages`); each
  ``OrgnlPmtInfId`` a block of it. Anything else refuses the report, naming the value.
* a transaction (``TxInfAndSts``) with a final status (``ACSC``/``ACCC`` paid, ``RJCT`` failed,
  or returned when the line was paid) is applied to its line; a pending one (``ACTC``,
  ``ACCP``, ``ACSP``, ``PDNG``, ``RCVD``...) is checked against the lines and counted, money
  unchanged; a Verification-of-Payee answer (``RCVC``, ``RVMC``, ``RVNM``, ``RVNA``) is pending
  too and stored per line (:class:`PayeeNameCheck`); an unknown code refuses the report.
* a block (``PmtInfSts``) or group (``GrpSts``) final status applies to every still-open
  (sent) line of the block / of the whole message that the report does not list (one
  INSERT ... SELECT, never a loop over the lines): a transaction listed wins over its group. A
  pending group or block status counts those lines as pending. ``PART`` says nothing: the
  transactions say which.
* a report that only confirms receipt (group ``ACTC``/``RCVD``, no transaction) is accepted:
  a results import with its group status and the pending lines, nothing else.

Every report is audited as ``cycle.status_report`` (with the pending count and the name checks)
besides the ``cycle.results`` of the lines it changed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record
from chitra.core.errors import ImportFileError
from chitra.disbursement.models import (
    Batch,
    Cycle,
    PayeeNameCheck,
    PaymentFile,
    PayrollLine,
    ResultImport,
    ReturnReason,
)
from chitra.disbursement.results import Cover, ResultRow, ResultsOutcome, results_apply
from chitra.engine import iso20022
from chitra.iam.access import Perm, require_perm
from chitra.kernel.issues import Issue, issue

if TYPE_CHECKING:
    from chitra.iam.models import User

#: references looked up per query (name checks)
_CHUNK = 5000
#: the elements of a group's and a block's status
_LEVEL_STATUS = ("GrpSts", "PmtInfSts")


@dataclass(frozen=True, slots=True)
class SentMessage:
    """A pain.001 message chitra sent: its ``MsgId``, the batches it carries, each
    ``PmtInfId`` with the batch of that block, and the benefits a block carries (``()``: all
    the batch's lines)."""

    message_id: str
    batch_ids: tuple[int, ...]
    blocks: dict[str, int]
    block_benefits: dict[str, tuple[str, ...]] = field(default_factory=dict)


def _benefits_of(purpose: str) -> tuple[str, ...]:
    from chitra.disbursement.files import category_of
    from chitra.registry.models import BenefitType

    if not purpose:
        return ()
    return tuple(b for b in BenefitType.values if category_of(b) == purpose)


def sent_messages(cycle: Cycle, message_ids: Iterable[str]) -> dict[str, SentMessage]:
    """The messages of ``message_ids`` that chitra sent for ``cycle``, by ``MsgId``.

    A pain.001 written since message ids are kept is found by its own ``MsgId``
    (`PaymentFile.message_id`) with the ``PmtInfId`` of each block (`payment_blocks`, one per
    category purpose: a block's status covers only the lines of its benefits). A file written
    before that used the batch's reference as both its ``MsgId`` and its one ``PmtInfId``;
    the batch reference is still accepted for those, and only for those."""
    ids = sorted({m for m in message_ids if m})
    found: dict[str, SentMessage] = {}
    files = PaymentFile.objects.filter(
        kind=PaymentFile.Kind.PAIN001,
        message_id__in=ids,
        batch__cycle=cycle,
        batch__status=Batch.Status.RELEASED,
    ).values_list("message_id", "batch_id", "payment_blocks")
    for message_id, batch_id, blocks in files:
        if not message_id:
            continue
        found[message_id] = SentMessage(
            message_id,
            (batch_id,),
            {b["pmt_inf_id"]: batch_id for b in blocks},
            {b["pmt_inf_id"]: _benefits_of(b.get("category_purpose", "")) for b in blocks},
        )
    # the batch reference only for a batch whose pain.001 has no stored MsgId: a report that
    # quotes the reference of a batch sent with its own MsgId does not answer that message
    batches = (
        Batch.objects.filter(cycle=cycle, status=Batch.Status.RELEASED, reference__in=ids)
        .exclude(files__kind=PaymentFile.Kind.PAIN001, files__message_id__isnull=False)
        .values_list("pk", "reference")
    )
    for pk, reference in batches:
        found.setdefault(reference, SentMessage(reference, (pk,), {reference: pk}))
    return found


@dataclass
class _NameCheck:
    reference: str
    outcome: str
    name_sent: str
    name_returned: str
    reason_code: str


@dataclass
class _Reading:
    """What one pass over the report collects besides the rows it yields."""

    sent: SentMessage
    reasons: set[str]
    issues: list[Issue]
    covers: list[Cover] = field(default_factory=list)
    name_checks: list[_NameCheck] = field(default_factory=list)
    group_cover: list[Cover] = field(default_factory=list)
    #: transactions the report lists (their own statuses answer for them)
    listed: int = 0
    #: group or block codes no list knows, set aside because the transactions answer
    set_aside: list[str] = field(default_factory=list)

    def rows(self, report: iso20022.Pain002Report) -> Iterator[ResultRow]:
        for s in report:
            if s.scope == "transaction":
                self.listed += 1
                row = self._transaction(s)
                if row is not None:
                    yield row
            elif s.scope == "block":
                batch = self.sent.blocks.get(s.payment_info_id)
                if batch is not None:
                    benefits = self.sent.block_benefits.get(s.payment_info_id, ())
                    self._cover(s, (batch,), self.covers, benefits)
            else:
                self._cover(s, self.sent.batch_ids, self.group_cover)
        # block statuses first: a block's own status wins over its group's
        self.covers.extend(self.group_cover)
        self._blocks(report)
        for r in report.issues:
            if self.listed and r.problem == "status_unknown" and r.path.endswith(_LEVEL_STATUS):
                # a bank's own group or block code (a Verification-of-Payee summary such as
                # RVCM) beside transactions that each carry their status: it decides nothing
                self.set_aside.append(f"{r.path}={r.value}")
                continue
            self.issues.append(
                issue(r.position, r.path, r.value, f"pain002_{r.problem}", r.expected)
            )

    def _transaction(self, s: iso20022.StatusLine) -> ResultRow | None:
        if s.status not in ("succ", "rjct", "pending") or not s.reference:
            return None  # an unknown or missing status / reference: a reader issue
        if s.name_check:
            self.name_checks.append(
                _NameCheck(s.reference, s.name_check, s.creditor_name, s.reason_text, s.reason_code)
            )
        return ResultRow(s.position, s.reference, s.status, s.reason_code, s.amount)

    def _cover(
        self,
        s: iso20022.StatusLine,
        batches: tuple[int, ...],
        into: list[Cover],
        benefits: tuple[str, ...] = (),
    ) -> None:
        if s.status not in ("succ", "rjct", "pending"):
            return  # unknown: the reader's issue refuses the report
        if s.status == "rjct" and s.reason_code not in self.reasons:
            self.issues.append(
                issue(
                    s.position,
                    s.path.replace("PmtInfSts", "StsRsnInf").replace("GrpSts", "StsRsnInf"),
                    s.reason_code,
                    "reason_unknown",
                    "a reason code of the return-reason catalogue",
                )
            )
            return
        for batch in batches:
            into.append(
                Cover(
                    batch,
                    s.status,
                    s.reason_code if s.status == "rjct" else "",
                    s.position,
                    benefits,
                )
            )

    def _blocks(self, report: iso20022.Pain002Report) -> None:
        for b in report.blocks:
            if b.payment_info_id and b.payment_info_id not in self.sent.blocks:
                self.issues.append(
                    issue(
                        b.position,
                        f"OrgnlPmtInfAndSts[{b.position}]/OrgnlPmtInfId",
                        b.payment_info_id,
                        "pain002_block_unknown",
                        "a payment-information block (PmtInfId) of the message chitra sent: "
                        + ", ".join(sorted(self.sent.blocks)),
                    )
                )


def _header(path: Path) -> iso20022.ReportHeader:
    try:
        return iso20022.pain002_header(path)
    except iso20022.Pain002Error as e:
        raise ImportFileError(
            _("The XML file is not a readable pain.002 status report: %(detail)s") % {"detail": e}
        ) from None


def _sent(cycle: Cycle, message_id: str) -> SentMessage:
    sent = sent_messages(cycle, [message_id]).get(message_id)
    if sent is not None:
        return sent
    raise ImportFileError(
        _(
            "The status report answers message %(id)s (OrgnlMsgId), which chitra did not send "
            "for the payment cycle %(month)s: expected the MsgId of the pain.001 of a "
            "released batch of this cycle."
        )
        % {"id": message_id, "month": cycle.months_label}
    )


def _store_name_checks(imp: ResultImport, cycle: Cycle, checks: list[_NameCheck]) -> dict[str, int]:
    """The name checks of the report, per line (the lines were checked with the rows)."""
    by_outcome: dict[str, int] = {}
    for start in range(0, len(checks), _CHUNK):
        part = checks[start : start + _CHUNK]
        ids = dict(
            PayrollLine.objects.filter(
                cycle=cycle, reference__in=[c.reference for c in part]
            ).values_list("reference", "pk")
        )
        rows = []
        for c in part:
            if c.reference not in ids:
                continue
            by_outcome[c.outcome] = by_outcome.get(c.outcome, 0) + 1
            rows.append(
                PayeeNameCheck(
                    line_id=ids[c.reference],
                    result_import=imp,
                    outcome=c.outcome,
                    name_sent=c.name_sent[:140],
                    name_returned=c.name_returned[:500],
                    reason_code=c.reason_code[:8],
                )
            )
        PayeeNameCheck.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return by_outcome


def _audit(
    actor: User,
    cycle: Cycle,
    header: iso20022.ReportHeader,
    outcome: ResultsOutcome,
    reading: _Reading,
    checks: dict[str, int],
    transactions: int,
) -> None:
    audit_record(
        actor,
        "cycle.status_report",
        obj=cycle,
        after={
            "import": outcome.result_import.pk,
            "message_id": header.message_id,
            "original_message_id": header.original_message_id,
            "version": header.version,
            "group_status": header.group_status,
            "covers": [list(c) for c in reading.covers],
            "set_aside": reading.set_aside,
            "transactions": transactions,
            "pending": outcome.pending,
            "name_checks": checks,
        },
    )


def status_report_import(
    *,
    actor: User,
    cycle: Cycle,
    path: Path,
    sha256: str,
    file_name: str = "",
    progress: Callable[[str, int, int], None] | None = None,
) -> ResultsOutcome:
    """Apply a pain.002 status report (.001.03, .10, .11 and bank flavours) to ``cycle``, whole
    or not at all; the same file again changes nothing."""
    require_perm(actor, Perm.PAYMENT_RESULTS)
    header = _header(path)
    sent = _sent(cycle, header.original_message_id)
    issues: list[Issue] = []
    reading = _Reading(sent, set(ReturnReason.objects.values_list("code", flat=True)), issues)
    report = iso20022.Pain002Report(path)
    try:
        with transaction.atomic():
            outcome = results_apply(
                actor=actor,
                cycle=cycle,
                rows=reading.rows(report),
                sha256=sha256,
                source="pain002",
                file_name=file_name or path.name,
                parse_issues=issues,
                batch_id=sent.batch_ids,
                progress=progress,
                covers=reading.covers,
                allow_empty=True,
                report={
                    "message_id": header.message_id[:35],
                    "original_message_id": header.original_message_id[:35],
                    "group_status": header.group_status[:4],
                },
            )
            if outcome.already_applied:
                return outcome
            checks = _store_name_checks(outcome.result_import, cycle, reading.name_checks)
            _audit(actor, cycle, header, outcome, reading, checks, report.transactions)
    except iso20022.Pain002Error as e:
        raise ImportFileError(
            _("The XML file is not a readable pain.002 status report: %(detail)s") % {"detail": e}
        ) from None
    return outcome
