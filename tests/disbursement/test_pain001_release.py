"""The pain.001 of a released batch as bank guides ask (issue #14 item 3): the BHXH office's
tax code, one PmtInf per category purpose, InstrId / UETR per line (UETRs kept on the lines),
MsgId new per file and kept with its blocks (`sent.sent_messages`), the creditor's ID,
UltmtCdtr for a representative, names as the provider's profile wants; XSD-valid."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import xmlschema
from lxml import etree

from chitra.core.errors import ChitraError
from chitra.core.models import AuditEvent
from chitra.disbursement import files, sent
from chitra.disbursement.models import Batch, PaymentFile, PayrollLine, ProviderProfile
from chitra.engine.iso20022 import PAIN001_NS
from chitra.iam.models import Organisation, OrgKind
from chitra.payment_methods.models import PaymentMethod
from chitra.registry.models import Representative
from tests.disbursement.conftest import MONTH, add_method, seen_alive
from tests.disbursement.test_release_results import released
from tests.factories import BeneficiaryFactory, EntitlementFactory

XSD = Path(__file__).resolve().parents[1] / "data" / "iso20022" / "pain.001.001.09.xsd"
NS = {"p": PAIN001_NS}
UETR = re.compile(r"[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}")


@pytest.fixture(scope="module")
def xsd() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD))


@pytest.fixture
def guided(world, system, tq_communes):
    """Bank 970405 (Agribank) asks for names without diacritics in upper case, NURG and a
    proprietary local instrument; the province's BHXH has a tax code. Three more of its
    payees: a lump sum (SSBE), one without a personal ID (SOSE), one paid through a
    representative's account (UltmtCdtr)."""
    province = tq_communes[0].province
    bhxh = {"name": "Bảo hiểm xã hội tỉnh Tuyên Quang", "tax_code": "5000123456"}
    if not Organisation.objects.filter(kind=OrgKind.BHXH_PROVINCE, province=province).update(
        **bhxh
    ):
        Organisation.objects.create(
            kind=OrgKind.BHXH_PROVINCE, code="BHXH-TQ", province=province, **bhxh
        )
    ProviderProfile.objects.create(
        provider=world.agribank,
        formats="pain001,csv",
        service_level="NURG",
        local_instrument="prtry:CITAD",
        name_style="latin_upper",
    )
    lump = BeneficiaryFactory(full_name="Lò Thị Một Lần", commune=tq_communes[0])
    EntitlementFactory(
        beneficiary=lump,
        benefit_type="LUMP_SUM",
        monthly_amount=20_000_000,
        start_month=MONTH,
        paid_through=None,
    )
    add_method(lump, "BANK_ACCOUNT", system, world.agribank)
    no_pid = BeneficiaryFactory(
        full_name="Hà Văn Sổ", commune=tq_communes[0], personal_id=None, si_number="0812345678"
    )
    EntitlementFactory(beneficiary=no_pid, paid_through=dt.date(2026, 11, 1))
    add_method(no_pid, "BANK_ACCOUNT", system, world.agribank)
    ward = BeneficiaryFactory(full_name="Trần Thị Được Giám Hộ", commune=tq_communes[0])
    EntitlementFactory(beneficiary=ward, paid_through=dt.date(2026, 11, 1))
    account = add_method(ward, "BANK_ACCOUNT", system, world.agribank)
    rep = Representative.objects.create(
        beneficiary=ward,
        kind=Representative.Kind.GUARDIAN,
        full_name="Trần Văn Đỡ",
        personal_id="008080000999",
        valid_from=dt.date(2020, 1, 1),
    )
    account.representative = rep
    account.holder_name = rep.full_name
    account.save()
    PaymentMethod.objects.filter(beneficiary=ward).update(payee_representative=rep)
    # paid to an authorised person named by the payment method, into the beneficiary's
    # own account: identified by the representative's personal ID all the same
    helped = BeneficiaryFactory(full_name="Vi Văn Nhờ", commune=tq_communes[0])
    EntitlementFactory(beneficiary=helped, paid_through=dt.date(2026, 11, 1))
    add_method(helped, "BANK_ACCOUNT", system, world.agribank)
    proxy = Representative.objects.create(
        beneficiary=helped,
        kind=Representative.Kind.AUTHORISED,
        full_name="Vi Thị Giúp",
        personal_id="008180000777",
        valid_from=dt.date(2020, 1, 1),
    )
    PaymentMethod.objects.filter(beneficiary=helped).update(payee_representative=proxy)
    for b in (lump, no_pid, ward, helped):
        seen_alive(b)
    return {"lump": lump, "no_pid": no_pid, "ward": ward, "rep": rep, "helped": helped}


