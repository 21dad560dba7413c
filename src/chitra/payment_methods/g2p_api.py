"""G2P Connect mapper endpoints (``/api/g2p/mapper/sync/<link|update|unlink|resolve>``) for
other programmes' machine clients (OAuth2 bearer JWT): a mapper request envelope in, the
signed ``on-<operation>`` envelope (or an ERR acknowledgement) out."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chitra.iam.oauth import G2PBearerAuthentication
from chitra.payment_methods.g2p_mapper import mapper_handle

_ENVELOPE = inline_serializer(
    "G2PMapperEnvelope",
    {
        "signature": serializers.CharField(required=False),
        "header": serializers.DictField(help_text="MsgHeader_V1.0.0"),
        "message": serializers.DictField(
            help_text="LinkRequest, UpdateRequest, UnlinkRequest or ResolveRequest"
        ),
    },
)
_ANSWER = inline_serializer(
    "G2PMapperAnswer",
    {
        "signature": serializers.CharField(help_text="chitra's detached JWS (EdDSA)"),
        "header": serializers.DictField(help_text="MsgCallbackHeader_V1.0.0, action on-<op>"),
        "message": serializers.DictField(help_text="<Op>Response"),
    },
)


class MapperSyncView(APIView):
    authentication_classes = [G2PBearerAuthentication]
    permission_classes = [IsAuthenticated]

    @extend_schema(
        tags=["g2p"], operation_id="g2p_mapper_sync", request=_ENVELOPE, responses={200: _ANSWER}
    )
    def post(self, request: Request, operation: str) -> Response:
        """G2P Connect mapper, sync: ``resolve`` a person id to the financial address chitra
        pays into (with the person's consent to share it, within the client's area),
        ``link`` / ``update`` a financial address (a change request waiting for BHXH's
        approval, answered ``pdng``), ``unlink`` (refused). A repeated message_id gets the
        same answer."""
        answer = mapper_handle(
            actor=request.user,  # type: ignore[arg-type]
            client_id=getattr(request.auth, "client_id", ""),
            body=request.data,
            operation=operation,
        )
        return Response(answer.body, status=answer.http_status)
