"""Limits on the files chitra reads: checked before a file is read, then while it is read.

A spreadsheet is an attacker's easiest way in: anybody with an officer's or a bank's login can
upload one. Three things keep a hostile file from taking the server down (ADR 0007):

* **size on disk** (``max_bytes``), checked before anything else;
* **zipped formats** (xlsx, xlsm, xlsb, ods are zip archives): before the spreadsheet reader sees
  the file, its members are counted (``max_members``), their declared sizes added up
  (``max_inflated_bytes``) and each large member's compression ratio checked (``max_ratio``);
  then every member is inflated once, as a stream that keeps nothing, to measure its *real*
  size, since the sizes written in an archive can lie. A zip bomb is refused after reading at
  most ``max_inflated_bytes`` of output, in constant memory, and nothing is written;
* **rows and columns** (``max_rows``, ``max_columns``): an xlsx sheet's declared dimension is
  read before the sheet is loaded, and every reader counts what it actually read.

Every refusal is a :class:`~chitra.engine.sheets.reading.TableReadError` with a stable ``code`` and
``params`` so that the Django layer can say it in Vietnamese. Pure Python,
no Django.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

__all__ = [
    "DEFAULT_LIMITS",
    "ZIPPED_EXTENSIONS",
    "ReadLimits",
    "check_archive",
    "check_file_size",
    "column_letters_to_number",
    "declared_dimensions",
]

MB = 1024 * 1024
ZIPPED_EXTENSIONS = frozenset({".xlsx", ".xlsm", ".xlsb", ".ods"})


@dataclass(frozen=True)
class ReadLimits:
    """What a file may hold. The defaults are the settings' defaults (docs/operations.md)."""

    #: size of the file on disk
    max_bytes: int = 50 * MB
    #: total size of a zipped workbook's members once inflated (the reader's memory is about
    #: 3.5 times this: 226 MB of sheet XML, a 300,000-row list, read in 760 MB)
    max_inflated_bytes: int = 500 * MB
    #: inflated / compressed size of one member larger than ``ratio_floor`` (real workbooks:
    #: 3 to 20; a run of zeros: about 1,000)
    max_ratio: int = 200
    ratio_floor: int = 1 * MB
    #: members of a zipped workbook (a real one has 10 to 50)
    max_members: int = 1000
    #: rows of a sheet or lines of a CSV file, header and title lines included
    max_rows: int = 1_048_576
    #: columns of a sheet or fields of a CSV line
    max_columns: int = 256

    def __post_init__(self) -> None:
        for name in (
            "max_bytes",
            "max_inflated_bytes",
            "max_ratio",
            "max_members",
            "max_rows",
            "max_columns",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"ReadLimits.{name} must be at least 1")


DEFAULT_LIMITS = ReadLimits()


def _limit_error(code: str, message: str, **params: object) -> Exception:
    from chitra.engine.sheets.reading import TableReadError

    return TableReadError(message, code=code, params=params)


def check_file_size(path: Path, limits: ReadLimits) -> int:
    """The file's size, or :class:`TableReadError` ``file_too_large``."""
    size = Path(path).stat().st_size
    if size > limits.max_bytes:
        raise _limit_error(
            "file_too_large",
            f"The file is {size:,} bytes; the largest file accepted is {limits.max_bytes:,} bytes.",
            size=size,
            limit=limits.max_bytes,
        )
    return size


_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")  # zipfile.structFileHeader
_CHUNK = 1 << 20


def _too_inflated(total: int, limits: ReadLimits) -> Exception:
    return _limit_error(
        "inflated_too_large",
        f"The workbook would expand to more than {limits.max_inflated_bytes:,} bytes once "
        f"unpacked ({total:,} bytes or more); it was not read.",
        size=total,
        limit=limits.max_inflated_bytes,
    )


def check_archive(path: Path | BinaryIO, limits: ReadLimits, *, verify: bool = True) -> None:
    """Refuse a zipped workbook that would inflate beyond the limits (see the module doc).

    Not a zip archive at all: nothing to check here (the spreadsheet reader says what it is).
    ``verify=False`` checks only what the archive declares (instant; for an upload's first
    look), ``verify=True`` also inflates every member once to measure its real size.
    """
    if isinstance(path, str):
        path = Path(path)
    if not zipfile.is_zipfile(path):
        return
    if not isinstance(path, Path):
        path.seek(0)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > limits.max_members:
                raise _limit_error(
                    "too_many_members",
                    f"The workbook is an archive of {len(infos):,} parts; a spreadsheet has at "
                    f"most {limits.max_members:,}. It was not read.",
                    count=len(infos),
                    limit=limits.max_members,
                )
            total = 0
            for info in infos:
                total = _check_member(info, total, limits)
            if verify:
                _verify_members(zf, infos, limits)
    except zipfile.BadZipFile as exc:
        raise _limit_error(
            "archive_invalid", f"The workbook is damaged: {exc}.", detail=str(exc)
        ) from exc


