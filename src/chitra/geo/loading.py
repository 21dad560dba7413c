"""Loading provinces and communes from the `vietnam-provinces` package (never retyped)."""

from __future__ import annotations

from typing import Any

from vietnam_provinces import Province as VnProvince
from vietnam_provinces import VietNamDivisionType, Ward

_KIND = {
    VietNamDivisionType.XA: "xa",
    VietNamDivisionType.PHUONG: "phuong",
    VietNamDivisionType.DAC_KHU: "dac_khu",
}


def load_admin_units(province_model: Any, commune_model: Any) -> tuple[int, int]:
    """Insert the provinces and communes that are missing; keep existing rows (and their
    edited urban flags). Works with real or historical (migration) models."""
    have_p = {p.code: p for p in province_model.objects.all()}
    new_p = []
    for p in VnProvince.iter_all():
        code = f"{int(p.code):02d}"
        if code not in have_p:
            new_p.append(province_model(code=code, name=p.name, kind=p.division_type.value))
    province_model.objects.bulk_create(new_p)
    by_code = {p.code: p for p in province_model.objects.all()}
    have_c = set(commune_model.objects.values_list("code", flat=True))
    new_c = []
    for w in Ward.iter_all():
        code = f"{int(w.code):05d}"
        if code in have_c:
            continue
        kind = _KIND.get(w.division_type, "xa")
        new_c.append(
            commune_model(
                code=code,
                name=w.name,
                kind=kind,
                province=by_code[f"{int(w.province_code):02d}"],
                is_urban=(kind == "phuong"),  # phường urban by default; editable
            )
        )
    commune_model.objects.bulk_create(new_c, batch_size=1000)
    return len(new_p), len(new_c)
