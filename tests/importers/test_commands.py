"""The commands as a user runs them: `rectify import-ledger`, `export-ledger`, `import-notice`."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from rectify.inspections.models import Inspection
from rectify.ledger.models import Task
from tests.conftest import NOTICE
from tests.importers.conftest import Row, ledger_bytes

ROOT = Path(__file__).resolve().parents[2]
SEED = NOTICE
BAD_DEPARTMENT = Row("全面从严治党方面", "宣传教育不到位", "开展警示教育", lead_org="宣传处", deadline="立行立改")


def command(name: str, *args: str, **options) -> str:
    out = io.StringIO()
    call_command(name, *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


@pytest.fixture
def ledger_file(tmp_path, messy_rows) -> Path:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger_bytes(messy_rows))
    return path


def test_import_ledger_json_output(unit, ledger_file):
    out = command("import_ledger", str(ledger_file), inspection=unit.inspection.pk, json=True)
    data = json.loads(out)
    assert data["created"]["tasks"] == 5
    assert data["committed"] is True
    assert data["errors"] == []
    assert len(data["tasks"]) == 5
    assert Task.objects.filter(inspection=unit.inspection).count() == 5


def test_import_ledger_summary_in_chinese(unit, ledger_file):
    out = command("import_ledger", str(ledger_file), inspection=unit.inspection.pk)
    assert "已导入" in out and "整改任务 5 项" in out


def test_import_ledger_bad_rows_exit_1_and_list_the_errors(unit, tmp_path, messy_rows, db_counts):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger_bytes([*messy_rows, BAD_DEPARTMENT]))
    before = db_counts()
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_ledger", str(path), inspection=unit.inspection.pk, stdout=out)
    assert error.value.returncode == 1
    assert "第 10 行「牵头部门」未找到部门：宣传处" in out.getvalue()
    assert db_counts() == before


def test_import_ledger_skip_bad_rows_imports_the_rest(unit, tmp_path, messy_rows):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger_bytes([*messy_rows, BAD_DEPARTMENT]))
    out = command("import_ledger", str(path), inspection=unit.inspection.pk, skip_bad_rows=True)
    assert "已跳过" in out and "宣传处" in out
    assert Task.objects.filter(inspection=unit.inspection).count() == 5


def test_import_ledger_dry_run_writes_nothing(unit, ledger_file, db_counts):
    before = db_counts()
    out = command("import_ledger", str(ledger_file), inspection=unit.inspection.pk, dry_run=True)
    assert "未写入数据库" in out
    assert db_counts() == before


def test_import_ledger_unreadable_file_exits_2(unit, tmp_path, db_counts):
    path = tmp_path / "坏文件.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    before = db_counts()
    with pytest.raises(CommandError) as error:
        command("import_ledger", str(path), inspection=unit.inspection.pk)
    assert error.value.returncode == 2
    assert "已损坏" in str(error.value)
    assert db_counts() == before


def test_export_ledger_writes_the_workbook(unit, ledger_file, tmp_path):
    command("import_ledger", str(ledger_file), inspection=unit.inspection.pk)
    target = tmp_path / "导出.xlsx"
    out = command("export_ledger", str(unit.inspection.pk), output=str(target), per_aspect=True)
    assert "5 项整改任务" in out
    assert len(load_workbook(target).sheetnames) == 3


def test_import_notice_with_unit_id(unit):
    out = command("import_notice", str(SEED), unit=str(unit.org.pk))
    inspection = Inspection.objects.exclude(source_hash="").get(target=unit.org)
    assert f"#{inspection.pk}" in out
    assert "方面 3 个，问题 6 个" in out
    assert "通报自述：方面 3 个，问题 6 个，整改任务 12 项，已完成 5 项，长期整改 7 项" in out
    again = command("import_notice", str(SEED), unit=unit.org.name)
    assert "已导入过" in again
    assert Inspection.objects.exclude(source_hash="").filter(target=unit.org).count() == 1


def test_import_notice_unknown_unit(world):
    with pytest.raises(CommandError, match="未找到单位"):
        command("import_notice", str(SEED), unit="不存在的单位")


def test_import_notice_creates_the_named_unit(world):
    out = command("import_notice", str(SEED))
    assert "已新建该单位" in out


# ---------------------------------------------------------------------- the real console script


def rectify(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RECTIFY_HOME": str(home), "PYTHONPATH": str(ROOT / "src")}
    env.pop("DATABASE_URL", None)  # never touch a configured database: a throw-away SQLite file
    return subprocess.run(
        [sys.executable, "-m", "rectify", *args], env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("rectify-home")
    assert rectify(home, "migrate", "-v", "0").returncode == 0
    created = rectify(home, "import-notice", str(SEED))
    assert created.returncode == 0, created.stderr
    assert "已新建该单位" in created.stdout
    return home


def test_cli_import_ledger_exit_codes(home, tmp_path):
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 broken")
    result = rectify(home, "import-ledger", str(broken), "--inspection", "1")
    assert result.returncode == 2
    assert "已损坏" in result.stderr
    assert "Traceback" not in result.stderr

    # The unit created from the notice has no departments yet: every department is unknown.
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(ledger_bytes([Row("全面从严治党方面", "宣传教育不到位", "开展警示教育", lead_org="宣传处",
                                      deadline="立行立改")]))
    result = rectify(home, "import-ledger", str(bad), "--inspection", "1", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["errors"][0]["why"] == "「牵头部门」未找到部门：宣传处"

    good = tmp_path / "good.xlsx"
    good.write_bytes(ledger_bytes([Row("全面从严治党方面", "宣传教育不到位", "开展警示教育", deadline="立行立改")]))
    dry = rectify(home, "import-ledger", str(good), "--inspection", "1", "--dry-run", "--json")
    assert dry.returncode == 0, dry.stderr
    assert json.loads(dry.stdout)["committed"] is False
    real = rectify(home, "import-ledger", str(good), "--inspection", "1")
    assert real.returncode == 0, real.stderr
    assert "已导入" in real.stdout

    missing = rectify(home, "import-ledger", str(tmp_path / "nowhere.xlsx"), "--inspection", "1")
    assert missing.returncode == 2


def test_cli_export_ledger(home, tmp_path):
    target = tmp_path / "out.xlsx"
    result = rectify(home, "export-ledger", "1", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert load_workbook(target).active["A1"].value.endswith("整改台账")


def test_cli_import_notice_twice_and_dry_run(home, tmp_path):
    again = rectify(home, "import-notice", str(SEED))
    assert again.returncode == 0
    assert "已导入过" in again.stdout
    other = tmp_path / "另一单位通报.txt"
    other.write_text(SEED.read_text(encoding="utf-8").replace("宣传部", "组织部"), encoding="utf-8")
    dry = rectify(home, "import-notice", str(other), "--dry-run")
    assert dry.returncode == 0
    assert "试导入" in dry.stdout
    assert "已导入过" not in rectify(home, "import-notice", str(other), "--dry-run").stdout


def test_cli_import_notice_bad_file(home, tmp_path):
    pdf = tmp_path / "通报.pdf"
    pdf.write_bytes(b"%PDF-1.4 nothing")
    result = rectify(home, "import-notice", str(pdf))
    assert result.returncode == 1
    assert "无法导入通报「通报.pdf」" in result.stderr


def test_import_ledger_as_the_office_imports_the_dated_progress_history(unit, tmp_path, messy_rows):
    messy_rows[0].progress = "2026年1月5日：已起草修订稿。1月20日，干部处组织专题研讨。"
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger_bytes(messy_rows))
    out = command("import_ledger", str(path), inspection=unit.inspection.pk, as_user=unit.office_staff.username)
    assert "整改进展 2 条" in out
    task = Task.objects.get(inspection=unit.inspection, title="修订党组理论学习中心组学习制度")
    history = list(task.progress.order_by("reported_on").values_list("reported_on", "text", "organization", "author"))
    office, cadres, _finance = unit.departments
    assert history == [
        (dt.date(2026, 1, 5), "已起草修订稿。", task.lead_org_id, unit.office_staff.pk),
        (dt.date(2026, 1, 20), "干部处组织专题研讨。", cadres.pk, unit.office_staff.pk),
    ]
    assert task.lead_org == office and task.status == Task.Status.IN_PROGRESS


def test_import_ledger_without_an_office_account_says_how_to_import_progress(unit, ledger_file):
    out = command("import_ledger", str(ledger_file), inspection=unit.inspection.pk)
    assert "--as 整改办账号" in out


def test_import_ledger_as_an_unknown_account_is_refused(unit, ledger_file):
    with pytest.raises(CommandError, match="未找到账号 nobody"):
        command("import_ledger", str(ledger_file), inspection=unit.inspection.pk, as_user="nobody")
