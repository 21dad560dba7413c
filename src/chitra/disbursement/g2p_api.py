"""G2P Connect endpoints providers call (under /api/g2p/): the ``/on-disburse`` and
``/disburse/txn/on-status`` callbacks. Machine clients only (OAuth2 bearer JWT); the body is
the signed envelope; the answer is the spec's acknowledgement (ACK / NACK / ERR)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chitra.disbursement.g2p import callback_receive
from chitra.iam.oauth import G2PBearerAuthentication

_ENVELOPE = inline_serializer(
    "G2PEnvelope",
    {
        "signature": serializers.CharField(
            required=False,
            help_text="detached JWS (RFC 7515 appendix F, EdDSA) over the canonical JSON of "
            "{header, message}, verified with the provider's registered public key",
        ),
        "header": serializers.DictField(help_text="MsgCallbackHeader_V1.0.0"),
        "message": serializers.DictField(
            required=False, help_text="DisburseResponse, or TxnStatusResponse for on-status"
        ),
    },
)
_ACK = inline_serializer(
    "G2PAck",
    {
        "message": inline_serializer(
            "G2PAckMessage",
            {
                "ack_status": serializers.ChoiceField(choices=["ACK", "NACK", "ERR"]),
                "timestamp": serializers.DateTimeField(),
                "correlation_id": serializers.CharField(),
                "error": serializers.DictField(required=False, help_text="code (err.*), message"),
            },
        )
    },
)
_EXAMPLE = OpenApiExample(
    "ERR: bad signature",
    value={
        "message": {
            "ack_status": "ERR",
            "timestamp": "2026-12-07T09:30:00+07:00",
            "correlation_id": "-",
            "error": {"code": "err.signature.invalid", "message": "signature: ..."},
        }
    },
    response_only=True,
)


class _Callback(APIView):
    authentication_classes = [G2PBearerAuthentication]
    permission_classes = [IsAuthenticated]
    kind = "disburse"

    def receive(self, request: Request) -> Response:
        answer = callback_receive(actor=request.user, body=request.data, kind=self.kind)  # type: ignore[arg-type]
        return Response(answer.body, status=answer.http_status)


class OnDisburseView(_Callback):
    kind = "disburse"

    @extend_schema(
        tags=["g2p"],
        operation_id="g2p_on_disburse",
        request=_ENVELOPE,
        responses={200: _ACK},
        examples=[_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        """G2P Connect ``/on-disburse``: the statuses of a batch pushed by ``/disburse``
        (``rcvd|pdng`` recorded, ``succ|rjct`` applied whole, reason codes mapped to the
        return reasons); a repeated message_id gets the same answer and changes nothing. The
        envelope's signature is verified with the provider's registered key."""
        return self.receive(request)


class OnTxnStatusView(_Callback):
    kind = "txn_status"

    @extend_schema(
        tags=["g2p"],
        operation_id="g2p_on_txn_status",
        request=_ENVELOPE,
        responses={200: _ACK},
    )
    def post(self, request: Request) -> Response:
        """G2P Connect ``/disburse/txn/on-status``: the answer to ``/disburse/txn/status``
        (a TxnStatusResponse), applied like ``/on-disburse``."""
        return self.receive(request)
