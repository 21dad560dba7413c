"""A simulated provider for demos and tests: decides, deterministically from the payment
reference, whether a transfer succeeds and why it fails, the way banks, wallets and the post
office report. Pure; the files it writes go through the same readers as real ones."""

from __future__ import annotations

import hashlib

#: reason codes a simulated provider returns, by channel, with their relative weights
REASONS = {
    "BANK_ACCOUNT": (("AC04", 4), ("AC01", 3), ("DORM", 2), ("BE01", 1), ("MD07", 1)),
    "MOBILE_MONEY": (("AM14", 3), ("AC04", 2), ("BE01", 1)),
    "EWALLET": (("AM14", 3), ("AC04", 2), ("BE01", 1)),
    "CASH_PAY_POINT": (("NCOL", 5), ("NADR", 1)),
    "CASH_HOME": (("NCOL", 3), ("NADR", 2), ("MD07", 1)),
}


def _unit(reference: str, salt: str) -> float:
    digest = hashlib.sha256(f"{salt}:{reference}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def simulated_outcome(
    reference: str, channel: str, reject_rate: float = 0.03, salt: str = "chitra"
) -> tuple[str, str]:
    """("succ", "") or ("rjct", reason code); the same reference always gets the same
    answer."""
    if _unit(reference, salt) >= reject_rate:
        return "succ", ""
    reasons = REASONS.get(channel, REASONS["BANK_ACCOUNT"])
    total = sum(w for _c, w in reasons)
    pick = _unit(reference, salt + ":reason") * total
    for code, weight in reasons:
        if pick < weight:
            return "rjct", code
        pick -= weight
    return "rjct", reasons[-1][0]
