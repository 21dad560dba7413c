"""Writes to the registry. Every function takes `actor`, runs in one transaction, audits.

The import reads and checks the file in the engine (pure Python, no ORM), then applies every
accepted row in one transaction with bulk statements: whole or nothing, and re-importing the
same file changes nothing (upsert by personal ID, else social-insurance number, + benefit).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.audit import AuditRow, audit_bulk, audit_record, to_json_value
from chitra.core.bulk import fast_insert, max_pk
from chitra.core.errors import (
    ChitraError,
    ImportFileError,
    header_error_text,
    render_issue,
    table_error_text,
)
from chitra.core.uploads import read_limits
from chitra.engine.documents.error_workbook import write_error_workbook
from chitra.engine.rows.beneficiary import BENEFICIARY_FIELDS as BENEFICIARY_HEADER
from chitra.engine.rows.beneficiary import (
    REQUIRED,
    BeneficiaryRecord,
    Issue,
    ParseContext,
    RejectedRow,
    parse_beneficiary_grid,
)
from chitra.engine.sheets.headers import HeaderError
from chitra.engine.sheets.reading import HeaderSpec, TableReadError, read_grid
from chitra.geo.models import Commune, OfficeArea, Province
from chitra.iam.access import Perm, commune_in_scope, require_perm
from chitra.kernel.hashing import sha256_file
from chitra.kernel.issues import issue
from chitra.kernel.months import add_months, month_end, previous_month
from chitra.kernel.names import fold_name, nfc
from chitra.registry.models import (
    BENEFIT_LABELS_VI,
    Beneficiary,
    Consent,
    DatePrecision,
    Entitlement,
    Representative,
    Sex,
)

if TYPE_CHECKING:
    from chitra.iam.models import User

ProgressFn = Callable[[str, int, int], None]

BENEFICIARY_FIELDS = (
    "personal_id",
    "old_id",
    "si_number",
    "full_name",
    "birth_date",
    "birth_precision",
    "sex",
    "commune",
    "address",
    "phone",
)
ENTITLEMENT_FIELDS = ("monthly_amount", "start_month", "paid_through", "office")
_CHUNK = 2000


@dataclass
class ImportSummary:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    dry_run: bool = False
    warnings: list[Issue] = field(default_factory=list)
    rejected_rows: list[RejectedRow] = field(default_factory=list)
    header_labels: list[str] = field(default_factory=list)
    error_file: str = ""
    sha256: str = ""

    def line(self) -> str:
        return (
            f"rows={self.rows} created={self.created} updated={self.updated} "
            f"unchanged={self.unchanged} rejected={self.rejected}"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "dry_run": self.dry_run,
            "warnings": len(self.warnings),
            "sha256": self.sha256,
        }


def parse_context(province_code: str, *, today: dt.date | None = None) -> ParseContext:
    province = Province.objects.filter(code=province_code).first()
    if province is None:
        raise ImportFileError(_("Unknown province code '%(code)s'.") % {"code": province_code})
    communes = dict(Commune.objects.filter(province=province).values_list("code", "name"))
    return ParseContext(
        province_code=province_code,
        communes=communes,
        benefit_labels={str(k): v for k, v in BENEFIT_LABELS_VI.items()},
        today=today or timezone.localdate(),
        max_cell_chars=settings.CHITRA_IMPORT_MAX_CELL_CHARS,
    )


def beneficiary_import(
    *,
    actor: User,
    path: Path | str,
    sheet: str | None = None,
    province_code: str | None = None,
    dry_run: bool = False,
    errors_out: Path | str | None = None,
    progress: ProgressFn | None = None,
    source_name: str | None = None,
) -> ImportSummary:
    """Import a beneficiary spreadsheet (xlsx, xls, ods, csv). Raises ImportFileError only when
    the file cannot be read at all; bad rows are rejected and reported, the rest applied."""
    require_perm(actor, Perm.REGISTRY_IMPORT)
    path = Path(path)
    province_code = province_code or settings.CHITRA_DEFAULT_PROVINCE
    ctx = parse_context(province_code)
    if progress:
        progress("read", 0, 0)
    grid, parsed = _read_and_parse(path, sheet, ctx, source_name or path.name)
    summary = ImportSummary(dry_run=dry_run, sha256=sha256_file(path))
    summary.header_labels = _header_labels(grid.rows, parsed.header)
    summary.rows = parsed.total_rows
    summary.rejected_rows = list(parsed.rejected)
    for rec in parsed.records:
        summary.warnings.extend(rec.warnings)

    apply_records(
        actor=actor,
        records=parsed.records,
        summary=summary,
        dry_run=dry_run,
        progress=progress,
        source={
            "file": source_name or path.name,
            "sha256": summary.sha256,
            "sheet": grid.sheet_name or "",
            "province": province_code,
        },
    )
    _report_rejected(summary, grid.rows, errors_out)
    return summary


def _read_and_parse(path: Path, sheet: str | None, ctx: Any, name: str) -> tuple[Any, Any]:
    """The grid of the file and its parsed rows; ImportFileError when it cannot be read."""
    try:
        grid = read_grid(
            path, sheet=sheet, limits=read_limits(), header=HeaderSpec(BENEFICIARY_HEADER, REQUIRED)
        )
    except TableReadError as exc:
        raise ImportFileError(
            _("Cannot read the file %(name)s: %(detail)s")
            % {"name": name, "detail": table_error_text(exc)}
        ) from exc
    try:
        parsed = parse_beneficiary_grid(grid, ctx)
    except HeaderError as exc:
        raise ImportFileError(header_error_text(exc, grid.sheet_name)) from exc
    return grid, parsed


def _report_rejected(
    summary: ImportSummary, rows: Sequence[Sequence[Any]], errors_out: Path | str | None
) -> None:
    """The rejected rows with their original cells, in sheet order (and the error workbook)."""
    for rej in summary.rejected_rows:
        if not rej.cells and 0 < rej.sheet_row <= len(rows):
            rej.cells = list(rows[rej.sheet_row - 1])
    summary.rejected = len(summary.rejected_rows)
    summary.rejected_rows.sort(key=lambda r: r.sheet_row)
    if errors_out is not None and summary.rejected_rows:
        write_error_workbook(
            errors_out, summary.header_labels, summary.rejected_rows, reasons=render_issue
        )
        summary.error_file = str(errors_out)


def _header_labels(rows: Sequence[Sequence[Any]], header: Any) -> list[str]:
    """Labels of every column of the header (for the error workbook), joined for 2-row heads."""
    idx = list(header.header_rows)
    width = max((len(rows[i]) for i in idx), default=0)
    labels = []
    last_top = ""
    for col in range(width):
        parts = []
        for n, i in enumerate(idx):
            cell = rows[i][col] if col < len(rows[i]) else None
            text = "" if cell is None else " ".join(str(cell).split())
            if n == 0 and len(idx) > 1:
                last_top = text or last_top
                text = text or last_top
            if text and text not in parts:
                parts.append(text)
        labels.append(" ".join(parts))
    return labels


def apply_records(
    *,
    actor: User,
    records: Sequence[BeneficiaryRecord],
    summary: ImportSummary,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
    source: dict[str, Any] | None = None,
) -> ImportSummary:
    """Upsert parsed records in one transaction (rolled back when `dry_run`)."""
    try:
        with transaction.atomic():
            upsert = _Upsert(actor, records, summary)
            total = len(records)
            for n, rec in enumerate(records, 1):
                if progress and n % 5000 == 0:
                    progress("apply", n, total)
                upsert.record(rec)
            if progress:
                progress("write", total, total)
            _write(
                actor,
                upsert.new_bens,
                upsert.changed_bens,
                upsert.new_ents,
                upsert.changed_ents,
                source or {},
                progress=progress,
                total=total,
            )
            if dry_run:
                transaction.set_rollback(True)
    except IntegrityError as exc:
        raise ImportFileError(
            _(
                "The import was not applied: the registry changed while it ran (%(detail)s). "
                "Nothing was written; please run it again."
            )
            % {"detail": exc}
        ) from exc
    return summary


#: a row refused when applied: (column, value, code, expected)
_Refusal = tuple[str, str, str, str]


class _Upsert:
    """What an import changes, row by row, before anything is written: the people and
    entitlements to create or update, the rows refused (area, numbers held by someone else),
    and the counts of the summary. Built inside the import's transaction."""

    def __init__(
        self, actor: User, records: Sequence[BeneficiaryRecord], summary: ImportSummary
    ) -> None:
        self.actor = actor
        self.summary = summary
        self.default_paid_through = previous_month(timezone.localdate())
        self.commune_ids = dict(Commune.objects.values_list("code", "id"))
        self.office_of = dict(OfficeArea.objects.values_list("commune_id", "office_id"))
        self.scope_cache: dict[int, bool] = {}
        self.by_pid, self.by_si = _existing_beneficiaries(records)
        ben_ids = {b.pk for b in self.by_pid.values()} | {b.pk for b in self.by_si.values()}
        self.ents = _existing_entitlements(ben_ids)
        self.new_bens: list[Beneficiary] = []
        self.changed_bens: dict[int, tuple[Beneficiary, dict[str, Any]]] = {}
        self.new_ents: list[tuple[Entitlement, Beneficiary]] = []
        self.changed_ents: dict[int, tuple[Entitlement, dict[str, Any]]] = {}
        self.ent_by_key: dict[tuple[int, str], Entitlement] = {}

    def in_scope(self, commune_id: int) -> bool:
        if commune_id not in self.scope_cache:
            self.scope_cache[commune_id] = commune_in_scope(self.actor, commune_id)
        return self.scope_cache[commune_id]

    def reject(self, rec: BeneficiaryRecord, refusal: _Refusal) -> None:
        column, value, code, expected = refusal
        self.summary.rejected_rows.append(
            RejectedRow(
                sheet_row=rec.sheet_row,
                data_row=rec.data_row,
                cells=[],
                issues=[issue(rec.sheet_row, column, value, code, expected)],
            )
        )

    def record(self, rec: BeneficiaryRecord) -> None:
        """Apply one accepted row: refuse it, or create / update its person and benefit."""
        commune_id = self.commune_ids[rec.commune_code]
        b_pid = self.by_pid.get(rec.personal_id) if rec.personal_id else None
        b_si = self.by_si.get(rec.si_number) if rec.si_number else None
        refusal = self.refusal(rec, commune_id, b_pid, b_si)
        if refusal is not None:
            self.reject(rec, refusal)
            return
        found = self.beneficiary(rec, commune_id, b_pid or b_si)
        if found is None:
            return
        ben, ben_changed = found
        self.entitlement(rec, ben, ben_changed, self.office_of.get(commune_id))

    def refusal(
        self,
        rec: BeneficiaryRecord,
        commune_id: int,
        b_pid: Beneficiary | None,
        b_si: Beneficiary | None,
    ) -> _Refusal | None:
        """Why the row may not be applied by this officer, if it may not."""
        if not self.in_scope(commune_id):
            return ("commune", rec.commune_code, "commune_out_of_scope", "a commune of your area")
        if any(b is not None and not self.in_scope(b.commune_id) for b in (b_pid, b_si)):
            # a person of another area: never named (nor their other number) in a message to
            # this officer
            return _out_of_scope(rec)
        if b_pid is not None and b_si is not None and b_pid is not b_si:
            return (
                "si_number",
                rec.si_number or "",
                "si_number_taken",
                f"the social insurance number of this person, not of "
                f"{b_si.personal_id or b_si.si_number}",
            )
        if (
            b_pid is None
            and b_si is not None
            and rec.personal_id
            and b_si.personal_id
            and b_si.personal_id != rec.personal_id
        ):
            return (
                "personal_id",
                rec.personal_id,
                "pid_conflicts_si",
                f"{b_si.personal_id} (the ID recorded for this social insurance number)",
            )
        return None

    def beneficiary(
        self, rec: BeneficiaryRecord, commune_id: int, ben: Beneficiary | None
    ) -> tuple[Beneficiary, bool] | None:
        """The row's person, created or updated (and whether it changed); None: refused."""
        values = _ben_values(rec, commune_id, ben)
        if ben is None:
            ben = Beneficiary(**values)
            self.new_bens.append(ben)
            self.remember(ben)
            return ben, True
        if ben.pk and not self.in_scope(ben.commune_id):
            self.reject(rec, _out_of_scope(rec))
            return None
        before = {k: getattr(ben, k) for k in values}
        ben_changed = any(before[k] != v for k, v in values.items())
        if ben_changed:
            if ben.pk:
                old = self.changed_bens.get(ben.pk, (ben, before))[1]
                self.changed_bens[ben.pk] = (ben, old)
            for k, v in values.items():
                setattr(ben, k, v)
            self.remember(ben)
        return ben, ben_changed

    def remember(self, ben: Beneficiary) -> None:
        if ben.personal_id:
            self.by_pid[ben.personal_id] = ben
        if ben.si_number:
            self.by_si[ben.si_number] = ben

    def entitlement(
        self, rec: BeneficiaryRecord, ben: Beneficiary, ben_changed: bool, office_id: int | None
    ) -> None:
        """The row's benefit of ``ben``, created or updated; the row counted."""
        summary = self.summary
        ent = self.ents.get((ben.pk, rec.benefit_type)) if ben.pk else None
        if ent is None:
            ent = self.ent_by_key.get((id(ben), rec.benefit_type))
        if ent is None:
            self.new_entitlement(rec, ben, office_id)
            # a row that changes a person already in the registry is an update, even when it
            # also adds a benefit to them
            if ben.pk and ben_changed:
                summary.updated += 1
            else:
                summary.created += 1
            return
        if self.update_entitlement(rec, ent, office_id) or ben_changed:
            summary.updated += 1
        else:
            summary.unchanged += 1

    def new_entitlement(
        self, rec: BeneficiaryRecord, ben: Beneficiary, office_id: int | None
    ) -> None:
        ent = Entitlement(
            benefit_type=rec.benefit_type,
            monthly_amount=rec.monthly_amount,
            start_month=rec.start_month,
            paid_through=rec.paid_through or self.default_paid_through,
            office_id=office_id,
        )
        self.new_ents.append((ent, ben))
        self.ent_by_key[(id(ben), rec.benefit_type)] = ent

    def update_entitlement(
        self, rec: BeneficiaryRecord, ent: Entitlement, office_id: int | None
    ) -> bool:
        """The row's values on ``ent``; whether they change it."""
        ent_values = {
            "monthly_amount": rec.monthly_amount,
            "start_month": rec.start_month or ent.start_month,
            "paid_through": rec.paid_through or ent.paid_through,
            "office_id": office_id if office_id is not None else ent.office_id,
        }
        ent_before = {k: getattr(ent, k) for k in ent_values}
        ent_changed = any(ent_before[k] != v for k, v in ent_values.items())
        if ent_changed:
            if ent.pk:
                old = self.changed_ents.get(ent.pk, (ent, ent_before))[1]
                self.changed_ents[ent.pk] = (ent, old)
            for k, v in ent_values.items():
                setattr(ent, k, v)
        return ent_changed


