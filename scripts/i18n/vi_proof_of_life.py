"""Vietnamese translations of the English msgids of issue #12 item 1: proof of life counted
from its latest source, due 12 months later; counter visits; reminders; bulk submission and
approval of change requests.

Applied to locale/vi like scripts/i18n/vi.py (see the Makefile's `messages`).
Vocabulary: proof of life = xác nhận còn sống; due = đến hạn; overdue = quá hạn;
counter visit = đến quầy trực tiếp; switch into an account = chuyển sang nhận qua tài khoản.
"""

VI = {
    "Say where the signed consent forms are kept (the evidence of each person's consent).":
        'Hãy ghi nơi lưu phiếu đồng ý đã ký (bằng chứng đồng ý của từng người).',
    'Unknown way of consent: %(value)s.':
        'Hình thức đồng ý không hợp lệ: %(value)s.',
    'Seen alive in the population register':
        'Còn sống theo Cơ sở dữ liệu quốc gia về dân cư',
    'Met in person on an outreach visit':
        'Gặp trực tiếp khi vận động tại nhà',
    'Came to a counter in person':
        'Đến quầy trực tiếp',
    'Account opened or confirmed by the provider':
        'Đơn vị chi trả mở hoặc xác nhận tài khoản',
    'Collected a cash payment in person':
        'Trực tiếp nhận tiền mặt',
    'Started being paid into an account':
        'Bắt đầu nhận qua tài khoản',
    'proof of life counted from':
        'xác nhận còn sống tính từ',
    'proof of life source':
        'nguồn xác nhận còn sống',
    'proof of life reference':
        'căn cứ xác nhận còn sống',
    'Last proof of life':
        'Lần xác nhận còn sống gần nhất',
    'None recorded':
        'Chưa có',
    'Next proof of life due':
        'Hạn xác nhận còn sống tiếp theo',
    'now':
        'ngay bây giờ',
    'Due soon':
        'Sắp đến hạn',
    'payment into an account stops from %(month)s without a new proof':
        'nếu không xác nhận lại, dừng chi trả qua tài khoản từ tháng %(month)s',
    'Record a counter visit (proof of life)':
        'Ghi nhận người hưởng đến quầy trực tiếp (xác nhận còn sống)',
    'Counter (office, place)':
        'Quầy (cơ quan, địa điểm)',
    'Note (document seen)':
        'Ghi chú (giấy tờ đã kiểm tra)',
    'Record the visit':
        'Ghi nhận',
    'Proof of life':
        'Xác nhận còn sống',
    'People paid into an account prove once a year that they are alive. The proof counts from '
    'the latest of: seen alive in the population register, confirmed in person (cleaning, '
    'outreach visit, counter visit), the account opened or confirmed by the provider, a cash '
    'payment collected in person, the month the person started being paid into an account. It '
    'is due %(months)s months later; people are warned %(warn_days)s days before, and payment '
    'into the account stops from the month after the due date until a new proof comes.':
        'Người nhận lương hưu, trợ cấp qua tài khoản xác nhận còn sống mỗi năm một lần. Thời '
        'điểm được tính từ lần gần nhất trong các lần: còn sống theo Cơ sở dữ liệu quốc gia về '
        'dân cư, xác nhận trực tiếp (làm sạch dữ liệu, vận động tại nhà, đến quầy), đơn vị chi '
        'trả mở hoặc xác nhận tài khoản, trực tiếp nhận tiền mặt, tháng bắt đầu nhận qua tài '
        'khoản. Hạn là %(months)s tháng sau đó; người hưởng được nhắc trước %(warn_days)s ngày, '
        'và việc chi trả qua tài khoản dừng từ tháng sau tháng đến hạn cho đến khi xác nhận '
        'lại.',
    'Due within %(warn_days)s days':
        'Đến hạn trong %(warn_days)s ngày',
    'Due on':
        'Hạn',
    'Payments stop from':
        'Dừng chi trả từ tháng',
    'due on':
        'hạn',
    'sent at':
        'gửi lúc',
    'proof-of-life reminder':
        'nhắc xác nhận còn sống',
    'proof-of-life reminders':
        'nhắc xác nhận còn sống',
    'Unknown source of proof of life: %(source)s.':
        'Nguồn xác nhận còn sống không hợp lệ: %(source)s.',
    'Say at which counter the person came (office, place).':
        'Hãy ghi người hưởng đến quầy nào (cơ quan, địa điểm).',
    'The date of the visit cannot be in the future.':
        'Ngày đến quầy không được sau hôm nay.',
    'BHXH: your yearly proof of life was due on %(date)s. Payment into your account stops from '
    '%(month)s until you come in person (BHXH office, commune, your bank or post office) with '
    'your ID card.':
        'BHXH: hạn xác nhận còn sống hằng năm của ông/bà là ngày %(date)s. Việc chi trả qua tài '
        'khoản sẽ dừng từ tháng %(month)s cho đến khi ông/bà mang căn cước đến trực tiếp (cơ '
        'quan BHXH, UBND xã, ngân hàng hoặc bưu điện).',
    'BHXH: please confirm that you are alive by %(date)s: come with your ID card to the BHXH '
    'office, the commune, your bank or post office. Without it, payment into your account stops '
    'from %(month)s.':
        'BHXH: đề nghị ông/bà xác nhận còn sống trước ngày %(date)s: mang căn cước đến cơ quan '
        'BHXH, UBND xã, ngân hàng hoặc bưu điện. Nếu không, việc chi trả qua tài khoản sẽ dừng '
        'từ tháng %(month)s.',
    'Beneficiaries whose proof of life is overdue':
        'Danh sách người hưởng quá hạn xác nhận còn sống',
    'Beneficiaries whose proof of life is due soon':
        'Danh sách người hưởng sắp đến hạn xác nhận còn sống',
    "Date '%(value)s': expected YYYY-MM-DD.":
        "Ngày '%(value)s': cần theo dạng NNNN-TT-NN.",
    'The visit was recorded; the next proof of life is due on %(date)s.':
        'Đã ghi nhận; hạn xác nhận còn sống tiếp theo là ngày %(date)s.',
}
