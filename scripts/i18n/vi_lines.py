"""Vietnamese translations of the English msgids of issue #12 items 3-5 (payroll line states,
returns after payment, cancellation before release: chitra.disbursement).

Applied to locale/vi like scripts/i18n/vi.py:
    python scripts/i18n/fill_po.py src/chitra/locale/vi/LC_MESSAGES/django.po \
        scripts/i18n/vi_lines.py

Vocabulary (as in vi_disbursement.py): issued = đã lập; sent = đã gửi; paid = đã chi;
failed = thất bại; returned (a credit that came back) = bị trả về (as in "lý do trả về");
cancelled = đã hủy; payment line = dòng chi trả; batch = lô chi trả; release = phát hành
lệnh chi; provider = đơn vị chi trả; held = tạm giữ; re-issue = chi lại.
"""

VI = {
    "Returned": "Bị trả về",
    "returned": "bị trả về",
    "%(n)s lines of this payroll were cancelled by an approver: computing again would bring "
    "them back. Approve it as it is.":
        "%(n)s dòng của bảng chi này đã bị người phê duyệt hủy: tính lại sẽ đưa chúng trở lại. "
        "Hãy phê duyệt bảng chi như hiện có.",
    "The control totals do not add up: declared is not paid + failed + returned + "
    "outstanding. Investigate before reconciling.":
        "Số liệu kiểm soát không khớp: khai báo không bằng đã chi + thất bại + bị trả về + "
        "chưa có kết quả. Cần xác minh trước khi đối soát.",
    "A reason is required to cancel a payment line.":
        "Cần ghi lý do để hủy một dòng chi trả.",
    "Payment %(ref)s is %(state)s: after release a line changes only through the provider's "
    "answer.":
        "Khoản chi %(ref)s đang ở trạng thái %(state)s: sau khi phát hành lệnh chi, một dòng "
        "chỉ thay đổi theo kết quả do đơn vị chi trả báo về.",
    "changed": "thay đổi",
    "Payment %(ref)s cancelled.": "Đã hủy khoản chi %(ref)s.",
    "Reconciliation: declared = paid + failed + returned + outstanding":
        "Đối soát: khai báo = đã chi + thất bại + bị trả về + chưa có kết quả",
    "Cancelled before release": "Đã hủy trước khi phát hành",
    "Attempt": "Lần chi",
    "pays again": "chi lại khoản",
    "paid again by": "được chi lại bằng",
    "Movements": "Diễn biến",
    "Movement": "Diễn biến",
    "Cancel this payment before release": "Hủy khoản chi này trước khi phát hành lệnh chi",
    "Reason (deceased reported, error found...)":
        "Lý do (được báo đã mất, phát hiện sai sót...)",
    "The month is still owed: pay it again next cycle (otherwise it is held)":
        "Tháng này vẫn phải chi: chi lại ở kỳ sau (nếu không, khoản chi được tạm giữ)",
    "Cancel the payment": "Hủy khoản chi",
    "A reason is required to pay a held month again.":
        "Cần ghi lý do để chi lại một tháng đang tạm giữ.",
    "Payment %(ref)s is not held: nothing to pay again.":
        "Khoản chi %(ref)s không bị tạm giữ: không có gì để chi lại.",
    "Payment %(ref)s will be paid again in the next cycle.":
        "Khoản chi %(ref)s sẽ được chi lại ở kỳ chi trả sau.",
    "Held: pay this month again": "Đang tạm giữ: chi lại tháng này",
    "Reason (account fixed, investigation closed...)":
        "Lý do (tài khoản đã được sửa, đã xác minh xong...)",
    "Pay it again in the next cycle": "Chi lại ở kỳ chi trả sau",
}
