"""Synthetic Vietnamese beneficiaries and population-register extract.

Everything here is pure Python + numpy + pyarrow (no Django) and vectorised: the per-row work is
done by numpy / pyarrow.compute kernels, so 3.5 M beneficiaries and a 100 M-row register extract
generate in minutes with bounded memory (the register is written in chunks, one Parquet row group
per chunk).

Output is deterministic for a given ``seed`` (and ``today``); the wall clock is never read.

Personal IDs (``PPP G YY NNNNNN``) are made unique by construction: within each block
``(PPP, G, YY)`` rows get consecutive counters that are passed through a keyed Feistel permutation
of ``[0, 10**6)``, so ``NNNNNN`` looks random but never repeats inside a block.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

__all__ = [
    "BENEFIT_MIX",
    "Commune",
    "RegisterResult",
    "generate_beneficiaries",
    "inject_duplicates",
    "write_register_extract",
]

# --------------------------------------------------------------------------------------------
# Reference data (weights are relative; they are normalised when used)
# --------------------------------------------------------------------------------------------

#: Kinh surnames. Nguyễn 38 %, Trần 11 %, Lê 9.5 %, Phạm 7 % ... (weights sum to 100).
SURNAMES_KINH: tuple[tuple[str, float], ...] = (
    ("Nguyễn", 38.0),
    ("Trần", 11.0),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Phan", 4.0),
    ("Hoàng", 3.0),
    ("Huỳnh", 2.0),
    ("Vũ", 2.0),
    ("Võ", 2.0),
    ("Đặng", 2.0),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Trương", 1.0),
    ("Đinh", 0.9),
    ("Đào", 0.8),
    ("Đoàn", 0.7),
    ("Trịnh", 0.7),
    ("Mai", 0.6),
    ("Cao", 0.6),
    ("Lâm", 0.5),
    ("Hà", 0.6),
    ("Lương", 0.4),
    ("Phùng", 0.4),
    ("Chu", 0.3),
    ("Tạ", 0.3),
    ("Lưu", 0.3),
    ("Tô", 0.3),
    ("Vương", 0.3),
    ("Thái", 0.2),
    ("Châu", 0.2),
    ("Quách", 0.2),
    ("Tống", 0.2),
    ("Kiều", 0.2),
    ("Lại", 0.2),
    ("Nghiêm", 0.1),
    ("Khổng", 0.1),
    ("Mạc", 0.1),
    ("Từ", 0.1),
    ("Âu", 0.1),
    ("Diệp", 0.1),
    ("Hứa", 0.1),
    ("Kim", 0.1),
    ("Văn", 0.1),
    ("Triệu", 0.1),
    ("La", 0.1),
    ("Giáp", 0.1),
)

#: Minority (Tày, Nùng, Dao, H'Mông ...) surnames used in the northern mountain provinces.
SURNAMES_MINORITY: tuple[tuple[str, float], ...] = (
    ("Ma", 1.2),
    ("Nông", 1.0),
    ("Triệu", 0.8),
    ("Hà", 0.5),
    ("Lục", 0.4),
    ("Lương", 0.3),
    ("Giàng", 0.5),
    ("Sùng", 0.4),
    ("Vàng", 0.4),
    ("Thào", 0.2),
    ("Mua", 0.1),
    ("Hầu", 0.1),
    ("Bàn", 0.3),
    ("Lò", 0.1),
)
#: H'Mông surnames: their bearers get H'Mông middle and given names.
HMONG_SURNAMES = frozenset({"Giàng", "Sùng", "Vàng", "Thào", "Mua", "Hầu"})
#: Share of minority surnames by (new, 2-digit) province code of residence.
MINORITY_SURNAME_SHARE: dict[str, float] = {"08": 0.06}

MIDDLE_M: tuple[tuple[str, float], ...] = (
    ("Văn", 45.0),
    ("Đức", 8.0),
    ("Hữu", 7.0),
    ("Quang", 6.0),
    ("Minh", 6.0),
    ("Ngọc", 4.0),
    ("Xuân", 4.0),
    ("Thanh", 4.0),
    ("Công", 4.0),
    ("Đình", 4.0),
    ("Mạnh", 2.0),
    ("Tiến", 2.0),
    ("Trọng", 2.0),
    ("Duy", 1.5),
    ("Bá", 1.5),
    ("Anh", 1.0),
    ("Thế", 1.0),
)
MIDDLE_F: tuple[tuple[str, float], ...] = (
    ("Thị", 62.0),
    ("Ngọc", 6.0),
    ("Thu", 5.0),
    ("Minh", 3.0),
    ("Thanh", 4.0),
    ("Kim", 3.0),
    ("Hồng", 3.0),
    ("Thúy", 2.0),
    ("Phương", 2.0),
    ("Xuân", 2.0),
    ("Bích", 2.0),
    ("Mai", 1.0),
    ("Thị Thu", 2.0),
    ("Thị Ngọc", 1.5),
    ("Thị Kim", 1.5),
)
HMONG_MIDDLE_M: tuple[tuple[str, float], ...] = (
    ("A", 40.0),
    ("Seo", 25.0),
    ("Mí", 15.0),
    ("Văn", 20.0),
)
HMONG_MIDDLE_F: tuple[tuple[str, float], ...] = (("Thị", 65.0), ("Mí", 35.0))

_GIVEN_M_NAMES = [
    "Hùng",
    "Dũng",
    "Tuấn",
    "Minh",
    "Hải",
    "Nam",
    "Thắng",
    "Sơn",
    "Long",
    "Hưng",
    "Cường",
    "Thành",
    "Trung",
    "Quang",
    "Phúc",
    "Đức",
    "Tùng",
    "Bình",
    "Hòa",
    "Khánh",
    "Việt",
    "Hiếu",
    "Huy",
    "Toàn",
    "Thịnh",
    "Phong",
    "Vinh",
    "Lâm",
    "Tâm",
    "Tiến",
    "Hoàng",
    "Kiên",
    "Chiến",
    "Lợi",
    "Tài",
    "Thanh",
    "Bảo",
    "Hậu",
    "Lộc",
    "Nghĩa",
    "Quân",
    "Tú",
    "Đạt",
    "Hiệp",
    "Khoa",
    "Mạnh",
    "Phương",
    "Quý",
    "Sáng",
    "Tân",
    "Thái",
    "Thuận",
    "Trường",
    "Vũ",
    "Xuân",
    "An",
    "Định",
    "Đông",
    "Giang",
    "Hiển",
    "Học",
    "Lực",
    "Thông",
]
_GIVEN_F_NAMES = [
    "Lan",
    "Hương",
    "Hoa",
    "Mai",
    "Hằng",
    "Thủy",
    "Hà",
    "Nga",
    "Linh",
    "Trang",
    "Hạnh",
    "Ngọc",
    "Phương",
    "Huyền",
    "Thảo",
    "Yến",
    "Dung",
    "Liên",
    "Loan",
    "Nhung",
    "Oanh",
    "Thu",
    "Tuyết",
    "Vân",
    "Xuân",
    "Anh",
    "Bích",
    "Cúc",
    "Đào",
    "Diệp",
    "Duyên",
    "Giang",
    "Hiền",
    "Hồng",
    "Huệ",
    "Khánh",
    "Lệ",
    "Liễu",
    "Lụa",
    "Lý",
    "Minh",
    "My",
    "Nguyệt",
    "Nhàn",
    "Nhi",
    "Quyên",
    "Quỳnh",
    "Sen",
    "Tâm",
    "Thắm",
    "Thanh",
    "Thơm",
    "Thúy",
    "Tình",
    "Trinh",
    "Uyên",
    "Vy",
    "Hòa",
    "Hậu",
    "Chi",
    "Chinh",
    "Gấm",
]
HMONG_GIVEN_M = tuple(
    ["Páo", "Chứ", "Dình", "Sính", "Lử", "Pó", "Chư", "Súa", "Dế", "Tủa", "Sử", "Chá"]
)
HMONG_GIVEN_F = tuple(["Mỷ", "Dợ", "Mỵ", "Chơ", "Say", "Lan", "Pằng", "Xúa", "Dung", "Mai"])

VILLAGES = tuple(
    [
        "Nà Mèn",
        "Nà Khá",
        "Nà Lầu",
        "Khuôn Hà",
        "Phiêng Luông",
        "Cốc Phát",
        "Làng Chùa",
        "Đồng Mới",
        "Tân Lập",
        "Tân Tiến",
        "Đoàn Kết",
        "Trung Tâm",
        "Hợp Thành",
        "Lũng Pù",
        "Pác Sủng",
        "Nặm Đăm",
        "Khau Phầy",
        "Thác Cái",
        "Bó Củng",
        "Vằng Áng",
        "Đồng Tâm",
        "Hồng Quang",
        "Yên Thượng",
        "Soi Đúng",
        "An Khang",
        "Làng Mới",
        "Gia Kè",
        "Nà Tông",
        "Chợ Cũ",
        "Bản Chang",
    ]
)
STREETS = tuple(
    [
        "Lê Lợi",
        "Trần Hưng Đạo",
        "Quang Trung",
        "Nguyễn Trãi",
        "Hai Bà Trưng",
        "Phan Đình Phùng",
        "Lý Thường Kiệt",
        "Bình Thuận",
        "17 Tháng 8",
        "Chiến Thắng Sông Lô",
        "Tân Trào",
        "Nguyễn Văn Cừ",
        "Lê Duẩn",
        "Kim Bình",
    ]
)

#: Old (63-province) 3-digit birth-registration codes with approximate population (millions).
OLD_PROVINCE_POPULATION: dict[str, float] = {
    "001": 8.2,
    "002": 0.85,
    "004": 0.53,
    "006": 0.31,
    "008": 0.78,
    "010": 0.73,
    "011": 0.6,
    "012": 0.46,
    "014": 1.25,
    "015": 0.82,
    "017": 0.85,
    "019": 1.29,
    "020": 0.78,
    "022": 1.32,
    "024": 1.8,
    "025": 1.46,
    "026": 1.15,
    "027": 1.37,
    "030": 1.89,
    "031": 2.03,
    "033": 1.25,
    "034": 1.86,
    "035": 0.85,
    "036": 1.78,
    "037": 0.98,
    "038": 3.64,
    "040": 3.33,
    "042": 1.29,
    "044": 0.9,
    "045": 0.63,
    "046": 1.13,
    "048": 1.13,
    "049": 1.5,
    "051": 1.23,
    "052": 1.49,
    "054": 0.87,
    "056": 1.23,
    "058": 0.59,
    "060": 1.23,
    "062": 0.54,
    "064": 1.51,
    "066": 1.87,
    "067": 0.62,
    "068": 1.3,
    "070": 0.99,
    "072": 1.17,
    "074": 2.43,
    "075": 3.1,
    "077": 1.15,
    "079": 8.99,
    "080": 1.69,
    "082": 1.76,
    "083": 1.29,
    "084": 1.01,
    "086": 1.02,
    "087": 1.6,
    "089": 1.91,
    "091": 1.72,
    "092": 1.24,
    "093": 0.73,
    "094": 1.2,
    "095": 0.91,
    "096": 1.19,
}
#: Other birth-registration codes carried by people who moved into the province.
OTHER_BIRTH_CODES: tuple[str, ...] = (
    "001",
    "004",
    "006",
    "010",
    "015",
    "019",
    "020",
    "022",
    "024",
    "025",
    "026",
    "027",
    "030",
    "031",
    "033",
    "034",
    "035",
    "036",
    "037",
    "038",
    "040",
)
#: Special birth-code mixes per new province code; the rest goes to OTHER_BIRTH_CODES.
BIRTH_CODE_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    "08": (("008", 0.60), ("002", 0.25)),  # Tuyên Quang absorbed Hà Giang
}
DEFAULT_HOME_BIRTH_SHARE = 0.80
#: First two digits of the 9-digit CMND by province of residence (otherwise random 01-38).
CMND_PREFIX: dict[str, str] = {"08": "07"}

#: Mobile prefixes after +84 (10-digit numbers 0xx xxx xxxx), weighted by carrier share.
_MOBILE_CARRIERS: tuple[tuple[tuple[int, ...], float], ...] = (
    ((86, 96, 97, 98, 32, 33, 34, 35, 36, 37, 38, 39), 54.0),  # Viettel
    ((88, 91, 94, 81, 82, 83, 84, 85), 20.0),  # VinaPhone
    ((89, 90, 93, 70, 76, 77, 78, 79), 20.0),  # MobiFone
    ((92, 56, 58), 4.0),  # Vietnamobile
    ((99, 59), 1.0),  # Gmobile
    ((87,), 1.0),  # iTel
)
#: Ranges not (yet) allocated inside a 2-digit prefix (as in libphonenumber's metadata).
_MOBILE_THIRD_DIGITS: dict[int, tuple[int, ...]] = {
    89: (6, 7, 8, 9),
    99: (0, 1, 3, 4, 5, 6, 7, 8, 9),
}

#: Benefit mix (real practice).
BENEFIT_MIX: tuple[tuple[str, float], ...] = (
    ("PENSION", 0.62),
    ("MONTHLY_ALLOWANCE", 0.25),
    ("UNEMPLOYMENT", 0.06),
    ("LUMP_SUM", 0.05),
    ("SURVIVOR_ONCE", 0.01),
    ("FUNERAL", 0.01),
)
#: Age range [lo, hi] (completed years at ``today``) by benefit type.
AGE_RANGES: dict[str, tuple[int, int]] = {
    "PENSION": (55, 100),
    "MONTHLY_ALLOWANCE": (30, 90),
    "UNEMPLOYMENT": (22, 55),
    "LUMP_SUM": (25, 55),
    "SURVIVOR_ONCE": (25, 85),
    "FUNERAL": (25, 85),
}
BASE_SALARY = 2_340_000
FUNERAL_AMOUNT = 10 * BASE_SALARY
EARLIEST_START = np.datetime64("1975-01", "M")

PRECISIONS = ("D", "M", "Y")
_PRECISION_P = (0.85, 0.05, 0.10)

#: Approximate Vietnamese age pyramid, 5-year bands 0-4 ... 95-99 (relative).
_AGE_BANDS = np.array(
    [
        7.8,
        8.0,
        7.6,
        6.9,
        7.0,
        8.3,
        8.4,
        8.0,
        7.4,
        6.8,
        6.2,
        5.6,
        4.8,
        3.9,
        2.9,
        1.9,
        1.3,
        0.9,
        0.4,
        0.1,
    ]
)

#: Discrepancy kinds in their canonical order (``kinds`` column).
KINDS = ("deceased", "name_typo", "name_accents", "dob", "sex", "moved", "not_in_register")
#: Share of each kind at ``discrepancy_rate == 0.06`` (scaled linearly with the rate).
_KIND_RATE_AT_6 = {
    "deceased": 0.015,
    "name_typo": 0.012,
    "name_accents": 0.008,
    "dob": 0.008,
    "sex": 0.003,
    "moved": 0.004,
    "not_in_register": 0.010,
}
#: Share of imprecise beneficiaries (M / Y) whose register record holds the full date.
REGISTER_MORE_PRECISE = 0.25

_ID_BLOCK = 1_000_000  # NNNNNN space
_SEQ_TAGS = {"ben": 1, "reg": 2, "dup": 3, "extra": 4, "keys": 5}

# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Commune:
    code: str  # 5-digit text, e.g. "02269"
    name: str  # e.g. "Xã Thượng Lâm"
    is_urban: bool


@dataclass(frozen=True)
class RegisterResult:
    rows: int  # register rows written
    discrepancies: int  # beneficiaries with at least one injected kind
    ground_truth_path: Path


BENEFICIARY_SCHEMA = pa.schema(
    [
        ("personal_id", pa.string()),
        ("old_id", pa.string()),
        ("si_number", pa.string()),
        ("full_name", pa.string()),
        ("birth_date", pa.date32()),
        ("birth_precision", pa.string()),
        ("sex", pa.string()),
        ("commune_code", pa.string()),
        ("address", pa.string()),
        ("phone", pa.string()),
        ("benefit_type", pa.string()),
        ("monthly_amount", pa.int64()),
        ("start_month", pa.date32()),
        ("sequence", pa.int64()),
    ]
)
REGISTER_SCHEMA = pa.schema(
    [
        ("personal_id", pa.string()),
        ("full_name", pa.string()),
        ("birth_date", pa.string()),
        ("sex", pa.string()),
        ("commune_code", pa.string()),
        ("death_date", pa.string()),
    ]
)
GROUND_TRUTH_SCHEMA = pa.schema(
    [
        ("sequence", pa.int64()),
        ("personal_id", pa.string()),
        ("true_personal_id", pa.string()),
        ("kinds", pa.string()),
        ("expected_outcome", pa.string()),
        ("expected_mismatched_fields", pa.string()),
    ]
)


def generate_beneficiaries(
    *,
    province_code: str,
    communes: Sequence[Commune],
    n: int,
    seed: int,
    today: date,
) -> pa.Table:
    """Generate ``n`` synthetic beneficiaries living in ``communes`` of ``province_code``."""
    if n < 0:
        raise ValueError("n must be >= 0")
    if not communes:
        raise ValueError("communes must not be empty")
    if len(province_code) != 2 or not province_code.isdigit():
        raise ValueError("province_code must be a 2-digit code such as '08'")
    rng = _rng(seed, "ben")
    today_d = np.datetime64(today, "D")
    today_m = today_d.astype("datetime64[M]")

    # Benefit type, sex, age --------------------------------------------------------------
    codes = [c for c, _ in BENEFIT_MIX]
    benefit = rng.choice(len(codes), size=n, p=_norm([w for _, w in BENEFIT_MIX]))
    female = rng.random(n) < 0.52
    age = _ages(rng, codes, benefit, female)
    true_birth = today_d - np.floor(age * 365.2425).astype(np.int64)
    precision = rng.choice(3, size=n, p=_PRECISION_P)
    birth = _truncate(true_birth, precision)
    year, _, _ = _ymd(birth)
    completed = _completed_age(birth, today)

    personal_id, old_id, si_number = _identity(rng, seed, province_code, year, female, completed)

    # Names ----------------------------------------------------------------------------------
    surname_pool = _surname_pool(MINORITY_SURNAME_SHARE.get(province_code, 0.0))
    full_name = _names(rng, female, surname_pool)

    commune_code, address, phone = _residence(rng, communes, province_code, n)

    # Amounts and start months ---------------------------------------------------------------
    amount, start = _amounts_and_starts(rng, codes, benefit, female, birth, completed, today_m)
    monthly_amount = (np.rint(amount / 1000.0) * 1000).astype(np.int64)

    return pa.Table.from_arrays(
        [
            personal_id,
            old_id,
            si_number,
            full_name,
            pa.array(birth, pa.date32()),
            _take(pa.array(list(PRECISIONS)), precision),
            _take(pa.array(["M", "F"]), female.astype(np.int64)),
            commune_code,
            address,
            phone,
            _take(pa.array(codes), benefit),
            pa.array(monthly_amount, pa.int64()),
            pa.array(start.astype("datetime64[D]"), pa.date32()),
            pa.array(np.arange(n, dtype=np.int64)),
        ],
        schema=BENEFICIARY_SCHEMA,
    )


def _identity(
    rng: np.random.Generator,
    seed: int,
    province_code: str,
    year: np.ndarray,
    female: np.ndarray,
    completed: np.ndarray,
) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Personal IDs (2 % missing), old 9-digit IDs and social-insurance numbers."""
    n = len(year)
    ppp = _birth_codes(rng, province_code, n)
    g = _century_sex_digit(year, female)
    alloc = _IdAllocator(_key(seed, "ben"))
    pid_int = alloc.allocate(ppp, g, year % 100, rng=rng, exclude=None)
    no_pid = rng.random(n) < 0.02
    personal_id = _null_where(_digits(pid_int, 12), no_pid)
    has_old = no_pid | (rng.random(n) < np.where(completed >= 40, 0.30, 0.08))
    old_id = _null_where(_old_ids(rng, seed, province_code, has_old), ~has_old)
    si_prefix = np.where(
        rng.random(n) < 0.85,
        int(province_code),
        rng.choice(np.array([int(c) for c in OLD_PROVINCE_POPULATION]) % 100, size=n),
    )
    si_suffix = _permute(np.arange(n, dtype=np.uint64), 10**8, _key(seed, "si"))
    si_number = _digits(si_prefix.astype(np.int64) * 10**8 + si_suffix.astype(np.int64), 10)
    return personal_id, old_id, si_number


