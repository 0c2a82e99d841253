"""The inbox and the supervision records a user may see."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rectify.errors import NotVisible
from rectify.organizations.models import Organization, User
from rectify.organizations.scoping import UNIT_ROLES, addressed_q, roles_over_unit
from rectify.supervision.models import Notification, Order


def unread_count(user: User) -> int:
    """Unread notifications (未读通知) for the navigation badge; 0 for anonymous users."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user: User) -> QuerySet[Notification]:
    """The user's own notifications (站内通知), newest first."""
    return Notification.objects.filter(recipient=user).select_related("task", "lead", "inspection")


def orders_visible_to(user: User) -> QuerySet[Order]:
    """督办文书 of the units the user sees at unit level, or addressed to the user's department."""
    return Order.objects.filter(addressed_q(user, unit="unit", department="department")).select_related(
        "unit", "task", "department")


def visible_unit(user: User, pk: int) -> Organization:
    """An inspected unit the user holds a unit-level role over; NotVisible otherwise (404)."""
    unit = Organization.objects.filter(pk=pk, kind=Organization.Kind.UNIT).first()
    if unit is None or not roles_over_unit(user, unit) & UNIT_ROLES:
        raise NotVisible(_("未找到该单位"))
    return unit