def _check_member(info: zipfile.ZipInfo, total: int, limits: ReadLimits) -> int:
    """Refuse a member by what the archive declares; the declared total with it."""
    if info.flag_bits & 0x1:
        raise _limit_error(
            "encrypted",
            "The workbook is encrypted (password protected); save it without a password.",
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _limit_error(
            "compression_unsupported",
            f"Part '{info.filename}' of the workbook uses a compression method a "
            f"spreadsheet does not use ({info.compress_type}).",
            member=info.filename,
        )
    total += info.file_size
    if total > limits.max_inflated_bytes:
        raise _too_inflated(total, limits)
    if info.file_size > limits.ratio_floor and (
        info.file_size > limits.max_ratio * max(info.compress_size, 1)
    ):
        ratio = info.file_size // max(info.compress_size, 1)
        raise _limit_error(
            "compression_ratio",
            f"Part '{info.filename}' of the workbook is compressed {ratio:,} times, "
            f"more than a real spreadsheet (at most {limits.max_ratio:,}); it was "
            f"not read.",
            member=info.filename,
            ratio=ratio,
            limit=limits.max_ratio,
        )
    return total


def _verify_members(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], limits: ReadLimits) -> None:
    """Inflate every member's raw data once (what any reader would inflate: its compressed
    size from the central directory), counting the real output, keeping none of it."""
    fp = zf.fp
    assert fp is not None
    total = 0
    for info in infos:
        fp.seek(info.header_offset)
        head = fp.read(_LOCAL_HEADER.size)
        if len(head) != _LOCAL_HEADER.size or head[:4] != b"PK\x03\x04":
            raise zipfile.BadZipFile(f"bad local header of '{info.filename}'")
        fields = _LOCAL_HEADER.unpack(head)
        fp.seek(fields[10] + fields[11], 1)  # name and extra field
        total += _inflated_size(fp, info, total, limits)


def _inflated_size(fp: Any, info: zipfile.ZipInfo, total: int, limits: ReadLimits) -> int:
    """The real size of one member's data (``fp`` at its start), refused as soon as it passes
    its declared size or the archive's limit (``total``: the members before it)."""
    left = info.compress_size
    real = 0
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        data = fp.read(min(_CHUNK, left))
        if not data:
            break
        left -= len(data)
        if inflater is None:
            real += len(data)
        else:
            # bounded output per call: a bomb never sits in memory
            while data:
                out = inflater.decompress(data, _CHUNK)
                real += len(out)
                data = inflater.unconsumed_tail
                if real > info.file_size or total + real > limits.max_inflated_bytes:
                    break
                if inflater.eof:
                    break
        if real > info.file_size:
            raise _limit_error(
                "size_mismatch",
                f"Part '{info.filename}' of the workbook holds more than the size it "
                f"declares ({info.file_size:,} bytes); it was not read.",
                member=info.filename,
            )
        if total + real > limits.max_inflated_bytes:
            raise _too_inflated(total + real, limits)
        if inflater is not None and inflater.eof:
            break
    return real


_DIMENSION = re.compile(
    rb'<(?:\w+:)?dimension\s+ref="\$?([A-Z]{1,3})\$?(\d+)'
    rb'(?::\$?([A-Z]{1,3})\$?(\d+))?"'
)
_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_SHEET_ID_FIRST = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\br:id="([^"]*)"[^>]*?\bname="([^"]*)"')
_REL = re.compile(rb'<(?:\w+:)?Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_TARGET_FIRST = re.compile(
    rb'<(?:\w+:)?Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"'
)


def column_letters_to_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def _xml_unescape(raw: bytes) -> str:
    from xml.sax.saxutils import unescape

    return unescape(raw.decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})


def declared_dimensions(path: Path) -> dict[str, tuple[int, int]]:
    """``sheet name -> (rows, columns)`` as an xlsx/xlsm workbook declares them (the
    ``<dimension>`` element at the top of each sheet), for the sheets that declare one.
    Reads a few kilobytes of each sheet; empty for other formats or when nothing is declared.
    """
    path = Path(path)
    if path.suffix.lower() not in (".xlsx", ".xlsm") or not zipfile.is_zipfile(path):
        return {}
    out: dict[str, tuple[int, int]] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if "xl/workbook.xml" not in names:
                return {}
            for name_raw, member in _sheet_members(zf, names):
                dims = _dimension(_head(zf, member, 64 * 1024))
                if dims is not None:
                    out[_xml_unescape(name_raw)] = dims
    except (zipfile.BadZipFile, OSError, zlib.error, RuntimeError):
        return {}
    return out


def _sheet_members(zf: zipfile.ZipFile, names: set[str]) -> list[tuple[bytes, str]]:
    """(raw sheet name, archive member) of each sheet of the workbook that has its member."""
    workbook = _head(zf, "xl/workbook.xml", 1 << 20)
    rels = (
        _head(zf, "xl/_rels/workbook.xml.rels", 1 << 20)
        if "xl/_rels/workbook.xml.rels" in names
        else b""
    )
    targets = {rid: target for rid, target in _REL.findall(rels)}
    targets.update({rid: target for target, rid in _REL_TARGET_FIRST.findall(rels)})
    sheets = [(name, rid) for name, rid in _SHEET.findall(workbook)]
    sheets += [
        (name, rid) for rid, name in _SHEET_ID_FIRST.findall(workbook) if (name, rid) not in sheets
    ]
    out = []
    for name_raw, rid in sheets:
        target = targets.get(rid)
        if target is None:
            continue
        t = _xml_unescape(target)
        member = t.lstrip("/") if t.startswith("/") else f"xl/{t}"
        if member in names:
            out.append((name_raw, member))
    return out


def _dimension(head: bytes) -> tuple[int, int] | None:
    """(rows, columns) of the ``<dimension>`` element at the top of a sheet, if any."""
    m = _DIMENSION.search(head)
    if m is None:
        return None
    first_col, first_row = column_letters_to_number(m.group(1).decode()), int(m.group(2))
    last_col = column_letters_to_number(m.group(3).decode()) if m.group(3) else first_col
    last_row = int(m.group(4)) if m.group(4) else first_row
    return (max(last_row, first_row), max(last_col, first_col))


def _head(zf: zipfile.ZipFile, member: str, size: int) -> bytes:
    with zf.open(member) as fh:
        return fh.read(size)
