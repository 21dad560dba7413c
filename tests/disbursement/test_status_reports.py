"""A bank's pain.002 status report applied to a released cycle (issue #14 item 1): checked against
the message chitra sent, group and block statuses covering the lines not listed, pending
answers counted without changing money, Verification-of-Payee outcomes stored per line."""

from __future__ import annotations

from pathlib import Path

import pytest

from chitra.core.errors import ImportFileError
from chitra.core.models import AuditEvent
from chitra.disbursement.models import (
    Batch,
    Channel,
    PayeeNameCheck,
    PayrollLine,
    ResultImport,
    ReturnReason,
)
from chitra.disbursement.results import ResultsRejected, results_import
from chitra.disbursement.status_reports import sent_messages
from tests.disbursement.conftest import NOV, add_method, seen_alive
from tests.disbursement.test_release_results import line_of
from tests.disbursement.test_release_results import released as _released
from tests.factories import BeneficiaryFactory, EntitlementFactory

NS = "urn:iso:std:iso:20022:tech:xsd:pain.002.001.{v}"


def report(
    path: Path,
    msg_id: str,
    *,
    group: str = "",
    group_reason: str = "",
    blocks: list[tuple[str, str, list[str]]] = (),  # type: ignore[assignment]
    version: str = "10",
) -> Path:
    """A pain.002 as a bank writes it: ``blocks`` are (OrgnlPmtInfId, PmtInfSts, TxInfAndSts
    XML fragments)."""
    grp = f"<GrpSts>{group}</GrpSts>" if group else ""
    if group_reason:
        grp += f"<StsRsnInf><Rsn><Cd>{group_reason}</Cd></Rsn></StsRsnInf>"
    body = "".join(
        f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>{pmt}</OrgnlPmtInfId>"
        + (f"<PmtInfSts>{sts}</PmtInfSts>" if sts else "")
        + "".join(txs)
        + "</OrgnlPmtInfAndSts>"
        for pmt, sts, txs in blocks
    )
    path.write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><Document xmlns="{NS.format(v=version)}">'
        f"<CstmrPmtStsRpt><GrpHdr><MsgId>STS-{path.stem}</MsgId>"
        f"<CreDtTm>2026-12-10T09:00:00</CreDtTm></GrpHdr>"
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{msg_id}</OrgnlMsgId>"
        f"<OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>{grp}</OrgnlGrpInfAndSts>"
        f"{body}</CstmrPmtStsRpt></Document>",
        encoding="utf-8",
    )
    return path


def tx(ref: str, status: str, reason: str = "", info: str = "", name: str = "") -> str:
    rsn = f"<Rsn><Cd>{reason}</Cd></Rsn>" if reason else ""
    add = f"<AddtlInf>{info}</AddtlInf>" if info else ""
    sts_rsn = f"<StsRsnInf>{rsn}{add}</StsRsnInf>" if rsn or add else ""
    ref_xml = f"<OrgnlTxRef><Cdtr><Pty><Nm>{name}</Nm></Pty></Cdtr></OrgnlTxRef>" if name else ""
    return (
        f"<TxInfAndSts><OrgnlEndToEndId>{ref}</OrgnlEndToEndId><TxSts>{status}</TxSts>"
        f"{sts_rsn}{ref_xml}</TxInfAndSts>"
    )


def released(runner, approver):
    """The world's cycle released, with three more Agribank customers in the bank's batch."""
    from chitra.payment_methods.models import Provider

    agribank = Provider.objects.get(code="970405")
    for i, name in enumerate(("Lê Thị Một", "Lê Văn Hai", "Lê Thị Ba")):
        ben = BeneficiaryFactory(full_name=name, commune=runner_commune())
        EntitlementFactory(beneficiary=ben, paid_through=NOV)
        add_method(ben, "BANK_ACCOUNT", runner, agribank, number=f"{7700000000 + i:013d}")
        seen_alive(ben)
    return _released(runner, approver)


def runner_commune():
    from chitra.registry.models import Beneficiary

    return Beneficiary.objects.order_by("pk").first().commune


def bank_batch(world) -> Batch:
    return Batch.objects.get(provider=world.agribank, channel=Channel.BANK_ACCOUNT, sequence=0)


