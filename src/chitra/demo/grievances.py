"""Demo complaints and fraud reports for one province (idempotent: once the province has
tickets, running again changes nothing). Everything goes through the services, so routing,
deadlines, history and audit are those of real use."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from chitra.core.errors import ChitraError
from chitra.geo.models import Commune, Province
from chitra.grievances.models import Category, ReceivedVia, ResolutionCode, Source, Ticket
from chitra.grievances.services import (
    may_work,
    ticket_comment,
    ticket_create,
    ticket_reopen,
    ticket_resolve,
    ticket_route,
    ticket_set_status,
)
from chitra.iam.access import Perm, has_perm
from chitra.iam.models import Organisation, OrgKind, User
from chitra.registry.models import Beneficiary

#: the demo user who records the complaints when it exists (else the given actor)
DEMO_RECORDER = "bhxh.officer"


@dataclass(frozen=True)
class Spec:
    category: str
    days_ago: int
    outcome: str  # open, in_progress, waiting_info, resolved, rejected, closed, reopened, routed
    channel: str
    source: str
    description: str
    with_person: bool = True
    with_line: bool = False


SPECS: tuple[Spec, ...] = (
    Spec(
        Category.PAYMENT_NOT_RECEIVED,
        2,
        "open",
        ReceivedVia.PHONE,
        Source.BENEFICIARY,
        "Chưa nhận được lương hưu tháng này qua tài khoản.",
        with_line=True,
    ),
    Spec(
        Category.PAYMENT_NOT_RECEIVED,
        12,
        "resolved",
        ReceivedVia.COUNTER,
        Source.BENEFICIARY,
        "Đến điểm chi trả nhưng không có tên trong danh sách.",
        with_line=True,
    ),
    Spec(
        Category.WRONG_AMOUNT,
        20,
        "in_progress",
        ReceivedVia.LETTER,
        Source.BENEFICIARY,
        "Số tiền nhận được thấp hơn quyết định hưởng.",
    ),
    Spec(
        Category.WRONG_AMOUNT,
        6,
        "rejected",
        ReceivedVia.HOTLINE,
        Source.BENEFICIARY,
        "Thắc mắc về số tiền truy lĩnh.",
    ),
    Spec(
        Category.ACCOUNT_PROBLEM,
        4,
        "waiting_info",
        ReceivedVia.COUNTER,
        Source.OFFICER,
        "Tài khoản bị khóa, không rút được tiền.",
        with_line=True,
    ),
    Spec(
        Category.ACCOUNT_PROBLEM,
        15,
        "routed",
        ReceivedVia.PHONE,
        Source.BENEFICIARY,
        "Tên chủ tài khoản không khớp với tên người hưởng.",
    ),
    Spec(
        Category.SCAM_ATTEMPT,
        1,
        "open",
        ReceivedVia.HOTLINE,
        Source.BENEFICIARY,
        "Có người gọi điện xưng cán bộ BHXH, đề nghị cung cấp mã OTP để nhận tiền.",
    ),
    Spec(
        Category.SCAM_ATTEMPT,
        9,
        "resolved",
        ReceivedVia.COUNTER,
        Source.OFFICER,
        "Tin nhắn giả mạo ngân hàng gửi đường link cài ứng dụng lạ.",
        with_person=False,
    ),
    Spec(
        Category.SUSPECTED_FRAUD,
        25,
        "in_progress",
        ReceivedVia.LETTER,
        Source.OFFICER,
        "Nghi ngờ người nhà tiếp tục nhận lương hưu sau khi người hưởng đã mất.",
    ),
    Spec(
        Category.DATA_ERROR,
        30,
        "closed",
        ReceivedVia.COUNTER,
        Source.BENEFICIARY,
        "Ngày sinh trên hệ thống sai so với căn cước.",
    ),
    Spec(
        Category.DATA_ERROR,
        18,
        "reopened",
        ReceivedVia.WEB,
        Source.BENEFICIARY,
        "Sai tên đệm trong danh sách chi trả.",
    ),
    Spec(
        Category.PAYMENT_NOT_RECEIVED,
        10,
        "open",
        ReceivedVia.PHONE,
        Source.BENEFICIARY,
        "Người hưởng ở nhà, chưa được chi trả tận nhà tháng này.",
    ),
)

RESOLUTIONS: dict[str, tuple[str, str]] = {
    Category.PAYMENT_NOT_RECEIVED: (
        ResolutionCode.PAID_LATE,
        "Đã chi trả bổ sung, người hưởng đã nhận đủ.",
    ),
    Category.WRONG_AMOUNT: (
        ResolutionCode.NO_FAULT,
        "Đã giải thích: số tiền đúng theo quyết định điều chỉnh.",
    ),
    Category.SCAM_ATTEMPT: (
        ResolutionCode.REFERRED_TO_POLICE,
        "Đã xác minh, cảnh báo người dân; chuyển hồ sơ điều tra.",
    ),
    Category.DATA_ERROR: (ResolutionCode.CORRECTED, "Đã điều chỉnh dữ liệu theo căn cước."),
}


def _worker(ticket: Ticket, fallback: User) -> User:
    """A user of the organisation the ticket is routed to who may work it (else the fallback)."""
    for u in User.objects.filter(organisation=ticket.routed_to_id, is_active=True).order_by("id"):
        if may_work(u, ticket):
            return u
    return fallback


def ensure_demo_tickets(province: Province, seed: int = 2026, *, actor: User | None = None) -> int:
    """About a dozen tickets of every category and status in the province (seeded choices,
    dates counted back from today so that some are overdue). Returns how many were made."""
    from chitra.disbursement.models import PayrollLine
    from chitra.iam.services import system_actor

    if Ticket.objects.filter(commune__province=province).exists():
        return 0
    actor = actor or system_actor()
    recorder = _recorder(province) or actor
    rng = random.Random(seed)
    people = list(
        Beneficiary.objects.filter(commune__province=province, status=Beneficiary.Status.ACTIVE)
        .select_related("commune__province")
        .order_by("id")[:300]
    )
    with_account = list(
        Beneficiary.objects.filter(
            commune__province=province, status=Beneficiary.Status.ACTIVE, accounts__isnull=False
        )
        .select_related("commune__province")
        .order_by("id")
        .distinct()[:100]
    )
    lines = list(
        PayrollLine.objects.filter(commune__province=province)
        .select_related("beneficiary__commune__province", "provider")
        .order_by("id")[:300]
    )
    communes = list(Commune.objects.filter(province=province).order_by("code"))
    if not communes:
        return 0
    today = timezone.localdate()
    made = 0
    with transaction.atomic():
        for spec in SPECS:
            line, person, commune = _pick(rng, spec, lines, with_account, people, communes)
            try:
                t = ticket_create(
                    actor=recorder,
                    category=spec.category,
                    description=spec.description,
                    commune=commune,
                    beneficiary=person,
                    payroll_line=line,
                    source=spec.source,
                    channel=spec.channel,
                    received_on=today - dt.timedelta(days=spec.days_ago),
                    reporter_name=person.full_name if person is not None else "Người báo tin",
                    account_involved=spec.category == Category.SCAM_ATTEMPT and rng.random() < 0.5,
                )
            except ChitraError:
                continue  # an organisation to route to is missing in this province
            made += 1
            _play(t, spec, actor)
    return made


def _recorder(province: Province) -> User | None:
    """The demo recorder, when it exists and may record complaints in the province."""
    recorder = User.objects.filter(username=DEMO_RECORDER, is_active=True).first()
    if (
        recorder is None
        or not has_perm(recorder, Perm.GRIEVANCE_CREATE)
        or recorder.area_province_id != province.pk
    ):
        return None
    return recorder


def _pick(
    rng: random.Random,
    spec: Spec,
    lines: list[Any],
    with_account: list[Beneficiary],
    people: list[Beneficiary],
    communes: list[Commune],
) -> tuple[Any, Beneficiary | None, Commune]:
    """(payment line, person, commune) of a demo ticket, chosen with the seeded RNG."""
    line = rng.choice(lines) if spec.with_line and lines else None
    pool = with_account if spec.category == Category.ACCOUNT_PROBLEM and with_account else people
    person = None
    if line is not None:
        person = line.beneficiary
    elif spec.with_person and pool:
        person = rng.choice(pool)
    commune = person.commune if person is not None else rng.choice(communes)
    return line, person, commune


def _play(t: Ticket, spec: Spec, actor: User) -> None:
    worker = _worker(t, actor)
    outcome = spec.outcome
    if outcome == "routed":
        bhxh = (
            Organisation.objects.filter(
                kind=OrgKind.BHXH_PROVINCE, province_id=t.commune.province_id, is_active=True
            )
            .exclude(pk=t.routed_to_id)
            .order_by("id")
            .first()
        )
        if bhxh is not None:
            ticket_route(
                actor=worker,
                ticket=t,
                organisation=bhxh,
                note="Cần BHXH kiểm tra lại danh sách chi trả.",
            )
            t.refresh_from_db()
        return
    if outcome == "open":
        return
    if outcome in ("in_progress", "waiting_info"):
        ticket_set_status(
            actor=worker, ticket=t, status="in_progress", note="Đang kiểm tra với đơn vị chi trả."
        )
        if outcome == "waiting_info":
            ticket_set_status(
                actor=worker,
                ticket=t,
                status="waiting_info",
                note="Đề nghị người hưởng cung cấp sao kê tài khoản.",
            )
        ticket_comment(actor=worker, ticket=t, note="Đã liên hệ người hưởng qua điện thoại.")
        return
    code, text = RESOLUTIONS.get(t.category, (ResolutionCode.OTHER.value, "Đã xử lý."))
    if outcome == "rejected":
        code = ResolutionCode.NO_FAULT.value
    ticket_resolve(actor=worker, ticket=t, resolution_code=code, resolution=text)
    if outcome == "closed":
        ticket_set_status(
            actor=worker, ticket=t, status="closed", note="Người hưởng xác nhận đã được giải quyết."
        )
    elif outcome == "reopened":
        ticket_reopen(actor=worker, ticket=t, note="Người hưởng báo vẫn chưa được sửa.")
