"""Every payment-method version must name the change request it comes from (0005 makes the
column NOT NULL). Versions recorded before that rule (provider confirmation files applied
directly, demo data) get a request of source "legacy" that says so: no consent and no approver
are invented for them; the request records the account as it was and who recorded it."""

from django.db import migrations
from django.utils import timezone

NOTE = ("Recorded before every change of payment method needed a change request "
        "(migration payment_methods 0004): no consent or approval was recorded.")


def forward(apps, schema_editor):
    PaymentMethod = apps.get_model("payment_methods", "PaymentMethod")
    ChangeRequest = apps.get_model("payment_methods", "ChangeRequest")
    now = timezone.now()
    orphans = (PaymentMethod.objects.filter(change_request__isnull=True)
               .select_related("account").order_by("pk"))
    batch = []
    for pm in orphans.iterator(chunk_size=2000):
        acc = pm.account
        cr = ChangeRequest(
            beneficiary_id=pm.beneficiary_id, status="approved", source="legacy",
            method=pm.method, provider_id=acc.provider_id if acc else None,
            number_encrypted=acc.number_encrypted if acc else "",
            number_index=acc.number_index if acc else "",
            number_last4=acc.number_last4 if acc else "",
            holder_name=acc.holder_name if acc else "", home_reason=pm.home_reason,
            payee_representative_id=pm.payee_representative_id, maker_id=pm.created_by_id,
            decided_at=now, decision_note=NOTE, effective_month=pm.effective_month,
            created_at=pm.created_at)
        batch.append((pm, cr))
        if len(batch) >= 2000:
            _flush(PaymentMethod, ChangeRequest, batch)
            batch = []
    if batch:
        _flush(PaymentMethod, ChangeRequest, batch)


def _flush(PaymentMethod, ChangeRequest, batch):
    ChangeRequest.objects.bulk_create([cr for _pm, cr in batch])
    for pm, cr in batch:
        pm.change_request_id = cr.pk
    PaymentMethod.objects.bulk_update([pm for pm, _cr in batch], ["change_request"])


class Migration(migrations.Migration):
    dependencies = [("payment_methods", "0003_change_request_submitter_and_account_notices")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
