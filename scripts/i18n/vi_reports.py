"""Vietnamese translations of the English msgids of the targets, indicators and reports app
(chitra.reports) and of the complaints and fraud reports app (chitra.grievances).

Applied to locale/vi like scripts/i18n/vi.py:
    python scripts/i18n/fill_po.py src/chitra/locale/vi/LC_MESSAGES/django.po \
        scripts/i18n/vi_reports.py

Vocabulary (reports): indicator / KPI = chỉ tiêu; target = mục tiêu; dashboard = bảng điều
hành; periodic report = báo cáo định kỳ; issue a report = ban hành báo cáo; plan task =
nhiệm vụ của kế hoạch; lead agency = cơ quan chủ trì; co-ordinating agency = cơ quan phối hợp;
cashless share = tỷ lệ chi trả không dùng tiền mặt; on track = đúng tiến độ; behind = chậm
tiến độ; met = đã đạt; numerator / denominator = tử số / mẫu số; dimension = phân tổ.
Vocabulary (grievances): complaint = khiếu nại; fraud report = tố giác gian lận; ticket =
phiếu; scam attempt = lừa đảo; routed to = chuyển đến; copy to = đồng gửi; due date = hạn xử
lý; overdue = quá hạn; resolution = kết quả giải quyết; raised by = nguồn phản ánh; reporter =
người phản ánh; received via = hình thức tiếp nhận.
Shared with the other tables: beneficiary = người hưởng; provider = đơn vị chi trả;
population register = CSDLQGDC; outreach = vận động; (VND) = (đồng).
"""

