"""Writes to the organization tree, users and memberships."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from rectify.audit import services as audit
from rectify.errors import ValidationFailed
from rectify.organizations.models import Membership, Organization, Role, User
from rectify.organizations.scoping import forget_grants

SYSTEM_USERNAME = "system"


def system_actor() -> User:
    """The actor the command line works as: an administrator that cannot log in."""
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME,
        defaults={"full_name": "系统", "is_superuser": True, "is_staff": False, "is_active": True},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def level_code(value: str, *, where: str = "") -> str:
    """The level (层级) as stored, from its code or its Chinese name (省级); empty for none; refused with the value."""
    value = (value or "").strip()
    labels = {str(label): code for code, label in Organization.Level.choices}
    if value in Organization.Level.values or not value:
        return value
    if value in labels:
        return labels[value]
    raise ValidationFailed(_("%(where)s「层级」无法识别：%(value)s（可填：%(choices)s）") % {
        "where": where, "value": value, "choices": "、".join(labels)}, field="level")


@transaction.atomic
def create_organization(
    actor: User | None, *, name: str, kind: str, parent: Organization | None = None, short_name: str = "", **extra: str
) -> Organization:
    """Create a node of the organization tree (巡视巡察机构 → 被巡视巡察单位 → 内设部门) and its path."""
    name = name.strip()
    if not name:
        raise ValidationFailed(_("「名称」不能为空"), field="name")
    if kind == Organization.Kind.DEPARTMENT and parent is None:
        raise ValidationFailed(_("内设部门必须属于一个单位"), field="parent")
    if Organization.objects.filter(parent=parent, name=name).exists():
        raise ValidationFailed(_("「名称」%(name)s 已存在") % {"name": name}, field="name")
    if "level" in extra:
        extra["level"] = level_code(extra["level"])
    org = Organization(name=name, kind=kind, parent=parent, short_name=short_name, **extra)
    org.save()
    org.path = f"{parent.path if parent else '/'}{org.pk}/"
    org.save(update_fields=["path"])
    audit.record(actor, "organization.create", org, unit_id=org.pk)
    return org


@transaction.atomic
def create_user(
    actor: User | None, *, username: str, full_name: str, password: str | None = None, email: str = "",
    must_change_password: bool = True, is_staff: bool = False, is_superuser: bool = False,
) -> User:
    """Create a login; admin-created accounts must change their password at first login."""
    if User.objects.filter(username=username).exists():
        raise ValidationFailed(_("用户名 %(name)s 已存在") % {"name": username}, field="username")
    user = User(username=username, full_name=full_name, email=email, must_change_password=must_change_password,
                is_staff=is_staff, is_superuser=is_superuser)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    audit.record(actor, "user.create", user, after={"username": username, "full_name": full_name})
    return user


@transaction.atomic
def grant_role(
    actor: User | None, *, user: User, organization: Organization, role: str, title: str = "",
    is_principal: bool = False, is_handler: bool = False,
) -> Membership:
    """Give a user a role at an organization (and so over its subtree)."""
    if role not in Role.values:
        raise ValidationFailed(_("「角色」无法识别：%(value)s") % {"value": role}, field="role")
    membership, _created = Membership.objects.update_or_create(
        user=user, organization=organization, role=role,
        defaults={"title": title, "is_principal": is_principal, "is_handler": is_handler},
    )
    audit.record(actor, "membership.grant", membership, unit_id=organization.pk)
    forget_grants(user)
    return membership


def require_unit_admin(actor: User, unit: Organization) -> None:
    """Only the unit's own administrator (系统管理员 of the unit or above) manages its people; another unit
    stays hidden (NotVisible), a role without the right is Forbidden."""
    from rectify.errors import Forbidden, NotVisible
    from rectify.organizations.scoping import SYSTEM, roles_over_unit

    roles = roles_over_unit(actor, unit)
    if not roles:
        raise NotVisible(_("未找到该记录"))
    if not roles & {Role.ADMIN, SYSTEM}:
        raise Forbidden(_("只有本单位的系统管理员可以管理用户和部门"))


@transaction.atomic
def set_level(actor: User, *, unit: Organization, level: str) -> Organization:
    """The administrator sets a unit's level (层级: 省级, 市级, 县级 …), by its code or its Chinese name."""
    require_unit_admin(actor, unit)
    code = level_code(level)
    if code != unit.level:
        before = audit.snapshot(unit)
        unit.level = code
        unit.save(update_fields=["level"])
        audit.record(actor, "organization.update", unit, unit_id=unit.pk, before=before, after=audit.snapshot(unit))
    return unit


def _in_unit(unit: Organization, organization: Organization, field: str) -> None:
    if not organization.path.startswith(unit.path):
        raise ValidationFailed(_("「%(name)s」不属于本单位") % {"name": organization.name}, field=field)


def _only_in_unit(unit: Organization, user: User) -> None:
    """A unit administrator never reaches a person who also holds a role elsewhere."""
    from rectify.errors import NotVisible

    paths = list(Membership.objects.filter(user=user).values_list("organization__path", flat=True))
    if not paths or not all(p.startswith(unit.path) for p in paths):
        raise NotVisible(_("未找到该记录"))


@transaction.atomic
def add_person(
    actor: User, *, unit: Organization, username: str, full_name: str, password: str, organization: Organization,
    role: str, email: str = "",
) -> User:
    """A unit administrator adds a person (新增用户) with a role in the unit; the password meets the validators
    and must be changed at first login."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    require_unit_admin(actor, unit)
    _in_unit(unit, organization, "organization")
    if role == Role.INSPECTION_OFFICE or role not in Role.values:
        raise ValidationFailed(_("「角色」无法识别：%(value)s") % {"value": role}, field="role")
    username = username.strip()
    if not username:
        raise ValidationFailed(_("「用户名」不能为空"), field="username")
    try:
        validate_password(password, User(username=username, full_name=full_name, email=email))
    except ValidationError as exc:
        raise ValidationFailed("；".join(exc.messages), field="password") from exc
    user = create_user(actor, username=username, full_name=full_name.strip(), password=password, email=email,
                       must_change_password=True)
    grant_role(actor, user=user, organization=organization, role=role)
    return user


@transaction.atomic
def set_person_active(actor: User, *, unit: Organization, user: User, active: bool) -> User:
    """Deactivate (停用) or reactivate a person of the unit; never oneself."""
    require_unit_admin(actor, unit)
    _only_in_unit(unit, user)
    if user.pk == actor.pk and not active:
        raise ValidationFailed(_("不能停用自己的账号"), field="user")
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(actor, "user.activate" if active else "user.deactivate", user, unit_id=unit.pk)
    return user


@transaction.atomic
def change_membership(actor: User, *, unit: Organization, membership: Membership, organization: Organization,
                      role: str) -> Membership:
    """Move a person's role to another department or role within the unit (调整部门/角色)."""
    require_unit_admin(actor, unit)
    _only_in_unit(unit, membership.user)
    _in_unit(unit, organization, "organization")
    if role == Role.INSPECTION_OFFICE or role not in Role.values:
        raise ValidationFailed(_("「角色」无法识别：%(value)s") % {"value": role}, field="role")
    if Membership.objects.filter(user=membership.user, organization=organization, role=role).exclude(pk=membership.pk).exists():
        raise ValidationFailed(_("该人员已有这一角色"), field="role")
    before = audit.snapshot(membership)
    membership.organization, membership.role = organization, role
    membership.save(update_fields=["organization", "role"])
    audit.record(actor, "membership.change", membership, unit_id=unit.pk, before=before, after=audit.snapshot(membership))
    forget_grants(membership.user)
    return membership
