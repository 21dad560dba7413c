"""G2P Connect registry endpoints the population register calls (under /api/g2p/registry/):
``/notify`` (deaths, corrections), ``/on-search`` (async search answers) and
``/on-subscribe``. The register's machine client only (OAuth2 bearer JWT); the body is the
signed envelope; the answer is the spec's acknowledgement (ACK / ERR)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from chitra.iam.oauth import G2PBearerAuthentication
from chitra.verification.g2p_registry import registry_callback_receive

_ENVELOPE = inline_serializer(
    "G2PRegistryEnvelope",
    {
        "signature": serializers.CharField(
            help_text="detached JWS (EdDSA) over {header, message}, checked with "
            "CHITRA_REGISTER_PUBLIC_KEY"
        ),
        "header": serializers.DictField(help_text="MsgCallbackHeader_V1.0.0"),
        "message": serializers.DictField(
            help_text="NotifyEventRequest, SearchResponse or SubscribeResponse"
        ),
    },
)
_ACK = inline_serializer(
    "G2PRegistryAck",
    {
        "message": inline_serializer(
            "G2PRegistryAckMessage",
            {
                "ack_status": serializers.ChoiceField(choices=["ACK", "NACK", "ERR"]),
                "timestamp": serializers.DateTimeField(),
                "correlation_id": serializers.CharField(),
                "error": serializers.DictField(required=False, help_text="code (err.*), message"),
            },
        )
    },
)


class _RegistryCallback(APIView):
    authentication_classes = [G2PBearerAuthentication]
    permission_classes = [IsAuthenticated]
    action_name = "notify"

    def receive(self, request: Request) -> Response:
        client_id = getattr(request.auth, "client_id", "")
        answer = registry_callback_receive(
            actor=request.user,  # type: ignore[arg-type]
            client_id=client_id,
            body=request.data,
            action=self.action_name,
        )
        return Response(answer.body, status=answer.http_status)


class NotifyView(_RegistryCallback):
    action_name = "notify"

    @extend_schema(tags=["g2p"], operation_id="g2p_registry_notify", request=_ENVELOPE,
                   responses={200: _ACK})  # fmt: skip
    def post(self, request: Request) -> Response:
        """G2P Connect ``/registry/notify``: deaths and record updates the register notifies
        to a subscription; recorded once (a repeated message_id changes nothing) and read by
        the next re-check (deaths suspend payments there)."""
        return self.receive(request)


class OnSearchView(_RegistryCallback):
    action_name = "on-search"

    @extend_schema(tags=["g2p"], operation_id="g2p_registry_on_search", request=_ENVELOPE,
                   responses={200: _ACK})  # fmt: skip
    def post(self, request: Request) -> Response:
        """G2P Connect ``/registry/on-search``: the answer to an async ``/registry/search``
        (recorded; the connector reads the answer by ``/registry/sync/txn/status``)."""
        return self.receive(request)


class OnSubscribeView(_RegistryCallback):
    action_name = "on-subscribe"

    @extend_schema(tags=["g2p"], operation_id="g2p_registry_on_subscribe", request=_ENVELOPE,
                   responses={200: _ACK})  # fmt: skip
    def post(self, request: Request) -> Response:
        """G2P Connect ``/registry/on-subscribe``: the subscription codes of a
        ``register_subscribe``."""
        return self.receive(request)
