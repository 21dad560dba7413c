"""Small helpers the pages of every app share: query parameters, dates as pages show them,
workbooks to download."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """A workbook to download (the one way every list page hands out xlsx)."""
    resp = HttpResponse(data, content_type=XLSX)
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp


def int_param(value: str | None) -> int | None:
    """A query parameter as a whole number (None when missing or not digits)."""
    return int(value) if value and value.isdigit() else None


def query_without(request: HttpRequest, *names: str) -> str:
    """The page's query string without `names` (e.g. "page", to build the pager's links)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


def dmy(day: dt.date | None) -> str:
    """A date as the pages show it (dd/mm/yyyy; "" for none)."""
    return day.strftime("%d/%m/%Y") if day else ""


def my(month: dt.date | None) -> str:
    """A month as the pages show it (mm/yyyy; "" for none)."""
    return month.strftime("%m/%Y") if month else ""


def today_dmy() -> str:
    """Today (in the project's time zone) as the pages show it."""
    return dmy(timezone.localdate())