def _agribank_file(cycle) -> PaymentFile:
    batch = Batch.objects.get(cycle=cycle, provider__code="970405", channel="BANK_ACCOUNT")
    return PaymentFile.objects.get(batch=batch, kind=PaymentFile.Kind.PAIN001)


def _tree(pf: PaymentFile) -> etree._Element:
    return etree.parse(str(files.checked_path(pf))).getroot()


def _texts(el, path: str) -> list[str]:
    return [x.text for x in el.xpath(path, namespaces=NS)]


def test_released_pain001_follows_the_bank_guide(world, runner, approver, guided, xsd):
    cycle = released(runner, approver)
    pf = _agribank_file(cycle)
    xsd.validate(str(files.checked_path(pf)))
    root = _tree(pf)
    lines = {
        ln.reference: ln
        for ln in PayrollLine.objects.filter(batch=pf.batch).select_related("beneficiary")
    }
    assert len(lines) == pf.rows >= 5

    assert _texts(root, "//p:GrpHdr/p:MsgId") == [pf.message_id]
    assert _texts(root, "//p:InitgPty/p:Nm") == ["BAO HIEM XA HOI TINH TUYEN QUANG"]
    assert _texts(root, "//p:InitgPty/p:Id/p:OrgId/p:Othr/p:Id") == ["5000123456"]
    assert _texts(root, "//p:InitgPty/p:Id/p:OrgId/p:Othr/p:SchmeNm/p:Cd") == ["TXID"]

    # one block per category purpose, pensions first, as recorded on the file
    blocks = root.xpath("//p:PmtInf", namespaces=NS)
    written = [
        {
            "pmt_inf_id": _texts(b, "p:PmtInfId")[0],
            "batch_id": pf.batch_id,
            "category_purpose": _texts(b, "p:PmtTpInf/p:CtgyPurp/p:Cd")[0],
            "count": int(_texts(b, "p:NbOfTxs")[0]),
            "total": int(_texts(b, "p:CtrlSum")[0]),
        }
        for b in blocks
    ]
    assert pf.payment_blocks == written
    assert [b["category_purpose"] for b in written] == ["PENS", "SSBE"]
    for b in blocks:
        assert _texts(b, "p:PmtTpInf/p:SvcLvl/p:Cd") == ["NURG"]
        assert _texts(b, "p:PmtTpInf/p:LclInstrm/p:Prtry") == ["CITAD"]
        assert _texts(b, "p:ReqdExctnDt/p:Dt") == [cycle.account_credit_date.isoformat()]
        for tx in b.xpath("p:CdtTrfTxInf", namespaces=NS):
            line = lines[_texts(tx, "p:PmtId/p:EndToEndId")[0]]
            expected = "PENS" if line.benefit_type == "PENSION" else "SSBE"
            assert _texts(tx, "p:Purp/p:Cd") == [expected]
            assert _texts(b, "p:PmtTpInf/p:CtgyPurp/p:Cd") == [expected]
            assert _texts(tx, "p:PmtId/p:InstrId") == [str(line.pk)]
            assert _texts(tx, "p:PmtId/p:UETR") == [line.uetr]
            assert UETR.fullmatch(line.uetr)
            name = _texts(tx, "p:Cdtr/p:Nm")[0]
            assert name.isascii() and name == name.upper()

    by_person = {
        ln.beneficiary_id: root.xpath(
            f"//p:CdtTrfTxInf[p:PmtId/p:EndToEndId='{ref}']", namespaces=NS
        )[0]
        for ref, ln in lines.items()
    }
    lump = by_person[guided["lump"].pk]
    assert _texts(lump, "p:Cdtr/p:Id/p:PrvtId/p:Othr/p:Id") == [guided["lump"].personal_id]
    assert _texts(lump, "p:Cdtr/p:Id/p:PrvtId/p:Othr/p:SchmeNm/p:Cd") == ["NIDN"]
    assert _texts(lump, "p:UltmtCdtr/p:Nm") == []
    no_pid = by_person[guided["no_pid"].pk]
    assert _texts(no_pid, "p:Cdtr/p:Id/p:PrvtId/p:Othr/p:Id") == ["0812345678"]
    assert _texts(no_pid, "p:Cdtr/p:Id/p:PrvtId/p:Othr/p:SchmeNm/p:Cd") == ["SOSE"]
    ward = by_person[guided["ward"].pk]
    assert _texts(ward, "p:Cdtr/p:Nm") == ["TRAN VAN DO"]
    assert _texts(ward, "p:Cdtr/p:Id/p:PrvtId/p:Othr/p:Id") == ["008080000999"]
    assert _texts(ward, "p:UltmtCdtr/p:Nm") == ["TRAN THI DUOC GIAM HO"]
    assert _texts(ward, "p:UltmtCdtr/p:Id/p:PrvtId/p:Othr/p:Id") == [guided["ward"].personal_id]
    helped = by_person[guided["helped"].pk]
    assert _texts(helped, "p:Cdtr/p:Nm") == ["VI THI GIUP"]
    assert _texts(helped, "p:Cdtr/p:Id/p:PrvtId/p:Othr/p:Id") == ["008180000777"]
    assert _texts(helped, "p:UltmtCdtr/p:Nm") == ["VI VAN NHO"]
    # everyone else is paid in person: no ultimate creditor
    assert len(root.xpath("//p:UltmtCdtr", namespaces=NS)) == 2


