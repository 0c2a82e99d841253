from __future__ import annotations

from django.contrib import admin

from rectify.ledger.models import (
    ClosureReview,
    Comment,
    Evidence,
    Handover,
    Lead,
    LookBack,
    Outcome,
    Progress,
    RuleChange,
    Task,
)
from rectify.organizations.admin import ReadOnlyScopedAdmin


@admin.register(Task)
class TaskAdmin(ReadOnlyScopedAdmin):
    scope_field = "unit"
    list_display = ["number", "title", "status", "category", "deadline", "lead_org", "leader_name"]
    list_filter = ["status", "category"]
    search_fields = ["title", "leader_name"]


def _task_scoped(model: type, display: list[str]) -> None:
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyScopedAdmin,), {
        "scope_field": "task__unit", "list_display": display}))


def _unit_scoped(model: type, display: list[str]) -> None:
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyScopedAdmin,), {
        "scope_field": "unit", "list_display": display}))


_task_scoped(Progress, ["task", "kind", "reported_on", "author"])
_task_scoped(Evidence, ["original_name", "task", "size", "sha256", "uploaded_at"])
_task_scoped(ClosureReview, ["task", "stage", "decision", "reviewer", "created_at"])
_task_scoped(Comment, ["task", "kind", "author", "created_at"])
_task_scoped(LookBack, ["task", "method", "scheduled_on", "result"])
_unit_scoped(RuleChange, ["title", "action", "document_no", "issued_on"])
_unit_scoped(Lead, ["summary", "kind", "received_on", "status"])
_unit_scoped(Outcome, ["what", "value", "value_unit", "kind"])
_unit_scoped(Handover, ["from_user", "to_user", "role", "created_at"])
