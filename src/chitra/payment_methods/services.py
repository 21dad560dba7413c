"""Writes to payment methods: change requests with consent (maker / checker), accounts
(encrypted, blind-indexed, name-checked), payment-method versions, full-number views."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core import crypto
from chitra.core.audit import audit_record
from chitra.core.errors import ChitraError
from chitra.core.notify import notify
from chitra.core.states import require_transition
from chitra.engine.sheets.values import ValueProblem, parse_phone
from chitra.iam.access import Perm, require_perm
from chitra.iam.models import PROVIDER_KINDS
from chitra.kernel.names import fold_name
from chitra.payment_methods.inquiry import InquiryTimeout, get_inquiry
from chitra.payment_methods.models import (
    ACCOUNT_METHODS,
    CHANGE_REQUEST,
    Account,
    AccountNotice,
    ChangeRequest,
    Method,
    PaymentMethod,
    Provider,
    ProviderKind,
)
from chitra.payment_methods.policy import (
    acts_for_provider,
    may_open_change_request,
    may_see_full_number,
)
from chitra.registry.models import Beneficiary, Representative
from chitra.registry.selectors import beneficiary_get
from chitra.registry.services import consent_record

if TYPE_CHECKING:
    from chitra.iam.models import User

_DIGITS = re.compile(r"^\d{6,19}$")
METHOD_PROVIDER_KIND = {
    Method.BANK_ACCOUNT: {ProviderKind.BANK},
    Method.MOBILE_MONEY: {ProviderKind.MOBILE_MONEY},
    Method.EWALLET: {ProviderKind.EWALLET},
}


def first_open_payment_month(
    today: dt.date | None = None, province_id: int | None = None
) -> dt.date:
    """The earliest payment month, from the current one, whose payment cycle is not frozen yet
    (a frozen cycle's snapshot is never changed by a later approval). Province: the given one,
    else the default province."""
    from chitra.geo.models import Province
    from chitra.payment_methods.ports import open_payment_month

    if province_id is None:
        province_id = (
            Province.objects.filter(code=settings.CHITRA_DEFAULT_PROVINCE)
            .values_list("pk", flat=True)
            .first()
        )
    return open_payment_month.get()(province_id, today)


@dataclass(frozen=True)
class AccountInput:
    """What identifies an account: a bank account number, or a phone / wallet id."""

    method: str
    provider: Provider
    number: str  # account number, E.164 phone, or wallet id

    @property
    def index(self) -> str:
        return crypto.blind_index(f"{self.method}:{self.provider.code}", self.number)


def normalise_account(method: str, provider: Provider, raw: str) -> AccountInput:
    """Validate an account reference for a method; raises ChitraError naming what is wrong."""
    if method not in ACCOUNT_METHODS:
        raise ChitraError(_("%(method)s is not paid into an account.") % {"method": method})
    if provider.kind not in METHOD_PROVIDER_KIND[Method(method)] or not provider.is_active:
        raise ChitraError(
            _("%(provider)s does not offer %(method)s.")
            % {"provider": provider, "method": Method(method).label}
        )
    text = re.sub(r"[\s.\-]", "", str(raw or ""))
    if method == Method.BANK_ACCOUNT:
        if not _DIGITS.match(text):
            raise ChitraError(
                _("Account number '%(value)s': expected 6 to 19 digits.") % {"value": raw}
            )
        return AccountInput(method, provider, text)
    if text.isdigit() or text.startswith("+"):
        try:
            return AccountInput(method, provider, parse_phone(text))
        except ValueProblem:
            if method == Method.MOBILE_MONEY:
                raise ChitraError(
                    _("Phone '%(value)s': expected a Vietnamese mobile number such as 0912345678.")
                    % {"value": raw}
                ) from None
    if method == Method.EWALLET and re.fullmatch(r"[A-Za-z0-9_]{4,40}", text):
        return AccountInput(method, provider, text)
    raise ChitraError(
        _("Wallet '%(value)s': expected a phone number or a wallet id.") % {"value": raw}
    )


def payee_names(beneficiary: Beneficiary, on: dt.date) -> dict[str, Representative | None]:
    """Folded names that may hold the account: the beneficiary's and valid representatives'."""
    names: dict[str, Representative | None] = {fold_name(beneficiary.full_name): None}
    for rep in beneficiary.representatives.all():
        if rep.is_valid_on(on):
            names.setdefault(fold_name(rep.full_name), rep)
    return names


def _name_check(
    beneficiary: Beneficiary, holder: str, payee: Representative | None, on: dt.date
) -> str:
    folded = fold_name(holder)
    if payee is not None:
        ok = payee.is_valid_on(on) and fold_name(payee.full_name) == folded
    else:
        ok = folded in payee_names(beneficiary, on)
    return ChangeRequest.NameCheck.MATCH if ok else ChangeRequest.NameCheck.MISMATCH


def _beneficiary_to_edit(actor: User, beneficiary: Beneficiary) -> Beneficiary:
    """Who may open or complete a request: BHXH officers and the police of the area (the rule
    outreach follows: `policy.may_open_change_request`), and a provider's officers
    for beneficiaries of its province (their customers to be; into its own accounts only)."""
    provider = acts_for_provider(actor)
    if not may_open_change_request(actor):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You may not request payment changes."))
    if provider:
        # a provider opens accounts for people who are not yet its customers: any beneficiary
        # of its province (never beyond), and only into its own accounts (checked by callers)
        ben = Beneficiary.objects.select_related("commune").get(pk=beneficiary.pk)
        if actor.area_province_id is None or ben.commune.province_id != actor.area_province_id:
            from django.http import Http404

            raise Http404
        return ben
    return beneficiary_get(actor, beneficiary.pk, audit=False)


def check_consent(consent_date: dt.date | None, consent_channel: str) -> None:
    """The consent given with a request, checked on its own (no lookup: a provider's request is
    checked this way before anything tells whether the person exists)."""
    if consent_date is None:
        return
    if not consent_channel:
        raise ChitraError(_("Say how the beneficiary gave their consent."))
    if consent_date > timezone.localdate():
        raise ChitraError(_("The date of consent cannot be in the future."))


def change_request_create(
    *,
    actor: User,
    beneficiary: Beneficiary,
    method: str,
    source: str,
    provider: Provider | None = None,
    number: str = "",
    holder_name: str = "",
    payee_representative: Representative | None = None,
    home_reason: str = "",
    consent_date: dt.date | None = None,
    consent_channel: str = "",
    consent_witness: str = "",
    consent_file: Any = None,
    provider_holder_name: str = "",
) -> ChangeRequest:
    """Record a request: submitted when the consent is recorded, else a draft. A request made
    by a provider is always a draft (the consent it reports is kept for BHXH, who completes
    and submits it; an approver of BHXH decides). `provider_holder_name`: the provider itself
    says the account is open and held by this name (a confirmation file's row)."""
    ben = _beneficiary_to_edit(actor, beneficiary)
    if acts_for_provider(actor) and (
        provider is None or provider.code != actor.organisation.provider_code  # type: ignore[union-attr]
    ):  # type: ignore[union-attr]
        raise ChitraError(_("A provider may only request payment into its own accounts."))
    today = timezone.localdate()
    cr = ChangeRequest(
        beneficiary=ben,
        method=method,
        source=source,
        maker=actor,
        home_reason=home_reason,
        payee_representative=payee_representative,
        consent_date=consent_date,
        consent_channel=consent_channel,
        consent_witness=consent_witness,
    )
    _check_home_and_payee(method, home_reason, payee_representative, ben, today)
    if method in ACCOUNT_METHODS:
        _request_account(
            cr,
            ben,
            provider,
            number,
            holder_name,
            payee_representative,
            today,
            provider_holder_name,
        )
    elif acts_for_provider(actor):
        raise ChitraError(_("A provider may only request payment into its own accounts."))
    if consent_date is not None:
        check_consent(consent_date, consent_channel)
        if not acts_for_provider(actor):
            cr.status = ChangeRequest.Status.SUBMITTED
            cr.submitted_by = actor
    _save_request(actor, cr, ben, consent_file)
    return cr


def _check_home_and_payee(
    method: str,
    home_reason: str,
    payee_representative: Representative | None,
    ben: Beneficiary,
    today: dt.date,
) -> None:
    """Home delivery needs its reason; a payee must be a valid representative of `ben`."""
    if method == Method.CASH_HOME and not home_reason:
        raise ChitraError(
            _(
                "Home delivery needs a reason (seriously ill, cannot travel, no "
                "representative, aged 80 or more)."
            )
        )
    if payee_representative is not None and (
        payee_representative.beneficiary_id != ben.pk or not payee_representative.is_valid_on(today)
    ):
        raise ChitraError(_("The payee must be a valid representative of this beneficiary."))


def _request_account(
    cr: ChangeRequest,
    ben: Beneficiary,
    provider: Provider | None,
    number: str,
    holder_name: str,
    payee_representative: Representative | None,
    today: dt.date,
    provider_holder_name: str,
) -> None:
    """The account of a request into an account: checked, encrypted, and its flags (name
    check, shared account, rapid change, the provider's confirmation) set on `cr`."""
    if provider is None:
        raise ChitraError(_("Choose the bank or provider."))
    acc = normalise_account(cr.method, provider, number)
    if not holder_name.strip():
        raise ChitraError(_("Give the account holder's name as the provider shows it."))
    cr.provider = provider
    cr.number_encrypted = crypto.encrypt(acc.number)
    cr.number_index = acc.index
    cr.number_last4 = acc.number[-4:]
    cr.holder_name = " ".join(holder_name.split())
    cr.name_check = _name_check(ben, cr.holder_name, payee_representative, today)
    cr.shared_account_flag = (
        Account.objects.filter(number_index=acc.index).exclude(beneficiary=ben).exists()
    )
    since = timezone.now() - dt.timedelta(days=settings.CHITRA_RAPID_CHANGE_DAYS)
    cr.rapid_change_flag = (
        ChangeRequest.objects.filter(
            beneficiary=ben,
            status=ChangeRequest.Status.APPROVED,
            decided_at__gte=since,
        )
        .exclude(number_index=acc.index)
        .exists()
    )
    if provider_holder_name.strip():
        cr.provider_confirmed_at = timezone.now()
        cr.provider_holder_name = " ".join(provider_holder_name.split())


def _save_request(actor: User, cr: ChangeRequest, ben: Beneficiary, consent_file: Any) -> None:
    """Save a new request with its consent file, audited, and log a consent recorded by BHXH
    or outreach (a provider's claim on a draft is logged when BHXH checks it and submits)."""
    with transaction.atomic():
        cr.save()
        if consent_file:
            cr.consent_file.save(f"cr-{cr.pk}-{consent_file.name}", consent_file, save=True)
        audit_record(actor, "payment.change_request.create", obj=cr, after=_cr_snapshot(cr))
        if cr.status == ChangeRequest.Status.SUBMITTED and cr.consent_date is not None:
            consent_record(
                actor=actor,
                beneficiary=ben,
                purpose="payment_method_change",
                given=True,
                channel=cr.consent_channel,
                date=cr.consent_date,
                evidence=cr.consent_witness or cr.consent_file.name,
                source_object=cr,
            )


def _cr_snapshot(cr: ChangeRequest) -> dict[str, Any]:
    return {
        "beneficiary": cr.beneficiary_id,
        "method": cr.method,
        "status": cr.status,
        "provider": cr.provider.code if cr.provider else None,
        "number": cr.masked_number,
        "holder_name": cr.holder_name,
        "name_check": cr.name_check,
        "rapid_change": cr.rapid_change_flag,
        "shared_account": cr.shared_account_flag,
        "consent_date": cr.consent_date,
        "consent_channel": cr.consent_channel,
        "source": cr.source,
        "submitted_by": cr.submitted_by_id,
        "provider_confirmed_at": cr.provider_confirmed_at,
    }


def change_request_submit(
    *,
    actor: User,
    change_request: ChangeRequest,
    consent_date: dt.date,
    consent_channel: str,
    consent_witness: str = "",
) -> ChangeRequest:
    """Record the consent of a draft (opened by an outreach visit or by a provider) and submit
    it. A provider never submits: BHXH (or the outreach officer who met the person) does."""
    if acts_for_provider(actor):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("A provider cannot submit a change request; BHXH does."))
    with transaction.atomic():
        cr = ChangeRequest.objects.select_for_update(of=("self",)).get(pk=change_request.pk)
        _beneficiary_to_edit(actor, cr.beneficiary)
        require_transition(
            CHANGE_REQUEST,
            cr.status,
            "submit",
            lambda: ChitraError(_("Only a draft can be submitted.")),
        )
        if consent_date > timezone.localdate() or not consent_channel:
            raise ChitraError(_("Give the date (not in the future) and the way of consent."))
        cr.consent_date, cr.consent_channel = consent_date, consent_channel
        cr.consent_witness = consent_witness
        cr.status = ChangeRequest.Status.SUBMITTED
        cr.submitted_by = actor
        cr.save()
        audit_record(actor, "payment.change_request.submit", obj=cr, after=_cr_snapshot(cr))
        consent_record(
            actor=actor,
            beneficiary=cr.beneficiary,
            purpose="payment_method_change",
            given=True,
            channel=consent_channel,
            date=consent_date,
            evidence=consent_witness,
            source_object=cr,
        )
    return cr


def change_request_approve(
    *, actor: User, change_request: ChangeRequest, override_reason: str = "", note: str = ""
) -> PaymentMethod:
    """A BHXH approver who is not the maker approves; a holder name that differs needs an
    override reason. The new method takes effect from the first open payment month."""
    require_perm(actor, Perm.PAYMENT_APPROVE)
    with transaction.atomic():
        cr = (
            ChangeRequest.objects.select_for_update(of=("self",))
            .select_related("beneficiary", "provider")
            .get(pk=change_request.pk)
        )
        ben = beneficiary_get(actor, cr.beneficiary_id, audit=False)
        require_transition(
            CHANGE_REQUEST,
            cr.status,
            "approve",
            lambda: ChitraError(_("Only a submitted request can be approved.")),
        )
        _check_approver(actor, cr, override_reason)
        month = first_open_payment_month(province_id=ben.commune.province_id)
        account = _approved_account(cr, ben) if cr.method in ACCOUNT_METHODS else None
        previous = _method_in_force(ben, month)
        pm, _created = PaymentMethod.objects.update_or_create(
            beneficiary=ben,
            effective_month=month,
            defaults={
                "method": cr.method,
                "account": account,
                "home_reason": cr.home_reason,
                "payee_representative": cr.payee_representative,
                "change_request": cr,
                "created_by": actor,
            },
        )
        cr.status, cr.checker, cr.decided_at = ChangeRequest.Status.APPROVED, actor, timezone.now()
        cr.name_override_reason, cr.decision_note = override_reason, note
        cr.effective_month = month
        cr.save()
        _proof_of_life_at_approval(actor, cr, ben, month, previous)
        audit_record(
            actor,
            "payment.change_request.approve",
            obj=cr,
            after={
                **_cr_snapshot(cr),
                "effective_month": month,
                "payment_method": pm.pk,
                "account": account.pk if account else None,
            },
            reason=override_reason or note,
        )
        if ben.phone:
            _notify_new_method(ben, cr, month)
    return pm


def _method_in_force(ben: Beneficiary, month: dt.date) -> str | None:
    """The method in force for `month` before this approval (a version of the same month is
    replaced): from cash (or nothing) into an account starts the proof-of-life clock."""
    return (
        PaymentMethod.objects.filter(beneficiary=ben, effective_month__lte=month)
        .order_by("-effective_month")
        .values_list("method", flat=True)
        .first()
    )


def _check_approver(actor: User, cr: ChangeRequest, override_reason: str) -> None:
    """The maker never approves; a holder name that differs needs an override reason."""
    if actor.pk in (cr.maker_id, cr.submitted_by_id):
        raise ChitraError(_("The maker of a request cannot approve it."))
    if cr.name_check == ChangeRequest.NameCheck.MISMATCH and not override_reason.strip():
        raise ChitraError(
            _(
                "The account holder's name differs from the beneficiary's and "
                "the representatives': give a reason to accept it."
            )
        )


def _approved_account(cr: ChangeRequest, ben: Beneficiary) -> Account:
    """The account of an approved request into an account: found or created (verified when the
    provider confirmed the payee holds it), refused when closed, flagged when shared."""
    assert cr.provider is not None
    account = Account.objects.filter(
        beneficiary=ben, provider=cr.provider, number_index=cr.number_index
    ).first()
    # the provider's own word that the account is open and held by the payee
    confirmed = cr.provider_confirmed_at is not None and fold_name(
        cr.provider_holder_name
    ) in payee_names(ben, timezone.localdate())
    if account is None:
        now = timezone.now()
        account = Account.objects.create(
            beneficiary=ben,
            representative=cr.payee_representative,
            provider=cr.provider,
            method=cr.method,
            number_encrypted=cr.number_encrypted,
            number_index=cr.number_index,
            number_last4=cr.number_last4,
            holder_name=cr.holder_name,
            status=Account.Status.VERIFIED if confirmed else Account.Status.UNVERIFIED,
            verified_at=now if confirmed else None,
        )
    elif account.status == Account.Status.CLOSED:
        raise ChitraError(_("This account is closed."))
    elif confirmed and account.status == Account.Status.UNVERIFIED:
        account.status, account.verified_at = Account.Status.VERIFIED, timezone.now()
        account.save(update_fields=["status", "verified_at", "updated_at"])
    shared = Account.objects.filter(number_index=cr.number_index).exclude(beneficiary=ben)
    if shared.exists():
        shared.update(shared_flag=True)
        Account.objects.filter(pk=account.pk).update(shared_flag=True)
    return account


def _notify_new_method(ben: Beneficiary, cr: ChangeRequest, month: dt.date) -> None:
    """Tell the beneficiary by SMS, once the approval is committed, how and from when."""
    text = _("BHXH: your pension will be paid by %(method)s from %(month)s.") % {
        "method": Method(cr.method).label,
        "month": month.strftime("%m/%Y"),
    }
    transaction.on_commit(lambda: notify(phone=ben.phone, text=str(text)))


def _proof_of_life_at_approval(
    actor: User, cr: ChangeRequest, ben: Beneficiary, month: dt.date, previous: str | None
) -> None:
    """Proof of life (ADR 0011): the provider's own confirmation that the person themself holds
    the account (its KYC, in person), and the switch from cash into an account, whose month
    starts the clock (due 12 months later)."""
    if cr.method not in ACCOUNT_METHODS:
        return
    from chitra.registry.models import ProofOfLifeSource
    from chitra.verification.proof_of_life import proof_of_life_record

    if (
        cr.provider_confirmed_at is not None
        and cr.payee_representative_id is None
        and fold_name(cr.provider_holder_name) == fold_name(ben.full_name)
    ):
        proof_of_life_record(
            actor=actor,
            on=timezone.localtime(cr.provider_confirmed_at).date(),
            source=ProofOfLifeSource.PROVIDER,
            reference=f"request {cr.pk}",
            beneficiaries=ben,
        )
    if previous not in ACCOUNT_METHODS:
        proof_of_life_record(
            actor=actor,
            on=month,
            source=ProofOfLifeSource.ACCOUNT_START,
            reference=f"request {cr.pk}",
            beneficiaries=ben,
        )


#: what keeps a request from being approved in bulk: an approver looks at it on its page
BULK_APPROVAL_FLAGS = ("name_mismatch", "rapid_change", "shared_account")


def change_request_flags(cr: ChangeRequest) -> list[str]:
    flags = []
    if cr.name_check == ChangeRequest.NameCheck.MISMATCH:
        flags.append("name_mismatch")
    if cr.rapid_change_flag:
        flags.append("rapid_change")
    if cr.shared_account_flag:
        flags.append("shared_account")
    return flags


def change_requests_submit_many(
    *,
    actor: User,
    requests: Iterable[ChangeRequest],
    consent_date: dt.date,
    consent_channel: str,
    consent_witness: str,
) -> list[ChangeRequest]:
    """Submit many drafts at once (a provider's confirmation file opened them) when BHXH holds
    the consent of each person (signed forms kept by the office, named in `consent_witness`).
    Each request goes through `change_request_submit` (audited, consent logged); one
    transaction: all are submitted or none."""
    if acts_for_provider(actor):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("A provider cannot submit a change request; BHXH does."))
    if not consent_witness.strip():
        raise ChitraError(
            _(
                "Say where the signed consent forms are kept (the evidence of "
                "each person's consent)."
            )
        )
    if consent_channel not in ChangeRequest.ConsentChannel.values:
        raise ChitraError(_("Unknown way of consent: %(value)s.") % {"value": consent_channel})
    done: list[ChangeRequest] = []
    with transaction.atomic():
        for cr in requests:
            done.append(
                change_request_submit(
                    actor=actor,
                    change_request=cr,
                    consent_date=consent_date,
                    consent_channel=consent_channel,
                    consent_witness=consent_witness,
                )
            )
        if done:
            audit_record(
                actor,
                "payment.change_request.submit_many",
                object_type="payment_methods.changerequest",
                object_repr=consent_witness[:200],
                province=actor.area_province_id or settings.CHITRA_DEFAULT_PROVINCE,
                after={
                    "submitted": [c.pk for c in done],
                    "consent_date": consent_date,
                    "consent_channel": consent_channel,
                },
            )
    return done


