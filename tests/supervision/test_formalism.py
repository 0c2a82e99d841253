"""Formalism flags on tasks and plans, with measures taken from the published seed reports, and the
common problems across units."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from rectify.errors import Forbidden
from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.supervision import selectors
from rectify.supervision.documents import common_problems_xlsx
from rectify.supervision.selectors.checks import FLAGS_PER_KIND
from rectify.supervision.services.problems import analyse_common_problems
from tests import corpus
from tests.factories import evidence, make_task

SEEDS = corpus.SEEDS


def seed_measure(prefix: str) -> str:
    """The seed reports' measure starting with `prefix`, up to the end of its clause (。or ；)."""
    corpus.require(SEEDS)
    for path in sorted(SEEDS.glob("*.txt")):
        match = re.search(re.escape(prefix) + r"[^。；;]*", path.read_text(encoding="utf-8"))
        if match:
            return match.group(0)
    raise AssertionError(f"{prefix!r} is not in the seed reports")


def codes(flags: list) -> set[str]:
    return {flag.code for flag in flags}


def test_a_slogan_measure_from_the_seeds_is_flagged_and_a_specific_one_is_not(sw, on_start) -> None:
    unit = sw.units[0]
    slogan = make_task(unit, title=seed_measure("三是着力加强统战团体组织建设"))
    specific = make_task(unit, title=seed_measure("一是印发《关于收回省级人民防空建设资金的通知》"))
    flags = selectors.formalism_flags(slogan)
    assert "slogan_measure" in codes(flags)
    assert all(f.message and f.label for f in flags)
    assert selectors.formalism_flags(specific) == []


def test_near_identical_measures_are_flagged_within_the_plan_and_across_units(sw, on_start) -> None:
    unit, other = sw.units[0], sw.units[1]
    text = seed_measure("三是加强同派驻纪检监察组沟通协调")
    first = make_task(unit, title=text)
    second = make_task(unit, title="一是" + text.removeprefix("三是").replace(",", "，"))
    assert "duplicate_measure" in codes(selectors.formalism_flags(first))
    copied = make_task(other, title=text.replace("加强同派驻", "加强与派驻"))
    flags = selectors.formalism_flags(copied)
    copies = [f for f in flags if f.code == "copied_measure"]
    assert len(copies) == 2  # like both of unit A's measures
    assert all(unit.org.name in f.message and f.evidence == (copied.title,) for f in copies)  # A's text hidden
    plan = selectors.plan_flags(unit.inspection)
    assert plan.counts.get("duplicate_measure") == 2 and second.pk in {t.pk for t, f in plan.tasks if f}


def test_a_task_page_shows_the_closest_copies_not_every_one(sw, on_start) -> None:
    unit, other = sw.units[0], sw.units[1]
    text = seed_measure("三是加强同派驻纪检监察组沟通协调")
    for index in range(FLAGS_PER_KIND + 2):
        make_task(unit, title=text + "，" + "认真" * index)
    copied = make_task(other, title=text)
    copies = [f for f in selectors.formalism_flags(copied) if f.code == "copied_measure"]
    assert len(copies) == FLAGS_PER_KIND
    scores = [float(re.search(r"相似度 (\d\.\d+)", f.message).group(1)) for f in copies]
    assert scores == sorted(scores, reverse=True)  # the closest first


def test_a_copied_rule_is_flagged_on_its_task(sw, on_start) -> None:
    unit, other = sw.units[0], sw.units[1]
    rule_text = ("第一条 为规范公务接待管理，厉行节约，反对浪费，根据有关规定，结合实际，制定本办法。"
                 "第二条 公务接待应当坚持有利公务、务实节俭、严格标准、简化礼仪、高效透明、尊重少数民族风俗习惯的原则。")
    source = make_task(other, title="制定公务接待管理办法")
    ledger.create_rule_change(other.office_staff, other.inspection, title="公务接待管理办法", task=source, text=rule_text)
    task = make_task(unit, title="修订公务接待管理办法")
    ledger.create_rule_change(unit.office_staff, unit.inspection, title="公务接待管理办法", task=task,
                              text=rule_text.replace("结合实际", "结合本部门实际"))
    (flag,) = [f for f in selectors.formalism_flags(task) if f.code == "copied_rule"]
    assert other.org.name in flag.message and len(flag.evidence) == 1


def test_meeting_notice_closure_and_numbers_only_progress_are_flagged(sw, on_start) -> None:
    unit = sw.units[0]
    task = make_task(unit, title="一是印发《机关会议费管理办法》")
    ledger.report_progress(unit.dept_handler, task, text="召开专题会议3次，印发文件5份，组织学习2次",
                           files=[evidence("关于召开整改推进会的会议通知.pdf"), evidence("签到表.pdf")])
    ledger.submit_task(unit.dept_handler, task)
    assert {"meeting_notice_only", "numbers_without_result"} <= codes(selectors.formalism_flags(task))

    real = make_task(unit, title="二是收回违规占用的办公用房")
    ledger.report_progress(unit.dept_handler, real, text="已收回办公用房2处，面积186平方米",
                           files=[evidence("房屋移交清单.pdf")])
    ledger.submit_task(unit.dept_handler, real)
    assert selectors.formalism_flags(real) == []


def test_common_problems_cluster_similar_findings_across_units(sw, on_start) -> None:
    titles = {
        0: ["落实中央八项规定精神不到位，公务接待超标准", "选人用人把关不严"],
        1: ["落实中央八项规定精神不到位、公务接待超标准问题", "意识形态工作责任制落实不到位"],
    }
    for index, items in titles.items():
        unit = sw.units[index]
        for title in items:
            inspections.add_finding(unit.office_staff, unit.inspection, title=title, parent=unit.aspect)
    far = sw.far
    inspections.add_finding(far.office_staff, far.inspection, title="落实中央八项规定精神不到位，公务接待超标准",
                            parent=far.aspect)

    assert selectors.common_problems(sw.inspection_office) == []  # not analysed yet
    analyse_common_problems(0.5)
    clusters = selectors.common_problems(sw.inspection_office)
    (cluster,) = [c for c in clusters if "八项规定" in c.title]
    assert cluster.count == 2  # the far unit belongs to another inspection office: not visible
    assert set(cluster.units) == {sw.units[0].org.name, sw.units[1].org.name}
    assert not [c for c in clusters if "选人用人" in c.title]

    book = load_workbook(io.BytesIO(common_problems_xlsx(clusters)))
    rows = list(book["共性问题"].iter_rows(min_row=3, values_only=True))
    assert [(r[2], r[3]) for r in rows if "八项规定" in r[1]] == [(2, 2)]
    with pytest.raises(Forbidden):
        selectors.common_problems(sw.units[0].office_staff)
