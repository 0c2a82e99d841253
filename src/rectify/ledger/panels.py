"""Sections that apps above the ledger add to the task page (supervision: formalism flags).

The task page is the ledger's; what supervision knows about a task is supervision's. Supervision
registers a panel when it is ready (SupervisionConfig.ready), so the ledger never imports it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from rectify.ledger.models import Task

TaskPanel = Callable[[HttpRequest, Task], SafeString]
_panels: dict[str, TaskPanel] = {}


def register_task_panel(name: str, panel: TaskPanel) -> None:
    """Add (or replace) a panel, rendered in registration order on every task page."""
    _panels[name] = panel


def task_panels(request: HttpRequest, task: Task) -> list[SafeString]:
    """The rendered panels of a task page."""
    return [panel(request, task) for panel in _panels.values()]