def _residence(
    rng: np.random.Generator, communes: Sequence[Commune], province_code: str, n: int
) -> tuple[pa.Array, pa.Array, pa.Array]:
    """Commune codes (towns weighted up), addresses and phones (35 % missing)."""
    urban = np.array([c.is_urban for c in communes], dtype=bool)
    cw = np.where(urban, 3.0, 1.0) * rng.lognormal(0.0, 0.35, size=len(communes))
    commune_idx = rng.choice(len(communes), size=n, p=cw / cw.sum())
    commune_code = _take(pa.array([c.code for c in communes], pa.string()), commune_idx)
    commune_name = _take(pa.array([_nfc(c.name) for c in communes], pa.string()), commune_idx)
    address = _addresses(rng, urban[commune_idx], commune_name, province_code)
    phone = _null_where(_phones(rng, n), rng.random(n) < 0.35)
    return commune_code, address, phone


def _ages(
    rng: np.random.Generator, codes: list[str], benefit: np.ndarray, female: np.ndarray
) -> np.ndarray:
    """Ages in years by benefit type (pensions from the retirement age by sex)."""
    n = len(benefit)
    age = np.empty(n, dtype=np.float64)
    for i, code in enumerate(codes):
        m = benefit == i
        k = int(m.sum())
        lo, hi = AGE_RANGES[code]
        if code == "PENSION":
            base = np.where(female[m], 55.0, 60.0)
            a = base + rng.gamma(2.0, 6.0, size=k)
        elif code == "UNEMPLOYMENT":
            a = lo + (hi - lo) * rng.beta(2.0, 3.0, size=k)
        elif code == "LUMP_SUM":
            a = lo + (hi - lo) * rng.beta(2.0, 2.5, size=k)
        else:
            a = lo + (hi - lo) * rng.random(k)
        age[m] = np.clip(a, lo, hi - 1e-6)
    return age


