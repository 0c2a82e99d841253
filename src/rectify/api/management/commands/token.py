"""`rectify token create USERNAME --name N --scope read|write --days 90` and `rectify token revoke ID`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rectify.api import services
from rectify.api.models import ApiToken
from rectify.errors import RectifyError
from rectify.organizations.models import User
from rectify.organizations.services import system_actor


class Command(BaseCommand):
    help = "创建或吊销个人接口令牌（令牌明文只显示一次）"

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="为用户创建接口令牌")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="令牌名称，如调用它的系统")
        create.add_argument("--scope", choices=ApiToken.Scope.values, default=ApiToken.Scope.READ)
        create.add_argument("--days", type=int, default=90, help="有效天数（默认 90）")
        create.add_argument("--json", action="store_true", help="以 JSON 输出")
        revoke = sub.add_parser("revoke", help="吊销接口令牌")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                self._create(options)
            else:
                self._revoke(options["token_id"])
        except RectifyError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, options: dict[str, Any]) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"用户 {options['username']} 不存在")
        token, secret = services.create_token(
            system_actor(), user=user, name=options["name"], scope=options["scope"], days=options["days"]
        )
        if options["json"]:
            self.stdout.write(json.dumps({
                "id": token.pk, "user": user.username, "name": token.name, "scope": token.scope,
                "expires_at": token.expires_at.isoformat(), "secret": secret,
            }, ensure_ascii=False))
            return
        self.stdout.write(secret)
        self.stderr.write(
            f"已为 {user.username} 创建{token.get_scope_display()}令牌「{token.name}」（编号 {token.pk}），"
            f"有效期至 {token.expires_at:%Y-%m-%d}。令牌只显示这一次，请妥善保存。"
        )

    def _revoke(self, token_id: int) -> None:
        token = ApiToken.objects.filter(pk=token_id).first()
        if token is None:
            raise CommandError(f"接口令牌 {token_id} 不存在")
        services.revoke_token(system_actor(), token)
        self.stdout.write(f"已吊销接口令牌「{token.name}」（编号 {token.pk}）")
