"""`GET /me`: who the API thinks the caller is, and through which credential."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import Router, Schema

from rectify.api.auth import actor
from rectify.api.schemas import OrgRef, errors

router = Router(tags=["当前用户"])


class MembershipOut(Schema):
    organization: OrgRef
    role: str
    role_label: str
    title: str


class TokenInfo(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    expires_at: dt.datetime


class MeOut(Schema):
    id: int
    username: str
    full_name: str
    is_superuser: bool
    auth: str
    token: TokenInfo | None
    memberships: list[MembershipOut]


@router.get("/me", response={200: MeOut, **errors()}, summary="当前用户")
def me(request: HttpRequest) -> dict[str, object]:
    user = actor(request)
    token = getattr(request, "api_token", None)
    memberships = [
        {"organization": m.organization, "role": m.role, "role_label": str(m.get_role_display()), "title": m.title}
        for m in user.memberships.select_related("organization").order_by("organization__path", "role")
    ]
    return {
        "id": user.pk, "username": user.username, "full_name": user.full_name, "is_superuser": user.is_superuser,
        "auth": "token" if token else "session", "token": token, "memberships": memberships,
    }