def change_requests_approve_many(
    *, actor: User, requests: Iterable[ChangeRequest], note: str = ""
) -> tuple[list[ChangeRequest], list[tuple[ChangeRequest, list[str]]]]:
    """Approve many submitted requests at once: each through `change_request_approve`
    (maker is not checker, audited, the person notified). A request with a flag (holder name
    differs, new account soon after a change, account used by another person) is left for the
    approver to decide on its page. One transaction: all of the unflagged or none."""
    require_perm(actor, Perm.PAYMENT_APPROVE)
    approved: list[ChangeRequest] = []
    left: list[tuple[ChangeRequest, list[str]]] = []
    with transaction.atomic():
        for cr in requests:
            flags = change_request_flags(cr)
            if flags:
                left.append((cr, flags))
                continue
            change_request_approve(actor=actor, change_request=cr, note=note)
            approved.append(cr)
        if approved or left:
            audit_record(
                actor,
                "payment.change_request.approve_many",
                object_type="payment_methods.changerequest",
                object_repr=note[:200],
                province=actor.area_province_id or settings.CHITRA_DEFAULT_PROVINCE,
                after={"approved": [c.pk for c in approved], "left": {c.pk: f for c, f in left}},
            )
    return approved, left


def change_request_reject(
    *, actor: User, change_request: ChangeRequest, note: str
) -> ChangeRequest:
    require_perm(actor, Perm.PAYMENT_APPROVE)
    if not note.strip():
        raise ChitraError(_("Say why the request is rejected."))
    with transaction.atomic():
        cr = ChangeRequest.objects.select_for_update(of=("self",)).get(pk=change_request.pk)
        beneficiary_get(actor, cr.beneficiary_id, audit=False)
        require_transition(
            CHANGE_REQUEST,
            cr.status,
            "reject",
            lambda: ChitraError(_("This request was already decided.")),
        )
        if actor.pk in (cr.maker_id, cr.submitted_by_id):
            raise ChitraError(_("The maker of a request cannot decide it."))
        cr.status, cr.checker, cr.decided_at = ChangeRequest.Status.REJECTED, actor, timezone.now()
        cr.decision_note = note
        cr.save()
        audit_record(actor, "payment.change_request.reject", obj=cr, reason=note)
    return cr


