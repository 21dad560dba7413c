"""Vietnamese translations of the outreach app's English msgids (plan task 1).

Applied to locale/vi like scripts/i18n/vi.py:
    python scripts/i18n/fill_po.py src/chitra/locale/vi/LC_MESSAGES/django.po \
        scripts/i18n/vi_outreach.py
"""

VI = {
    # app, models, choices
    "Outreach to beneficiaries paid in cash": "Vận động người hưởng đang nhận tiền mặt",
    "Agreed to be paid without cash": "Đồng ý nhận không dùng tiền mặt",
    "Declined": "Từ chối",
    "Unreachable": "Không liên lạc được",
    "Needs an ID card first": "Cần cấp căn cước trước",
    "Needs a phone first": "Cần có điện thoại trước",
    "Needs an account (referred to a provider)": "Cần mở tài khoản (đã giới thiệu đơn vị)",
    "Moved away": "Đã chuyển đi nơi khác",
    "Reported dead": "Được báo đã chết",
    "start date": "ngày bắt đầu",
    "end date": "ngày kết thúc",
    "outreach campaign": "đợt vận động",
    "outreach campaigns": "đợt vận động",
    "Done": "Đã xong",
    "last outcome": "kết quả gần nhất",
    "last contact": "lần liên hệ gần nhất",
    "follow up on": "hẹn liên hệ lại",
    "outreach assignment": "người hưởng trong danh sách vận động",
    "outreach assignments": "danh sách vận động",
    "Home visit": "Đến nhà",
    "Prefers cash": "Muốn nhận tiền mặt",
    "Does not trust accounts": "Chưa tin tưởng tài khoản",
    "Too old or unwell to use an account": "Tuổi cao hoặc ốm yếu, không dùng được tài khoản",
    "The family decides": "Gia đình quyết định",
    "Fees or distance to the provider": "Phí hoặc xa điểm giao dịch",
    "Other reason": "Lý do khác",
    "officer": "cán bộ",
    "date": "ngày",
    "channel": "hình thức",
    "provider": "đơn vị cung cấp dịch vụ",
    "recorded at": "ghi nhận lúc",
    "contact": "lần liên hệ",
    "contact log": "nhật ký liên hệ",
    "reported by": "người báo",
    "reported at": "thời điểm báo",
    "checked at": "đối chiếu lúc",
    "outcome of the check": "kết quả đối chiếu",
    "death report": "tin báo tử vong",
    "death reports": "tin báo tử vong",
    # services
    "Choose the province of the campaign.": "Chọn tỉnh của đợt vận động.",
    "A campaign can only cover your own province.":
        "Đợt vận động chỉ được trong tỉnh của đơn vị mình.",
    "Give the campaign a name.": "Đặt tên cho đợt vận động.",
    "The end date cannot be before the start date.":
        "Ngày kết thúc không được trước ngày bắt đầu.",
    "Choose at least one commune.": "Chọn ít nhất một xã, phường.",
    "%(commune)s is outside your area.": "%(commune)s nằm ngoài địa bàn của bạn.",
    "%(name)s cannot work on outreach.": "%(name)s không được giao công việc vận động.",
    "This assignment is already done.": "Người hưởng này đã vận động xong.",
    "Unknown outcome.": "Kết quả không hợp lệ.",
    "Say whether it was a visit or a call.": "Cho biết là đến nhà hay gọi điện.",
    "The date of the contact cannot be in the future.":
        "Ngày liên hệ không được ở tương lai.",
    "The follow-up date cannot be before the contact.":
        "Ngày hẹn liên hệ lại không được trước ngày liên hệ.",
    "Unknown reason.": "Lý do không hợp lệ.",
    "Say why the beneficiary declined.": "Cho biết lý do người hưởng từ chối.",
    "Describe the reason in the note.": "Ghi rõ lý do trong phần ghi chú.",
    "Choose the provider the beneficiary is referred to and the date to follow up.":
        "Chọn đơn vị giới thiệu người hưởng đến và ngày hẹn liên hệ lại.",
    "Choose how the beneficiary wants to be paid (bank account, mobile money or e-wallet).":
        "Chọn hình thức người hưởng muốn nhận (tài khoản ngân hàng, Mobile Money hoặc "
        "ví điện tử).",
    "Your organisation cannot open payment change requests: record the agreement with the "
    "provider only; BHXH opens the request.":
        "Đơn vị của bạn không được lập yêu cầu thay đổi hình thức chi trả: chỉ ghi nhận sự "
        "đồng ý và đơn vị cung cấp dịch vụ; BHXH sẽ lập yêu cầu.",
    # views and exports
    "Outreach campaigns": "Đợt vận động",
    "Campaign": "Đợt vận động",
    "Province": "Tỉnh",
    "Start date": "Ngày bắt đầu",
    "End date": "Ngày kết thúc",
    "Contacted": "Đã liên hệ",
    "Agreed": "Đồng ý",
    "Campaign created: %(n)s beneficiaries paid in cash on the work list.":
        "Đã tạo đợt vận động: %(n)s người hưởng nhận tiền mặt trong danh sách.",
    "Not assigned": "Chưa giao",
    "Outreach progress: %(name)s": "Tiến độ vận động: %(name)s",
    "Agreed share": "Tỷ lệ đồng ý (%)",
    "Contacted share": "Tỷ lệ đã liên hệ (%)",
    "Outreach work list: %(name)s": "Danh sách vận động: %(name)s",
    "Last outcome": "Kết quả gần nhất",
    "Last contact": "Liên hệ gần nhất",
    "Follow up on": "Hẹn liên hệ lại",
    "%(n)s assignments given.": "Đã giao %(n)s người hưởng.",
    "%(n)s were not given: done already, or outside the officer's area.":
        "%(n)s người chưa được giao: đã vận động xong hoặc ngoài địa bàn của cán bộ.",
    "My outreach work list": "Danh sách vận động của tôi",
    "Recorded: %(outcome)s.": "Đã ghi nhận: %(outcome)s.",
    "Draft payment change request #%(n)s opened: record the consent to submit it.":
        "Đã lập bản nháp yêu cầu thay đổi hình thức chi trả số %(n)s: ghi nhận sự đồng ý "
        "của người hưởng để gửi duyệt.",
    "Found by outreach": "Phát hiện khi vận động",
    "No personal ID": "Chưa có số định danh cá nhân",
    "Beneficiaries to issue an ID card first": "Người hưởng cần ưu tiên cấp căn cước",
    "Why": "Lý do",
    "Deaths reported during outreach": "Tin báo tử vong khi vận động",
    "Reported on": "Ngày báo",
    "Reported by": "Người báo",
    "Checked on": "Ngày đối chiếu",
    "Register outcome": "Kết quả đối chiếu CSDLQGDC",
    "No open death report to check.": "Không có tin báo tử vong nào chờ đối chiếu.",
    "Checked against the population register: %(deceased)s confirmed deceased of %(total)s.":
        "Đã đối chiếu với CSDLQGDC: %(deceased)s/%(total)s người được xác nhận đã chết.",
    # forms
    "Campaign name": "Tên đợt vận động",
    "Communes": "Xã, phường",
    "Channel": "Hình thức liên hệ",
    "Date": "Ngày",
    "Reason for declining": "Lý do từ chối",
    # templates
    "Call": "Gọi",
    "Declined: the reason": "Từ chối: lý do",
    "Agreed or referred: provider and account": "Đồng ý hoặc giới thiệu: đơn vị và tài khoản",
    "With the account details a draft payment change request is opened; without them the "
    "agreement is recorded as a referral to the provider.":
        "Có thông tin tài khoản thì hệ thống lập bản nháp yêu cầu thay đổi hình thức chi trả; "
        "chưa có thì ghi nhận là giới thiệu đến đơn vị cung cấp dịch vụ.",
    "The agreement is recorded with the provider; BHXH opens the payment change request.":
        "Ghi nhận sự đồng ý và đơn vị cung cấp dịch vụ; BHXH sẽ lập yêu cầu thay đổi hình "
        "thức chi trả.",
    "Record the contact": "Ghi nhận lần liên hệ",
    "My work list": "Danh sách của tôi",
    "ID-card priority list": "Danh sách ưu tiên cấp căn cước",
    "Reported deaths": "Tin báo tử vong",
    "Nothing on the work list.": "Danh sách trống.",
    "Contact log": "Nhật ký liên hệ",
    "No contact yet.": "Chưa liên hệ lần nào.",
    "Back to the work list": "Quay lại danh sách",
    "Work list": "Danh sách vận động",
    "Not contacted yet": "Chưa liên hệ",
    "Work list and assignment": "Danh sách và giao việc",
    "Progress per commune": "Tiến độ theo xã, phường",
    "Progress per officer": "Tiến độ theo cán bộ",
    "New campaign": "Tạo đợt vận động",
    "No campaign yet.": "Chưa có đợt vận động nào.",
    "New outreach campaign": "Tạo đợt vận động mới",
    "The work list holds every beneficiary of the chosen communes with an active monthly "
    "benefit who is still paid in cash.":
        "Danh sách gồm mọi người hưởng chế độ hằng tháng của các xã, phường đã chọn còn đang "
        "nhận bằng tiền mặt.",
    "Create the campaign and its work list": "Tạo đợt vận động và danh sách",
    "Check the open reports against the population register":
        "Đối chiếu các tin báo với CSDLQGDC",
    "Show checked reports too": "Hiện cả tin đã đối chiếu",
    "Open reports only": "Chỉ tin chờ đối chiếu",
    "Waiting for the check": "Chờ đối chiếu",
    "No report.": "Không có tin báo.",
    "Beneficiaries of your area without a 12-digit personal ID, and those whom outreach "
    "found to need a card.":
        "Người hưởng trên địa bàn chưa có số định danh cá nhân 12 số, và những người được "
        "phát hiện cần cấp căn cước khi vận động.",
    "Nobody to list.": "Không có ai.",
    "Open work in my area": "Việc còn mở trên địa bàn",
    "Only mine": "Chỉ của tôi",
    "Everything open in my area": "Mọi việc còn mở trên địa bàn",
    "No open work for you.": "Bạn không còn việc nào.",
}