def _out_of_scope(rec: BeneficiaryRecord) -> _Refusal:
    return (
        "personal_id",
        rec.personal_id or rec.si_number or "",
        "beneficiary_out_of_scope",
        "a beneficiary of your area",
    )


def _ben_values(rec: BeneficiaryRecord, commune_id: int, ben: Beneficiary | None) -> dict[str, Any]:
    """The person's fields after the row: what the row gives, else what is recorded."""
    return {
        "personal_id": rec.personal_id or (ben.personal_id if ben else None),
        "old_id": rec.old_id or (ben.old_id if ben else None),
        "si_number": rec.si_number or (ben.si_number if ben else None),
        "full_name": rec.full_name,
        "name_folded": fold_name(rec.full_name),
        "birth_date": rec.birth_date,
        "birth_precision": rec.birth_precision,
        "sex": rec.sex,
        "commune_id": commune_id,
        "address": rec.address or (ben.address if ben else ""),
        "phone": rec.phone or (ben.phone if ben else ""),
    }


def _existing_beneficiaries(
    records: Sequence[BeneficiaryRecord],
) -> tuple[dict[str, Beneficiary], dict[str, Beneficiary]]:
    pids = sorted({r.personal_id for r in records if r.personal_id})
    found: dict[int, Beneficiary] = {}
    for b in _in_chunks("personal_id", pids):
        found[b.pk] = b
    # social-insurance numbers are looked up only where the personal ID did not find the
    # person (and to catch a number already held by someone else)
    known_si = {b.si_number for b in found.values() if b.si_number}
    sis = sorted({r.si_number for r in records if r.si_number and r.si_number not in known_si})
    for b in _in_chunks("si_number", sis):
        found.setdefault(b.pk, b)
    by_pid = {b.personal_id: b for b in found.values() if b.personal_id}
    by_si = {b.si_number: b for b in found.values() if b.si_number}
    return by_pid, by_si