VI = {
    # --- grievances: app, form --------------------------------------------------------------
    "Complaints and fraud reports": "Khiếu nại và tố giác gian lận",
    "Category": "Phân loại",
    "What happened": "Nội dung vụ việc",
    "Beneficiary's personal ID (12 digits)":
        "Số định danh cá nhân của người hưởng (12 chữ số)",
    "Raised by": "Nguồn phản ánh",
    "Received via": "Hình thức tiếp nhận",
    "Name of the person complaining": "Họ tên người khiếu nại",
    "Their phone": "Số điện thoại người khiếu nại",
    "Priority": "Mức độ ưu tiên",
    "By category": "Theo phân loại",
    "A bank, mobile-money or wallet account is involved":
        "Có liên quan đến tài khoản ngân hàng, Mobile Money hoặc ví điện tử",
    "Received on": "Ngày tiếp nhận",
    "A personal ID has 12 digits.": "Số định danh cá nhân gồm 12 chữ số.",
    # also the note of a plan task update (templates/reports/plan.html)
    "What was done": "Nội dung đã thực hiện",
    # --- grievances: models, choices ----------------------------------------------------------
    "Payment not received": "Chưa nhận được tiền",
    "Wrong amount": "Sai số tiền",
    "Account problem": "Sự cố tài khoản",
    "Scam attempt": "Lừa đảo",
    "Suspected fraud": "Nghi vấn gian lận",
    "Data error": "Sai sót dữ liệu",
    "An officer": "Cán bộ",
    "A bank or provider": "Ngân hàng hoặc đơn vị chi trả",
    "Another system (API)": "Hệ thống khác (API)",
    "A beneficiary or their family": "Người hưởng hoặc người thân",
    "At the counter": "Tại quầy",
    "Hotline": "Đường dây nóng",
    "Letter": "Đơn, thư",
    "Web": "Trang web",
    # also a status of a plan task
    "In progress": "Đang thực hiện",
    "Waiting for information": "Chờ bổ sung thông tin",
    "Not founded": "Không có cơ sở",
    "Normal": "Bình thường",
    "High": "Cao",
    "Urgent": "Khẩn",
    "Paid (late)": "Đã chi trả (chậm)",
    "Corrected": "Đã điều chỉnh",
    "Refunded": "Đã hoàn trả",
    "Referred to the police": "Chuyển cơ quan công an",
    "Not founded (no fault found)": "Không có cơ sở (không phát hiện sai sót)",
    "Other": "Khác",
    # also the number of an issued report
    "number": "số",
    "category": "phân loại",
    "raised by": "nguồn phản ánh",
    "received via": "hình thức tiếp nhận",
    "description": "nội dung",
    "payment": "khoản chi trả",
    "reported by (name)": "người phản ánh (họ tên)",
    "reporter's phone": "số điện thoại người phản ánh",
    "an account is involved": "có liên quan đến tài khoản",
    "routed to": "chuyển đến",
    "copy to": "đồng gửi",
    "priority": "mức độ ưu tiên",
    "received on": "ngày tiếp nhận",
    "due date": "hạn xử lý",
    "resolved by": "người giải quyết",
    "recorded by": "người tiếp nhận",
    "complaint": "khiếu nại",
    "complaints": "khiếu nại",
    # the kinds of a step of a complaint's history
    "Recorded": "Tiếp nhận",
    "Routed": "Chuyển xử lý",
    "Assigned": "Giao xử lý",
    "Comment": "Ý kiến",
    "Status changed": "Đổi trạng thái",
    "Reopened": "Mở lại",
    # "by": the author of a history step or of a plan update (admin), and on the dashboard
    # "(by 31/12/2026)" for a target's deadline: the page reading wins
    "by": "hạn",
    "to": "đến",
    "status before": "trạng thái trước",
    "status after": "trạng thái sau",
    "complaint history entry": "bước xử lý khiếu nại",
    "complaint history": "quá trình xử lý khiếu nại",
    # --- grievances: services -----------------------------------------------------------------
    "Cannot route the complaint: there is no active organisation of kind '%(kind)s' in "
    "%(province)s. Ask the administrator to add it.":
        "Không thể chuyển khiếu nại: %(province)s chưa có tổ chức loại '%(kind)s' đang hoạt "
        "động. Hãy đề nghị quản trị viên bổ sung.",
    "Unknown category '%(value)s'.": "Phân loại không hợp lệ: '%(value)s'.",
    "Only the organisation this complaint is routed to, or the provincial BHXH, can do this.":
        "Chỉ tổ chức đang được chuyển khiếu nại này, hoặc BHXH tỉnh, mới được thực hiện thao "
        "tác này.",
    "Unknown source '%(value)s'.": "Nguồn phản ánh không hợp lệ: '%(value)s'.",
    "Unknown channel '%(value)s'.": "Hình thức tiếp nhận không hợp lệ: '%(value)s'.",
    "Unknown priority '%(value)s'.": "Mức độ ưu tiên không hợp lệ: '%(value)s'.",
    "Describe the complaint.": "Hãy ghi nội dung khiếu nại.",
    "The date received cannot be in the future.": "Ngày tiếp nhận không được ở tương lai.",
    "The reporter's phone '%(value)s' is not valid: expected a Vietnamese number such as "
    "0912345678.":
        "Số điện thoại người phản ánh '%(value)s' không hợp lệ: cần số điện thoại Việt Nam, "
        "ví dụ 0912345678.",
    "Payment %(ref)s is not one of your area or your customers.":
        "Khoản chi trả %(ref)s không thuộc địa bàn hoặc khách hàng của đơn vị bạn.",
    "Payment %(ref)s is not a payment to this beneficiary.":
        "Khoản chi trả %(ref)s không phải là khoản chi cho người hưởng này.",
    "This beneficiary is not one of your area or your customers.":
        "Người hưởng này không thuộc địa bàn hoặc khách hàng của đơn vị bạn.",
    "Choose the commune the complaint comes from (or the beneficiary).":
        "Hãy chọn xã/phường nơi phát sinh khiếu nại (hoặc chọn người hưởng).",
    "This complaint is already answered: reopen it first.":
        "Khiếu nại này đã được trả lời: hãy mở lại trước.",
    "%(org)s does not handle complaints.": "%(org)s không giải quyết khiếu nại.",
    "%(org)s is not an organisation of %(province)s.":
        "%(org)s không phải là tổ chức thuộc %(province)s.",
    "The complaint is already with %(org)s.": "Khiếu nại đang do %(org)s xử lý.",
    "Say why the complaint is sent to another organisation.":
        "Ghi rõ lý do chuyển khiếu nại sang tổ chức khác.",
    "%(name)s cannot work on this complaint.":
        "%(name)s không được giao xử lý khiếu nại này.",
    "Write the comment.": "Hãy nhập ý kiến.",
    "This complaint is closed: reopen it first.": "Khiếu nại này đã đóng: hãy mở lại trước.",
    "Record the resolution to answer the complaint.":
        "Hãy ghi kết quả giải quyết để trả lời khiếu nại.",
    "Unknown status '%(value)s'.": "Trạng thái không hợp lệ: '%(value)s'.",
    "A complaint that is '%(from)s' cannot become '%(to)s'.":
        "Khiếu nại đang ở trạng thái '%(from)s' không thể chuyển sang '%(to)s'.",
    "Say which information is awaited, and from whom.":
        "Ghi rõ thông tin cần bổ sung và do ai cung cấp.",
    "Choose the outcome of the complaint.": "Hãy chọn kết quả giải quyết khiếu nại.",
    "Describe what was done (the resolution).":
        "Ghi rõ nội dung đã thực hiện (kết quả giải quyết).",
    "This complaint is already answered.": "Khiếu nại này đã được trả lời.",
    "Say why the complaint is reopened.": "Ghi rõ lý do mở lại khiếu nại.",
    "This complaint is still open.": "Khiếu nại này vẫn đang được xử lý.",
    # --- grievances: views --------------------------------------------------------------------
    # also the number of an issued report
    "Number": "Số",
    "Routed to": "Chuyển đến",
    "Due date": "Hạn xử lý",
    "Overdue": "Quá hạn",
    "Resolved on": "Ngày giải quyết",
    "Description": "Nội dung",
    "No beneficiary of your area has personal ID %(pid)s.":
        "Không có người hưởng nào trên địa bàn của bạn có số định danh %(pid)s.",
    "No beneficiary of your area has this personal ID.":
        "Không có người hưởng nào trên địa bàn của bạn có số định danh này.",
    "No payment of your area (or of your customers) has this reference.":
        "Không có khoản chi trả nào trên địa bàn của bạn (hoặc của khách hàng của đơn vị bạn) "
        "có mã tham chiếu này.",
    "Complaint %(number)s recorded and routed to %(org)s; due on %(due)s.":
        "Đã tiếp nhận khiếu nại %(number)s và chuyển đến %(org)s; hạn xử lý %(due)s.",
    "Comment added.": "Đã thêm ý kiến.",
    "Choose the organisation to send the complaint to.":
        "Hãy chọn tổ chức để chuyển khiếu nại đến.",
    "Complaint sent to %(org)s.": "Đã chuyển khiếu nại đến %(org)s.",
    "Unknown officer.": "Cán bộ không hợp lệ.",
    "Assigned.": "Đã giao xử lý.",
    "Status: %(status)s.": "Trạng thái: %(status)s.",
    "Complaint closed.": "Đã đóng khiếu nại.",
    "Answer recorded: %(status)s.": "Đã ghi nhận kết quả giải quyết: %(status)s.",
    "Complaint reopened.": "Đã mở lại khiếu nại.",
    # --- grievances: templates ----------------------------------------------------------------
    "Complaints": "Khiếu nại",
    "Open complaints": "Khiếu nại chưa giải quyết",
    "Routed to my organisation": "Chuyển đến đơn vị tôi",
    "All complaints": "Tất cả khiếu nại",
    "New complaint": "Tiếp nhận khiếu nại",
    "Copy to": "Đồng gửi",
    "Recorded by": "Người tiếp nhận",
    "An account is involved": "Có liên quan đến tài khoản",
    "Answer": "Kết quả giải quyết",
    "Complaint history": "Quá trình xử lý",
    "Step": "Bước xử lý",
    "Add the comment": "Thêm ý kiến",
    "Answer the complaint": "Trả lời khiếu nại",
    "Record the answer": "Ghi kết quả giải quyết",
    "Note (which information is awaited)": "Ghi chú (thông tin cần bổ sung)",
    "Change the status": "Đổi trạng thái",
    "Assign to": "Giao cho",
    "Send to another organisation": "Chuyển sang tổ chức khác",
    "Send": "Chuyển",
    "Close the complaint": "Đóng khiếu nại",
    "Why reopen": "Lý do mở lại",
    "Reopen": "Mở lại",
    "Number, payment reference or personal ID":
        "Số phiếu, mã tham chiếu chi trả hoặc số định danh",
    "Not answered yet": "Chưa trả lời",
    "All categories": "Tất cả phân loại",
    "No complaint.": "Không có khiếu nại nào.",
    "Record a complaint or a fraud report": "Tiếp nhận khiếu nại hoặc tố giác gian lận",
    "The complaint is routed by its category: payments and data errors to BHXH, account "
    "problems to the bank or provider, scams and frauds to the police (with a copy to the "
    "State Bank branch when an account is involved). The deadline follows from the category.":
        "Khiếu nại được chuyển xử lý theo phân loại: vấn đề chi trả và sai sót dữ liệu chuyển "
        "đến BHXH, sự cố tài khoản chuyển đến ngân hàng hoặc đơn vị chi trả, lừa đảo và gian "
        "lận chuyển đến cơ quan công an (đồng gửi Ngân hàng Nhà nước chi nhánh khi có liên "
        "quan đến tài khoản). Hạn xử lý được xác định theo phân loại.",
    "Find the beneficiary by personal ID": "Tìm người hưởng theo số định danh",
    "Find": "Tìm",
    "Who and where": "Đối tượng và địa bàn",
    "From the beneficiary": "Theo người hưởng",
    "Needed only when no beneficiary is named (e.g. a scam attempt on someone else).":
        "Chỉ cần khi không xác định được người hưởng (ví dụ: lừa đảo nhắm vào người khác).",
    "Optional: links the payment the complaint is about.":
        "Không bắt buộc: gắn khoản chi trả bị khiếu nại.",
    "How it was received": "Thông tin tiếp nhận",
    "Record and route": "Tiếp nhận và chuyển xử lý",
    # --- reports: app, indicator catalogue ----------------------------------------------------
    "Targets, indicators and reports": "Chỉ tiêu, mục tiêu và báo cáo",
    "Cashless share": "Tỷ lệ chi trả không dùng tiền mặt",
    "Share of the people entitled in the month who are paid into a verified account (bank, "
    "mobile money, e-wallet). Monthly benefits: entitlements running in the month; one-off "
    "benefits: entitlements starting from January to the month.":
        "Tỷ lệ người hưởng trong tháng được chi trả vào tài khoản đã xác thực (tài khoản ngân "
        "hàng, Mobile Money, ví điện tử). Chế độ hằng tháng: chế độ hưởng còn hiệu lực trong "
        "tháng; chế độ một lần: chế độ hưởng bắt đầu từ tháng 1 đến tháng báo cáo.",
    "people whose payment method in force for the month is an account, verified":
        "số người có phương thức chi trả áp dụng trong tháng là tài khoản đã xác thực",
    "people with a running entitlement of the group (not deceased, not inactive)":
        "số người có chế độ hưởng thuộc nhóm còn hiệu lực (trừ người đã chết, người không còn "
        "hưởng)",
    "Outreach: people contacted": "Vận động: tỷ lệ người đã được liên hệ",
    "Share of the people on outreach work lists who have been contacted at least once.":
        "Tỷ lệ người trong danh sách vận động đã được liên hệ ít nhất một lần.",
    "assignments with a contact": "số người trong danh sách vận động đã được liên hệ",
    "assignments of the campaigns": "số người trong danh sách của các đợt vận động",
    "Outreach: agreed to be paid without cash": "Vận động: đồng ý nhận không dùng tiền mặt",
    "Share of the people on outreach work lists whose last outcome is an agreement.":
        "Tỷ lệ người trong danh sách vận động có kết quả gần nhất là đồng ý.",
    "assignments whose last outcome is 'agreed'":
        "số người trong danh sách vận động có kết quả gần nhất là 'đồng ý'",
    "Verified against the population register": "Đã xác thực với CSDLQGDC",
    "Share of the active beneficiaries confirmed on the national population register.":
        "Tỷ lệ người đang hưởng đã được xác thực trên Cơ sở dữ liệu quốc gia về dân cư.",
    "active beneficiaries confirmed on the register":
        "số người đang hưởng đã được xác thực trên CSDLQGDC",
    "active beneficiaries": "số người đang hưởng",
    "Verification outcomes": "Kết quả xác thực",
    "Active beneficiaries by the outcome of their latest check against the register.":
        "Số người đang hưởng theo kết quả đối chiếu gần nhất với CSDLQGDC.",
    "beneficiaries with this outcome": "số người hưởng có kết quả này",
    "(none)": "(không có)",
    "Accounts confirmed": "Tài khoản đã xác thực",
    "Share of the payment accounts (not closed) confirmed by their provider.":
        "Tỷ lệ tài khoản nhận (chưa đóng) đã được đơn vị chi trả xác thực.",
    "verified accounts": "số tài khoản đã xác thực",
    "accounts not closed": "số tài khoản chưa đóng",
    "First-attempt payment success": "Tỷ lệ chi thành công lần đầu",
    "Share of the month's first-attempt payments with a result that were paid (all "
    "providers, and per provider).":
        "Tỷ lệ khoản chi lần đầu trong tháng đã có kết quả được chi thành công (tất cả đơn vị "
        "chi trả và từng đơn vị chi trả).",
    "first-attempt lines paid": "số dòng chi trả lần đầu đã chi",
    "first-attempt lines paid or failed": "số dòng chi trả lần đầu đã chi hoặc thất bại",
    "Returned payments": "Khoản chi bị trả về",
    "Failed payments of the month by return reason and by provider: count and amount.":
        "Các khoản chi thất bại trong tháng theo lý do trả về và theo đơn vị chi trả: số lượng "
        "và số tiền.",
    "amount returned (VND)": "số tiền bị trả về (đồng)",
    "lines returned": "số dòng chi trả bị trả về",
    "Amount without a result": "Số tiền chưa có kết quả",
    "Payments of the month sent to providers and still without a result.":
        "Các khoản chi trong tháng đã gửi đơn vị chi trả nhưng chưa có kết quả.",
    "Paid after death": "Chi sau khi chết",
    "Amounts paid after a death found in the month, to recover (form C75-HD).":
        "Số tiền đã chi sau khi chết được phát hiện trong tháng, cần truy thu (mẫu C75-HD).",
    "people": "số người",
    "Amounts recovered, among the recoveries opened in the month.":
        "Số tiền đã thu hồi của các khoản truy thu phát sinh trong tháng.",
    "amount recovered (VND)": "số tiền đã thu hồi (đồng)",
    "Complaint deadlines met": "Giải quyết khiếu nại đúng hạn",
    "Share of the complaints due in the month that were answered by their deadline "
    "(complaints still open before their deadline are not counted yet).":
        "Tỷ lệ khiếu nại đến hạn xử lý trong tháng được trả lời đúng hạn (khiếu nại đang xử "
        "lý và chưa đến hạn thì chưa tính).",
    "complaints due in the month answered on time":
        "số khiếu nại đến hạn trong tháng được trả lời đúng hạn",
    "complaints due in the month, answered or overdue":
        "số khiếu nại đến hạn trong tháng đã được trả lời hoặc đã quá hạn",
    # --- reports: models ----------------------------------------------------------------------
    "Monthly pension and allowances": "Lương hưu, trợ cấp BHXH hằng tháng",
    "Survivor and funeral allowances": "Trợ cấp tuất một lần, mai táng",
    "month": "tháng",
    "benefit group": "nhóm chế độ",
    "indicator": "chỉ tiêu",
    "dimension": "phân tổ",
    "indicator value": "giá trị chỉ tiêu",
    "indicator values": "giá trị chỉ tiêu",
    "indicator refresh": "lần tính chỉ tiêu",
    "indicator refreshes": "lần tính chỉ tiêu",
    "Urban and rural": "Thành thị và nông thôn",
    "Urban areas": "Khu vực thành thị",
    "Rural areas": "Khu vực nông thôn",
    "areas": "khu vực",
    "target (%)": "mục tiêu (%)",
    "to keep every month": "duy trì hằng tháng",
    "deadline": "thời hạn",
    "target": "mục tiêu",
    "targets": "mục tiêu",
    "Weekly": "Hằng tuần",
    "Monthly": "Hằng tháng",
    "Yearly": "Hằng năm",
    "Ad hoc": "Đột xuất",
    "period": "kỳ báo cáo",
    "issuing body": "cơ quan ban hành",
    "year": "năm",
    "title": "tiêu đề",
    "data": "số liệu",
    "issued at": "ban hành lúc",
    "issued by": "người ban hành",
    "issued report": "báo cáo đã ban hành",
    "issued reports": "báo cáo đã ban hành",
    "no.": "số thứ tự",
    "task": "nhiệm vụ",
    "lead agencies": "cơ quan chủ trì",
    "co-ordinating agencies": "cơ quan phối hợp",
    "recurring": "định kỳ",
    "plan task": "nhiệm vụ của kế hoạch",
    "plan tasks": "nhiệm vụ của kế hoạch",
    "Not started": "Chưa thực hiện",
    "Blocked": "Vướng mắc",
    "agency": "cơ quan",
    "done (%)": "tỷ lệ hoàn thành (%)",
    "plan task update": "cập nhật tiến độ nhiệm vụ",
    "plan task updates": "cập nhật tiến độ nhiệm vụ",
    # --- reports: the periodic report document ------------------------------------------------
    "The period %(period)s does not fit a %(kind)s report (weekly: 2026-W48, monthly: "
    "2026-11, yearly: 2026).":
        "Kỳ báo cáo %(period)s không phù hợp với loại báo cáo %(kind)s (tuần: 2026-W48, tháng: "
        "2026-11, năm: 2026).",
    "week %(week)s/%(year)s": "tuần %(week)s/%(year)s",
    "month %(month)s/%(year)s": "tháng %(month)s/%(year)s",
    "year %(year)s": "năm %(year)s",
    "Pursuant to the plan for paying pensions and social insurance benefits without cash in "
    "%(province)s, this report gives the results as of %(month)s, computed from the data of "
    "chitra.":
        "Thực hiện Kế hoạch chi trả lương hưu, trợ cấp bảo hiểm xã hội không dùng tiền mặt "
        "trên địa bàn %(province)s, báo cáo kết quả thực hiện đến tháng %(month)s (số liệu "
        "tổng hợp từ hệ thống chitra) như sau:",
    "%(cashless)s of %(people)s people receiving a monthly pension or allowance (%(share)s "
    "%%) are paid without cash.":
        "Có %(cashless)s/%(people)s người hưởng lương hưu, trợ cấp BHXH hằng tháng (đạt "
        "%(share)s %%) nhận chi trả không dùng tiền mặt.",
    "1. Recipients paid without cash, by benefit group":
        "1. Số người nhận chi trả không dùng tiền mặt theo nhóm chế độ",
    "Benefit group": "Nhóm chế độ",
    "Recipients": "Số người hưởng",
    "Paid without cash": "Số người nhận không dùng tiền mặt",
    "Share (%)": "Tỷ lệ (%)",
    "Target (%)": "Mục tiêu (%)",
    "2. Monthly pensions and allowances paid without cash, by commune":
        "2. Chi trả lương hưu, trợ cấp BHXH hằng tháng không dùng tiền mặt theo xã/phường",
    "3. Verification against the national population register":
        "3. Kết quả xác thực với Cơ sở dữ liệu quốc gia về dân cư",
    "People": "Số người",
    "Confirmed on the register: %(n)s of %(d)s active beneficiaries.":
        "Đã xác thực trên CSDLQGDC: %(n)s/%(d)s người đang hưởng.",
    "4. Payments of the month returned by the providers":
        "4. Các khoản chi trong tháng bị đơn vị chi trả trả về",
    "First-attempt success: %(share)s %%; still without a result: %(amount)s VND.":
        "Tỷ lệ chi thành công lần đầu: %(share)s %%; số tiền chưa có kết quả: %(amount)s "
        "đồng.",
    "Outreach: %(contacted)s of %(assigned)s people on the work lists contacted, %(agreed)s "
    "agreed to be paid without cash.":
        "Công tác vận động: đã liên hệ %(contacted)s/%(assigned)s người trong danh sách vận "
        "động, %(agreed)s người đồng ý nhận không dùng tiền mặt.",
    "Complaints due in the month: %(due)s, resolved on time: %(on_time)s.":
        "Khiếu nại đến hạn xử lý trong tháng: %(due)s, đã giải quyết đúng hạn: %(on_time)s.",
    "Amounts paid after death to recover (found in the month): %(amount)s VND.":
        "Số tiền đã chi sau khi chết cần truy thu (phát hiện trong tháng): %(amount)s đồng.",
    "REPORT": "BÁO CÁO",
    "Results of paying pensions and social insurance benefits without cash":
        "Kết quả chi trả lương hưu, trợ cấp bảo hiểm xã hội không dùng tiền mặt",
    "Vietnam Social Security;": "BHXH Việt Nam;",
    "Provincial People's Committee;": "UBND tỉnh;",
    "Filed.": "Lưu: VT.",
    "DIRECTOR": "GIÁM ĐỐC",
    # --- reports: selectors, services, views --------------------------------------------------
    "Urban": "Thành thị",
    "Rural": "Nông thôn",
    "Met": "Đã đạt",
    "On track": "Đúng tiến độ",
    "Behind": "Chậm tiến độ",
    "No data yet": "Chưa có số liệu",
    "Provincial social insurance": "Bảo hiểm xã hội tỉnh",
    "You can only set the targets of your own province.":
        "Bạn chỉ được đặt mục tiêu của tỉnh mình.",
    "Unknown benefit group or area.": "Nhóm chế độ hoặc khu vực không hợp lệ.",
    "The target must be a percentage between 0 and 100.":
        "Mục tiêu phải là tỷ lệ phần trăm từ 0 đến 100.",
    "The commune is not in the province.": "Xã/phường không thuộc tỉnh.",
    "Unknown report kind %(kind)s.": "Loại báo cáo không hợp lệ: %(kind)s.",
    "Choose a province.": "Hãy chọn tỉnh.",
    "No.: %(number)s": "Số: %(number)s",
    "Only an agency of a province posts progress.":
        "Chỉ cơ quan, đơn vị thuộc tỉnh mới được cập nhật tiến độ.",
    "Unknown status.": "Trạng thái không hợp lệ.",
    "Say what was done (a note is required).": "Ghi rõ nội dung đã thực hiện (bắt buộc).",
    "The share done must be between 0 and 100.": "Tỷ lệ hoàn thành phải từ 0 đến 100.",
    "Cashless share by %(by)s, %(month)s":
        "Tỷ lệ chi trả không dùng tiền mặt theo %(by)s, tháng %(month)s",
    "Area": "Địa bàn",
    "Urban / rural": "Thành thị / nông thôn",
    "Cashless share (%)": "Tỷ lệ chi trả không dùng tiền mặt (%)",
    "Indicator refresh": "Tính lại chỉ tiêu",
    "Target saved.": "Đã lưu mục tiêu.",
    "Give the deadline as a date.": "Nhập thời hạn theo dạng ngày.",
    "Report %(number)s issued.": "Đã ban hành báo cáo số %(number)s.",
    "The file of report %(number)s is missing or was altered.":
        "Tệp của báo cáo số %(number)s không còn hoặc đã bị thay đổi.",
    "Progress recorded.": "Đã ghi nhận tiến độ.",
    # --- reports: menu, home page, job progress -----------------------------------------------
    "Reports": "Báo cáo",
    "Open the dashboard": "Mở bảng điều hành",
    "Reports due": "Báo cáo đến hạn",
    "weekly report": "báo cáo tuần",
    "monthly report": "báo cáo tháng",
    "yearly report": "báo cáo năm",
    "due": "hạn nộp",
    "issued": "đã ban hành",
    "overdue": "quá hạn",
    "to do": "cần thực hiện",
    "Periodic reports": "Báo cáo định kỳ",
    # --- reports: templates -------------------------------------------------------------------
    "Dashboard": "Bảng điều hành",
    "Targets": "Mục tiêu",
    "Plan tasks": "Nhiệm vụ của kế hoạch",
    "Indicator definitions": "Định nghĩa chỉ tiêu",
    "Every indicator is computed from the data, never typed in, each month per commune; "
    "areas add numerators and denominators.":
        "Mọi chỉ tiêu đều được tính từ dữ liệu, không nhập tay, hằng tháng cho từng xã/phường; "
        "số liệu của địa bàn lớn hơn được cộng từ tử số và mẫu số.",
    "Numerator": "Tử số",
    "Denominator": "Mẫu số",
    "Dimension": "Phân tổ",
    "Cashless payment: indicators and targets":
        "Chi trả không dùng tiền mặt: chỉ tiêu và mục tiêu",
    "Areas": "Khu vực",
    "Recompute the indicators": "Tính lại các chỉ tiêu",
    "Indicators are computed by the task worker from the data; the page reads only the "
    "monthly aggregates.":
        "Các chỉ tiêu được tác vụ nền tính từ dữ liệu; trang này chỉ đọc số liệu tổng hợp "
        "hằng tháng.",
    "people paid without cash": "người nhận không dùng tiền mặt",
    "to keep": "duy trì",
    "Projected at the deadline": "Dự báo đến thời hạn",
    "No target set.": "Chưa đặt mục tiêu.",
    "Monthly trend of the cashless share":
        "Diễn biến tỷ lệ chi trả không dùng tiền mặt theo tháng",
    "Monthly trend": "Diễn biến theo tháng",
    "Ranking": "Xếp hạng",
    "Indicators of the month": "Các chỉ tiêu tháng",
    "Indicator": "Chỉ tiêu",
    "Value": "Giá trị",
    "Cashless share by area": "Tỷ lệ chi trả không dùng tiền mặt theo địa bàn",
    "No data for this month yet: recompute the indicators.":
        "Chưa có số liệu tháng này: hãy tính lại các chỉ tiêu.",
    "Who reports what, by when": "Trách nhiệm và thời hạn báo cáo",
    "Period": "Kỳ báo cáo",
    "weekly %(w)s, monthly %(m)s, yearly %(y)s": "tuần %(w)s, tháng %(m)s, năm %(y)s",
    "Signer": "Người ký",
    "Issue the report": "Ban hành báo cáo",
    "Files": "Tệp",
    "No report issued yet.": "Chưa ban hành báo cáo nào.",
    "The seven tasks of the plan": "Bảy nhiệm vụ của kế hoạch",
    "Task": "Nhiệm vụ",
    "Lead": "Cơ quan chủ trì",
    "Co-ordinating": "Cơ quan phối hợp",
    "Deadline": "Thời hạn",
    "Progress by agency": "Tiến độ theo cơ quan",
    "every month": "hằng tháng",
    "No update yet.": "Chưa có cập nhật.",
    "Post progress of your agency": "Cập nhật tiến độ của cơ quan",
    "Post": "Gửi cập nhật",
    # a template string: Django doubles the "%" (python-format), so the translation does too
    "Target (%%)": "Mục tiêu (%%)",
    "Now": "Hiện tại",
    "Set a target": "Đặt mục tiêu",
    "Commune (optional)": "Xã/phường (không bắt buộc)",
    "Note (source of the target)": "Ghi chú (căn cứ của mục tiêu)",
    "Group by": "Tổng hợp theo",
}
