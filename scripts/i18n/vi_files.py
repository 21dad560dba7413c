"""Vietnamese translations of the English msgids of hostile files and hostile input (issue 11:
upload and read limits, zip bombs, cover sheets and headers, length limits, bad requests).

Applied to locale/vi like scripts/i18n/vi.py:
    python scripts/i18n/fill_po.py src/chitra/locale/vi/LC_MESSAGES/django.po \
        scripts/i18n/vi_files.py

Vocabulary: file = tệp; workbook = bảng tính; sheet = trang tính; header row = dòng tiêu đề;
column = cột; row = dòng; part (of an archive) = phần; unpacked = giải nén; upload = tải lên;
request = yêu cầu; character = ký tự.
"""

VI: dict[str, str] = {
    # --- uploads -------------------------------------------------------------------------------
    "The file %(name)s is larger than %(limit)s, the largest file accepted; it was not stored. "
    "Split it into smaller files.":
        "Tệp %(name)s lớn hơn %(limit)s, dung lượng tối đa được nhận; tệp không được lưu. Hãy "
        "chia thành các tệp nhỏ hơn.",
    "The file is larger than %(limit)s, the largest file accepted; it was not stored. Split it "
    "into smaller files.":
        "Tệp lớn hơn %(limit)s, dung lượng tối đa được nhận; tệp không được lưu. Hãy chia thành "
        "các tệp nhỏ hơn.",
    # --- files that cannot be read -------------------------------------------------------------
    "The file is %(size)s; the largest file accepted is %(limit)s. Split it into smaller files.":
        "Tệp có dung lượng %(size)s; dung lượng tối đa được nhận là %(limit)s. Hãy chia thành "
        "các tệp nhỏ hơn.",
    "The workbook would expand to more than %(limit)s once unpacked; it was not read. Split it "
    "into smaller files.":
        "Bảng tính sẽ bung ra hơn %(limit)s khi giải nén; tệp không được đọc. Hãy chia thành "
        "các tệp nhỏ hơn.",
    "Part '%(member)s' of the workbook is compressed %(ratio)s times, far more than a real "
    "spreadsheet (at most %(limit)s); it was not read.":
        "Phần '%(member)s' của bảng tính được nén %(ratio)s lần, nhiều hơn hẳn một bảng tính "
        "thật (tối đa %(limit)s lần); tệp không được đọc.",
    "The workbook is made of %(count)s parts, more than a spreadsheet has (at most %(limit)s); "
    "it was not read.":
        "Bảng tính gồm %(count)s phần, nhiều hơn một bảng tính thật (tối đa %(limit)s phần); "
        "tệp không được đọc.",
    "Part '%(member)s' of the workbook holds more than the size it declares; the file is "
    "damaged or forged and was not read.":
        "Phần '%(member)s' của bảng tính chứa nhiều dữ liệu hơn dung lượng khai báo; tệp bị "
        "hỏng hoặc bị làm giả và không được đọc.",
    "The workbook is protected by a password; save it without a password.":
        "Bảng tính được bảo vệ bằng mật khẩu; hãy lưu lại mà không đặt mật khẩu.",
    "Part '%(member)s' of the workbook uses a compression method spreadsheets do not use; it was "
    "not read.":
        "Phần '%(member)s' của bảng tính dùng kiểu nén mà bảng tính không dùng; tệp không được "
        "đọc.",
    "The workbook is damaged (%(detail)s); open it in Excel and save it again.":
        "Bảng tính bị hỏng (%(detail)s); hãy mở bằng Excel và lưu lại.",
    "Sheet '%(sheet)s' has more than %(limit)s rows; split the list into several files.":
        "Trang tính '%(sheet)s' có hơn %(limit)s dòng; hãy chia danh sách thành nhiều tệp.",
    "The file has more than %(limit)s lines; split the list into several files.":
        "Tệp có hơn %(limit)s dòng; hãy chia danh sách thành nhiều tệp.",
    "Sheet '%(sheet)s' has %(columns)s columns; at most %(limit)s are read. Delete the unused "
    "columns.":
        "Trang tính '%(sheet)s' có %(columns)s cột; chỉ đọc tối đa %(limit)s cột. Hãy xóa các "
        "cột không dùng.",
    "The file has %(columns)s columns; at most %(limit)s are read. Delete the unused columns.":
        "Tệp có %(columns)s cột; chỉ đọc tối đa %(limit)s cột. Hãy xóa các cột không dùng.",
    "The file is empty.": "Tệp không có dữ liệu.",
    "The workbook is empty: it has no sheet.": "Bảng tính không có dữ liệu: không có trang tính "
                                               "nào.",
    "The workbook is empty: no sheet holds any data (sheets: %(sheets)s).":
        "Bảng tính không có dữ liệu: không trang tính nào có dữ liệu (các trang tính: "
        "%(sheets)s).",
    "'%(sheet)s' (empty)": "'%(sheet)s' (trống)",
    "'%(sheet)s' (no column %(columns)s)": "'%(sheet)s' (không có cột %(columns)s)",
    "No sheet has a recognisable header row. Sheets looked at: %(sheets)s.":
        "Không trang tính nào có dòng tiêu đề nhận biết được. Các trang tính đã xem: "
        "%(sheets)s.",
    "Sheet '%(sheet)s'": "Trang tính '%(sheet)s'",
    "The file": "Tệp",
    "%(where)s has no recognisable header row: none of the expected columns (%(columns)s) is "
    "in its first 30 rows.":
        "%(where)s không có dòng tiêu đề nhận biết được: 30 dòng đầu không có cột nào trong các "
        "cột cần có (%(columns)s).",
    "%(where)s: the header row lacks the column(s) %(columns)s (columns recognised: "
    "%(found)s).":
        "%(where)s: dòng tiêu đề thiếu cột %(columns)s (các cột đã nhận ra: %(found)s).",
    # --- length limits --------------------------------------------------------------------------
    "at most %(limit)s characters (this one has %(count)s)":
        "tối đa %(limit)s ký tự (giá trị này có %(count)s ký tự)",
    # --- hostile requests -----------------------------------------------------------------------
    "The request contains a NUL character (U+0000), which no field may hold.":
        "Yêu cầu có ký tự NUL (U+0000), là ký tự không trường nào được chứa.",
    "The JSON body is not UTF-8 text.": "Nội dung JSON không phải văn bản UTF-8.",
    "The JSON body is nested more than %(limit)s levels deep.":
        "Nội dung JSON lồng nhau sâu hơn %(limit)s cấp.",
    "The body is not valid JSON: %(detail)s": "Nội dung không phải JSON hợp lệ: %(detail)s",
    "The request was refused": "Yêu cầu bị từ chối",
}