def sent_file(batch: Batch):
    return batch.files.get(kind="pain001")


def msg_id(batch: Batch) -> str:
    """The MsgId of the batch's pain.001, which a bank's report quotes as OrgnlMsgId."""
    return sent_file(batch).message_id


def block_id(batch: Batch) -> str:
    """The PmtInfId of the pain.001's one block (the batch pays pensions only)."""
    (block,) = sent_file(batch).payment_blocks
    return block["pmt_inf_id"]


def statuses(batch: Batch) -> dict[str, str]:
    return dict(PayrollLine.objects.filter(batch=batch).values_list("reference", "status"))


def test_sent_messages_are_the_released_batches_of_the_cycle(world, runner, approver):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    sent = msg_id(batch)
    assert sent and sent != batch.reference
    found = sent_messages(cycle, [sent, batch.reference, "NOPE"])
    # the pain.001's own MsgId; the batch's reference does not answer a file sent with one
    assert list(found) == [sent]
    assert found[sent].batch_ids == (batch.pk,)
    assert found[sent].blocks == {block_id(batch): batch.pk}


def test_a_file_written_before_message_ids_were_kept_is_found_by_the_batch_reference(
    world, runner, approver
):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    sent_file(batch).__class__.objects.filter(pk=sent_file(batch).pk).update(
        message_id=None, payment_blocks=[]
    )
    found = sent_messages(cycle, [batch.reference])
    assert list(found) == [batch.reference]
    assert found[batch.reference].blocks == {batch.reference: batch.pk}


