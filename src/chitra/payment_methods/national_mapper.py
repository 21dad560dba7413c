"""A national ID-to-account mapper chitra may ask (G2P Connect ``/mapper/sync/resolve``), e.g.
the social-security account linked to a national e-ID: the connector interface
(:class:`NationalMapper`), its HTTP client, and :func:`get_national_mapper` (setting
``CHITRA_NATIONAL_MAPPER_URL``). A resolved address is a proposal: a payment change still goes
through a change request with the person's consent and a BHXH approver."""

from __future__ import annotations

import datetime as dt
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from chitra.engine.g2p import mapper as m
from chitra.engine.g2p.disburse import FinancialAddress
from chitra.engine.g2p.envelope import EnvelopeError, Header, parse_envelope

RESOLVE_PATH = "/mapper/sync/resolve"


class MapperError(Exception):
    """The national mapper could not answer, or answered something unreadable."""


@dataclass(frozen=True, slots=True)
class ResolvedAddress:
    personal_id: str
    fa: FinancialAddress
    provider_code: str = ""
    provider_name: str = ""


class NationalMapper(Protocol):
    name: str

    def resolve(self, personal_ids: Sequence[str]) -> dict[str, ResolvedAddress]:
        """The active financial address of each person the mapper knows (others absent)."""
        ...


class HttpNationalMapper:
    """:class:`NationalMapper` over G2P Connect ``/mapper/sync/resolve`` (scope ``details``)."""

    name = "g2p-mapper"

    def __init__(
        self,
        base_url: str,
        *,
        sender_id: str,
        receiver_id: str = "national-mapper",
        id_provider: str = "vn.nid",
        signer: Callable[[dict[str, Any], dict[str, Any]], str] | None = None,
        verifier: Callable[[str, dict[str, Any], dict[str, Any]], None] | None = None,
        timeout: float = 10.0,
        client: httpx.Client | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.sender_id, self.receiver_id, self.id_provider = sender_id, receiver_id, id_provider
        self._signer, self._verifier = signer, verifier
        self._client = client or httpx.Client(timeout=timeout)

    def _request(self, personal_ids: Sequence[str]) -> tuple[dict[str, Any], dict[str, str]]:
        now = dt.datetime.now(dt.UTC)
        refs = {str(i + 1): pid for i, pid in enumerate(personal_ids)}
        items = [
            m.MapperItem(ref, id=m.PersonId(pid, self.id_provider, "uin"), scope="details")
            for ref, pid in refs.items()
        ]
        message = m.build_request("resolve", uuid.uuid4().hex, items, at=now)
        header = Header(
            uuid.uuid4().hex, now, "resolve", self.sender_id, self.receiver_id, len(items)
        ).to_json()
        signature = self._signer(header, message) if self._signer else ""
        return {"signature": signature, "header": header, "message": message}, refs

    def resolve(self, personal_ids: Sequence[str]) -> dict[str, ResolvedAddress]:
        unique = list(dict.fromkeys(personal_ids))
        if not unique:
            return {}
        body, refs = self._request(unique)
        try:
            resp = self._client.post(self.base_url + RESOLVE_PATH, json=body)
            resp.raise_for_status()
            answer = resp.json()
        except (httpx.HTTPError, ValueError) as e:
            raise MapperError(f"national mapper at {self.base_url}: {e}") from e
        return self._read(answer, refs)

    def _read(self, answer: Any, refs: dict[str, str]) -> dict[str, ResolvedAddress]:
        try:
            _header, message, signature = parse_envelope(
                answer, callback=True, actions={"on-resolve"}
            )
            if self._verifier is not None:
                self._verifier(signature, answer["header"], message or {})
            _txn, answers = m.parse_response("resolve", message)
        except (EnvelopeError, ValueError) as e:
            raise MapperError(f"national mapper answer refused: {e}") from e
        out: dict[str, ResolvedAddress] = {}
        for a in answers:
            if a.reference_id not in refs:
                raise MapperError(f"national mapper answered an unknown reference {a.reference_id}")
            if a.status == "succ" and a.reason_code in ("", "succ.fa.active") and a.fa:
                pid = refs[a.reference_id]
                out[pid] = ResolvedAddress(
                    pid, FinancialAddress.parse(a.fa), a.provider_code, a.provider_name
                )
        return out


def get_national_mapper() -> NationalMapper | None:
    """The national mapper of the settings, or None when none is configured."""
    from django.conf import settings

    if not settings.CHITRA_NATIONAL_MAPPER_URL:
        return None
    from chitra.engine.g2p import jws
    from chitra.iam.oauth import key_id, signing_key

    def sign(header: dict[str, Any], message: dict[str, Any]) -> str:
        kid = key_id()
        return jws.sign_envelope(header, message, signing_key(), kid=kid, created=int(time.time()))

    return HttpNationalMapper(
        settings.CHITRA_NATIONAL_MAPPER_URL, sender_id=settings.CHITRA_G2P_SENDER_ID, signer=sign
    )
