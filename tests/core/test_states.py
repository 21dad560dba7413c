"""core.states: one table of moves per stateful record, one check of a move."""

from __future__ import annotations

import importlib

import pytest

from chitra.core.errors import ChitraError
from chitra.core.states import StateMachine, moves, require_transition
from chitra.disbursement.models import (
    BATCH,
    CYCLE,
    LINE,
    LINE_MOVES,
    CycleStatus,
    LineStatus,
    line_move_allowed,
)
from chitra.disbursement.views import STEPS
from chitra.grievances.models import ACTIVE_STATUSES, DONE_STATUSES, TICKET, Status
from chitra.payment_methods.models import CHANGE_REQUEST, ChangeRequest

DOOR = StateMachine(
    "door",
    (
        ("shut", "open", "ajar"),
        ("ajar", "open", "wide"),
        ("ajar", "open", "ajar"),
        ("wide", "shut", "shut"),
        *moves(["shut", "ajar"], "knock"),
    ),
)


def test_a_table_answers_what_an_action_may_do():
    assert DOOR.targets("ajar", "open") == {"wide", "ajar"}
    assert DOOR.targets("wide", "open") == frozenset()
    assert DOOR.allows("shut", "open") and not DOOR.allows("shut", "open", to="wide")
    assert DOOR.sources("knock") == {"shut", "ajar"}
    assert DOOR.targets("ajar", "knock") == {"ajar"}
    assert DOOR.action_targets("open") == {"ajar", "wide"}
    assert DOOR.changes() == {("shut", "ajar"), ("ajar", "wide"), ("wide", "shut")}
    assert DOOR.path("shut") == ["shut", "ajar", "wide"]


def test_require_transition_refuses_with_the_services_own_error():
    assert require_transition(DOOR, "shut", "open", lambda: ChitraError("no")) == {"ajar"}
    with pytest.raises(ChitraError, match=r"^locked$"):
        require_transition(DOOR, "wide", "open", lambda: ChitraError("locked"))
    with pytest.raises(ChitraError, match=r"^not so far$"):
        require_transition(DOOR, "shut", "open", lambda: ChitraError("not so far"), to="wide")


def test_the_cycle_page_steps_are_the_cycles_life_in_its_table():
    assert STEPS == [
        CycleStatus.OPEN,
        CycleStatus.FROZEN,
        CycleStatus.COMPUTED,
        CycleStatus.APPROVED,
        CycleStatus.RELEASED,
        CycleStatus.RECONCILED,
        CycleStatus.CLOSED,
    ]
    assert set(STEPS) == set(CycleStatus)
    # the states each step of the cycle's services accepts (as before the tables)
    assert CYCLE.sources("freeze") == {"open"}
    assert CYCLE.sources("compute") == {"frozen", "computed"}
    assert CYCLE.sources("approve") == {"computed"}
    assert CYCLE.sources("release") == {"approved", "released"}
    assert CYCLE.sources("reconcile") == {"released"}
    assert CYCLE.sources("close") == {"reconciled"}
    assert CYCLE.sources("results") == {"released", "reconciled", "closed"}
    assert CYCLE.sources("set_pay_dates") == {"open", "frozen", "computed", "approved"}
    assert CYCLE.sources("cancel_line") == {"computed", "approved", "released"}
    assert BATCH.changes() == {("issued", "released")}


def test_the_line_table_is_the_database_triggers():
    """Migration 0007's trigger allows exactly the moves of LINE (and the behaviour of the
    trigger against LINE_MOVES is tried pair by pair in test_line_states)."""
    migration = importlib.import_module("chitra.disbursement.migrations.0007_i12_lines_statuses")
    assert {tuple(m.split(">")) for m in migration.MOVES} == LINE.changes()
    assert {(o, n) for o, to in LINE_MOVES.items() for n in to} == LINE.changes()
    assert set(LINE_MOVES) == set(LineStatus)
    assert line_move_allowed("sent", "paid") and line_move_allowed("paid", "paid")
    assert not line_move_allowed("paid", "sent")


def test_the_complaint_and_change_request_tables():
    assert TICKET.sources("resolve") == ACTIVE_STATUSES == TICKET.sources("route")
    assert TICKET.sources("reopen") == DONE_STATUSES
    assert TICKET.sources("comment") == set(Status) - {Status.CLOSED}
    assert TICKET.action_targets("status") == {"open", "in_progress", "waiting_info", "closed"}
    assert not TICKET.allows("open", "status", to="closed")
    assert TICKET.allows("resolved", "status", to="closed")
    S = ChangeRequest.Status
    assert CHANGE_REQUEST.sources("submit") == {S.DRAFT}
    assert CHANGE_REQUEST.sources("approve") == {S.SUBMITTED}
    assert CHANGE_REQUEST.sources("reject") == {S.DRAFT, S.SUBMITTED}