def _amounts_and_starts(
    rng: np.random.Generator,
    codes: list[str],
    benefit: np.ndarray,
    female: np.ndarray,
    birth: np.ndarray,
    completed: np.ndarray,
    today_m: np.datetime64,
) -> tuple[np.ndarray, np.ndarray]:
    """Amounts (đồng) and start months by benefit type, from the person's age."""
    n = len(benefit)
    amount = np.empty(n, dtype=np.float64)
    start = np.empty(n, dtype="datetime64[M]")
    birth_m = birth.astype("datetime64[M]")
    for i, code in enumerate(codes):
        m = benefit == i
        k = int(m.sum())
        if code == "PENSION":
            amount[m] = np.clip(rng.lognormal(math.log(5.6e6), 0.38, size=k), 2.3e6, 30e6)
            ret = np.where(female[m], rng.integers(55, 61, size=k), rng.integers(60, 63, size=k))
            ret = np.minimum(ret, completed[m])
            st = birth_m[m] + (ret * 12 + 1).astype(np.int64)
        elif code == "MONTHLY_ALLOWANCE":
            amount[m] = np.clip(rng.lognormal(math.log(2.4e6), 0.25, size=k), 1.5e6, 4e6)
            lo = np.maximum(birth_m[m] + 18 * 12, EARLIEST_START)
            span = (today_m - lo).astype(np.int64)
            st = lo + np.floor(span * (1.0 - rng.beta(1.0, 2.5, size=k))).astype(np.int64)
        elif code == "UNEMPLOYMENT":
            amount[m] = rng.triangular(3e6, 3.8e6, 6e6, size=k)
            st = today_m - rng.integers(0, 12, size=k)
        else:
            if code == "LUMP_SUM":
                amount[m] = np.clip(rng.lognormal(math.log(9e7), 0.6, size=k), 3e7, 3e8)
            elif code == "SURVIVOR_ONCE":
                amount[m] = np.clip(rng.lognormal(math.log(4e7), 0.35, size=k), 2e7, 8e7)
            else:
                amount[m] = FUNERAL_AMOUNT
            st = today_m - rng.integers(0, 3, size=k)
        start[m] = np.minimum(np.maximum(st, EARLIEST_START), today_m)
    return amount, start


