"""Administrative units of the two-level structure (since 1 July 2025) and BHXH offices."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chitra.core.models import BaseModel


class Province(models.Model):
    code = models.CharField(_("code"), max_length=2, unique=True)  # "08"
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=32)  # tỉnh / thành phố trung ương

    class Meta:
        verbose_name = _("province")
        verbose_name_plural = _("provinces")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{2}$"), name="province_code_2_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    class Kind(models.TextChoices):
        XA = "xa", _("Commune")
        PHUONG = "phuong", _("Ward")
        DAC_KHU = "dac_khu", _("Special zone")

    code = models.CharField(_("code"), max_length=5, unique=True)  # "02269"
    name = models.CharField(_("name"), max_length=100)  # "Xã Thượng Lâm"
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("province")
    )
    is_urban = models.BooleanField(_("urban"), default=False)

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["province__code", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[0-9]{5}$"), name="commune_code_5_digits"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class BhxhOffice(BaseModel):
    """A social-insurance office; its service area is a set of communes (one office per commune)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="offices", verbose_name=_("province")
    )
    is_provincial = models.BooleanField(_("provincial office"), default=False)
    communes: models.ManyToManyField[Commune, OfficeArea] = models.ManyToManyField(
        Commune, through="OfficeArea", related_name="offices", verbose_name=_("service area")
    )

    class Meta:
        verbose_name = _("social insurance office")
        verbose_name_plural = _("social insurance offices")
        ordering = ["province__code", "code"]

    def __str__(self) -> str:
        return self.name


class OfficeArea(models.Model):
    office = models.ForeignKey(BhxhOffice, on_delete=models.CASCADE, related_name="area")
    commune = models.OneToOneField(Commune, on_delete=models.PROTECT, related_name="office_area")

    class Meta:
        verbose_name = _("office service area")
        verbose_name_plural = _("office service areas")

    def __str__(self) -> str:
        return f"{self.office} - {self.commune}"
