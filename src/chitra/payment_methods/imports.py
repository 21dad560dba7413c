"""Provider confirmation files (and the same rows pushed through the API): accounts opened,
confirmed or closed at a bank, Vietnam Post, a mobile-money provider or an e-wallet.

Reading follows the beneficiary import (engine.account_rows); applying is one transaction,
rolled back on --dry-run, and re-applying the same rows changes nothing."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core import crypto
from chitra.core.access import Perm, commune_in_scope, has_perm
from chitra.core.audit import AuditRow, audit_bulk, audit_record
from chitra.core.errors import ChitraError, ImportFileError, header_error_text, table_error_text
from chitra.core.uploads import read_limits
from chitra.engine.account_rows import (
    ACCOUNT_FIELDS,
    AccountRecord,
    ProviderRef,
    parse_account_grid,
)
from chitra.engine.account_rows import REQUIRED as ACCOUNT_REQUIRED
from chitra.engine.beneficiary_rows import Issue, RejectedRow
from chitra.engine.headers import HeaderError
from chitra.engine.tabular import HeaderSpec, TableReadError, read_grid
from chitra.iam.models import PROVIDER_KINDS
from chitra.payment_methods.models import Account, PaymentMethod, Provider
from chitra.payment_methods.services import first_open_payment_month, payee_names
from chitra.registry.models import Beneficiary

if TYPE_CHECKING:
    from chitra.iam.models import User


ProviderKindName = Literal["bank", "post", "mobile_money", "ewallet"]


@dataclass
class AccountImportSummary:
    rows: int = 0
    applied: int = 0
    unchanged: int = 0
    rejected_rows: list[RejectedRow] = field(default_factory=list)
    dry_run: bool = False

    @property
    def rejected(self) -> int:
        return len(self.rejected_rows)

    def line(self) -> str:
        return (f"rows={self.rows} applied={self.applied} unchanged={self.unchanged} "
                f"rejected={self.rejected}")


def provider_refs() -> list[ProviderRef]:
    refs = []
    for p in Provider.objects.filter(is_active=True):
        names = [p.short_code, p.short_name, p.name, p.swift_code,
                 *[a for a in p.aliases.split(";") if a]]
        refs.append(ProviderRef(code=p.code, kind=cast(ProviderKindName, p.kind),
                                names=[n for n in names if n]))
    return refs


def account_import(*, actor: User, path: Path | str, sheet: str | None = None,
                   dry_run: bool = False) -> AccountImportSummary:
    path = Path(path)
    _require(actor)
    try:
        grid = read_grid(path, sheet=sheet, limits=read_limits(),
                         header=HeaderSpec(ACCOUNT_FIELDS, ACCOUNT_REQUIRED))
    except TableReadError as exc:
        raise ImportFileError(_("Cannot read the file %(name)s: %(detail)s")
                              % {"name": path.name, "detail": table_error_text(exc)}) from exc
    try:
        parsed = parse_account_grid(grid, provider_refs(), today=timezone.localdate(),
                                    max_cell_chars=settings.CHITRA_IMPORT_MAX_CELL_CHARS)
    except HeaderError as exc:
        raise ImportFileError(header_error_text(exc, grid.sheet_name)) from exc
    summary = AccountImportSummary(rows=parsed.total_rows, dry_run=dry_run,
                                   rejected_rows=list(parsed.rejected))
    account_records_apply(actor=actor, records=parsed.records, summary=summary,
                          dry_run=dry_run, source=path.name)
    for rej in summary.rejected_rows:
        if not rej.cells and 0 < rej.sheet_row <= len(grid.rows):
            rej.cells = list(grid.rows[rej.sheet_row - 1])
    summary.rejected_rows.sort(key=lambda r: r.sheet_row)
    return summary


def _require(actor: User) -> None:
    org = actor.organisation
    if not (has_perm(actor, Perm.REGISTRY_IMPORT)
            or (org is not None and org.kind in PROVIDER_KINDS and org.provider_code)):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You may not import account files."))


def account_records_apply(*, actor: User, records: Sequence[AccountRecord],
                          summary: AccountImportSummary, dry_run: bool = False,
                          source: str = "") -> AccountImportSummary:
    """Apply account rows: each active one becomes the person's verified payment method from
    the first open payment month; closed ones are closed. Whole or nothing."""
    _require(actor)
    org = actor.organisation
    own_provider = org.provider_code if org is not None and org.kind in PROVIDER_KINDS else None
    providers = {p.code: p for p in Provider.objects.all()}
    today = timezone.localdate()
    month = first_open_payment_month(today)
    now = timezone.now()

    def reject(rec: AccountRecord, column: str, value: str, code: str, expected: str) -> None:
        summary.rejected_rows.append(RejectedRow(
            sheet_row=rec.sheet_row, data_row=rec.data_row, cells=[],
            issues=[Issue(rec.sheet_row, column, value, code, expected)]))

    pids = sorted({r.personal_id for r in records})
    bens = {b.personal_id: b for b in Beneficiary.objects.filter(personal_id__in=pids)
            .prefetch_related("representatives")}
    audit_rows: list[AuditRow] = []
    with transaction.atomic():
        for rec in records:
            ben = bens.get(rec.personal_id)
            if ben is None or ben.status in (Beneficiary.Status.DECEASED,
                                             Beneficiary.Status.INACTIVE):
                reject(rec, "personal_id", rec.personal_id, "beneficiary_unknown",
                       "the personal ID of a living beneficiary of the registry")
                continue
            if own_provider is not None:
                if rec.provider_code != own_provider:
                    reject(rec, "provider", rec.provider_code, "provider_not_yours",
                           "your own organisation's accounts")
                    continue
                if actor.area_province_id and ben.commune.province_id != actor.area_province_id:
                    reject(rec, "personal_id", rec.personal_id, "beneficiary_out_of_scope",
                           "a beneficiary of your area")
                    continue
            elif not commune_in_scope(actor, ben.commune_id):
                reject(rec, "personal_id", rec.personal_id, "beneficiary_out_of_scope",
                       "a beneficiary of your area")
                continue
            names = payee_names(ben, today)
            if rec.holder_folded not in names:
                reject(rec, "holder_name", rec.holder_name, "holder_name_mismatch",
                       ben.full_name)
                continue
            provider = providers[rec.provider_code]
            number = rec.address
            index = crypto.blind_index(f"{rec.method}:{provider.code}", number)
            acc = Account.objects.filter(beneficiary=ben, provider=provider,
                                         number_index=index).first()
            changed = False
            if acc is None:
                acc = Account.objects.create(
                    beneficiary=ben, representative=names[rec.holder_folded], provider=provider,
                    method=rec.method, number_encrypted=crypto.encrypt(number),
                    number_index=index, number_last4=number[-4:], holder_name=rec.holder_name,
                    status=Account.Status.VERIFIED if rec.status == "active"
                    else Account.Status.CLOSED,
                    verified_at=now if rec.status == "active" else None,
                    closed_at=now if rec.status == "closed" else None)
                audit_rows.append(AuditRow("payment_methods.account", acc.pk, str(acc), None,
                                           {"status": acc.status, "provider": provider.code,
                                            "number": acc.masked_number}))
                changed = True
            else:
                want = Account.Status.VERIFIED if rec.status == "active" else \
                    Account.Status.CLOSED
                if acc.status != want:
                    before = {"status": acc.status}
                    acc.status = want
                    if want == Account.Status.VERIFIED:
                        acc.verified_at, acc.closed_at = now, None
                    else:
                        acc.closed_at = now
                    acc.save()
                    audit_rows.append(AuditRow("payment_methods.account", acc.pk, str(acc),
                                               before, {"status": acc.status}))
                    changed = True
            if acc.status == Account.Status.VERIFIED:
                if Account.objects.filter(number_index=index).exclude(beneficiary=ben).exists():
                    Account.objects.filter(number_index=index).update(shared_flag=True)
                current = (PaymentMethod.objects.filter(beneficiary=ben,
                                                        effective_month__lte=month)
                           .order_by("-effective_month").first())
                if current is None or current.account_id != acc.pk:
                    pm, _created = PaymentMethod.objects.update_or_create(
                        beneficiary=ben, effective_month=month,
                        defaults={"method": rec.method, "account": acc, "home_reason": "",
                                  "payee_representative": acc.representative,
                                  "change_request": None, "created_by": actor})
                    audit_rows.append(AuditRow(
                        "payment_methods.paymentmethod", pm.pk, str(pm),
                        {"method": current.method if current else "CASH_PAY_POINT"},
                        {"method": pm.method, "account": acc.pk,
                         "effective_month": month.isoformat()}))
                    changed = True
            if changed:
                summary.applied += 1
            else:
                summary.unchanged += 1
        audit_bulk(actor, "payment.account_import.row", audit_rows, reason=source)
        audit_record(actor, "payment.account_import", object_type="payment.account_import",
                     object_repr=source, after={"rows": summary.rows, "applied": summary.applied,
                                                "unchanged": summary.unchanged,
                                                "rejected": summary.rejected})
        if dry_run:
            transaction.set_rollback(True)
    return summary


def records_from_api(rows: Iterable[dict[str, Any]]) -> tuple[list[AccountRecord],
                                                                list[RejectedRow]]:
    """API rows (personal_id, provider_code, account_number|phone|wallet_id, holder_name,
    status) through the same validation as files: they are laid out as a grid and parsed."""
    from chitra.engine.tabular import Grid

    header = ["Số CCCD", "Mã ngân hàng", "Nhà cung cấp", "Số tài khoản", "Số điện thoại",
              "Số ví", "Tên chủ tài khoản", "Trạng thái"]
    kinds = {p.code: p.kind for p in Provider.objects.all()}
    grid_rows: list[list[object | None]] = [list(header)]
    for row in rows:
        code = str(row.get("provider_code", ""))
        bank = code if kinds.get(code) == "bank" else None
        other = None if bank else code
        grid_rows.append([row.get("personal_id"), bank, other, row.get("account_number"),
                          row.get("phone"), row.get("wallet_id"), row.get("holder_name"),
                          row.get("status") or "active"])
    grid = Grid(rows=grid_rows, sheet_name=None, sheet_names=[])
    try:
        parsed = parse_account_grid(grid, provider_refs(), today=timezone.localdate(),
                                    max_cell_chars=settings.CHITRA_IMPORT_MAX_CELL_CHARS)
    except HeaderError as exc:  # pragma: no cover - the header above is fixed
        raise ChitraError(str(exc)) from exc
    return parsed.records, parsed.rejected
