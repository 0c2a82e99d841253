"""The side navigation and the role label, chosen from the user's roles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from rectify.organizations.models import Role
from rectify.organizations.scoping import grants
from rectify.rules.permissions import Action, has_role

# Counts shown next to a navigation item, by URL name. Apps above organizations register theirs when
# ready (supervision: unread notifications), so the navigation never imports them.
COUNTS: dict[str, Callable[[Any], int]] = {}


def register_count(url_name: str, count: Callable[[Any], int]) -> None:
    COUNTS[url_name] = count


def _count(url_name: str, user: Any) -> int | None:
    count = COUNTS.get(url_name)
    return count(user) if count is not None else None


ROLE_ORDER = [Role.ADMIN, Role.INSPECTION_OFFICE, Role.RECTIFICATION_OFFICE, Role.LEADER, Role.SUPERVISOR, Role.DEPARTMENT]


def main_role(user: Any) -> str | None:
    held = {g.role for g in grants(user)}
    return next((role for role in ROLE_ORDER if role in held), None)


def nav(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `nav.items` for the side bar and `nav.role_label` for the top bar."""
    user = request.user
    if not user.is_authenticated:
        return {}
    held = {g.role for g in grants(user)}  # type: ignore[arg-type]
    role = main_role(user)
    items: list[dict[str, Any]] = [{"label": _("工作台"), "url": reverse("ledger:home")}]
    if held & {Role.DEPARTMENT, Role.LEADER}:
        items.append({"label": _("我的任务"), "url": reverse("ledger:my_tasks")})
    if has_role(Action.REVIEW, held) or has_role(Action.APPROVE, held):
        items.append({"label": _("待我审批"), "url": reverse("ledger:approvals")})
    items.append({"label": pgettext("navigation", "巡视巡察"), "url": reverse("inspections:list"), "group": _("整改工作")})
    if has_role(Action.VIEW_OVERVIEW, held):
        items.append({"label": _("各单位总览"), "url": reverse("ledger:overview")})
    items.append({"label": pgettext("navigation", "通知"), "url": reverse("supervision:inbox"),
                  "count": _count("supervision:inbox", user)})
    if has_role(Action.ANALYSE, held):
        items.append({"label": _("共性问题"), "url": reverse("supervision:common_problems")})
    items.append({"label": _("全文搜索"), "url": reverse("ledger:search")})
    # The feedback inbox is the office's (reports.selectors.inbox_for): offered to whoever may open it.
    if has_role(Action.MANAGE_RECORDS, held):
        items.append({"label": _("群众意见"), "url": reverse("reports:inbox")})
    items.append({"label": _("公开通报"), "url": reverse("portal:index")})
    unit_level = held - {Role.DEPARTMENT}
    if unit_level:
        items.append({"label": _("建章立制"), "url": reverse("ledger:all_rules"), "group": _("登记簿")})
    items.append({"label": _("问题线索"), "url": reverse("ledger:all_leads"), **({} if unit_level else {"group": _("登记簿")})})
    if unit_level:
        items.append({"label": _("整改成效"), "url": reverse("ledger:all_outcomes")})
    if has_role(Action.HANDOVER, held):
        items.append({"label": _("责任交接"), "url": reverse("ledger:handover_units")})
    admin_orgs = [g.organization_id for g in grants(user) if g.role == Role.ADMIN]  # type: ignore[arg-type]
    if admin_orgs:
        from rectify.organizations.models import Organization

        own = Organization.objects.filter(pk__in=admin_orgs, kind=Organization.Kind.UNIT).order_by("pk").first()
        if own is not None:
            items.append({"label": _("人员与部门"), "url": reverse("people", args=[own.pk]), "group": _("系统")})
    if user.is_staff:
        items.append({"label": _("系统管理"), "url": reverse("admin:index"), "group": _("系统")})
    path = request.path
    best = max((i for i in items if path.startswith(i["url"])), key=lambda i: len(i["url"]), default=None)
    if best is not None:
        best["current"] = True
    return {"nav": {"items": items, "role_label": Role(role).label if role else ""}}
