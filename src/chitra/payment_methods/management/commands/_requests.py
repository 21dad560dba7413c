"""What the bulk change-request commands share: which requests (the actor's scope, filters),
all or none (--dry-run)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from chitra.core.errors import ChitraError
from chitra.payment_methods.models import ChangeRequest
from chitra.payment_methods.selectors import change_requests

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from chitra.iam.models import User


def add_filters(parser: CommandParser) -> None:
    parser.add_argument(
        "--provider",
        default=None,
        help="only requests into this provider's accounts (code, e.g. 970405)",
    )
    parser.add_argument(
        "--source",
        default=None,
        choices=ChangeRequest.Source.values,
        help="only requests of this source (bank: opened by a provider's file)",
    )
    parser.add_argument(
        "--personal-ids",
        type=Path,
        default=None,
        help="only the people of this file (one personal ID per line)",
    )
    parser.add_argument("--dry-run", action="store_true")


def selected(actor: User, status: str, options: dict[str, Any]) -> QuerySet[ChangeRequest]:
    qs = change_requests(actor, status=status).order_by("created_at", "id")
    if options.get("provider"):
        qs = qs.filter(provider__code=options["provider"])
    if options.get("source"):
        qs = qs.filter(source=options["source"])
    path: Path | None = options.get("personal_ids")
    if path is not None:
        if not path.exists():
            raise CommandError(f"File not found: {path}")
        ids = {
            line.strip()
            for line in path.read_text(encoding="utf-8-sig").splitlines()
            if line.strip()
        }
        bad = sorted(i for i in ids if not (len(i) == 12 and i.isdigit()))
        if bad:
            raise CommandError(f"{path}: not a 12-digit personal ID: {bad[0]}")
        qs = qs.filter(beneficiary__personal_id__in=sorted(ids))
    return qs


class _DryRun(Exception):
    pass


@contextmanager
def all_or_none(command: BaseCommand, dry_run: bool) -> Iterator[None]:
    """The command's writes in one transaction, rolled back under --dry-run ("dry run:
    nothing written"); a ChitraError becomes the command's error."""
    try:
        with transaction.atomic():
            yield
            if dry_run:
                raise _DryRun
    except _DryRun:
        command.stdout.write("dry run: nothing written")
    except ChitraError as exc:
        raise CommandError(str(exc)) from exc
