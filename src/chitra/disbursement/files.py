"""Payment files of a batch: written once at release, recorded with their SHA-256, never
written again. Reading a file checks its hash first."""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import json
import logging
import os
import secrets
import shutil
import socket
import threading
import time
from collections.abc import Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Count, OuterRef, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core import crypto
from chitra.core.crypto import mask
from chitra.core.errors import ChitraError
from chitra.disbursement.models import (
    CASH_CHANNELS,
    Batch,
    Channel,
    LineStatus,
    PaymentFile,
    PayrollLine,
    ProviderProfile,
)
from chitra.engine import iso20022
from chitra.engine.documents import cash_list, provider_files
from chitra.geo.models import Commune
from chitra.kernel.files import move_into_place
from chitra.kernel.hashing import sha256_file
from chitra.payment_methods.models import Account, Provider, ProviderKind
from chitra.registry.models import BENEFIT_LABELS_VI, Beneficiary, BenefitType, Representative

if TYPE_CHECKING:
    from chitra.iam.models import User

log = logging.getLogger(__name__)

#: the default columns of a provider's CSV/XLSX file (a ProviderProfile may change them)
DEFAULT_TABLE_PROFILE = provider_files.FileProfile(
    columns=(
        ("Mã thanh toán", "reference"),
        ("Số tài khoản", "account"),
        ("Tên người nhận", "payee"),
        ("Số tiền", "amount"),
        ("Loại tiền", "currency"),
        ("Kỳ", "period"),
        ("Ngày chi trả", "pay_date"),
        ("Nội dung", "remittance"),
    )
)


def files_root() -> Path:
    return Path(settings.CHITRA_PAYMENT_FILES_DIR)


def provider_formats(batch: Batch) -> tuple[list[str], provider_files.FileProfile]:
    profile = (
        ProviderProfile.objects.filter(provider_id=batch.provider_id).first()
        if batch.provider_id is not None
        else None
    )
    if profile is not None:
        formats = [f.strip() for f in profile.formats.split(",") if f.strip()]
        table = (
            provider_files.FileProfile.from_json(profile.table_profile)
            if profile.table_profile
            else DEFAULT_TABLE_PROFILE
        )
        return formats, table
    kind = batch.provider.kind if batch.provider else ""
    if kind == ProviderKind.BANK:
        return ["pain001", "csv"], DEFAULT_TABLE_PROFILE
    return ["csv", "xlsx"], DEFAULT_TABLE_PROFILE


def _remittance(period: Any, benefit: str) -> str:
    label = BENEFIT_LABELS_VI.get(benefit, (benefit,))[0]
    return f"BHXH chi {label} thang {period:%m/%Y}"


#: rows read (and decrypted, in one call) at a time
ACCOUNT_PAGE_ROWS = 20_000
#: a batch of at least this many lines is decrypted in worker processes (starting them costs
#: a fraction of a second: not worth it for small batches)
POOL_MIN_ROWS = 50_000


@contextlib.contextmanager
def _planned_for_all_rows() -> Iterator[None]:
    """PostgreSQL plans a cursor for its first 10 % of rows (cursor_tuple_fraction): for a
    batch that is an index scan of all lines by reference and a lookup per line, several
    times slower to read whole than a hash join and one sort. Plan the next DECLARE for all
    its rows, then restore the setting."""
    if connection.vendor != "postgresql":
        yield
        return
    local = connection.in_atomic_block  # in autocommit a local setting would end at once
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('cursor_tuple_fraction')")
        (before,) = cursor.fetchone()
        cursor.execute("SELECT set_config('cursor_tuple_fraction', '1', %s)", [local])
    restore = "SELECT set_config('cursor_tuple_fraction', %s, %s)"
    try:
        yield
    except BaseException:
        if not local:  # the session setting outlives the failed statement
            with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
                cursor.execute(restore, [before, local])
        raise  # in a transaction: rolled back with it
    with connection.cursor() as cursor:
        cursor.execute(restore, [before, local])