def _in_chunks(field: str, values: list[str]) -> Iterator[Beneficiary]:
    """The beneficiaries whose `field` is one of `values`, one query per chunk."""
    for i in range(0, len(values), _CHUNK):
        yield from Beneficiary.objects.filter(**{f"{field}__in": values[i : i + _CHUNK]})


def _existing_entitlements(ben_ids: Iterable[int]) -> dict[tuple[int, str], Entitlement]:
    ids = sorted(ben_ids)
    out: dict[tuple[int, str], Entitlement] = {}
    for i in range(0, len(ids), _CHUNK):
        for e in Entitlement.objects.filter(beneficiary_id__in=ids[i : i + _CHUNK]):
            out[(e.beneficiary_id, e.benefit_type)] = e
    return out


def _ben_snapshot(b: Beneficiary) -> dict[str, Any]:
    return {
        k: to_json_value(getattr(b, "commune_id" if k == "commune" else k))
        for k in BENEFICIARY_FIELDS
    }


def _write(
    actor: User,
    new_bens: list[Beneficiary],
    changed_bens: dict[int, tuple[Beneficiary, dict[str, Any]]],
    new_ents: list[tuple[Entitlement, Beneficiary]],
    changed_ents: dict[int, tuple[Entitlement, dict[str, Any]]],
    source: dict[str, Any],
    *,
    progress: ProgressFn | None = None,
    total: int = 0,
) -> None:
    """The bulk statements of an import (inside its transaction; `progress` is called between
    them, so an error it raises undoes what was written)."""
    batch = settings.CHITRA_IMPORT_BATCH
    _write_beneficiaries(new_bens, changed_bens, batch)
    if progress:
        progress("entitlements", len(new_bens) + len(changed_bens), total)
    _write_entitlements(new_ents, changed_ents, batch)
    # A person new to the registry gets one event holding their entitlements; entitlements
    # added to a known person get their own.
    new_ids = {id(b) for b in new_bens}
    ents_of_new: dict[int, list[dict[str, Any]]] = {}
    for e, b in new_ents:
        if id(b) in new_ids:
            ents_of_new.setdefault(id(b), []).append(_ent_snapshot(e))

    # the file's province (its communes are of that one): the audit's, for the system actor
    province = source.get("province") or None
    n = audit_bulk(
        actor,
        "registry.import.row",
        _import_audit_rows(new_bens, changed_bens, new_ents, changed_ents, new_ids, ents_of_new),
        reason=source.get("file", ""),
        province=province,
    )
    audit_record(
        actor,
        "registry.import",
        object_type="registry.import",
        province=province,
        object_id=source.get("sha256", "")[:16],
        object_repr=source.get("file", ""),
        after={
            **source,
            "beneficiaries_created": len(new_bens),
            "beneficiaries_updated": len(changed_bens),
            "entitlements_created": len(new_ents),
            "entitlements_updated": len(changed_ents),
            "events": n,
        },
    )


