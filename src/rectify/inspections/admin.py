from __future__ import annotations

from django.contrib import admin

from rectify.inspections.models import Finding, Inspection
from rectify.organizations.admin import ReadOnlyScopedAdmin


@admin.register(Inspection)
class InspectionAdmin(ReadOnlyScopedAdmin):
    scope_field = "target"
    list_display = ["title", "kind", "target", "group", "feedback_date"]
    list_filter = ["kind", "type"]
    search_fields = ["title", "target__name"]


@admin.register(Finding)
class FindingAdmin(ReadOnlyScopedAdmin):
    scope_field = "inspection__target"
    list_display = ["label", "title", "level", "kind", "inspection"]
    list_filter = ["level", "kind"]
    search_fields = ["title"]
