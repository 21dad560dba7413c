"""Providers from the NAPAS list (package copy of shared/data/napas-banks.csv) plus the
non-bank paying agents that list does not hold (Vietnam Post, telecom mobile money)."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path
from typing import Any

NAPAS_CSV = Path(__file__).parent / "data" / "napas-banks.csv"

#: Paying agents without a NAPAS BIN in the list: Vietnam Post and the three mobile-money
#: operators licensed in 2021 (DOMAIN.md). Codes are ours.
NON_BANK = [
    ("VNPOST", "post", "VNPost", "Bưu điện Việt Nam", "Tổng công ty Bưu điện Việt Nam"),
    ("VIETTELMONEY", "mobile_money", "VTMONEY", "Viettel Money", "Viettel Money (Viettel)"),
    ("VNPTMONEY", "mobile_money", "VNPTMONEY", "VNPT Money", "VNPT Money (VNPT)"),
    (
        "MOBIFONEMONEY",
        "mobile_money",
        "MOBIFONEMONEY",
        "MobiFone Money",
        "MobiFone Money (MobiFone)",
    ),
]


def napas_rows() -> list[dict[str, str]]:
    """The list's rows, every value in NFC (the file has some names in decomposed form, which
    pages show as broken letters and searches miss)."""
    with NAPAS_CSV.open(encoding="utf-8", newline="") as fh:
        return [
            {k: unicodedata.normalize("NFC", v or "") for k, v in row.items()}
            for row in csv.DictReader(fh)
        ]


def load_providers(provider_model: Any) -> int:
    """Insert or refresh every provider (works with real and historical models)."""
    have = {p.code: p for p in provider_model.objects.all()}
    n = 0
    # A renamed bank keeps its BIN and appears twice; the list does not say which name is
    # current, so the first row names the provider and the others become aliases (both are
    # recognised in provider files and shown in pages).
    by_bin: dict[str, list[dict[str, str]]] = {}
    for row in napas_rows():
        by_bin.setdefault(row["bin"].strip(), []).append(row)
    for code, rows in by_bin.items():
        row = rows[0]
        kind = "ewallet" if code.startswith("971") else "bank"
        aliases = []
        for old in rows[1:]:
            aliases += [old["code"].strip(), old["short_name"], old["name"]]
        values = {
            "kind": kind,
            "short_code": row["code"].strip(),
            "short_name": row["short_name"],
            "name": row["name"],
            "swift_code": row["swift_code"].strip(),
            "aliases": ";".join(a for a in dict.fromkeys(aliases) if a),
            "lookup_supported": row["lookup_supported"].strip() == "1",
            "vietqr_status": int(row["vietqr_status"] or -1),
        }
        n += _upsert(provider_model, have, code, values)
    for code, kind, short_code, short_name, name in NON_BANK:
        n += _upsert(
            provider_model,
            have,
            code,
            {
                "kind": kind,
                "short_code": short_code,
                "short_name": short_name,
                "name": name,
                "swift_code": "",
                "aliases": "",
                "lookup_supported": kind != "post",
                "vietqr_status": -1,
            },
        )
    return n


def _upsert(model: Any, have: dict[str, Any], code: str, values: dict[str, Any]) -> int:
    obj = have.get(code)
    if obj is None:
        have[code] = model.objects.create(code=code, **values)
        return 1
    if any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        obj.save()
        return 1
    return 0
