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
from chitra.core.audit import AuditRow, audit_bulk, audit_record
from chitra.core.errors import ChitraError, ImportFileError, header_error_text, table_error_text
from chitra.core.uploads import read_limits
from chitra.engine.rows.account import (
    ACCOUNT_FIELDS,
    AccountRecord,
    ProviderRef,
    parse_account_grid,
)
from chitra.engine.rows.account import REQUIRED as ACCOUNT_REQUIRED
from chitra.engine.rows.beneficiary import RejectedRow
from chitra.engine.sheets.headers import HeaderError
from chitra.engine.sheets.reading import HeaderSpec, TableReadError, read_grid
from chitra.geo.models import Province
from chitra.iam.access import Perm, commune_in_scope, has_perm
from chitra.iam.models import PROVIDER_KINDS
from chitra.kernel.issues import issue
from chitra.kernel.names import fold_name
from chitra.payment_methods.models import Account, AccountNotice, ChangeRequest, Provider
from chitra.payment_methods.services import normalise_account, payee_names
from chitra.registry.models import Beneficiary

if TYPE_CHECKING:
    from chitra.iam.models import User


ProviderKindName = Literal["bank", "post", "mobile_money", "ewallet"]


#: what the caller is told about a row (and counted in the summary)
TOLD = ("confirmed", "closed", "unchanged", "drafts", "received")


@dataclass
class RowAnswer:
    """The answer about one row: `status` is one of TOLD (singular "draft" for drafts)."""

    sheet_row: int
    status: str
    notice_id: int | None = None
    name_check: str = ""


@dataclass
class AccountImportSummary:
    """Counts of an account file or push. `received` rows are those a provider is told nothing
    more about (an unknown personal ID, a person who is not its customer, a draft request it
    opened): the same word for all, so that a provider never learns whether a person exists."""

    rows: int = 0
    confirmed: int = 0
    closed: int = 0
    unchanged: int = 0
    drafts: int = 0
    received: int = 0
    rejected_rows: list[RejectedRow] = field(default_factory=list)
    answers: list[RowAnswer] = field(default_factory=list)
    dry_run: bool = False
    provider_view: bool = False

    @property
    def rejected(self) -> int:
        return len(self.rejected_rows)

    def count(self, answer: RowAnswer) -> None:
        self.answers.append(answer)
        key = {
            "confirmed": "confirmed",
            "closed": "closed",
            "unchanged": "unchanged",
            "draft": "drafts",
            "received": "received",
        }[answer.status]
        setattr(self, key, getattr(self, key) + 1)

    def line(self) -> str:
        if self.provider_view:
            return (
                f"rows={self.rows} confirmed={self.confirmed} closed={self.closed} "
                f"unchanged={self.unchanged} received={self.received} "
                f"rejected={self.rejected}"
            )
        return (
            f"rows={self.rows} confirmed={self.confirmed} closed={self.closed} "
            f"drafts={self.drafts} unchanged={self.unchanged} rejected={self.rejected}"
        )


def provider_refs() -> list[ProviderRef]:
    refs = []
    for p in Provider.objects.filter(is_active=True):
        names = [
            p.short_code,
            p.short_name,
            p.name,
            p.swift_code,
            *[a for a in p.aliases.split(";") if a],
        ]
        refs.append(
            ProviderRef(
                code=p.code, kind=cast(ProviderKindName, p.kind), names=[n for n in names if n]
            )
        )
    return refs


