"""`import_notice`: a published 整改进展情况通报 becomes an inspection with its tree, tasks, rules, outcomes."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from rectify.errors import Forbidden, NotVisible
from rectify.inspections.models import Finding, Inspection
from rectify.ledger.models import Outcome, RuleChange, Task
from rectify.ledger.notice_import import (
    NoticeImportFailed,
    feedback_nodes,
    find_outcomes,
    find_rule_changes,
    import_notice,
    measure_deadline,
)
from rectify.notice import Figure, Node, Notice, parse, read_file
from rectify.organizations.models import Organization
from rectify.organizations.services import system_actor
from tests import corpus
from tests.conftest import NOTICE

SEEDS = corpus.files(corpus.SEEDS)


def seed(name: str):
    """A seed report by name; the calling test skips when the corpus is absent."""
    return corpus.require(corpus.SEEDS) / name


def expected(path) -> dict:
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))


def feedback_levels(path) -> list[int]:
    """The seed's levels without the section reporting on transferred leads (not a feedback aspect)."""
    return Notice(findings=feedback_nodes(parse(read_file(path)))).levels()


def run(unit, path, **options):
    return import_notice(unit.office_staff, unit.org, data=path.read_bytes(), filename=path.name, **options)


def level_counts(inspection: Inspection) -> list[int]:
    counts = [0, 0, 0]
    for level in Finding.objects.filter(inspection=inspection).values_list("level", flat=True):
        counts[level - 1] += 1
    while counts and counts[-1] == 0:
        counts.pop()
    return counts


def tree_of(inspection: Inspection) -> list[Node]:
    """The stored findings as notice nodes, to count levels the way the seeds do."""
    nodes: dict[int | None, list[Node]] = {}
    by_id: dict[int, Node] = {}
    for finding in Finding.objects.filter(inspection=inspection).order_by("level", "position"):
        node = Node(label=finding.label, title=finding.title)
        by_id[finding.pk] = node
        (by_id[finding.parent_id].children if finding.parent_id else nodes.setdefault(None, [])).append(node)
    return nodes.get(None, [])


@pytest.mark.parametrize("path", SEEDS)
def test_seed_report_creates_the_findings_tree(unit, path):
    result = run(unit, path)
    inspection = result.inspection
    want = expected(path)

    assert result.created
    assert Notice(findings=tree_of(inspection)).levels() == feedback_levels(path)
    assert inspection.target == unit.org
    assert inspection.feedback_date == dt.date.fromisoformat(want["feedback_date"])
    assert inspection.onsite_start == dt.date.fromisoformat(want["onsite_start"])
    assert inspection.kind == want["kind"]
    assert inspection.round == want["round"]
    notice = parse(read_file(path))
    measures = sum(len(node.measures) for node in _walk(feedback_nodes(notice)))
    assert Task.objects.filter(inspection=inspection).count() == measures == result.tasks


@pytest.mark.parametrize(
    "path",
    SEEDS,
)
def test_seed_report_stores_findings_at_the_seed_levels(unit, path):
    result = run(unit, path)
    levels = feedback_levels(path)
    assert level_counts(result.inspection) == levels
    assert result.findings_per_level[: len(levels)] == levels
    # Only the 统战部 notice reports on leads in a section of its own, its （五）.
    seed = expected(path)["findings_levels"]
    assert levels == ([seed[0] - 1, *seed[1:]] if path.stem == "shandong-tongzhanbu-2021" else seed)


@pytest.mark.parametrize("path", SEEDS)
def test_second_import_of_the_same_report_does_not_duplicate(unit, path, db_counts):
    first = run(unit, path)
    before = db_counts()
    second = run(unit, path)

    assert not second.created
    assert second.inspection.pk == first.inspection.pk
    assert db_counts() == before
    assert second.tasks == first.tasks
    assert second.findings_per_level == first.findings_per_level


def test_same_text_in_another_encoding_is_the_same_report(unit):
    path = NOTICE
    first = run(unit, path)
    again = import_notice(
        unit.office_staff, unit.org, data=read_file(path).encode("gb18030"), filename="通报.txt"
    )
    assert not again.created and again.inspection.pk == first.inspection.pk


def test_dry_run_writes_nothing(unit, db_counts):
    before = db_counts()
    result = run(unit, NOTICE, dry_run=True)
    assert result.dry_run and result.tasks > 0
    assert db_counts() == before


