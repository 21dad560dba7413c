"""Vietnamese translations of the English msgids of issue #11's payment-method rules: every
change of where money goes is a change request; providers' account notices; payment files.

Applied to locale/vi like scripts/i18n/vi.py (see the Makefile's `messages`).
Vocabulary: change request = yêu cầu thay đổi; draft = nháp; account notice = thông báo tài
khoản; provider = đơn vị chi trả; masked copy = bản che số tài khoản.
"""

VI = {
    'the personal ID of a living beneficiary of your area':
        'số định danh của một người hưởng còn sống thuộc địa bàn của bạn',
    "the account holder's name of the change request or of the account (the beneficiary or a "
    'valid representative)':
        'tên chủ tài khoản đúng như trong yêu cầu thay đổi hoặc tài khoản đã có (người hưởng '
        'hoặc người đại diện còn hiệu lực)',
    'Recorded before change requests were required':
        'Ghi nhận trước khi bắt buộc có yêu cầu thay đổi',
    'submitted by':
        'người gửi duyệt',
    'confirmed by the provider at':
        'đơn vị chi trả xác nhận lúc',
    'holder name given by the provider':
        'tên chủ tài khoản do đơn vị chi trả cung cấp',
    'Confirms a pending change request':
        'Xác nhận một yêu cầu thay đổi đang chờ',
    'Confirms the account of an approved request':
        'Xác nhận tài khoản của yêu cầu đã duyệt',
    'Account closed':
        'Tài khoản đã đóng',
    'Draft change request opened for BHXH':
        'Đã lập yêu cầu nháp để BHXH xem xét',
    'A draft from this provider is already open':
        'Đã có yêu cầu nháp của đơn vị chi trả này',
    'No living beneficiary of the area has this personal ID':
        'Không có người hưởng còn sống nào của địa bàn có số định danh này',
    'personal ID as sent':
        'số định danh như được gửi',
    'status given':
        'trạng thái được báo',
    'file or message':
        'tệp hoặc thông điệp',
    'row':
        'dòng',
    'sent by':
        'người gửi',
    'account notice from a provider':
        'thông báo tài khoản của đơn vị chi trả',
    'account notices from providers':
        'thông báo tài khoản của các đơn vị chi trả',
    'A provider cannot submit a change request; BHXH does.':
        'Đơn vị chi trả không được gửi duyệt yêu cầu thay đổi; việc này do BHXH thực hiện.',
    'No province for this import: set CHITRA_DEFAULT_PROVINCE.':
        'Không xác định được tỉnh cho lần nhập này: hãy đặt CHITRA_DEFAULT_PROVINCE.',
    'Request #%(n)s sent for approval.':
        'Đã gửi duyệt yêu cầu #%(n)s.',
    'Account notices from providers':
        'Thông báo tài khoản của các đơn vị chi trả',
    'Received':
        'Thời điểm nhận',
    'Status given':
        'Trạng thái được báo',
    'Request':
        'Yêu cầu',
    'Sent by':
        'Người gửi',
    'You get a copy with the account numbers masked: only the provider and the BHXH officers '
    'who send the files get the full numbers.':
        'Bạn nhận bản đã che số tài khoản: chỉ đơn vị chi trả và cán bộ BHXH gửi tệp mới nhận '
        'số đầy đủ.',
    'masked copy':
        'bản che số tài khoản',
    'Every row a bank, Vietnam Post or a mobile-money provider sent about an account, in a file '
    'or through the API, and what chitra did with it. No row changes where a pension is paid: a '
    'row confirms the account a change request names, closes an account, or opens a draft '
    'request for BHXH to complete.':
        'Mọi dòng mà ngân hàng, Bưu điện hoặc nhà cung cấp Mobile Money gửi về tài khoản (qua '
        'tệp hoặc API) và kết quả xử lý. Không dòng nào tự thay đổi nơi nhận lương hưu: một '
        'dòng chỉ xác nhận tài khoản đã có trong yêu cầu thay đổi, đóng một tài khoản, hoặc lập '
        'yêu cầu nháp để BHXH hoàn thiện.',
    'No notice.':
        'Chưa có thông báo.',
    "Where a pension is paid changes only through a request: the person's consent, then a BHXH "
    "approver who neither made nor submitted it. A provider's file or message can confirm the "
    'account a request names, or open a draft that BHXH completes here.':
        'Nơi nhận lương hưu chỉ thay đổi qua yêu cầu: có sự đồng ý của người hưởng, rồi một '
        'người phê duyệt của BHXH không phải người lập hay người gửi duyệt quyết định. Tệp hoặc '
        'thông điệp của đơn vị chi trả chỉ có thể xác nhận tài khoản mà yêu cầu nêu, hoặc lập '
        'yêu cầu nháp để BHXH hoàn thiện tại đây.',
    'confirmed by the provider':
        'đơn vị chi trả đã xác nhận',
    'Send for approval':
        'Gửi duyệt',
    'What a provider said about an account and what became of it: evidence of every attempt to '
    'change where money goes (accounting, 10 years)':
        'Nội dung đơn vị chi trả báo về tài khoản và kết quả xử lý: bằng chứng của mọi lần đề '
        'nghị thay đổi nơi nhận tiền (kế toán, 10 năm)',
    'Kept encrypted (account numbers); never deleted by chitra':
        'Lưu trữ có mã hóa (số tài khoản); chitra không bao giờ xóa',
    'Tokens of deactivated users deleted; expired or revoked tokens deleted after the period '
    '(their creation and revocation stay in the audit trail)':
        'Xóa mã truy cập của người dùng đã bị vô hiệu hóa; mã hết hạn hoặc đã thu hồi bị xóa '
        'sau thời hạn (việc tạo và thu hồi vẫn còn trong nhật ký)',
    'The hash chain that proves the audit trail was not changed':
        'Chuỗi băm chứng minh nhật ký không bị sửa đổi',
    'Append-only, kept and archived with the events it seals':
        'Chỉ ghi thêm, lưu và lưu trữ cùng các sự kiện mà nó niêm phong',
    'Not found.':
        'Không tìm thấy.',
    '%(command)s only runs in the demo (CHITRA_DEMO=1) or in development (CHITRA_DEBUG=1): it '
    'would put synthetic data into a real installation.':
        '%(command)s chỉ chạy trong bản trình diễn (CHITRA_DEMO=1) hoặc khi phát triển '
        '(CHITRA_DEBUG=1): lệnh này sẽ đưa dữ liệu giả vào một hệ thống thật.',
    'Demo payment methods need the demo users bhxh.officer (maker) and bhxh.approver '
    '(approver); run demo_data without --no-users.':
        'Phương thức chi trả mẫu cần hai người dùng mẫu bhxh.officer (người lập) và '
        'bhxh.approver (người duyệt); hãy chạy demo_data không có --no-users.',
    'This payment line is not in your area.':
        'Dòng chi trả này không thuộc địa bàn của bạn.',
}
