"""Every figure and state word a generated document writes follows the ledger (rules/wording.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.ledger.models import Lead
from rectify.ledger.notice_import import import_notice
from rectify.reports.compose import compose_notice, notice_draft
from rectify.reports.internal import internal_draft
from rectify.rules import wording
from tests.factories import evidence, make_task
from tests.reports_app.conftest import close, task_on


def _text(inspection) -> str:
    _notice, draft = notice_draft(inspection)
    return "\n".join(f"{s.heading}\n{s.body}" for s in draft.sections)


@pytest.mark.parametrize(
    ("status", "words"),
    [("closed", "已完成"), ("phased_result", "已取得阶段性成效"), ("in_progress", "正在推进"),
     ("submitted", "正在推进"), ("returned", "正在推进"), ("not_started", "尚未启动")],
)
def test_state_words_follow_the_status(status, words) -> None:
    assert wording.task_state(status) == words


def test_quantity_is_never_written_twice() -> None:
    assert wording.quantity("经费预算压减", Decimal("10.00"), "%") == "经费预算压减10%"
    # An outcome stored with its figure in the text (imported before) still reads once.
    assert wording.quantity("经费预算压减10%", Decimal("10"), "%") == "经费预算压减10%"


def test_scope_counts_each_level_as_the_feedback_names_it() -> None:
    assert wording.scope(4, 11) == "4个方面11个问题"
    assert wording.scope(3, 9, 20) == "3个方面9个问题20个具体问题"
    assert wording.scope(4, 0) == "4个方面的问题"


def test_leads_are_all_concluded_only_when_every_one_is() -> None:
    assert wording.leads_done(4, 2) == "移交的问题线索和信访件4件中已办结2件"
    assert wording.leads_done(4, 4) == "移交的问题线索和信访件4件已全部办结"


def test_closed_task_is_described_as_done_whatever_its_progress_said(world) -> None:
    unit = world.units[0]
    task = make_task(unit, title="一是建立学习督查机制")
    ledger.report_progress(unit.dept_handler, task, text="督查办法已起草，正在推进落实。", files=[evidence()])
    close(unit, ledger.submit_task(unit.dept_handler, task))
    [measure] = compose_notice(unit.inspection).findings[0].children[0].measures
    assert measure == "建立学习督查机制。督查办法已起草。已完成。"
    assert "正在推进" not in measure


def test_not_started_task_is_not_described_as_under_way(world) -> None:
    unit = world.units[0]
    make_task(unit, title="开展专题培训")
    [measure] = compose_notice(unit.inspection).findings[0].children[0].measures
    assert measure == "开展专题培训。尚未启动。"


def test_remaining_tasks_are_counted_by_their_state(world) -> None:
    unit = world.units[0]
    close(unit, ledger.submit_task(unit.dept_handler, _with_progress(unit, make_task(unit, title="甲"))))
    _with_progress(unit, make_task(unit, title="乙"))
    make_task(unit, title="丙")
    make_task(unit, title="丁")
    text = _text(unit.inspection)
    assert "4项整改任务中已完成1项，其余3项中正在推进1项、尚未启动2项" in text
    assert "正在按计划推进" not in text


def _with_progress(unit, task):
    ledger.report_progress(unit.dept_handler, task, text="已召开专题会议。", files=[evidence()])
    return task


def test_problem_count_does_not_add_sub_problems_to_problems(world) -> None:
    unit = world.units[0]
    staff = unit.office_staff
    second = inspections.add_finding(staff, unit.inspection, title="制度执行不严格", label="2.", parent=unit.aspect)
    for number in (1, 2, 3):
        sub = inspections.add_finding(staff, unit.inspection, title=f"具体问题{number}", label=f"（{number}）",
                                      parent=second)
        task_on(unit, sub, title=f"整改具体问题{number}")
    text = _text(unit.inspection)
    assert "1个方面2个问题3个具体问题" in text
    assert "5个问题" not in text


LEADS_NOTICE = """\
中共测试单位党组
关于十一届省委第八轮巡视整改进展情况的通报

  根据省委统一部署,2020年10月18日至12月25日,省委第十四巡视组对测试单位开展了常规巡视。2021年1月30日,省委巡视组向测试单位反馈了巡视意见。

  一、整改工作基本情况

  经过集中整改,2项整改任务中有1项已整改完成。2021年度机关运行经费预算压减10%,其中会议、培训经费预算压减30%。

  二、省委巡视组反馈意见整改落实情况

  (一)关于落实全面从严治党政治责任方面问题

  1.关于“扛牢压实主体责任有差距”的问题。一是制定年度任务安排。二是完善主体责任清单。

  (二)问题线索及信访件办理情况

  省委巡视组向测试单位移交的信访件已全部办结。

  三、下一步工作打算

  继续抓好整改。

