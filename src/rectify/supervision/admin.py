"""Admin for supervision: webhook endpoints are configured here (audited); the rest is read-only.

Every list is limited to the admin's organizations (organizations.admin.ScopedAdmin).
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rectify.audit import services as audit
from rectify.organizations.admin import ReadOnlyScopedAdmin, ScopedAdmin
from rectify.supervision.models import (
    Dispatch,
    DispatchDecision,
    Evaluation,
    Notification,
    Order,
    PlanReview,
    PlanVersion,
    ReviewParty,
    WebhookDelivery,
    WebhookEndpoint,
)


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ScopedAdmin):
    scope_field = "unit"
    list_display = ("name", "unit", "url", "active", "max_attempts")
    list_filter = ("active",)
    search_fields = ("name", "url", "unit__name")

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool) -> None:
        before = audit.snapshot(WebhookEndpoint.objects.get(pk=obj.pk)) if change else None
        super().save_model(request, obj, form, change)
        # The secret is never written to the audit log.
        after = {k: v for k, v in audit.snapshot(obj).items() if k != "secret"}
        if before is not None:
            before.pop("secret", None)
        audit.record(request.user, "webhook.update" if change else "webhook.create", obj, unit_id=obj.unit_id,
                     before=before, after=after)

    def delete_model(self, request: HttpRequest, obj: WebhookEndpoint) -> None:
        audit.record(request.user, "webhook.delete", obj, unit_id=obj.unit_id,
                     after={"url": obj.url, "name": obj.name})
        super().delete_model(request, obj)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyScopedAdmin):
    scope_field = "endpoint__unit"
    list_display = ("notification", "endpoint", "status", "attempts", "response_code", "next_try_at")
    list_filter = ("status",)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyScopedAdmin):
    scope_field = "unit"
    list_display = ("title", "recipient", "kind", "due_on", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("title", "recipient__username", "recipient__full_name")


@admin.register(Order)
class OrderAdmin(ReadOnlyScopedAdmin):
    scope_field = "unit"
    list_display = ("kind", "number", "addressee", "issued_on", "reply_due", "status")
    list_filter = ("kind", "status")


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyScopedAdmin):
    scope_field = "unit"
    list_display = ("unit", "week_of", "held_on")


@admin.register(DispatchDecision)
class DispatchDecisionAdmin(ReadOnlyScopedAdmin):
    scope_field = "dispatch__unit"
    list_display = ("dispatch", "task", "responsible", "due_on")


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyScopedAdmin):
    scope_field = "inspection__target"
    list_display = ("inspection", "number", "status", "submitted_at")


@admin.register(PlanReview)
class PlanReviewAdmin(ReadOnlyScopedAdmin):
    scope_field = "inspection__target"
    list_display = ("inspection", "subject", "party", "grade", "sent_back", "created_at")


@admin.register(ReviewParty)
class ReviewPartyAdmin(ScopedAdmin):
    """Which organization's accounts review plans as which party (e.g. 组织部)."""

    scope_field = "organization"
    list_display = ("organization", "party")


@admin.register(Evaluation)
class EvaluationAdmin(ReadOnlyScopedAdmin):
    scope_field = "inspection__target"
    list_display = ("inspection", "evaluated_on", "total", "grade", "needs_second_round")
