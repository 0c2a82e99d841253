"""The caller's own API tokens: list, issue (the secret is shown once), revoke."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from rectify.api import services
from rectify.api.auth import actor
from rectify.api.errors import ApiError
from rectify.api.models import ApiToken
from rectify.api.schemas import MAX_ID, errors, short_text
from rectify.errors import NotVisible

router = Router(tags=["接口令牌"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    expires_at: dt.datetime
    revoked_at: dt.datetime | None
    last_used_at: dt.datetime | None
    created_at: dt.datetime


class NewTokenOut(TokenOut):
    secret: str = Field(description="令牌明文，只显示这一次，请妥善保存")


class TokenIn(Schema):
    name: short_text(64)  # type: ignore[valid-type]
    scope: ApiToken.Scope = ApiToken.Scope.READ
    days: int = Field(90, ge=1, le=services.MAX_DAYS)


@router.get("/tokens", response={200: list[TokenOut], **errors()}, summary="我的接口令牌")
def list_tokens(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=actor(request))[:200]


@router.post("/tokens", response={201: NewTokenOut, **errors(403)}, summary="创建接口令牌")
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    # A leaked token must not mint more tokens: new ones are issued only to a logged-in person.
    if getattr(request, "api_token", None) is not None:
        raise ApiError(403, "session_required", _("请登录后在网页上创建接口令牌"))
    token, secret = services.create_token(actor(request), name=payload.name, scope=payload.scope, days=payload.days)
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "secret": secret})


@router.delete("/tokens/{token_id}", response={200: TokenOut, **errors(404, 409)}, summary="吊销接口令牌")
def revoke_token(request: HttpRequest, token_id: int = Path(..., ge=1, le=MAX_ID)) -> ApiToken:
    token = ApiToken.objects.filter(pk=token_id, user=actor(request)).first()
    if token is None:
        raise NotVisible(_("未找到该记录"))
    return services.revoke_token(actor(request), token)