def test_header_fields_come_from_the_notice(unit):
    path = seed("xilinguole-tongzhanbu-2022.txt")
    inspection = run(unit, path).inspection
    want = expected(path)
    assert inspection.title == parse(read_file(path)).title
    assert (inspection.kind, inspection.inspector, inspection.type) == ("巡察", "盟委", Inspection.Type.SPECIAL)
    assert inspection.published == dt.date.fromisoformat(want["published"])
    assert len(inspection.source_hash) == 64


def test_rules_named_in_measures_become_rule_changes(unit):
    inspection = run(unit, seed("shandong-renfangban-2021.txt")).inspection
    rules = set(RuleChange.objects.filter(inspection=inspection).values_list("action", "title"))
    assert ("create", "项目绩效运行监控和评价管理办法") in rules
    assert ("create", "预算项目评审操作规程") in rules
    assert ("revise", "党支部标准化建设指标清单和考评办法") in rules
    # "严格落实《党政机关办公用房建设标准》" names a rule but does not make one.
    assert not any(title == "党政机关办公用房建设标准" for _action, title in rules)
    linked = RuleChange.objects.get(inspection=inspection, title="预算项目评审操作规程").task
    assert linked is not None and "预算项目评审操作规程" in linked.title


def test_accountability_and_money_figures_become_outcomes(unit, tmp_path):
    path = NOTICE
    text = read_file(path).replace("新建或修订完善制度8项", "新建或修订完善制度8项，问责23人，追缴资金120.5万元")
    result = import_notice(unit.office_staff, unit.org, data=text.encode(), filename=path.name)
    outcomes = set(
        Outcome.objects.filter(inspection=result.inspection).values_list("kind", "value", "value_unit")
    )
    assert (Outcome.Kind.ACCOUNTABILITY, Decimal("23"), "人") in outcomes
    assert (Outcome.Kind.FUNDS_RECOVERED, Decimal("120.5"), "万元") in outcomes
    assert (Outcome.Kind.COST_CUT, Decimal("10"), "%") in outcomes  # 机关运行经费预算压减10%
    assert result.outcomes == len(outcomes)


def test_without_unit_the_named_unit_is_created_once(world, db_counts):
    path = NOTICE
    first = import_notice(system_actor(), None, data=path.read_bytes(), filename=path.name)
    assert first.unit_created and first.unit.name == "中共临江市委宣传部"
    assert first.unit.kind == Organization.Kind.UNIT and first.unit.parent is None
    before = db_counts()
    second = import_notice(system_actor(), None, data=path.read_bytes(), filename=path.name)
    assert not second.unit_created and not second.created
    assert second.unit == first.unit
    assert db_counts() == before


def test_without_unit_an_existing_unit_is_found_by_its_core_name(world):
    from rectify.organizations import services as orgs

    unit = orgs.create_organization(None, name="临江市委宣传部", kind=Organization.Kind.UNIT, parent=world.office)
    path = NOTICE
    result = import_notice(system_actor(), None, data=path.read_bytes(), filename=path.name)
    assert result.unit == unit and not result.unit_created


def test_only_an_administrator_may_create_the_unit(unit, db_counts):
    before = db_counts()
    path = NOTICE
    with pytest.raises(Forbidden):
        import_notice(unit.office_staff, None, data=path.read_bytes(), filename=path.name)
    assert db_counts() == before


def test_department_persona_may_not_import(unit, db_counts):
    before = db_counts()
    with pytest.raises(Forbidden):
        import_notice(unit.dept_handler, unit.org, data=NOTICE.read_bytes(), filename=NOTICE.name)
    assert db_counts() == before


def test_another_unit_is_not_visible(unit, other):
    with pytest.raises(NotVisible):
        import_notice(other.office_staff, unit.org, data=NOTICE.read_bytes(), filename=NOTICE.name)


@pytest.mark.parametrize(
    ("data", "name"),
    [(b"", "empty.txt"), (b"%PDF-1.4 ...", "notice.pdf"), (b"\xd0\xcf\x11\xe0", "notice.doc")],
    ids=["empty", "pdf", "doc"],
)
def test_unreadable_notice_is_a_clear_chinese_error(unit, db_counts, data, name):
    before = db_counts()
    with pytest.raises(NoticeImportFailed) as error:
        import_notice(unit.office_staff, unit.org, data=data, filename=name)
    assert error.value.message.startswith(f"无法导入通报「{name}」：")
    assert db_counts() == before


