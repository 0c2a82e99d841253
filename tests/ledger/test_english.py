"""The ledger pages in English: the interface follows the chosen language, while what users entered (titles,
findings, department names, reasons) stays as it was written. Without a choice the pages stay Chinese."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.html import escape

from rectify.ledger.models import Task
from tests.factories import PASSWORD, PDF, make_task, submitted_task


@pytest.fixture(autouse=True)
def _back_to_default_language():
    # The language middleware activates the chosen language for the thread and leaves it active after the
    # response; the test client runs in the test's thread, so later tests would run in English.
    yield
    translation.deactivate()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    return client


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def page(client, url: str, **params: object) -> str:
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode()


# Chart data goes through json_script, which writes non-ASCII text as \u escapes.
CLOSED = json.dumps("已销号")


def en(msgid: str, context: str | None = None) -> str:
    """The English of a label shared with other apps, whose catalogues may word it (and win) differently."""
    with translation.override("en"):
        text = translation.pgettext(context, msgid) if context else translation.gettext(msgid)
    assert text != msgid, msgid
    return escape(text)


def english_date(value) -> str:
    with translation.override("en"):
        return date_format(value, "DATE_FORMAT")


# --- the ledger and its tabs --------------------------------------------------------------------------


def test_ledger_page_in_english(english, unit) -> None:
    login(english, unit.office_staff)
    task = make_task(unit)
    html = page(english, reverse("ledger:ledger", args=[unit.inspection.pk]))
    assert '<html lang="en">' in html
    for text in (f"<th>{en('整改措施')}</th>", f"<th>{en('牵头单位')}</th>", "Export ledger (Excel)",
                 "Import Excel ledger", "Task list (ledger)", f">{en('问题清单')}</a>", f">{en('责任清单')}</a>",
                 "Assign the selected tasks:", "Red (overdue) only",
                 f'<option value="deadline">{en("限期整改")}</option>'):
        assert text in html, text
    # The row is rendered by a Python template tag: its labels follow the language too.
    assert f'data-label="{en("牵头单位")}"' in html and f'data-label="{en("最近报送")}"' in html
    assert f'aria-label="Edit task {task.display_number}">Edit</button>' in html
    assert f'<span class="badge s-not_started">{en("未启动")}</span>' in html
    assert "Co-operating: " + unit.departments[1].name in html
    assert f"Feedback on {english_date(unit.inspection.feedback_date)}" in html
    for text in ("<th>整改措施</th>", 'data-label="牵头单位"', "导出台账", "任务清单（台账）", "未启动", "配合："):
        assert text not in html, text
    # Data stays as entered.
    assert task.title in html and unit.finding.title in html and unit.departments[0].name in html


def test_ledger_page_is_chinese_by_default(client, unit) -> None:
    login(client, unit.office_staff)
    make_task(unit)
    html = page(client, reverse("ledger:ledger", args=[unit.inspection.pk]))
    assert '<html lang="zh-hans">' in html
    assert "<th>整改措施</th>" in html and 'data-label="牵头单位"' in html and "导出台账（Excel）" in html
    d = unit.inspection.feedback_date
    assert f"{d.year}年{d.month}月{d.day}日反馈" in html
    assert "Measure" not in html and "Export ledger" not in html and "Lead department" not in html


def test_empty_ledger_and_filters_in_english(english, unit) -> None:
    login(english, unit.office_staff)
    url = reverse("ledger:ledger", args=[unit.inspection.pk])
    html = page(english, url)
    assert "No rectification tasks yet" in html
    assert f'in the <a href="{reverse("ledger:findings", args=[unit.inspection.pk])}">findings list</a>' in html
    filtered = page(english, url, q="没有这样的措施")
    assert "No tasks match the filters" in filtered and f'<a href="{url}">clear the filters</a>' in filtered
    assert "没有符合筛选条件的任务" not in filtered


def test_findings_page_in_english(english, unit) -> None:
    login(english, unit.office_staff)
    html = page(english, reverse("ledger:findings", args=[unit.inspection.pk]))
    for text in ("Findings without a rectification task: 1", "Add a finding", "Add a rectification task",
                 "Finding addressed", "Co-operating departments (several allowed)", "Add task",
                 "(enter as an “aspect”)"):
        assert text in html, text
    assert "制定整改任务" not in html and "录入反馈问题" not in html
    assert unit.finding.title in html and unit.aspect.title in html


def test_responsibility_page_in_english(english, unit) -> None:
    login(english, unit.office_staff)
    make_task(unit)
    html = page(english, reverse("ledger:responsibility", args=[unit.inspection.pk]))
    assert "Updates by responsible department" in html and "“Not updated” means open tasks" in html
    assert f"<th>{en('责任单位')}</th>" in html and "Never reported" in html
    assert "各责任单位更新情况" not in html and "从未报送" not in html


def test_inline_row_edit_in_english(english, unit) -> None:
    login(english, unit.office_staff)
    task = make_task(unit)
    url = reverse("ledger:task_row_edit", args=[task.pk])
    form = page(english, url)
    assert f"{en('保存')}</button>" in form and f"{en('取消')}</button>" in form
    assert f">{en('整改类型')}</label>" in form and "整改类型" not in form
    stale = {"title": "过时的修改", "category": "deadline", "deadline": task.deadline.isoformat(),
             "version": task.version - 1}
    html = english.post(url, stale).content.decode()
    assert "was changed by someone else" in html and "已被他人修改" not in html


def test_bulk_assign_without_tasks_explains_in_english(english, unit) -> None:
    login(english, unit.office_staff)
    response = english.post(reverse("ledger:bulk_assign", args=[unit.inspection.pk]), {"lead_org": ""}, follow=True)
    html = response.content.decode()
    assert "Tick the tasks first" in html and "请先勾选任务" not in html


# --- the task page and its actions --------------------------------------------------------------------


def test_task_page_in_english(english, unit) -> None:
    task = make_task(unit)
    login(english, unit.dept_handler)
    html = page(english, reverse("ledger:task", args=[task.pk]))
    assert f"<h1>Rectification task {task.display_number}</h1>" in html
    assert "Next step: </strong>" in html and ": start the rectification and report progress." in html
    for text in (en("责任分工"), f"<dt>{en('牵头单位')}</dt>", en("报送整改进展"), "Progress made",
                 "Evidence (several files allowed, drag and drop)", "Handling history", "No progress reported yet",
                 f">{en('巡视巡察', 'navigation')}</a>", f"Task {task.display_number}</div>"):
        assert text in html, text
    assert english_date(task.deadline) in html
    for text in ("下一步：", "责任分工", "报送整改进展", "办理过程", "启动整改并报送进展"):
        assert text not in html, text
    assert task.title in html and unit.departments[0].name in html


def test_task_page_is_chinese_by_default(client, unit) -> None:
    task = make_task(unit)
    login(client, unit.dept_handler)
    html = page(client, reverse("ledger:task", args=[task.pk]))
    assert f"<h1>整改任务 {task.display_number}</h1>" in html and "下一步：" in html and "报送整改进展" in html
    d = task.deadline
    assert f"{d.year}年{d.month}月{d.day}日" in html
    assert "Next step" not in html and "Report progress" not in html


def test_progress_message_and_timeline_in_english(english, unit) -> None:
    task = make_task(unit)
    login(english, unit.dept_handler)
    response = english.post(reverse("ledger:task_action", args=[task.pk, "progress"]),
                            {"text": "已印发方案", "files": [SimpleUploadedFile("方案.pdf", PDF)]}, follow=True)
    html = response.content.decode()
    assert "Progress reported" in html and "整改进展已报送" not in html
    # The timeline entry: its kind in English, its text and file name as written.
    assert f"<strong>{en('整改进展')}</strong>" in html and "已印发方案" in html and "方案.pdf" in html


def test_refused_step_is_explained_in_english(english, unit) -> None:
    task = make_task(unit)
    login(english, unit.dept_handler)
    response = english.post(reverse("ledger:task_action", args=[task.pk, "submit"]), follow=True)
    html = response.content.decode()
    assert f"Closure cannot be requested: the task is “{en('未启动')}”" in html
    assert "不能申请销号" not in html
    assert Task.objects.get(pk=task.pk).status == Task.Status.NOT_STARTED


def test_refused_upload_is_explained_in_english(english, unit) -> None:
    task = make_task(unit)
    login(english, unit.dept_handler)
    response = english.post(reverse("ledger:task_action", args=[task.pk, "progress"]),
                            {"text": "进展", "files": [SimpleUploadedFile("空.pdf", b"")]}, follow=True)
    html = response.content.decode()
    assert "File 空.pdf is empty" in html and "是空文件" not in html


def test_review_and_return_in_english(english, unit) -> None:
    task = submitted_task(unit)
    login(english, unit.office_staff)
    approvals = page(english, reverse("ledger:approvals"))
    assert f"<h1>{en('待我审批')}</h1>" in approvals and f">{en('审核')}</a>" in approvals
    detail = page(english, reverse("ledger:task", args=[task.pk]))
    for text in ("Review closure request", "Pass review</button>", ">Return</button>", en("退回理由"),
                 "Rectification office: review the closure request (approve or return)."):
        assert text in detail, text
    response = english.post(reverse("ledger:task_action", args=[task.pk, "return"]),
                            {"reason": "缺少正式印发文件"}, follow=True)
    html = response.content.decode()
    assert f"<strong>{en('整改办审核')}: {en('退回')}</strong>" in html and "缺少正式印发文件" in html
    assert "整改办审核：退回" not in html
    english.logout()  # a new cookie jar: choose English again
    english.cookies["django_language"] = "en"
    login(english, unit.dept_handler)
    mine = page(english, reverse("ledger:my_tasks"))
    assert f"<h1>{en('我的任务')}</h1>" in mine and "Reason for return: 缺少正式印发文件" in mine
    assert "退回理由：" not in mine


# --- dashboards, lists and search ---------------------------------------------------------------------


def test_unit_dashboard_in_english(english, unit, today) -> None:
    make_task(unit)
    login(english, unit.office_staff)
    html = page(english, reverse("ledger:unit_dashboard", args=[unit.org.pk]))
    assert f"{unit.org.name} · Rectification dashboard</h1>" in html
    assert f"Data as of {english_date(today)}" in html
    for text in ("Awaiting office review", "Awaiting leader approval", "Department updates", f">{en('台账')}</a>",
                 f'"name": {json.dumps(en("未启动"))}', f'"name": {json.dumps(en("已销号"))}'):
        assert text in html, text
    assert "整改工作看板" not in html and "数据截至" not in html and f'"name": {CLOSED}' not in html


def test_unit_dashboard_is_chinese_by_default(client, unit) -> None:
    make_task(unit)
    login(client, unit.office_staff)
    html = page(client, reverse("ledger:unit_dashboard", args=[unit.org.pk]))
    assert f"{unit.org.name} · 整改工作看板</h1>" in html and f'"name": {CLOSED}' in html
    assert "Rectification dashboard" not in html


def test_overview_in_english(english, world, unit) -> None:
    make_task(unit)
    login(english, world.inspection_office)
    html = page(english, reverse("ledger:overview"))
    assert f"<h1>{en('各单位整改总览')}</h1>" in html
    assert "Completion rate over the last 12 weeks" in html and '"name": "Completion rate (%)"' in html
    assert re.search(r'"labels": \["\d{1,2}/\d{1,2}"', html)
    assert "各单位整改总览" not in html and json.dumps("完成率（%）") not in html and json.dumps("月")[1:-1] not in html


def test_my_tasks_empty_and_search_in_english(english, unit) -> None:
    login(english, unit.dept_handler)
    mine = page(english, reverse("ledger:my_tasks"))
    assert "No tasks to handle" in mine and "Include closed tasks" in mine
    assert "暂无需要办理的任务" not in mine
    make_task(unit, title="建立学习制度")
    found = page(english, reverse("ledger:search"), q="学习")
    assert f"<h1>{en('全文搜索')}</h1>" in found and "Results for “学习”:" in found and "建立学习制度" in found
    assert "全文搜索" not in found and "共找到" not in found


# --- the catalogue ------------------------------------------------------------------------------------
