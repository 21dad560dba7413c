"""Find the header of a government-style spreadsheet.

Files have title lines above the header, one- or two-row headers with merged cells (merged cells
arrive as the value in the first cell and None in the others), a numbering column (STT), line
breaks and trailing spaces in header cells, and NFD text. Pure Python, no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from chitra.kernel.names import clean_text, fold_name

__all__ = ["HeaderError", "HeaderMatch", "find_header", "normalize_label"]

# Non-alphanumerics become spaces, so "Xã/Phường", "Xã, phường" and "Xã - Phường" fold alike
# and "Số CCCD (*):" loses its marker and colon.
_PUNCT = re.compile(r"[^0-9A-Z()]+")
_PAREN = re.compile(r"\(([^()]*)\)")
# A parenthesised note may follow an alias ("Ngày sinh (dd/mm/yyyy)", "Mức hưởng (đồng)"), but a
# note that says the column is about somebody else must not match ("Số CCCD (người giám hộ)").
_OTHER_PERSON = (
    "GIAM HO",
    "DAI DIEN",
    "UY QUYEN",
    "NHAN THAY",
    "NGUOI NHAN",
    "THAN NHAN",
    "VO CHONG",
    "NGUOI THAN",
)


@lru_cache(maxsize=8192)
def _normalize(text: str) -> tuple[str, str | None]:
    """Return (full key, key without parenthesised notes or None when notes are disqualifying)."""
    folded = fold_name(text)
    full = " ".join(_PUNCT.sub(" ", folded).replace("(", " ").replace(")", " ").split())
    notes = _PAREN.findall(folded)
    if not notes:
        return full, full
    note_text = " ".join(" ".join(_PUNCT.sub(" ", n).split()) for n in notes)
    if any(word in note_text for word in _OTHER_PERSON):
        bare: str | None = None
    else:
        bare = (
            " ".join(
                _PUNCT.sub(" ", _PAREN.sub(" ", folded)).replace("(", " ").replace(")", " ").split()
            )
            or None
        )
    return full, bare


def normalize_label(text: object) -> str:
    """Comparison key of a header cell: folded, punctuation removed, single spaces."""
    if text is None:
        return ""
    return _normalize(str(text))[0]


class HeaderError(Exception):
    """Required columns were not found. ``missing`` are field keys, ``found`` field -> label."""

    def __init__(
        self,
        missing: list[str],
        found: dict[str, str],
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.missing = missing
        self.found = found
        self.fields = dict(fields or {})
        parts = []
        for key in missing:
            aliases = list(fields.get(key, ())) if fields else []
            alias_text = " / ".join(f"'{a}'" for a in aliases) if aliases else f"'{key}'"
            parts.append(f"{key} ({alias_text})")
        found_text = ", ".join(f"{k} = '{v}'" for k, v in found.items()) or "none"
        self.message = (
            f"Header row not found or incomplete: missing column(s) {'; '.join(parts)}. "
            f"Columns recognised: {found_text}."
        )
        super().__init__(self.message)


@dataclass
class HeaderMatch:
    header_rows: tuple[int, ...]
    data_start: int
    columns: dict[str, int]
    labels: dict[str, str]
    unknown_columns: list[str] = field(default_factory=list)
    # Extra: the header text of every column of the grid ("" when empty), e.g. for error files.
    column_labels: list[str] = field(default_factory=list)


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    return clean_text(cell) or ""


def _lookup(text: str, index: Mapping[str, str]) -> str | None:
    if not text:
        return None
    full, bare = _normalize(text)
    key = index.get(full)
    if key is None and bare is not None and bare != full:
        key = index.get(bare)
    return key


def _match_labels(
    candidates: list[list[str]], index: Mapping[str, str]
) -> tuple[dict[str, int], dict[str, str], list[str], list[str]]:
    """Map each column (list of candidate labels, best first) to a field."""
    columns: dict[str, int] = {}
    labels: dict[str, str] = {}
    unknown: list[str] = []
    display: list[str] = []
    for col, cands in enumerate(candidates):
        matched: str | None = None
        matched_label = ""
        for text in cands:
            key = _lookup(text, index)
            if key is not None:
                matched, matched_label = key, text
                break
        shown = matched_label or (cands[-1] if cands else "")
        display.append(shown)
        if matched is None:
            if shown:
                unknown.append(shown)
        elif matched in columns:
            unknown.append(matched_label)
        else:
            columns[matched] = col
            labels[matched] = matched_label
    return columns, labels, unknown, display


def _one_row_candidates(row: Sequence[object], width: int) -> list[list[str]]:
    out: list[list[str]] = []
    for c in range(width):
        text = _cell_text(row[c]) if c < len(row) else ""
        out.append([text] if text else [])
    return out


def _two_row_candidates(
    top: Sequence[object], low: Sequence[object], width: int
) -> list[list[str]]:
    out: list[list[str]] = []
    carried = ""
    for c in range(width):
        t = _cell_text(top[c]) if c < len(top) else ""
        lo = _cell_text(low[c]) if c < len(low) else ""
        if t:
            carried = t
        elif lo and carried:
            t = carried  # forward-fill a horizontally merged top cell
        else:
            carried = ""
        cands: list[str] = []
        if lo:
            cands.append(lo)
        if t:
            cands.append(t)
        if t and lo:
            cands.append(f"{t} {lo}")
        out.append(cands)
    return out


def find_header(
    grid_rows: Sequence[Sequence[object]],
    fields: Mapping[str, Sequence[str]],
    *,
    required: Sequence[str] = (),
    scan_rows: int = 30,
) -> HeaderMatch:
    """Locate the header row(s) among the first ``scan_rows`` rows and map columns to fields.

    Every row is tried as a one-row header and every pair ``(r, r + 1)`` as a two-row header.
    The candidate recognising the most fields wins; ties go to the one-row header, then to the
    earlier row. Raises :class:`HeaderError` when a ``required`` field is missing.
    """
    index: dict[str, str] = {}
    for key, aliases in fields.items():
        for alias in aliases:
            index.setdefault(_normalize(alias)[0], key)
    best = _best_header(grid_rows, index, min(scan_rows, len(grid_rows)))
    if best is None:
        if required:
            raise HeaderError(list(required), {}, fields)
        return HeaderMatch((), 0, {}, {}, [], [])
    missing = [k for k in required if k not in best.columns]
    if missing:
        raise HeaderError(missing, dict(best.labels), fields)
    return best


def _best_header(
    grid_rows: Sequence[Sequence[object]], index: dict[str, str], limit: int
) -> HeaderMatch | None:
    """The candidate header recognising the most fields (see find_header), or None."""
    width = max((len(r) for r in grid_rows[: limit + 1]), default=0)
    best: HeaderMatch | None = None
    best_score: tuple[int, int, int] = (0, 0, 0)
    for r in range(limit):
        row = grid_rows[r]
        tries: list[tuple[tuple[int, ...], list[list[str]]]] = [
            ((r,), _one_row_candidates(row, width))
        ]
        if r + 1 < limit:
            tries.append(((r, r + 1), _two_row_candidates(row, grid_rows[r + 1], width)))
        for rows_used, candidates in tries:
            if not any(candidates):
                continue
            cols, labels, unknown, display = _match_labels(candidates, index)
            # Most fields first; on a tie prefer a one-row header, then the earlier row.
            score = (len(cols), 1 if len(rows_used) == 1 else 0, -r)
            if cols and (best is None or score > best_score):
                best_score = score
                best = HeaderMatch(rows_used, rows_used[-1] + 1, cols, labels, unknown, display)
    return best