# ---------------------------------------------------------------------- measure text

FEEDBACK = dt.date(2021, 2, 7)
DEFAULT = dt.date(2021, 8, 7)


@pytest.mark.parametrize(
    ("measure", "category", "deadline"),
    [
        ("6月底前完成全面排查", "deadline", dt.date(2021, 6, 30)),
        ("年底前修订完善相关制度", "deadline", dt.date(2021, 12, 31)),
        ("今年底完成规划课题研究", "deadline", dt.date(2021, 12, 31)),
        ("2021年9月15日前报送整改报告", "deadline", dt.date(2021, 9, 15)),
        ("2022年底前完成编制", "deadline", dt.date(2022, 12, 31)),
        ("1月底前完成清理", "deadline", dt.date(2022, 1, 31)),  # before the feedback: next year's January
        ("长期坚持，抓好落实", "long_term", None),
        ("持续巩固专项治理成果", "long_term", None),
        ("立行立改，约谈相关负责人", "immediate", None),
        ("在开展民主生活会之前逐一听取报告", "deadline", DEFAULT),
        ("于今年3月分赴6个省区政协调研", "deadline", DEFAULT),
        ("加强教育培训", "deadline", DEFAULT),
    ],
)
def test_measure_deadline(measure, category, deadline):
    assert measure_deadline(measure, feedback=FEEDBACK, default=DEFAULT) == (category, deadline)


def test_default_deadline_is_six_months_after_feedback(unit):
    path = seed("shandong-tongzhanbu-2021.txt")
    # Without its statement that every task is done or long-term, an undated measure gets the default.
    text = read_file(path).replace(",31项长期整改任务均取得阶段性成效", "")
    inspection = import_notice(unit.office_staff, unit.org, data=text.encode(), filename=path.name).inspection
    plain = Task.objects.filter(inspection=inspection, title__startswith="三是严肃党内政治生活").get()
    assert plain.deadline == dt.date(2021, 7, 30)  # feedback 2021-01-30


def test_undated_measure_is_long_term_when_the_notice_says_every_other_task_is_done(unit):
    inspection = run(unit, seed("shandong-tongzhanbu-2021.txt")).inspection
    plain = Task.objects.filter(inspection=inspection, title__startswith="三是严肃党内政治生活").get()
    # "38项整改任务中有7项已整改完成，31项长期整改任务均取得阶段性成效"
    assert (plain.category, plain.deadline, plain.status) == (Task.Category.LONG_TERM, None, Task.Status.PHASED_RESULT)


@pytest.mark.parametrize(
    ("text", "rules"),
    [
        ("制定出台《项目绩效运行监控和评价管理办法》和《预算项目评审操作规程》", [
            ("create", "项目绩效运行监控和评价管理办法"), ("create", "预算项目评审操作规程")]),
        ("修订完善《党支部组织生活会》制度", [("revise", "党支部组织生活会")]),
        ("废止《机关会议管理暂行办法》", [("abolish", "机关会议管理暂行办法")]),
        ("起草了《A办法》《B规定》两项制度", [("create", "A办法"), ("create", "B规定")]),
        ("该单位未制定《内部控制规程》", []),
        ("认真学习《党政领导干部选拔任用工作条例》", []),
        ("9月5日印发了《关于开展廉政风险排查的通知》", []),
        ("起草了《关于调整领导小组的通知》", []),
    ],
)
def test_find_rule_changes(text, rules):
    assert find_rule_changes(text) == rules


@pytest.mark.parametrize(
    ("clause", "found"),
    [
        ("问责23人", [("accountability", Decimal("23"), "人")]),
        ("共追缴资金120.5万元", [("funds_recovered", Decimal("120.5"), "万元")]),
        ("给予3人党纪处分", [("discipline", Decimal("3"), "人")]),
        ("对5名干部进行问责", [("accountability", Decimal("5"), "名")]),
        ("机关运行经费预算压减10%", [("cost_cut", Decimal("10"), "%")]),
        ("其中会议、培训、差旅等经费预算压减30%", [("cost_cut", Decimal("30"), "%")]),
        ("谈心谈话8人次", []),
        ("对160名科级及以上党员干部进行培训", []),
    ],
)
def test_find_outcomes(clause, found):
    assert [item[:3] for item in find_outcomes([Figure(text=clause)])] == found


