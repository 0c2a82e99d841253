"""`rectify bootstrap`: the first administrator under the password rules, then the first organizations and users."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from rectify.organizations.models import Membership, Organization, Role, User

pytestmark = pytest.mark.django_db

PLAN = """
[office]
name = "中共某某市委巡察工作领导小组办公室"
short_name = "市委巡察办"

[[units]]
name = "某某市住房和城乡建设局"
short_name = "市住建局"
departments = ["办公室", "规划科"]

[[users]]
username = "zjj-zgb"
full_name = "陈静"
organization = "市住建局"
role = "整改办"
title = "整改办主任"

[[users]]
username = "zjj-bgs"
full_name = "王磊"
organization = "市住建局/办公室"
role = "department"
handler = true
"""


def bootstrap(tmp_path, *args: str, password: str | None = "Zhenggai-2026-ok", plan: str | None = None) -> str:
    options = list(args)
    if password is not None:
        (tmp_path / "pw").write_text(password + "\n")
        options += ["--password-file", str(tmp_path / "pw")]
    if plan is not None:
        (tmp_path / "orgs.toml").write_text(plan)
        options += ["--organizations", str(tmp_path / "orgs.toml")]
    out = StringIO()
    call_command("bootstrap", "--noinput", *options, stdout=out)
    return out.getvalue()


def test_bootstrap_refuses_a_weak_password_and_creates_nothing(tmp_path):
    with pytest.raises(CommandError, match="密码不符合要求"):
        bootstrap(tmp_path, password="123", plan=PLAN)
    assert not User.objects.filter(username="admin").exists()
    assert not Organization.objects.exists()


def test_bootstrap_without_a_terminal_needs_a_password_source(tmp_path):
    with pytest.raises(CommandError, match="--password-file"):
        bootstrap(tmp_path, password=None)


def test_bootstrap_creates_an_administrator_who_can_log_in(tmp_path):
    out = bootstrap(tmp_path)
    admin = User.objects.get(username="admin")
    assert admin.check_password("Zhenggai-2026-ok")
    assert admin.is_superuser and admin.is_staff and not admin.must_change_password
    assert "下一步" in out and "check-deployment" in out


def test_bootstrap_reads_the_password_from_an_environment_variable(monkeypatch):
    monkeypatch.setenv("RECTIFY_ADMIN_PASSWORD", "Another-Strong-9")
    call_command("bootstrap", "--noinput", "--password-env", "RECTIFY_ADMIN_PASSWORD", stdout=StringIO())
    assert User.objects.get(username="admin").check_password("Another-Strong-9")


def test_bootstrap_creates_the_plans_units_departments_and_users(tmp_path):
    out = json.loads(bootstrap(tmp_path, "--json", plan=PLAN))
    unit = Organization.objects.get(name="某某市住房和城乡建设局", kind=Organization.Kind.UNIT)
    assert unit.parent.kind == Organization.Kind.OFFICE
    assert set(unit.children.values_list("name", flat=True)) == {"办公室", "规划科"}
    assert Membership.objects.filter(user__username="admin", role=Role.ADMIN, organization=unit.parent).exists()
    handler = Membership.objects.get(user__username="zjj-bgs")
    assert (handler.role, handler.organization.name, handler.is_handler) == (Role.DEPARTMENT, "办公室", True)
    first = {row["username"]: row["initial_password"] for row in out["users"]}
    user = User.objects.get(username="zjj-zgb")
    assert user.check_password(first["zjj-zgb"]) and user.must_change_password


def test_bootstrap_run_again_changes_nothing(tmp_path):
    bootstrap(tmp_path, plan=PLAN)
    counts = (User.objects.count(), Organization.objects.count(), Membership.objects.count())
    out = bootstrap(tmp_path, plan=PLAN)
    assert "已存在，未作改动" in out
    assert (User.objects.count(), Organization.objects.count(), Membership.objects.count()) == counts


def test_bootstrap_names_the_item_and_value_of_a_bad_role(tmp_path):
    with pytest.raises(CommandError, match="users 第 1 项「role」无法识别：组长"):
        bootstrap(tmp_path, plan=PLAN.replace('role = "整改办"', 'role = "组长"'))
    assert not User.objects.filter(username="admin").exists()
    assert not Organization.objects.exists()


def test_bootstrap_at_a_terminal_asks_again_until_the_password_is_good(monkeypatch):
    answers = iter(["123", "123", "Zhenggai-2026-ok", "Zhenggai-2026-no", "Zhenggai-2026-ok", "Zhenggai-2026-ok"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    err = StringIO()
    call_command("bootstrap", stdout=StringIO(), stderr=err)
    assert "密码不符合要求" in err.getvalue() and "两次输入的密码不一致" in err.getvalue()
    assert User.objects.get(username="admin").check_password("Zhenggai-2026-ok")
