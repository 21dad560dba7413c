"""Adversarial probes of the ISO 20022 readers (pain.002 status reports, camt.053/054
statements): a document type declaration hidden where the prolog check does not look
(after 64 KiB of comments), with an external entity (XXE) or an entity bomb."""

from __future__ import annotations

from pathlib import Path

import pytest

from chitra.engine.iso20022 import PAIN002_NS, Pain002Error, iter_pain002, pain002_header
from chitra.engine.iso20022.camt import CAMT054_NS, CamtError, camt_header, iter_camt

PADDING = "<!--" + "x" * 70_000 + "-->"  # past the 64 KiB the prolog check reads
LOLZ = (
    '<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
)


def _dtd(tmp_path: Path) -> list[str]:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET")
    return [f'<!ENTITY x SYSTEM "file://{secret}">', LOLZ.replace("lol3", "x")]


def _pain002(entities: str) -> str:
    return (
        f'<?xml version="1.0"?>{PADDING}<!DOCTYPE Document [{entities}]>'
        f'<Document xmlns="{PAIN002_NS}"><CstmrPmtStsRpt>'
        "<GrpHdr><MsgId>&x;</MsgId><CreDtTm>2025-08-06T10:00:00+07:00</CreDtTm></GrpHdr>"
        "<OrgnlGrpInfAndSts><OrgnlMsgId>M&x;</OrgnlMsgId><OrgnlMsgNmId>p</OrgnlMsgNmId>"
        "<GrpSts>ACCP</GrpSts></OrgnlGrpInfAndSts></CstmrPmtStsRpt></Document>"
    )


def _camt054(entities: str) -> str:
    return (
        f'<?xml version="1.0"?>{PADDING}<!DOCTYPE Document [{entities}]>'
        f'<Document xmlns="{CAMT054_NS}"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>&x;</MsgId>'
        "<CreDtTm>2026-12-06T08:00:00+07:00</CreDtTm></GrpHdr></BkToCstmrDbtCdtNtfctn>"
        "</Document>"
    )


@pytest.mark.parametrize("which", [0, 1], ids=["xxe", "entity-bomb"])
def test_a_pain002_dtd_after_a_long_comment_is_refused(tmp_path, which):  # type: ignore[no-untyped-def]
    path = tmp_path / "report.xml"
    path.write_text(_pain002(_dtd(tmp_path)[which]))
    with pytest.raises(Pain002Error, match="DTD") as header:
        pain002_header(path)
    assert "TOPSECRET" not in str(header.value) and "lollol" not in str(header.value)
    with pytest.raises(Pain002Error, match="DTD"):
        list(iter_pain002(path))


@pytest.mark.parametrize("which", [0, 1], ids=["xxe", "entity-bomb"])
def test_a_camt_dtd_after_a_long_comment_is_refused(tmp_path, which):  # type: ignore[no-untyped-def]
    path = tmp_path / "statement.xml"
    path.write_text(_camt054(_dtd(tmp_path)[which]))
    with pytest.raises(CamtError, match="DTD") as header:
        camt_header(path)
    assert "TOPSECRET" not in str(header.value) and "lollol" not in str(header.value)
    with pytest.raises(CamtError, match="DTD"):
        list(iter_camt(path))
