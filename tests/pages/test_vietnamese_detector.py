"""The detector of English and code words can fail: it flags what officers saw in pages."""

from __future__ import annotations

from tests.pages.vietnamese import read_page, suspect_words


def _words(html: str, allowed: tuple[str, ...] = ()) -> list[str]:
    return [f.word for f in suspect_words(read_page(html).text, allowed)]


def test_vietnamese_text_with_and_without_marks_passes() -> None:
    assert _words("<p>Danh sách người hưởng tại Xã Chiêm Hoá, tổng 1.234 người</p>") == []
    assert _words("<p>Xin chao, tin nhan theo thang</p>") == []
    assert _words("<p>BHXH · CCCD 001234567890 · 6.120.000 VND</p>") == []


def test_english_words_and_codes_are_flagged() -> None:
    assert _words("<td>Sai lệch thông tin (dob)</td>") == ["dob"]
    assert _words("<td>Sai lệch thông tin (name)</td>") == ["name"]
    assert _words("<p>rows=50 created=47</p>") == [
        "rows",
        "created",
    ]
    assert _words("<p>Thao tác outreach.contact.record</p>") == ["outreach.contact.record"]
    assert _words("<p>Phân tổ: r:reason code</p>") == ["r:reason", "code"]
    assert _words("<td>{'format': 'pdf'}</td>") == ["format"]


def test_code_markup_data_and_attributes() -> None:
    assert _words('<p><code>registry:read</code> <span translate="no">a.b</span> xong</p>') == []
    assert _words('<input type="submit" value="Submit">') == ["Submit"]
    assert _words('<input placeholder="Search">') == ["Search"]
    assert _words("<p>Agribank, Viettel Money</p>", ("Agribank", "Viettel", "Money")) == []
    assert _words("<p>người thụ h… tiếp</p>") == []
    assert _words("<script>var pending = 1</script><style>.name{}</style>") == []
