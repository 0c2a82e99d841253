"""Django admin: organizations, users and roles. Writes go through the services (audited)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rectify.audit import services as audit
from rectify.audit.models import AuditEvent
from rectify.organizations import services
from rectify.organizations.models import Membership, Organization, User
from rectify.organizations.scoping import grants, visible_organizations

admin.site.site_header = _("整改台账 管理后台")
admin.site.site_title = _("整改台账")
admin.site.index_title = _("系统管理")


class ScopedAdmin(admin.ModelAdmin):
    """Shows only rows inside the admin's organizations; `scope_field` names the path to an Organization."""

    scope_field = "organization"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        q = Q(pk__in=[])
        for g in grants(request.user):  # type: ignore[arg-type]
            q |= Q(**{f"{self.scope_field}__path__startswith": g.path})
        return qs.filter(q)


class ReadOnlyScopedAdmin(ScopedAdmin):
    """Ledger records are changed only through the app's services, so history stays complete."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin):
    scope_field = "parent"
    list_display = ["name", "short_name", "kind", "level", "parent"]
    list_filter = ["kind", "level"]
    search_fields = ["name", "short_name"]
    fields = ["name", "short_name", "kind", "level", "parent", "address", "postcode", "phone", "email"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs if request.user.is_superuser else qs & visible_organizations(request.user)  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Organization, form: Any, change: bool) -> None:
        if change:
            before = audit.snapshot(Organization.objects.get(pk=obj.pk))
            obj.save()
            audit.record(request.user, "organization.update", obj, unit_id=obj.pk, before=before)
        else:
            created = services.create_organization(
                request.user, name=obj.name, kind=obj.kind, parent=obj.parent, short_name=obj.short_name,  # type: ignore[arg-type]
                level=obj.level, address=obj.address, postcode=obj.postcode, phone=obj.phone, email=obj.email,
            )
            obj.pk = created.pk


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fk_name = "user"


@admin.register(User)
class RectifyUserAdmin(UserAdmin):
    list_display = ["username", "full_name", "is_active", "last_login"]
    search_fields = ["username", "full_name"]
    fieldsets = (*UserAdmin.fieldsets, (_("整改台账"), {"fields": ["full_name", "phone", "must_change_password"]}))
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(memberships__organization__in=visible_organizations(request.user)).distinct()  # type: ignore[arg-type]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if not change:
            obj.must_change_password = True
        super().save_model(request, obj, form, change)
        audit.record(request.user, "user.update" if change else "user.create", obj,
                     after={"username": obj.username, "full_name": obj.full_name, "is_active": obj.is_active})


@admin.register(Membership)
class MembershipAdmin(ReadOnlyScopedAdmin):
    list_display = ["user", "organization", "role", "title", "is_principal"]
    list_filter = ["role"]


# The audit log sits below organizations (every app writes to it), so its scoped admin lives here.
@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyScopedAdmin):
    list_display = ["id", "created_at", "actor_name", "action", "object_type", "object_id"]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_name", "object_id", "note"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = AuditEvent.objects.all()
        if request.user.is_superuser:
            return qs
        return qs.filter(unit_id__in=visible_organizations(request.user).values("pk"))  # type: ignore[arg-type]
