"""Demo organisations, offices and users for one province (idempotent, through services)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from chitra.geo.models import BhxhOffice, Commune, Province
from chitra.geo.services import office_set_area
from chitra.iam.models import OrgKind, Role, User
from chitra.iam.services import organisation_upsert, user_upsert
from chitra.iam.twofactor import demo_device, needs_2fa

DEMO_PASSWORD = os.environ.get("CHITRA_DEMO_PASSWORD", "chitra-demo-2026")
OFFICES = 6  # regional BHXH offices sharing the province's communes


@dataclass(frozen=True)
class DemoLogin:
    username: str
    organisation: str
    role: str
    area: str


def ensure_demo_org_users(*, actor: User, province: Province) -> list[DemoLogin]:
    communes = list(Commune.objects.filter(province=province).order_by("code"))
    p = province.code
    offices = _demo_offices(actor, province, communes)
    ward = next((c for c in communes if c.kind == Commune.Kind.PHUONG), communes[0])
    first_office, first_block = offices[0]
    specs: list[tuple[str, str, str, list[Commune], BhxhOffice | None, str]] = [
        # code, kind, name, communes, office, provider code
        (f"bhxh-{p}", OrgKind.BHXH_PROVINCE, f"Bảo hiểm xã hội tỉnh {province.name}", [], None, ""),
        (f"bhxh-{p}-kv1", OrgKind.BHXH_OFFICE, first_office.name, first_block, first_office, ""),
        (f"ca-{p}", OrgKind.POLICE_PROVINCE, f"Công an tỉnh {province.name}", [], None, ""),
        (f"ca-{ward.code}", OrgKind.POLICE_COMMUNE, f"Công an {ward.name}", [ward], None, ""),
        (f"ubnd-{ward.code}", OrgKind.COMMUNE_COMMITTEE, f"UBND {ward.name}", [ward], None, ""),
        (f"agribank-{p}", OrgKind.BANK, f"Agribank chi nhánh {province.name}", [], None, "970405"),
        (f"vnpost-{p}", OrgKind.POST, f"Bưu điện tỉnh {province.name}", [], None, "VNPOST"),
        (f"viettelmoney-{p}", OrgKind.MOBILE_MONEY, "Viettel Money", [], None, "VIETTELMONEY"),
        (f"momo-{p}", OrgKind.EWALLET, "Ví MoMo", [], None, "971025"),
        (
            f"nhnn-{p}",
            OrgKind.STATE_BANK,
            f"Ngân hàng Nhà nước chi nhánh {province.name}",
            [],
            None,
            "",
        ),
        (f"ubnd-tinh-{p}", OrgKind.LEADERSHIP, f"UBND tỉnh {province.name}", [], None, ""),
    ]
    orgs = _demo_orgs(actor, province, specs)
    office_users = _office_orgs(actor, province, offices)
    return _demo_logins(actor, orgs, office_users)


def _demo_offices(
    actor: User, province: Province, communes: list[Commune]
) -> list[tuple[BhxhOffice, list[Commune]]]:
    p = province.code
    # BHXH offices: the provincial office plus regional offices, each serving a block of
    # communes (a stand-in for the real service areas, editable in the admin).
    offices = []
    size = -(-len(communes) // OFFICES)
    for i in range(OFFICES):
        office, _ = BhxhOffice.objects.get_or_create(
            code=f"{p}-KV{i + 1}",
            defaults={
                "name": f"BHXH cơ sở khu vực {i + 1} — {province.name}",
                "province": province,
            },
        )
        block = communes[i * size : (i + 1) * size]
        if set(office.area.values_list("commune_id", flat=True)) != {c.id for c in block}:
            office_set_area(actor=actor, office=office, communes=block, reason="dữ liệu mẫu")
        offices.append((office, block))
    BhxhOffice.objects.get_or_create(
        code=f"{p}-TINH",
        defaults={
            "name": f"BHXH tỉnh {province.name}",
            "province": province,
            "is_provincial": True,
        },
    )
    return offices


def _demo_orgs(actor: User, province: Province, specs: list[Any]) -> dict[str, Any]:
    orgs = {}
    p = province.code
    for code, kind, name, org_communes, org_office, provider in specs:
        # a made-up tax code (10 digits) for the BHXH of the province: its pain.001 InitgPty
        tax = (
            f"9{int(p) if p.isdigit() else 0:03d}000001" if kind == OrgKind.BHXH_PROVINCE else None
        )
        orgs[kind] = organisation_upsert(
            tax_code=tax,
            actor=actor,
            code=code,
            kind=kind,
            name=name,
            province=province,
            communes=org_communes,
            office=org_office,
            provider_code=provider,
        )
    return orgs


def _office_orgs(
    actor: User, province: Province, offices: list[tuple[BhxhOffice, list[Commune]]]
) -> list[tuple[str, Any, str]]:
    p = province.code
    # every other office has its organisation too (complaints of its communes are routed to
    # it through its service area) and one officer, kv2.officer ... kv6.officer
    office_users = []
    names = ["Lý Thị Thu", "Hà Văn Đông", "Mạc Thị Hương", "La Văn Quý", "Sầm Thị Nga"]
    for i, (office, block) in enumerate(offices[1:], start=2):
        org = organisation_upsert(
            actor=actor,
            code=f"bhxh-{p}-kv{i}",
            kind=OrgKind.BHXH_OFFICE,
            name=office.name,
            province=province,
            communes=block,
            office=office,
        )
        office_users.append((f"kv{i}.officer", org, names[(i - 2) % len(names)]))
    return office_users


def _demo_logins(
    actor: User, orgs: dict[str, Any], office_users: list[tuple[str, Any, str]]
) -> list[DemoLogin]:
    users = [
        ("bhxh.admin", OrgKind.BHXH_PROVINCE, Role.ADMIN, "Nguyễn Thị Hạnh"),
        ("bhxh.approver", OrgKind.BHXH_PROVINCE, Role.APPROVER, "Trần Văn Minh"),
        ("bhxh.officer", OrgKind.BHXH_PROVINCE, Role.OFFICER, "Lê Thu Trang"),
        ("bhxh.viewer", OrgKind.BHXH_PROVINCE, Role.VIEWER, "Phạm Quốc Huy"),
        ("kv1.officer", OrgKind.BHXH_OFFICE, Role.OFFICER, "Hoàng Văn Nam"),
        ("ca.officer", OrgKind.POLICE_PROVINCE, Role.OFFICER, "Đặng Minh Tuấn"),
        ("cax.officer", OrgKind.POLICE_COMMUNE, Role.OFFICER, "Ma Văn Thắng"),
        ("ubndx.officer", OrgKind.COMMUNE_COMMITTEE, Role.OFFICER, "Nông Thị Lan"),
        ("bank.officer", OrgKind.BANK, Role.OFFICER, "Vũ Thị Mai"),
        ("post.officer", OrgKind.POST, Role.OFFICER, "Bùi Văn Long"),
        ("momo.officer", OrgKind.EWALLET, Role.OFFICER, "Đỗ Thị Hoa"),
        ("viettel.officer", OrgKind.MOBILE_MONEY, Role.OFFICER, "Ngô Văn Hải"),
        ("nhnn.viewer", OrgKind.STATE_BANK, Role.VIEWER, "Dương Thị Thu"),
        ("lanhdao.viewer", OrgKind.LEADERSHIP, Role.VIEWER, "Triệu Văn Bình"),
    ]
    logins = []
    people = [(username, orgs[kind], role, full_name) for username, kind, role, full_name in users]
    people[5:5] = [
        (username, org, Role.OFFICER, full_name) for username, org, full_name in office_users
    ]  # after kv1.officer
    for username, org, role, full_name in people:
        user = User.objects.filter(username=username).first()
        needs_password = user is None or not user.check_password(DEMO_PASSWORD)
        user = user_upsert(
            actor=actor,
            username=username,
            organisation=org,
            role=role,
            full_name=full_name,
            password=DEMO_PASSWORD if needs_password else None,
        )
        if needs_2fa(user):
            # a known authenticator secret (printed by demo_logins; `chitra totp_code USER`
            # prints its current code in the demo)
            demo_device(user)
        logins.append(DemoLogin(username, org.name, user.get_role_display(), user.scope_label()))
    return logins
