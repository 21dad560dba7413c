"""Telling beneficiaries what changed (SMS / Zalo adapters later; a logging adapter now)."""

from __future__ import annotations

import logging
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string

log = logging.getLogger("chitra.notify")


class Notifier(Protocol):
    def send(self, *, phone: str, text: str) -> None: ...


class LoggingNotifier:
    sent: list[tuple[str, str]] = []  # kept for inspection in development and tests

    def send(self, *, phone: str, text: str) -> None:
        LoggingNotifier.sent.append((phone, text))
        log.info("notify %s: %s", phone or "(no phone)", text)


def notify(*, phone: str, text: str) -> None:
    import_string(settings.CHITRA_NOTIFIER)().send(phone=phone, text=text)
