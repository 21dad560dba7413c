"""Vietnamese translations of the English msgids added by issue #12 items 7 and 8: every
verification run listed for the area it covers (chitra.verification) and complaints routed to
the BHXH office serving the beneficiary's commune (chitra.grievances).

Applied to locale/vi like scripts/i18n/vi.py (`make messages` applies every vi*.py table).
Vocabulary: verification run = đợt xác thực; started from = nguồn khởi chạy; schedule = theo
lịch; service area = địa bàn phục vụ; BHXH office = BHXH cơ sở; routed to = chuyển đến.
"""

VI = {
    # --- verification runs (item 7) ----------------------------------------------------------
    "No verification run yet.": "Chưa có đợt xác thực nào.",
    "Web page": "Trang web",
    "Command line": "Dòng lệnh",
    "Schedule": "Theo lịch",
    "started from": "nguồn khởi chạy",
    "Started from": "Nguồn khởi chạy",
    "some communes only": "chỉ một số xã, phường",
    "register changes since": "thay đổi trong CSDLQGDC từ",
    "area of a verification run": "địa bàn của đợt xác thực",
    "areas of verification runs": "địa bàn của các đợt xác thực",
    "Every run that covered your area, from this page, the command line or a schedule; the "
    "counts are those of your area.":
        "Mọi đợt xác thực có phạm vi gồm địa bàn của bạn, dù khởi chạy từ trang này, dòng lệnh "
        "hay theo lịch; số liệu là của địa bàn của bạn.",
    "You can verify only the beneficiaries of your own area (%(area)s).":
        "Bạn chỉ có thể xác thực người hưởng thuộc địa bàn của mình (%(area)s).",
    "Unknown origin '%(value)s'.": "Nguồn khởi chạy '%(value)s' không hợp lệ.",
    "Kept with its run (counts per commune, no personal data)":
        "Lưu cùng đợt xác thực (số liệu theo xã, không có dữ liệu cá nhân)",
    # --- complaints routed by the offices' service areas (item 8) ------------------------------
    "%(commune)s is served by %(office)s, which has no active organisation in chitra: the "
    "complaint goes to %(org)s. Add the office's organisation (with its service area) so that "
    "its complaints reach it.":
        "%(commune)s thuộc địa bàn phục vụ của %(office)s, nhưng đơn vị này chưa có tổ chức "
        "đang hoạt động trong chitra: khiếu nại được chuyển đến %(org)s. Hãy thêm tổ chức của "
        "BHXH cơ sở (với địa bàn phục vụ) để khiếu nại đến đúng nơi.",
}