def test_uetrs_are_kept_on_cashless_lines_only_and_message_ids_differ(
    world, runner, approver, guided, xsd
):
    cycle = released(runner, approver)
    cashless = PayrollLine.objects.filter(cycle=cycle, account__isnull=False)
    uetrs = list(cashless.values_list("uetr", flat=True))
    assert uetrs and all(u and UETR.fullmatch(u) for u in uetrs)
    assert len(set(uetrs)) == len(uetrs)
    assert not PayrollLine.objects.filter(cycle=cycle, account__isnull=True, uetr__isnull=False)

    pain = PaymentFile.objects.filter(batch__cycle=cycle, kind=PaymentFile.Kind.PAIN001)
    ids = [pf.message_id for pf in pain]
    assert len(ids) >= 2 and all(ids) and len(set(ids)) == len(ids)
    assert not PaymentFile.objects.filter(batch__cycle=cycle, kind="csv", message_id__isnull=False)
    for pf in pain:  # a bank without a profile gets the defaults: accents kept, no PmtTpInf codes
        xsd.validate(str(files.checked_path(pf)))
        if pf.batch.provider.code != "970405":
            root = _tree(pf)
            assert _texts(root, "//p:SvcLvl/p:Cd") == []
            assert any(not n.isascii() for n in _texts(root, "//p:Cdtr/p:Nm"))


def test_sent_messages_lists_each_file_and_expands_a_block_to_its_lines(
    world, runner, approver, guided
):
    cycle = released(runner, approver)
    messages = sent.sent_messages(province_id=cycle.province_id)
    pain = PaymentFile.objects.filter(batch__cycle=cycle, kind=PaymentFile.Kind.PAIN001)
    assert set(messages) == {pf.message_id for pf in pain}
    pf = _agribank_file(cycle)
    msg = messages[pf.message_id]
    assert (msg["batch_id"], msg["count"], msg["total"]) == (pf.batch_id, pf.rows, pf.amount)
    assert sum(b["count"] for b in msg["blocks"].values()) == pf.rows
    for block in msg["blocks"].values():
        got = sent.sent_block_lines(block)
        assert got.count() == block["count"]
        assert sum(got.values_list("amount", flat=True)) == block["total"]
    ssbe = next(b for b in msg["blocks"].values() if b["category_purpose"] == "SSBE")
    assert list(sent.sent_block_lines(ssbe).values_list("beneficiary_id", flat=True)) == [
        guided["lump"].pk
    ]
    assert sent.sent_messages(province_id=cycle.province_id + 1000) == {}


def test_masked_copy_keeps_the_message_and_masks_the_ids(world, runner, approver, guided, tmp_path):
    cycle = released(runner, approver)
    pf = _agribank_file(cycle)
    copy = files.masked_copy(pf, tmp_path)
    root = etree.parse(str(copy)).getroot()
    original = _tree(pf)
    assert _texts(root, "//p:MsgId") == [pf.message_id]
    assert _texts(root, "//p:PmtInfId") == _texts(original, "//p:PmtInfId")
    assert _texts(root, "//p:UETR") == _texts(original, "//p:UETR")
    ids = _texts(root, "//p:PrvtId/p:Othr/p:Id")
    assert ids and all(i.startswith("*") for i in ids)
    assert guided["lump"].personal_id not in copy.read_text("utf-8")


