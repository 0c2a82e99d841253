"""Account pages beyond Django's login: changing the password (forced for new accounts)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from rectify.audit import services as audit


@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        user.must_change_password = False
        user.save(update_fields=["must_change_password"])
        update_session_auth_hash(request, user)
        audit.record(user, "user.password_change", user, after={"username": user.username})
        messages.success(request, _("密码已修改"))
        return redirect("ledger:home")
    return render(request, "registration/password_change_form.html", {"form": form})


def _unit_for_admin(request: HttpRequest, pk: int) -> Any:
    """The unit if its administrator asks; another unit is 404, a role without the right 403."""
    from django.http import Http404

    from rectify.errors import NotVisible
    from rectify.organizations import services
    from rectify.organizations.models import Organization

    unit = Organization.objects.filter(pk=pk, kind=Organization.Kind.UNIT).first()
    if unit is None:
        raise Http404
    try:
        services.require_unit_admin(request.user, unit)  # type: ignore[arg-type]
    except NotVisible as exc:
        raise Http404 from exc
    return unit


@login_required
def people(request: HttpRequest, pk: int) -> HttpResponse:
    """人员与部门: a unit administrator lists, adds, deactivates and re-assigns the unit's people."""
    from django.http import Http404

    from rectify.errors import Forbidden, NotVisible, RectifyError
    from rectify.organizations import services
    from rectify.organizations.models import Membership, Organization, User

    unit = _unit_for_admin(request, pk)
    orgs = list(Organization.objects.filter(path__startswith=unit.path).order_by("path"))
    post = request.POST
    if request.method == "POST":
        by_id = {o.pk: o for o in orgs}
        organization = by_id.get(int(post["organization"])) if post.get("organization", "").isdigit() else None
        op = post.get("op")
        try:
            if op == "add":
                services.add_person(request.user, unit=unit, username=post.get("username", ""),  # type: ignore[arg-type]
                                    full_name=post.get("full_name", ""), password=post.get("password", ""),
                                    organization=organization or unit, role=post.get("role", ""))
                messages.success(request, _("用户已创建，首次登录须修改密码"))
            elif op == "level":
                services.set_level(request.user, unit=unit, level=post.get("level", ""))  # type: ignore[arg-type]
                messages.success(request, _("单位层级已保存"))
            elif op == "department":
                services.create_organization(request.user, name=post.get("name", ""),  # type: ignore[arg-type]
                                             kind=Organization.Kind.DEPARTMENT, parent=unit)
                messages.success(request, _("部门已添加"))
            elif op in ("deactivate", "activate"):
                user = User.objects.filter(pk=post.get("user") or 0).first()
                if user is None:
                    raise Http404
                services.set_person_active(request.user, unit=unit, user=user, active=op == "activate")  # type: ignore[arg-type]
                messages.success(request, _("账号已停用") if op == "deactivate" else _("账号已启用"))
            elif op == "change":
                membership = Membership.objects.filter(pk=post.get("membership") or 0, organization__in=orgs).first()
                if membership is None or organization is None:
                    raise Http404
                services.change_membership(request.user, unit=unit, membership=membership,  # type: ignore[arg-type]
                                           organization=organization, role=post.get("role", ""))
                messages.success(request, _("角色已调整"))
        except NotVisible as exc:
            raise Http404 from exc
        except Forbidden:
            raise
        except RectifyError as exc:
            messages.error(request, exc.message)
            return render(request, "organizations/people.html", _people_context(unit, orgs, post), status=400)
        return redirect("people", pk=unit.pk)
    return render(request, "organizations/people.html", _people_context(unit, orgs, None))


def _people_context(unit: Any, orgs: list[Any], post: Any) -> dict[str, Any]:
    from rectify.organizations.models import Membership, Organization, Role

    memberships = Membership.objects.filter(organization__in=orgs).select_related("user", "organization").order_by(
        "organization__path", "user__full_name", "pk")
    roles = [(v, label) for v, label in Role.choices if v != Role.INSPECTION_OFFICE]
    return {"unit": unit, "orgs": orgs, "memberships": memberships, "roles": roles, "post": post or {},
            "levels": Organization.Level.choices}