# over the limits: one vectorised pipeline over a single seeded RNG stream; its sections
# (discrepancy kinds, register view, ground truth, shuffled rows, extras) share about twenty
# aligned per-beneficiary arrays (split up, each part would take most of them as arguments)
def write_register_extract(
    beneficiaries: pa.Table,
    *,
    path: Path,
    ground_truth_path: Path,
    extra_people: int,
    seed: int,
    communes_other: Sequence[str],
    today: date,
    discrepancy_rate: float = 0.06,
    chunk_rows: int = 5_000_000,
) -> RegisterResult:
    """Write a population-register extract (Parquet) plus a per-beneficiary ground truth.

    Pass the table returned by :func:`generate_beneficiaries` (before :func:`inject_duplicates`).
    ``discrepancy_rate`` is the approximate share of beneficiaries with at least one injected
    kind; the kinds keep fixed proportions (at 0.06: deceased 1.5 %, name_typo 1.2 %,
    name_accents 0.8 %, dob 0.8 %, sex 0.3 %, moved 0.4 %, not_in_register 1 %).
    """
    if "duplicate_of" in beneficiaries.column_names:
        raise ValueError("call write_register_extract before inject_duplicates")
    if extra_people < 0 or chunk_rows <= 0 or not 0.0 <= discrepancy_rate <= 0.5:
        raise ValueError("invalid extra_people / chunk_rows / discrepancy_rate")
    path, ground_truth_path = Path(path), Path(ground_truth_path)
    rng = _rng(seed, "reg")
    today_d = np.datetime64(today, "D")
    n = beneficiaries.num_rows

    pid_col = beneficiaries["personal_id"].combine_chunks()
    has_id = pc.is_valid(pid_col).to_numpy(zero_copy_only=False)
    pid_int = pc.cast(pc.fill_null(pid_col, "0"), pa.int64()).to_numpy()
    existing = np.sort(pid_int[has_id])
    if existing.size and np.any(existing[1:] == existing[:-1]):
        raise ValueError("beneficiary personal_ids must be unique")
    female = pc.equal(beneficiaries["sex"], "F").combine_chunks().to_numpy(zero_copy_only=False)
    birth = beneficiaries["birth_date"].combine_chunks().to_numpy(zero_copy_only=False)
    birth = birth.astype("datetime64[D]")
    prec_map = {p: i for i, p in enumerate(PRECISIONS)}
    precision = _codes(beneficiaries["birth_precision"], prec_map)
    start = beneficiaries["start_month"].combine_chunks().to_numpy(zero_copy_only=False)
    start = start.astype("datetime64[D]")
    names = beneficiaries["full_name"].combine_chunks()
    ben_communes = beneficiaries["commune_code"].combine_chunks()

    local_codes = sorted(set(pc.unique(ben_communes).to_pylist()))
    other_codes = sorted(set(communes_other) - set(local_codes))
    all_codes = local_codes + other_codes

    # Draw discrepancy kinds --------------------------------------------------------------------
    scale = discrepancy_rate / 0.06
    kind = {k: np.zeros(n, dtype=bool) for k in KINDS}
    kind["not_in_register"] = has_id & (rng.random(n) < _KIND_RATE_AT_6["not_in_register"] * scale)
    eligible = has_id & ~kind["not_in_register"]
    for k in KINDS[:-1]:
        kind[k] = eligible & (rng.random(n) < _KIND_RATE_AT_6[k] * scale)
    if len(all_codes) < 2:
        kind["moved"][:] = False

    # Register view of each beneficiary ---------------------------------------------------------
    reg_prec = precision.copy()
    upgrade = (precision > 0) & (rng.random(n) < REGISTER_MORE_PRECISE)
    reg_prec[upgrade] = 0
    true_birth = birth.copy()
    ty, tm, _ = _ymd(birth)
    # random true month (year-only) and day (year- or month-only) behind an imprecise record
    month0 = np.where(precision == 2, rng.integers(1, 13, size=n), tm)
    ym = _ym(ty, month0)
    day0 = np.where(precision > 0, np.floor(rng.random(n) * _days_in(ym)).astype(np.int64), 0)
    true_birth[upgrade] = (ym.astype("datetime64[D]") + day0)[upgrade]

    reg_birth = true_birth.copy()
    dob = kind["dob"]
    if dob.any():
        reg_birth[dob] = _shift_dob(rng, true_birth[dob], np.maximum(precision, reg_prec)[dob])
    reg_female = female ^ kind["sex"]

    reg_names = names
    typo_idx = np.flatnonzero(kind["name_typo"])
    if typo_idx.size:
        reg_names = _scatter(reg_names, typo_idx, _typo(_take(names, typo_idx), rng))
    acc_idx = np.flatnonzero(kind["name_accents"])
    if acc_idx.size:
        reg_names = _scatter(reg_names, acc_idx, _accent_variant(_take(reg_names, acc_idx), rng))

    reg_commune_idx = _codes(ben_communes, {c: i for i, c in enumerate(all_codes)})
    mv = np.flatnonzero(kind["moved"])
    if mv.size:
        new = rng.integers(0, len(all_codes), size=mv.size)
        new = np.where(new == reg_commune_idx[mv], (new + 1) % len(all_codes), new)
        reg_commune_idx[mv] = new

    death = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    dd = kind["deceased"]
    if dd.any():
        lo = np.maximum(np.maximum(start[dd], today_d - 1095), true_birth[dd])
        span = (today_d - lo).astype(np.int64)
        death[dd] = lo + np.floor(rng.random(int(dd.sum())) * (span + 1)).astype(np.int64)

    # True IDs for beneficiaries that only carry an old CMND
    alloc = _IdAllocator(_key(seed, "reg"))
    true_id = pid_int.copy()
    no_id = ~has_id
    if no_id.any():
        yy, _, _ = _ymd(birth[no_id])
        ppp = _sample_codes(rng, *_empirical_birth_codes(pid_int[has_id]), int(no_id.sum()))
        true_id[no_id] = alloc.allocate(
            ppp, _century_sex_digit(yy, female[no_id]), yy % 100, rng=rng, exclude=existing
        )
    in_register = ~kind["not_in_register"]
    true_pid_str = _null_where(_digits(true_id, 12), ~in_register)

    # Ground truth ------------------------------------------------------------------------------
    bits = np.zeros(n, dtype=np.int64)
    for i, k in enumerate(KINDS):
        bits |= kind[k].astype(np.int64) << i
    kinds_str = _take(pa.array([_join_bits(KINDS, b) for b in range(1 << len(KINDS))]), bits)
    fields = ("name", "dob", "sex")
    fbits = (
        kind["name_typo"].astype(np.int64)
        | (kind["dob"].astype(np.int64) << 1)
        | (kind["sex"].astype(np.int64) << 2)
    )
    fields_str = _take(pa.array([_join_bits(fields, b) for b in range(8)]), fbits)
    outcome = np.select(
        [no_id, kind["not_in_register"], kind["deceased"], fbits > 0],
        [4, 3, 2, 1],
        default=0,
    )
    outcomes = pa.array(["verified", "mismatch", "deceased", "not_found", "no_id"])
    truth = pa.Table.from_arrays(
        [
            beneficiaries["sequence"].combine_chunks(),
            pid_col,
            true_pid_str,
            kinds_str,
            _take(outcomes, outcome),
            fields_str,
        ],
        schema=GROUND_TRUTH_SCHEMA,
    )
    ground_truth_path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(truth, ground_truth_path, compression="zstd")
    discrepancies = int((bits > 0).sum())

    # Register rows of the beneficiaries, shuffled --------------------------------------------
    rows = np.flatnonzero(in_register)
    rows = rows[rng.permutation(rows.size)]
    all_codes_arr = pa.array(all_codes, pa.string())
    ben_reg = pa.Table.from_arrays(
        [
            _take(_digits(true_id, 12), rows),
            _take(reg_names, rows),
            _take(_date_strings(reg_birth, reg_prec), rows),
            _take(pa.array(["M", "F"]), reg_female[rows].astype(np.int64)),
            _take(all_codes_arr, reg_commune_idx[rows]),
            _take(_null_where(_date_strings(death, np.zeros(n, np.int64)), np.isnat(death)), rows),
        ],
        schema=REGISTER_SCHEMA,
    )
    del reg_names, names

    # Extras: local communes weighted by beneficiary counts, other communes by 1 ---------------
    counts = np.bincount(
        _codes(ben_communes, {c: i for i, c in enumerate(local_codes)}), minlength=len(local_codes)
    ).astype(np.float64)
    local_w = counts / counts.mean() if counts.size else counts
    weights = np.concatenate([local_w, np.ones(len(other_codes))])
    if weights.size == 0 and extra_people:
        raise ValueError("no communes to place the extra people in")
    commune_p = weights / weights.sum() if weights.size else weights
    n_local = len(local_codes)
    local_birth = _empirical_birth_codes(pid_int[has_id] if has_id.any() else true_id)
    national_birth = (
        np.array([int(c) for c in OLD_PROVINCE_POPULATION]),
        _norm(list(OLD_PROVINCE_POPULATION.values())),
    )
    local_surnames = _empirical_surnames(beneficiaries["full_name"])
    national_surnames = _surname_pool(0.0)
    exclude = np.sort(np.concatenate([existing, true_id[no_id]]))

    total = ben_reg.num_rows + extra_people
    n_chunks = max(1, math.ceil(total / chunk_rows))
    ben_cuts = np.linspace(0, ben_reg.num_rows, n_chunks + 1).astype(np.int64)
    extra_cuts = np.linspace(0, extra_people, n_chunks + 1).astype(np.int64)
    path.parent.mkdir(parents=True, exist_ok=True)
    written = 0
    with pq.ParquetWriter(path, REGISTER_SCHEMA, compression="zstd") as writer:
        for c in range(n_chunks):
            crng = _rng(seed, "extra", c)
            extra = _extras(
                crng,
                int(extra_cuts[c + 1] - extra_cuts[c]),
                today_d=today_d,
                alloc=alloc,
                exclude=exclude,
                commune_codes=all_codes_arr,
                commune_p=commune_p,
                n_local=n_local,
                local_birth=local_birth,
                national_birth=national_birth,
                local_surnames=local_surnames,
                national_surnames=national_surnames,
            )
            part = ben_reg.slice(int(ben_cuts[c]), int(ben_cuts[c + 1] - ben_cuts[c]))
            chunk = _interleave(crng, part, extra)
            writer.write_table(chunk, row_group_size=max(1, chunk.num_rows))
            written += chunk.num_rows
            del extra, chunk, part
    return RegisterResult(
        rows=written, discrepancies=discrepancies, ground_truth_path=ground_truth_path
    )


