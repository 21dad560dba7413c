"""login -> import -> list -> detail, in a real browser against a real server and worker."""

from __future__ import annotations

import re

import pytest

from tests.engine.spreadsheets import make_messy_sheet
from tests.factories import make_pid

pytestmark = pytest.mark.e2e


def test_login_import_list_detail(page, live_site, tmp_path):
    url = live_site["url"]
    pid = make_pid(1948, "F")
    rows = [
        {
            "full_name": "Hoàng Thị Thử Nghiệm",
            "birth_date": "12/05/1948",
            "sex": "Nữ",
            "personal_id": pid,
            "si_number": "0812345670",
            "commune": "Phường Minh Xuân",
            "benefit_type": "Lương hưu",
            "monthly_amount": "6.120.000",
            "start_month": "03/2004",
        },
        {
            "full_name": "Lỗi Mã Định Danh",
            "birth_date": "1950",
            "sex": "Nam",
            "personal_id": "123",
            "si_number": "0812345671",
            "commune": "02269",
            "benefit_type": "Lương hưu",
            "monthly_amount": "4.000.000",
        },
    ]
    path = tmp_path / "danh-sach.xlsx"
    make_messy_sheet(
        path,
        rows,
        fmt="xlsx",
        two_row_header=True,
        title_lines=True,
        totals_row=True,
        ids_as_numbers=True,
    )

    page.goto(url + "/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "bhxh.officer")
    page.fill("#id_password", "chitra-demo-2026")
    page.click("main button[type=submit]")
    page.wait_for_url(url + "/")
    assert "Tuyên Quang" in page.inner_text("[data-testid=scope]")

    page.click("nav >> text=Nhập dữ liệu")
    page.set_input_files("input[type=file]", str(path))
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    page.wait_for_selector("[data-status=succeeded]", timeout=60_000)
    summary = page.inner_text("[data-testid=job-summary]")
    assert re.search(r"\b1\b", summary)
    assert "Dòng" in page.content()  # the rejected row's reason, in Vietnamese
    with page.expect_download() as dl:
        page.click("a[href$='errors.xlsx']")
    assert dl.value.suggested_filename.endswith(".xlsx")

    page.goto(url + "/beneficiaries/")
    page.fill("input[name=q]", "hoang thi thu nghiem")  # folded search: no accents, lower case
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=Hoàng Thị Thử Nghiệm")
    page.click("text=Hoàng Thị Thử Nghiệm")
    page.wait_for_selector("[data-testid=beneficiary-name]")
    assert page.inner_text("[data-testid=personal-id]") == pid
    assert "6.120.000" in page.inner_text("[data-testid=entitlements]")

    # English switch
    page.click("button[lang=en]")
    page.wait_for_selector("text=Entitlements")
