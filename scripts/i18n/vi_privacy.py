"""Vietnamese translations of the English msgids of the personal-data app (chitra.privacy), the
consent log and the record corrections of the registry.

Applied to locale/vi like scripts/i18n/vi.py:
    python scripts/i18n/fill_po.py src/chitra/locale/vi/LC_MESSAGES/django.po \
        scripts/i18n/vi_privacy.py

Vocabulary (the words of Law 91/2025/QH15 and Decree 356/2025/NĐ-CP): personal data = dữ liệu
cá nhân; data subject = chủ thể dữ liệu (the person); consent = sự đồng ý; withdraw consent =
rút lại sự đồng ý; objection / restriction of processing = phản đối / hạn chế xử lý; access
= xem, cung cấp dữ liệu; correction = chỉnh sửa; deletion = xóa; breach = vi phạm quy định bảo
vệ dữ liệu cá nhân (sự cố lộ, mất dữ liệu); competent authority = cơ quan chuyên trách bảo vệ
dữ liệu cá nhân (A05, Bộ Công an); retention = thời hạn lưu trữ; anonymise = khử nhận dạng;
sensitive data = dữ liệu cá nhân nhạy cảm; evidence seen = giấy tờ đã đối chiếu; audit trail =
nhật ký hệ thống. Shared: beneficiary = người hưởng; provider = đơn vị chi trả.
"""