def _interleave(rng: np.random.Generator, a: pa.Table, b: pa.Table) -> pa.Table:
    """Spread the (already shuffled) rows of ``a`` over ``b`` in many small runs (zero-copy)."""
    if a.num_rows == 0 or b.num_rows == 0:
        return pa.concat_tables([a, b])
    k = int(min(a.num_rows, 2048))
    a_cuts = np.linspace(0, a.num_rows, k + 1).astype(np.int64)
    b_cuts = np.concatenate(
        [[0], np.sort(rng.integers(0, b.num_rows + 1, size=k - 1)), [b.num_rows]]
    )
    parts: list[pa.Table] = []
    for i in range(k):
        parts.append(b.slice(int(b_cuts[i]), int(b_cuts[i + 1] - b_cuts[i])))
        parts.append(a.slice(int(a_cuts[i]), int(a_cuts[i + 1] - a_cuts[i])))
    return pa.concat_tables(parts)


def inject_duplicates(beneficiaries: pa.Table, *, rate: float, seed: int) -> pa.Table:
    """Append ~``rate`` x n duplicate rows (same person, new si_number, often a name typo).

    The result has an extra ``duplicate_of`` column (int64): the original's ``sequence`` on
    duplicate rows, null on the originals. Duplicates get sequences continuing after the
    largest existing one.
    """
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate must be within [0, 1]")
    rng = _rng(seed, "dup")
    n = beneficiaries.num_rows
    m = round(rate * n)
    src = np.sort(rng.choice(n, size=m, replace=False)) if m else np.zeros(0, np.int64)
    dup = beneficiaries.take(pa.array(src, pa.int64()))

    # New unique si_numbers with the same 2-digit prefix.
    si = pc.cast(beneficiaries["si_number"], pa.int64()).to_numpy()
    taken = np.sort(si)
    prefix = pc.cast(dup["si_number"], pa.int64()).to_numpy() // 10**8
    new_si = np.zeros(m, np.int64)
    todo = np.arange(m)
    while todo.size:
        cand = prefix[todo] * 10**8 + rng.integers(0, 10**8, size=todo.size)
        new_si[todo] = cand
        bad = _isin_sorted(cand, taken)
        _, first = np.unique(new_si, return_index=True)
        dupl = np.ones(m, dtype=bool)
        dupl[first] = False
        bad |= dupl[todo]
        todo = todo[bad]

    names = dup["full_name"].combine_chunks()
    typo = np.flatnonzero(rng.random(m) < 0.5)
    if typo.size:
        names = _scatter(names, typo, _typo(_take(names, typo), rng))
    phone = dup["phone"].combine_chunks()
    new_phone = rng.random(m) < 0.25
    if new_phone.any():
        phone = pc.if_else(pa.array(new_phone), _phones(rng, m), phone)

    last = pc.max(beneficiaries["sequence"]).as_py() if n else None
    seq_start = 0 if last is None else int(last) + 1
    dup = dup.set_column(dup.schema.get_field_index("si_number"), "si_number", _digits(new_si, 10))
    dup = dup.set_column(dup.schema.get_field_index("full_name"), "full_name", names)
    dup = dup.set_column(dup.schema.get_field_index("phone"), "phone", phone)
    dup = dup.set_column(
        dup.schema.get_field_index("sequence"),
        "sequence",
        pa.array(np.arange(seq_start, seq_start + m, dtype=np.int64)),
    )
    original_seq = beneficiaries["sequence"].combine_chunks().take(pa.array(src, pa.int64()))
    base = beneficiaries.append_column("duplicate_of", pa.nulls(n, pa.int64()))
    dup = dup.append_column("duplicate_of", original_seq.cast(pa.int64()))
    return pa.concat_tables([base, dup])


# --------------------------------------------------------------------------------------------
# Helpers: randomness, permutations, IDs
# --------------------------------------------------------------------------------------------


def _rng(seed: int, tag: str, *more: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, _SEQ_TAGS.get(tag, 0), *more]))


def _key(seed: int, tag: str) -> np.ndarray:
    """Round keys (uint64) for the Feistel permutation."""
    tag_n = sum(ord(ch) << (8 * i) for i, ch in enumerate(tag))
    return np.random.SeedSequence([seed, _SEQ_TAGS["keys"], tag_n]).generate_state(6, np.uint64)


_M1 = np.uint64(0x9E3779B97F4A7C15)
_M2 = np.uint64(0xBF58476D1CE4E5B9)