中共测试单位党组
2021年8月26日
"""


def test_leads_sentence_comes_from_the_ledger_not_the_imported_text(world) -> None:
    unit = world.units[0]
    result = import_notice(unit.office_staff, unit.org, data=LEADS_NOTICE.encode(), filename="通报.txt")
    inspection = result.inspection
    leads = [ledger.create_lead(unit.office_staff, inspection, summary=f"信访件{n}", kind=Lead.Kind.PETITION,
                                received_on=inspection.feedback_date) for n in range(4)]
    for lead in leads[:2]:
        ledger.conclude_lead(unit.office_staff, lead, result="已核实处理", concluded_on=inspection.feedback_date)
    Lead.objects.filter(pk__in=[lead.pk for lead in leads]).update(exempt=False)  # leads are exempt by default
    text = _text(inspection)
    assert "全部办结" not in text
    assert "移交的问题线索和信访件4件中已办结2件" in text
    # The leads report is not a feedback aspect: one 方面 is counted, not two.
    assert "1个方面1个问题" in text


def test_imported_percentages_are_written_once(world) -> None:
    unit = world.units[0]
    inspection = import_notice(unit.office_staff, unit.org, data=LEADS_NOTICE.encode(), filename="通报.txt").inspection
    text = _text(inspection)
    assert "压减10%10%" not in text and "压减30%30%" not in text
    assert "2021年度机关运行经费预算压减10%" in text and "会议、培训经费预算压减30%" in text


def test_notice_claims_no_owners_or_closures_the_ledger_lacks(world) -> None:
    unit = world.units[0]
    inspection = import_notice(unit.office_staff, unit.org, data=LEADS_NOTICE.encode(), filename="通报.txt").inspection
    text = _text(inspection)
    assert "逐项明确" not in text  # no leader or department is named in the ledger
    assert "对账销号" not in text  # nothing is closed
    assert "成立" not in text and "一周一调度，对已完成" not in text


def test_generated_documents_use_full_width_punctuation(world) -> None:
    import re

    from rectify.reports.rendering import render_text
    from rectify.reports.services import build_draft, draft_as_content

    unit = world.units[0]
    inspection = import_notice(unit.office_staff, unit.org, data=LEADS_NOTICE.encode(), filename="通报.txt").inspection
    for kind in ("notice", "internal", "leader"):
        text = render_text(draft_as_content(build_draft(inspection, kind), kind))
        assert not re.search(r"[\u4e00-\u9fff][,;:()?!]|[,;:()?!][\u4e00-\u9fff]", text), kind
    assert "“扛牢压实主体责任有差距”的问题" in _text(inspection)
    assert wording.full_width("(一)关于问题,详见附件(1)") == "（一）关于问题，详见附件（1）"
    assert wording.full_width("追缴1,000元，10:30召开，邮箱:a@b.cn") == "追缴1,000元，10:30召开，邮箱：a@b.cn"


def test_no_task_done_is_said_by_what_the_tasks_are_doing() -> None:
    assert wording.tasks_progress({"已取得阶段性成效": 21}) == "21项整改任务均已取得阶段性成效"
    assert wording.tasks_progress({"正在推进": 1}) == "1项整改任务正在推进"
    assert wording.tasks_progress({"正在推进": 3, "尚未启动": 2}) == "5项整改任务中正在推进3项、尚未启动2项"
    assert wording.tasks_progress({"已完成": 2, "正在推进": 3}) == "5项整改任务中已完成2项，其余3项正在推进"
    assert wording.tasks_progress({"已完成": 2, "正在推进": 3}, rest=False) == "5项整改任务中已完成2项"


def test_a_source_the_ledger_cannot_back_is_quoted_as_its_own() -> None:
    stated = {"tasks": 38, "closed": 7, "long_term": 31, "aspects": 4, "problems": 11}
    ledger_counts = {"aspects": 4, "problems": (9, 0), "tasks": 21, "closed": 0, "long_term": 21}
    assert not wording.source_backed(stated, **ledger_counts)
    assert wording.source_backed(stated, aspects=4, problems=(11, 0), tasks=38, closed=7, long_term=31)
    assert wording.source_backed({"all_done": 1, "tasks": 5}, aspects=1, problems=(2, 0), tasks=5, closed=5,
                                 long_term=0)
    assert not wording.source_backed({"all_done": 1, "tasks": 5}, aspects=1, problems=(2, 0), tasks=5, closed=4,
                                     long_term=1)
    assert wording.as_stated(stated, published="2021年8月26日") == (
        "据2021年8月26日发布的整改进展情况通报，反馈问题4个方面11个问题，整改任务38项，其中已完成7项、长期整改31项"
    )
    assert wording.as_stated({"tasks": 173}, published="") == "据整改进展情况通报，整改任务173项"


# A published notice in the shape of a real one: it states 12 tasks, 3 done, 9 long-term, and lists 4 measures.
STATING_NOTICE = """\
中共测试单位党组
关于十一届省委第八轮巡视整改进展情况的通报

  根据省委统一部署,2020年10月18日至12月25日,省委第十四巡视组对测试单位开展了常规巡视。2021年1月30日,省委巡视组向测试单位反馈了巡视意见。

  一、整改工作基本情况

  对巡视反馈中指出的2个方面3个问题进行逐条梳理,细化12项整改任务。经过集中整改,12项整改任务中有3项已整改完成,9项长期整改任务均取得阶段性成效。

  二、省委巡视组反馈意见整改落实情况

  (一)关于落实全面从严治党政治责任方面问题

  1.关于“扛牢压实主体责任有差距”的问题。一是制定年度任务安排。二是完善主体责任清单。

  (二)关于落实新时代党的组织路线方面问题

  1.关于“机关党建工作存在薄弱环节”的问题。一是落实“三会一课”制度。二是推进党支部标准化建设。

  三、下一步工作打算

  继续抓好整改。

