from __future__ import annotations

import pyarrow.csv as pacsv
import pytest
from django.core.management import CommandError, call_command

from chitra.registry.models import Beneficiary
from tests.engine.spreadsheets import make_messy_sheet


@pytest.mark.django_db
def test_verify_a_list_file_without_touching_the_registry(register, people, tmp_path, capsys):
    p = people
    rows = [
        {
            "full_name": p["ok"].full_name,
            "birth_date": p["ok"].birth_date.strftime("%d/%m/%Y"),
            "sex": "Nam",
            "personal_id": p["ok"].personal_id,
            "commune": p["ok"].commune.code,
        },
        # the list contradicts itself (Nữ with a male ID digit): a mismatch, not an error
        {
            "full_name": p["ok"].full_name,
            "birth_date": p["ok"].birth_date.strftime("%d/%m/%Y"),
            "sex": "Nữ",
            "personal_id": p["ok"].personal_id,
            "commune": p["ok"].commune.code,
        },
        {
            "full_name": "Ai Đó",
            "birth_date": "1950",
            "sex": "Nam",
            "personal_id": "12345",
            "commune": "02269",
        },
    ]
    src = tmp_path / "ds.xlsx"
    make_messy_sheet(src, rows, fmt="xlsx", title_lines=True, blank_rows=True)
    out = tmp_path / "out.csv"
    before = Beneficiary.objects.count()
    call_command("verify", "--beneficiaries", str(src), "--out", str(out))
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("total=3 ")
    assert "invalid_id=1" in line and "duplicate=2" in line
    table = pacsv.read_csv(out)
    assert table.column_names == [
        "input_row",
        "personal_id",
        "outcome",
        "mismatched_fields",
        "candidate_ids",
        "candidate_scores",
    ]
    assert table.column("input_row").to_pylist() == [1, 2, 3]
    assert Beneficiary.objects.count() == before


@pytest.mark.django_db
def test_verify_the_registry_prints_the_summary(register, people, tmp_path, capsys):
    out = tmp_path / "out.parquet"
    call_command("verify", "--out", str(out))
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line == (
        "total=6 verified=2 mismatch=1 deceased=1 not_found=1 invalid_id=0 no_id=1 duplicate=0"
    )
    assert out.exists()


@pytest.mark.django_db
def test_register_load_command(tmp_path, register, capsys):
    store = tmp_path / "again.duckdb"
    call_command("register_load", str(register["src"]), "--store", str(store))
    assert capsys.readouterr().out.startswith("rows=305 deaths=1")
    with pytest.raises(CommandError):
        call_command("register_load", str(tmp_path / "nope.csv"))


@pytest.mark.django_db
def test_changed_since_rechecks_only_people_whose_register_entry_changed(
    register, people, tmp_path, capsys
):
    import csv
    import datetime as dt

    from chitra.engine.register.store import load_extract

    call_command("verify")  # full run first
    capsys.readouterr()
    mark = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    rows = list(csv.DictReader(register["src"].open(encoding="utf-8")))
    for row in rows:
        if row["personal_id"] == people["ok"].personal_id:
            row["death_date"] = "2026-09-30"  # newly recorded death
    src2 = tmp_path / "extract2.csv"
    with src2.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    load_extract(src2, register["store"])
    call_command("verify", "--changed-since", mark.isoformat())
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("total=1 ") and "deceased=1" in line
    assert Beneficiary.objects.get(pk=people["ok"].pk).status == "deceased"


@pytest.mark.django_db
def test_verify_out_csv_makes_formula_text_inert(register, people, tmp_path, capsys):
    evil = '=HYPERLINK("http://x","y")'
    rows = [
        {
            "full_name": "Ai Đó",
            "birth_date": "1950",
            "sex": "Nam",
            "personal_id": evil,
            "commune": "02269",
        }
    ]
    src = tmp_path / "ds.xlsx"
    make_messy_sheet(src, rows, fmt="xlsx")
    out = tmp_path / "out.csv"
    call_command("verify", "--beneficiaries", str(src), "--out", str(out))
    table = pacsv.read_csv(out)
    assert table.column("personal_id").to_pylist() == ["'" + evil]
