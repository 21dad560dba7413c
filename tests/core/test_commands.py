"""Every chitra command ends a failure with one line on stderr and a non-zero exit, never a
traceback: bad input, a database or register that is down, a register answering garbage."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import CommandError
from django.db import OperationalError
from django.utils import translation

from chitra.core.commands import ChitraCommand, failure_line
from chitra.core.errors import ChitraError

CHITRA = str(Path(sys.executable).with_name("chitra"))


def test_every_chitra_command_ends_cleanly():
    ours = {name: app for name, app in get_commands().items() if app.startswith("chitra.")}
    assert {
        "verify",
        "import_beneficiaries",
        "cycle_release",
        "jobs_sweep",
        "db_worker",
        "register_sim",
        "demo_logins",
    } <= set(ours)
    # Django's own commands extended: the library's worker loop with the sweep added, Django's
    # migrate run as the owner role
    extended = {"db_worker", "migrate"}
    plain = [
        name
        for name, app in ours.items()
        if name not in extended and not isinstance(load_command_class(app, name), ChitraCommand)
    ]
    assert plain == []


def test_failure_lines():
    with translation.override("en"):
        assert failure_line(ChitraError("No cycle\n  for 12/2026.")) == "No cycle for 12/2026."
        assert failure_line(OperationalError("connection refused\nIs the server running?")) == (
            "The database cannot be used (connection refused Is the server running?)."
        )
        assert failure_line(FileNotFoundError(2, "No such file", "x.xlsx")).startswith(
            "File or network error: [Errno 2] No such file"
        )
        assert failure_line(KeyError("boom")) == (
            "Internal error (KeyError: 'boom'); run the command again with --traceback for the "
            "details."
        )


@pytest.mark.django_db
def test_a_bug_in_a_command_is_one_line_unless_traceback(monkeypatch):
    from chitra.core.management.commands import jobs_sweep

    def broken(**kw):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr("chitra.core.jobs.jobs_sweep", broken)
    with pytest.raises(CommandError) as exc:
        call_command("jobs_sweep")
    assert "\n" not in str(exc.value) and "ZeroDivisionError" in str(exc.value)
    with pytest.raises(ZeroDivisionError):
        call_command("jobs_sweep", traceback=True)
    assert jobs_sweep  # the module under test


def _cli(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "CHITRA_TESTING": "1",
        "DJANGO_SETTINGS_MODULE": "chitra.settings",
        **env_extra,
    }
    return subprocess.run(
        [CHITRA, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    "args",
    [
        ("cycle_status",),
        ("import_beneficiaries", "/nonexistent/ds.xlsx", "--user", "nobody"),
        ("jobs_sweep",),
    ],
)
def test_a_database_that_is_down_is_one_line_on_stderr(args, tmp_path):
    out = _cli(
        {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/none", "CHITRA_VAR_DIR": str(tmp_path)},
        *args,
    )
    assert out.returncode == 1
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("CommandError: "), out.stderr
    assert "Traceback" not in out.stderr and "127.0.0.1" in lines[0]


def test_bad_input_is_one_line_on_stderr(tmp_path):
    out = _cli(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "CHITRA_VAR_DIR": str(tmp_path)},
        "register_sim",
        "--error-rate",
        "7",
        "--store",
        str(tmp_path),
    )
    assert out.returncode == 1
    assert out.stderr.strip().splitlines() == ["CommandError: error_rate must be within [0, 1]"], (
        out.stderr
    )


@pytest.mark.django_db
def test_an_interrupted_command_exits_130_in_one_line(monkeypatch):
    def interrupted(**kw):
        raise KeyboardInterrupt

    monkeypatch.setattr("chitra.core.jobs.jobs_sweep", interrupted)
    with translation.override("en"), pytest.raises(CommandError) as exc:
        call_command("jobs_sweep")
    assert str(exc.value) == "Interrupted." and exc.value.returncode == 130
