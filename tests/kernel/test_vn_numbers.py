"""Amounts in Vietnamese words (the "bằng chữ" line of a payment list)."""

from __future__ import annotations

import pytest

from chitra.kernel.vn_numbers import amount_in_words, number_in_words


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (15, "mười lăm"),
        (21, "hai mươi mốt"),
        (25, "hai mươi lăm"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (1005, "một nghìn không trăm linh năm"),
        (1_000_500, "một triệu năm trăm"),
        (3_500_000, "ba triệu năm trăm nghìn"),
        (2_508_413_000, "hai tỷ năm trăm linh tám triệu bốn trăm mười ba nghìn"),
        (1_000_000_000_000, "một nghìn tỷ"),
        (-7, "âm bảy"),
    ],
)
def test_number_in_words(n: int, words: str) -> None:
    assert number_in_words(n) == words


def test_amount_in_words_is_a_sentence_in_dong() -> None:
    assert amount_in_words(6_120_000) == "Sáu triệu một trăm hai mươi nghìn đồng."


def test_not_a_whole_number_is_refused() -> None:
    with pytest.raises(ValueError, match="whole number"):
        number_in_words(1.5)  # type: ignore[arg-type]