@pytest.mark.parametrize(
    ("clause", "what"),
    [
        ("2021年度机关运行经费预算压减10%", "2021年度机关运行经费预算压减"),
        ("其中会议、培训、差旅等经费预算压减30%", "会议、培训、差旅等经费预算压减"),
        ("问责23人", "问责"),
        ("给予3人党纪处分", "党纪处分"),
        ("共追缴资金120.5万元", "追缴资金"),
    ],
)
def test_outcome_what_leaves_the_figure_to_value_and_unit(clause, what):
    assert [item[3] for item in find_outcomes([Figure(text=clause)])] == [what]


def test_imported_cost_cut_is_written_once_in_the_generated_notice(unit):
    from rectify.reports.compose import notice_draft

    path = seed("shandong-tongzhanbu-2021.txt")
    if not path.exists():
        pytest.skip("corpus not found next to the repository")
    inspection = run(unit, path).inspection
    _notice, draft = notice_draft(inspection)
    text = "\n".join(s.body for s in draft.sections)
    assert "10%10%" not in text and "30%30%" not in text
    assert "2021年度机关运行经费预算压减10%" in text


def _walk(nodes):
    for node in nodes:
        yield node
        yield from _walk(node.children)


DEEP_NOTICE = """\
中共测试单位党组
关于十一届省委第八轮巡视整改进展情况的通报

  根据省委统一部署,2020年9月27日至12月25日,省委第十一巡视组对测试单位党组开展了常规巡视。2021年2月7日,省委巡视组向测试单位党组反馈了巡视意见。

  一、整改工作基本情况

  测试单位党组完全接受反馈意见,问责23人,追缴资金120.5万元。

  二、省委巡视组反馈意见整改落实情况

  (一)关于贯彻落实党的理论方面问题

  1.关于学习贯彻有差距。

  (1)落实重要指示不到位的问题。

  ①第一个细项问题。

  一是6月底前制定《学习制度》,抓好落实。

  ②第二个细项问题。

  一是长期坚持学习。

  2.关于履行职责不主动。

  一是年底前完成规划。

  三、下一步工作打算

  继续抓好整改。

  欢迎广大干部群众对巡视整改落实情况进行监督。联系电话:0531-12345678。

中共测试单位党组
2021年8月26日
"""


def test_headings_below_level_three_fold_into_their_level_three_problem(unit):
    result = import_notice(unit.office_staff, unit.org, data=DEEP_NOTICE.encode(), filename="通报.txt")
    inspection = result.inspection

    assert level_counts(inspection) == [1, 2, 1]
    sub = Finding.objects.get(inspection=inspection, level=3)
    assert "①第一个细项问题" in sub.text and "②第二个细项问题" in sub.text
    tasks = {t.title: t for t in sub.tasks.all()}
    assert tasks["一是6月底前制定《学习制度》,抓好落实。"].deadline == dt.date(2021, 6, 30)
    assert tasks["一是长期坚持学习。"].category == Task.Category.LONG_TERM
    assert Task.objects.get(inspection=inspection, title__contains="年底前完成规划").deadline == dt.date(2021, 12, 31)
    rule = RuleChange.objects.get(inspection=inspection)
    assert (rule.action, rule.title, rule.task.finding) == ("create", "学习制度", sub)
    outcomes = set(Outcome.objects.filter(inspection=inspection).values_list("kind", "value", "value_unit"))
    assert outcomes == {("accountability", Decimal("23"), "人"), ("funds_recovered", Decimal("120.5"), "万元")}
    assert all(o.recorded_on == dt.date(2021, 8, 26) for o in Outcome.objects.filter(inspection=inspection))


def test_notice_imports_from_a_pdf_file(unit):
    pytest.importorskip("reportlab")
    from tests.notice.test_pdf import OWN, _pdf

    result = import_notice(unit.office_staff, unit.org, data=_pdf(OWN), filename="通报.pdf")
    inspection = result.inspection
    assert (inspection.feedback_date, inspection.onsite_start) == (dt.date(2023, 1, 17), dt.date(2022, 9, 16))
    assert Task.objects.filter(finding__inspection=inspection).exists()
