"""What chitra sent to the banks as pain.001, for checking their answers against it: the
messages and their PmtInf blocks (`PaymentFile.message_id`, `payment_blocks`), a block's
lines, and the batch a reference quoted by a bank names. Not reads for a user (no actor): the
callers (results and statement imports) have checked the actor's rights on the province."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from chitra.disbursement.models import Batch, LineStatus, PaymentFile, PayrollLine


def sent_messages(*, province_id: int) -> dict[str, dict[str, Any]]:
    """What chitra sent to the banks of a province as pain.001, by message id (`MsgId`), for
    checking a pain.002 against it (`OrgnlMsgId`, `OrgnlPmtInfId`) and expanding a group- or
    block-level answer to its lines (see the module doc for the scope).

    ``{msg_id: {"file_id", "file_name", "batch_id", "batch_reference", "cycle_id",
    "count", "total", "blocks": {pmt_inf_id: {"pmt_inf_id", "batch_id",
    "category_purpose", "count", "total"}}}}``. A block's lines are the batch's lines not
    cancelled before release whose benefit falls in its category purpose
    (`files.category_of`); the file's are all the batch's lines not cancelled. Files written
    before message ids were kept are not listed.
    """
    rows = (
        PaymentFile.objects.filter(
            kind=PaymentFile.Kind.PAIN001,
            message_id__isnull=False,
            batch__cycle__province_id=province_id,
        )
        .select_related("batch")
        .order_by("pk")
    )
    return {
        pf.message_id: {
            "file_id": pf.pk,
            "file_name": pf.name,
            "batch_id": pf.batch_id,
            "batch_reference": pf.batch.reference,
            "cycle_id": pf.batch.cycle_id,
            "count": pf.rows,
            "total": pf.amount,
            "blocks": {b["pmt_inf_id"]: b for b in pf.payment_blocks},
        }
        for pf in rows
        if pf.message_id
    }


def sent_block_lines(block: dict[str, Any]) -> QuerySet[PayrollLine]:
    """The lines a block of `sent_messages` carried: its batch's lines not cancelled whose
    benefit falls in the block's category purpose (all of the batch's for a block written
    without one)."""
    from chitra.disbursement.files import category_of
    from chitra.registry.models import BenefitType

    qs = PayrollLine.objects.filter(batch_id=block["batch_id"]).exclude(status=LineStatus.CANCELLED)
    purpose = block.get("category_purpose")
    if purpose:
        qs = qs.filter(
            benefit_type__in=[b for b in BenefitType.values if category_of(b) == purpose]
        )
    return qs


def sent_references(refs: list[str], *, province_id: int) -> dict[str, tuple[Batch, Any]]:
    """The province's batches that references quoted by a bank name, with the block when the
    reference is a `PmtInfId`: ``{ref: (batch, block or None)}``. A reference is a pain.001's
    `MsgId` (the whole batch), one of its `PmtInfId` (that block: see `sent_messages`), or a
    batch reference (files written before message ids were kept used it for both)."""
    wanted = set(refs)
    if not wanted:
        return {}
    # a PmtInfId is "<batch reference, 30 chars>-<category purpose>"
    stems = {r.rpartition("-")[0] for r in wanted if "-" in r}
    found: dict[str, tuple[Batch, Any]] = {
        b.reference: (b, None)
        for b in Batch.objects.filter(reference__in=sorted(wanted), cycle__province_id=province_id)
    }
    sent = (
        PaymentFile.objects.filter(
            kind=PaymentFile.Kind.PAIN001, batch__cycle__province_id=province_id
        )
        .filter(Q(message_id__in=sorted(wanted)) | Q(batch__reference__in=sorted(stems)))
        .select_related("batch")
    )
    for pf in sent:
        if pf.message_id in wanted:
            found[pf.message_id] = (pf.batch, None)
        for block in pf.payment_blocks:
            if block["pmt_inf_id"] in wanted:
                found[block["pmt_inf_id"]] = (pf.batch, block)
    return found
