"""Account-name inquiry through a provider adapter (NAPAS-style "tra cứu tên chủ tài khoản").

Real adapters call a bank's or NAPAS's API; the demo and the tests use `SimulatedInquiry`,
which answers from a table it is given, or by rule from the account number's last digit:
0-6 ok (the holder name is the one expected), 7 name differs, 8 account closed, 9 unknown
account; numbers ending in "000" time out. The adapter is chosen by CHITRA_NAME_INQUIRY."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from django.conf import settings
from django.utils.module_loading import import_string

InquiryStatus = Literal["ok", "name_differs", "closed", "unknown", "timeout"]


@dataclass(frozen=True)
class InquiryResult:
    status: InquiryStatus
    holder_name: str = ""


class NameInquiry(Protocol):
    def inquire(self, provider_code: str, number: str, expected_name: str) -> InquiryResult: ...


class InquiryTimeout(Exception):
    pass


class SimulatedInquiry:
    def __init__(self, table: dict[tuple[str, str], InquiryResult] | None = None) -> None:
        self.table = table or {}

    def inquire(self, provider_code: str, number: str, expected_name: str) -> InquiryResult:
        hit = self.table.get((provider_code, number))
        if hit is not None:
            if hit.status == "timeout":
                raise InquiryTimeout(f"{provider_code} did not answer in time")
            return hit
        if number.endswith("000"):
            raise InquiryTimeout(f"{provider_code} did not answer in time")
        last = number[-1:]
        if last == "7":
            return InquiryResult("name_differs", "NGUYEN VAN KHAC")
        if last == "8":
            return InquiryResult("closed")
        if last == "9":
            return InquiryResult("unknown")
        return InquiryResult("ok", expected_name)


def get_inquiry() -> NameInquiry:
    cls = import_string(settings.CHITRA_NAME_INQUIRY)
    return cls()  # type: ignore[no-any-return]