def account_import(
    *, actor: User, path: Path | str, sheet: str | None = None, dry_run: bool = False
) -> AccountImportSummary:
    path = Path(path)
    _require(actor)
    try:
        grid = read_grid(
            path,
            sheet=sheet,
            limits=read_limits(),
            header=HeaderSpec(ACCOUNT_FIELDS, ACCOUNT_REQUIRED),
        )
    except TableReadError as exc:
        raise ImportFileError(
            _("Cannot read the file %(name)s: %(detail)s")
            % {"name": path.name, "detail": table_error_text(exc)}
        ) from exc
    try:
        parsed = parse_account_grid(
            grid,
            provider_refs(),
            today=timezone.localdate(),
            max_cell_chars=settings.CHITRA_IMPORT_MAX_CELL_CHARS,
        )
    except HeaderError as exc:
        raise ImportFileError(header_error_text(exc, grid.sheet_name)) from exc
    summary = AccountImportSummary(
        rows=parsed.total_rows, dry_run=dry_run, rejected_rows=list(parsed.rejected)
    )
    account_records_apply(
        actor=actor, records=parsed.records, summary=summary, dry_run=dry_run, source=path.name
    )
    for rej in summary.rejected_rows:
        if not rej.cells and 0 < rej.sheet_row <= len(grid.rows):
            rej.cells = list(grid.rows[rej.sheet_row - 1])
    summary.rejected_rows.sort(key=lambda r: r.sheet_row)
    return summary


def _require(actor: User) -> None:
    """BHXH officers of the registry, and a provider's officers (an active organisation with
    its provider code)."""
    org = actor.organisation
    if not (
        has_perm(actor, Perm.REGISTRY_IMPORT)
        or (has_perm(actor, Perm.ACCOUNT_CONFIRM) and org is not None and org.provider_code)
    ):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You may not import account files."))


@dataclass(frozen=True)
class ConsentClaim:
    """The consent a provider says it took (kept on the draft for BHXH to check)."""

    date: Any = None
    channel: str = ""
    witness: str = ""


def account_records_apply(
    *,
    actor: User,
    records: Sequence[AccountRecord],
    summary: AccountImportSummary,
    dry_run: bool = False,
    source: str = "",
    channel: str = "file",
    consent: ConsentClaim | None = None,
) -> AccountImportSummary:
    """Apply the rows of a provider's account file (or API push). Whole or nothing; applying the
    same rows again changes nothing. No row ever sets a payment method, and only rows sent by
    the provider's own users confirm anything (a file a BHXH officer imports opens drafts and
    closes accounts, it never vouches for who holds an account):

    - an account of that person at that provider (created when BHXH approved a request) is
      confirmed (verified) or closed;
    - a pending change request naming that person, that provider and that account gets the
      provider's confirmation (its approver sees it);
    - anything else opens a DRAFT change request (the provider's confirmation on it) that BHXH
      completes with the person's consent and a different approver decides.

    Every row is kept as an AccountNotice. A provider is told "confirmed", "closed" or
    "unchanged" only about requests and accounts it may see (not the drafts it opened itself);
    every other row is "received", whether or not the personal ID exists."""
    from chitra.payment_methods.services import change_request_create

    _require(actor)
    org = actor.organisation
    own_provider = org.provider_code if org is not None and org.kind in PROVIDER_KINDS else None
    summary.provider_view = own_provider is not None
    run = _AccountImport(
        actor=actor,
        summary=summary,
        own_provider=own_provider,
        providers={p.code: p for p in Provider.objects.all()},
        today=timezone.localdate(),
        now=timezone.now(),
        default_province=_import_province(actor),
        channel=channel,
        source=source,
        consent=consent,
        create=change_request_create,
    )
    run.bens = _beneficiaries_of(records)
    with transaction.atomic():
        for rec in records:
            run.row(rec)
        run.audit()
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _import_province(actor: User) -> int:
    """The province of an import's events: the actor's, else the default one."""
    default_province: int | None = (
        actor.area_province_id
        or Province.objects.filter(code=settings.CHITRA_DEFAULT_PROVINCE)
        .values_list("pk", flat=True)
        .first()
    )
    if default_province is None:
        raise ChitraError(_("No province for this import: set CHITRA_DEFAULT_PROVINCE."))
    return default_province


def _beneficiaries_of(records: Sequence[AccountRecord]) -> dict[str | None, Beneficiary]:
    pids = sorted({r.personal_id for r in records})
    return {
        b.personal_id: b
        for b in Beneficiary.objects.filter(personal_id__in=pids)
        .select_related("commune")
        .prefetch_related("representatives")
    }


