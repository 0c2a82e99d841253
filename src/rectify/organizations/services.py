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