def _write_beneficiaries(
    new_bens: list[Beneficiary],
    changed_bens: dict[int, tuple[Beneficiary, dict[str, Any]]],
    batch: int,
) -> None:
    """Insert the new people (their primary keys read back) and update the changed ones."""
    before = max_pk(Beneficiary)
    fast_insert(Beneficiary, new_bens)
    if new_bens:  # read the new primary keys back by natural key
        keys = {}
        for pk, pid, si in (
            Beneficiary.objects.filter(pk__gt=before)
            .values_list("pk", "personal_id", "si_number")
            .iterator(chunk_size=20_000)
        ):
            keys[pid or f"si:{si}"] = pk
        for b in new_bens:
            b.pk = keys[b.personal_id or f"si:{b.si_number}"]
            b._state.adding = False
    if changed_bens:
        Beneficiary.objects.bulk_update(
            [b for b, _old in changed_bens.values()],
            [
                "personal_id",
                "old_id",
                "si_number",
                "full_name",
                "name_folded",
                "birth_date",
                "birth_precision",
                "sex",
                "commune",
                "address",
                "phone",
                "updated_at",
            ],
            batch_size=batch,
        )


def _write_entitlements(
    new_ents: list[tuple[Entitlement, Beneficiary]],
    changed_ents: dict[int, tuple[Entitlement, dict[str, Any]]],
    batch: int,
) -> None:
    """Insert the new entitlements (their primary keys read back) and update the changed."""
    for ent, ben in new_ents:
        ent.beneficiary_id = ben.pk
    before = max_pk(Entitlement)
    fast_insert(Entitlement, (e for e, _b in new_ents))
    if new_ents:
        ent_keys = {
            (b, t): pk
            for pk, b, t in Entitlement.objects.filter(pk__gt=before)
            .values_list("pk", "beneficiary_id", "benefit_type")
            .iterator(chunk_size=20_000)
        }
        for ent, _b in new_ents:
            ent.pk = ent_keys[(ent.beneficiary_id, ent.benefit_type)]
            ent._state.adding = False
    if changed_ents:
        Entitlement.objects.bulk_update(
            [e for e, _old in changed_ents.values()],
            ["monthly_amount", "start_month", "paid_through", "office", "updated_at"],
            batch_size=batch,
        )