@dataclass
class _AccountImport:
    """What the rows of one account import share (see `account_records_apply`)."""

    actor: User
    summary: AccountImportSummary
    own_provider: str | None
    providers: dict[str, Provider]
    today: Any
    now: Any
    default_province: int
    channel: str
    source: str
    consent: ConsentClaim | None
    create: Any
    bens: dict[str | None, Beneficiary] = field(default_factory=dict)
    audit_rows: list[AuditRow] = field(default_factory=list)

    def audit(self) -> None:
        """The events of the rows, and one of the import with its counts."""
        actor, source, summary = self.actor, self.source, self.summary
        audit_bulk(actor, "payment.account_import.row", self.audit_rows, reason=source)
        audit_record(
            actor,
            "payment.account_import",
            object_type="payment.account_import",
            object_repr=source,
            province=self.default_province,
            after={
                "rows": summary.rows,
                "confirmed": summary.confirmed,
                "closed": summary.closed,
                "drafts": summary.drafts,
                "received": summary.received,
                "unchanged": summary.unchanged,
                "rejected": summary.rejected,
            },
        )

    def reject(self, rec: AccountRecord, column: str, value: str, code: str, expected: str) -> None:
        self.summary.rejected_rows.append(
            RejectedRow(
                sheet_row=rec.sheet_row,
                data_row=rec.data_row,
                cells=[],
                issues=[issue(rec.sheet_row, column, value, code, expected)],
            )
        )

    def in_area(self, ben: Beneficiary | None, provider: Provider, index: str) -> bool:
        """A beneficiary of the caller's area who is alive, or (to close or confirm it) who
        holds this very account at this provider: a provider's own customer, whose status it
        may read."""
        if ben is None:
            return False
        if ben.status in (Beneficiary.Status.DECEASED, Beneficiary.Status.INACTIVE) and not (
            Account.objects.filter(beneficiary=ben, provider=provider, number_index=index).exists()
        ):
            return False
        if self.own_provider is not None:
            return bool(self.actor.area_province_id) and (
                ben.commune.province_id == self.actor.area_province_id
            )
        return commune_in_scope(self.actor, ben.commune_id)

    def row(self, rec: AccountRecord) -> None:
        """Apply one row: rejected, or answered and kept as an AccountNotice."""
        own_provider = self.own_provider
        if own_provider is not None and rec.provider_code != own_provider:
            self.reject(
                rec,
                "provider",
                rec.provider_code,
                "provider_not_yours",
                "your own organisation's accounts",
            )
            return
        provider = self.providers[rec.provider_code]
        try:  # checked on the input alone, before anything is looked up
            number = normalise_account(rec.method, provider, rec.address).number
        except ChitraError as exc:
            self.reject(rec, "account_number", rec.address, "request_refused", str(exc))
            return
        index = crypto.blind_index(f"{rec.method}:{provider.code}", number)
        ben = self.bens.get(rec.personal_id)
        notice = self.notice(rec, provider, number, index, ben)
        answer = self.answer(rec, ben, provider, number, index, notice)
        if answer is None:
            return
        outcome, told = answer
        notice.outcome = outcome
        notice_id = self.keep(notice, outcome, provider, rec, index)
        self.summary.count(
            RowAnswer(
                rec.sheet_row,
                told,
                notice_id,
                notice.name_check if told in ("confirmed", "draft") else "",
            )
        )

    def notice(
        self,
        rec: AccountRecord,
        provider: Provider,
        number: str,
        index: str,
        ben: Beneficiary | None,
    ) -> AccountNotice:
        return AccountNotice(
            provider=provider,
            personal_id=rec.personal_id,
            method=rec.method,
            number_encrypted=crypto.encrypt(number),
            number_index=index,
            number_last4=number[-4:],
            holder_name=rec.holder_name,
            reported_status=rec.status,
            channel=self.channel,
            source_name=self.source[:255],
            sheet_row=rec.sheet_row,
            created_by=self.actor,
            province_id=(
                ben.commune.province_id
                if ben is not None and self.own_provider is None
                else self.default_province
            ),
        )

    def answer(
        self,
        rec: AccountRecord,
        ben: Beneficiary | None,
        provider: Provider,
        number: str,
        index: str,
        notice: AccountNotice,
    ) -> tuple[str, str] | None:
        """(outcome, what the caller is told), or None for a row rejected."""
        if not self.in_area(ben, provider, index):
            if self.own_provider is None:
                # one answer for an unknown ID and for a person outside the officer's area
                self.reject(
                    rec,
                    "personal_id",
                    rec.personal_id,
                    "beneficiary_unknown",
                    "the personal ID of a living beneficiary of your area",
                )
                return None
            return str(AccountNotice.Outcome.NO_MATCH), "received"
        assert ben is not None
        notice.beneficiary = ben
        try:
            outcome, told = _apply_row(
                actor=self.actor,
                rec=rec,
                ben=ben,
                provider=provider,
                number=number,
                index=index,
                notice=notice,
                own_provider=self.own_provider,
                today=self.today,
                now=self.now,
                audit_rows=self.audit_rows,
                create=self.create,
                consent=self.consent,
            )
        except _RowRefused as exc:
            self.reject(rec, "account_number", rec.address, "request_refused", str(exc))
            return None
        if told == "rejected":
            self.reject(
                rec,
                "holder_name",
                rec.holder_name,
                "holder_name_mismatch",
                "the account holder of the request or account",
            )
            return None
        return outcome, told

    @staticmethod
    def keep(
        notice: AccountNotice, outcome: str, provider: Provider, rec: AccountRecord, index: str
    ) -> int | None:
        """Save the notice (None for the same row again: nothing new to keep)."""
        if (
            outcome in _REPEATABLE
            and AccountNotice.objects.filter(
                provider=provider,
                personal_id=rec.personal_id,
                number_index=index,
                reported_status=rec.status,
                holder_name=rec.holder_name,
            ).exists()
        ):
            return None
        notice.save()
        return notice.pk


