"""`rectify bootstrap`: the first administrator (password rules applied), organizations and users."""

from __future__ import annotations

import getpass
import json
import os
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from rectify.errors import ValidationFailed
from rectify.organizations.bootstrap import BootstrapResult, bootstrap, check_password, read_plan
from rectify.organizations.models import User


class Command(BaseCommand):
    help = "新部署初始化：创建第一个系统管理员（按密码规则检查），以及组织清单中的机构、单位、部门和用户"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin", help="管理员用户名（默认 admin）")
        parser.add_argument("--full-name", default="系统管理员", help="管理员姓名")
        parser.add_argument("--email", default="", help="管理员电子邮箱")
        parser.add_argument("--password-file", help="从该文件读取管理员密码（第一行）")
        parser.add_argument("--password-env", help="从该环境变量读取管理员密码，如 RECTIFY_ADMIN_PASSWORD")
        parser.add_argument("--organizations", metavar="FILE.toml", help="组织清单：机构、单位、部门和用户")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive",
                            help="不提问（密码须由 --password-file 或 --password-env 给出）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出结果（含初始密码）")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self._handle(options)

    def _handle(self, options: dict[str, Any]) -> None:
        plan = None
        if options["organizations"]:
            path = Path(options["organizations"])
            try:
                plan = read_plan(path.read_text(encoding="utf-8"))
            except OSError as error:
                raise CommandError(f"无法读取组织清单 {path}：{error.strerror}") from error
            except ValidationFailed as error:
                raise CommandError(str(error)) from error
        username = options["username"]
        password = None
        if not User.objects.filter(username=username).exists():
            password = self._password(options)
        try:
            result = bootstrap(username=username, full_name=options["full_name"], email=options["email"],
                               password=password, plan=plan)
        except ValidationFailed as error:
            raise CommandError(str(error)) from error
        if options["json"]:
            self.stdout.write(json.dumps({
                "admin_created": result.admin_created, "organizations": result.organizations,
                "users": [{"username": u, "role": r, "initial_password": p} for u, r, p in result.users],
                "existing_users": result.existing_users,
            }, ensure_ascii=False, indent=2))
            return
        self._report(result, username)

    def _password(self, options: dict[str, Any]) -> str:
        if options["password_file"]:
            try:
                text = Path(options["password_file"]).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(f"无法读取密码文件 {options['password_file']}：{error.strerror}") from error
            return text.splitlines()[0] if text.strip() else ""
        if options["password_env"]:
            value = os.environ.get(options["password_env"])
            if not value:
                raise CommandError(f"环境变量 {options['password_env']} 未设置或为空")
            return value
        if not options["interactive"] or not sys.stdin.isatty():
            raise CommandError("没有终端可以输入密码：请用 --password-file 文件 或 --password-env 变量名 给出管理员密码")
        while True:
            first = getpass.getpass(f"管理员 {options['username']} 的密码：")
            if first != getpass.getpass("再输入一次："):
                self.stderr.write("两次输入的密码不一致，请重新输入。")
                continue
            try:
                check_password(first, username=options["username"], full_name=options["full_name"],
                               email=options["email"])
            except ValidationFailed as error:
                self.stderr.write(str(error))
                continue
            return first

    def _report(self, result: BootstrapResult, username: str) -> None:
        out = self.stdout.write
        out(f"已创建系统管理员 {username}。" if result.admin_created else f"系统管理员 {username} 已存在，未作改动。")
        for name in result.organizations:
            out(f"已创建组织：{name}")
        if result.users:
            out("\n已创建用户（初始密码只显示这一次，首次登录时须修改）：")
            for name, role, first in result.users:
                out(f"  {name:<16} {role:<8} {first}")
        for name in result.existing_users:
            out(f"用户 {name} 已存在，只更新了其角色。")
        host = (settings.ALLOWED_HOSTS or ["127.0.0.1"])[0]
        scheme = "https" if getattr(settings, "SESSION_COOKIE_SECURE", False) else "http"
        out("\n下一步：")
        out("  1. rectify check-deployment          检查部署是否完整")
        out(f"  2. 用 {username} 登录 {scheme}://{host}/ ；在 {scheme}://{host}/admin/ 补充单位、部门、用户和角色")
        out("  3. 把初始密码当面或经安全渠道告知各用户")
        out("  4. 登记第一次巡视巡察，或导入反馈通报：rectify import-notice 文件")