def test_the_profile_command_sets_what_the_bank_guide_asks(world, bhxh_admin, capsys):
    from django.core.management import call_command

    call_command(
        "provider_profile",
        "970436",
        "--formats",
        "pain001,csv",
        "--service-level",
        "SDVA",
        "--local-instrument",
        "prtry:NAPAS 247",
        "--name-style",
        "latin",
        "--user",
        bhxh_admin.username,
    )
    p = ProviderProfile.objects.get(provider=world.vcb)
    assert (p.service_level, p.local_instrument, p.name_style) == (
        "SDVA",
        "prtry:NAPAS 247",
        "latin",
    )
    # formats changed alone: the guide's settings stay
    call_command(
        "provider_profile", "970436", "--formats", "pain001", "--user", bhxh_admin.username
    )
    p.refresh_from_db()
    assert (p.formats, p.service_level, p.name_style) == ("pain001", "SDVA", "latin")
    event = AuditEvent.objects.filter(action="payment.provider_profile").latest("pk")
    assert event.before["service_level"] == event.after["service_level"] == "SDVA"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"service_level": "NORMAL"}, "service_level NORMAL is not a code of at most 4"),
        ({"local_instrument": "prtry:"}, "local_instrument prtry: is not a code"),
        ({"local_instrument": "X" * 36}, "is not a code of at most 35"),
        ({"name_style": "ascii"}, "Name style ascii is not one of unicode, latin, latin_upper"),
    ],
)
def test_bad_guide_settings_are_refused(world, bhxh_admin, changes, message):
    from chitra.disbursement.services import provider_profile_set

    with pytest.raises(ChitraError, match=message):
        provider_profile_set(actor=bhxh_admin, provider=world.vcb, formats=["pain001"], **changes)
    assert not ProviderProfile.objects.filter(provider=world.vcb).exists()


def test_bank_statements_find_batches_and_blocks_by_the_ids_sent(
    world, runner, approver, guided, tmp_path
):
    """A camt.054 debit quotes what the pain.001 said: per PmtInf block (checked against the
    block's totals) or the MsgId only (the whole batch)."""
    from chitra.disbursement.models import StatementBatch
    from chitra.disbursement.statements import statement_import
    from chitra.engine.iso20022.camt import EntryDraft, TransactionDraft
    from tests.disbursement.test_statements import BOOKED, statement

    cycle = released(runner, approver)
    pf = _agribank_file(cycle)
    lines = {
        b["pmt_inf_id"]: list(sent.sent_block_lines(b).order_by("reference"))
        for b in pf.payment_blocks
    }

    def debit(pmt_inf_id: str, block_lines, amount=None) -> EntryDraft:
        total = sum(ln.amount for ln in block_lines) if amount is None else amount
        return EntryDraft(
            amount=total,
            credit_debit="DBIT",
            booking_date=BOOKED,
            batch=(pf.message_id, pmt_inf_id, len(block_lines), total),
            transactions=[TransactionDraft(ln.reference, ln.amount) for ln in block_lines],
        )

    pens, ssbe = (b["pmt_inf_id"] for b in pf.payment_blocks)
    path = statement(tmp_path / "blocks.xml", [debit(pens, lines[pens]), debit(ssbe, lines[ssbe])])
    out = statement_import(actor=runner, cycle=cycle, path=path)
    assert out.discrepancies == 0 and out.confirmed == pf.rows
    checks = StatementBatch.objects.filter(statement=out.statement).order_by("entry")
    assert [(c.batch_id, c.state, c.declared_count, c.declared_amount) for c in checks] == [
        (pf.batch_id, "matches", b["count"], b["total"]) for b in pf.payment_blocks
    ]

    # the whole batch debited at once, quoting the MsgId (and a PmtInfId chitra never sent)
    every = [ln for block in lines.values() for ln in block]
    path = statement(
        tmp_path / "whole.xml", [debit("NOT-SENT", every, amount=pf.amount)], message_id="NTF-2"
    )
    out = statement_import(actor=runner, cycle=cycle, path=path)
    (check,) = StatementBatch.objects.filter(statement=out.statement)
    assert (check.batch_id, check.state, check.declared_amount) == (
        pf.batch_id,
        "matches",
        pf.amount,
    )

    # the whole batch's amount under one block's id: a discrepancy against that block
    path = statement(
        tmp_path / "wrong.xml", [debit(ssbe, every, amount=pf.amount)], message_id="NTF-3"
    )
    out = statement_import(actor=runner, cycle=cycle, path=path)
    (check,) = StatementBatch.objects.filter(statement=out.statement)
    assert check.state == "discrepancy" and check.declared_amount == lines[ssbe][0].amount