def account_check_name(*, actor: User, account: Account) -> Account:
    """Ask the provider (adapter) who holds the account; verify it or close it."""
    expected = account.holder_name
    number = crypto.decrypt(account.number_encrypted)
    try:
        result = get_inquiry().inquire(account.provider.code, number, expected)
    except InquiryTimeout as exc:
        raise ChitraError(_("The provider did not answer in time; try again later.")) from exc
    with transaction.atomic():
        acc = Account.objects.select_for_update().get(pk=account.pk)
        before = {"status": acc.status}
        if result.status == "ok" and fold_name(result.holder_name) == fold_name(expected):
            acc.status, acc.verified_at = Account.Status.VERIFIED, timezone.now()
        elif result.status == "closed":
            acc.status, acc.closed_at = Account.Status.CLOSED, timezone.now()
        acc.save()
        audit_record(
            actor,
            "payment.account.name_inquiry",
            obj=acc,
            before=before,
            after={
                "status": acc.status,
                "inquiry": result.status,
                "holder_name": result.holder_name,
            },
        )
    if result.status in ("name_differs", "unknown"):
        raise ChitraError(
            _("The provider answered: %(answer)s.")
            % {
                "answer": _("name differs (%(name)s)") % {"name": result.holder_name}
                if result.status == "name_differs"
                else _("unknown account")
            }
        )
    return acc


