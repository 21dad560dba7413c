"""Tests for chitra.kernel.names (pure Python)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chitra.kernel.names import clean_text, fold_name, latin_text, nfc


def test_fold_basic_and_d_stroke() -> None:
    assert fold_name("Nguyễn Văn Đức") == "NGUYEN VAN DUC"
    assert fold_name("đặng thị đào") == "DANG THI DAO"


def test_fold_nfd_equals_nfc() -> None:
    name = "Nguyễn Thị Thuỷ Đặng"
    expected = "NGUYEN THI THUY DANG"
    assert fold_name(unicodedata.normalize("NFD", name)) == fold_name(name) == expected


@pytest.mark.parametrize(("old", "new"), [("Hoá", "Hóa"), ("Thuỷ", "Thủy"), ("Khoẻ", "Khỏe")])
def test_fold_old_and_new_tone_placement(old: str, new: str) -> None:
    assert old != new
    assert fold_name(old) == fold_name(new)


def test_fold_whitespace_and_none() -> None:
    assert fold_name("  Lê\u00a0 Văn\t\nAn  ") == "LE VAN AN"
    assert fold_name(None) == ""
    assert fold_name("") == ""
    assert fold_name("   ") == ""


def test_fold_collides_distinct_names() -> None:
    # Documented: folding only corroborates (Hòa = Hoa).
    assert fold_name("Hòa") == fold_name("Hoa") == "HOA"


def test_nfc() -> None:
    nfd = unicodedata.normalize("NFD", "Trần")
    assert nfd != "Trần"
    assert nfc(nfd) == "Trần"
    assert nfc("abc") == "abc"


def test_clean_text() -> None:
    assert clean_text("  Nguyễn\u00a0\u00a0Văn   A \n") == "Nguyễn Văn A"
    assert clean_text(unicodedata.normalize("NFD", "Đức")) == "Đức"
    assert clean_text("\u200bAn\u200b") == "An"
    assert clean_text("   ") is None
    assert clean_text("") is None
    assert clean_text(None) is None
    assert clean_text(123) == "123"


_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯ "
_TONED = "àáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
_MARKS = ["\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]
vietnamese = st.text(alphabet=st.sampled_from([*_LETTERS, *_MARKS, *_TONED]), max_size=30)


@given(vietnamese)
def test_fold_nfc_nfd_property(s: str) -> None:
    folded = fold_name(unicodedata.normalize("NFC", s))
    assert folded == fold_name(unicodedata.normalize("NFD", s))
    assert fold_name(folded) == folded  # idempotent
    assert folded == folded.strip()
    assert "  " not in folded
    assert all(unicodedata.category(c) != "Mn" for c in folded)
    assert "Đ" not in folded and "đ" not in folded


@given(st.text(max_size=40))
def test_fold_idempotent_any_text(s: str) -> None:
    once = fold_name(s)
    assert fold_name(once) == once


@pytest.mark.parametrize(
    ("raw", "latin"),
    [
        ("Nguyễn Văn Đức", "Nguyen Van Duc"),
        ("đặng thị hoà", "dang thi hoa"),
        ("NGUYỄN THỊ THUỶ", "NGUYEN THI THUY"),
        (unicodedata.normalize("NFD", "Trần Ánh"), "Tran Anh"),
        ("Plain ASCII & co", "Plain ASCII & co"),
    ],
)
def test_latin_text_removes_marks_and_keeps_case(raw, latin):
    assert latin_text(raw) == latin
    assert latin_text(raw).isascii()
    assert fold_name(latin_text(raw)) == fold_name(raw)


def test_folding_lengthens_a_character_by_at_most_three():
    """The name parser measures a name's folded length only when the name is over a quarter
    of the limit (engine.rows.beneficiary.parse_person_name): that rests on this bound."""
    longest = max(len(fold_name(chr(cp))) for cp in range(0x110000) if not 0xD800 <= cp < 0xE000)
    assert longest == 3
