"""Writes of the API app: issuing and revoking personal API tokens (接口令牌), both audited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from rectify import clock
from rectify.api.models import ApiToken
from rectify.audit import services as audit
from rectify.errors import Forbidden, InvalidTransition, NotVisible, ValidationFailed
from rectify.organizations.models import User

SECRET_PREFIX = "rct_"
MAX_DAYS = 3650
PREFIX_LENGTH = 12


def hash_secret(secret: str) -> str:
    """The SHA-256 kept in the database; a secret of 256 random bits needs no slow hash."""
    return hashlib.sha256(secret.encode()).hexdigest()


def _token_record(token: ApiToken) -> dict[str, object]:
    # The audit row names the token, never its secret or hash.
    return {
        "id": token.pk, "user_id": token.user_id, "name": token.name, "prefix": token.prefix,
        "scope": token.scope, "expires_at": token.expires_at, "revoked_at": token.revoked_at,
    }


@transaction.atomic
def create_token(
    actor: User, *, name: str, scope: str = ApiToken.Scope.READ, days: int = 90, user: User | None = None
) -> tuple[ApiToken, str]:
    """Issue a personal API token (接口令牌); the secret is returned once and only its hash is kept.

    A user issues tokens for themselves; only an administrator (the command line's system actor)
    may issue one for `user`.
    """
    owner = user or actor
    if owner.pk != actor.pk and not actor.is_superuser:
        raise Forbidden(_("只能为自己创建接口令牌"))
    if not owner.is_active:
        raise ValidationFailed(_("用户 %(name)s 已停用，不能创建接口令牌") % {"name": owner.username}, field="user")
    name = (name or "").strip()
    if not name:
        raise ValidationFailed(_("「名称」不能为空"), field="name")
    if len(name) > 64:
        raise ValidationFailed(_("「名称」不能超过 64 个字符"), field="name")
    if scope not in ApiToken.Scope.values:
        raise ValidationFailed(_("「权限范围」无法识别：%(value)s") % {"value": scope}, field="scope")
    if not 1 <= days <= MAX_DAYS:
        raise ValidationFailed(_("「有效天数」应在 1 至 %(max)d 之间") % {"max": MAX_DAYS}, field="days")
    if ApiToken.objects.filter(user=owner, name=name, revoked_at__isnull=True).exists():
        raise ValidationFailed(_("已有名为「%(name)s」的有效令牌") % {"name": name}, field="name")
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    try:
        with transaction.atomic():
            token = ApiToken.objects.create(
                user=owner, name=name, prefix=secret[:PREFIX_LENGTH], token_hash=hash_secret(secret), scope=scope,
                expires_at=now + dt.timedelta(days=days), created_at=now,
            )
    except IntegrityError as exc:  # a concurrent request took the same name
        raise ValidationFailed(_("已有名为「%(name)s」的有效令牌") % {"name": name}, field="name") from exc
    audit.record(actor, "apitoken.create", token, after=_token_record(token))
    return token, secret


@transaction.atomic
def revoke_token(actor: User, token: ApiToken) -> ApiToken:
    """Revoke (吊销) a token at once; its owner or an administrator may do it."""
    if token.user_id != actor.pk and not actor.is_superuser:
        raise NotVisible(_("未找到该记录"))
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise InvalidTransition(_("该令牌已吊销"))
    before = _token_record(token)
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor, "apitoken.revoke", token, before=before, after=_token_record(token))
    return token
