"""Provider names from the NAPAS list are stored in NFC and their former names shown as a list."""

from __future__ import annotations

import unicodedata

import pytest

from chitra.payment_methods.loading import napas_rows
from chitra.payment_methods.models import Provider


def test_the_list_is_read_in_nfc() -> None:
    rows = napas_rows()
    assert rows and all(unicodedata.is_normalized("NFC", v) for r in rows for v in r.values())


@pytest.mark.django_db
def test_every_provider_name_in_the_database_is_nfc() -> None:
    texts = [
        t for row in Provider.objects.values_list("short_name", "name", "aliases") for t in row
    ]
    assert texts and all(unicodedata.is_normalized("NFC", t) for t in texts)
    with_aliases = Provider.objects.exclude(aliases="").first()
    assert with_aliases is not None and ";" not in "".join(with_aliases.alias_list)