def account_reveal(*, actor: User, account: Account) -> str:
    """The full number, for those who need it; every view is audited."""
    if not may_see_full_number(actor, account):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if actor.organisation is None or actor.organisation.kind not in PROVIDER_KINDS:
        beneficiary_get(actor, account.beneficiary_id, audit=False)
    number = crypto.decrypt(account.number_encrypted)
    audit_record(actor, "payment.account.reveal", obj=account)
    return number


def rotate_keys(*, actor: User, batch: int = 2000) -> int:
    """Re-encrypt with the newest key of CHITRA_FIELD_KEYS (AES-GCM) every stored number that
    is not under it yet: tokens of the former Fernet format and of older keys. Run it after
    putting a new key first; the old keys can be removed afterwards. Returns how many tokens
    it re-encrypted.

    A batch of `batch` rows at a time, each in its own transaction with its audit event (the
    table, the rows, the keys they came from); a run cut short keeps what it committed, and
    running it again only takes the rows still to do: a second run re-encrypts nothing."""
    prefix = crypto.current_prefix()
    to = prefix.rstrip(".")
    n = 0
    models: tuple[Any, ...] = (Account, ChangeRequest, AccountNotice)
    for model in models:
        stale = (
            model.objects.exclude(number_encrypted="")
            .exclude(number_encrypted__startswith=prefix)
            .order_by("pk")
        )
        last = None
        while True:
            with transaction.atomic():
                page = stale if last is None else stale.filter(pk__gt=last)
                rows = list(page.select_for_update()[:batch])
                if not rows:
                    break
                came_from: dict[str, int] = {}
                for row in rows:
                    key = crypto.token_key(row.number_encrypted)
                    came_from[key] = came_from.get(key, 0) + 1
                    row.number_encrypted = crypto.rotate(row.number_encrypted)
                model.objects.bulk_update(rows, ["number_encrypted"])
                audit_record(
                    actor,
                    "payment.keys.rotate",
                    object_type="payment.keys",
                    after={
                        "table": model._meta.label_lower,
                        "rows": len(rows),
                        "from": came_from,
                        "to": to,
                    },
                )
            last = rows[-1].pk
            n += len(rows)
    return n


