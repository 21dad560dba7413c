"""Vietnamese translations of the pay dates and two-month cycles (issue #12 item 6).

Applied to locale/vi like scripts/i18n/vi.py (`make messages`). Vocabulary as in
vi_disbursement.py: cycle = kỳ chi trả; pay date = ngày chi trả; accounts credited =
chuyển tiền vào tài khoản; cash paid from = chi tiền mặt từ ngày; pay point = điểm chi trả.
"""

VI = {
    # models
    "accounts credited on day": "ngày chuyển tiền vào tài khoản",
    "cash paid from day": "ngày bắt đầu chi tiền mặt",
    "updated by": "người cập nhật",
    "pay schedule": "lịch chi trả",
    "pay schedules": "lịch chi trả",
    "accounts credited on": "ngày chuyển tiền vào tài khoản",
    "cash paid from": "chi tiền mặt từ ngày",
    "month of a cycle": "tháng của kỳ chi trả",
    "months of cycles": "các tháng của kỳ chi trả",
    # services
    "The date accounts are credited": "Ngày chuyển tiền vào tài khoản",
    "The date cash is paid from": "Ngày bắt đầu chi tiền mặt",
    "%(what)s (%(value)s) must fall between %(first)s and %(last)s for the cycle of "
    "%(month)s.":
        "%(what)s (%(value)s) phải nằm trong khoảng từ %(first)s đến %(last)s đối với kỳ chi "
        "trả %(month)s.",
    "A payment cycle pays one month or two consecutive months, not %(n)s.":
        "Một kỳ chi trả chi cho một tháng hoặc hai tháng liền nhau, không phải %(n)s tháng.",
    "A payment cycle for %(month)s is being created in %(province)s.":
        "Kỳ chi trả %(month)s của %(province)s đang được tạo.",
    "A payment cycle paying %(month)s already exists in %(province)s (the cycle of "
    "%(cycle)s): a month is paid by one cycle only.":
        "%(province)s đã có kỳ chi trả cho tháng %(month)s (kỳ %(cycle)s): mỗi tháng chỉ "
        "được chi trong một kỳ.",
    "given other pay dates": "đổi ngày chi trả",
    "not yet released": "chưa phát hành lệnh chi",
    "You can only set the pay days of your own province.":
        "Bạn chỉ có thể đặt ngày chi trả của tỉnh mình.",
    "A pay day is a day of the month from 1 to 28 (every month has it), not %(value)s.":
        "Ngày chi trả là một ngày trong tháng từ 1 đến 28 (tháng nào cũng có), không phải "
        "%(value)s.",
    # files
    "Months %(months)s — %(where)s — paid from %(date)s":
        "Tháng %(months)s — %(where)s — chi từ ngày %(date)s",
    "Month %(months)s — %(where)s — paid from %(date)s":
        "Tháng %(months)s — %(where)s — chi từ ngày %(date)s",
    # pages
    "Give the date as YYYY-MM-DD, e.g. 2027-01-05 (got %(value)s).":
        "Nhập ngày theo dạng YYYY-MM-DD, ví dụ 2027-01-05 (đã nhập %(value)s).",
    "Pay dates changed.": "Đã đổi ngày chi trả.",
    "A pay day is a day of the month from 1 to 28.":
        "Ngày chi trả là một ngày trong tháng từ 1 đến 28.",
    "Pay days saved: cycles opened from now on take them.":
        "Đã lưu ngày chi trả: các kỳ chi trả mở từ nay sẽ theo ngày này.",
    "%(province)s — accounts credited on %(account)s, cash paid from %(cash)s":
        "%(province)s — chuyển tiền vào tài khoản ngày %(account)s, chi tiền mặt từ ngày "
        "%(cash)s",
    "This cycle pays two months, %(first)s and %(last)s: one line per entitlement and month, "
    "each with its own payment reference.":
        "Kỳ này chi trả hai tháng, %(first)s và %(last)s: mỗi chế độ một dòng chi trả cho mỗi "
        "tháng, mỗi dòng có mã thanh toán riêng.",
    "Months paid": "Tháng chi trả",
    "Accounts credited on": "Chuyển tiền vào tài khoản ngày",
    "the requested execution date of the payment files": "ngày thực hiện ghi trên tệp lệnh chi",
    "Cash paid from": "Chi tiền mặt từ ngày",
    "at the commune pay points": "tại các điểm chi trả cấp xã",
    "Change the pay dates": "Đổi ngày chi trả",
    "Lines by month paid": "Dòng chi trả theo tháng",
    "Not paid in this cycle": "Không chi trong kỳ này",
    "Also pay the next month (e.g. January and February together before Tết)":
        "Chi gộp cả tháng sau (ví dụ tháng 1 và tháng 2 chi cùng nhau trước Tết)",
    "Leave the dates empty to take the province's pay days.":
        "Để trống ngày để dùng ngày chi trả của tỉnh.",
    "Pay days of %(province)s: bank, mobile-money and e-wallet accounts are credited on day "
    "%(account)s of the month; cash is paid at the pay points from day %(cash)s.":
        "Ngày chi trả của %(province)s: tiền được chuyển vào tài khoản ngân hàng, Mobile Money "
        "và ví điện tử ngày %(account)s hằng tháng; chi tiền mặt tại các điểm chi trả từ ngày "
        "%(cash)s.",
    "Accounts credited on day": "Chuyển tiền vào tài khoản ngày",
    "Cash paid from day": "Chi tiền mặt từ ngày",
    "Save the pay days": "Lưu ngày chi trả",
    "Pay dates": "Ngày chi trả",
    "accounts": "tài khoản",
    "cash": "tiền mặt",
    "Any month": "Mọi tháng",
}
VI.update({
    # API token scope
    "Open payment cycles and set their pay dates":
        "Mở kỳ chi trả và đặt ngày chi trả",
})
