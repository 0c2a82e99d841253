"""`rectify check-deployment`: what is missing or wrong in this deployment, in Chinese; non-zero when anything is."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from rectify.environment import configured_engine

OK, WARN, ERROR = "ok", "warning", "error"
MARKS = {OK: "✓", WARN: "!", ERROR: "✗"}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "testserver"}


@dataclass
class Finding:
    level: str
    topic: str
    message: str


def check_environment() -> Iterator[Finding]:
    read = settings.RECTIFY_ENV_FILE
    if read:
        yield Finding(OK, "环境文件", f"已读取 {read}")
        mode = read.stat().st_mode
        if read.is_file() and mode & stat.S_IROTH:
            yield Finding(WARN, "环境文件", f"{read} 所有用户可读，其中可能有数据库密码：chmod 640 {read}")
    elif settings.DATABASE_URL:
        yield Finding(WARN, "环境文件", "没有环境文件，设置只来自本进程的环境变量：cron、systemd 与命令行可能看到不同的设置"
                      "（写入 /etc/rectify/env，见 docs/deployment.md）")
    else:
        yield Finding(WARN, "环境文件", "没有 /etc/rectify/env，也没有 RECTIFY_ENV_FILE：使用默认设置（SQLite）")


def check_debug() -> Iterator[Finding]:
    if settings.DEBUG:
        yield Finding(ERROR, "调试模式", "DEBUG=true 会在错误页中泄露设置和数据：生产环境设为 DEBUG=false")
    else:
        yield Finding(OK, "调试模式", "已关闭")


def check_secret_key() -> Iterator[Finding]:
    key = settings.SECRET_KEY
    if len(key) < 50 or len(set(key)) < 5 or key.startswith("django-insecure"):
        yield Finding(ERROR, "密钥", "SECRET_KEY 太短或过于简单：至少 50 个随机字符，"
                      "例如 python3 -c 'import secrets; print(secrets.token_urlsafe(50))'")
        return
    key_file = Path(settings.RECTIFY_HOME) / "secret_key"
    if not (os.environ.get("SECRET_KEY") or os.environ.get("SECRET_KEY_FILE")):
        if key_file.exists() and key_file.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            yield Finding(ERROR, "密钥", f"{key_file} 其他用户可读：chmod 600 {key_file}")
        else:
            yield Finding(WARN, "密钥", f"使用自动生成的 {key_file}：备份不包含它，请另行保管一份"
                          "（多台服务器时须在环境文件中设置同一个 SECRET_KEY）")
        return
    yield Finding(OK, "密钥", "已设置")


def check_hosts() -> Iterator[Finding]:
    hosts = set(settings.ALLOWED_HOSTS)
    if not hosts:
        yield Finding(ERROR, "访问域名", "ALLOWED_HOSTS 为空：所有请求都会被拒绝（400）")
    elif "*" in hosts:
        yield Finding(ERROR, "访问域名", "ALLOWED_HOSTS 含 *：请写出网站的域名，如 ALLOWED_HOSTS=zhenggai.example.gov.cn")
    elif hosts <= LOCAL_HOSTS:
        yield Finding(ERROR, "访问域名", "ALLOWED_HOSTS 只有本机地址：用户经域名访问会得到 400，"
                      "请设置 ALLOWED_HOSTS=网站域名")
    else:
        yield Finding(OK, "访问域名", "、".join(sorted(hosts - {"testserver"})))


def check_https() -> Iterator[Finding]:
    if not getattr(settings, "SESSION_COOKIE_SECURE", False):
        yield Finding(WARN, "HTTPS", "RECTIFY_HTTPS 未启用：登录密码和会话以明文传输。在 nginx 配好 TLS 后设 RECTIFY_HTTPS=true")
        return
    yield Finding(OK, "HTTPS", "安全 Cookie、HSTS 已启用；以反向代理的 X-Forwarded-Proto 头判断 HTTPS"
                  "（nginx 须设置 proxy_set_header X-Forwarded-Proto $scheme）")
    if settings.RECTIFY_PROXY_COUNT < 1:
        yield Finding(WARN, "反向代理", "RECTIFY_PROXY_COUNT=0：在 nginx 之后，登录锁定会按 nginx 的地址计算，"
                      "一人输错会锁住所有人。前面有一层 nginx 时设 RECTIFY_PROXY_COUNT=1")
    else:
        yield Finding(OK, "反向代理", f"信任 {settings.RECTIFY_PROXY_COUNT} 层代理的 X-Forwarded-For")


def check_database() -> Iterator[Finding]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite" and not connection.is_in_memory_db() and not Path(name).exists():
        yield Finding(ERROR, "数据库", f"SQLite 数据库 {name} 不存在："
                      "新部署请运行 rectify migrate；使用 PostgreSQL 时请在环境文件中设置 DATABASE_URL")
        return
    try:
        connection.ensure_connection()
    except Exception as error:  # noqa: BLE001 - any driver error is reported, never raised
        yield Finding(ERROR, "数据库", f"无法连接：{str(error).strip().splitlines()[0] if str(error).strip() else error}"
                      "（检查 DATABASE_URL、数据库角色和 pg_hba.conf）")
        return
    if connection.vendor == "postgresql":
        yield from _postgresql(connection)
    else:
        yield Finding(WARN, "数据库", f"SQLite（{settings.DATABASES['default']['NAME']}）：适合演示和单个单位的小规模使用，"
                      "省级规模请用 PostgreSQL（DATABASE_URL）")
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        yield Finding(ERROR, "数据库迁移", f"有 {len(plan)} 个迁移未执行：运行 rectify migrate")
    else:
        yield Finding(OK, "数据库迁移", "已全部执行")


def _postgresql(connection: Any) -> Iterator[Finding]:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_encoding")
        encoding = cursor.fetchone()[0]
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        ctype = cursor.fetchone()[0]
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        trigram = cursor.fetchone() is not None
    version = connection.pg_version // 10000
    problems = []
    if version < 14:
        problems.append(f"PostgreSQL {version} 太旧，需要 14 或更新的版本")
    if encoding.upper() != "UTF8":
        problems.append(f"数据库编码为 {encoding}，须为 UTF8（createdb -E UTF8 --locale=C.UTF-8 -T template0）")
    if "utf" not in ctype.lower():
        problems.append(f"字符类型为 {ctype}，须为 UTF-8 字符类型，如 C.UTF-8")
    for problem in problems:
        yield Finding(ERROR, "数据库", problem)
    if not problems:
        yield Finding(OK, "数据库", f"PostgreSQL {version}，编码 {encoding}，字符类型 {ctype}")
    if not trigram:
        yield Finding(ERROR, "全文检索", "没有 pg_trgm 扩展：先执行迁移；若迁移因权限失败，请由超级用户在本库执行 "
                      "CREATE EXTENSION pg_trgm")
    if configured_engine(Path(settings.RECTIFY_HOME)) != "postgresql":
        yield Finding(WARN, "数据目录", "数据目录中没有 PostgreSQL 标记：运行一次 rectify migrate 写入，"
                      "此后缺少 DATABASE_URL 的命令会拒绝运行，而不是新建空的 SQLite 数据库")


def check_static() -> Iterator[Finding]:
    from django.contrib.staticfiles import finders

    root = Path(settings.STATIC_ROOT)
    missing = [path for finder in finders.get_finders() for path, _storage in finder.list(["CVS", ".*", "*~"])
               if not (root / path).exists()]
    if missing:
        yield Finding(ERROR, "静态文件", f"{root} 缺少 {len(missing)} 个文件（如 {missing[0]}）：运行 rectify collectstatic --noinput")
    else:
        yield Finding(OK, "静态文件", f"已收集到 {root}（nginx 以 /static/ 提供）")


def check_data_folder() -> Iterator[Finding]:
    home = Path(settings.RECTIFY_HOME)
    uid = os.geteuid()
    if uid == 0:
        yield Finding(WARN, "运行用户", "以 root 运行：请以服务用户运行，如 sudo -u rectify /opt/rectify/bin/rectify …，"
                      "否则 root 创建的文件服务用户无法写入")
    for folder in (home, Path(settings.MEDIA_ROOT)):
        if not folder.exists():
            if folder != home:
                yield Finding(OK, "数据目录", f"{folder} 尚未创建（第一次上传时创建）")
            continue
        info = folder.stat()
        if info.st_uid != uid:
            yield Finding(ERROR, "数据目录", f"{folder} 属于用户 {_user(info.st_uid)}，当前用户是 {_user(uid)}："
                          f"chown -R {_user(uid)}: {folder}，或以该目录的所有者运行")
        elif not os.access(folder, os.W_OK):
            yield Finding(ERROR, "数据目录", f"{folder} 不可写：chmod u+rwx {folder}")
        elif info.st_mode & stat.S_IWOTH:
            yield Finding(ERROR, "数据目录", f"{folder} 所有用户可写：chmod 750 {folder}")
        elif info.st_mode & stat.S_IROTH:
            # Others may traverse the data folder (nginx reaches static/ that way), never list or read it.
            yield Finding(WARN, "数据目录", f"{folder} 其他用户可列出（其中有佐证材料）：chmod o-r {folder}")
        else:
            yield Finding(OK, "数据目录", f"{folder} 属于 {_user(uid)}，可写")


def check_email() -> Iterator[Finding]:
    if settings.EMAIL_BACKEND.endswith("console.EmailBackend"):
        yield Finding(WARN, "邮件", "提醒邮件只写到日志（RECTIFY_EMAIL_BACKEND 为 console）："
                      "要发出邮件，设 RECTIFY_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend 和 RECTIFY_EMAIL_HOST")
    else:
        yield Finding(OK, "邮件", f"经 {settings.EMAIL_HOST}:{settings.EMAIL_PORT} 发送")


def _user(uid: int) -> str:
    import pwd

    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


CHECKS: list[Callable[[], Iterator[Finding]]] = [
    check_environment, check_debug, check_secret_key, check_hosts, check_https, check_database, check_static,
    check_data_folder, check_email,
]


class Command(BaseCommand):
    help = "检查部署：设置、数据库、迁移、静态文件、密钥、域名、HTTPS 与代理、数据目录权限；有问题时返回非零"
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="以 JSON 输出各项结果")

    def handle(self, *args: Any, **options: Any) -> None:
        findings = [finding for check in CHECKS for finding in check()]
        errors = sum(f.level == ERROR for f in findings)
        warnings = sum(f.level == WARN for f in findings)
        if options["json"]:
            self.stdout.write(json.dumps({"ok": not errors, "findings": [asdict(f) for f in findings]},
                                         ensure_ascii=False, indent=2))
        else:
            self.stdout.write(f"部署检查（数据目录 {settings.RECTIFY_HOME}）")
            for f in findings:
                self.stdout.write(f"  {MARKS[f.level]} {f.topic}：{f.message}")
            verdict = f"{errors} 个问题须处理" if errors else "没有须处理的问题"
            self.stdout.write(f"结果：{verdict}，{warnings} 个提醒")
        if errors:
            raise SystemExit(1)
