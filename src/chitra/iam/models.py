"""Organisations, users, roles and area scopes."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from chitra.core.models import BaseModel
from chitra.geo.models import BhxhOffice, Commune, Province


class OrgKind(models.TextChoices):
    BHXH_PROVINCE = "bhxh_province", _("Provincial social insurance (BHXH)")
    BHXH_OFFICE = "bhxh_office", _("Social insurance office")
    POLICE_PROVINCE = "police_province", _("Provincial police")
    POLICE_COMMUNE = "police_commune", _("Commune police")
    COMMUNE_COMMITTEE = "commune_committee", _("Commune People's Committee")
    BANK = "bank", _("Bank")
    POST = "post", _("Vietnam Post")
    MOBILE_MONEY = "mobile_money", _("Mobile-money provider")
    EWALLET = "ewallet", _("E-wallet provider")
    STATE_BANK = "state_bank", _("State Bank branch")
    LEADERSHIP = "leadership", _("Provincial leadership")


#: Organisations whose area is one commune (or a few): their users never get a whole province.
COMMUNE_LEVEL_KINDS = frozenset({OrgKind.POLICE_COMMUNE, OrgKind.COMMUNE_COMMITTEE})
#: Money movers: they see only their own customers, never an area's registry.
PROVIDER_KINDS = frozenset({OrgKind.BANK, OrgKind.POST, OrgKind.MOBILE_MONEY, OrgKind.EWALLET})
#: Oversight bodies: aggregates and reports, not individual records.
OVERSIGHT_KINDS = frozenset({OrgKind.STATE_BANK, OrgKind.LEADERSHIP})
BHXH_KINDS = frozenset({OrgKind.BHXH_PROVINCE, OrgKind.BHXH_OFFICE})
POLICE_KINDS = frozenset({OrgKind.POLICE_PROVINCE, OrgKind.POLICE_COMMUNE})


class Organisation(BaseModel):
    kind = models.CharField(_("kind"), max_length=32, choices=OrgKind.choices)
    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=255)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("province"),
    )
    communes = models.ManyToManyField(
        Commune, blank=True, related_name="organisations", verbose_name=_("communes")
    )
    office = models.ForeignKey(
        BhxhOffice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("BHXH office"),
    )
    #: Tax code (mã số thuế), the organisation's identification in the payment files it
    #: initiates (pain.001 InitgPty/Id/OrgId/Othr, scheme TXID); empty: not written.
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    #: Bank BIN or provider code, for money movers.
    provider_code = models.CharField(_("provider code"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    VIEWER = "viewer", _("Viewer")
    OFFICER = "officer", _("Officer")
    APPROVER = "approver", _("Approver")
    ADMIN = "admin", _("Administrator")


ROLE_RANK = {Role.VIEWER: 1, Role.OFFICER: 2, Role.APPROVER: 3, Role.ADMIN: 4}


class User(AbstractUser):
    """A person using chitra. Scope: `area_province` (None only for national/system users) and
    `area_communes` (empty means the whole province)."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    area_province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province of the scope"),
    )
    area_communes = models.ManyToManyField(
        Commune, blank=True, related_name="+", verbose_name=_("communes of the scope")
    )
    is_system = models.BooleanField(_("system actor"), default=False)

    objects = UserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            # A user is either national (superuser/system) or has a province.
            models.CheckConstraint(
                condition=(
                    models.Q(area_province__isnull=False)
                    | models.Q(is_superuser=True)
                    | models.Q(is_system=True)
                ),
                name="user_has_area_unless_national",
            ),
        ]

    def __str__(self) -> str:
        if self.is_system:
            return str(_("chitra (system)"))
        return self.full_name or self.username

    @property
    def role_rank(self) -> int:
        return ROLE_RANK.get(Role(self.role), 0) if self.role else 0

    @property
    def is_national(self) -> bool:
        return bool(self.is_superuser or self.is_system)

    @property
    def org_kind(self) -> str | None:
        return self.organisation.kind if self.organisation_id and self.organisation else None

    def scope_commune_ids(self) -> list[int] | None:
        """Commune ids of a commune-level scope; None when the scope is the whole province."""
        cached = getattr(self, "_scope_commune_ids", False)
        if cached is not False:
            return cached  # type: ignore[return-value]
        ids = sorted(self.area_communes.values_list("id", flat=True)) if self.pk else []
        value = ids or None
        self._scope_commune_ids = value
        return value

    def scope_label(self) -> str:
        if self.is_national:
            return str(_("Nationwide"))
        ids = self.scope_commune_ids()
        province = str(self.area_province) if self.area_province_id else ""
        if ids is None:
            return province
        names = list(Commune.objects.filter(id__in=ids[:4]).values_list("name", flat=True))
        more = f" (+{len(ids) - 4})" if len(ids) > 4 else ""
        return ", ".join(names) + more + (f" — {province}" if province else "")


class ApiToken(models.Model):
    """A named, scoped, expiring API token. The secret is shown once, when it is made; only
    its SHA-256 is kept, with a short prefix in clear to find it and to tell tokens apart."""

    owner = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("owner")
    )
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    digest = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        User,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "revoked_at"], name="iam_token_owner_live")]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_expired(self) -> bool:
        from django.utils import timezone

        return self.expires_at <= timezone.now()

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class OAuthClient(models.Model):
    """A machine client (a partner's system) that gets short-lived bearer tokens by OAuth2
    client credentials (RFC 6749 4.4, G2P Connect authz ``/oauth2/client/token``). It acts as
    `user` (a provider organisation's account), with that user's permissions and scope. Only
    the SHA-256 of the secret is kept."""

    client_id = models.CharField(_("client id"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=100)
    secret_digest = models.CharField(max_length=64)
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="oauth_clients", verbose_name=_("acts as")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("OAuth2 client")
        verbose_name_plural = _("OAuth2 clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.client_id})"
