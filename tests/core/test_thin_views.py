"""Views and API views are thin (issue #13, item 5): no page or endpoint writes the audit trail
itself or computes an aggregate with the ORM; they call selectors (reads, scoped), exports
(`<app>/exports.py`, audited) and services (writes). Checked on the source's syntax tree."""

from __future__ import annotations

import ast
from pathlib import Path

import chitra

SRC = Path(chitra.__file__).parent
#: ORM aggregate functions (django.db.models.aggregates)
AGGREGATES = {"Aggregate", "Avg", "Count", "Max", "Min", "StdDev", "Sum", "Variance"}
AGGREGATE_METHODS = {"aggregate", "annotate", "alias"}


def thin_modules() -> list[Path]:
    """Every views.py / api.py of the project, and the modules of a views/ or api/ package."""
    return sorted(
        p
        for p in SRC.rglob("*.py")
        if p.name in ("views.py", "api.py") or p.parent.name in ("views", "api")
    )


def violations(source: str, name: str = "<source>") -> list[str]:
    """Where `source` calls audit_record or an ORM aggregate (file:line what)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, name)):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ImportFrom):
            for alias in node.names:
                if alias.name == "audit_record":
                    found.append(f"{where} imports audit_record")
                if (
                    node.module
                    and node.module.startswith("django.db.models")
                    and alias.name in AGGREGATES
                ):
                    found.append(f"{where} imports the aggregate {alias.name}")
        elif isinstance(node, ast.Call):
            func = node.func
            called = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else ""
            )
            if called == "audit_record":
                found.append(f"{where} calls audit_record")
            elif isinstance(func, ast.Attribute) and called in AGGREGATE_METHODS:
                found.append(f"{where} calls .{called}()")
            elif called in AGGREGATES:
                found.append(f"{where} calls the aggregate {called}()")
    return found


def test_there_are_views_to_check() -> None:
    names = {p.relative_to(SRC).as_posix() for p in thin_modules()}
    assert {
        "registry/views.py",
        "registry/api.py",
        "disbursement/views.py",
        "disbursement/api.py",
        "home/views.py",
    } <= names


def test_no_view_writes_the_audit_trail_or_aggregates() -> None:
    found = [
        v
        for p in thin_modules()
        for v in violations(p.read_text(encoding="utf-8"), str(p.relative_to(SRC)))
    ]
    assert found == [], "move these into the app's selectors / exports / services:\n" + "\n".join(
        found
    )


def test_the_check_finds_each_kind_of_violation() -> None:
    source = """
from chitra.core.audit import audit_record
from django.db.models import Count, Q
from chitra.core import audit

def view(request, qs):
    audit.audit_record(request.user, "export.x")
    qs.values("reason").annotate(n=Count("id"))
    qs.aggregate(total=models.Sum("amount"))
    return qs.filter(Q(a=1))
"""
    kinds = {v.split(" ", 1)[1] for v in violations(source)}
    assert kinds == {
        "imports audit_record",
        "imports the aggregate Count",
        "calls audit_record",
        "calls .annotate()",
        "calls the aggregate Count()",
        "calls .aggregate()",
        "calls the aggregate Sum()",
    }
    assert violations("def view(request, qs):\n    return qs.filter(a=1).count()\n") == []


def permission_functions_outside_policy() -> list[str]:
    """Functions named may_* / can_* (object permissions) defined anywhere but in a
    policy.py (demo data generators aside)."""
    found = []
    for p in sorted(SRC.rglob("*.py")):
        if p.name in ("policy.py", "demo.py") or "demo" in p.parts or "migrations" in p.parts:
            continue
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"), str(p))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.lstrip(
                "_"
            ).startswith(("may_", "can_")):
                found.append(f"{p.relative_to(SRC)}:{node.lineno} {node.name}")
    return found


def test_object_permissions_live_in_policy_modules() -> None:
    assert permission_functions_outside_policy() == [], (
        "put who-may-do-what in the app's policy.py, used by services, pages and API"
    )


def test_every_app_with_permissions_has_a_policy_module() -> None:
    for app in (
        "core",
        "disbursement",
        "grievances",
        "iam",
        "outreach",
        "payment_methods",
        "privacy",
        "verification",
    ):
        assert (SRC / app / "policy.py").is_file(), app
