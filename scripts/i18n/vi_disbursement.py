"""Vietnamese translations of the monthly payment cycle app's English msgids (chitra.disbursement).

Applied to locale/vi like scripts/i18n/vi.py:
    python scripts/i18n/fill_po.py src/chitra/locale/vi/LC_MESSAGES/django.po \
        scripts/i18n/vi_disbursement.py

Vocabulary: cycle = kỳ chi trả; payroll = bảng chi; payroll line = dòng chi trả;
batch = lô chi trả; provider = đơn vị chi trả; snapshot = danh sách chốt;
frozen = đã chốt danh sách; computed = đã lập bảng chi; released = đã phát hành lệnh chi;
reconciled = đã đối soát; closed = đã khóa sổ; exclusion = không chi;
return reason = lý do trả về; re-issued = chi lại.
"""

VI = {
    # app
    "Monthly payment cycle": "Kỳ chi trả hằng tháng",
    # files
    "Files of batch %(ref)s exist already: a released file is never written again.":
        "Tệp của lô chi trả %(ref)s đã tồn tại: tệp đã phát hành không bao giờ được ghi lại.",
    "Unknown file format %(fmt)s in the profile of %(provider)s.":
        "Định dạng tệp %(fmt)s trong cấu hình tệp của %(provider)s không hợp lệ.",
    "File %(name)s has %(n)s lines, the batch declares %(d)s.":
        "Tệp %(name)s có %(n)s dòng, trong khi lô chi trả khai báo %(d)s dòng.",
    "CASH PAYMENT LIST OF PENSIONS AND SOCIAL INSURANCE BENEFITS":
        "DANH SÁCH CHI TRẢ LƯƠNG HƯU, TRỢ CẤP BẢO HIỂM XÃ HỘI BẰNG TIỀN MẶT",
    "HOME DELIVERY LIST OF PENSIONS AND SOCIAL INSURANCE BENEFITS":
        "DANH SÁCH CHI TRẢ LƯƠNG HƯU, TRỢ CẤP BẢO HIỂM XÃ HỘI TẠI NHÀ",
    "Pay point: %(commune)s": "Điểm chi trả: %(commune)s",
    "Home delivery: %(commune)s": "Chi trả tại nhà: %(commune)s",
    "SOCIAL INSURANCE OF %(province)s": "BẢO HIỂM XÃ HỘI %(province)s",
    "Month %(month)s — %(where)s": "Tháng %(month)s — %(where)s",
    "File %(name)s is missing from the file store.":
        "Không tìm thấy tệp %(name)s trong kho lưu trữ tệp.",
    "File %(name)s was altered after release (SHA-256 differs): do not send it; report it to "
    "the administrator.":
        "Tệp %(name)s đã bị thay đổi sau khi phát hành (mã SHA-256 không khớp): không được gửi "
        "tệp này; hãy báo cho quản trị viên.",
    # models: cycle
    "Frozen": "Đã chốt danh sách",
    "Computed": "Đã lập bảng chi",
    "Released": "Đã phát hành lệnh chi",
    "Reconciled": "Đã đối soát",
    "payment month": "tháng chi trả",
    "unverified account": "xử lý tài khoản chưa xác thực",
    "frozen at": "chốt danh sách lúc",
    "frozen by": "người chốt danh sách",
    "computed at": "lập bảng chi lúc",
    "computed by": "người lập bảng chi",
    "approved at": "phê duyệt lúc",
    "approved by": "người phê duyệt",
    "second approval at": "phê duyệt lần hai lúc",
    "second approver": "người phê duyệt thứ hai",
    "released at": "phát hành lệnh chi lúc",
    "released by": "người phát hành lệnh chi",
    "reconciled at": "đối soát lúc",
    "lines": "dòng",
    "total (VND)": "tổng số tiền (đồng)",
    "entitlements in the snapshot": "số chế độ hưởng trong danh sách chốt",
    "exclusions": "trường hợp không chi",
    "payment cycle": "kỳ chi trả",
    "payment cycles": "kỳ chi trả",
    "snapshot row": "dòng danh sách chốt",
    "snapshot rows": "dòng danh sách chốt",
    # models: batch, line
    "Issued": "Đã lập",
    "sequence": "số thứ tự lô",
    "batch reference": "mã lô chi trả",
    "payment batch": "lô chi trả",
    "payment batches": "lô chi trả",
    "Sent": "Đã gửi",
    "Paid": "Đã chi",
    "for month": "chi cho tháng",
    "payee": "người nhận tiền",
    "payment reference": "mã tham chiếu chi trả",
    "live": "còn hiệu lực",
    "attempt": "lần chi",
    "return reason": "lý do trả về",
    "payroll line": "dòng chi trả",
    "payroll lines": "dòng chi trả",
    # models: exclusion, return reason
    "Held: account not verified or closed": "Tạm giữ: tài khoản chưa xác thực hoặc đã đóng",
    "Entitlement stopped": "Chế độ hưởng đã dừng",
    "amount not paid (VND)": "số tiền không chi (đồng)",
    "exclusion": "trường hợp không chi",
    "Retry next cycle": "Chi lại ở kỳ sau",
    "Pay in cash this month": "Chi bằng tiền mặt trong tháng",
    "Hold": "Tạm giữ",
    "Suspend the entitlement": "Tạm dừng chi trả chế độ",
    "Investigate": "Xác minh",
    "meaning": "ý nghĩa",
    "marks the account closed": "đánh dấu tài khoản đã đóng",
    "return reasons": "lý do trả về",
    # models: files, results, ledger, profiles
    "ISO 20022 pain.001 XML": "XML ISO 20022 pain.001",
    "CSV": "CSV",
    "Excel": "Excel",
    "Cash list (PDF)": "Danh sách chi trả tiền mặt (PDF)",
    "Cash list (Excel)": "Danh sách chi trả tiền mặt (Excel)",
    "SHA-256": "SHA-256",
    "payment file": "tệp chi trả",
    "payment files": "tệp chi trả",
    "paid": "đã chi",
    "failed": "thất bại",
    "already recorded": "đã ghi nhận trước đó",
    "results import": "lần nhập kết quả chi trả",
    "results imports": "lần nhập kết quả chi trả",
    "Re-issued": "Đã chi lại",
    "movement": "biến động",
    "line movement": "biến động dòng chi trả",
    "line movements": "biến động dòng chi trả",
    "file formats": "định dạng tệp",
    "columns of CSV/XLSX files": "cột của tệp CSV/XLSX",
    "provider file profile": "cấu hình tệp của đơn vị chi trả",
    "provider file profiles": "cấu hình tệp của đơn vị chi trả",
    # results
    "The XML file is not a readable pain.002.001.10 status report: %(detail)s":
        "Không đọc được tệp XML như một báo cáo trạng thái pain.002.001.10: %(detail)s",
    "Provider returned payment %(ref)s: %(code)s":
        "Đơn vị chi trả trả về khoản chi %(ref)s: %(code)s",
    "Provider reported the holder deceased (%(code)s)":
        "Đơn vị chi trả báo chủ tài khoản đã chết (%(code)s)",
    "This cycle is not of your province.": "Kỳ chi trả này không thuộc tỉnh của bạn.",
    "Results can only be applied to a released cycle; cycle %(month)s is %(state)s.":
        "Chỉ cập nhật được kết quả cho kỳ chi trả đã phát hành lệnh chi; kỳ chi trả %(month)s "
        "đang ở trạng thái %(state)s.",
    "The file has no result lines.": "Tệp không có dòng kết quả nào.",
    "The results file was refused: %(n)s problems (nothing was applied).":
        "Tệp kết quả bị từ chối: có %(n)s lỗi (chưa cập nhật dữ liệu nào).",
    # services: the steps of a cycle ("it cannot be %(action)s (it must be %(needed)s)")
    "Cycle %(month)s is %(state)s: it cannot be %(action)s (it must be %(needed)s).":
        "Kỳ chi trả %(month)s đang ở trạng thái %(state)s: không thể chuyển sang trạng thái "
        "%(action)s (kỳ chi trả phải ở trạng thái %(needed)s).",
    "You can only create cycles of your own province.":
        "Bạn chỉ được mở kỳ chi trả của tỉnh mình.",
    "A payment cycle for %(month)s already exists in %(province)s.":
        "%(province)s đã có kỳ chi trả tháng %(month)s.",
    "frozen": "đã chốt danh sách",
    "open": "mở",
    "The cycle of %(month)s must be released first.":
        "Kỳ chi trả tháng %(month)s phải được phát hành lệnh chi trước.",
    "computed": "đã lập bảng chi",
    "approved": "đã phê duyệt",
    "You computed this payroll: another approver must approve it (maker is not checker).":
        "Bạn đã lập bảng chi này: phải do người phê duyệt khác phê duyệt (người lập không được "
        "tự duyệt).",
    "You can only approve cycles of your own province.":
        "Bạn chỉ được phê duyệt kỳ chi trả của tỉnh mình.",
    "You already approved this payroll: a second, different approver is needed above "
    "%(limit)s đồng.":
        "Bạn đã phê duyệt bảng chi này: bảng chi trên %(limit)s đồng cần thêm một người phê "
        "duyệt thứ hai, khác người đã duyệt.",
    "released": "đã phát hành lệnh chi",
    "Nothing to release: every batch of cycle %(month)s has been released.":
        "Không có gì để phát hành: mọi lô chi trả của kỳ chi trả %(month)s đã được phát hành "
        "lệnh chi.",
    "The cycle's own batches were released already.":
        "Các lô chi trả chính của kỳ chi trả đã được phát hành lệnh chi trước đó.",
    "reconciled": "đã đối soát",
    "The control totals do not add up: declared is not paid + failed + outstanding. "
    "Investigate before reconciling.":
        "Số liệu kiểm soát không khớp: khai báo không bằng đã chi + thất bại + chưa có kết quả. "
        "Cần xác minh trước khi đối soát.",
    "%(n)s lines still have no result: import the providers' results first.":
        "Còn %(n)s dòng chi trả chưa có kết quả: hãy nhập kết quả của các đơn vị chi trả "
        "trước.",
    "A supplementary batch is not released yet.":
        "Còn lô chi trả bổ sung chưa được phát hành lệnh chi.",
    "closed": "đã khóa sổ",
    # core/errors.py: what a results file must hold ("... — cần %(expected)s")
    "a payment reference": "mã tham chiếu chi trả",
    "succ (paid) or rjct (failed)": "succ (đã chi) hoặc rjct (thất bại)",
    "a payment reference of 22 digits": "mã tham chiếu chi trả gồm 22 chữ số",
    "a payment reference of this cycle (and of your batches)":
        "mã tham chiếu chi trả thuộc kỳ chi trả này (và thuộc các lô chi trả của đơn vị bạn)",
    "a line of a released batch": "dòng chi trả thuộc lô chi trả đã phát hành lệnh chi",
    "a reason code of the return-reason catalogue": "mã lý do có trong danh mục lý do trả về",
    "a reference given once (already on row %(row)s)":
        "mỗi mã tham chiếu chỉ một dòng (đã có ở dòng %(row)s)",
    "the result already recorded (%(status)s), which is final":
        "đúng kết quả đã ghi nhận (%(status)s), vì đây là kết quả cuối cùng",
    "the amount sent, %(amount)s đồng": "đúng số tiền đã gửi là %(amount)s đồng",
    # views
    "Give the month as YYYY-MM, e.g. 2026-12.": "Nhập tháng theo dạng YYYY-MM, ví dụ 2026-12.",
    "Payment cycle %(month)s opened.": "Đã mở kỳ chi trả tháng %(month)s.",
    "Snapshot taken: the cycle is frozen.":
        "Đã lập danh sách chốt: kỳ chi trả đã chốt danh sách.",
    "First approval recorded: a second approver is needed.":
        "Đã ghi nhận phê duyệt lần một: cần thêm người phê duyệt thứ hai.",
    "Payroll approved.": "Đã phê duyệt bảng chi.",
    "Cycle reconciled.": "Đã đối soát kỳ chi trả.",
    "Cycle closed.": "Đã khóa sổ kỳ chi trả.",
    "Payroll computation": "Lập bảng chi",
    "Release of payment files": "Phát hành tệp chi trả",
    "Choose a results file.": "Hãy chọn tệp kết quả.",
    "Payroll lines of %(month)s": "Các dòng chi trả tháng %(month)s",
    "Payment reference": "Mã tham chiếu chi trả",
    "Payee": "Người nhận tiền",
    "For month": "Chi cho tháng",
    "Return reason": "Lý do trả về",
    "Entitlements not paid in %(month)s, and why":
        "Danh sách chế độ hưởng không chi tháng %(month)s và lý do",
    "Amount not paid (VND)": "Số tiền không chi (đồng)",
    # templates: menu, job progress
    "Monthly payments": "Chi trả hằng tháng",
    "Back to the payment cycle": "Quay lại kỳ chi trả",
    "Open the payment cycle": "Xem kỳ chi trả",
    "This file was applied already: nothing changed.":
        "Tệp này đã được cập nhật trước đó: không có thay đổi.",
    "Already recorded": "Đã ghi nhận trước đó",
    "Still pending at the provider": "Đơn vị chi trả đang xử lý",
    "Re-issued in cash": "Chi lại bằng tiền mặt",
    "Accounts closed": "Tài khoản đã đóng",
    "Entitlements suspended": "Chế độ hưởng tạm dừng chi trả",
    # templates: cycle detail
    "Payment cycle": "Kỳ chi trả",
    "Steps": "Các bước",
    "first approval by %(cycle.approved_by)s; above %(limit)s đồng a second approver is "
    "needed":
        "người phê duyệt lần một: %(cycle.approved_by)s; trên %(limit)s đồng cần thêm người "
        "phê duyệt thứ hai",
    "Snapshot": "Danh sách chốt",
    "Freeze (take the snapshot)": "Chốt danh sách (lập danh sách chốt)",
    "Compute again": "Lập lại bảng chi",
    "Compute the payroll": "Lập bảng chi",
    "Second approval": "Phê duyệt lần hai",
    "Approve the payroll": "Phê duyệt bảng chi",
    "Release the supplementary batch": "Phát hành lô chi trả bổ sung",
    "Release: write and lock the payment files": "Phát hành lệnh chi: lập và khóa tệp chi trả",
    "Reconcile": "Đối soát",
    "Close the cycle": "Khóa sổ kỳ chi trả",
    "Results file from a provider (pain.002 XML, or CSV/XLSX with reference, status succ/rjct "
    "and reason code)":
        "Tệp kết quả của đơn vị chi trả (XML pain.002, hoặc CSV/XLSX có mã tham chiếu, trạng "
        "thái succ/rjct và mã lý do)",
    "Apply the results": "Cập nhật kết quả",
    "The file is applied whole or not at all; applying it again changes nothing.":
        "Tệp được cập nhật toàn bộ hoặc không cập nhật gì; cập nhật lại cùng một tệp không làm "
        "thay đổi gì.",
    "Lines by state": "Dòng chi trả theo trạng thái",
    "State": "Trạng thái",
    "Lines": "Số dòng",
    "Reconciliation: declared = paid + failed + outstanding":
        "Đối soát: khai báo = đã chi + thất bại + chưa có kết quả",
    "holds": "khớp",
    "BROKEN": "KHÔNG KHỚP",
    "Batch": "Lô chi trả",
    "Declared": "Khai báo",
    "Outstanding": "Chưa có kết quả",
    "No batch yet: compute the payroll.": "Chưa có lô chi trả: hãy lập bảng chi.",
    "Cycle": "Tổng cả kỳ",
    "Not paid this month": "Không chi trong tháng",
    "Download the list (xlsx)": "Tải danh sách (xlsx)",
    "Payment files": "Tệp chi trả",
    "File": "Tệp",
    "Files are written when the cycle is released.":
        "Tệp được lập khi kỳ chi trả được phát hành lệnh chi.",
    "All payroll lines": "Tất cả dòng chi trả",
    # templates: cycle list
    "Monthly payment cycles": "Các kỳ chi trả hằng tháng",
    "Each month: open, freeze (snapshot), compute the payroll, approve (maker is not checker), "
    "release the payment files, import the providers' results, reconcile, close.":
        "Hằng tháng: mở kỳ chi trả, chốt danh sách, lập bảng chi, phê duyệt (người lập không "
        "được tự duyệt), phát hành tệp chi trả, nhập kết quả của các đơn vị chi trả, đối soát, "
        "khóa sổ.",
    "Payment month (YYYY-MM)": "Tháng chi trả (YYYY-MM)",
    "Open a cycle": "Mở kỳ chi trả",
    "Return reasons and actions": "Lý do trả về và cách xử lý",
    "Month": "Tháng",
    "Total (VND)": "Tổng số tiền (đồng)",
    "Exclusions": "Không chi",
    "Computed by": "Người lập bảng chi",
    "Approved by": "Người phê duyệt",
    "No payment cycle yet.": "Chưa có kỳ chi trả nào.",
    # templates: lines, return reasons
    "Payroll lines": "Dòng chi trả",
    "Reference or payee name": "Mã tham chiếu hoặc tên người nhận tiền",
    "Any status": "Tất cả trạng thái",
    "Any channel": "Tất cả hình thức chi trả",
    "Any batch": "Tất cả lô chi trả",
    "Reference": "Mã tham chiếu",
    "No line.": "Không có dòng chi trả nào.",
    "Return reasons": "Lý do trả về",
    "Return reasons and what chitra does": "Lý do trả về và cách chitra xử lý",
    "Meaning": "Ý nghĩa",
    "Marks the account closed": "Đánh dấu tài khoản đã đóng",
    # verification: suspension reason
    "Reported by the paying provider": "Theo báo cáo của đơn vị chi trả",
    "Opened": "Đang mở",
    "Books closed": "Đã khóa sổ",
    "payment channel": "hình thức chi trả",
    "Payment channel": "Hình thức chi trả",
    "first approval by %(approver)s; above %(limit)s đồng a second approver is needed":
        "đã phê duyệt lần 1 bởi %(approver)s; trên %(limit)s đồng cần người phê duyệt thứ hai",
    "File formats must be among %(known)s.": "Định dạng tệp phải thuộc: %(known)s.",
}
