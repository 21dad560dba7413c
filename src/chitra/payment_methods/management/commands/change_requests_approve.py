from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from chitra.core.commands import ActorCommand
from chitra.payment_methods.management.commands._requests import (
    add_filters,
    all_or_none,
    selected,
)
from chitra.payment_methods.models import ChangeRequest
from chitra.payment_methods.services import change_requests_approve_many


class Command(ActorCommand):
    help = (
        "Approve the submitted change requests of your area that carry no flag (an approver "
        "who neither made nor submitted them); flagged ones are listed and left for their "
        "page. All or none."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        add_filters(parser)
        parser.add_argument("--note", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self.actor(options)
        submitted = list(selected(actor, ChangeRequest.Status.SUBMITTED, options))
        with all_or_none(self, options["dry_run"]):
            approved, left = change_requests_approve_many(
                actor=actor, requests=submitted, note=options["note"]
            )
        for cr, flags in left:
            self.stdout.write(f"left for review: request {cr.pk} ({', '.join(flags)})")
        self.stdout.write(f"submitted={len(submitted)} approved={len(approved)} left={len(left)}")
