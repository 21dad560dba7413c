from __future__ import annotations

from django.contrib import admin

from chitra.core.admin import ReadOnlyAdmin
from chitra.disbursement.models import (
    Batch,
    Cycle,
    G2PMessage,
    PaymentFile,
    ProviderProfile,
    ReturnReason,
)


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ["month", "province", "status", "line_count", "total_amount"]
    list_filter = ["status", "province"]


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "cycle",
        "provider",
        "channel",
        "status",
        "declared_count",
        "declared_amount",
    ]
    list_filter = ["status", "channel"]


@admin.register(PaymentFile)
class PaymentFileAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "rows", "amount", "sha256"]


@admin.register(ReturnReason)
class ReturnReasonAdmin(ReadOnlyAdmin):
    list_display = ["code", "label", "action", "closes_account"]


@admin.register(ProviderProfile)
class ProviderProfileAdmin(ReadOnlyAdmin):
    list_display = ["provider", "formats", "exchange", "g2p_base_url", "g2p_receiver_id"]


@admin.register(G2PMessage)
class G2PMessageAdmin(ReadOnlyAdmin):
    list_display = [
        "at",
        "direction",
        "provider",
        "action",
        "message_id",
        "transaction_id",
        "status",
        "ack_status",
        "lines",
        "pending",
    ]
    list_filter = ["direction", "action", "ack_status"]