def _ent_snapshot(e: Entitlement) -> dict[str, Any]:
    return {
        "id": e.pk,
        "benefit_type": e.benefit_type,
        "monthly_amount": e.monthly_amount,
        "start_month": to_json_value(e.start_month),
        "paid_through": to_json_value(e.paid_through),
        "office": e.office_id,
    }


def _import_audit_rows(
    new_bens: list[Beneficiary],
    changed_bens: dict[int, tuple[Beneficiary, dict[str, Any]]],
    new_ents: list[tuple[Entitlement, Beneficiary]],
    changed_ents: dict[int, tuple[Entitlement, dict[str, Any]]],
    new_ids: set[int],
    ents_of_new: dict[int, list[dict[str, Any]]],
) -> Iterable[AuditRow]:
    """One audit event per person or entitlement created or changed by an import."""
    yield from _people_audit_rows(new_bens, changed_bens, ents_of_new)
    yield from _entitlement_audit_rows(new_ents, changed_ents, new_ids)


def _people_audit_rows(
    new_bens: list[Beneficiary],
    changed_bens: dict[int, tuple[Beneficiary, dict[str, Any]]],
    ents_of_new: dict[int, list[dict[str, Any]]],
) -> Iterable[AuditRow]:
    for b in new_bens:
        yield AuditRow(
            "registry.beneficiary",
            b.pk,
            str(b),
            None,
            {**_ben_snapshot(b), "entitlements": ents_of_new.get(id(b), [])},
        )
    for b, old in changed_bens.values():
        before = {
            ("commune" if k == "commune_id" else k): to_json_value(v)
            for k, v in old.items()
            if k != "name_folded"
        }
        after = _ben_snapshot(b)
        keys = [k for k in after if before.get(k) != after.get(k)]
        yield AuditRow(
            "registry.beneficiary",
            b.pk,
            str(b),
            {k: before.get(k) for k in keys},
            {k: after[k] for k in keys},
        )


def _entitlement_audit_rows(
    new_ents: list[tuple[Entitlement, Beneficiary]],
    changed_ents: dict[int, tuple[Entitlement, dict[str, Any]]],
    new_ids: set[int],
) -> Iterable[AuditRow]:
    for e, b in new_ents:
        if id(b) not in new_ids:
            yield AuditRow(
                "registry.entitlement",
                e.pk,
                f"{b} {e.benefit_type}",
                None,
                {"beneficiary": b.pk, **_ent_snapshot(e)},
            )
    for e, old in changed_ents.values():
        after = {k: to_json_value(getattr(e, k)) for k in old}
        before = {k: to_json_value(v) for k, v in old.items()}
        keys = [k for k in after if before[k] != after[k]]
        yield AuditRow(
            "registry.entitlement",
            e.pk,
            f"#{e.beneficiary_id} {e.benefit_type}",
            {k: before[k] for k in keys},
            {k: after[k] for k in keys},
        )


