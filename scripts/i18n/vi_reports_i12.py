"""Vietnamese translations of the reports app's msgids added by issue 12, item 2 (reports that
agree with the data: months without data told in words, stale indicators, corrected re-issues).

Applied to locale/vi like scripts/i18n/vi_reports.py (same vocabulary): issue = ban hành;
corrected re-issue = báo cáo thay thế (đính chính); superseded = đã bị thay thế; recompute the
indicators = tính lại chỉ tiêu; payment-method register = danh sách đăng ký hình thức nhận.
"""

VI = {
    # --- indicator catalogue -----------------------------------------------------------------
    "Payment method on record": "Đã đăng ký hình thức nhận",
    "Share of the people entitled in the month who have a payment method in force for the "
    "month in the payment-method register (any method, cash included). None at all: the "
    "register had not started, the month has no data on payments without cash.":
        "Tỷ lệ người hưởng trong tháng đã có hình thức nhận có hiệu lực trong tháng trong danh "
        "sách đăng ký hình thức nhận (mọi hình thức, kể cả tiền mặt). Không có người nào: danh "
        "sách chưa bắt đầu, tháng không có số liệu về chi trả không dùng tiền mặt.",
    "people with a payment method in force for the month":
        "số người có hình thức nhận có hiệu lực trong tháng",
    "Payment lines of the month": "Dòng chi trả của tháng",
    "The lines of the month's payment cycle (every attempt): count and amount. None: the month "
    "has no payment cycle.":
        "Các dòng của kỳ chi trả trong tháng (mọi lần chi): số dòng và số tiền. Không có dòng "
        "nào: tháng không có kỳ chi trả.",
    "Share of the people on outreach work lists made by the end of the month who had been "
    "contacted at least once by then.":
        "Tỷ lệ người trong danh sách vận động lập đến cuối tháng đã được liên hệ ít nhất một "
        "lần tính đến cuối tháng.",
    "Share of the people on outreach work lists made by the end of the month whose last "
    "outcome by then is an agreement.":
        "Tỷ lệ người trong danh sách vận động lập đến cuối tháng có kết quả gần nhất tính đến "
        "cuối tháng là đồng ý.",
    "Share of the active beneficiaries confirmed on the national population register: while "
    "the month runs, their current status; for a past month, the latest check of each person "
    "finished by the end of the month.":
        "Tỷ lệ người hưởng đang hưởng đã được xác thực trên CSDLQGDC: trong tháng hiện tại, "
        "theo tình trạng hiện nay; với tháng đã qua, theo lần đối chiếu gần nhất của từng người "
        "hoàn thành trước cuối tháng.",
    "Active beneficiaries by the outcome of their latest check against the register (for a "
    "past month, the latest check finished by the end of the month).":
        "Người hưởng đang hưởng theo kết quả lần đối chiếu gần nhất với CSDLQGDC (với tháng đã "
        "qua, lần đối chiếu gần nhất hoàn thành trước cuối tháng).",
    "Share of the payment accounts open at the end of the month (opened before, not closed by "
    "then) that their provider had confirmed by then.":
        "Tỷ lệ tài khoản nhận tiền còn mở vào cuối tháng (mở trước đó, chưa đóng) đã được đơn "
        "vị cung ứng xác nhận tính đến cuối tháng.",
    # --- model fields --------------------------------------------------------------------------
    "version": "phiên bản",
    "replaces report": "thay thế báo cáo",
    "reason for the correction": "lý do đính chính",
    # --- stale indicators ----------------------------------------------------------------------
    "Recompute the indicators of %(month)s first (the Recompute button of the periodic "
    "reports page, or chitra kpi_refresh --month %(period)s), then issue the report.":
        "Hãy tính lại chỉ tiêu tháng %(month)s trước (nút Tính lại trên trang báo cáo định "
        "kỳ, hoặc lệnh chitra kpi_refresh --month %(period)s), sau đó ban hành báo cáo.",
    "The indicators of %(month)s have never been computed.":
        "Chỉ tiêu tháng %(month)s chưa từng được tính.",
    "The indicators of %(month)s were computed at %(computed)s and the data changed after "
    "that (%(action)s at %(changed)s).":
        "Chỉ tiêu tháng %(month)s được tính lúc %(computed)s và dữ liệu đã thay đổi sau đó "
        "(%(action)s lúc %(changed)s).",
    "The indicators of %(month)s were computed at %(computed)s, on an earlier day of the "
    "month (complaints fall due day by day).":
        "Chỉ tiêu tháng %(month)s được tính lúc %(computed)s, vào một ngày trước đó của tháng "
        "(hạn xử lý khiếu nại đến theo từng ngày).",
    # --- the document ----------------------------------------------------------------------
    "no data": "không có số liệu",
    "This report replaces report No. %(number)s of %(date)s, which is superseded. Reason for "
    "the correction: %(reason)s":
        "Báo cáo này thay thế Báo cáo số %(number)s ngày %(date)s (hết hiệu lực). Lý do đính "
        "chính: %(reason)s",
    "No payment method was on record for month %(month)s (the payment-method register had not "
    "started): there is no data on payments without cash for this month.":
        "Tháng %(month)s chưa có hình thức nhận nào được đăng ký (danh sách đăng ký hình thức "
        "nhận chưa bắt đầu): không có số liệu về chi trả không dùng tiền mặt của tháng này.",
    "No one received a monthly pension or allowance in month %(month)s.":
        "Tháng %(month)s không có người hưởng lương hưu, trợ cấp BHXH hằng tháng.",
    "No active beneficiary was on the registry by the end of month %(month)s.":
        "Đến cuối tháng %(month)s chưa có người hưởng nào trong danh sách quản lý.",
    "No check against the national population register had been made by the end of month "
    "%(month)s (%(active)s active beneficiaries).":
        "Đến cuối tháng %(month)s chưa thực hiện đối chiếu với CSDLQGDC (%(active)s người "
        "đang hưởng).",
    "Checked": "Đã đối chiếu",
    "Confirmed on the register: %(n)s of %(d)s active beneficiaries (%(share)s %%); not "
    "checked yet: %(unchecked)s.":
        "Đã xác thực trên CSDLQGDC: %(n)s/%(d)s người đang hưởng (%(share)s %%); chưa đối "
        "chiếu: %(unchecked)s.",
    "4. Payments of the month": "4. Chi trả trong tháng",
    "Month %(month)s has no payment cycle: there is no data on payments, results and returns "
    "for this month.":
        "Tháng %(month)s không có kỳ chi trả: không có số liệu về chi trả, kết quả chi và chi "
        "trả bị trả lại của tháng này.",
    "The payment cycle of month %(month)s has %(lines)s lines (%(amount)s VND); no payment "
    "result has been received yet.":
        "Kỳ chi trả tháng %(month)s có %(lines)s dòng (%(amount)s đồng); chưa nhận được kết "
        "quả chi nào.",
    "The payment cycle of month %(month)s has %(lines)s lines (%(amount)s VND). First "
    "attempts paid: %(paid)s of %(results)s with a result (%(share)s %%); still without a "
    "result: %(outstanding)s VND.":
        "Kỳ chi trả tháng %(month)s có %(lines)s dòng (%(amount)s đồng). Chi thành công lần "
        "đầu: %(paid)s/%(results)s dòng đã có kết quả (%(share)s %%); chưa có kết quả: "
        "%(outstanding)s đồng.",
    "No payment was returned by the providers.":
        "Không có khoản chi nào bị đơn vị cung ứng trả lại.",
    "5. Outreach": "5. Vận động",
    "6. Complaints": "6. Khiếu nại",
    "7. Paid after death": "7. Chi sau khi chết",
    "%(contacted)s of %(assigned)s people on the work lists contacted, %(agreed)s agreed to "
    "be paid without cash.":
        "Đã liên hệ %(contacted)s/%(assigned)s người trong danh sách vận động, %(agreed)s "
        "người đồng ý nhận không dùng tiền mặt.",
    "No outreach work list had been made by the end of month %(month)s.":
        "Đến cuối tháng %(month)s chưa lập danh sách vận động nào.",
    "No complaint was due in month %(month)s.":
        "Không có khiếu nại nào đến hạn xử lý trong tháng %(month)s.",
    "Found in the month: %(people)s people paid after their death, %(amount)s VND to "
    "recover; recovered so far: %(recovered)s VND.":
        "Phát hiện trong tháng: %(people)s người được chi sau khi chết, %(amount)s đồng cần "
        "truy thu; đã thu hồi: %(recovered)s đồng.",
    "No payment after a death was found in month %(month)s.":
        "Tháng %(month)s không phát hiện khoản chi nào sau khi người hưởng chết.",
    # --- corrections -------------------------------------------------------------------------
    "Say why the report is corrected (a reason is required).":
        "Hãy nêu lý do đính chính báo cáo (bắt buộc).",
    "You can only correct the reports of your own province.":
        "Bạn chỉ được đính chính báo cáo của tỉnh mình.",
    "Report %(number)s was already replaced by report %(later)s; correct that one.":
        "Báo cáo %(number)s đã được thay thế bằng báo cáo %(later)s; hãy đính chính báo cáo "
        "đó.",
    "Report %(number)s was replaced meanwhile by another correction.":
        "Báo cáo %(number)s vừa được thay thế bằng một báo cáo đính chính khác.",
    "Give the month as YYYY-MM.": "Nhập tháng theo dạng YYYY-MM.",
    "Indicator refresh %(month)s": "Tính lại chỉ tiêu tháng %(month)s",
    "Report %(number)s issued; it replaces report %(old)s.":
        "Đã ban hành báo cáo %(number)s, thay thế báo cáo %(old)s.",
    "The indicators of %(m)s must be recomputed before the report is issued. The computation "
    "runs as a job; its page shows the progress.":
        "Phải tính lại chỉ tiêu tháng %(m)s trước khi ban hành báo cáo. Việc tính chạy thành "
        "một tác vụ; trang của tác vụ hiển thị tiến độ.",
    "Recompute the indicators of %(m)s": "Tính lại chỉ tiêu tháng %(m)s",
    "Version": "Phiên bản",
    "Correction": "Đính chính",
    "replaces %(n)s": "thay thế %(n)s",
    "superseded by %(n)s": "đã bị thay thế bởi %(n)s",
    "Correct": "Đính chính",
    "Reason for the correction": "Lý do đính chính",
    "Issue a corrected report": "Ban hành báo cáo đính chính",
    "The report is not changed: a new version with its own number replaces it, and this one "
    "stays downloadable, marked superseded.":
        "Báo cáo đã ban hành không bị sửa: một phiên bản mới với số riêng thay thế nó; báo cáo "
        "này vẫn tải được và được đánh dấu là đã bị thay thế.",
    # --- dashboard ----------------------------------------------------------------------------
    "Indicators of %(m)s computed at %(at)s.": "Chỉ tiêu tháng %(m)s được tính lúc %(at)s.",
    "The indicators of %(m)s have not been computed yet.":
        "Chỉ tiêu tháng %(m)s chưa được tính.",
    "The data changed after that (%(action)s at %(at)s): recompute before issuing a report.":
        "Dữ liệu đã thay đổi sau đó (%(action)s lúc %(at)s): hãy tính lại trước khi ban hành "
        "báo cáo.",
    "Computed on an earlier day: recompute before issuing a report.":
        "Được tính vào một ngày trước: hãy tính lại trước khi ban hành báo cáo.",
    "No payment method on record for the month: no data.":
        "Tháng này chưa có hình thức nhận nào được đăng ký: không có số liệu.",
    "No recipient in the month.": "Không có người hưởng trong tháng.",
    "indicators of %(m)s to recompute first": "cần tính lại chỉ tiêu tháng %(m)s trước",
    "Recompute": "Tính lại",
    'Month %(month)s was paid with the payment cycle of months %(cycle)s: its lines, results '
    'and returns are in the report of month %(first)s.':
        'Tháng %(month)s được chi trả cùng chu kỳ chi trả các tháng %(cycle)s: số dòng chi '
        'trả, kết quả và số bị trả lại nằm trong báo cáo tháng %(first)s.',
}
