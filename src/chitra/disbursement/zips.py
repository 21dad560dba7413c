"""A zip of payment files (a provider's, an office's), streamed as it is built from the stored
files: each checked against its SHA-256 before it is added and read again through a hash as it
goes into the zip, each audited as a download (`files.payment_file_download`)."""

from __future__ import annotations

import hashlib
import io
import shutil
import tempfile
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils import timezone
from django.utils.translation import gettext as _

from chitra.core.errors import ChitraError
from chitra.disbursement.files import ascii_slug, payment_file_download
from chitra.disbursement.models import Cycle, PaymentFile
from chitra.kernel.hashing import sha256_file

if TYPE_CHECKING:
    from chitra.iam.models import User

CHUNK = 1 << 20


@dataclass(frozen=True)
class ZipEntry:
    path: Path
    name: str
    sha256: str


class _Sink(io.RawIOBase):
    """A write-only, unseekable stream whose bytes are taken out as the zip is written."""

    def __init__(self) -> None:
        self._parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, b: bytes) -> int:  # type: ignore[override]
        self._parts.append(bytes(b))
        return len(b)

    def take(self) -> bytes:
        out = b"".join(self._parts)
        self._parts.clear()
        return out


def zip_name(cycle: Cycle, what: str) -> str:
    """``BHXH08_2026-11_VNPOST.zip``: the province, the cycle's month, the provider or office."""
    return f"BHXH{cycle.province.code}_{cycle.month:%Y-%m}_{ascii_slug(what) or 'files'}.zip"


def zip_prepare(
    *, actor: User, cycle: Cycle, files: Iterable[PaymentFile], name: str
) -> tuple[list[ZipEntry], Path]:
    """The entries of the zip `name`: each file as the actor may have it (checked against its
    SHA-256; a masked copy of an account file for who may not have full numbers, written in a
    temporary directory returned with them), audited as a download. Refused, nothing audited,
    when there is no file or one of them is missing or altered."""
    from django.db import transaction

    files = list(files)
    if not files:
        raise ChitraError(_("No payment file matches: nothing to put in the zip."))
    work = Path(tempfile.mkdtemp(prefix="chitra-zip-"))
    entries: list[ZipEntry] = []
    try:
        with transaction.atomic():  # every file's audit, or none
            for pf in files:
                got = payment_file_download(
                    actor=actor, payment_file=pf, directory=work, in_zip=name
                )
                digest = pf.sha256 if got.path.parent != work else sha256_file(got.path)
                entries.append(ZipEntry(got.path, got.name, digest))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return entries, work


def _entry_chunks(zf: zipfile.ZipFile, sink: _Sink, entry: ZipEntry) -> Iterator[bytes]:
    info = zipfile.ZipInfo(entry.name, date_time=timezone.localtime().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    digest = hashlib.sha256()
    with entry.path.open("rb") as src, zf.open(info, "w", force_zip64=True) as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
            yield sink.take()
    if digest.hexdigest() != entry.sha256:  # changed since it was checked: stop the zip
        raise ChitraError(
            _("File %(name)s changed while it was being zipped: the zip is incomplete.")
            % {"name": entry.name}
        )


def zip_stream(entries: list[ZipEntry], work: Path) -> Iterator[bytes]:
    """The zip's bytes as they are written; the temporary directory is removed at the end."""
    sink = _Sink()
    try:
        with zipfile.ZipFile(sink, "w") as zf:
            for entry in entries:
                yield from _entry_chunks(zf, sink, entry)
        yield sink.take()
    finally:
        shutil.rmtree(work, ignore_errors=True)
