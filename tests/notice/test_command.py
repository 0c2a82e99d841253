"""`rectify parse FILE|- [--json]` through main() and `python -m rectify.notice`."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rectify.notice.command import main
from tests import corpus
from tests.conftest import NOTICE
from tests.notice.cases import REPO, SEED_CASES, SEEDS

SEED = NOTICE


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    return env


def test_json_output_is_exactly_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SEED), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == [
        "title", "unit", "inspector", "kind", "term", "round", "group", "type",
        "onsite_start", "onsite_end", "feedback_date", "published", "figures", "findings", "contact",
    ]
    assert data["group"] == "第二巡察组"
    assert set(data["findings"][0]) == {"label", "title", "text", "measures", "children"}


def test_outline_shows_header_tree_figures_and_contact(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(SEED)]) == 0
    out = capsys.readouterr().out
    assert "被巡单位：中共临江市委宣传部" in out
    assert "（措施 2 条）" in out
    assert "12项整改任务中有5项已整改完成" in out
    assert "0771-5551234" in out


def test_stdin_dash_reads_bytes(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(SEED.read_text(encoding="utf-8").encode("gb18030")))
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["-", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["unit"] == "中共临江市委宣传部"


def test_unreadable_file_exits_2_with_a_message_and_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip")
    assert main([str(bad)]) == 2
    err = capsys.readouterr().err
    assert "文件不是有效的 .docx" in err and "Traceback" not in err


def test_bad_arguments_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2


def test_python_dash_m_runs_the_command() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rectify.notice", str(SEED), "--json"],
        capture_output=True, env=_env(), check=False,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout.decode("utf-8"))["round"] == 3


def test_python_dash_m_reports_errors_with_exit_2() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "rectify.notice", "-"], input=b"\x00\x01\x02", capture_output=True, env=_env(), check=False
    )
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr and done.stderr


def test_importing_the_library_does_not_import_django() -> None:
    code = (
        "import sys, rectify.notice, rectify.notice.command;"
        "from rectify.notice import parse, render_text;"
        f"parse(open({str(SEED)!r}, encoding='utf-8').read());"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=_env(), check=True)
    assert done.stdout.strip() == "[]"


def test_every_seed_parses_through_the_command(capsys: pytest.CaptureFixture[str]) -> None:
    corpus.require(SEEDS)
    for case in SEED_CASES:
        assert main([str(SEEDS / case.expected["file"]), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["unit"] == case.expected["unit"]
