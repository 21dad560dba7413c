"""Vietnamese translations of the msgids of jobs that survive their worker (heartbeat, sweep,
re-run), the one-line command errors and the register client's failures (issue 11, item 7).

Applied to locale/vi like scripts/i18n/vi.py (`make messages`).

Vocabulary: job = công việc; worker = tiến trình xử lý nền; heartbeat / last sign of life =
tín hiệu hoạt động cuối; run again = chạy lại; population register = Cơ sở dữ liệu quốc gia
về dân cư (CSDLQGDC).
"""

VI = {
    # --- what a job was doing --------------------------------------------------------------
    "importing the beneficiary file": "nhập tệp danh sách người hưởng",
    "verifying against the population register":
        "xác thực với Cơ sở dữ liệu quốc gia về dân cư",
    "computing the payroll": "tính bảng lương chi trả",
    "writing the payment files": "ghi các tệp chi trả",
    "applying the payment results file": "áp dụng tệp kết quả chi trả",
    "computing the indicators": "tính các chỉ tiêu",
    "the months already computed are kept (each month is computed whole); the others are as "
    "before":
        "các tháng đã tính xong được giữ nguyên (mỗi tháng được tính trọn vẹn); các tháng còn "
        "lại giữ như trước",
    "nothing was applied": "chưa có thay đổi nào được ghi",
    # --- stopped jobs ----------------------------------------------------------------------
    "The worker was stopped while %(doing)s; %(left)s. Run it again.":
        "Tiến trình xử lý nền bị dừng khi đang %(doing)s; %(left)s. Hãy chạy lại.",
    "The worker stopped while %(doing)s (worker %(worker)s, last sign of life %(at)s); "
    "%(left)s. Run it again.":
        "Tiến trình xử lý nền đã dừng khi đang %(doing)s (tiến trình %(worker)s, tín hiệu "
        "hoạt động cuối lúc %(at)s); %(left)s. Hãy chạy lại.",
    "This job was never started by a worker (its task was lost); nothing was applied. Run it "
    "again.":
        "Công việc này chưa từng được tiến trình xử lý nền bắt đầu (yêu cầu chạy đã bị mất); "
        "chưa có thay đổi nào được ghi. Hãy chạy lại.",
    "Internal error; see the worker log.":
        "Lỗi nội bộ; xem nhật ký của tiến trình xử lý nền.",
    "Only a failed job can be run again, by the user who started it.":
        "Chỉ chạy lại được công việc bị lỗi, và chỉ do người đã khởi chạy công việc đó.",
    "The file of this job is no longer kept: upload it again.":
        "Tệp của công việc này không còn được lưu: hãy tải tệp lên lại.",
    # --- the job model and page ------------------------------------------------------------
    "last heartbeat": "tín hiệu hoạt động cuối",
    "worker": "tiến trình xử lý",
    "attempts": "số lần chạy",
    "run again from": "chạy lại từ",
    "Last sign of life": "Tín hiệu hoạt động cuối",
    "Run again from job #%(n)s": "Chạy lại từ công việc #%(n)s",
    "Run again as job #%(n)s": "Đã chạy lại thành công việc #%(n)s",
    "Run again": "Chạy lại",
    # --- commands --------------------------------------------------------------------------
    "You do not have permission to do this.": "Bạn không có quyền thực hiện việc này.",
    "The database cannot be used (%(detail)s).": "Không dùng được cơ sở dữ liệu (%(detail)s).",
    "File or network error: %(detail)s": "Lỗi tệp hoặc mạng: %(detail)s",
    "Internal error (%(kind)s: %(detail)s); run the command again with --traceback for the "
    "details.":
        "Lỗi nội bộ (%(kind)s: %(detail)s); chạy lại lệnh với --traceback để xem chi tiết.",
    "Interrupted.": "Đã bị ngắt.",
    # --- the population register -----------------------------------------------------------
    "The population register answered in a form that cannot be read, even after retrying "
    "(%(detail)s). Nothing was changed; try again later or tell the register's operator.":
        "Cơ sở dữ liệu quốc gia về dân cư trả lời sai định dạng, kể cả sau khi đã thử lại "
        "(%(detail)s). Chưa có thay đổi nào; hãy thử lại sau hoặc báo đơn vị vận hành "
        "CSDLQGDC.",
    "The population register refused the request (%(detail)s). Nothing was changed.":
        "Cơ sở dữ liệu quốc gia về dân cư từ chối yêu cầu (%(detail)s). Chưa có thay đổi nào.",
    "The population register cannot be reached (%(detail)s). Nothing was changed; try again "
    "later.":
        "Không kết nối được Cơ sở dữ liệu quốc gia về dân cư (%(detail)s). Chưa có thay đổi "
        "nào; hãy thử lại sau.",
}
