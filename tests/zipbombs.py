"""Hostile zipped workbooks for tests, built in memory in a fraction of a second: no big file on
disk. A long run of zeros deflates about 1,000 to 1; blocks ended by a full flush are identical,
so a 1.5 GB member is one 1 KB block repeated (the CRC is computed for real, so the archive is a
valid one). Sizes can be declared falsely, as a forged archive would."""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

MIB = 1024 * 1024

_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")


@dataclass
class Member:
    name: str
    data: bytes  # raw deflate stream (method 8) or stored bytes (method 0)
    size: int  # declared inflated size
    crc: int
    method: int = 8


def deflated(payload: bytes) -> Member:
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    return Member("", co.compress(payload) + co.flush(), len(payload), zlib.crc32(payload))


def zeros(
    mib: int,
    *,
    declared: int | None = None,
    name: str = "xl/worksheets/sheet1.xml",
) -> Member:
    """``mib`` MiB of zero bytes, deflated (declared as ``declared`` bytes if given)."""
    block = bytes(MIB)
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    co.compress(block)
    co.flush(zlib.Z_FULL_FLUSH)  # after a full flush every block compresses alike
    one = co.compress(block) + co.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(mib):
        crc = zlib.crc32(block, crc)
    data = one * mib + co.flush()
    return Member(name, data, mib * MIB if declared is None else declared, crc)


WORKBOOK_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
        'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
        'worksheet+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
        'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.'
        'org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/'
        '2006/relationships"><sheets><sheet name="DS" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxml'
        'formats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def write_zip(path: Path, members: list[Member]) -> Path:
    out = bytearray()
    central = bytearray()
    for m in members:
        name = m.name.encode()
        offset = len(out)
        out += _LOCAL.pack(
            b"PK\x03\x04", 20, 0, 0, m.method, 0, 0x21, m.crc, len(m.data), m.size, len(name), 0
        )
        out += name + m.data
        central += _CENTRAL.pack(
            b"PK\x01\x02",
            20,
            0,
            20,
            0,
            0,
            m.method,
            0,
            0x21,
            m.crc,
            len(m.data),
            m.size,
            len(name),
            0,
            0,
            0,
            0,
            0,
            offset,
        )
        central += name
    start = len(out)
    out += central
    out += _END.pack(b"PK\x05\x06", 0, 0, len(members), len(members), len(central), start, 0)
    Path(path).write_bytes(bytes(out))
    return Path(path)


def xlsx_bomb(path: Path, sheet: Member) -> Path:
    """A workbook whose only sheet is ``sheet`` (its other parts are real)."""
    parts = []
    for name, text in WORKBOOK_PARTS.items():
        m = deflated(text.encode())
        m.name = name
        parts.append(m)
    sheet.name = "xl/worksheets/sheet1.xml"
    return write_zip(path, [*parts, sheet])
