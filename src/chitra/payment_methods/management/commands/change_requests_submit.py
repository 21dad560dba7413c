from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone

from chitra.core.commands import ActorCommand
from chitra.payment_methods.management.commands._requests import (
    add_filters,
    all_or_none,
    selected,
)
from chitra.payment_methods.models import ChangeRequest
from chitra.payment_methods.services import change_requests_submit_many


class Command(ActorCommand):
    help = (
        "Submit the draft change requests of your area (e.g. those a provider's confirmation "
        "file opened) for approval, recording each person's consent: the date, how it was "
        "given and where the signed forms are kept. All or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        add_filters(parser)
        parser.add_argument(
            "--consent-date",
            type=dt.date.fromisoformat,
            default=None,
            help="YYYY-MM-DD (default: today)",
        )
        parser.add_argument(
            "--consent-channel", required=True, choices=ChangeRequest.ConsentChannel.values
        )
        parser.add_argument(
            "--evidence", required=True, help="where the signed consent forms are kept"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.actor(options)
        drafts = list(selected(actor, ChangeRequest.Status.DRAFT, options))
        with all_or_none(self, options["dry_run"]):
            done = change_requests_submit_many(
                actor=actor,
                requests=drafts,
                consent_date=options["consent_date"] or timezone.localdate(),
                consent_channel=options["consent_channel"],
                consent_witness=options["evidence"],
            )
        self.stdout.write(f"drafts={len(drafts)} submitted={len(done)}")