VI = {
    # --- app, audit action labels -------------------------------------------------------------
    "Personal data protection": "Bảo vệ dữ liệu cá nhân",
    "Personal data": "Dữ liệu cá nhân",
    "Record opened": "Mở xem hồ sơ",
    "Created or updated by a spreadsheet import": "Tạo hoặc cập nhật khi nhập danh sách",
    "Record corrected": "Chỉnh sửa hồ sơ",
    "Representative recorded": "Ghi nhận người đại diện",
    "Consent recorded": "Ghi nhận sự đồng ý",
    "Values of the population register taken": "Lấy thông tin theo CSDLQGDC",
    "Personal ID linked from the register": "Gắn số định danh theo CSDLQGDC",
    "Duplicate records merged": "Gộp hồ sơ trùng",
    "Payment change requested": "Đề nghị thay đổi hình thức chi trả",
    "Payment change submitted": "Gửi đề nghị thay đổi hình thức chi trả",
    "Payment change approved": "Duyệt thay đổi hình thức chi trả",
    "Payment change rejected": "Từ chối thay đổi hình thức chi trả",
    "Full account number shown": "Xem đầy đủ số tài khoản",
    "Outreach contact recorded": "Ghi nhận lần vận động",
    "Opened for a data-subject request": "Mở hồ sơ để trả lời yêu cầu của chủ thể dữ liệu",
    "Data handed out (export)": "Cung cấp dữ liệu (xuất tệp)",
    "Data-subject request recorded": "Tiếp nhận yêu cầu của chủ thể dữ liệu",
    "Correction requested": "Đề nghị chỉnh sửa",
    "Correction approved": "Duyệt chỉnh sửa",
    "Correction rejected": "Từ chối chỉnh sửa",
    # --- the document of everything held on a person ------------------------------------------
    "1. The record in the beneficiary registry": "1. Hồ sơ trong cơ sở dữ liệu người hưởng",
    "Item": "Thông tin",
    "Recorded on": "Ngày ghi nhận",
    "Last changed on": "Ngày thay đổi gần nhất",
    "2. History of the record": "2. Lịch sử thay đổi hồ sơ",
    "What": "Nội dung",
    "Fields": "Trường thông tin",
    "By (organisation)": "Đơn vị thực hiện",
    "3. Entitlements": "3. Chế độ được hưởng",
    "Last month": "Tháng cuối",
    "4. Representatives": "4. Người đại diện",
    "Relationship": "Quan hệ",
    "Document": "Giấy tờ",
    "Valid from": "Hiệu lực từ",
    "Valid until": "Hiệu lực đến",
    "5. Verification against the national population register":
        "5. Kết quả xác thực với Cơ sở dữ liệu quốc gia về dân cư",
    "Fields that differ": "Thông tin sai lệch",
    "Confirmed on the register: %(confirmed)s; last seen alive in the register: %(alive)s; "
    "identity confirmed in person: %(person)s.":
        "Đã xác thực trên CSDLQGDC: %(confirmed)s; lần gần nhất CSDLQGDC ghi nhận còn sống: "
        "%(alive)s; xác minh trực tiếp: %(person)s.",
    "6. How the person is paid (payment methods)": "6. Hình thức chi trả",
    "Method": "Hình thức",
    "7. Payment accounts (numbers masked)": "7. Tài khoản nhận tiền (số tài khoản đã che)",
    "8. Requests to change how the person is paid": "8. Đề nghị thay đổi hình thức chi trả",
    "Source": "Nguồn",
    "Decided on": "Ngày quyết định",
    "9. Consent log": "9. Nhật ký sự đồng ý",
    "Purpose": "Mục đích",
    "How": "Hình thức",
    "Evidence": "Căn cứ",
    "Given": "Đồng ý",
    "Withdrawn": "Đã rút lại",
    "Given or withdrawn": "Đồng ý / rút lại",
    "10. Outreach contacts": "10. Các lần vận động",
    "11. Payments (payroll lines and their results)": "11. Các khoản chi trả và kết quả",
    "12. Suspensions, amounts to recover and months not paid":
        "12. Tạm dừng, số tiền phải thu hồi và các tháng không chi trả",
    "From / month": "Từ tháng / tháng",
    "Detail": "Chi tiết",
    "Suspension": "Tạm dừng",
    "in force": "đang áp dụng",
    "%(months)s months, %(amount)s VND": "%(months)s tháng, %(amount)s đồng",
    "Not paid in a cycle": "Không chi trả trong kỳ",
    "13. Complaints and reports": "13. Khiếu nại, phản ánh",
    "Resolution": "Kết quả giải quyết",
    "14. The person's requests about their data": "14. Các yêu cầu của người hưởng về dữ liệu",
    "Answer by": "Hạn trả lời",
    "Correction of the record": "Chỉnh sửa hồ sơ",
    "15. Who opened or changed the person's data (audit trail)":
        "15. Ai đã xem hoặc thay đổi dữ liệu (nhật ký hệ thống)",
    "The newest %(n)s events are listed; ask for the earlier ones.":
        "Liệt kê %(n)s sự kiện gần nhất; các sự kiện trước đó cung cấp khi có yêu cầu.",
    "At the request of the person (Law on Personal Data Protection No. 91/2025/QH15), this "
    "document lists all personal data that the cashless payment system chitra holds on "
    "%(name)s, personal ID %(pid)s, as of %(date)s.":
        "Theo yêu cầu của chủ thể dữ liệu (Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15), văn "
        "bản này liệt kê toàn bộ dữ liệu cá nhân mà hệ thống chi trả không dùng tiền mặt "
        "chitra đang lưu giữ về ông/bà %(name)s, số định danh cá nhân %(pid)s, tính đến ngày "
        "%(date)s.",
    "Account numbers are shown masked. The data are used to pay the person's social insurance "
    "benefits; how long each is kept and why is described in the processing records of the "
    "system.":
        "Số tài khoản được che một phần. Dữ liệu được dùng để chi trả các chế độ bảo hiểm xã "
        "hội của người hưởng; thời hạn và căn cứ lưu trữ từng loại dữ liệu được nêu trong hồ "
        "sơ hoạt động xử lý dữ liệu cá nhân của hệ thống.",
    "NOTICE": "THÔNG BÁO",
    "Personal data held on a beneficiary": "Dữ liệu cá nhân đang được lưu giữ",
    "The person concerned;": "Người hưởng;",
    "FOR THE DIRECTOR": "TL. GIÁM ĐỐC",
    "Answer to the request #%(n)s received on %(date)s.":
        "Trả lời yêu cầu số %(n)s tiếp nhận ngày %(date)s.",
    # --- forms --------------------------------------------------------------------------------
    "Personal ID, social insurance number or old ID card":
        "Số định danh cá nhân, mã số BHXH hoặc số CMND",
    "Kind of request": "Loại yêu cầu",
    "Consent withdrawn (withdrawal only)": "Sự đồng ý được rút lại (chỉ với yêu cầu rút lại)",
    "Requested by (if not the person)": "Người yêu cầu (nếu không phải chính người hưởng)",
    "Capacity of the requester": "Tư cách của người yêu cầu",
    "What is asked": "Nội dung yêu cầu",
    "Precision of the date of birth": "Độ chính xác của ngày sinh",
    "Evidence seen (document and its number)": "Giấy tờ đã đối chiếu (tên và số giấy tờ)",
    "Detected at": "Thời điểm phát hiện",
    "Categories of data": "Loại dữ liệu",
    "What data": "Dữ liệu bị ảnh hưởng",
    "Whose data": "Dữ liệu của ai",
    "People affected (estimate)": "Số người bị ảnh hưởng (ước tính)",
    "Measures taken": "Biện pháp đã thực hiện",
    "Notified at": "Thời điểm thông báo",
    "Reference of the notice": "Số, ký hiệu văn bản thông báo",
    "Notified to": "Cơ quan được thông báo",
    "Reason the notice was late": "Lý do thông báo chậm",
    # --- models: requests ---------------------------------------------------------------------
    "Access to their data": "Xem, cung cấp dữ liệu",
    "Correction of their data": "Chỉnh sửa dữ liệu",
    "Objection to or restriction of processing": "Phản đối hoặc hạn chế xử lý dữ liệu",
    "Withdrawal of consent": "Rút lại sự đồng ý",
    "Deletion of their data": "Xóa dữ liệu",
    "In person at the office": "Trực tiếp tại cơ quan",
    "Letter or paper form": "Văn bản hoặc phiếu yêu cầu giấy",
    "Electronic (e-mail, public service portal)": "Điện tử (thư điện tử, Cổng dịch vụ công)",
    "Received": "Đã tiếp nhận",
    "Acknowledged, being handled": "Đã phản hồi, đang xử lý",
    "Refused, with the reason": "Từ chối (có lý do)",
    "kind of request": "loại yêu cầu",
    "requested by (if not the person)": "người yêu cầu (nếu không phải chính người hưởng)",
    "capacity of the requester": "tư cách của người yêu cầu",
    "what is asked": "nội dung yêu cầu",
    "purpose": "mục đích",
    "acknowledge by": "hạn phản hồi",
    "answer by": "hạn trả lời",
    "reason of the extension": "lý do gia hạn",
    "acknowledged at": "thời điểm phản hồi",
    "data handed out at": "thời điểm cung cấp dữ liệu",
    "answer": "nội dung trả lời",
    "closed by": "người kết thúc",
    "data-subject request": "yêu cầu của chủ thể dữ liệu",
    "data-subject requests": "yêu cầu của chủ thể dữ liệu",
    "Waiting for a decision": "Chờ quyết định",
    "Approved and applied": "Đã duyệt và cập nhật",
    "corrected values": "thông tin sau chỉnh sửa",
    "values before": "thông tin trước chỉnh sửa",
    "evidence seen": "giấy tờ đã đối chiếu",
    "correction request": "đề nghị chỉnh sửa",
    "correction requests": "đề nghị chỉnh sửa",
    # --- models: breaches ---------------------------------------------------------------------
    "Identity (name, personal ID, date of birth)": "Nhân thân (họ tên, số định danh, ngày sinh)",
    "Address and phone": "Địa chỉ và số điện thoại",
    "Bank, mobile-money or wallet accounts": "Tài khoản ngân hàng, Mobile Money, ví điện tử",
    "Payments and benefit amounts": "Khoản chi trả và mức hưởng",
    "Health (illness, incapacity)": "Sức khỏe (bệnh tật, suy giảm khả năng lao động)",
    "Location": "Vị trí",
    "Log-in names and passwords": "Tên đăng nhập và mật khẩu",
    "Open: authority not notified yet": "Đang mở: chưa thông báo cơ quan chuyên trách",
    "Authority notified": "Đã thông báo cơ quan chuyên trách",
    "detected at": "thời điểm phát hiện",
    "what happened": "sự việc",
    "categories of data": "loại dữ liệu",
    "what data": "dữ liệu bị ảnh hưởng",
    "whose data": "dữ liệu của ai",
    "people affected (estimate)": "số người bị ảnh hưởng (ước tính)",
    "measures taken": "biện pháp đã thực hiện",
    "notified to": "cơ quan được thông báo",
    "notified at": "thời điểm thông báo",
    "reference of the notice": "số, ký hiệu văn bản thông báo",
    "reason the notice was late": "lý do thông báo chậm",
    "closing note": "ghi chú kết thúc",
    "personal-data breach": "vi phạm quy định bảo vệ dữ liệu cá nhân",
    "personal-data breaches": "vi phạm quy định bảo vệ dữ liệu cá nhân",
    # --- retention ----------------------------------------------------------------------------
    "Delete": "Xóa",
    "Anonymise": "Khử nhận dạng",
    "Keep": "Lưu giữ",
    "%(n)s days": "%(n)s ngày",
    "%(n)s years": "%(n)s năm",
    "permanently": "vĩnh viễn",
    "while in use": "trong thời gian sử dụng",
    "until it expires": "đến khi hết hạn",
    "while the user is active": "trong thời gian người dùng còn hoạt động",
    "until used": "đến khi được sử dụng",
    "until the next load": "đến lần nạp tiếp theo",
    "Only the system actor runs the retention purge.":
        "Chỉ tài khoản hệ thống được chạy việc xóa dữ liệu hết thời hạn lưu trữ.",
    "Social Insurance Law 41/2024/QH15: BHXH keeps the records of every beneficiary and of what "
    "was paid; kept as the archive schedule of Vietnam Social Security says (pension files: "
    "permanently; to be confirmed with the archive)":
        "Luật Bảo hiểm xã hội số 41/2024/QH15: cơ quan BHXH lưu giữ hồ sơ của người hưởng và "
        "các khoản đã chi trả; thời hạn theo danh mục thời hạn bảo quản hồ sơ, tài liệu của "
        "BHXH Việt Nam (hồ sơ hưởng lương hưu: vĩnh viễn; cần xác nhận với bộ phận lưu trữ)",
    "Accounting Law 88/2015/QH13, Art. 41 and Decree 174/2016/NĐ-CP, Art. 12: accounting "
    "documents used directly for bookkeeping are kept at least 10 years":
        "Luật Kế toán số 88/2015/QH13, Điều 41 và Nghị định 174/2016/NĐ-CP, Điều 12: tài liệu "
        "kế toán dùng trực tiếp để ghi sổ kế toán được lưu trữ tối thiểu 10 năm",
    "Reference data without personal data": "Dữ liệu danh mục, không có dữ liệu cá nhân",
    "Never deleted by chitra; at the end of the period the archive decides (destruction of "
    "accounting documents needs a decision and a council, Decree 174/2016/NĐ-CP, Art. 16)":
        "chitra không bao giờ tự xóa; hết thời hạn, bộ phận lưu trữ quyết định (tiêu hủy tài "
        "liệu kế toán phải có quyết định và hội đồng, Nghị định 174/2016/NĐ-CP, Điều 16)",
    "Law 91/2025/QH15: the controller must be able to show how it answered and handled personal "
    "data (evidence of compliance)":
        "Luật 91/2025/QH15: bên kiểm soát dữ liệu phải chứng minh được việc đã trả lời và xử "
        "lý dữ liệu cá nhân (bằng chứng tuân thủ)",
    "Configuration of the system, no personal data": "Cấu hình hệ thống, không có dữ liệu cá nhân",
    "Data minimisation: a session holds only who is logged in":
        "Tối thiểu hóa dữ liệu: phiên làm việc chỉ ghi ai đang đăng nhập",
    "Expired sessions deleted": "Xóa các phiên đã hết hạn",
    "Security of processing (log-in lockout); user names and IP addresses":
        "Bảo đảm an toàn xử lý (khóa đăng nhập); tên đăng nhập và địa chỉ IP",
    "Deleted after the period": "Xóa khi hết thời hạn",
    "Security of processing (failed log-ins)": "Bảo đảm an toàn xử lý (đăng nhập thất bại)",
    "Security of processing (log-ins and log-outs)": "Bảo đảm an toàn xử lý (đăng nhập, đăng xuất)",
    "Security of processing (log-in lockout)": "Bảo đảm an toàn xử lý (khóa đăng nhập)",
    "Deleted with the attempt it belongs to": "Xóa cùng lần đăng nhập liên quan",
    "Security of processing: a token is a password": "Bảo đảm an toàn xử lý: mã truy cập API như "
                                                     "một mật khẩu",
    "Tokens of deactivated users (and expired tokens) deleted":
        "Xóa mã truy cập của người dùng đã ngừng hoạt động (và mã đã hết hạn)",
    "Operation of the task queue (holds job numbers, not personal data)":
        "Vận hành hàng đợi tác vụ (chỉ chứa số hiệu công việc, không có dữ liệu cá nhân)",
    "Finished tasks deleted after the period": "Xóa tác vụ đã xong khi hết thời hạn",
    "Record of changes made in the administration site": "Ghi nhận thay đổi trên trang quản trị",
    "Kept with the audit trail": "Lưu cùng nhật ký hệ thống",
    "Kept": "Lưu giữ",
    "Security of processing (two-factor authentication)":
        "Bảo đảm an toàn xử lý (xác thực hai yếu tố)",
    "Removed when the user's second factor is reset": "Xóa khi đặt lại xác thực hai yếu tố",
    "Security of processing (recovery codes)": "Bảo đảm an toàn xử lý (mã khôi phục)",
    "Removed when used or reset": "Xóa khi đã dùng hoặc đặt lại",
    "Law 91/2025/QH15 and Decree 356/2025/NĐ-CP: a log of the processing of personal data; "
    "evidence of who did what":
        "Luật 91/2025/QH15 và Nghị định 356/2025/NĐ-CP: nhật ký hoạt động xử lý dữ liệu cá "
        "nhân; bằng chứng ai đã làm gì",
    "Append-only (the database refuses UPDATE and DELETE). Archived, never deleted: after 10 "
    "years a closed year is exported (pg_dump of the rows, with their hash chain checked by "
    "`chitra audit_verify`) to write-once storage of the archive":
        "Chỉ ghi thêm (cơ sở dữ liệu từ chối sửa và xóa). Được lưu trữ, không bao giờ xóa: sau "
        "10 năm, dữ liệu của một năm đã kết thúc được xuất (pg_dump các dòng, chuỗi băm được "
        "kiểm tra bằng `chitra audit_verify`) sang kho lưu trữ chỉ ghi một lần",
    "Data minimisation: uploaded spreadsheets and error workbooks are copies of personal data, "
    "needed only until the import is checked":
        "Tối thiểu hóa dữ liệu: tệp tải lên và tệp báo lỗi là bản sao dữ liệu cá nhân, chỉ cần "
        "đến khi kiểm tra xong việc nhập",
    "The uploaded file and the error workbook are deleted and the job forgets them; the job "
    "(who, when, counts) is kept. Files of the upload directory that no job names are deleted "
    "too":
        "Xóa tệp tải lên và tệp báo lỗi, công việc không còn lưu đường dẫn; thông tin công việc "
        "(ai, khi nào, số lượng) được giữ lại. Các tệp trong thư mục tải lên không thuộc công "
        "việc nào cũng bị xóa",
    "The audit trail names its actors; users are deactivated, never deleted":
        "Nhật ký hệ thống ghi tên người thực hiện; tài khoản chỉ bị khóa, không bị xóa",
    "Deactivated when they leave": "Khóa khi nghỉ việc, chuyển công tác",
    "Law 91/2025/QH15: consent must be provable; kept as long as the records it concerns":
        "Luật 91/2025/QH15: sự đồng ý phải chứng minh được; lưu giữ cùng thời hạn với hồ sơ "
        "liên quan",
    "Append-only; a withdrawal is a new row": "Chỉ ghi thêm; việc rút lại sự đồng ý là một dòng "
                                              "mới",
    "Evidence of suspensions after death and of cleaned records (Social Insurance Law "
    "41/2024/QH15, Art. 75)":
        "Căn cứ tạm dừng chi trả khi người hưởng chết và làm sạch hồ sơ (Luật BHXH số "
        "41/2024/QH15, Điều 75)",
    "Kept, updated in place": "Lưu giữ, cập nhật tại chỗ",
    "Kept encrypted (account numbers); never deleted by chitra: payments name them":
        "Lưu giữ dạng mã hóa (số tài khoản); chitra không xóa vì các khoản chi trả dẫn chiếu",
    "Evidence of the person's choice and consent (Law 91/2025/QH15) and of where money was sent "
    "(accounting, 10 years)":
        "Căn cứ về lựa chọn và sự đồng ý của người hưởng (Luật 91/2025/QH15) và về nơi nhận "
        "tiền (kế toán, 10 năm)",
    "Kept with the scanned consent forms (files:consent-forms)":
        "Lưu cùng bản quét phiếu đồng ý (files:consent-forms)",
    "Plan reporting (no personal data)": "Báo cáo kế hoạch (không có dữ liệu cá nhân)",
    "Plan reporting: who was reached": "Báo cáo kế hoạch: những người đã được vận động",
    "Data minimisation: free-text notes of a visit are not needed once the campaign is "
    "reported":
        "Tối thiểu hóa dữ liệu: ghi chú tự do của lần vận động không còn cần khi đã báo cáo "
        "đợt vận động",
    "The note is cleared; the outcome is kept for the indicators":
        "Xóa ghi chú; giữ kết quả để tính chỉ tiêu",
    "Kept with the files (files:payment-files)": "Lưu cùng các tệp (files:payment-files)",
    "Aggregates, no personal data": "Số liệu tổng hợp, không có dữ liệu cá nhân",
    "Plan targets, no personal data": "Mục tiêu kế hoạch, không có dữ liệu cá nhân",
    "Administrative documents (Archives Law 33/2024/QH15); aggregates":
        "Văn bản hành chính (Luật Lưu trữ số 33/2024/QH15); số liệu tổng hợp",
    "Never changed (the database refuses it); kept with their files (files:issued-reports)":
        "Không bao giờ thay đổi (cơ sở dữ liệu từ chối); lưu cùng các tệp "
        "(files:issued-reports)",
    "Plan tracking, no personal data": "Theo dõi kế hoạch, không có dữ liệu cá nhân",
    "Law on Complaints 02/2011/QH13: the file of a complaint is kept; the reporter's identity is "
    "not needed once it is settled":
        "Luật Khiếu nại số 02/2011/QH13: hồ sơ khiếu nại được lưu giữ; thông tin người phản "
        "ánh không còn cần khi vụ việc đã giải quyết xong",
    "Name and phone of the reporter cleared; the complaint and its history kept":
        "Xóa họ tên và số điện thoại người phản ánh; giữ khiếu nại và lịch sử xử lý",
    "The history of a complaint": "Lịch sử xử lý khiếu nại",
    "Kept with the complaint": "Lưu cùng khiếu nại",
    "Law 91/2025/QH15: the handling of each breach and its notice to the authority must be "
    "shown":
        "Luật 91/2025/QH15: phải chứng minh được việc xử lý từng vi phạm và việc thông báo cơ "
        "quan chuyên trách",
    "Data minimisation (CHITRA_UPLOAD_DIR: uploaded spreadsheets, results files, error "
    "workbooks)":
        "Tối thiểu hóa dữ liệu (CHITRA_UPLOAD_DIR: tệp danh sách tải lên, tệp kết quả, tệp báo "
        "lỗi)",
    "Deleted with the job rule above (core.Job)": "Xóa theo quy tắc của công việc ở trên "
                                                  "(core.Job)",
    "CHITRA_PAYMENT_FILES_DIR: never rewritten, SHA-256 checked; backed up; destruction is an "
    "archive decision":
        "CHITRA_PAYMENT_FILES_DIR: không bao giờ ghi đè, kiểm tra SHA-256; được sao lưu; việc "
        "tiêu hủy do bộ phận lưu trữ quyết định",
    "Evidence of consent (Law 91/2025/QH15)": "Căn cứ của sự đồng ý (Luật 91/2025/QH15)",
    "MEDIA_ROOT/consent: kept with their change request":
        "MEDIA_ROOT/consent: lưu cùng đề nghị thay đổi",
    "Administrative documents (Archives Law 33/2024/QH15)":
        "Văn bản hành chính (Luật Lưu trữ số 33/2024/QH15)",
    "CHITRA_REPORTS_DIR: kept": "CHITRA_REPORTS_DIR: lưu giữ",
    "A copy of the national population register for verification (Decree 356/2025: processing "
    "limited to the purpose)":
        "Bản sao dữ liệu dân cư để xác thực (Nghị định 356/2025: chỉ xử lý đúng mục đích)",
    "CHITRA_REGISTER_STORE: replaced by each `register_load` (the store keeps the changes "
    "between loads, to detect deaths); extract files given to the command are deleted by the "
    "operator after the load":
        "CHITRA_REGISTER_STORE: thay thế sau mỗi lần `register_load` (kho giữ các thay đổi "
        "giữa các lần nạp để phát hiện người chết); tệp trích xuất đưa vào lệnh do người vận "
        "hành xóa sau khi nạp",
    # --- services: requests -------------------------------------------------------------------
    "Unknown kind of request.": "Loại yêu cầu không hợp lệ.",
    "Say how the request was received.": "Cho biết hình thức tiếp nhận yêu cầu.",
    "The date the request was received cannot be in the future.":
        "Ngày tiếp nhận yêu cầu không được ở tương lai.",
    "Say which consent the person withdraws.": "Cho biết người hưởng rút lại sự đồng ý nào.",
    "Say in what capacity the requester acts for the person (guardian, authorised person...).":
        "Cho biết tư cách của người yêu cầu (người giám hộ, người được ủy quyền...).",
    "This request is already closed.": "Yêu cầu này đã kết thúc.",
    "This request was already acknowledged.": "Yêu cầu này đã được phản hồi.",
    "Say why more time is needed.": "Cho biết lý do cần thêm thời gian.",
    "An extension is 1 to %(n)s days.": "Gia hạn từ 1 đến %(n)s ngày.",
    "The deadline of a request can be extended only once.": "Chỉ được gia hạn một lần.",
    "Write the answer given to the person.": "Ghi nội dung đã trả lời người hưởng.",
    "Hand out the person's data first: download the PDF or xlsx from this request.":
        "Cung cấp dữ liệu trước: tải tệp PDF hoặc xlsx từ yêu cầu này.",
    "Record the correction first; it is decided by an approver.":
        "Ghi nhận đề nghị chỉnh sửa trước; người phê duyệt sẽ quyết định.",
    "A correction of this request is still waiting for a decision.":
        "Đề nghị chỉnh sửa của yêu cầu này đang chờ quyết định.",
    "Request #%(n)s": "Yêu cầu số %(n)s",
    "Give the reason of the refusal (its legal basis).": "Nêu lý do từ chối (căn cứ pháp lý).",
    "Choose PDF or xlsx.": "Chọn PDF hoặc xlsx.",
    "This request is about another person.": "Yêu cầu này của người khác.",
    "Note the evidence seen (the document and its number).":
        "Ghi giấy tờ đã đối chiếu (tên và số giấy tờ).",
    "Attach the correction to a correction request of this person.":
        "Gắn đề nghị chỉnh sửa với một yêu cầu chỉnh sửa của chính người này.",
    "Nothing to correct: the record already holds these values.":
        "Không có gì để chỉnh sửa: hồ sơ đã đúng các thông tin này.",
    "A correction of this record is already waiting for a decision.":
        "Hồ sơ này đã có một đề nghị chỉnh sửa đang chờ quyết định.",
    "This correction was already decided.": "Đề nghị chỉnh sửa này đã được quyết định.",
    "The maker of a correction cannot decide it.":
        "Người lập đề nghị chỉnh sửa không được tự quyết định.",
    "Correction #%(n)s; evidence: %(evidence)s": "Chỉnh sửa số %(n)s; giấy tờ: %(evidence)s",
    "Say why the correction is rejected.": "Cho biết lý do từ chối chỉnh sửa.",
    # --- services: breaches -------------------------------------------------------------------
    "Unknown category of data: %(values)s.": "Loại dữ liệu không hợp lệ: %(values)s.",
    "Choose the categories of data concerned.": "Chọn các loại dữ liệu bị ảnh hưởng.",
    "People affected: expected a whole number (an estimate).":
        "Số người bị ảnh hưởng: cần một số nguyên (ước tính).",
    "The time of detection cannot be in the future.": "Thời điểm phát hiện không được ở tương lai.",
    "Say who reported the breach and what happened.": "Cho biết ai phát hiện, báo tin và sự việc.",
    "This breach is closed.": "Vụ việc này đã kết thúc.",
    "The authority was already notified of this breach.":
        "Đã thông báo cơ quan chuyên trách về vụ việc này.",
    "The time of the notice must be after the detection and not in the future.":
        "Thời điểm thông báo phải sau thời điểm phát hiện và không ở tương lai.",
    "Give the reference of the notice (number of the dispatch or of the receipt).":
        "Nhập số, ký hiệu văn bản thông báo (số công văn hoặc số tiếp nhận).",
    "The notice is later than %(hours)s hours after detection: give the reason of the delay.":
        "Thông báo muộn hơn %(hours)s giờ kể từ khi phát hiện: nêu lý do chậm.",
    "Write how the breach was handled (or why it is not one).":
        "Ghi cách đã xử lý vụ việc (hoặc lý do không phải là vi phạm).",
    # --- views --------------------------------------------------------------------------------
    "No person with this number in your area.": "Không có người nào với số này trong địa bàn.",
    "Request recorded: answer by %(date)s.": "Đã tiếp nhận yêu cầu: hạn trả lời %(date)s.",
    "Correction recorded; an approver decides it.":
        "Đã ghi nhận đề nghị chỉnh sửa; người phê duyệt sẽ quyết định.",
    "Correction approved and applied to the record.": "Đã duyệt và cập nhật hồ sơ.",
    "Correction rejected.": "Đã từ chối chỉnh sửa.",
    "Give the time and the reference of the notice.": "Nhập thời điểm và số văn bản thông báo.",
    # --- registry: consent log, corrections ---------------------------------------------------
    "Change of how the pension is paid": "Thay đổi hình thức chi trả",
    "Referral to a provider to open an account": "Giới thiệu đến đơn vị chi trả để mở tài khoản",
    "Notifications by SMS or phone": "Nhận thông báo qua tin nhắn hoặc điện thoại",
    "Sharing data with the paying provider": "Chia sẻ dữ liệu với đơn vị chi trả",
    "Electronic (national e-ID, public service portal)": "Điện tử (VNeID, Cổng dịch vụ công)",
    "consent given": "đồng ý",
    "how it was expressed": "hình thức thể hiện",
    "evidence": "căn cứ",
    "recorded with": "ghi nhận cùng",
    "record id": "mã bản ghi",
    "consent": "sự đồng ý",
    "consent log": "nhật ký sự đồng ý",
    "Unknown purpose of consent '%(value)s'.": "Mục đích của sự đồng ý '%(value)s' không hợp lệ.",
    "Say how the person expressed their choice.": "Cho biết người hưởng thể hiện ý kiến bằng "
                                                  "hình thức nào.",
    "Date of birth '%(value)s': expected a date (yyyy-mm-dd).":
        "Ngày sinh '%(value)s': cần một ngày (yyyy-mm-dd).",
    "These fields cannot be corrected here: %(fields)s.":
        "Không chỉnh sửa được các thông tin này tại đây: %(fields)s.",
    "Full name '%(value)s': expected the full name (at most 150 characters).":
        "Họ tên '%(value)s': cần họ và tên đầy đủ (tối đa 150 ký tự).",
    "Precision of the date of birth '%(value)s': expected D, M or Y.":
        "Độ chính xác của ngày sinh '%(value)s': cần D, M hoặc Y.",
    "Date of birth '%(value)s': expected a date not in the future, after 1890.":
        "Ngày sinh '%(value)s': cần một ngày không ở tương lai, sau năm 1890.",
    "Sex '%(value)s': expected M or F.": "Giới tính '%(value)s': cần M hoặc F.",
    "The corrected sex or year of birth disagrees with the personal ID number %(pid)s (its 4th "
    "to 6th digits): check the ID card.":
        "Giới tính hoặc năm sinh sau chỉnh sửa không khớp với số định danh cá nhân %(pid)s "
        "(chữ số thứ 4 đến 6): kiểm tra lại thẻ căn cước.",
    "Address: expected at most 255 characters.": "Địa chỉ: tối đa 255 ký tự.",
    "Commune '%(value)s': expected a commune of the same province (a move to another province "
    "is a transfer, not a correction).":
        "Xã/phường '%(value)s': cần một xã/phường trong cùng tỉnh (chuyển sang tỉnh khác là "
        "chuyển nơi hưởng, không phải chỉnh sửa).",
    "Say why the record is corrected.": "Cho biết lý do chỉnh sửa hồ sơ.",
    "The record changed since the correction was requested: record a new request from the "
    "current values.":
        "Hồ sơ đã thay đổi sau khi lập đề nghị chỉnh sửa: lập đề nghị mới theo thông tin hiện "
        "tại.",
    # --- templates ----------------------------------------------------------------------------
    "Ask for a correction of the record": "Đề nghị chỉnh sửa hồ sơ",
    "Change the values that are wrong and note the document seen. A BHXH approver other than "
    "you decides; the record changes only then.":
        "Sửa các thông tin sai và ghi giấy tờ đã đối chiếu. Một người phê duyệt của BHXH (không "
        "phải bạn) sẽ quyết định; hồ sơ chỉ thay đổi sau khi được duyệt.",
    "Ask for the correction": "Gửi đề nghị chỉnh sửa",
    "Breach": "Vụ việc",
    "The authority had to be notified by %(d)s: notify now and give the reason of the delay.":
        "Phải thông báo cơ quan chuyên trách trước %(d)s: thông báo ngay và nêu lý do chậm.",
    "Notify the authority by %(d)s (%(h)s hours left).":
        "Thông báo cơ quan chuyên trách trước %(d)s (còn %(h)s giờ).",
    "Notify by": "Hạn thông báo",
    "sensitive data": "dữ liệu nhạy cảm",
    "people (estimate)": "người (ước tính)",
    "Notified": "Đã thông báo",
    "reference": "số văn bản",
    "notified late": "thông báo chậm",
    "Update what is known": "Cập nhật thông tin",
    "The authority was notified": "Đã thông báo cơ quan chuyên trách",
    "Record the notice": "Ghi nhận việc thông báo",
    "Close": "Kết thúc",
    "How the breach was handled (or why it is not one)":
        "Cách đã xử lý vụ việc (hoặc lý do không phải là vi phạm)",
    "Back": "Quay lại",
    "Record a breach": "Ghi nhận vụ việc",
    "Record a personal-data breach": "Ghi nhận vi phạm quy định bảo vệ dữ liệu cá nhân",
    "Record it as soon as it is detected: the 72 hours to notify the authority count from the "
    "time of detection.":
        "Ghi nhận ngay khi phát hiện: thời hạn 72 giờ thông báo cơ quan chuyên trách tính từ "
        "thời điểm phát hiện.",
    "Record": "Ghi nhận",
    "Breach register": "Sổ theo dõi vi phạm",
    "Register of personal-data breaches": "Sổ theo dõi vi phạm quy định bảo vệ dữ liệu cá nhân",
    "A breach is notified to the competent authority (A05, Ministry of Public Security) within "
    "72 hours of its detection.":
        "Vi phạm phải được thông báo cho cơ quan chuyên trách bảo vệ dữ liệu cá nhân (A05, Bộ "
        "Công an) trong vòng 72 giờ kể từ khi phát hiện.",
    "%(h)s h left": "còn %(h)s giờ",
    "No breach recorded.": "Chưa ghi nhận vụ việc nào.",
    "Corrections": "Chỉnh sửa",
    "Corrections of personal data": "Chỉnh sửa dữ liệu cá nhân",
    "Each correction is decided by a BHXH approver other than the officer who recorded it; "
    "approved, it is applied to the record and audited.":
        "Mỗi đề nghị chỉnh sửa do một người phê duyệt của BHXH (không phải người lập) quyết "
        "định; khi được duyệt, hồ sơ được cập nhật và ghi nhật ký.",
    "Values before": "Trước chỉnh sửa",
    "Corrected values": "Sau chỉnh sửa",
    "Evidence seen": "Giấy tờ đã đối chiếu",
    "Note (required to reject)": "Ghi chú (bắt buộc khi từ chối)",
    "No correction.": "Không có đề nghị chỉnh sửa.",
    "Law on Personal Data Protection 91/2025/QH15: requests of the people whose data chitra "
    "holds, corrections, breaches, retention.":
        "Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15: yêu cầu của chủ thể dữ liệu, chỉnh sửa "
        "dữ liệu, vi phạm, thời hạn lưu trữ.",
    "Requests of data subjects": "Yêu cầu của chủ thể dữ liệu",
    "Retention rules": "Thời hạn lưu trữ",
    "Find the person": "Tìm người hưởng",
    "%(o)s requests open, %(d)s overdue.": "%(o)s yêu cầu đang xử lý, %(d)s quá hạn.",
    "Acknowledge by": "Hạn phản hồi",
    "Request": "Yêu cầu",
    "Overdue: the answer was due on %(d)s.": "Quá hạn: hạn trả lời là %(d)s.",
    "The person should have been told by %(d)s that the request is received.":
        "Lẽ ra phải phản hồi người hưởng trước %(d)s rằng yêu cầu đã được tiếp nhận.",
    "Requested by": "Người yêu cầu",
    "acknowledged": "đã phản hồi",
    "extended": "đã gia hạn",
    "Data handed out at": "Thời điểm cung cấp dữ liệu",
    "Hand out the person's data:": "Cung cấp dữ liệu cho người hưởng:",
    "Social-insurance records (the registry, entitlements, payments) are kept by law and are not "
    "deleted: refuse that part with this legal basis; data not required by law (for example a "
    "phone number) can be corrected away.":
        "Hồ sơ bảo hiểm xã hội (hồ sơ người hưởng, chế độ, khoản chi trả) được lưu giữ theo quy "
        "định của pháp luật và không bị xóa: từ chối phần đó với căn cứ pháp lý này; dữ liệu "
        "pháp luật không bắt buộc (ví dụ số điện thoại) có thể xóa bằng một đề nghị chỉnh sửa.",
    "Acknowledge (the person was told how the request is handled)":
        "Phản hồi (đã báo người hưởng cách xử lý yêu cầu)",
    "Acknowledge": "Phản hồi",
    "Extend once (days, reason given to the person)":
        "Gia hạn một lần (số ngày, lý do báo người hưởng)",
    "Days": "Số ngày",
    "Extend": "Gia hạn",
    "Answer and close": "Trả lời và kết thúc",
    "Refuse, with the legal reason": "Từ chối, nêu căn cứ pháp lý",
    "Refuse": "Từ chối",
    "How long chitra keeps personal data": "Thời hạn chitra lưu trữ dữ liệu cá nhân",
    "One rule per table and per store of files. `chitra retention_purge` applies the rules that "
    "delete or anonymise; what the law keeps is never touched by it.":
        "Mỗi bảng và mỗi kho tệp có một quy tắc. Lệnh `chitra retention_purge` thực hiện các "
        "quy tắc xóa hoặc khử nhận dạng; dữ liệu pháp luật yêu cầu lưu giữ không bao giờ bị "
        "lệnh này động đến.",
    "Table or files": "Bảng hoặc tệp",
    "Counted from": "Tính từ",
    "Kept for": "Thời hạn",
    "Legal basis": "Căn cứ pháp lý",
    "What happens": "Cách xử lý",
    "Last runs": "Các lần chạy gần nhất",
    "No run yet.": "Chưa chạy lần nào.",
    "Opened to answer the person's request about their data; this is recorded in the audit "
    "trail.":
        "Mở để trả lời yêu cầu của người hưởng về dữ liệu; việc mở được ghi vào nhật ký hệ "
        "thống.",
    "Everything chitra holds on the person": "Toàn bộ dữ liệu chitra lưu giữ về người hưởng",
    "Record a request": "Tiếp nhận yêu cầu",
    "No consent recorded.": "Chưa ghi nhận sự đồng ý nào.",
    "Whole consent log": "Toàn bộ nhật ký sự đồng ý",
    "No request.": "Không có yêu cầu.",
    "All kinds": "Tất cả các loại",
}
