"""Vietnamese translations of the English msgids of authentication and web security (issue 11:
two-factor authentication, passwords, API tokens, the users page).

Applied to locale/vi like scripts/i18n/vi.py:
    python scripts/i18n/fill_po.py src/chitra/locale/vi/LC_MESSAGES/django.po \
        scripts/i18n/vi_auth.py

Vocabulary: two-factor authentication = xác thực hai lớp; authenticator app = ứng dụng xác
thực; code = mã; recovery code = mã khôi phục; set up = thiết lập; verify = xác thực; reset =
đặt lại; API token = mã truy cập API (token); scope = phạm vi; revoke = thu hồi; expire = hết
hạn; password = mật khẩu; user name = tên đăng nhập; administrator = quản trị viên.
"""

VI = {
    # --- two-factor: pages -------------------------------------------------------------------
    "Two-factor verification": "Xác thực hai lớp",
    "Two-factor authentication": "Xác thực hai lớp",
    "Set up two-factor authentication": "Thiết lập xác thực hai lớp",
    "Two-factor authentication is set up.": "Đã thiết lập xác thực hai lớp.",
    "Type the 6-digit code that your authenticator app shows now, or one of your recovery "
    "codes.": "Nhập mã 6 chữ số mà ứng dụng xác thực đang hiển thị, hoặc một mã khôi phục "
              "của bạn.",
    "Verify": "Xác thực",
    "Confirm": "Xác nhận",
    "Lost your phone and your recovery codes? Ask your organisation's administrator to reset "
    "your two-factor authentication.":
        "Mất điện thoại và mã khôi phục? Đề nghị quản trị viên của đơn vị đặt lại xác thực "
        "hai lớp cho bạn.",
    "Your role needs a second factor: a code from an authenticator app on your phone (Google "
    "Authenticator, Microsoft Authenticator, FreeOTP...) on every log-in.":
        "Vai trò của bạn cần lớp xác thực thứ hai: mỗi lần đăng nhập, nhập mã từ ứng dụng xác "
        "thực trên điện thoại (Google Authenticator, Microsoft Authenticator, FreeOTP...).",
    "Open the authenticator app and scan this QR code.":
        "Mở ứng dụng xác thực và quét mã QR này.",
    "QR code to scan with the authenticator app": "Mã QR để quét bằng ứng dụng xác thực",
    "Cannot scan? Type this key in the app instead:":
        "Không quét được? Nhập khóa này vào ứng dụng:",
    "Type the 6-digit code the app shows.": "Nhập mã 6 chữ số mà ứng dụng hiển thị.",
    "Recovery codes": "Mã khôi phục",
    "Keep these codes somewhere safe, away from your phone (printed, in a locked drawer). Each "
    "one works once, instead of a code from the app, if you lose your phone. They are shown "
    "only now.":
        "Hãy cất giữ các mã này ở nơi an toàn, tách khỏi điện thoại (in ra giấy, để trong "
        "ngăn có khóa). Mỗi mã dùng được một lần, thay cho mã từ ứng dụng, khi bạn mất điện "
        "thoại. Các mã chỉ hiển thị lần này.",
    "I have kept them: continue": "Tôi đã cất giữ: tiếp tục",
    "Account security": "Bảo mật tài khoản",
    "Set up.": "Đã thiết lập.",
    "Recovery codes left: %(n)s.": "Số mã khôi phục còn lại: %(n)s.",
    "Make new recovery codes": "Tạo mã khôi phục mới",
    "The old codes stop working.": "Các mã cũ sẽ hết hiệu lực.",
    "Not needed for your role.": "Vai trò của bạn không cần.",
    "Not needed for this role.": "Vai trò này không cần.",
    "Not set up yet: asked at the next log-in.":
        "Chưa thiết lập: sẽ được yêu cầu ở lần đăng nhập tới.",
    "Reason for the reset (lost phone...)": "Lý do đặt lại (mất điện thoại...)",
    "Reset two-factor authentication": "Đặt lại xác thực hai lớp",
    "The user's authenticator and recovery codes stop working; they set up a new one at their "
    "next log-in.":
        "Ứng dụng xác thực và mã khôi phục của người dùng hết hiệu lực; họ thiết lập lại ở lần "
        "đăng nhập tới.",
    "Two-factor status and API tokens of your province's users.":
        "Tình trạng xác thực hai lớp và mã truy cập API của người dùng trong tỉnh.",
    "Users": "Người dùng",
    "Two-factor": "Xác thực hai lớp",
    "Active tokens": "Mã truy cập còn hiệu lực",
    "set up": "đã thiết lập",
    "not set up yet": "chưa thiết lập",
    "Role": "Vai trò",
    # --- two-factor: messages ----------------------------------------------------------------
    "Two-factor authentication is already set up.": "Xác thực hai lớp đã được thiết lập.",
    "This authenticator cannot be confirmed.": "Không thể xác nhận ứng dụng xác thực này.",
    "The code is not right. Check the time on your phone and type the 6 digits the app shows "
    "now.":
        "Mã không đúng. Kiểm tra giờ trên điện thoại và nhập 6 chữ số ứng dụng đang hiển thị.",
    "Too many wrong codes: try again after %(time)s.":
        "Nhập sai mã quá nhiều lần: thử lại sau %(time)s.",
    "Too many wrong codes: try again later.": "Nhập sai mã quá nhiều lần: hãy thử lại sau.",
    "Type the code.": "Hãy nhập mã.",
    "This account has no recovery codes left.": "Tài khoản này không còn mã khôi phục.",
    "Two-factor authentication is not set up.": "Chưa thiết lập xác thực hai lớp.",
    "The code is not right.": "Mã không đúng.",
    "Verify your session with a code first.": "Hãy xác thực phiên làm việc bằng mã trước.",
    "You cannot reset your own two-factor authentication.":
        "Bạn không thể tự đặt lại xác thực hai lớp của mình.",
    "This user is outside your province.": "Người dùng này không thuộc tỉnh của bạn.",
    "Give the reason for the reset.": "Hãy ghi lý do đặt lại.",
    "You used a recovery code; %(n)s are left. Make new ones on the Account security page if "
    "few are left.":
        "Bạn đã dùng một mã khôi phục; còn %(n)s mã. Nếu còn ít, hãy tạo mã mới ở trang Bảo "
        "mật tài khoản.",
    "Two-factor authentication of %(user)s was reset: they set it up again at their next "
    "log-in.":
        "Đã đặt lại xác thực hai lớp của %(user)s: người dùng sẽ thiết lập lại ở lần đăng nhập "
        "tới.",
    "Two-factor verification is required: verify your session on the web page first.":
        "Cần xác thực hai lớp: hãy xác thực phiên làm việc trên trang web trước.",
    # --- passwords ---------------------------------------------------------------------------
    "A password must not be a phone number.": "Mật khẩu không được là số điện thoại.",
    "A password must not contain a personal ID number (12 digits).":
        "Mật khẩu không được chứa số định danh cá nhân (12 chữ số).",
    "A password must not contain your name or your user name.":
        "Mật khẩu không được chứa họ tên hoặc tên đăng nhập của bạn.",
    "Not a phone number, a personal ID number, nor your name or user name.":
        "Không phải số điện thoại, số định danh cá nhân, họ tên hay tên đăng nhập của bạn.",
    "This account cannot change a password.": "Tài khoản này không đổi được mật khẩu.",
    "The current password is not right.": "Mật khẩu hiện tại không đúng.",
    "The new password must differ from the current one.":
        "Mật khẩu mới phải khác mật khẩu hiện tại.",
    "Your password was changed.": "Đã đổi mật khẩu.",
    "Change your password": "Đổi mật khẩu",
    "Change the password": "Đổi mật khẩu",
    "At least 10 characters.": "Ít nhất 10 ký tự.",
    "Not a common password.": "Không phải mật khẩu phổ biến.",
    # --- API tokens --------------------------------------------------------------------------
    "API tokens": "Mã truy cập API",
    "API token": "Mã truy cập API",
    "Your API tokens": "Mã truy cập API của bạn",
    "For other systems that call the chitra API on your behalf.":
        "Cho các hệ thống khác gọi API của chitra thay mặt bạn.",
    "A token lets another system call the chitra API as you, within your area and role, and "
    "only for the scopes you choose. Send it as the header Authorization: Token <secret>.":
        "Mã truy cập cho phép một hệ thống khác gọi API của chitra với tư cách của bạn, trong "
        "địa bàn và vai trò của bạn, và chỉ trong các phạm vi bạn chọn. Gửi kèm tiêu đề "
        "Authorization: Token <mã bí mật>.",
    'Token "%(name)s" made. Copy the secret now: it is shown only once.':
        'Đã tạo mã truy cập "%(name)s". Hãy sao chép mã bí mật ngay: mã chỉ hiển thị một lần.',
    "Make a token": "Tạo mã truy cập",
    "Make the token": "Tạo mã truy cập",
    "Your role cannot use the API.": "Vai trò của bạn không dùng được API.",
    "Name (what the token is for)": "Tên (mã truy cập dùng để làm gì)",
    "Scopes": "Phạm vi",
    "scopes": "phạm vi",
    "Valid for (days)": "Hiệu lực (ngày)",
    "Token name": "Tên mã truy cập",
    "Created on": "Ngày tạo",
    "in force": "còn hiệu lực",
    "Prefix": "Tiền tố",
    "prefix": "tiền tố",
    "created": "ngày tạo",
    "Expires": "Hết hạn",
    "expires": "hết hạn",
    "Last used": "Lần dùng gần nhất",
    "last used": "lần dùng gần nhất",
    "revoked": "đã thu hồi",
    "revoked by": "người thu hồi",
    "expired": "đã hết hạn",
    "owner": "người sở hữu",
    "Revoke": "Thu hồi",
    "No token.": "Chưa có mã truy cập.",
    "The token %(name)s was revoked.": "Đã thu hồi mã truy cập %(name)s.",
    "Read beneficiaries of your area": "Xem người hưởng trên địa bàn",
    "Read verification runs and outcomes": "Xem các đợt xác thực và kết quả",
    "Read payment batches, disbursements and payment-method changes":
        "Xem lô chi trả, khoản chi và thay đổi phương thức chi trả",
    "Post payment results": "Gửi kết quả chi trả",
    "Push account confirmations and payment-method change requests":
        "Gửi xác nhận tài khoản và yêu cầu thay đổi phương thức chi trả",
    "Outreach work lists and contacts": "Danh sách vận động và kết quả tiếp xúc",
    "Indicators, targets, reports and plan tasks":
        "Chỉ tiêu, mục tiêu, báo cáo và nhiệm vụ của kế hoạch",
    "Unknown scope '%(scope)s'. Scopes: %(all)s.":
        "Phạm vi '%(scope)s' không tồn tại. Các phạm vi: %(all)s.",
    "Verify your session with a two-factor code before making a token.":
        "Hãy xác thực hai lớp cho phiên làm việc trước khi tạo mã truy cập.",
    "Give the token a name (what it is for).": "Hãy đặt tên cho mã truy cập (dùng để làm gì).",
    "The name is too long (100 characters at most).": "Tên quá dài (tối đa 100 ký tự).",
    "Choose at least one scope.": "Hãy chọn ít nhất một phạm vi.",
    "This user's role cannot use the scope(s) %(scopes)s.":
        "Vai trò của người dùng này không dùng được phạm vi %(scopes)s.",
    "A token is valid for 1 to %(max)s days.": "Mã truy cập có hiệu lực từ 1 đến %(max)s ngày.",
    "The user is not active.": "Người dùng không còn hoạt động.",
    "Invalid Authorization header: give 'Token <secret>'.":
        "Tiêu đề Authorization không hợp lệ: hãy gửi 'Token <mã bí mật>'.",
    "Invalid token.": "Mã truy cập không hợp lệ.",
    "This API token was revoked on %(date)s.": "Mã truy cập API này đã bị thu hồi ngày %(date)s.",
    "This API token expired on %(date)s: make a new one.":
        "Mã truy cập API này đã hết hạn ngày %(date)s: hãy tạo mã mới.",
    "The user of this token is not active.":
        "Người dùng của mã truy cập này không còn hoạt động.",
    "No API token may call this endpoint.": "Không mã truy cập API nào được gọi địa chỉ này.",
    "This API token does not have the scope '%(scope)s' this endpoint needs.":
        "Mã truy cập API này không có phạm vi '%(scope)s' mà địa chỉ này cần.",
}