def beneficiary_import_start(
    *,
    actor: User,
    upload_name: str,
    chunks: Iterable[bytes],
    sheet: str = "",
    dry_run: bool = False,
) -> Any:
    """Store an uploaded file and queue its import as a background job; returns the Job."""
    import uuid

    from chitra.core.jobs import job_create
    from chitra.core.uploads import store_upload
    from chitra.registry.tasks import beneficiary_import_task

    require_perm(actor, Perm.REGISTRY_IMPORT)
    suffix = Path(upload_name).suffix.lower()
    if suffix not in {".xlsx", ".xlsm", ".xls", ".ods", ".csv", ".txt"}:
        raise ImportFileError(
            _("Unsupported file type '%(ext)s': use xlsx, xls, ods or csv.")
            % {"ext": suffix or upload_name}
        )
    upload_dir = Path(settings.CHITRA_UPLOAD_DIR)
    upload_dir.mkdir(parents=True, exist_ok=True)
    stored = upload_dir / f"{uuid.uuid4().hex}{suffix}"
    store_upload(stored, chunks, name=upload_name)
    job = job_create(
        actor=actor,
        kind="beneficiary_import",
        params={"sheet": sheet, "dry_run": dry_run},
        input_file=str(stored),
        input_name=upload_name,
    )
    transaction.on_commit(lambda: beneficiary_import_task.enqueue(job.pk))
    return job


def records_from_table(table: Any) -> list[BeneficiaryRecord]:
    """Beneficiary records from an Arrow table with the columns of the generator/extracts
    (already clean: used by `demo_data` and bulk loaders, never for user files)."""
    cols = {name: table.column(name).to_pylist() for name in table.column_names}
    n = table.num_rows
    out = []
    empty: list[Issue] = []
    for i in range(n):
        out.append(
            BeneficiaryRecord(
                sheet_row=i + 2,
                data_row=i + 1,
                personal_id=cols["personal_id"][i],
                old_id=cols["old_id"][i],
                si_number=cols["si_number"][i],
                full_name=cols["full_name"][i],
                birth_date=cols["birth_date"][i],
                birth_precision=cols["birth_precision"][i],
                sex=cols["sex"][i],
                commune_code=cols["commune_code"][i],
                address=cols["address"][i],
                phone=cols["phone"][i],
                benefit_type=cols["benefit_type"][i],
                monthly_amount=cols["monthly_amount"][i],
                start_month=cols["start_month"][i],
                paid_through=None,
                warnings=empty,
            )
        )
    return out


def _representative_pid(personal_id: str) -> str:
    """The representative's personal ID, normalised; ChitraError when it is not 12 digits."""
    from chitra.kernel.personal_id import PersonalIdError, normalize_personal_id, parse_personal_id

    pid = normalize_personal_id(personal_id) or ""
    try:
        parse_personal_id(pid)
    except PersonalIdError as exc:
        raise ChitraError(
            _("Personal ID of the representative '%(value)s': expected 12 digits.")
            % {"value": personal_id}
        ) from exc
    return pid


def representative_add(
    *,
    actor: User,
    beneficiary: Beneficiary,
    kind: str,
    full_name: str,
    personal_id: str,
    valid_from: dt.date,
    valid_to: dt.date | None = None,
    relationship: str = "",
    document_ref: str = "",
) -> Representative:
    """Record a guardian or an authorised person who may receive for the beneficiary.

    An authorisation (form 13-HSB) without an end date gets the configured validity
    (CHITRA_AUTHORISATION_MONTHS, 12 by default)."""
    from chitra.registry.selectors import beneficiary_get

    require_perm(actor, Perm.REGISTRY_IMPORT)
    beneficiary_get(actor, beneficiary.pk, audit=False)  # 404 when out of scope
    pid = _representative_pid(personal_id)
    if kind not in Representative.Kind.values:
        raise ChitraError(_("Unknown kind of representative '%(kind)s'.") % {"kind": kind})
    if kind == Representative.Kind.AUTHORISED and valid_to is None:
        months = settings.CHITRA_AUTHORISATION_MONTHS
        valid_to = month_end(add_months(valid_from, months - 1))
    if valid_to is not None and valid_to < valid_from:
        raise ChitraError(_("The end of validity is before its start."))
    if pid == beneficiary.personal_id:
        raise ChitraError(_("A beneficiary cannot represent themselves."))
    with transaction.atomic():
        rep = Representative.objects.create(
            beneficiary=beneficiary,
            kind=kind,
            full_name=nfc(full_name.strip()),
            personal_id=pid,
            relationship=relationship,
            document_ref=document_ref,
            valid_from=valid_from,
            valid_to=valid_to,
        )
        audit_record(
            actor,
            "registry.representative.add",
            obj=rep,
            after={
                "beneficiary": beneficiary.pk,
                "kind": kind,
                "personal_id": pid,
                "valid_from": valid_from,
                "valid_to": valid_to,
            },
        )
    return rep


# --------------------------------------------------------------------------------------------
# consent log (Law 91/2025/QH15: consent per purpose, with its record)
# --------------------------------------------------------------------------------------------


