"""Base for management commands that change data: every one takes --user (the audited actor)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from chitra.core.errors import ChitraError


class ActorCommand(BaseCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user", dest="username", default=None,
            help="User name of the actor recorded in the audit (default: the system actor).",
        )

    def actor(self, options: dict[str, Any]) -> Any:
        from chitra.iam.services import resolve_actor

        try:
            return resolve_actor(options.get("username"))
        except ChitraError as exc:
            raise CommandError(str(exc)) from exc


class ProgressBar:
    """A terminal progress bar fed by the services' `progress(phase, done, total)` callbacks."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self.bar: tqdm | None = None
        self.phase = ""

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = tqdm(total=total or None, desc=phase, unit="row", leave=False)
        if self.bar is not None:
            if total and self.bar.total != total:
                self.bar.total = total
            self.bar.n = done
            self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
