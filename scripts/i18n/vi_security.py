"""Vietnamese translations of the English msgids of issue #11's payment-method rules: every
change of where money goes is a change request; providers' account notices; payment files.

Applied to locale/vi like scripts/i18n/vi.py (see the Makefile's `messages`).
Vocabulary: change request = yêu cầu thay đổi; draft = nháp; account notice = thông báo tài
khoản; provider = đơn vị chi trả; masked copy = bản che số tài khoản.
"""

VI = {
    "the personal ID of a living beneficiary of your area":
        "số định danh của một người hưởng còn sống thuộc địa bàn của bạn",
    "the account holder's name of the change request or of the account (the beneficiary "
    "or a valid representative)":
        "tên chủ tài khoản đúng như trong yêu cầu thay đổi hoặc tài khoản đã có (người hưởng "
        "hoặc người đại diện còn hiệu lực)",
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
}