def _feistel(x: np.ndarray, half_bits: int, keys: np.ndarray, tweak: np.ndarray) -> np.ndarray:
    mask = np.uint64((1 << half_bits) - 1)
    hb = np.uint64(half_bits)
    shift = np.uint64(64 - half_bits)
    left = x >> hb
    right = x & mask
    for k in keys:
        f = (right ^ tweak ^ np.uint64(k)) * _M1
        f ^= f >> np.uint64(31)
        f = (f * _M2) >> shift
        left, right = right, left ^ f
    return (left << hb) | right


def _permute(
    x: np.ndarray, domain: int, keys: np.ndarray, tweak: np.ndarray | None = None
) -> np.ndarray:
    """Keyed bijection of [0, domain) (Feistel + cycle walking); ``tweak`` selects per row."""
    bits = max(2, (domain - 1).bit_length())
    half = (bits + 1) // 2
    tw = np.zeros(x.shape, np.uint64) if tweak is None else tweak.astype(np.uint64)
    with np.errstate(over="ignore"):
        tw = tw * _M2
        y = _feistel(x.astype(np.uint64), half, keys, tw)
        out = y >= np.uint64(domain)
        while out.any():
            idx = np.flatnonzero(out)
            y[idx] = _feistel(y[idx], half, keys, tw[idx])
            out[idx] = y[idx] >= np.uint64(domain)
    return y


class _IdAllocator:
    """Allocates unique ``PPP G YY NNNNNN`` IDs block by block (deterministic)."""

    def __init__(self, keys: np.ndarray) -> None:
        self._counter = np.zeros(_ID_BLOCK, dtype=np.int64)
        self._keys = keys

    def allocate(
        self,
        ppp: np.ndarray,
        g: np.ndarray,
        yy: np.ndarray,
        *,
        rng: np.random.Generator,
        exclude: np.ndarray | None,
    ) -> np.ndarray:
        n = ppp.size
        ppp = ppp.astype(np.int64).copy()
        g = g.astype(np.int64)
        yy = yy.astype(np.int64)
        ids = np.zeros(n, dtype=np.int64)
        todo = np.arange(n)
        fallback = np.array([int(c) for c in OLD_PROVINCE_POPULATION])
        while todo.size:
            block = ppp[todo] * 1000 + g[todo] * 100 + yy[todo]
            k = self._ranks(block)
            over = k >= _ID_BLOCK
            nn = _permute(np.minimum(k, _ID_BLOCK - 1), _ID_BLOCK, self._keys, block)
            cand = block * _ID_BLOCK + nn.astype(np.int64)
            bad = over.copy()
            if exclude is not None and exclude.size:
                bad |= _isin_sorted(cand, exclude)
            ok = ~bad
            ids[todo[ok]] = cand[ok]
            if over.any():  # block full: the person was registered in another province
                ppp[todo[over]] = rng.choice(fallback, size=int(over.sum()))
            todo = todo[bad]
        return ids

    def _ranks(self, block: np.ndarray) -> np.ndarray:
        n = block.size
        if n == 0:
            return np.zeros(0, np.int64)
        order = np.argsort(block, kind="stable")
        sb = block[order]
        idx = np.arange(n)
        new = np.ones(n, dtype=bool)
        new[1:] = sb[1:] != sb[:-1]
        start = np.maximum.accumulate(np.where(new, idx, 0))
        k = np.empty(n, dtype=np.int64)
        k[order] = self._counter[sb] + (idx - start)
        self._counter += np.bincount(block, minlength=_ID_BLOCK).astype(np.int64)
        return k


def _isin_sorted(values: np.ndarray, sorted_ref: np.ndarray) -> np.ndarray:
    if sorted_ref.size == 0:
        return np.zeros(values.shape, dtype=bool)
    pos = np.searchsorted(sorted_ref, values)
    pos = np.minimum(pos, sorted_ref.size - 1)
    return sorted_ref[pos] == values


def _birth_codes(rng: np.random.Generator, province_code: str, n: int) -> np.ndarray:
    mix = BIRTH_CODE_MIX.get(province_code, ((f"0{province_code}", DEFAULT_HOME_BIRTH_SHARE),))
    home = [c for c, _ in mix]
    rest = 1.0 - sum(p for _, p in mix)
    others = [c for c in OTHER_BIRTH_CODES if c not in home]
    codes = np.array([int(c) for c in home + others])
    p = np.array([p for _, p in mix] + [rest / len(others)] * len(others))
    return _sample_codes(rng, codes, p / p.sum(), n)


def _sample_codes(rng: np.random.Generator, codes: np.ndarray, p: np.ndarray, n: int) -> np.ndarray:
    return codes[rng.choice(codes.size, size=n, p=p)]