#: outcomes that a repeated row gives again (no new notice is kept for them)
_REPEATABLE = frozenset(
    {
        AccountNotice.Outcome.UNCHANGED,
        AccountNotice.Outcome.DRAFT_EXISTS,
        AccountNotice.Outcome.NO_MATCH,
    }
)


def _made_by_provider(cr: ChangeRequest) -> bool:
    org = cr.maker.organisation
    return org is not None and org.kind in PROVIDER_KINDS


class _RowRefused(Exception):
    """A row the change-request rules refuse (its message names only the caller's input)."""


def _apply_row(
    *,
    actor: User,
    rec: AccountRecord,
    ben: Beneficiary,
    provider: Provider,
    number: str,
    index: str,
    notice: AccountNotice,
    own_provider: str | None,
    today: Any,
    now: Any,
    audit_rows: list[AuditRow],
    create: Any,
    consent: ConsentClaim | None,
) -> tuple[str, str]:
    """(outcome, what the caller is told) for a row about a beneficiary of the caller's area."""
    out = AccountNotice.Outcome
    names = payee_names(ben, today)
    name_ok = rec.holder_folded in names
    notice.name_check = (
        ChangeRequest.NameCheck.MATCH if name_ok else ChangeRequest.NameCheck.MISMATCH
    )
    living = ben.status not in (Beneficiary.Status.DECEASED, Beneficiary.Status.INACTIVE)
    mine, visible = _pending_requests(ben, provider, index, own_provider)
    acc = (
        Account.objects.select_for_update()
        .filter(beneficiary=ben, provider=provider, number_index=index)
        .first()
    )
    # an account already approved for the person, and still live
    if acc is not None and acc.status != Account.Status.CLOSED:
        return _live_account(actor, rec, ben, acc, notice, own_provider, name_ok, now, audit_rows)
    if not living or rec.status == "closed":
        return _nothing_live(rec, acc, notice, own_provider, living)
    cr = visible[0] if visible else None
    if cr is not None and own_provider is None:  # an officer's file confirms nothing
        notice.change_request = cr
        return out.UNCHANGED, "unchanged"
    if cr is not None:
        return _confirm_request(actor, rec, ben, cr, notice, now, audit_rows)
    own = mine[0] if mine else None
    if own is not None:
        notice.change_request = own
        return out.DRAFT_EXISTS, "received"
    return _open_draft(
        actor, rec, ben, provider, number, notice, own_provider, acc, names, create, consent
    )


