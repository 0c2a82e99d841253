"""A new deployment's first administrator, organizations and users (`rectify bootstrap`).

The organization plan is a small TOML file (docs/deployment.md shows one): the inspection office,
the inspected units with their departments, and the first users with their roles. Everything is
created through the organization services, in one transaction, and only what does not exist yet.
"""

from __future__ import annotations

import secrets
import string
import tomllib
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from rectify.audit import services as audit
from rectify.errors import ValidationFailed
from rectify.organizations import services as orgs
from rectify.organizations.models import Organization, Role, User


@dataclass
class BootstrapResult:
    admin_created: bool = False
    organizations: list[str] = field(default_factory=list)  # created, as "单位/部门"
    users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, role label, initial password)
    existing_users: list[str] = field(default_factory=list)


def check_password(password: str, *, username: str, full_name: str = "", email: str = "") -> None:
    """Apply the deployment's password rules (AUTH_PASSWORD_VALIDATORS) before any account is created."""
    try:
        validate_password(password, user=User(username=username, full_name=full_name, email=email))
    except ValidationError as error:
        raise ValidationFailed(_("密码不符合要求：%(reasons)s") % {"reasons": "；".join(error.messages)},
                               field="password") from error


def initial_password() -> str:
    """A random first password that passes the rules; its holder must change it at first login."""
    alphabet = string.ascii_letters + string.digits
    while True:
        body = "".join(secrets.choice(alphabet) for _i in range(12))
        candidate = f"{body[:6]}-{body[6:]}"
        if any(c.isdigit() for c in body) and any(c.islower() for c in body) and any(c.isupper() for c in body):
            return candidate


def read_plan(text: str) -> dict[str, Any]:
    """The organization plan from TOML text; a syntax error names the line."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ValidationFailed(_("组织清单无法读取：%(error)s") % {"error": error}, field="organizations") from error


def _role(value: str, where: str) -> str:
    labels = {str(label): code for code, label in Role.choices}
    if value in Role.values:
        return value
    if value in labels:
        return labels[value]
    raise ValidationFailed(_("%(where)s「role」无法识别：%(value)s（可填：%(choices)s）") % {
        "where": where, "value": value, "choices": "、".join(labels)}, field="role")


def _text(item: dict[str, Any], key: str, where: str, *, required: bool = True) -> str:
    value = item.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationFailed(_("%(where)s缺少「%(field)s」或不是文字") % {"where": where, "field": key}, field=key)
    return value.strip()


def _organization(system: User, result: BootstrapResult, *, name: str, kind: str, parent: Organization | None,
                  short_name: str = "", level: str = "") -> Organization:
    existing = Organization.objects.filter(parent=parent, name=name).first()
    if existing is not None:
        return existing
    org = orgs.create_organization(system, name=name, kind=kind, parent=parent, short_name=short_name, level=level)
    result.organizations.append(f"{parent}/{org.name}" if parent else org.name)
    return org


def _find(path: str, known: dict[str, Organization], where: str) -> Organization:
    if path in known:
        return known[path]
    raise ValidationFailed(_("%(where)s「organization」找不到：%(value)s（填写单位的名称或简称，部门写作「单位/部门」）")
                           % {"where": where, "value": path}, field="organization")


@transaction.atomic
def bootstrap(*, username: str, full_name: str, email: str = "", password: str | None,
              plan: dict[str, Any] | None = None) -> BootstrapResult:
    """Create the first administrator (系统管理员) and the organization plan's offices, units and users."""
    # The accounts go on the system chain after the new units' chains: name it first (chains lock in order).
    audit.lock_chains([None])
    system = orgs.system_actor()
    result = BootstrapResult()
    plan = plan or {}
    known: dict[str, Organization] = {}
    office = None
    if "office" in plan:
        item = plan["office"]
        office = _organization(system, result, name=_text(item, "name", "office "), kind=Organization.Kind.OFFICE,
                               parent=None, short_name=_text(item, "short_name", "office ", required=False),
                               level=orgs.level_code(_text(item, "level", "office ", required=False), where="office "))
        known.update({office.name: office, str(office): office})
    for index, item in enumerate(plan.get("units", []), start=1):
        where = _("units 第 %(n)d 项") % {"n": index}
        unit = _organization(system, result, name=_text(item, "name", where), kind=Organization.Kind.UNIT,
                             parent=office, short_name=_text(item, "short_name", where, required=False),
                             level=orgs.level_code(_text(item, "level", where, required=False), where=where))
        known.update({unit.name: unit, str(unit): unit})
        for department in item.get("departments", []):
            if not isinstance(department, str) or not department.strip():
                raise ValidationFailed(_("%(where)s「departments」中有空的部门名称") % {"where": where}, field="departments")
            dept = _organization(system, result, name=department.strip(), kind=Organization.Kind.DEPARTMENT, parent=unit)
            known.update({f"{unit.name}/{dept.name}": dept, f"{unit}/{dept.name}": dept})

    if not User.objects.filter(username=username).exists():
        if password is None:
            raise ValidationFailed(_("需要管理员密码"), field="password")
        check_password(password, username=username, full_name=full_name, email=email)
        admin = orgs.create_user(system, username=username, full_name=full_name, email=email, password=password,
                                 must_change_password=False, is_staff=True, is_superuser=True)
        if office is not None:
            orgs.grant_role(system, user=admin, organization=office, role=Role.ADMIN)
        result.admin_created = True

    for index, item in enumerate(plan.get("users", []), start=1):
        where = _("users 第 %(n)d 项") % {"n": index}
        name = _text(item, "username", where)
        role = _role(_text(item, "role", where), where)
        organization = _find(_text(item, "organization", where), known, where)
        user = User.objects.filter(username=name).first()
        if user is None:
            first = initial_password()
            user = orgs.create_user(system, username=name, full_name=_text(item, "full_name", where),
                                    email=_text(item, "email", where, required=False), password=first)
            result.users.append((name, str(Role(role).label), first))
        else:
            result.existing_users.append(name)
        orgs.grant_role(system, user=user, organization=organization, role=role,
                        title=_text(item, "title", where, required=False),
                        is_principal=bool(item.get("principal", False)), is_handler=bool(item.get("handler", False)))
    return result
