"""`rectify report INSPECTION_ID --kind … --format … -o FILE`."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from rectify.notice import parse
from rectify.reports.models import Report
from tests.reports_app.conftest import SECRETS


def test_report_writes_a_docx_notice(filled, tmp_path) -> None:
    out = tmp_path / "notice.docx"
    call_command("report", str(filled.unit.inspection.pk), "--kind", "notice", "--format", "docx", "-o", str(out),
                 stdout=io.StringIO())
    text = "\n".join(p.text for p in Document(io.BytesIO(out.read_bytes())).paragraphs)
    assert "4项整改任务中已完成2项" in text
    assert all(secret not in text for secret in SECRETS)


def test_report_text_is_a_notice_the_parser_reads(filled, tmp_path) -> None:
    out = tmp_path / "notice.txt"
    call_command("report", str(filled.unit.inspection.pk), "--format", "txt", "-o", str(out), stdout=io.StringIO())
    notice = parse(out.read_text(encoding="utf-8"))
    assert notice.round == 8 and [n.title for n in notice.findings[0].children] == ["学习贯彻不深入", "制度执行不严格"]


@pytest.mark.parametrize("kind", ["internal", "leader"])
def test_report_writes_internal_reports_as_html(filled, tmp_path, kind) -> None:
    out = tmp_path / f"{kind}.html"
    call_command("report", str(filled.unit.inspection.pk), "--kind", kind, "--format", "html", "-o", str(out),
                 stdout=io.StringIO())
    assert "<table" in out.read_text(encoding="utf-8")


def test_report_leaves_the_saved_draft_alone(filled, tmp_path) -> None:
    call_command("report", str(filled.unit.inspection.pk), "--format", "txt", "-o", str(tmp_path / "a.txt"),
                 stdout=io.StringIO())
    assert not Report.objects.exists()


@pytest.mark.parametrize("value", ["99999", "abc"])
def test_unknown_inspection_fails_with_a_chinese_message(db, tmp_path, value) -> None:
    with pytest.raises(CommandError, match="找不到编号为"):
        call_command("report", value, "-o", str(tmp_path / "x.docx"))


def test_cli_exits_non_zero_on_unknown_id(db, tmp_path, capsys, monkeypatch) -> None:
    from django.db import connections

    from rectify.cli import main

    # A failing command closes every connection on its way out (Django's run_from_argv); in a real process
    # that is right, here it would close the test's own transaction under the fixtures still using it.
    monkeypatch.setattr(connections, "close_all", lambda: None)

    assert main(["report", "424242", "--format", "txt", "-o", str(tmp_path / "x.txt")]) != 0
    assert "找不到编号为 424242 的巡视巡察" in capsys.readouterr().err