def _pending_requests(
    ben: Beneficiary, provider: Provider, index: str, own_provider: str | None
) -> tuple[list[ChangeRequest], list[ChangeRequest]]:
    """(the provider's own pending requests for this account, the others), locked, newest
    first. What the provider may see: its accounts, and requests naming it that it did not
    open itself (its own ones only once approved)."""
    pending = list(
        ChangeRequest.objects.filter(
            beneficiary=ben,
            provider=provider,
            number_index=index,
            status__in=[ChangeRequest.Status.DRAFT, ChangeRequest.Status.SUBMITTED],
        )
        .select_for_update(of=("self",))
        .select_related("maker__organisation")
        .order_by("-created_at", "-id")
    )
    # requests a provider made itself (any of its organisations: branches share its code)
    # are not its to see before approval; those BHXH or outreach made into its accounts are
    mine = [c for c in pending if own_provider is not None and _made_by_provider(c)]
    return mine, [c for c in pending if c not in mine]


def _nothing_live(
    rec: AccountRecord,
    acc: Account | None,
    notice: AccountNotice,
    own_provider: str | None,
    living: bool,
) -> tuple[str, str]:
    """A row for a person no longer living, or closing an account that is not live."""
    out = AccountNotice.Outcome
    if not living:  # a deceased person's account: closed or confirmed, never a new request
        if acc is not None:
            notice.account = acc
        return out.UNCHANGED, "unchanged"
    # nothing live to close: an unknown account, or one closed already
    if acc is not None:
        notice.account = acc
        return out.UNCHANGED, "unchanged"
    return out.UNCHANGED, "received" if own_provider is not None else "unchanged"


def _live_account(
    actor: User,
    rec: AccountRecord,
    ben: Beneficiary,
    acc: Account,
    notice: AccountNotice,
    own_provider: str | None,
    name_ok: bool,
    now: Any,
    audit_rows: list[AuditRow],
) -> tuple[str, str]:
    """A row about a live account of the person: closed, confirmed (verified) or unchanged."""
    out = AccountNotice.Outcome
    notice.account = acc
    if rec.status == "closed":
        before = {"status": acc.status}
        acc.status, acc.closed_at = Account.Status.CLOSED, now
        acc.save(update_fields=["status", "closed_at", "updated_at"])
        audit_rows.append(
            AuditRow(
                "payment_methods.account",
                acc.pk,
                str(acc),
                before,
                {"status": acc.status, "by": "provider"},
            )
        )
        return out.CLOSED_ACCOUNT, "closed"
    if fold_name(acc.holder_name) != rec.holder_folded and not name_ok:
        return "", "rejected"
    if acc.status == Account.Status.VERIFIED or own_provider is None:
        # only the provider's own word verifies an account (its users: API or file); a
        # file a BHXH officer imports can close one, never vouch for who holds it
        return out.UNCHANGED, "unchanged"
    before = {"status": acc.status}
    acc.status, acc.verified_at = Account.Status.VERIFIED, now
    acc.save(update_fields=["status", "verified_at", "updated_at"])
    audit_rows.append(
        AuditRow(
            "payment_methods.account",
            acc.pk,
            str(acc),
            before,
            {"status": acc.status, "by": "provider"},
        )
    )
    if acc.representative_id is None:
        _provider_saw(actor, ben, rec, now, f"account {acc.pk}")
    return out.VERIFIED_ACCOUNT, "confirmed"


def _confirm_request(
    actor: User,
    rec: AccountRecord,
    ben: Beneficiary,
    cr: ChangeRequest,
    notice: AccountNotice,
    now: Any,
    audit_rows: list[AuditRow],
) -> tuple[str, str]:
    """The provider's confirmation on a pending request naming this account."""
    out = AccountNotice.Outcome
    notice.change_request = cr
    holder = " ".join(rec.holder_name.split())
    if cr.provider_confirmed_at is not None and cr.provider_holder_name == holder:
        return out.UNCHANGED, "unchanged"
    was: dict[str, Any] = {
        "provider_confirmed_at": cr.provider_confirmed_at,
        "provider_holder_name": cr.provider_holder_name,
    }
    cr.provider_confirmed_at, cr.provider_holder_name = now, holder
    cr.save(update_fields=["provider_confirmed_at", "provider_holder_name", "updated_at"])
    audit_rows.append(
        AuditRow(
            "payment_methods.changerequest",
            cr.pk,
            str(cr),
            was,
            {"provider_confirmed_at": now, "provider_holder_name": holder},
        )
    )
    if cr.payee_representative_id is None:
        _provider_saw(actor, ben, rec, now, f"request {cr.pk}")
    return out.CONFIRMED_REQUEST, "confirmed"


