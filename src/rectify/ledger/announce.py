"""Each step of a task's life cycle is announced to the apps that act on it.

The ledger sits below supervision (DESIGN.md, layers), so it cannot call the notifications itself:
the supervision app registers a listener when it starts (`SupervisionConfig.ready`), and every
service that moves a task calls `announce` inside its transaction, so the notifications commit or
roll back with the step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rectify.ledger.models import Task
from rectify.organizations.models import User


@dataclass(frozen=True)
class Step:
    """One step: the audit action (`task.return` …), the task, who took it, the note, and a key unique to it."""

    action: str
    task: Task
    actor: User | None
    note: str
    key: str


_listeners: list[Callable[[Step], None]] = []


def listen(listener: Callable[[Step], None]) -> None:
    """Register a listener once (an app's `ready()` may run more than once in tests)."""
    if listener not in _listeners:
        _listeners.append(listener)


def announce(actor: User | None, action: str, task: Task, *, note: str = "", key: str = "") -> None:
    """Tell the listeners of a step, inside the caller's transaction."""
    step = Step(action, task, actor if getattr(actor, "pk", None) else None, note, key or f"{task.pk}:v{task.version}")
    for listener in _listeners:
        listener(step)