def test_the_tax_code_command_sets_the_initiating_party_id(world, bhxh_admin, capsys, make_user):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    org = bhxh_admin.organisation
    call_command("organisation_tax_code", org.code, "5000123456-001", "--user", bhxh_admin.username)
    org.refresh_from_db()
    assert org.tax_code == "5000123456-001"
    event = AuditEvent.objects.filter(action="iam.organisation.save").latest("pk")
    assert event.after == {"tax_code": "5000123456-001"}
    call_command("organisation_tax_code", org.code)
    assert "tax_code=5000123456-001" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Tax code 50001 is not 10 digits"):
        call_command("organisation_tax_code", org.code, "50001", "--user", bhxh_admin.username)
    other = Organisation.objects.create(kind=OrgKind.BHXH_PROVINCE, code="bhxh-xx", name="X")
    with pytest.raises(CommandError, match="No organisation bhxh-xx in your area"):
        call_command(
            "organisation_tax_code", other.code, "5000123456", "--user", bhxh_admin.username
        )
    call_command("organisation_tax_code", org.code, "", "--user", bhxh_admin.username)
    org.refresh_from_db()
    assert org.tax_code == ""


def _status_report(path, msg_id: str, blocks: list[tuple[str, str, str]]):
    """A bank's pain.002 answering a whole block each: (OrgnlPmtInfId, PmtInfSts, reason)."""
    body = "".join(
        f"<OrgnlPmtInfAndSts><OrgnlPmtInfId>{pmt}</OrgnlPmtInfId><PmtInfSts>{sts}</PmtInfSts>"
        + (f"<StsRsnInf><Rsn><Cd>{rsn}</Cd></Rsn></StsRsnInf>" if rsn else "")
        + "</OrgnlPmtInfAndSts>"
        for pmt, sts, rsn in blocks
    )
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><Document '
        'xmlns="urn:iso:std:iso:20022:tech:xsd:pain.002.001.10"><CstmrPmtStsRpt><GrpHdr>'
        f"<MsgId>STS-{path.stem}</MsgId><CreDtTm>2026-12-10T09:00:00</CreDtTm></GrpHdr>"
        f"<OrgnlGrpInfAndSts><OrgnlMsgId>{msg_id}</OrgnlMsgId>"
        "<OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId></OrgnlGrpInfAndSts>"
        f"{body}</CstmrPmtStsRpt></Document>",
        encoding="utf-8",
    )
    return path


def test_a_block_status_covers_only_the_lines_of_that_block(
    world, runner, approver, guided, tmp_path
):
    """The bank rejects the SSBE block of the file's MsgId (its own PmtInfId): only the lump sum
    fails; the pensions of the PENS block, accepted, are paid."""
    from chitra.disbursement.results import results_import

    cycle = released(runner, approver)
    pf = _agribank_file(cycle)
    blocks = {b["category_purpose"]: b["pmt_inf_id"] for b in pf.payment_blocks}
    assert set(blocks) == {"PENS", "SSBE"}
    path = _status_report(
        tmp_path / "blocks.xml", pf.message_id, [(blocks["SSBE"], "RJCT", "AC04")]
    )
    out = results_import(actor=runner, cycle=cycle, path=path)
    lines = PayrollLine.objects.filter(batch=pf.batch)
    failed = set(lines.filter(status="failed").values_list("benefit_type", flat=True))
    assert failed == {"LUMP_SUM"} and out.failed == lines.filter(benefit_type="LUMP_SUM").count()
    assert set(lines.exclude(benefit_type="LUMP_SUM").values_list("status", flat=True)) == {"sent"}
    accepted = _status_report(tmp_path / "pens.xml", pf.message_id, [(blocks["PENS"], "ACSC", "")])
    paid = results_import(actor=runner, cycle=cycle, path=accepted).paid
    assert paid == lines.exclude(benefit_type="LUMP_SUM").count() > 0
    assert set(lines.exclude(benefit_type="LUMP_SUM").values_list("status", flat=True)) == {"paid"}


def test_uetrs_are_given_with_the_query_logged(world, runner, approver, guided):
    """The UETR UPDATE has parameters: its SQL must survive being formatted for the query log
    (DEBUG, the e2e server), where a lone '%' of SQLite's modulo broke the release."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        cycle = released(runner, approver)
    assert any("uetr" in q["sql"] for q in queries.captured_queries)
    lines = PayrollLine.objects.filter(cycle=cycle, account__isnull=False)
    assert lines.exists() and all(
        UETR.fullmatch(u or "") for u in lines.values_list("uetr", flat=True)
    )
