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


def _schema_querysets(tree: ast.AST) -> set[int]:
    """The ids of the ``X.objects`` nodes in a class-level ``queryset = X.objects.none()``: a
    DRF viewset's model for the schema and the router, which reads nothing (its
    ``get_queryset`` calls a selector)."""
    ok: set[int] = set()
    for cls in ast.walk(tree):
        if not isinstance(cls, ast.ClassDef):
            continue
        for stmt in cls.body:
            if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1):
                continue
            target, value = stmt.targets[0], stmt.value
            if (
                isinstance(target, ast.Name)
                and target.id == "queryset"
                and isinstance(value, ast.Call)
                and isinstance(value.func, ast.Attribute)
                and value.func.attr == "none"
                and not value.args
                and isinstance(value.func.value, ast.Attribute)
                and value.func.value.attr == "objects"
            ):
                ok.add(id(value.func.value))
    return ok


def orm_reads(source: str, name: str = "<source>") -> list[str]:
    """Where `source` reads a model directly (``<Model>.objects``, ``get_object_or_404``,
    ``get_list_or_404``) instead of through a selector (file:line what)."""
    tree = ast.parse(source, name)
    allowed = _schema_querysets(tree)
    found: list[str] = []
    shortcuts = {"get_object_or_404", "get_list_or_404"}
    for node in ast.walk(tree):
        where = f"{name}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.ImportFrom):
            found += [f"{where} imports {a.name}" for a in node.names if a.name in shortcuts]
        elif isinstance(node, ast.Attribute) and node.attr == "objects" and id(node) not in allowed:
            model = node.value.id if isinstance(node.value, ast.Name) else ast.unparse(node.value)
            found.append(f"{where} reads {model}.objects")
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if called in shortcuts:
                found.append(f"{where} calls {called}()")
    return found


def test_no_view_reads_a_model_directly() -> None:
    """Pages and endpoints read through the app's selectors (scoped to the actor), never
    ``Model.objects`` nor ``get_object_or_404``; a viewset's ``queryset = Model.objects.none()``
    (schema only, reads nothing) is the one form allowed."""
    found = [
        v
        for p in thin_modules()
        for v in orm_reads(p.read_text(encoding="utf-8"), str(p.relative_to(SRC)))
    ]
    assert found == [], "read these through the app's selectors:\n" + "\n".join(found)


def test_the_direct_read_check_finds_each_kind() -> None:
    source = """
from django.shortcuts import get_object_or_404
from chitra.registry import models

class Things(viewsets.GenericViewSet):
    queryset = Thing.objects.none()

    def get_queryset(self):
        return Thing.objects.none()

class Other(viewsets.GenericViewSet):
    queryset = Thing.objects.all()

def view(request, pk):
    shortcuts.get_object_or_404(Thing, pk=pk)
    models.Beneficiary.objects.filter(pk=pk).first()
    return Thing.objects.get(pk=pk)
"""
    kinds = sorted(v.split(" ", 1)[1] for v in orm_reads(source))
    assert kinds == [
        "calls get_object_or_404()",
        "imports get_object_or_404",
        "reads Thing.objects",
        "reads Thing.objects",
        "reads Thing.objects",
        "reads models.Beneficiary.objects",
    ]
    assert orm_reads("def view(request):\n    return sel.things(request.user)\n") == []


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