def provider_update(*, actor: User, provider: Provider, contacts: str, fee_notes: str) -> Provider:
    require_perm(actor, Perm.PROVIDER_EDIT)
    with transaction.atomic():
        before = {"contacts": provider.contacts, "fee_notes": provider.fee_notes}
        provider.contacts, provider.fee_notes = contacts.strip(), fee_notes.strip()
        provider.save(update_fields=["contacts", "fee_notes", "updated_at"])
        audit_record(
            actor,
            "payment.provider.update",
            obj=provider,
            before=before,
            after={"contacts": provider.contacts, "fee_notes": provider.fee_notes},
        )
    return provider


def coverage_set(
    *, actor: User, provider: Provider, commune: Any, kind: str, present: bool, address: str = ""
) -> None:
    """Say that a provider has (or no longer has) a branch, pay point or agent in a commune."""
    from chitra.iam.access import commune_in_scope
    from chitra.payment_methods.models import Coverage

    require_perm(actor, Perm.PROVIDER_EDIT)
    if not commune_in_scope(actor, commune.pk):
        raise ChitraError(_("%(commune)s is outside your area.") % {"commune": commune})
    if kind not in Coverage.Kind.values:
        raise ChitraError(_("Unknown kind of service point."))
    with transaction.atomic():
        if present:
            _cov, created = Coverage.objects.update_or_create(
                provider=provider, commune=commune, kind=kind, defaults={"address": address}
            )
        else:
            created = bool(
                Coverage.objects.filter(provider=provider, commune=commune, kind=kind).delete()[0]
            )
        if created:
            # the catalogue is national; this service point is of the commune's province
            audit_record(
                actor,
                "payment.coverage.set",
                obj=provider,
                province=commune.province_id,
                after={
                    "commune": commune.code,
                    "kind": kind,
                    "present": present,
                    "address": address,
                },
            )
