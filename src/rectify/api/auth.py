"""Who is calling: a logged-in session (with CSRF) or a personal API token (`Authorization: Bearer …`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from rectify import clock
from rectify.api.errors import ApiError
from rectify.api.models import ApiToken
from rectify.api.services import hash_secret
from rectify.organizations.models import User

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Recording every use would turn each read into a write; a minute's precision is enough.
TOUCH_EVERY = dt.timedelta(minutes=1)


def token_for_secret(secret: str) -> ApiToken:
    """The live token with this secret, or an ApiError 401 saying why not."""
    token = (
        ApiToken.objects.select_related("user").filter(token_hash=hash_secret(secret)).first()
        if secret.isascii() and 0 < len(secret) <= 200 else None
    )
    if token is None or not token.user.is_active:
        raise ApiError(401, "invalid_token", _("接口令牌无效"))
    if token.revoked_at is not None:
        raise ApiError(401, "token_revoked", _("接口令牌已吊销"))
    now = clock.now()
    if token.is_expired(now):
        raise ApiError(401, "token_expired", _("接口令牌已过期"))
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <token>`; a read-only token is refused on every write."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        api_token = token_for_secret(token.strip())
        if api_token.scope != ApiToken.Scope.WRITE and request.method not in SAFE_METHODS:
            raise ApiError(403, "read_only_token", _("只读令牌不能执行写操作"))
        request.api_token = api_token  # type: ignore[attr-defined]
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The web app's own login session; writes must carry the CSRF token (X-CSRFToken)."""

    param_name: str = settings.SESSION_COOKIE_NAME

    def __init__(self) -> None:
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        if not getattr(request, "_ninja_csrf_exempt", False) and check_csrf(request):
            raise ApiError(403, "csrf_failed", _("CSRF 校验失败，请刷新页面后重试"))
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:  # pragma: no cover - see __call__
        return None


def actor(request: HttpRequest) -> User:
    """The authenticated user every endpoint passes to the services."""
    return request.auth  # type: ignore[attr-defined,no-any-return]
