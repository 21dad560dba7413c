"""State machines as tables: each stateful record (cycle, batch, payroll line, complaint,
change request) has ONE table of moves `(from, action, to)` next to its statuses, and every
service that moves a state asks `require_transition` first. Pages (the cycle's steps), the
database trigger of the lines (ADR 0012) and the tests read the same table.

An action may stay in its state (a second approval still to come, results applied to a
reconciled cycle, a comment on a complaint): that is a move to the same state, listed so that
the states where the action is allowed are in the table too."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class StateMachine:
    #: what moves (for messages in code and tests: "cycle", "line"...)
    name: str
    #: (from, action, to), in the order of the record's life
    moves: tuple[tuple[str, str, str], ...]
    _by: dict[tuple[str, str], frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by: dict[tuple[str, str], set[str]] = {}
        for old, action, new in self.moves:
            by.setdefault((str(old), action), set()).add(str(new))
        object.__setattr__(self, "_by", {k: frozenset(v) for k, v in by.items()})

    def targets(self, state: str, action: str) -> frozenset[str]:
        """The states `action` may lead to from `state` (empty: not allowed there)."""
        return self._by.get((str(state), action), frozenset())

    def allows(self, state: str, action: str, to: str | None = None) -> bool:
        targets = self.targets(state, action)
        return bool(targets) if to is None else str(to) in targets

    def sources(self, action: str) -> frozenset[str]:
        """The states from which `action` is allowed."""
        return frozenset(str(old) for old, act, _new in self.moves if act == action)

    def action_targets(self, action: str) -> frozenset[str]:
        """Every state `action` can lead to (from anywhere)."""
        return frozenset(str(new) for _old, act, new in self.moves if act == action)

    def changes(self) -> frozenset[tuple[str, str]]:
        """The (from, to) pairs of the moves that change the state."""
        return frozenset((str(o), str(n)) for o, _a, n in self.moves if o != n)

    def path(self, start: str) -> list[str]:
        """The states of a life from `start`, each first reached by the earliest move of the
        table to a state not yet on the path (the steps a page shows)."""
        path, state = [str(start)], str(start)
        while True:
            nxt = next(
                (str(n) for o, _a, n in self.moves if str(o) == state and str(n) not in path), None
            )
            if nxt is None:
                return path
            path.append(nxt)
            state = nxt


def require_transition(
    machine: StateMachine,
    state: str,
    action: str,
    refuse: Callable[[], Exception],
    to: str | None = None,
) -> frozenset[str]:
    """The states `action` may lead to from `state` (to `to` when given), or the error
    `refuse()` builds (each service keeps its own words for the refusal)."""
    if not machine.allows(state, action, to):
        raise refuse()
    return machine.targets(state, action)


def moves(
    states: Iterable[str], action: str, to: str | None = None
) -> tuple[tuple[str, str, str], ...]:
    """(s, action, to) for each s (`to` None: each state stays as it is)."""
    return tuple((s, action, s if to is None else to) for s in states)