def consent_record(
    *,
    actor: User,
    beneficiary: Beneficiary,
    purpose: str,
    given: bool,
    channel: str,
    date: dt.date,
    evidence: str = "",
    source_object: Any = None,
) -> Consent:
    """Record that the person gave (``given=True``) or withdrew (``given=False``) their consent
    for one purpose. Always a new row: the log is never edited (the database refuses it).

    The callers decide who may take a consent (the change-request and data-subject services);
    this service checks the values and audits the record."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("You do not have permission to do this."))
    if purpose not in Consent.Purpose.values:
        raise ChitraError(_("Unknown purpose of consent '%(value)s'.") % {"value": purpose})
    if channel not in Consent.Channel.values:
        raise ChitraError(_("Say how the person expressed their choice."))
    if date is None or date > timezone.localdate():
        raise ChitraError(_("The date of consent cannot be in the future."))
    source_type = source_id = ""
    if source_object is not None:
        source_type, source_id = source_object._meta.label_lower, str(source_object.pk)
    with transaction.atomic():
        consent = Consent.objects.create(
            beneficiary=beneficiary,
            purpose=purpose,
            given=bool(given),
            channel=channel,
            date=date,
            evidence=(evidence or "").strip()[:255],
            source_type=source_type,
            source_id=source_id,
            recorded_by=actor,
        )
        audit_record(
            actor,
            "registry.consent.record",
            obj=consent,
            object_repr=f"{beneficiary} {purpose}",
            after={
                "beneficiary": beneficiary.pk,
                "purpose": purpose,
                "given": bool(given),
                "channel": channel,
                "date": date,
                "source": f"{source_type}#{source_id}" if source_type else "",
            },
        )
    return consent


def consent_current(beneficiary: Beneficiary) -> dict[str, Consent]:
    """The person's latest answer per purpose (purposes never asked are absent)."""
    out: dict[str, Consent] = {}
    for c in Consent.objects.filter(beneficiary=beneficiary).order_by(
        "-date", "-recorded_at", "-id"
    ):
        out.setdefault(c.purpose, c)
    return out


# --------------------------------------------------------------------------------------------
# correction of one person's record (a data subject's right to correction; decided elsewhere)
# --------------------------------------------------------------------------------------------

#: the personal data a correction may change, in the order the pages show them
CORRECTABLE_FIELDS = (
    "full_name",
    "birth_date",
    "birth_precision",
    "sex",
    "address",
    "phone",
    "commune",
)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ChitraError(
            _("Date of birth '%(value)s': expected a date (yyyy-mm-dd).") % {"value": value}
        ) from None


