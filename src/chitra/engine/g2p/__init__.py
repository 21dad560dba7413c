"""G2P Connect disburse (specs ``disburse_core_api_v1.0.0``): pure, no Django.

* :mod:`.envelope`: the message envelope (``signature``, ``header``, ``message``), its
  headers for requests and callbacks, built and checked by hand against the spec's schemas
  (``MsgHeader_V1.0.0``, ``MsgCallbackHeader_V1.0.0``) with errors naming element, value and
  expectation; the ``ACK`` / ``NACK`` / ``ERR`` answers and the spec's error codes.
* :mod:`.disburse`: the disburse request, response (``disbursements_status``), transaction
  status request / response, statuses ``rcvd|pdng|succ|rjct``, the spec's reason codes mapped
  to chitra's return-reason catalogue, and financial addresses ``id-type:id@provider``.
* :mod:`.jws`: detached JWS (RFC 7515 appendix F, ``EdDSA`` / Ed25519) over the canonical
  JSON of ``{"header": ..., "message": ...}``, and compact JWTs for OAuth2 bearer tokens.
"""

from chitra.engine.g2p.disburse import (
    G2P_REASON_CODES,
    REASON_TO_CATALOGUE,
    STATUSES,
    Disbursement,
    DisbursementStatus,
    FinancialAddress,
    amount_text,
    build_disburse_request,
    build_disburse_response,
    build_txn_status_request,
    build_txn_status_response,
    catalogue_reason,
    parse_amount,
    parse_disburse_request,
    parse_disburse_response,
    parse_txn_status_request,
    parse_txn_status_response,
)
from chitra.engine.g2p.envelope import (
    ACK_STATUSES,
    ERROR_CODES,
    HEADER_REASON_CODES,
    VERSION,
    EnvelopeError,
    Header,
    ack,
    build_envelope,
    parse_ack,
    parse_envelope,
)

__all__ = [
    "ACK_STATUSES",
    "ERROR_CODES",
    "G2P_REASON_CODES",
    "HEADER_REASON_CODES",
    "REASON_TO_CATALOGUE",
    "STATUSES",
    "VERSION",
    "Disbursement",
    "DisbursementStatus",
    "EnvelopeError",
    "FinancialAddress",
    "Header",
    "ack",
    "amount_text",
    "build_disburse_request",
    "build_disburse_response",
    "build_envelope",
    "build_txn_status_request",
    "build_txn_status_response",
    "catalogue_reason",
    "parse_ack",
    "parse_amount",
    "parse_disburse_request",
    "parse_disburse_response",
    "parse_envelope",
    "parse_txn_status_request",
    "parse_txn_status_response",
]
