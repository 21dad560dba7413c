"""An audit event's change as an officer reads it (core.audit_display)."""

from __future__ import annotations

from django.utils import translation

from chitra.core.audit_display import change_rows, object_type_label


def test_fields_are_labelled_by_the_model_and_values_read_in_words() -> None:
    with translation.override("vi"):
        rows = change_rows(
            "registry.beneficiary",
            {"sex": "M", "birth_date": "1948-05-12"},
            {"sex": "F", "birth_date": "1948-05-21", "lines": 1234567, "odd_key": None},
        )
        by = {r.label or r.code: r for r in rows}
        assert object_type_label("registry.beneficiary") == "người hưởng"
    assert (by["giới tính"].before, by["giới tính"].after, by["giới tính"].changed) == (
        "Nam",
        "Nữ",
        True,
    )
    assert (by["ngày sinh"].before, by["ngày sinh"].after) == ("12/05/1948", "21/05/1948")
    assert by["dòng"].after == "1.234.567" and not by["dòng"].changed
    assert by["odd_key"].label == "" and by["odd_key"].after == "—"


def test_a_status_of_another_model_of_the_app_reads_as_its_label() -> None:
    with translation.override("vi"):
        rows = change_rows("outreach.contact", {"status": "open"}, {"status": "done"})
    assert rows[0].before != "open" and rows[0].after != "done"


def test_unknown_object_type_and_non_dict_change() -> None:
    assert object_type_label("nothing") == "nothing"
    rows = change_rows("", None, True)
    assert [(r.label, r.code, r.after) for r in rows] == [("", "", rows[0].after)]
