"""The catalogue of audit actions (chitra.core.audit_actions): every action the code records is
registered by its app with a Vietnamese label, an unregistered one is refused, and the audit
page, its export and a person's dossier name each event in words."""

from __future__ import annotations

import ast
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from chitra.core.audit import AuditRow, audit_bulk, audit_record
from chitra.core.audit_actions import (
    UnregisteredAction,
    action_label,
    register_actions,
    registered_actions,
)
from chitra.core.models import AuditEvent
from tests.conftest import TEST_ACTIONS

SRC = Path(__file__).resolve().parents[2] / "src" / "chitra"
RECORDERS = {"audit_record", "audit_bulk"}


def _strings(node: ast.expr, scope: ast.AST) -> set[str]:
    """Every value the action argument can take: literals, `a if c else b`, `"x" + (...)`
    and a local name assigned literals in the enclosing function."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, scope) | _strings(node.orelse, scope)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return {a + b for a in _strings(node.left, scope) for b in _strings(node.right, scope)}
    if isinstance(node, ast.Name):
        values = {
            v
            for n in ast.walk(scope)
            if isinstance(n, ast.Assign)
            for t in n.targets
            if isinstance(t, ast.Name) and t.id == node.id
            for v in _strings(n.value, scope)
        }
        if values:
            return values
    raise AssertionError(f"cannot tell the action of {ast.unparse(node)!r}: name it literally")


def actions_in_the_code() -> dict[str, str]:
    """action -> where it is recorded, for every call of audit_record / audit_bulk in src."""
    found: dict[str, str] = {}
    for path in sorted(SRC.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if not any(name in text for name in RECORDERS):
            continue
        tree = ast.parse(text)
        for func in ast.walk(tree):
            if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for call in ast.walk(func):
                if not isinstance(call, ast.Call):
                    continue
                name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
                if name not in RECORDERS or func.name in RECORDERS:
                    continue
                arg = (
                    call.args[1]
                    if len(call.args) > 1
                    else next(k.value for k in call.keywords if k.arg == "action")
                )
                for action in _strings(arg, func):
                    found.setdefault(action, f"{path.relative_to(SRC)}:{call.lineno}")
    return found


def test_every_action_recorded_by_the_code_is_registered_and_every_registered_one_is_used():
    used = actions_in_the_code()
    registered = set(registered_actions()) - TEST_ACTIONS
    assert len(used) > 100  # the scan finds the calls
    assert {a: where for a, where in used.items() if a not in registered} == {}
    assert sorted(registered - set(used)) == []


def test_every_action_has_a_vietnamese_label():
    missing = []
    for code, label in registered_actions().items():
        if code in TEST_ACTIONS:
            continue
        with translation.override("en"):
            en = str(label)
        with translation.override("vi"):
            vi = str(label)
        if not en or vi == en:
            missing.append(code)
    assert missing == []
    with translation.override("vi"):
        assert action_label("cycle.approve") == "Phê duyệt bảng chi"
        assert action_label("an.old.action") == "an.old.action"  # recorded by an older version


@pytest.mark.django_db
def test_an_unregistered_action_is_refused_and_nothing_is_written(bhxh_officer):
    before = AuditEvent.objects.count()
    with pytest.raises(UnregisteredAction, match=r"registry\.beneficary\.view"):
        audit_record(bhxh_officer, "registry.beneficary.view", object_type="x", object_id=1)
    with transaction.atomic(), pytest.raises(UnregisteredAction):
        audit_bulk(
            bhxh_officer,
            "registry.import.rows",
            [AuditRow("registry.beneficiary", 1, "x", None, {"a": 1})],
        )
    assert AuditEvent.objects.count() == before
    audit_record(bhxh_officer, "registry.beneficiary.view", object_type="x", object_id=1)
    assert AuditEvent.objects.count() == before + 1


def test_an_action_has_one_owner_and_a_dotted_code():
    register_actions(
        {"registry.beneficiary.view": registered_actions()["registry.beneficiary.view"]}
    )  # the same label again: nothing happens
    with pytest.raises(ImproperlyConfigured, match="twice"):
        register_actions({"registry.beneficiary.view": "Opened"})
    with pytest.raises(ImproperlyConfigured, match="dotted"):
        register_actions({"Registry View": "Opened"})
    assert "Registry View" not in registered_actions()


@pytest.mark.django_db
def test_the_audit_page_and_its_export_name_the_action_in_words(client, bhxh_admin, bhxh_officer):
    audit_record(bhxh_officer, "iam.user.password_change", obj=bhxh_officer)
    client.force_login(bhxh_admin)
    page = client.get(reverse("audit_list"), {"action": "iam.user."}).content.decode()
    assert "Đổi mật khẩu" in page and "iam.user.password_change" in page
    r = client.get(reverse("audit_list"), {"action": "iam.user.", "format": "xlsx"})
    rows = [
        [c.value for c in row]
        for row in openpyxl.load_workbook(io.BytesIO(r.content)).active.iter_rows()
    ]
    assert any("iam.user.password_change" in row and "Đổi mật khẩu" in row for row in rows)
