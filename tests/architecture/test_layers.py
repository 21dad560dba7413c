"""The layers of .importlinter hold on the tree, and import-linter really fails on a violation.

The violations are written into a copy of the package (Python files only) in a temporary
directory and checked there with the same configuration, so that the real tree is never
touched: a lazy import inside a function, an import of Django from the engine and an import
between two independent siblings each break a contract; an import made only under
``TYPE_CHECKING`` breaks none (``exclude_type_checking_imports``, docs/architecture.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(cwd: Path, src: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH first: `chitra` is the package under `src`, before the editable install's path
    env = {**os.environ, "PYTHONPATH": str(src), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run(
        [str(LINT), "--no-cache", "--config", str(cwd / ".importlinter")],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_contracts_kept() -> None:
    run = _lint(ROOT, ROOT / "src")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_a_violation_breaks_the_contracts(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "chitra",
        src / "chitra",
        ignore=shutil.ignore_patterns(
            "__pycache__", "locale", "static", "templates", "*.json", "*.csv", "*.mo"
        ),
    )
    shutil.copy(ROOT / ".importlinter", tmp_path / ".importlinter")
    pkg = src / "chitra"
    (pkg / "core" / "probe_back_arrow.py").write_text(
        "def actor():\n"
        "    from chitra.iam.services import system_actor\n\n"
        "    return system_actor()\n",
        encoding="utf-8",
    )
    (pkg / "engine" / "probe_django.py").write_text(
        "from django.db import models\n\nFIELD = models.IntegerField\n", encoding="utf-8"
    )
    (pkg / "grievances" / "probe_sibling.py").write_text(
        "from chitra.outreach import models\n\nMODELS = models\n", encoding="utf-8"
    )
    (pkg / "geo" / "probe_type_checking.py").write_text(
        "from __future__ import annotations\n\n"
        "from typing import TYPE_CHECKING\n\n"
        "if TYPE_CHECKING:\n"
        "    from chitra.registry.models import Beneficiary\n\n\n"
        "def name(b: Beneficiary) -> str:\n"
        "    return b.full_name\n",
        encoding="utf-8",
    )

    run = _lint(tmp_path, src)
    out = run.stdout + run.stderr
    assert run.returncode == 1, out
    assert "chitra layers BROKEN" in out
    assert "kernel and engine are pure BROKEN" in out
    assert "chitra.core.probe_back_arrow -> chitra.iam.services" in out
    assert "chitra.engine.probe_django -> django" in out
    assert "chitra.grievances.probe_sibling -> chitra.outreach" in out
    assert "probe_type_checking" not in out
