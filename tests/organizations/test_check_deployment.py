"""`rectify check-deployment` says in Chinese what is wrong, and exits non-zero when anything is."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    """Static files collected once for the module (collecting takes seconds)."""
    from django.test import override_settings

    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


@pytest.fixture
def deployed(settings, tmp_path, static_root):
    """A deployment done by the book: host name, HTTPS behind one proxy, static files collected, own data folder."""
    home = tmp_path / "home"
    home.mkdir(mode=0o750)
    settings.RECTIFY_HOME = home
    settings.MEDIA_ROOT = home / "files"
    settings.STATIC_ROOT = static_root
    settings.ALLOWED_HOSTS = ["zhenggai.example.gov.cn"]
    settings.SESSION_COOKIE_SECURE = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.RECTIFY_PROXY_COUNT = 1
    settings.SECRET_KEY = "k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ"
    return settings


def check() -> tuple[int, dict[str, list[str]]]:
    out = StringIO()
    code = 0
    try:
        call_command("check_deployment", "--json", stdout=out)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    by_level: dict[str, list[str]] = {"ok": [], "warning": [], "error": []}
    for finding in json.loads(out.getvalue())["findings"]:
        by_level[finding["level"]].append(f"{finding['topic']}：{finding['message']}")
    return code, by_level


def test_a_deployment_done_by_the_book_passes(deployed):
    code, found = check()
    assert code == 0, found["error"]
    assert any(line.startswith("静态文件") for line in found["ok"])
    assert any(line.startswith("数据库迁移") for line in found["ok"])


def test_missing_static_files_are_named_with_the_command_that_collects_them(deployed, tmp_path):
    deployed.STATIC_ROOT = tmp_path / "empty"
    code, found = check()
    assert code == 1
    assert any("collectstatic" in line for line in found["error"])


def test_local_only_allowed_hosts_explain_the_400(deployed):
    deployed.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    code, found = check()
    assert code == 1
    assert any("400" in line and "ALLOWED_HOSTS" in line for line in found["error"])


def test_debug_and_a_weak_secret_key_are_errors(deployed):
    deployed.DEBUG = True
    deployed.SECRET_KEY = "secret"
    code, found = check()
    assert code == 1
    assert any(line.startswith("调试模式") for line in found["error"])
    assert any(line.startswith("密钥") for line in found["error"])


def test_https_without_the_proxy_count_warns_about_lockouts(deployed):
    deployed.RECTIFY_PROXY_COUNT = 0
    code, found = check()
    assert code == 0
    assert any("RECTIFY_PROXY_COUNT=1" in line for line in found["warning"])


def test_a_world_writable_data_folder_is_an_error(deployed):
    deployed.RECTIFY_HOME.chmod(0o777)
    code, found = check()
    assert code == 1
    assert any("chmod 750" in line for line in found["error"])


def test_a_missing_sqlite_database_is_reported_not_created(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "RECTIFY_ENV_FILE"}}
    env.update(RECTIFY_HOME=str(tmp_path), PYTHONPATH=str(root / "src"), RECTIFY_ENV_FILE="/dev/null")
    done = subprocess.run([sys.executable, "-m", "rectify", "check-deployment"], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 1
    assert "rectify migrate" in done.stdout and "不存在" in done.stdout
    assert not (tmp_path / "rectify.sqlite3").exists()
