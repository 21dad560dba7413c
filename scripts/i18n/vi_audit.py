"""Vietnamese translations of the English msgids of the audit trail's scope, database roles and
hash chain (chitra.core: seal, dbroles, audit_seal / audit_verify / db_roles, the audit page).

Applied to locale/vi like scripts/i18n/vi.py:
    python scripts/i18n/fill_po.py src/chitra/locale/vi/LC_MESSAGES/django.po \
        scripts/i18n/vi_audit.py

Vocabulary: audit trail = nhật ký kiểm toán; event = sự kiện; seal = niêm phong; link (of the
chain) = mắt xích; chain = chuỗi; hash = mã băm; anchor = mốc đối chiếu; role (database) =
vai trò; owner = chủ sở hữu; privilege = quyền.
"""

VI = {
    # dbroles
    "Database roles exist on PostgreSQL only.": "Vai trò cơ sở dữ liệu chỉ có trên PostgreSQL.",
    "A role name is lower-case letters, digits and _ (got %(role)s).":
        "Tên vai trò chỉ gồm chữ thường, chữ số và _ (nhận được %(role)s).",
    "The application role must not be the owner (%(owner)s).":
        "Vai trò của ứng dụng không được là chủ sở hữu (%(owner)s).",
    "No role %(role)s: run chitra db_roles.":
        "Không có vai trò %(role)s: hãy chạy chitra db_roles.",
    "%(role)s is a member of the owner role %(owner)s: it would own the tables. Revoke the "
    "membership first.":
        "%(role)s là thành viên của vai trò chủ sở hữu %(owner)s: như vậy nó sở hữu các bảng. "
        "Hãy thu hồi tư cách thành viên trước.",
    "%(role)s owns objects (%(objects)s): it must own nothing. Run again with --reassign to "
    "give them to %(owner)s.":
        "%(role)s đang sở hữu đối tượng (%(objects)s): vai trò này không được sở hữu gì. Chạy "
        "lại với --reassign để chuyển chúng cho %(owner)s.",
    "%(role)s still has %(privilege)s on %(table)s (granted to PUBLIC or to a role it belongs "
    "to)":
        "%(role)s vẫn có quyền %(privilege)s trên %(table)s (cấp cho PUBLIC hoặc cho một vai "
        "trò mà nó thuộc về)",
    "%(role)s acts as %(owner)s, the owner of %(table)s":
        "%(role)s hoạt động với tư cách %(owner)s, chủ sở hữu của %(table)s",
    "Name the application role: --app-role chitra_app.":
        "Hãy nêu vai trò của ứng dụng: --app-role chitra_app.",
    "The environment variable %(name)s is empty.": "Biến môi trường %(name)s đang trống.",
    # audit_verify / audit_seal
    "--anchor takes SEQ:HASH as printed by audit_seal.":
        "--anchor nhận SEQ:HASH như audit_seal đã in ra.",
    "Unknown province %(code)s.": "Không có tỉnh mã %(code)s.",
    "(not sealed yet: run audit_seal)": "(chưa niêm phong: hãy chạy audit_seal)",
    "... and %(n)s more": "... và %(n)s vấn đề khác",
    "The audit trail fails verification: %(n)s problem(s).":
        "Nhật ký kiểm toán không qua được kiểm tra: %(n)s vấn đề.",
    "The audit trail is intact.": "Nhật ký kiểm toán nguyên vẹn.",
    "links %(first)s to %(last)s are missing": "thiếu các mắt xích từ %(first)s đến %(last)s",
    "link out of order": "mắt xích sai thứ tự",
    "the sealed event is missing": "sự kiện đã niêm phong không còn",
    "the event differs from what was sealed (edited, or the chain was reordered)":
        "sự kiện khác với lúc niêm phong (đã bị sửa, hoặc chuỗi bị đảo thứ tự)",
    "the link names another province than its event":
        "mắt xích ghi một tỉnh khác với tỉnh của sự kiện",
    "the chain differs from the anchor kept outside the database: it was rewritten":
        "chuỗi khác với mốc đối chiếu lưu ngoài cơ sở dữ liệu: chuỗi đã bị viết lại",
    "the chain is shorter than the anchor: links were removed":
        "chuỗi ngắn hơn mốc đối chiếu: đã có mắt xích bị xóa",
    "the event is sealed %(n)s times": "sự kiện bị niêm phong %(n)s lần",
    "the event is not sealed although the sealer has passed it: inserted afterwards":
        "sự kiện chưa được niêm phong dù lần niêm phong đã đi qua: được chèn vào sau",
    # models
    "event id": "mã sự kiện",
    "province id": "mã tỉnh",
    "hash": "mã băm",
    "horizon": "mốc giao dịch",
    "sealed at": "niêm phong lúc",
    "audit seal": "niêm phong nhật ký",
    "audit seals": "niêm phong nhật ký",
    # the audit page
    "All provinces in your scope": "Mọi tỉnh trong phạm vi của bạn",
}
