from __future__ import annotations

from collections.abc import Mapping

ORDER = ("verified", "mismatch", "deceased", "not_found", "invalid_id", "no_id", "duplicate")


def summary_line(counts: Mapping[str, int], total: int | None = None) -> str:
    total = sum(counts.get(k, 0) for k in ORDER) if total is None else total
    return f"total={total} " + " ".join(f"{k}={counts.get(k, 0)}" for k in ORDER)
