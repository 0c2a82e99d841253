"""One environment file for every command, and no silent fall-back to an empty SQLite database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rectify import environment

ROOT = Path(__file__).resolve().parents[1]


def rectify(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "RECTIFY_HOME", "RECTIFY_ENV_FILE"}}
    return subprocess.run([sys.executable, "-m", "rectify", *args], env={**base, "PYTHONPATH": str(ROOT / "src"), **env},
                          capture_output=True, text=True, timeout=120)


def test_env_file_values_fill_the_environment_but_never_override_it(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("# comment\nexport DATABASE_URL='postgres:///rectify'\nALLOWED_HOSTS=a.example\n\nDEBUG=\"true\"\n")
    environ = {"RECTIFY_ENV_FILE": str(env_file), "DEBUG": "false"}
    assert environment.load_env_file(environ) == env_file
    assert environ["DATABASE_URL"] == "postgres:///rectify"
    assert environ["ALLOWED_HOSTS"] == "a.example"
    assert environ["DEBUG"] == "false"


def test_a_named_env_file_that_is_missing_is_refused(tmp_path):
    with pytest.raises(environment.Misconfigured, match="不存在"):
        environment.load_env_file({"RECTIFY_ENV_FILE": str(tmp_path / "missing")})


def test_a_malformed_line_names_the_file_and_line(tmp_path):
    env_file = tmp_path / "env"
    env_file.write_text("DEBUG=false\nthis is not a setting\n")
    with pytest.raises(environment.Misconfigured, match="第 2 行"):
        environment.load_env_file({"RECTIFY_ENV_FILE": str(env_file)})


def test_commands_read_the_env_file_named_by_rectify_env_file(tmp_path):
    home = tmp_path / "home"
    env_file = tmp_path / "env"
    env_file.write_text(f"RECTIFY_HOME={home}\n")
    done = rectify({"RECTIFY_ENV_FILE": str(env_file)}, "help")
    assert done.returncode == 0, done.stderr
    assert str(env_file) in done.stdout
    assert (home / "secret_key").exists()


def test_without_database_url_a_postgresql_data_folder_gets_no_sqlite_file(tmp_path):
    # The cron line of old: only RECTIFY_HOME, in a folder whose first migrate ran on PostgreSQL.
    environment.record_engine(tmp_path, "postgresql")
    done = rectify({"RECTIFY_HOME": str(tmp_path)}, "remind")
    assert done.returncode == 2
    assert "DATABASE_URL" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "rectify.sqlite3").exists()


def test_a_missing_env_file_stops_the_command_before_it_touches_a_database(tmp_path):
    done = rectify({"RECTIFY_HOME": str(tmp_path), "RECTIFY_ENV_FILE": str(tmp_path / "nope")}, "stats")
    assert done.returncode == 2
    assert "环境文件不存在" in done.stderr
    assert not (tmp_path / "rectify.sqlite3").exists()


def test_env_example_copied_as_the_env_file_gives_the_defaults(tmp_path):
    # Its empty values (ALLOWED_HOSTS=, RECTIFY_EMAIL_USER=) must mean "the default", not "nothing".
    code = ("import django, json; django.setup(); from django.conf import settings; "
            "print(json.dumps([settings.ALLOWED_HOSTS, settings.EMAIL_BACKEND, str(settings.RECTIFY_HOME)]))")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "RECTIFY_HOME"}}
    env.update({"PYTHONPATH": str(ROOT / "src"), "DJANGO_SETTINGS_MODULE": "rectify.settings",
                "RECTIFY_ENV_FILE": str(ROOT / ".env.example"), "XDG_DATA_HOME": str(tmp_path)})
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    hosts, backend, home = json.loads(done.stdout)
    assert hosts == ["127.0.0.1", "localhost", "[::1]", "testserver"]
    assert backend == "django.core.mail.backends.console.EmailBackend"
    assert home == str(tmp_path / "rectify")


def test_a_data_command_never_creates_an_empty_sqlite_database(tmp_path):
    # The cron line of a deployment whose env file is gone: no DATABASE_URL, no marker in this folder.
    done = rectify({"RECTIFY_HOME": str(tmp_path)}, "remind")
    assert done.returncode == 2
    assert "rectify migrate" in done.stderr and "DATABASE_URL" in done.stderr
    assert not (tmp_path / "rectify.sqlite3").exists()