中共测试单位党组
2021年8月26日
"""


def test_notice_from_a_source_it_cannot_back_states_both_as_their_own(world) -> None:
    unit = world.units[0]
    inspection = import_notice(unit.office_staff, unit.org, data=STATING_NOTICE.encode(),
                               filename="通报.txt").inspection
    text = _text(inspection)
    # The source's own figures, attributed to it and its date; the ledger's four measures as the ledger's.
    assert "据2021年8月26日发布的整改进展情况通报，反馈问题2个方面3个问题，整改任务12项，其中已完成3项、长期整改9项" in text
    assert "整改台账所列4项整改任务均已取得阶段性成效" in text
    assert "已完成0项" not in text
    assert "细化为4项整改任务" not in text  # the source says 12: the ledger's count is not passed off as the plan's
    internal = "\n".join(section.body for section in internal_draft(inspection).sections)
    assert "据2021年8月26日发布的整改进展情况通报" in internal and "已完成0项" not in internal


def test_a_ledger_that_backs_its_source_is_written_plainly(world) -> None:
    unit = world.units[0]
    backed = STATING_NOTICE.replace("3个问题进行逐条梳理,细化12项整改任务。经过集中整改,12项整改任务中有3项已整改完成,"
                                    "9项长期整改任务均取得阶段性成效", "2个问题进行逐条梳理,细化4项整改任务")
    inspection = import_notice(unit.office_staff, unit.org, data=backed.encode(), filename="通报.txt").inspection
    text = _text(inspection)
    assert "发布的整改进展情况通报" not in text and "整改台账所列" not in text
    assert "细化为4项整改任务" in text
