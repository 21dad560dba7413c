"""Writes to organisations and users (audited), and resolving the actor of a command."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chitra.core.audit import audit_record, snapshot
from chitra.core.errors import ChitraError
from chitra.geo.models import BhxhOffice, Commune, Province
from chitra.iam.access import Perm, require_perm
from chitra.iam.models import COMMUNE_LEVEL_KINDS, PROVIDER_KINDS, Organisation, Role, User


class UnknownUserError(ChitraError):
    pass


#: a Vietnamese tax code (mã số thuế): 10 digits, a dependent unit's with "-" and 3 more
TAX_CODE = re.compile(r"[0-9]{10}(-[0-9]{3})?")


def checked_tax_code(value: str) -> str:
    value = value.strip()
    if value and not TAX_CODE.fullmatch(value):
        raise ChitraError(
            _("Tax code %(value)s is not 10 digits (or 10 digits, a hyphen and 3 digits).")
            % {"value": value}
        )
    return value


def organisation_tax_code_set(*, actor: User, code: str, tax_code: str) -> Organisation:
    """Set (or with "" remove) the tax code an organisation initiates payment files with
    (pain.001 `InitgPty/Id`): an administrator of its province, or a national one."""
    require_perm(actor, Perm.USER_MANAGE)
    tax_code = checked_tax_code(tax_code)
    with transaction.atomic():
        org = Organisation.objects.select_for_update().filter(code=code).first()
        if org is None or (not actor.is_national and actor.area_province_id != org.province_id):
            raise ChitraError(_("No organisation %(code)s in your area.") % {"code": code})
        before = {"tax_code": org.tax_code}
        org.tax_code = tax_code
        org.save()
        audit_record(
            actor, "iam.organisation.save", obj=org, before=before, after={"tax_code": tax_code}
        )
    return org


def system_actor() -> User:
    """The actor of commands run without --user (named by CHITRA_SYSTEM_USER)."""
    user, _created = User.objects.get_or_create(
        username=settings.CHITRA_SYSTEM_USERNAME,
        defaults={"is_system": True, "full_name": "chitra (system)", "password": "!"},
    )
    return user


def resolve_actor(username: str | None) -> User:
    """The user named on a command line (--user), or the system actor."""
    if not username:
        return system_actor()
    user = User.objects.select_related("organisation").filter(username=username).first()
    if user is None or not user.is_active:
        raise UnknownUserError(_("No active user named '%(name)s'.") % {"name": username})
    return user


def organisation_upsert(
    *,
    actor: User,
    code: str,
    kind: str,
    name: str,
    province: Province | None = None,
    communes: Sequence[Commune] = (),
    office: BhxhOffice | None = None,
    provider_code: str = "",
    tax_code: str | None = None,
) -> Organisation:
    """Create or update an organisation; `tax_code` None keeps the one it has."""
    require_perm(actor, Perm.USER_MANAGE)
    with transaction.atomic():
        org = Organisation.objects.filter(code=code).first()
        fields = ["kind", "name", "province", "office", "provider_code", "tax_code"]
        before = snapshot(org, fields) if org else None
        if org is None:
            org = Organisation(code=code)
        org.kind, org.name, org.province, org.office = kind, name, province, office
        org.provider_code = provider_code
        if tax_code is not None:
            org.tax_code = checked_tax_code(tax_code)
        if kind in PROVIDER_KINDS and not provider_code:
            raise ChitraError(_("A bank or provider organisation needs its provider code."))
        org.save()
        org.communes.set(communes)
        after = {**snapshot(org, fields), "communes": sorted(c.code for c in communes)}
        if before is None or {k: before[k] for k in fields} != {k: after[k] for k in fields}:
            audit_record(actor, "iam.organisation.save", obj=org, before=before, after=after)
    return org


def _user_communes(
    organisation: Organisation, communes: Sequence[Commune] | None
) -> Sequence[Commune]:
    """The user's communes (all the organisation's when None), checked against its area; raise
    also when the organisation has no province."""
    org_communes = list(organisation.communes.all())
    if communes is None:
        communes = org_communes
    if organisation.kind in COMMUNE_LEVEL_KINDS and not communes:
        raise ChitraError(_("A commune body's user needs at least one commune."))
    if org_communes:
        outside = {c.code for c in communes} - {c.code for c in org_communes}
        if outside:
            raise ChitraError(
                _("Communes outside the organisation's area: %(codes)s")
                % {"codes": ", ".join(sorted(outside))}
            )
    if organisation.province_id is None:
        raise ChitraError(_("The organisation has no province."))
    return communes


def _user_password(user: User, password: str | None) -> None:
    """Set the password given (through the validators), or an unusable one for a new user."""
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ChitraError(" ".join(exc.messages)) from exc
        user.set_password(password)
    elif not user.pk:
        user.set_unusable_password()


def user_upsert(
    *,
    actor: User,
    username: str,
    organisation: Organisation,
    role: str,
    full_name: str = "",
    email: str = "",
    password: str | None = None,
    communes: Sequence[Commune] | None = None,
) -> User:
    """Create or update a user. The scope follows the organisation: its province, and for
    commune-level bodies their communes (a subset may be given)."""
    require_perm(actor, Perm.USER_MANAGE)
    if role not in Role.values:
        raise ChitraError(_("Unknown role '%(role)s'.") % {"role": role})
    communes = _user_communes(organisation, communes)
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        fields = ["full_name", "email", "organisation", "role", "area_province", "is_active"]
        before = snapshot(user, fields) if user else None
        if user is None:
            user = User(username=username)
        user.full_name, user.email, user.organisation, user.role = (
            full_name,
            email,
            organisation,
            role,
        )
        user.area_province_id = organisation.province_id
        _user_password(user, password)
        user.save()
        user.area_communes.set(communes)
        after = {**snapshot(user, fields), "communes": sorted(c.code for c in communes)}
        if before != {k: after[k] for k in fields} or password is not None:
            audit_record(
                actor,
                "iam.user.save",
                obj=user,
                before=before,
                after=after,
                reason=_("password set") if password is not None else "",
            )
    return user


def user_password_change(*, actor: User, old_password: str, new_password: str) -> User:
    """A user changes their own password: the old one is required, the new one goes through
    every validator (AUTH_PASSWORD_VALIDATORS); audited (never the passwords themselves)."""
    if not actor.is_authenticated or actor.is_system:
        raise ChitraError(_("This account cannot change a password."))
    if not actor.check_password(old_password):
        raise ChitraError(_("The current password is not right."))
    if old_password == new_password:
        raise ChitraError(_("The new password must differ from the current one."))
    try:
        validate_password(new_password, actor)
    except ValidationError as exc:
        raise ChitraError(" ".join(exc.messages)) from exc
    with transaction.atomic():
        actor.set_password(new_password)
        actor.save(update_fields=["password"])
        audit_record(actor, "iam.user.password_change", obj=actor)
    return actor