def _empirical_birth_codes(ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    if ids.size == 0:
        return np.array([1]), np.array([1.0])
    codes, counts = np.unique(ids // 10**9, return_counts=True)
    return codes, counts / counts.sum()


def _century_sex_digit(year: np.ndarray, female: np.ndarray) -> np.ndarray:
    century = (year.astype(np.int64) - 1900) // 100
    return np.clip(century, 0, 4) * 2 + female.astype(np.int64)


def _old_ids(rng: np.random.Generator, seed: int, province_code: str, mask: np.ndarray) -> pa.Array:
    n = mask.size
    local = CMND_PREFIX.get(province_code)
    randp = rng.integers(1, 39, size=n)
    prefix = np.where(rng.random(n) < 0.85, int(local), randp) if local else randp
    order = np.cumsum(mask) - 1
    suffix = _permute(np.maximum(order, 0).astype(np.uint64), 10**7, _key(seed, "cmnd"))
    return _digits(prefix.astype(np.int64) * 10**7 + suffix.astype(np.int64), 9)


# --------------------------------------------------------------------------------------------
# Helpers: strings, names, addresses, phones
# --------------------------------------------------------------------------------------------


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def _norm(w: Sequence[float] | np.ndarray) -> np.ndarray:
    a = np.asarray(w, dtype=np.float64)
    return a / a.sum()


def _take(values: pa.Array | pa.ChunkedArray, idx: np.ndarray) -> pa.Array:
    arr = values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return arr.take(pa.array(np.asarray(idx, dtype=np.int64)))


def _scatter(base: pa.Array, idx: np.ndarray, values: pa.Array) -> pa.Array:
    """Return ``base`` with ``base[idx] = values`` (vectorised)."""
    n = len(base)
    src = np.arange(n, dtype=np.int64)
    src[idx] = n + np.arange(idx.size)
    return pa.concat_arrays([base, values.cast(base.type)]).take(pa.array(src))


def _null_where(values: pa.Array, mask: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)


def _digits(x: np.ndarray, width: int) -> pa.Array:
    return pc.utf8_lpad(pc.cast(pa.array(np.asarray(x, np.int64)), pa.string()), width, "0")


def _codes(col: pa.Array | pa.ChunkedArray, mapping: dict[str, int]) -> np.ndarray:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    keys = pa.array(list(mapping), pa.string())
    vals = np.array(list(mapping.values()), dtype=np.int64)
    idx = pc.fill_null(pc.index_in(col, value_set=keys), 0)
    return vals[np.asarray(idx.to_numpy(zero_copy_only=False), dtype=np.int64)]


def _join_bits(names: Sequence[str], bits: int) -> str:
    return ";".join(nm for i, nm in enumerate(names) if bits >> i & 1)


@dataclass(frozen=True)
class _Pool:
    values: pa.Array
    p: np.ndarray
    hmong: np.ndarray  # bool per value


def _pool(items: Sequence[tuple[str, float]]) -> _Pool:
    merged: dict[str, float] = {}
    for name, w in items:
        merged[_nfc(name)] = merged.get(_nfc(name), 0.0) + w
    vals = list(merged)
    return _Pool(
        pa.array(vals, pa.string()),
        _norm(list(merged.values())),
        np.array([v in HMONG_SURNAMES for v in vals]),
    )


def _zipf(names: Sequence[str]) -> tuple[tuple[str, float], ...]:
    return tuple((nm, 1.0 / (i + 6)) for i, nm in enumerate(names))


def _surname_pool(minority_share: float) -> _Pool:
    kinh = [(s, w * (1.0 - minority_share) / 100.0) for s, w in SURNAMES_KINH]
    tot = sum(w for _, w in SURNAMES_MINORITY)
    mino = [(s, w * minority_share / tot) for s, w in SURNAMES_MINORITY]
    return _pool([*kinh, *mino])


def _empirical_surnames(full_names: pa.ChunkedArray | pa.Array) -> _Pool:
    if len(full_names) == 0:
        return _surname_pool(0.0)
    first = pc.list_element(pc.split_pattern(full_names, " ", max_splits=1), 0)
    vc = pc.value_counts(first)
    values = vc.field("values").to_pylist()
    counts = vc.field("counts").to_numpy().astype(np.float64)
    order = np.argsort(values)  # deterministic
    return _pool([(values[i], float(counts[i])) for i in order])


_MIDDLE = (_pool(MIDDLE_M), _pool(MIDDLE_F), _pool(HMONG_MIDDLE_M), _pool(HMONG_MIDDLE_F))
_GIVEN = (
    _pool(_zipf(_GIVEN_M_NAMES)),
    _pool(_zipf(_GIVEN_F_NAMES)),
    _pool(_zipf(HMONG_GIVEN_M)),
    _pool(_zipf(HMONG_GIVEN_F)),
)


def _grouped(rng: np.random.Generator, pools: Sequence[_Pool], group: np.ndarray) -> pa.Array:
    """Sample one value per row from ``pools[group[row]]``."""
    offsets = np.cumsum([0] + [len(p.values) for p in pools])
    idx = np.zeros(group.size, dtype=np.int64)
    for gi, p in enumerate(pools):
        m = group == gi
        k = int(m.sum())
        if k:
            idx[m] = offsets[gi] + rng.choice(len(p.values), size=k, p=p.p)
    return _take(pa.concat_arrays([p.values for p in pools]), idx)


def _names(
    rng: np.random.Generator,
    female: np.ndarray,
    surnames: _Pool,
    alt: _Pool | None = None,
    use_alt: np.ndarray | None = None,
) -> pa.Array:
    """Full names; rows where ``use_alt`` is true draw their surname from ``alt``."""
    n = female.size
    sidx = rng.choice(len(surnames.values), size=n, p=surnames.p)
    values, hmong = surnames.values, surnames.hmong
    if alt is not None and use_alt is not None:
        alt_idx = rng.choice(len(alt.values), size=n, p=alt.p) + len(surnames.values)
        sidx = np.where(use_alt, alt_idx, sidx)
        values = pa.concat_arrays([surnames.values, alt.values])
        hmong = np.concatenate([surnames.hmong, alt.hmong])
    group = female.astype(np.int64) + 2 * hmong[sidx].astype(np.int64)
    middle = _grouped(rng, _MIDDLE, group)
    given = _grouped(rng, _GIVEN, group)
    return pc.binary_join_element_wise(_take(values, sidx), middle, given, " ")


def _addresses(
    rng: np.random.Generator, urban: np.ndarray, commune_name: pa.Array, province_code: str
) -> pa.Array:
    n = urban.size
    num = pc.cast(pa.array(rng.integers(1, 46, size=n)), pa.string())
    house = pc.cast(pa.array(rng.integers(1, 250, size=n)), pa.string())
    street = _take(pa.array(list(STREETS)), rng.integers(0, len(STREETS), size=n))
    to = pc.binary_join_element_wise("Tổ", num, " ")
    so = pc.binary_join_element_wise(
        pc.binary_join_element_wise("Số", house, " "), street, " đường "
    )
    urban_part = pc.if_else(pa.array(rng.random(n) < 0.7), to, so)
    bans = 0.3 if province_code in MINORITY_SURNAME_SHARE else 0.0
    u = rng.random(n)
    kind = np.where(u < bans, 1, np.where(u < bans + 0.1, 2, 0))
    word = _take(pa.array(["Thôn", "Bản", "Xóm"]), kind)
    village = _take(pa.array(list(VILLAGES)), rng.integers(0, len(VILLAGES), size=n))
    village = pc.if_else(
        pa.array(rng.random(n) < 0.25),
        pc.cast(pa.array(rng.integers(1, 16, size=n)), pa.string()),
        village,
    )
    rural_part = pc.binary_join_element_wise(word, village, " ")
    part = pc.if_else(pa.array(urban), urban_part, rural_part)
    return pc.binary_join_element_wise(part, commune_name, ", ")


def _phones(rng: np.random.Generator, n: int) -> pa.Array:
    prefixes: list[int] = []  # 3 digits after +84
    weights: list[float] = []
    for pref, share in _MOBILE_CARRIERS:
        for two in pref:
            thirds = _MOBILE_THIRD_DIGITS.get(two, range(10))
            prefixes += [two * 10 + d for d in thirds]
            weights += [share / len(pref) / len(thirds)] * len(thirds)
    pre = np.array(prefixes, dtype=np.int64)[rng.choice(len(prefixes), size=n, p=_norm(weights))]
    number = 84 * 10**9 + pre * 10**6 + rng.integers(0, 10**6, size=n)
    return pc.binary_join_element_wise("+", pc.cast(pa.array(number), pa.string()), "")


# --------------------------------------------------------------------------------------------
# Helpers: dates
# --------------------------------------------------------------------------------------------


def _ymd(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = d.astype("datetime64[M]")
    year = d.astype("datetime64[Y]").astype(np.int64) + 1970
    month = m.astype(np.int64) % 12 + 1
    day = (d - m.astype("datetime64[D]")).astype(np.int64) + 1
    return year, month, day


def _ym(year: np.ndarray, month: np.ndarray) -> np.ndarray:
    return ((year - 1970) * 12 + (month - 1)).astype("datetime64[M]")


def _days_in(ym: np.ndarray) -> np.ndarray:
    return ((ym + 1).astype("datetime64[D]") - ym.astype("datetime64[D]")).astype(np.int64)


def _truncate(d: np.ndarray, precision: np.ndarray) -> np.ndarray:
    month = d.astype("datetime64[M]").astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype("datetime64[D]")
    return np.where(precision == 2, year, np.where(precision == 1, month, d))


def _completed_age(birth: np.ndarray, today: date) -> np.ndarray:
    y, m, d = _ymd(birth)
    before = (m > today.month) | ((m == today.month) & (d > today.day))
    return today.year - y - before.astype(np.int64)


def _date_strings(d: np.ndarray, precision: np.ndarray) -> pa.Array:
    full = pc.cast(pa.array(d, pa.date32()), pa.string())
    return pc.if_else(
        pa.array(precision == 0),
        full,
        pc.if_else(
            pa.array(precision == 1),
            pc.utf8_slice_codeunits(full, 0, 7),
            pc.utf8_slice_codeunits(full, 0, 4),
        ),
    )


def _shift_dob(rng: np.random.Generator, d: np.ndarray, coarse: np.ndarray) -> np.ndarray:
    """Change a birth date so that it differs at precision ``coarse`` (0=D, 1=M, 2=Y)."""
    n = d.size
    y, m, day = _ymd(d)
    u = rng.random(n)
    change = np.where(
        coarse == 0,
        np.where(u < 0.4, 0, np.where(u < 0.7, 1, 2)),
        np.where(coarse == 1, np.where(u < 0.5, 1, 2), 2),
    )
    new_day = rng.integers(1, 29, size=n)
    new_day = np.where(new_day == day, new_day % 28 + 1, new_day)
    new_month = rng.integers(1, 13, size=n)
    new_month = np.where(new_month == m, new_month % 12 + 1, new_month)
    new_year = y + np.where(rng.random(n) < 0.5, -1, 1)
    y2 = np.where(change == 2, new_year, y)
    m2 = np.where(change == 1, new_month, m)
    ym = _ym(y2, m2)
    d2 = np.where(change == 0, new_day, np.minimum(day, _days_in(ym)))
    return ym.astype("datetime64[D]") + (d2 - 1)


# --------------------------------------------------------------------------------------------
# Helpers: name variants (vectorised over code-point matrices)
# --------------------------------------------------------------------------------------------


def _build_fold_table(size: int = 0x2000) -> np.ndarray:
    table = np.arange(size, dtype=np.uint32)
    for cp in range(size):
        ch = chr(cp)
        base = unicodedata.normalize("NFD", ch)[:1].lower()[:1] or ch
        if base == "đ":
            base = "d"
        table[cp] = ord(base)
    return table


_FOLD = _build_fold_table()
_TYPO_LETTERS = np.array([ord(c) for c in "abcdeghiklmnopqrstuvxy"], dtype=np.uint32)


def _fold_codes(mat: np.ndarray) -> np.ndarray:
    small = mat < _FOLD.size
    return np.where(small, _FOLD[np.where(small, mat, 0)], mat)


def _pick(eligible: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Random True column per row of ``eligible`` (-1 where a row has none)."""
    cnt = eligible.sum(axis=1)
    r = np.floor(u * cnt).astype(np.int64)
    pos = np.argmax(np.cumsum(eligible, axis=1) > r[:, None], axis=1)
    return np.where(cnt > 0, pos, -1)


def _typo(names: pa.Array, rng: np.random.Generator) -> pa.Array:
    """A letter changed / dropped, or two adjacent given-name letters swapped.

    The result always differs from the input after accent and case folding.
    """
    m = len(names)
    if m == 0:
        return names
    w = int(pc.max(pc.utf8_length(names)).as_py()) + 2
    arr = np.asarray(names.to_numpy(zero_copy_only=False), dtype=f"<U{w}")
    mat = arr.view(np.uint32).reshape(m, w).copy()
    cols = np.arange(w)[None, :]
    rows = np.arange(m)
    length = (mat != 0).sum(axis=1)
    space = mat == 32
    prev_space = np.zeros_like(space)
    prev_space[:, 1:] = space[:, :-1]
    letter = (cols < length[:, None]) & ~space
    non_initial = letter & ~prev_space & (cols > 0)
    base = _fold_codes(mat)
    last_space = np.where(space, cols, -1).max(axis=1)
    next_ok = np.zeros_like(non_initial)
    next_ok[:, :-1] = non_initial[:, 1:]
    base_next = np.zeros_like(base)
    base_next[:, :-1] = base[:, 1:]
    swap_ok = non_initial & next_ok & (cols > last_space[:, None]) & (base != base_next)

    op = rng.choice(3, size=m, p=[0.4, 0.3, 0.3])  # 0 change, 1 drop, 2 swap
    p_swap = _pick(swap_ok, rng.random(m))
    op = np.where((op == 2) & (p_swap < 0), 0, op)
    p_any = _pick(non_initial, rng.random(m))
    op = np.where(p_any < 0, 3, op)  # nothing eligible: append a letter (never happens in practice)

    out = mat.copy()
    # change
    sel = rows[op == 0]
    if sel.size:
        li = rng.integers(0, _TYPO_LETTERS.size, size=sel.size)
        pos = p_any[sel]
        li = np.where(_TYPO_LETTERS[li] == base[sel, pos], (li + 1) % _TYPO_LETTERS.size, li)
        out[sel, pos] = _TYPO_LETTERS[li]
    # drop: shift left from pos
    sel = rows[op == 1]
    if sel.size:
        src = cols + (cols >= p_any[sel][:, None])
        shifted = np.take_along_axis(mat[sel], np.minimum(src, w - 1), axis=1)
        shifted[src >= w] = 0
        out[sel] = shifted
    # swap
    sel = rows[op == 2]
    if sel.size:
        pos = p_swap[sel]
        a = mat[sel, pos]
        out[sel, pos] = mat[sel, pos + 1]
        out[sel, pos + 1] = a
    sel = rows[op == 3]
    if sel.size:
        out[sel, length[sel]] = ord("x")
    return pa.array(out.view(f"<U{w}").reshape(m), pa.string())


_TONE_OLD_STYLE = (
    ("òa", "oà"),
    ("óa", "oá"),
    ("ỏa", "oả"),
    ("õa", "oã"),
    ("ọa", "oạ"),
    ("òe", "oè"),
    ("óe", "oé"),
    ("ỏe", "oẻ"),
    ("õe", "oẽ"),
    ("ọe", "oẹ"),
    ("ùy", "uỳ"),
    ("úy", "uý"),
    ("ủy", "uỷ"),
    ("ũy", "uỹ"),
    ("ụy", "uỵ"),
)


def _ascii_fold(names: pa.Array) -> pa.Array:
    out = pc.replace_substring_regex(pc.utf8_normalize(names, "NFD"), r"\p{Mn}", "")
    return pc.replace_substring(pc.replace_substring(out, "đ", "d"), "Đ", "D")


def _accent_variant(names: pa.Array, rng: np.random.Generator) -> pa.Array:
    """Same letters, other diacritics / case / normal form: equivalent after folding."""
    m = len(names)
    if m == 0:
        return names
    old_style = names
    for new, old in _TONE_OLD_STYLE:
        old_style = pc.replace_substring(old_style, _nfc(new), _nfc(old))
    upper = pc.utf8_upper(names)
    old_style = pc.if_else(pc.equal(old_style, names), upper, old_style)
    variants = [
        upper,
        _ascii_fold(names),
        pc.utf8_normalize(names, "NFD"),
        old_style,
        pc.utf8_upper(_ascii_fold(names)),
    ]
    choice = rng.choice(len(variants), size=m, p=[0.25, 0.25, 0.15, 0.2, 0.15])
    out = variants[0]
    for i in range(1, len(variants)):
        out = pc.if_else(pa.array(choice == i), variants[i], out)
    return out


# --------------------------------------------------------------------------------------------
# Extras (non-beneficiaries) for the register
# --------------------------------------------------------------------------------------------


def _extras(
    rng: np.random.Generator,
    n: int,
    *,
    today_d: np.datetime64,
    alloc: _IdAllocator,
    exclude: np.ndarray,
    commune_codes: pa.Array,
    commune_p: np.ndarray,
    n_local: int,
    local_birth: tuple[np.ndarray, np.ndarray],
    national_birth: tuple[np.ndarray, np.ndarray],
    local_surnames: _Pool,
    national_surnames: _Pool,
) -> pa.Table:
    if n == 0:
        return REGISTER_SCHEMA.empty_table()
    band = rng.choice(_AGE_BANDS.size, size=n, p=_norm(_AGE_BANDS))
    age = band * 5.0 + rng.random(n) * 5.0
    birth = today_d - np.floor(age * 365.2425).astype(np.int64)
    female = rng.random(n) < 0.505
    old = age >= 60
    u = rng.random(n)
    precision = np.where(
        old,
        np.where(u < 0.12, 2, np.where(u < 0.16, 1, 0)),
        np.where(u < 0.005, 2, np.where(u < 0.01, 1, 0)),
    )
    birth = _truncate(birth, precision)
    year, _, _ = _ymd(birth)
    commune = rng.choice(commune_p.size, size=n, p=commune_p)
    local = commune < n_local
    ppp = np.where(
        local,
        _sample_codes(rng, *local_birth, n),
        _sample_codes(rng, *national_birth, n),
    )
    ids = alloc.allocate(
        ppp, _century_sex_digit(year, female), year % 100, rng=rng, exclude=exclude
    )
    names = _names(rng, female, local_surnames, national_surnames, ~local)
    dead = rng.random(n) < 0.015
    age_days = (today_d - birth).astype(np.int64)
    death = today_d - np.floor(rng.random(n) * np.minimum(age_days, 3650)).astype(np.int64)
    death_str = _null_where(_date_strings(death, np.zeros(n, np.int64)), ~dead)
    return pa.Table.from_arrays(
        [
            _digits(ids, 12),
            names,
            _date_strings(birth, precision),
            _take(pa.array(["M", "F"]), female.astype(np.int64)),
            _take(commune_codes, commune),
            death_str,
        ],
        schema=REGISTER_SCHEMA,
    )
