"""Every problem a user can meet has a Vietnamese sentence."""

from chitra.engine.rows.beneficiary import ISSUE_CODES
from django.utils import translation

from chitra.core.errors import EXPECTED

APPLY_CODES = {"commune_out_of_scope", "beneficiary_out_of_scope", "si_number_taken",
               "pid_conflicts_si"}


def test_every_issue_code_has_an_expectation():
    assert set(ISSUE_CODES) | APPLY_CODES <= set(EXPECTED)


def test_every_expectation_is_translated_to_vietnamese():
    untranslated = []
    for code, text in EXPECTED.items():
        if text is None:
            continue
        with translation.override("en"):
            en = str(text)
        with translation.override("vi"):
            vi = str(text)
        if vi == en and code not in {"sex_invalid"}:
            untranslated.append(code)
    assert untranslated == []
