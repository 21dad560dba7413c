"""Bases of chitra's management commands.

`ChitraCommand`: a command that fails (bad input, a service down, a bug) ends with one line on
stderr and a non-zero exit, never a traceback (`--traceback` shows it for a developer).
`ActorCommand`: a command that changes data takes --user (the audited actor).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _
from tqdm import tqdm

from chitra.core.errors import ChitraError


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def failure_line(exc: BaseException) -> str:
    """The one line a command prints for an error that is not a CommandError."""
    if isinstance(exc, ChitraError):
        return _one_line(exc)
    if isinstance(exc, PermissionDenied):
        return _one_line(exc) or _("You do not have permission to do this.")
    if isinstance(exc, DatabaseError):
        return _("The database cannot be used (%(detail)s).") % {
            "detail": _one_line(exc)[:300] or type(exc).__name__
        }
    if isinstance(exc, OSError):
        return _("File or network error: %(detail)s") % {"detail": _one_line(exc)[:300]}
    return _(
        "Internal error (%(kind)s: %(detail)s); run the command again with --traceback "
        "for the details."
    ) % {"kind": type(exc).__name__, "detail": _one_line(exc)[:200]}


class ChitraCommand(BaseCommand):
    """Every failure becomes a CommandError of one line (exit status 1; 130 when
    interrupted), which Django prints as `CommandError: ...` on stderr."""

    def execute(self, *args: Any, **options: Any) -> Any:
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if options.get("traceback"):
                raise
            raise CommandError(_one_line(exc), returncode=exc.returncode) from exc
        except KeyboardInterrupt as exc:
            if options.get("traceback"):
                raise
            raise CommandError(_("Interrupted."), returncode=130) from exc
        except Exception as exc:
            if options.get("traceback"):
                raise
            raise CommandError(failure_line(exc)) from exc


def require_demo_mode(command: str) -> None:
    """Demo commands (synthetic people, accounts approved in bulk, printed logins) refuse to run
    on a real installation: only with CHITRA_DEMO=1 (make demo), CHITRA_DEBUG=1 or in the tests."""
    from django.conf import settings

    if not (
        getattr(settings, "CHITRA_DEMO", False)
        or settings.DEBUG
        or getattr(settings, "TESTING", False)
    ):
        raise CommandError(
            _(
                "%(command)s only runs in the demo (CHITRA_DEMO=1) or in "
                "development (CHITRA_DEBUG=1): it would put synthetic data into a "
                "real installation."
            )
            % {"command": command}
        )


class ActorCommand(ChitraCommand):
    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--user",
            dest="username",
            default=None,
            help="User name of the actor recorded in the audit (default: the system actor).",
        )

    def actor(self, options: dict[str, Any]) -> Any:
        from chitra.core.ports import resolve_actor

        try:
            return resolve_actor.get()(options.get("username"))
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
