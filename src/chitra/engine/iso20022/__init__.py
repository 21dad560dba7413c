"""ISO 20022 payment files: pain.001.001.09 (credit transfers out) and pain.002.001.10 (status in).

Pure Python + lxml, no Django. Built for monthly pension batches of up to millions of lines:

* :func:`write_pain001` streams a ``CustomerCreditTransferInitiationV09`` document (one
  ``PmtInf`` block) to a binary file handle with plain string templates, encoding UTF-8 in
  chunks and hashing the bytes (SHA-256) as they are written; transfers are consumed from any
  iterable, one at a time, so a million transfers never need a million objects in memory.
* :func:`write_pain002` writes a ``CustomerPaymentStatusReportV10`` the same way (used by the
  simulated bank and by tests).
* :class:`Pain002Report` (:func:`iter_pain002`) / :func:`pain002_header` read a status report
  (pain.002.001.03, .001.10, .001.11 and the banks' flavours of them: group, payment-information
  and transaction statuses, pending and Verification-of-Payee codes, unknown codes reported as
  issues) with ``lxml.etree.iterparse``, clearing every processed element, so the memory used
  does not grow with the number of lines.

Text rules (both writers):

* free text (names, remittance information) is NFC-normalised, tabs and line breaks become
  spaces, characters not allowed in XML 1.0 (and C0/C1 controls) are removed, the result is
  stripped, truncated to its ISO maximum (``Max140Text``: 140 characters) and XML-escaped;
  Vietnamese letters are kept as they are;
* identifiers (message / payment / end-to-end ids, accounts, bank BINs) are never altered: one
  that is empty, too long for its ISO type, has surrounding whitespace or contains control
  characters raises :class:`ValueError` naming the field (and the transfer position);
* amounts are whole đồng (VND has no minor unit) written as plain integers, ``Ccy="VND"``.

Files are deterministic: the same input gives the same bytes (and the same SHA-256).

The package's public names are those below; its modules split it by message:
:mod:`~chitra.engine.iso20022.pain001` (credit transfers out),
:mod:`~chitra.engine.iso20022.pain002` (status reports, written for the simulated bank and the
tests, read from the banks) and :mod:`~chitra.engine.iso20022.common` (the text and identifier
rules and the hashing sink both writers use).
"""

from __future__ import annotations

from chitra.engine.iso20022.pain001 import (
    NAME_STYLES,
    PAIN001_NS,
    ControlTotalMismatch,
    CreditTransfer,
    Pain001Header,
    PaymentBlock,
    write_pain001,
)
from chitra.engine.iso20022.pain002 import (
    GROUP_ONLY_STATUSES,
    NAME_CHECK_MAP,
    PAIN002_NS,
    PAIN002_VERSIONS,
    TX_STATUS_MAP,
    BlockStatus,
    Pain002Error,
    Pain002Report,
    ReportHeader,
    ReportIssue,
    StatusLine,
    iter_pain002,
    pain002_header,
    write_pain002,
)

__all__ = [
    "GROUP_ONLY_STATUSES",
    "NAME_CHECK_MAP",
    "NAME_STYLES",
    "PAIN001_NS",
    "PAIN002_NS",
    "PAIN002_VERSIONS",
    "TX_STATUS_MAP",
    "BlockStatus",
    "ControlTotalMismatch",
    "CreditTransfer",
    "Pain001Header",
    "Pain002Error",
    "Pain002Report",
    "PaymentBlock",
    "ReportHeader",
    "ReportIssue",
    "StatusLine",
    "iter_pain002",
    "pain002_header",
    "write_pain001",
    "write_pain002",
]
