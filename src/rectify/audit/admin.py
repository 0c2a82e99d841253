from __future__ import annotations

from django.contrib import admin

from rectify.audit.models import AuditEvent
from rectify.organizations.admin import ReadOnlyScopedAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyScopedAdmin):
    list_display = ["id", "created_at", "actor_name", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_id", "note"]

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        from rectify.organizations.scoping import visible_organizations

        qs = AuditEvent.objects.all()
        if request.user.is_superuser:
            return qs
        return qs.filter(unit_id__in=visible_organizations(request.user).values("pk"))
