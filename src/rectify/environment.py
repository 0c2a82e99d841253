"""Where a command finds its settings: one environment file, read before Django's settings.

cron, systemd, gunicorn and an administrator's shell all run `rectify` with different environments;
reading the same file (`/etc/rectify/env`, or the path in RECTIFY_ENV_FILE) gives them the same
settings. Variables already in the process environment win over the file.

This module runs before Django is set up (settings.py imports it), so its messages are plain Chinese
strings rather than translations.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

DEFAULT_ENV_FILE = Path("/etc/rectify/env")
# Written into RECTIFY_HOME by the first `rectify migrate` on PostgreSQL (see docs/deployment.md).
ENGINE_MARKER = "database-engine"
NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Misconfigured(Exception):
    """The deployment's configuration cannot be used; the message says what to fix, in Chinese."""


def parse_env_file(text: str, *, source: str = "") -> dict[str, str]:
    """KEY=VALUE lines (systemd EnvironmentFile syntax): `#` comments, optional `export`, optional quotes."""
    values: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export "):].lstrip()
        key, sep, value = line.partition("=")
        key = key.strip()
        if not sep or not NAME.fullmatch(key):
            raise Misconfigured(f"环境文件 {source} 第 {number} 行不是 名称=值 的格式：{raw.strip()}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[key] = value
    return values


def env_file_path(environ: os._Environ[str] | dict[str, str] | None = None) -> tuple[Path | None, bool]:
    """The environment file to read and whether it was named explicitly (RECTIFY_ENV_FILE)."""
    environ = os.environ if environ is None else environ
    named = environ.get("RECTIFY_ENV_FILE", "")
    if named:
        return Path(named).expanduser(), True
    return (DEFAULT_ENV_FILE, False) if DEFAULT_ENV_FILE.exists() else (None, False)


def load_env_file(environ: os._Environ[str] | dict[str, str] | None = None) -> Path | None:
    """Add the environment file's variables to `environ` (those already set win); return the file read.

    A file named by RECTIFY_ENV_FILE must exist; a file that exists must be readable: a command that
    silently ran without it would fall back to an empty SQLite database.
    """
    environ = os.environ if environ is None else environ
    path, named = env_file_path(environ)
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        if named:
            raise Misconfigured(f"RECTIFY_ENV_FILE 指向的环境文件不存在：{path}") from error
        return None
    except PermissionError as error:
        raise Misconfigured(
            f"无法读取环境文件 {path}（权限不足）：请以服务用户运行，例如 sudo -u rectify rectify …"
        ) from error
    for key, value in parse_env_file(text, source=str(path)).items():
        environ.setdefault(key, value)
    return path


def configured_engine(home: Path) -> str:
    """The database engine the data folder was set up for ("" when not recorded)."""
    try:
        return (home / ENGINE_MARKER).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def record_engine(home: Path, engine: str) -> None:
    """Remember in the data folder which engine the deployment uses, once."""
    marker = home / ENGINE_MARKER
    if configured_engine(home) != engine:
        marker.write_text(engine + "\n", encoding="utf-8")


def refuse_stray_sqlite(home: Path, database_url: str) -> None:
    """Refuse to fall back to SQLite in a data folder set up for PostgreSQL.

    Without DATABASE_URL a command would open (and create) RECTIFY_HOME/rectify.sqlite3; when the first
    `rectify migrate` recorded PostgreSQL in RECTIFY_HOME, that means the environment file was not read.
    """
    if database_url:
        return
    engine = configured_engine(home)
    if engine and engine != "sqlite":
        raise Misconfigured(
            f"数据目录 {home} 属于一个使用 PostgreSQL 的部署，但本次运行没有 DATABASE_URL，"
            "拒绝新建空的 SQLite 数据库。请在 /etc/rectify/env（或 RECTIFY_ENV_FILE 指定的文件）中设置 "
            f"DATABASE_URL，并以能读取该文件的服务用户运行。确需改用 SQLite 时，删除 {home / ENGINE_MARKER}。"
        )
