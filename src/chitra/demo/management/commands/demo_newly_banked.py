"""Demo: the files of issue #12's scenario for `make demo` - a BHXH list of people newly granted
a pension this month (nobody has seen them alive in chitra yet: they came after the register
check) and Agribank's confirmation file for most of them (accounts opened at the counter, KYC
with the chip ID card). The Makefile then runs the real commands on them: import_beneficiaries,
import_accounts (as the bank), change_requests_submit (BHXH records the consent) and
change_requests_approve (another user), before this month's cycle."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from django.conf import settings
from django.core.management.base import CommandParser
from django.utils import timezone

from chitra.core.commands import ChitraCommand, require_demo_mode
from chitra.kernel.names import fold_name

_BENEFICIARY_HEADER = [
    "STT",
    "Số định danh cá nhân",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Mã xã",
    "Địa chỉ",
    "Số điện thoại",
    "Loại chế độ",
    "Mức hưởng",
    "Tháng bắt đầu hưởng",
]
_BANK_HEADER = [
    "STT",
    "Số CCCD",
    "Họ và tên",
    "Ngân hàng",
    "Số tài khoản",
    "Tên chủ tài khoản",
    "Trạng thái",
]


class Command(ChitraCommand):
    help = (
        "Demo: write a BHXH list of new pensioners and a bank's confirmation file for most "
        "of them (deterministic; writes files only)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, default=Path("var/newly-banked"))
        parser.add_argument("--people", type=int, default=60)
        parser.add_argument("--banked", type=int, default=40)
        parser.add_argument("--seed", type=int, default=2612)

    def handle(self, *args: Any, **options: Any) -> None:
        require_demo_mode("demo_newly_banked")
        from chitra.demo import generator as demo_gen
        from chitra.geo.models import Commune, Province
        from chitra.registry.models import Beneficiary

        province = Province.objects.get(code=settings.CHITRA_DEFAULT_PROVINCE)
        communes = [
            demo_gen.Commune(code=c.code, name=c.name, is_urban=c.is_urban)
            for c in Commune.objects.filter(province=province).order_by("code")[:12]
        ]
        month = timezone.localdate().replace(day=1)
        table = demo_gen.generate_beneficiaries(
            province_code=province.code,
            communes=communes,
            n=options["people"] * 2,
            seed=options["seed"],
            today=dt.date(2026, 7, 1),
        ).to_pylist()
        taken = set(
            Beneficiary.objects.filter(
                personal_id__in=[r["personal_id"] for r in table if r["personal_id"]]
            ).values_list("personal_id", flat=True)
        )
        people = [
            r for r in table if r["personal_id"] and r["personal_id"] not in taken and r["phone"]
        ][: options["people"]]
        out: Path = options["out"]
        out.mkdir(parents=True, exist_ok=True)
        ben_path, bank_path = out / "danh-sach-huong-moi.xlsx", out / "xac-nhan-agribank.xlsx"
        self._write(
            ben_path,
            "Danh sách người hưởng lương hưu mới",
            _BENEFICIARY_HEADER,
            _beneficiary_rows(people, month),
        )
        banked = people[: options["banked"]]
        self._write(
            bank_path,
            "Danh sách tài khoản đã mở - Agribank",
            _BANK_HEADER,
            _bank_rows(banked, options["seed"]),
        )
        (out / "cccd-agribank.txt").write_text(
            "".join(f"{r['personal_id']}\n" for r in banked), encoding="utf-8"
        )
        self.stdout.write(
            f"{ben_path} ({len(people)} people), {bank_path} ({len(banked)} "
            f"accounts), {out / 'cccd-agribank.txt'}"
        )

    @staticmethod
    def _write(path: Path, title: str, header: list[str], rows: list[list[Any]]) -> None:
        wb = xlsxwriter.Workbook(str(path))
        ws = wb.add_worksheet("Danh sách")
        ws.write(0, 0, title)
        text = wb.add_format({"num_format": "@"})
        for c, h in enumerate(header):
            ws.write(2, c, h)
        for r, row in enumerate(rows, start=3):
            for c, value in enumerate(row):
                if isinstance(value, str):
                    ws.write_string(r, c, value, text)
                else:
                    ws.write_number(r, c, value)
        wb.close()


def _beneficiary_rows(people: list[dict[str, Any]], month: dt.date) -> list[list[Any]]:
    """The rows of the new pensioners' list (amounts and start month made up)."""
    return [
        [
            i + 1,
            r["personal_id"],
            r["full_name"],
            r["birth_date"].strftime("%d/%m/%Y"),
            "Nam" if r["sex"] == "M" else "Nữ",
            r["commune_code"],
            r["address"],
            r["phone"],
            "Lương hưu",
            3_500_000 + (i % 20) * 125_000,
            month.strftime("%m/%Y"),
        ]
        for i, r in enumerate(people)
    ]


def _bank_rows(banked: list[dict[str, Any]], seed: int) -> list[list[Any]]:
    """The rows of the bank's list of accounts opened."""
    return [
        [
            i + 1,
            r["personal_id"],
            r["full_name"],
            "Agribank",
            f"3{seed:04d}{i:08d}",
            fold_name(r["full_name"]),
            "Hoạt động",
        ]
        for i, r in enumerate(banked)
    ]
