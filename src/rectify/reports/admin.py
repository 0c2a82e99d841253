"""Read-only admin views: reports change through the services, versions never change."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from rectify.reports.models import Feedback, Report, ReportSection, ReportVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SectionInline(admin.TabularInline):
    model = ReportSection
    fields = ("position", "key", "heading", "edited", "version")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "status", "inspection", "updated_at")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    inlines = [SectionInline]


@admin.register(ReportVersion)
class ReportVersionAdmin(ReadOnlyAdmin):
    list_display = ("title", "number", "published_by_name", "published_at", "sha256")
    search_fields = ("title", "sha256")


@admin.register(Feedback)
class FeedbackAdmin(ReadOnlyAdmin):
    list_display = ("reference", "unit", "status", "created_at")
    list_filter = ("status",)