def _account_pages(
    batch_ids: list[int],
) -> Generator[tuple[list[tuple[Any, ...]], list[str]], None, None]:
    """The batches' (batch, reference, encrypted account, payee, amount, period, benefit, bin,
    line id, UETR, beneficiary's personal ID, SI number and name, the account's
    representative's personal ID or NULL, the payee's as a representative or NULL) rows
    ordered by batch and reference, a page at a time with the page's tokens: one query (one
    pass over the accounts for all the batches), through a server-side cursor on
    PostgreSQL."""
    qn = connection.ops.quote_name
    line, account, provider = PayrollLine._meta, Account._meta, Provider._meta
    person, rep = Beneficiary._meta, Representative._meta

    def col(meta: Any, name: str) -> str:
        return qn(meta.get_field(name).column)

    marks = ", ".join(["%s"] * len(batch_ids))
    sql = (
        f"SELECT l.{col(line, 'batch')}, l.{col(line, 'reference')}, "
        f"a.{col(account, 'number_encrypted')}, "
        f"l.{col(line, 'payee_name')}, l.{col(line, 'amount')}, "
        f"l.{col(line, 'period_month')}, l.{col(line, 'benefit_type')}, "
        f"p.{col(provider, 'code')}, l.{col(line, 'id')}, l.{col(line, 'uetr')}, "
        f"b.{col(person, 'personal_id')}, b.{col(person, 'si_number')}, "
        f"b.{col(person, 'full_name')}, r.{col(rep, 'personal_id')}, "
        # the beneficiary's representative named as the payee (only looked for then)
        f"CASE WHEN l.{col(line, 'payee_name')} <> b.{col(person, 'full_name')} THEN "
        f"(SELECT MIN(n.{col(rep, 'personal_id')}) FROM {qn(rep.db_table)} n "
        f"WHERE n.{col(rep, 'beneficiary')} = l.{col(line, 'beneficiary')} "
        f"AND n.{col(rep, 'full_name')} = l.{col(line, 'payee_name')}) END "
        f"FROM {qn(line.db_table)} l "
        f"LEFT JOIN {qn(account.db_table)} a ON a.{col(account, 'id')} = "
        f"l.{col(line, 'account')} "
        f"LEFT JOIN {qn(provider.db_table)} p ON p.{col(provider, 'id')} = "
        f"l.{col(line, 'provider')} "
        f"LEFT JOIN {qn(person.db_table)} b ON b.{col(person, 'id')} = "
        f"l.{col(line, 'beneficiary')} "
        f"LEFT JOIN {qn(rep.db_table)} r ON r.{col(rep, 'id')} = "
        f"a.{col(account, 'representative')} "
        f"WHERE l.{col(line, 'batch')} IN ({marks}) "
        f"AND l.{col(line, 'status')} <> 'cancelled' "  # withdrawn before release
        f"ORDER BY l.{col(line, 'batch')}, l.{col(line, 'reference')}"
    )
    with connection.chunked_cursor() as cursor:
        with _planned_for_all_rows():
            cursor.execute(sql, list(batch_ids))
        while page := cursor.fetchmany(ACCOUNT_PAGE_ROWS):
            yield page, [r[2] for r in page]


def _account_rows_of(
    batch_ids: list[int], lines: int, pay_date: dt.date | None = None
) -> Iterator[tuple[int, dict[str, Any]]]:
    """(batch id, row of its files) for the batches' `lines` lines, ordered by batch and
    reference, account numbers decrypted a page at a time (by worker processes when there
    are many, while this process reads the next pages). `pay_date`: the date the accounts
    are credited (the cycle's), in every row."""
    workers = crypto.pool_workers() if lines >= POOL_MIN_ROWS else 0
    # (period as read, benefit) -> (period "MM/YYYY", remittance): a handful per batch
    texts: dict[tuple[Any, str], tuple[str, str]] = {}
    with (
        contextlib.closing(_account_pages(batch_ids)) as source,
        contextlib.closing(crypto.decrypt_pages(source, workers=workers)) as pages,
    ):
        for page, accounts in pages:
            numbers: Iterable[str] = (
                accounts
                if accounts is not None
                # a token that cannot be decrypted: the rows before it, then decrypt's error
                else (crypto.decrypt(r[2]) for r in page)
            )
            for (
                (bid, ref, _enc, payee, amount, period, benefit, bin_code, *person),
                number,
            ) in zip(page, numbers, strict=True):
                try:
                    month, remittance = texts[period, benefit]
                except KeyError:
                    # (a raw cursor could give the date as text)
                    day = dt.date.fromisoformat(period) if isinstance(period, str) else period
                    month, remittance = texts.setdefault(
                        (period, benefit), (f"{day:%m/%Y}", _remittance(day, benefit))
                    )
                yield (
                    bid,
                    {
                        "reference": ref,
                        "account": number,
                        "payee": payee,
                        "amount": amount,
                        "currency": "VND",
                        "period": month,
                        "pay_date": pay_date,
                        "remittance": remittance,
                        "bin": bin_code,
                        "benefit": benefit,
                        **_party(payee, *person),
                    },
                )


def _party(
    payee: str,
    line_id: int,
    uetr: str | None,
    personal_id: str | None,
    si_number: str | None,
    full_name: str,
    account_rep_pid: str | None,
    named_rep_pid: str | None,
) -> dict[str, Any]:
    """The pain.001 party fields of a row: the line id (`InstrId`), its UETR, the creditor's
    identification and, when a representative is paid (the line's payee is not the
    beneficiary, as the payroll decided from the payment method), the beneficiary as the
    ultimate creditor. A representative is identified by their personal ID (the account's
    representative's, else that of the beneficiary's representative named as the payee; none
    when neither is known); a beneficiary by theirs (NIDN) or else their social insurance
    number (SOSE)."""
    own_id, own_scheme = (personal_id, "NIDN") if personal_id else (si_number or "", "SOSE")
    if payee == full_name:
        return {
            "line_id": line_id,
            "uetr": uetr or "",
            "creditor_id": own_id,
            "creditor_id_scheme": own_scheme,
            "ultimate_name": "",
            "ultimate_id": "",
            "ultimate_id_scheme": "NIDN",
        }
    return {
        "line_id": line_id,
        "uetr": uetr or "",
        "creditor_id": account_rep_pid or named_rep_pid or "",
        "creditor_id_scheme": "NIDN",
        "ultimate_name": full_name,
        "ultimate_id": own_id,
        "ultimate_id_scheme": own_scheme,
    }


def _account_rows(batch: Batch) -> Iterator[dict[str, Any]]:
    """The rows of a bank or mobile-money batch's files, ordered by reference."""
    for _bid, row in _account_rows_of(
        [batch.pk], batch.declared_count, batch.cycle.account_credit_date
    ):
        yield row


