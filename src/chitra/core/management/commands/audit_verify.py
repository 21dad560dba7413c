from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.commands import ChitraCommand


def _anchor(value: str) -> tuple[int, str]:
    seq, sep, digest = value.partition(":")
    if not sep or not seq.isdigit() or len(digest) != 64:
        raise CommandError(_("--anchor takes SEQ:HASH as printed by audit_seal."))
    return int(seq), digest.lower()


class Command(ChitraCommand):
    help = (
        "Recompute the audit trail's hash chain and report any gap or edit (a deleted, "
        "changed, reordered or inserted event); exits non-zero when it finds one. Events "
        "not sealed yet are counted (run audit_seal first, or --seal)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--province",
            default=None,
            help="Check only the events of this province (two-digit code).",
        )
        parser.add_argument(
            "--anchor",
            default=None,
            help="SEQ:HASH of a head printed earlier and kept outside the "
            "database: detects a chain rewritten since.",
        )
        parser.add_argument("--seal", action="store_true", help="Run audit_seal first.")

    def handle(self, *args: Any, **options: Any) -> None:
        from chitra.core.audit import province_id_of
        from chitra.core.seal import audit_seal, audit_verify

        anchor = _anchor(options["anchor"]) if options["anchor"] else None
        province = options["province"]
        if province:
            try:
                province_id_of(province)
            except ValueError as exc:
                raise CommandError(_("Unknown province %(code)s.") % {"code": province}) from exc
        if options["seal"]:
            sealed = audit_seal()
            self.stdout.write(f"sealed={sealed.sealed}")
        report = audit_verify(province=province, anchor=anchor)
        self.stdout.write(
            f"links={report.links} checked={report.checked} "
            f"head={report.head_seq}:{report.head_hash}"
        )
        if report.unsealed:
            assert report.oldest_unsealed is not None
            event_id, at = report.oldest_unsealed
            self.stdout.write(
                f"unsealed={report.unsealed} oldest={event_id} "
                f"({timezone.localtime(at):%Y-%m-%d %H:%M:%S}) "
                + _("(not sealed yet: run audit_seal)")
            )
        else:
            self.stdout.write("unsealed=0")
        for finding in report.findings:
            self.stdout.write(finding.line())
        if report.more_findings:
            self.stdout.write(_("... and %(n)s more") % {"n": report.more_findings})
        if not report.ok:
            total = len(report.findings) + report.more_findings
            raise CommandError(
                _("The audit trail fails verification: %(n)s problem(s).") % {"n": total}
            )
        self.stdout.write(_("The audit trail is intact."))