def _open_draft(
    actor: User,
    rec: AccountRecord,
    ben: Beneficiary,
    provider: Provider,
    number: str,
    notice: AccountNotice,
    own_provider: str | None,
    acc: Account | None,
    names: Any,
    create: Any,
    consent: ConsentClaim | None,
) -> tuple[str, str]:
    """A DRAFT change request for an account nobody asked for yet (BHXH completes it)."""
    out = AccountNotice.Outcome
    if acc is not None:  # a closed account said to be active again: BHXH decides
        notice.account = acc
    claim = consent or ConsentClaim()
    try:
        cr = create(
            actor=actor,
            beneficiary=ben,
            method=rec.method,
            source=ChangeRequest.Source.BANK,
            provider=provider,
            number=number,
            holder_name=rec.holder_name,
            payee_representative=names.get(rec.holder_folded),
            consent_date=claim.date if own_provider is not None else None,
            consent_channel=claim.channel if own_provider is not None else "",
            consent_witness=claim.witness if own_provider is not None else "",
            # the provider's confirmation only when the provider itself says so
            provider_holder_name=rec.holder_name if own_provider is not None else "",
        )
    except ChitraError as exc:
        raise _RowRefused(str(exc)) from exc
    notice.change_request = cr
    return out.DRAFT_OPENED, "received" if own_provider is not None else "draft"


def _provider_saw(
    actor: User, ben: Beneficiary, rec: AccountRecord, now: Any, reference: str
) -> None:
    """The provider confirms that the person themself holds the account (its KYC saw them, with
    the chip ID card): a proof of life (ADR 0011). Not for a representative's account, and not
    for a draft the provider opened itself (that counts when BHXH approves it)."""
    from chitra.registry.models import ProofOfLifeSource
    from chitra.verification.proof_of_life import proof_of_life_record

    if rec.holder_folded == fold_name(ben.full_name):
        proof_of_life_record(
            actor=actor,
            on=timezone.localtime(now).date(),
            source=ProofOfLifeSource.PROVIDER,
            reference=reference,
            beneficiaries=ben,
        )


def records_from_api(
    rows: Iterable[dict[str, Any]],
) -> tuple[list[AccountRecord], list[RejectedRow]]:
    """API rows (personal_id, provider_code, account_number|phone|wallet_id, holder_name,
    status) through the same validation as files: they are laid out as a grid and parsed."""
    from chitra.engine.sheets.reading import Grid

    header = [
        "Số CCCD",
        "Mã ngân hàng",
        "Nhà cung cấp",
        "Số tài khoản",
        "Số điện thoại",
        "Số ví",
        "Tên chủ tài khoản",
        "Trạng thái",
    ]
    kinds = {p.code: p.kind for p in Provider.objects.all()}
    grid_rows: list[list[object | None]] = [list(header)]
    for row in rows:
        code = str(row.get("provider_code", ""))
        bank = code if kinds.get(code) == "bank" else None
        other = None if bank else code
        grid_rows.append(
            [
                row.get("personal_id"),
                bank,
                other,
                row.get("account_number"),
                row.get("phone"),
                row.get("wallet_id"),
                row.get("holder_name"),
                row.get("status") or "active",
            ]
        )
    grid = Grid(rows=grid_rows, sheet_name=None, sheet_names=[])
    try:
        parsed = parse_account_grid(
            grid,
            provider_refs(),
            today=timezone.localdate(),
            max_cell_chars=settings.CHITRA_IMPORT_MAX_CELL_CHARS,
        )
    except HeaderError as exc:  # pragma: no cover - the header above is fixed
        raise ChitraError(str(exc)) from exc
    return parsed.records, parsed.rejected