def _relative(batch: Batch) -> Path:
    c = batch.cycle
    return Path(c.province.code) / f"{c.month:%Y-%m}" / batch.reference


def _record(
    batch: Batch,
    actor: User,
    kind: str,
    path: Path,
    rows: int,
    amount: int,
    sha: str,
    commune: Commune | None = None,
    *,
    message_id: str | None = None,
    payment_blocks: list[dict[str, Any]] | None = None,
) -> PaymentFile:
    """Record a file written in the release's staging directory under its final name (the
    staging directory is moved there before the release commits)."""
    return PaymentFile.objects.create(
        batch=batch,
        kind=kind,
        commune=commune,
        name=path.name,
        path=str(_relative(batch) / path.name),
        sha256=sha,
        rows=rows,
        amount=amount,
        message_id=message_id,
        payment_blocks=payment_blocks or [],
        created_by=actor,
    )


# --- staging: a release's files are written apart and moved into place at its commit ---------

#: the staging area, inside the file store (same file system: moving a directory is a rename)
STAGING_DIR = ".partial"
MANIFEST = "manifest.json"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Staging:
    """The files of one release, written under
    ``<store>/.partial/release-<cycle>-<epoch>-<pid>-<token>-<host>/<batch reference>/`` and
    moved into place by :meth:`publish`, the release transaction's last step before it
    commits (ADR 0008). A committed release then has every file in place; a release that did
    not commit has none: on an error :meth:`abandon` removes what it wrote (published
    directories too, unless the database shows the release did commit); after a killed
    process `release_leftovers_sweep` does the same from the manifest."""

    def __init__(self, cycle: Any) -> None:
        name = (
            f"release-{cycle.pk}-{int(time.time())}-{os.getpid()}-"
            f"{secrets.token_hex(4)}-{socket.gethostname()}"
        )
        self.root = files_root() / STAGING_DIR / name
        self.root.mkdir(parents=True)
        self.cycle_id = cycle.pk
        self._batches: dict[int, tuple[Batch, Path]] = {}
        self._published: list[tuple[int, Path]] = []
        self._lock = threading.Lock()

    def directory(self, batch: Batch) -> Path:
        """The (new, empty) staging directory of a batch's files."""
        with self._lock:
            directory = self.root / batch.reference
            if directory.exists():
                shutil.rmtree(directory)
            directory.mkdir()
            self._batches[batch.pk] = (batch, directory)
            return directory

    def publish(self) -> None:
        """Move every batch's directory into place (after the files reach the disk). The
        manifest written first lets a sweep undo the moves of a release killed before its
        commit."""
        manifest = {
            "cycle": self.cycle_id,
            "batches": {str(pk): str(_relative(b)) for pk, (b, _d) in self._batches.items()},
        }
        (self.root / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
        for _pk, (_b, staged) in self._batches.items():
            for f in staged.iterdir():
                _fsync(f)
            _fsync(staged)
        _fsync(self.root)
        parents: set[Path] = set()
        for pk, (batch, staged) in self._batches.items():
            final = files_root() / _relative(batch)
            if final.exists():
                # left by a release that died before its transaction ended (nothing recorded
                # them, nothing was sent): this release holds the cycle's lock
                shutil.rmtree(final)
            final.parent.mkdir(parents=True, exist_ok=True)
            move_into_place(staged, final)  # a directory: final was removed above
            self._published.append((pk, final))
            parents.add(final.parent)
        for parent in parents:
            _fsync(parent)

    def committed(self) -> None:
        """After the commit: the staging directory (now only the manifest) goes."""
        shutil.rmtree(self.root, ignore_errors=True)

    def abandon(self) -> None:
        """After a failure: remove the staged files and the published directories the
        database does not record (when it cannot be asked, the sweep decides later)."""
        if self._published:
            try:
                recorded = set(
                    PaymentFile.objects.filter(
                        batch_id__in=[pk for pk, _f in self._published]
                    ).values_list("batch_id", flat=True)
                )
            except DatabaseError:
                log.exception("release of cycle %s: files left for the sweep", self.cycle_id)
                return
            for pk, final in self._published:
                if pk not in recorded:
                    shutil.rmtree(final, ignore_errors=True)
        shutil.rmtree(self.root, ignore_errors=True)


def _tree_mtime(root: Path) -> float:
    newest = root.stat().st_mtime
    for dirpath, _dirs, names in os.walk(root):
        for n in names:
            with contextlib.suppress(OSError):
                newest = max(newest, os.stat(os.path.join(dirpath, n)).st_mtime)
    return newest


def _cycle_busy(cycle_id: int) -> bool:
    """On PostgreSQL: a release of the cycle holds its row lock (for its whole transaction)."""
    from chitra.disbursement.models import Cycle

    if connection.vendor != "postgresql":
        return False
    from django.db import transaction

    with transaction.atomic():
        exists = Cycle.objects.filter(pk=cycle_id).exists()
        free = Cycle.objects.select_for_update(skip_locked=True).filter(pk=cycle_id).exists()
    return exists and not free


def _abandoned(path: Path, now: float) -> bool:
    from chitra.core.jobs import process_alive

    parts = path.name.split("-", 5)
    if len(parts) != 6 or parts[0] != "release" or not all(p.isdigit() for p in parts[1:4]):
        return now - _tree_mtime(path) > settings.CHITRA_RELEASE_TEMP_MAX_AGE_SECONDS
    _prefix, cycle, epoch, pid, _token, host = parts
    if _cycle_busy(int(cycle)):
        return False
    if host == socket.gethostname():
        began = dt.datetime.fromtimestamp(int(epoch), dt.UTC)
        return not process_alive(int(pid), started_before=began)
    return now - _tree_mtime(path) > settings.CHITRA_RELEASE_TEMP_MAX_AGE_SECONDS


def release_leftovers_sweep() -> list[str]:
    """Remove the staging directories of releases whose process is gone (this host) or that
    are older than CHITRA_RELEASE_TEMP_MAX_AGE_SECONDS (another host), and the directories
    such a release had moved into place before it died uncommitted (its manifest names them;
    the database says whether they were recorded). Returns the paths removed."""
    area = files_root() / STAGING_DIR
    if not area.is_dir():
        return []
    removed: list[str] = []
    now = time.time()
    for path in sorted(area.iterdir()):
        if not path.is_dir() or not _abandoned(path, now):
            continue
        manifest = path / MANIFEST
        if manifest.is_file():
            try:
                batches = json.loads(manifest.read_text("utf-8")).get("batches", {})
            except ValueError:
                batches = {}
            recorded = set(
                PaymentFile.objects.filter(
                    batch_id__in=[int(k) for k in batches if str(k).isdigit()]
                ).values_list("batch_id", flat=True)
            )
            for pk, rel in batches.items():
                final = files_root() / rel
                parts = Path(rel).parts
                if (
                    int(pk) not in recorded
                    and final.is_dir()
                    and len(parts) == 3
                    and not {STAGING_DIR, "..", "."} & set(parts)
                ):
                    shutil.rmtree(final, ignore_errors=True)
                    removed.append(str(final))
        shutil.rmtree(path, ignore_errors=True)
        removed.append(str(path))
        log.warning("removed the leftover files of a release that did not finish: %s", path)
    return removed


@dataclass
class PreparedBatch:
    """A bank or mobile-money batch ready to be written: its directory, formats and rows (read
    and decrypted once for all its files)."""

    batch: Batch
    directory: Path
    formats: list[str]
    table: provider_files.FileProfile
    rows: list[dict[str, Any]] | None = None
    #: what the pain.001 needs from the database besides the rows (read with the shell)
    pain001: Pain001Setup | None = None


@dataclass(frozen=True)
class FileDraft:
    """A file written to disk, not yet recorded."""

    kind: str
    path: Path
    rows: int
    amount: int
    sha256: str
    #: a pain.001's MsgId and PmtInf blocks (see PaymentFile)
    message_id: str | None = None
    payment_blocks: tuple[dict[str, Any], ...] = ()


def _batch_directory(batch: Batch, staging: Staging) -> Path:
    """The staging directory where a batch's files are written."""
    if PaymentFile.objects.filter(batch=batch).exists():
        raise ChitraError(
            _("Files of batch %(ref)s exist already: a released file is never written again.")
            % {"ref": batch.reference}
        )
    return staging.directory(batch)


def prepare_account_batch(
    batch: Batch, staging: Staging, *, read_rows: bool = True
) -> PreparedBatch:
    """Everything a bank or mobile-money batch's files need from the database: afterwards
    `write_prepared` writes them without a query (the release moves the entitlements'
    paid-through month in the database meanwhile)."""
    prep = _prepared_shell(batch, staging)
    assign_uetrs([batch.pk])
    if read_rows or len(prep.formats) > 1:
        prep.rows = list(_account_rows(batch))
    return prep


def _prepared_shell(batch: Batch, staging: Staging) -> PreparedBatch:
    directory = _batch_directory(batch, staging)
    formats, table = provider_formats(batch)
    bad = [f for f in formats if f not in ("pain001", "csv", "xlsx")]
    if bad:
        raise ChitraError(
            _("Unknown file format %(fmt)s in the profile of %(provider)s.")
            % {"fmt": bad[0], "provider": batch.provider}
        )
    setup = pain001_setup(batch) if "pain001" in formats else None
    return PreparedBatch(batch, directory, formats, table, pain001=setup)


def prepare_account_batches(
    batches: list[Batch], staging: Staging
) -> Generator[PreparedBatch, None, None]:
    """`prepare_account_batch` for several batches, their rows read by one query: each batch
    is yielded as soon as its rows are read and decrypted."""
    preps = {b.pk: _prepared_shell(b, staging) for b in batches}
    ids = sorted(preps)
    if not ids:
        return
    assign_uetrs(ids)
    done: set[int] = set()
    current: int | None = None
    rows: list[dict[str, Any]] = []
    # the batches of one release are of one cycle: one pay date
    pay_date = batches[0].cycle.account_credit_date
    for bid, row in _account_rows_of(ids, sum(b.declared_count for b in batches), pay_date):
        if bid != current:
            if current is not None:
                preps[current].rows, rows = rows, []
                done.add(current)
                yield preps[current]
            current = bid
        rows.append(row)
    if current is not None:
        preps[current].rows = rows
        done.add(current)
        yield preps[current]
    for bid in ids:  # a batch without lines (never kept by compute) still gets its files
        if bid not in done:
            preps[bid].rows = []
            yield preps[bid]


def write_prepared(
    prep: PreparedBatch, progress: Callable[[int], None] | None = None
) -> list[FileDraft]:
    """Write the files of a prepared batch (rows read when they were not prepared)."""
    batch, directory, table = prep.batch, prep.directory, prep.table

    def lines() -> Iterable[dict[str, Any]]:
        return prep.rows if prep.rows is not None else _account_rows(batch)

    out: list[FileDraft] = []
    for fmt in prep.formats:
        if fmt == "pain001":
            out.append(_write_pain001(batch, directory, prep.rows, prep.pain001))
        elif fmt == "csv":
            path = directory / f"{batch.reference}.csv"
            n, sha = provider_files.write_csv(path, table, lines())
            out.append(FileDraft(PaymentFile.Kind.CSV, path, n, batch.declared_amount, sha))
        else:  # xlsx
            for path, n, sha in provider_files.write_xlsx_parts(
                directory, batch.reference, table, lines()
            ):
                amount = batch.declared_amount if n == batch.declared_count else 0
                out.append(FileDraft(PaymentFile.Kind.XLSX, path, n, amount, sha))
        if progress:
            progress(batch.declared_count)
    for f in out:
        if f.kind in (PaymentFile.Kind.CSV, PaymentFile.Kind.PAIN001) and (
            f.rows != batch.declared_count
        ):
            raise ChitraError(
                _("File %(name)s has %(n)s lines, the batch declares %(d)s.")
                % {"name": f.path.name, "n": f.rows, "d": batch.declared_count}
            )
    return out


def record_drafts(batch: Batch, actor: User, drafts: list[FileDraft]) -> list[PaymentFile]:
    return [
        _record(
            batch,
            actor,
            d.kind,
            d.path,
            d.rows,
            d.amount,
            d.sha256,
            message_id=d.message_id,
            payment_blocks=list(d.payment_blocks),
        )
        for d in drafts
    ]


def write_batch_files(
    batch: Batch, *, actor: User, staging: Staging, progress: Callable[[int], None] | None = None
) -> list[PaymentFile]:
    """Write every file of one batch into the release's staging directory and record them
    under their final names."""
    if batch.channel in CASH_CHANNELS:
        return _cash_files(batch, actor, _batch_directory(batch, staging))
    prep = prepare_account_batch(batch, staging, read_rows=False)
    return record_drafts(batch, actor, write_prepared(prep, progress))


#: the category purpose of a benefit's transfers (`PmtInf/PmtTpInf/CtgyPurp`): one PmtInf
#: block per category in a file, pensions first
CATEGORY_PURPOSE = {BenefitType.PENSION: "PENS"}
OTHER_CATEGORY = "SSBE"  # other social security benefits
#: the purpose of a line (`CdtTrfTxInf/Purp`, ISO ExternalPurpose1Code)
PURPOSE = {BenefitType.PENSION: "PENS", BenefitType.UNEMPLOYMENT: "BENE"}
OTHER_PURPOSE = "SSBE"
CATEGORY_ORDER = ("PENS", OTHER_CATEGORY)


def category_of(benefit: str) -> str:
    return CATEGORY_PURPOSE.get(benefit, OTHER_CATEGORY)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Pain001Setup:
    """What a batch's pain.001 takes from the database besides its lines: the initiating
    party (the province's BHXH organisation: name, tax code) and the provider's profile."""

    initiating_party: str
    tax_code: str | None
    service_level: str | None
    local_instrument: str | None
    name_style: str


def pain001_setup(batch: Batch) -> Pain001Setup:
    from chitra.iam.models import Organisation, OrgKind

    org = (
        Organisation.objects.filter(
            kind=OrgKind.BHXH_PROVINCE, province_id=batch.cycle.province_id, is_active=True
        )
        .order_by("pk")
        .first()
    )
    profile = (
        ProviderProfile.objects.filter(provider_id=batch.provider_id).first()
        if batch.provider_id is not None
        else None
    )
    return Pain001Setup(
        initiating_party=org.name if org else settings.CHITRA_DEBTOR_NAME,
        tax_code=(org.tax_code or None) if org else None,
        service_level=(profile.service_level or None) if profile else None,
        local_instrument=(profile.local_instrument or None) if profile else None,
        name_style=profile.name_style if profile else "unicode",
    )


def new_message_id(batch: Batch) -> str:
    """A pain.001 MsgId: the batch reference (for people) and 48 random bits (so that no two
    files share one, whatever is written again); unique in the database too."""
    return f"{batch.reference[:22]}-{secrets.token_hex(6).upper()}"


def _block_rows(
    batch: Batch,
    rows: list[dict[str, Any]] | None,
    read: Callable[[], Iterable[dict[str, Any]]],
) -> tuple[list[tuple[str, int, int]], Callable[[str], Iterable[dict[str, Any]]]]:
    """The (category, count, total) of each category the batch's lines fall in, in
    CATEGORY_ORDER, and a function giving the rows of one category (from the prepared rows,
    or read again from the database when they were not prepared)."""
    totals: dict[str, list[int]] = {}
    if rows is not None:
        for r in rows:
            t = totals.setdefault(category_of(r["benefit"]), [0, 0])
            t[0] += 1
            t[1] += r["amount"]
    else:
        by_benefit = (
            PayrollLine.objects.filter(batch=batch)
            .exclude(status=LineStatus.CANCELLED)
            .values_list("benefit_type")
            .annotate(n=Count("pk"), s=Sum("amount"))
        )
        for benefit, n, total in by_benefit:
            t = totals.setdefault(category_of(benefit), [0, 0])
            t[0] += n
            t[1] += total
    blocks = [(c, totals[c][0], totals[c][1]) for c in CATEGORY_ORDER if c in totals]

    def of(category: str) -> Iterable[dict[str, Any]]:
        source = rows if rows is not None else read()
        return (r for r in source if category_of(r["benefit"]) == category)

    return blocks, of


def _write_pain001(
    batch: Batch,
    directory: Path,
    rows: list[dict[str, Any]] | None,
    setup: Pain001Setup | None = None,
    *,
    read: Callable[[], Iterable[dict[str, Any]]] | None = None,
    message_id: str | None = None,
) -> FileDraft:
    """A batch's pain.001: one PmtInf block per category purpose, each streamed from the
    rows of its lines (`rows` prepared, else `read()` again per block: by default the rows
    with their accounts decrypted). `message_id`: a masked copy's (the original's); else a
    new one."""
    setup = setup or pain001_setup(batch)
    categories, rows_of = _block_rows(batch, rows, read or (lambda: _account_rows(batch)))
    blocks = tuple(
        iso20022.PaymentBlock(f"{batch.reference[:30]}-{c}", n, total, c)
        for c, n, total in categories
    )
    # the requested execution date is the cycle's scheduled account credit date, not the day
    # the file is written
    header = iso20022.Pain001Header(
        message_id=message_id or new_message_id(batch),
        created_at=timezone.now(),
        initiating_party=setup.initiating_party,
        initiating_party_id=setup.tax_code,
        execution_date=batch.cycle.account_credit_date,
        debtor_name=settings.CHITRA_DEBTOR_NAME,
        debtor_account=settings.CHITRA_DEBTOR_ACCOUNT,
        debtor_agent_bin=settings.CHITRA_DEBTOR_BIN,
        control_count=batch.declared_count,
        control_sum=batch.declared_amount,
        service_level=setup.service_level,
        local_instrument=setup.local_instrument,
        name_style=setup.name_style,
        blocks=blocks,
    )
    transfers = (_transfer(r, i) for i, (c, _n, _t) in enumerate(categories) for r in rows_of(c))
    path = directory / f"{batch.reference}.xml"
    with path.open("wb") as fh:
        sha = iso20022.write_pain001(fh, header, transfers)
    sent = tuple(
        {
            "pmt_inf_id": b.payment_info_id,
            "batch_id": batch.pk,
            "category_purpose": b.category_purpose,
            "count": b.control_count,
            "total": b.control_sum,
        }
        for b in blocks
    )
    return FileDraft(
        PaymentFile.Kind.PAIN001,
        path,
        batch.declared_count,
        batch.declared_amount,
        sha,
        message_id=header.message_id,
        payment_blocks=sent,
    )


def _transfer(r: dict[str, Any], block: int) -> iso20022.CreditTransfer:
    return iso20022.CreditTransfer(
        end_to_end_id=r["reference"],
        amount=r["amount"],
        creditor_name=r["payee"],
        creditor_account=r["account"],
        creditor_agent_bin=r["bin"],
        remittance_info=r["remittance"],
        instruction_id=str(r["line_id"]),
        uetr=r["uetr"],
        purpose=PURPOSE.get(r["benefit"], OTHER_PURPOSE),  # type: ignore[call-overload]
        creditor_id=r["creditor_id"],
        creditor_id_scheme=r["creditor_id_scheme"],
        ultimate_creditor_name=r["ultimate_name"],
        ultimate_creditor_id=r["ultimate_id"],
        ultimate_creditor_id_scheme=r["ultimate_id_scheme"],
        block=block,
    )


def assign_uetrs(batch_ids: list[int]) -> int:
    """Give every line of these (cashless) batches that has none a UETR, a lower-case UUID v4
    made by the database (one UPDATE). Returns the lines given one."""
    if not batch_ids:
        return 0
    if connection.vendor == "postgresql":
        expr = "gen_random_uuid()::text"
    else:  # SQLite: a v4 UUID from random bytes (version nibble 4, variant 8-b)
        expr = (
            "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
            "substr(lower(hex(randomblob(2))), 2) || '-' || "
            "substr('89ab', 1 + (abs(random()) %% 4), 1) || "  # %% : a query with parameters
            "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
        )
    marks = ", ".join(["%s"] * len(batch_ids))
    qn = connection.ops.quote_name
    with connection.cursor() as cur:
        cur.execute(
            f"UPDATE {qn(PayrollLine._meta.db_table)} SET uetr = {expr} "
            f"WHERE batch_id IN ({marks}) AND uetr IS NULL AND status <> 'cancelled' "
            f"AND account_id IS NOT NULL",
            list(batch_ids),
        )
        return int(cur.rowcount)


def _cash_rows(batch: Batch) -> Iterator[tuple[int, Any]]:
    qs = (
        PayrollLine.objects.filter(batch=batch)
        .exclude(status=LineStatus.CANCELLED)
        .order_by("commune_id", "beneficiary__name_folded", "reference")
        .values_list(
            "commune_id",
            "reference",
            "beneficiary__full_name",
            "beneficiary__personal_id",
            "beneficiary__si_number",
            "beneficiary__address",
            "benefit_type",
            "period_month",
            "amount",
            "payee_name",
        )
        .iterator(chunk_size=20_000)
    )
    for commune_id, ref, name, pid, si, address, benefit, period, amount, payee in qs:
        yield (
            commune_id,
            cash_list.CashRow(
                reference=ref,
                full_name=name,
                id_masked=mask(pid) if pid else mask(si or ""),
                address=address,
                benefit=BENEFIT_LABELS_VI.get(benefit, (benefit,))[0],
                period=f"{period:%m/%Y}",
                amount=amount,
                payee=payee,
            ),
        )


def place_name(name: str) -> str:
    """A province or commune as the date line of a document names it, without its kind:
    "Tỉnh Tuyên Quang" → "Tuyên Quang" ("Tuyên Quang, ngày 03 tháng 12 năm 2026")."""
    for kind in ("Thành phố ", "Tỉnh ", "Phường ", "Xã ", "Đặc khu "):
        if name.startswith(kind):
            return name[len(kind) :]
    return name


def _cash_files(batch: Batch, actor: User, directory: Path) -> list[PaymentFile]:
    c = batch.cycle
    communes = {
        x.pk: x
        for x in Commune.objects.filter(
            pk__in=PayrollLine.objects.filter(batch=batch)
            .exclude(status=LineStatus.CANCELLED)
            .values("commune_id")
        )
    }
    title = (
        _("CASH PAYMENT LIST OF PENSIONS AND SOCIAL INSURANCE BENEFITS")
        if batch.channel == Channel.CASH_PAY_POINT
        else _("HOME DELIVERY LIST OF PENSIONS AND SOCIAL INSURANCE BENEFITS")
    )
    out: list[PaymentFile] = []
    for commune_id, group in itertools.groupby(_cash_rows(batch), key=lambda t: t[0]):
        rows = [r for _c, r in group]
        commune = communes[commune_id]
        where = (
            _("Pay point: %(commune)s")
            if batch.channel == Channel.CASH_PAY_POINT
            else _("Home delivery: %(commune)s")
        ) % {"commune": commune.name}
        subtitle = (
            _("Months %(months)s — %(where)s — paid from %(date)s")
            if c.two_months
            else _("Month %(months)s — %(where)s — paid from %(date)s")
        )
        header = cash_list.CashListHeader(
            authority=_("SOCIAL INSURANCE OF %(province)s")
            % {"province": str(c.province.name).upper()},
            title=title,
            subtitle=subtitle
            % {"months": c.months_label, "where": where, "date": f"{c.cash_from_date:%d/%m/%Y}"},
            batch_reference=batch.reference,
            printed_on=timezone.localdate(),
            place=place_name(str(c.province.name)),
        )
        stem = f"{batch.reference}-{commune.code}"
        pdf = directory / f"{stem}.pdf"
        n, amount, sha = cash_list.write_cash_list_pdf(pdf, header, rows)
        out.append(_record(batch, actor, PaymentFile.Kind.CASH_PDF, pdf, n, amount, sha, commune))
        xlsx = directory / f"{stem}.xlsx"
        n, amount, sha = cash_list.write_cash_list_xlsx(xlsx, header, rows)
        out.append(_record(batch, actor, PaymentFile.Kind.CASH_XLSX, xlsx, n, amount, sha, commune))
    return out


def checked_path(pf: PaymentFile) -> Path:
    """The file on disk, after checking it is byte for byte the one released."""
    path = files_root() / pf.path
    if not path.is_file():
        raise ChitraError(_("File %(name)s is missing from the file store.") % {"name": pf.name})
    if sha256_file(path) != pf.sha256:
        raise ChitraError(
            _(
                "File %(name)s was altered after release (SHA-256 differs): do "
                "not send it; report it to the administrator."
            )
            % {"name": pf.name}
        )
    return path


def export_files(files: Iterable[PaymentFile], out_dir: Path, *, actor: User) -> list[Path]:
    """Copy released files into `out_dir` as `payment_file_download` gives them to `actor`
    (checked; masked copies for those who may not have full account numbers; audited)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    copied = []
    for pf in files:
        got = payment_file_download(actor=actor, payment_file=pf, directory=out_dir)
        if got.path.parent != out_dir:
            dst = out_dir / got.name
            shutil.copyfile(got.path, dst)
            copied.append(dst)
        else:
            copied.append(got.path)
    return copied


# --------------------------------------------------------------------------------------------
# downloads: full account numbers only to those who send or pay the file
# --------------------------------------------------------------------------------------------

#: the kinds that hold full account numbers (cash lists hold masked IDs and no account)
ACCOUNT_KINDS = frozenset({PaymentFile.Kind.PAIN001, PaymentFile.Kind.CSV, PaymentFile.Kind.XLSX})
MASKED_SUFFIX = "-ban-che"


@dataclass(frozen=True)
class Download:
    path: Path
    name: str
    full_numbers: bool
    #: a masked copy made for this download (removed once sent)
    temporary: bool


def _masked_rows(batch: Batch) -> Iterator[dict[str, Any]]:
    """The rows of a bank or mobile-money batch's files with the accounts masked: the same
    layout, read without decrypting anything (the last four digits are kept apart)."""
    pay_date = batch.cycle.account_credit_date
    named = Representative.objects.filter(
        beneficiary=OuterRef("beneficiary"), full_name=OuterRef("payee_name")
    ).order_by("personal_id")
    qs = (
        PayrollLine.objects.filter(batch=batch)
        .exclude(status=LineStatus.CANCELLED)
        .annotate(named_rep_pid=Subquery(named.values("personal_id")[:1]))
        .order_by("reference")
        .values_list(
            "reference",
            "account__number_last4",
            "payee_name",
            "amount",
            "period_month",
            "benefit_type",
            "provider__code",
            "id",
            "uetr",
            "beneficiary__personal_id",
            "beneficiary__si_number",
            "beneficiary__full_name",
            "account__representative__personal_id",
            "named_rep_pid",
        )
        .iterator(chunk_size=20_000)
    )
    for ref, last4, payee, amount, period, benefit, bin_code, *person in qs:
        party = _party(payee, *person)
        for key in ("creditor_id", "ultimate_id"):  # identity numbers are masked too
            if party[key]:
                party[key] = mask(party[key])
        yield {
            "reference": ref,
            "account": mask("0" * 6 + (last4 or ""))[-10:],
            "payee": payee,
            "amount": amount,
            "currency": "VND",
            "period": f"{period:%m/%Y}",
            "pay_date": pay_date,
            "remittance": _remittance(period, benefit),
            "bin": bin_code,
            "benefit": benefit,
            **party,
        }


def masked_copy(pf: PaymentFile, directory: Path) -> Path:
    """A copy of an account file with every account number masked (`******6789`), written
    into `directory` by the same writer and profile as the original."""
    import tempfile

    batch = pf.batch
    stem, ext = Path(pf.name).stem, Path(pf.name).suffix
    work = Path(tempfile.mkdtemp(prefix=".masked-", dir=directory))
    try:
        if pf.kind == PaymentFile.Kind.PAIN001:
            out = _write_pain001(
                batch, work, None, read=lambda: _masked_rows(batch), message_id=pf.message_id
            ).path
        elif pf.kind == PaymentFile.Kind.CSV:
            _formats, table = provider_formats(batch)
            out = work / pf.name
            provider_files.write_csv(out, table, _masked_rows(batch))
        else:
            _formats, table = provider_formats(batch)
            parts = provider_files.write_xlsx_parts(
                work, batch.reference, table, _masked_rows(batch)
            )
            out = next(p for p, _n, _sha in parts if p.name == pf.name)
        final = directory / f"{stem}{MASKED_SUFFIX}{ext}"
        move_into_place(out, final)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return final


def payment_file_download(
    *,
    actor: User,
    payment_file: PaymentFile,
    directory: Path | None = None,
    in_zip: str = "",
) -> Download:
    """The file an actor may have: the released file itself (checked against its SHA-256)
    when the actor may have full account numbers, else a masked copy of an account file.
    Audited per file with the number of people in it and whether the numbers were full (and
    the zip it went into, ``in_zip``)."""
    import tempfile

    from chitra.core.audit import audit_record

    pf = payment_file
    path = checked_path(pf)
    from chitra.disbursement.policy import full_numbers_allowed

    full = pf.kind not in ACCOUNT_KINDS or full_numbers_allowed(actor, pf)
    if full:
        download = Download(path, download_name(pf), pf.kind in ACCOUNT_KINDS, False)
    else:
        where = directory or Path(tempfile.mkdtemp(prefix="chitra-masked-"))
        copy = masked_copy(pf, where)
        download = Download(copy, download_name(pf, masked=True), False, directory is None)
    audit_record(
        actor,
        "export.payment_file",
        obj=pf,
        after={
            "sha256": pf.sha256,
            "people": pf.rows,
            "amount": pf.amount,
            "full_account_numbers": download.full_numbers,
            "masked_copy": not full,
            **({"zip": in_zip} if in_zip else {}),
        },
        object_repr=f"{pf.name} ({pf.rows} people)",
    )
    return download


def ascii_slug(text: str) -> str:
    """``text`` as a file-name part: Latin letters without marks, digits, words joined by "-"
    (``ascii_slug("Xã Yên Sơn") == "Xa-Yen-Son"``)."""
    import re

    from chitra.kernel.names import latin_text

    latin = latin_text(text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[A-Za-z0-9]+", latin))


def download_name(pf: PaymentFile, *, masked: bool = False) -> str:
    """The name a file is downloaded under: its stored name with the commune's name before
    its code (``08202611-VNPOST-TM-1_Xa-Yen-Son-02239.pdf``), ``-ban-che`` before the
    extension for a masked copy. The stored file and its name do not change."""
    stem, ext = Path(pf.name).stem, Path(pf.name).suffix
    commune = pf.commune if pf.commune_id else None
    if commune is not None and stem.endswith(f"-{commune.code}"):
        place = ascii_slug(commune.name)
        stem = f"{stem[: -len(commune.code) - 1]}_{place}-{commune.code}" if place else stem
    return f"{stem}{MASKED_SUFFIX if masked else ''}{ext}"


def file_label(pf: PaymentFile) -> str:
    """A file as the cycle page names it: the commune's name and code for a cash list, the
    stored name otherwise."""
    if pf.commune_id and pf.commune is not None:
        return f"{pf.commune.name} ({pf.commune.code}) — {pf.get_kind_display()}"
    return pf.name