def test_an_unknown_original_message_is_refused_naming_it(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    path = report(tmp_path / "u.xml", "NOT-SENT-42", group="RJCT", group_reason="AM04")
    with pytest.raises(ImportFileError, match="NOT-SENT-42"):
        results_import(actor=runner, cycle=cycle, path=path)
    assert not ResultImport.objects.exists()
    assert set(PayrollLine.objects.values_list("status", flat=True)) == {"sent"}


def test_a_group_rejection_fails_every_open_line_of_the_message(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    others = set(PayrollLine.objects.exclude(batch=batch).values_list("status", flat=True))
    path = report(tmp_path / "g.xml", msg_id(batch), group="RJCT", group_reason="AM04")
    out = results_import(actor=runner, cycle=cycle, path=path)
    n = batch.lines.count()
    assert n >= 2 and (out.failed, out.paid, out.pending) == (n, 0, 0)
    assert set(statuses(batch).values()) == {"failed"}
    assert set(PayrollLine.objects.filter(batch=batch).values_list("reason_code", "action")) == {
        ("AM04", "retry")
    }
    assert set(PayrollLine.objects.exclude(batch=batch).values_list("status", flat=True)) == others
    imp = out.result_import
    assert (imp.group_status, imp.original_message_id, imp.failed) == ("RJCT", msg_id(batch), n)
    # the same file again: nothing changes; another report saying the same: nothing left open
    again = results_import(actor=runner, cycle=cycle, path=path)
    assert again.already_applied and ResultImport.objects.count() == 1
    more = report(tmp_path / "g2.xml", msg_id(batch), group="RJCT", group_reason="AM04")
    assert results_import(actor=runner, cycle=cycle, path=more).failed == 0


def test_listed_lines_win_over_the_group_status(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    refs = sorted(statuses(batch))
    first, rest = refs[0], refs[1:]
    path = report(
        tmp_path / "w.xml",
        msg_id(batch),
        group="ACSC",
        blocks=[(block_id(batch), "", [tx(first, "RJCT", "AC04")])],
    )
    out = results_import(actor=runner, cycle=cycle, path=path)
    assert (out.paid, out.failed) == (len(rest), 1)
    got = statuses(batch)
    assert got[first] == "failed" and {got[r] for r in rest} == {"paid"}


def test_a_block_status_covers_its_block_and_part_reads_the_transactions(
    world, runner, approver, tmp_path
):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    refs = sorted(statuses(batch))
    part = report(
        tmp_path / "p.xml",
        msg_id(batch),
        group="PART",
        blocks=[(block_id(batch), "PART", [tx(refs[0], "ACCC")])],
    )
    out = results_import(actor=runner, cycle=cycle, path=part)
    assert (out.paid, out.failed, out.pending) == (1, 0, 0)
    assert sorted(statuses(batch).values()) == sorted(["paid"] + ["sent"] * (len(refs) - 1))
    block = report(tmp_path / "b.xml", msg_id(batch), blocks=[(block_id(batch), "ACSC", [])])
    out = results_import(actor=runner, cycle=cycle, path=block)
    assert out.paid == len(refs) - 1 and set(statuses(batch).values()) == {"paid"}


def test_a_receipt_only_report_is_recorded_and_changes_nothing(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    path = report(tmp_path / "r.xml", msg_id(batch), group="ACTC", version="03")
    out = results_import(actor=runner, cycle=cycle, path=path)
    n = batch.lines.count()
    assert (out.paid, out.failed, out.pending) == (0, 0, n)
    assert set(statuses(batch).values()) == {"sent"}
    imp = ResultImport.objects.get()
    assert (imp.group_status, imp.pending, imp.source) == ("ACTC", n, "pain002")
    event = AuditEvent.objects.get(action="cycle.status_report")
    assert event.after["pending"] == n and event.after["group_status"] == "ACTC"


def test_pending_transactions_are_counted_and_checked(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    refs = sorted(statuses(batch))
    ok = report(
        tmp_path / "k.xml",
        msg_id(batch),
        blocks=[(block_id(batch), "", [tx(refs[0], "ACSP"), tx(refs[1], "PDNG")])],
    )
    out = results_import(actor=runner, cycle=cycle, path=ok)
    assert (out.pending, out.paid, out.failed, out.unchanged) == (2, 0, 0, 0)
    assert set(statuses(batch).values()) == {"sent"}
    bad = report(
        tmp_path / "x.xml",
        msg_id(batch),
        blocks=[(block_id(batch), "", [tx("0" * 22, "ACSP")])],
    )
    with pytest.raises(ResultsRejected) as e:
        results_import(actor=runner, cycle=cycle, path=bad)
    assert "reference_unknown" in [i.code for i in e.value.issues]


def test_name_checks_are_stored_per_line_and_never_fail(world, runner, approver, tmp_path):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    line = line_of(world, "bank")
    assert line.batch_id == batch.pk
    path = report(
        tmp_path / "v.xml",
        msg_id(batch),
        blocks=[
            (
                block_id(batch),
                "",
                [tx(line.reference, "RVMC", info="LE VAN NGAN", name=line.payee_name)],
            )
        ],
    )
    out = results_import(actor=runner, cycle=cycle, path=path)
    assert (out.pending, out.failed) == (1, 0)
    check = PayeeNameCheck.objects.get()
    assert (check.line_id, check.outcome, check.name_returned, check.name_sent) == (
        line.pk,
        "close",
        "LE VAN NGAN",
        line.payee_name,
    )
    assert PayrollLine.objects.get(pk=line.pk).status == "sent"
    event = AuditEvent.objects.get(action="cycle.status_report")
    assert event.after["name_checks"] == {"close": 1}


@pytest.mark.parametrize(
    ("blocks", "group", "code", "value"),
    [
        ([("OTHER-BLOCK", "ACSC", [])], "", "pain002_block_unknown", "OTHER-BLOCK"),
        (None, "", "pain002_status_unknown", "ZZZZ"),
        ([], "RJCT", "reason_unknown", "QQ99"),
    ],
)
def test_bad_reports_are_refused_whole(
    world, runner, approver, tmp_path, blocks, group, code, value
):
    cycle = released(runner, approver)
    batch = bank_batch(world)
    ref = sorted(statuses(batch))[0]
    if blocks is None:
        blocks = [(block_id(batch), "", [tx(ref, "ACSC"), tx(ref[:-1] + "9", "ZZZZ")])]
    path = report(
        tmp_path / "bad.xml",
        msg_id(batch),
        group=group,
        group_reason="QQ99" if group else "",
        blocks=blocks,
    )
    with pytest.raises(ResultsRejected) as e:
        results_import(actor=runner, cycle=cycle, path=path)
    assert (code, value) in [(i.code, i.value) for i in e.value.issues]
    assert not ResultImport.objects.exists()
    assert set(statuses(batch).values()) == {"sent"}


def test_the_catalogue_has_the_iso_codes_banks_use(db):
    codes = dict(ReturnReason.objects.values_list("code", "action"))
    for code in ("AC01", "AC03", "AC04", "AC06", "AG01", "AM04", "AM05", "AM10", "AM18", "BE04"):
        assert code in codes
    for code in ("CNOR", "CUST", "DUPL", "MD07", "MS02", "MS03", "RC01", "FF01", "NARR"):
        assert code in codes
    assert {f"RR0{i}" for i in range(1, 5)} <= set(codes)
    assert set(codes.values()) <= {a.value for a in ReturnReason.Action}
    assert codes["MD07"] == "suspend" and codes["CNOR"] == "cash"
    assert ReturnReason.objects.get(code="AC03").closes_account


def test_the_api_lists_a_cycles_result_imports_scoped(world, runner, approver, make_user, tmp_path):
    from chitra.iam.models import OrgKind
    from tests.disbursement.test_pay_dates_two_months import client_for

    cycle = released(runner, approver)
    batch = bank_batch(world)
    path = report(tmp_path / "r.xml", msg_id(batch), group="ACTC")
    results_import(actor=runner, cycle=cycle, path=path)
    url = f"/api/v1/payments/cycles/{cycle.pk}/result-imports/"
    r = client_for(runner).get(url)
    assert r.status_code == 200, r.content
    [row] = r.json()
    assert row["group_status"] == "ACTC" and row["pending"] == batch.lines.count()
    assert (row["paid"], row["failed"], row["source"]) == (0, 0, "pain002")
    assert row["original_message_id"] == msg_id(batch)
    # a provider sees only the imports its own users made
    bank_user = make_user(kind=OrgKind.BANK, provider_code="970405")
    r = client_for(bank_user).get(url)
    assert r.status_code == 200 and r.json() == []
    # another province's officer does not see the cycle at all
    from chitra.geo.models import Province

    other = Province.objects.exclude(pk=cycle.province_id).first()
    stranger = make_user(province=other)
    assert client_for(stranger).get(url).status_code == 404
    # a machine client with a token of the payments-read scope
    from django.test import Client

    from tests.auth import api_headers

    r = Client().get(url, **api_headers(runner))
    assert r.status_code == 200 and len(r.json()) == 1
    schema = client_for(runner).get("/api/schema/")
    assert b"/api/v1/payments/cycles/{id}/result-imports/" in schema.content


def test_the_cycle_page_shows_the_reports_pending_and_name_checks(
    world, runner, approver, tmp_path
):
    from tests.disbursement.test_pay_dates_two_months import client_for

    cycle = released(runner, approver)
    batch = bank_batch(world)
    line = line_of(world, "bank")
    results_import(
        actor=runner, cycle=cycle, path=report(tmp_path / "a.xml", msg_id(batch), group="ACTC")
    )
    vop = report(
        tmp_path / "v.xml",
        msg_id(batch),
        blocks=[(block_id(batch), "", [tx(line.reference, "RVNM", info="TRAN VAN KHAC")])],
    )
    results_import(actor=runner, cycle=cycle, path=vop)
    page = client_for(runner).get(f"/payments/cycles/{cycle.pk}/").content.decode()
    assert 'data-testid="result-import-list"' in page and "ACTC" in page
    assert f'data-testid="import-pending">{batch.lines.count()}<' in page
    assert 'data-testid="name-checks"' in page and "TRAN VAN KHAC" in page
    assert line.reference in page
    detail = client_for(runner).get(f"/payments/cycles/lines/{line.pk}/").content.decode()
    assert 'data-testid="line-name-checks"' in detail and "TRAN VAN KHAC" in detail


SAMPLES = Path(__file__).resolve().parents[1] / "data" / "iso20022" / "samples"


@pytest.mark.parametrize(
    ("name", "sent_as", "expect"),
    [
        # (sample, its OrgnlMsgId, (status of the batch's lines, reason, pending))
        ("rustsepa_group_rjct_DUPL_pain.002.001.10.xml", "DD-2026-07-001", ("failed", "DUPL", 0)),
        ("moov_pain002-epo_p_0_0_0_2018032614401842.xml", "MsgId-005", ("failed", "AM10", 0)),
        ("insensefi_ACTC_pain.002.001.03.xml", "20110102-0000001", ("sent", "", None)),
    ],
)
def test_real_group_level_reports_as_banks_send_them(
    world, runner, approver, tmp_path, name, sent_as, expect
):
    """The public samples, their OrgnlMsgId made the batch's (as if chitra had sent it)."""
    cycle = released(runner, approver)
    batch = bank_batch(world)
    text = (SAMPLES / name).read_text(encoding="utf-8")
    assert f"<OrgnlMsgId>{sent_as}</OrgnlMsgId>" in text
    # as the bank sent it: chitra never sent that message
    as_sent = tmp_path / name
    as_sent.write_text(text, encoding="utf-8")
    with pytest.raises(ImportFileError, match=sent_as):
        results_import(actor=runner, cycle=cycle, path=as_sent)
    mine = tmp_path / f"mine-{name}"
    mine.write_text(text.replace(sent_as, msg_id(batch)), encoding="utf-8")
    out = results_import(actor=runner, cycle=cycle, path=mine)
    status, reason, pending = expect
    n = batch.lines.count()
    assert set(statuses(batch).values()) == {status}
    assert set(batch.lines.values_list("reason_code", flat=True)) == {reason}
    assert out.pending == (n if pending is None else pending)
    assert out.failed == (n if status == "failed" else 0)


def test_a_bank_group_code_beside_listed_transactions_is_set_aside_not_refused(
    world, runner, approver, tmp_path
):
    """The public VoP sample's group status RVCM is no code of any list; its transaction carries
    its own answer (RVMC: the name is a close match), so the report is applied, the name check
    stored, and the group code recorded in the audit event as set aside."""
    cycle = released(runner, approver)
    batch = bank_batch(world)
    line = batch.lines.order_by("reference").first()
    path = report(
        tmp_path / "vop.xml",
        msg_id(batch),
        group="RVCM",
        blocks=[(block_id(batch), "", [tx(line.reference, "RVMC", name="LE THI MOT")])],
    )
    out = results_import(actor=runner, cycle=cycle, path=path)
    check = PayeeNameCheck.objects.get(line=line)
    assert check.outcome == "close" and out.result_import is not None
    event = AuditEvent.objects.filter(action="cycle.status_report").latest("at")
    assert event.after["set_aside"] == ["OrgnlGrpInfAndSts/GrpSts=RVCM"]
    # the same code with nothing listed decides for no line: the file is refused
    alone = report(tmp_path / "alone.xml", msg_id(batch), group="RVCM")
    with pytest.raises(ResultsRejected):
        results_import(actor=runner, cycle=cycle, path=alone)


def test_a_commune_officer_sees_the_name_checks_of_their_communes_only(
    world, runner, approver, tmp_path, make_user
):
    """The banks' name answers carry the names they hold: an office officer of another commune
    sees none of them; one of the line's commune sees it."""
    from chitra.disbursement.selectors import cycle_name_checks
    from chitra.geo.models import Commune
    from chitra.iam.models import OrgKind, Role

    cycle = released(runner, approver)
    batch = bank_batch(world)
    line = line_of(world, "bank")
    path = report(
        tmp_path / "v.xml",
        msg_id(batch),
        blocks=[(block_id(batch), "", [tx(line.reference, "RVNM", info="TRAN VAN KHAC")])],
    )
    results_import(actor=runner, cycle=cycle, path=path)
    other = Commune.objects.filter(province=line.commune.province).exclude(pk=line.commune_id)
    outsider = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[other.first()])
    insider = make_user(OrgKind.BHXH_OFFICE, Role.OFFICER, communes=[line.commune])
    assert cycle_name_checks(runner, cycle)["total"] == 1
    assert cycle_name_checks(outsider, cycle)["total"] == 0
    assert cycle_name_checks(outsider, cycle)["doubtful"] == []
    assert [c.line_id for c in cycle_name_checks(insider, cycle)["doubtful"]] == [line.pk]