def correction_values(beneficiary: Beneficiary, changes: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise the corrected values of a record (JSON-safe: dates as ISO text, the
    commune by its code). Raises ChitraError naming the field, the value and what is expected;
    values equal to the current ones are left out."""
    unknown = sorted(set(changes) - set(CORRECTABLE_FIELDS))
    if unknown:
        raise ChitraError(
            _("These fields cannot be corrected here: %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    out: dict[str, Any] = {}
    _corrected_name(beneficiary, changes, out)
    birth = _corrected_birth(beneficiary, changes, out)
    sex = _corrected_sex(beneficiary, changes, out)
    if beneficiary.personal_id and ("sex" in out or "birth_date" in out):
        _check_against_personal_id(beneficiary.personal_id, birth, sex)
    _corrected_address(beneficiary, changes, out)
    _corrected_phone(beneficiary, changes, out)
    _corrected_commune(beneficiary, changes, out)
    return out


def _corrected_name(beneficiary: Beneficiary, changes: dict[str, Any], out: dict[str, Any]) -> None:
    if "full_name" in changes:
        name = nfc(" ".join(str(changes["full_name"] or "").split()))
        if not name or len(name) > 150:
            raise ChitraError(
                _("Full name '%(value)s': expected the full name (at most 150 characters).")
                % {"value": name[:60]}
            )
        if name != beneficiary.full_name:
            out["full_name"] = name


def _corrected_birth(
    beneficiary: Beneficiary, changes: dict[str, Any], out: dict[str, Any]
) -> dt.date:
    birth = beneficiary.birth_date
    if "birth_date" in changes or "birth_precision" in changes:
        birth = _as_date(changes.get("birth_date", beneficiary.birth_date))
        precision = changes.get("birth_precision") or beneficiary.birth_precision
        if precision not in DatePrecision.values:
            raise ChitraError(
                _("Precision of the date of birth '%(value)s': expected D, M or Y.")
                % {"value": precision}
            )
        if birth > timezone.localdate() or birth.year < 1890:
            raise ChitraError(
                _("Date of birth '%(value)s': expected a date not in the future, after 1890.")
                % {"value": birth.isoformat()}
            )
        if birth != beneficiary.birth_date:
            out["birth_date"] = birth.isoformat()
        if precision != beneficiary.birth_precision:
            out["birth_precision"] = precision
    return birth


def _corrected_sex(beneficiary: Beneficiary, changes: dict[str, Any], out: dict[str, Any]) -> str:
    sex = beneficiary.sex
    if "sex" in changes:
        sex = str(changes["sex"] or "")
        if sex not in Sex.values:
            raise ChitraError(_("Sex '%(value)s': expected M or F.") % {"value": sex})
        if sex != beneficiary.sex:
            out["sex"] = sex
    return sex


def _check_against_personal_id(personal_id: str, birth: dt.date, sex: str) -> None:
    from chitra.kernel.personal_id import PersonalIdError, check_personal_id, parse_personal_id

    try:
        problems = check_personal_id(parse_personal_id(personal_id), birth_year=birth.year, sex=sex)
    except PersonalIdError:
        problems = []
    if problems:
        raise ChitraError(
            _(
                "The corrected sex or year of birth disagrees with the personal "
                "ID number %(pid)s (its 4th to 6th digits): check the ID card."
            )
            % {"pid": personal_id}
        )


def _corrected_address(
    beneficiary: Beneficiary, changes: dict[str, Any], out: dict[str, Any]
) -> None:
    if "address" in changes:
        address = nfc(" ".join(str(changes["address"] or "").split()))
        if len(address) > 255:
            raise ChitraError(_("Address: expected at most 255 characters."))
        if address != beneficiary.address:
            out["address"] = address


def _corrected_phone(
    beneficiary: Beneficiary, changes: dict[str, Any], out: dict[str, Any]
) -> None:
    from chitra.engine.sheets.values import ValueProblem, parse_phone

    if "phone" in changes:
        raw = str(changes["phone"] or "").strip()
        try:
            phone = parse_phone(raw) if raw else ""
        except ValueProblem:
            raise ChitraError(
                _("Phone '%(value)s': expected a Vietnamese mobile number such as 0912345678.")
                % {"value": raw[:20]}
            ) from None
        if phone != beneficiary.phone:
            out["phone"] = phone


def _corrected_commune(
    beneficiary: Beneficiary, changes: dict[str, Any], out: dict[str, Any]
) -> None:
    if "commune" in changes:
        code = str(changes["commune"] or "").strip()
        commune = Commune.objects.filter(code=code).first()
        if commune is None or commune.province_id != beneficiary.commune.province_id:
            raise ChitraError(
                _(
                    "Commune '%(value)s': expected a commune of the same province "
                    "(a move to another province is a transfer, not a "
                    "correction)."
                )
                % {"value": code[:20]}
            )
        if commune.pk != beneficiary.commune_id:
            out["commune"] = commune.code


def _set_corrected(ben: Beneficiary, values: dict[str, Any]) -> None:
    """Write the values of `correction_values` on the record and save it."""
    for f, v in values.items():
        if f == "commune":
            ben.commune = Commune.objects.get(code=v)
        elif f == "birth_date":
            ben.birth_date = dt.date.fromisoformat(v)
        else:
            setattr(ben, f, v)
    if "full_name" in values:
        ben.name_folded = fold_name(ben.full_name)
    ben.save()


def correction_current(beneficiary: Beneficiary, fields: Iterable[str]) -> dict[str, Any]:
    """The record's current values of `fields`, in the form of `correction_values`."""
    out: dict[str, Any] = {}
    for f in fields:
        if f == "commune":
            out[f] = beneficiary.commune.code
        elif f == "birth_date":
            out[f] = beneficiary.birth_date.isoformat()
        else:
            out[f] = getattr(beneficiary, f)
    return out


def beneficiary_correct(
    *,
    actor: User,
    beneficiary: Beneficiary,
    changes: dict[str, Any],
    reason: str,
    expected_before: dict[str, Any] | None = None,
    source_object: Any = None,
) -> Beneficiary:
    """Correct a person's record (name, date of birth, sex, address, phone, commune) and audit
    the values before and after. `expected_before`: the values the correction was decided on;
    when the record changed since, nothing is written."""
    require_perm(actor, Perm.REGISTRY_IMPORT)
    from chitra.registry.selectors import beneficiary_get

    if not (reason or "").strip():
        raise ChitraError(_("Say why the record is corrected."))
    with transaction.atomic():
        beneficiary_get(actor, beneficiary.pk, audit=False)  # 404 when out of scope
        ben = (
            Beneficiary.objects.select_for_update(of=("self",))
            .select_related("commune")
            .get(pk=beneficiary.pk)
        )
        if expected_before is not None:
            now = correction_current(ben, expected_before)
            if now != expected_before:
                raise ChitraError(
                    _(
                        "The record changed since the correction was requested: "
                        "record a new request from the current values."
                    )
                )
        values = correction_values(ben, changes)
        if not values:
            raise ChitraError(_("Nothing to correct: the record already holds these values."))
        before = correction_current(ben, values)
        _set_corrected(ben, values)
        source = (
            f"{source_object._meta.label_lower}#{source_object.pk}"
            if source_object is not None
            else ""
        )
        audit_record(
            actor,
            "registry.beneficiary.correct",
            obj=ben,
            before=before,
            after={**values, **({"source": source} if source else {})},
            reason=reason,
        )
    return ben
