"""read_ledger(write_ledger(rows)) gives back the same tasks."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rectify.spreadsheets import ExportRow, read_ledger, write_ledger

# Text in the normal form a ledger cell holds: no numbering in front, no padding spaces.
_CHARS = (
    "党建学习制度监督落实责任整改问题措施组织管理会议文件经费资产干部作风纪律调研宣传廉洁规范机制台账abcXYZ"
)
_TEXT = st.text(alphabet=_CHARS + "，。；（）%", min_size=1, max_size=40).filter(lambda t: t[0] in _CHARS)
_CELL_TEXT = st.builds(
    lambda prefix, text: prefix + text, st.sampled_from(["", "", "=", "+", "-", "@"]), _TEXT
)
_NAME = st.text(alphabet="张王李赵刘陈杨黄周吴办公室财务处人事科宣传部", min_size=2, max_size=5)
_NAMES = st.lists(_NAME, max_size=3, unique=True)


@st.composite
def export_rows(draw: Any) -> ExportRow:
    category = draw(st.sampled_from(["限期整改", "立行立改", "长期整改"]))
    deadline = draw(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
    if category != "限期整改" and draw(st.booleans()):
        deadline = None
    return ExportRow(
        aspect=draw(st.sampled_from(["政治建设方面", "全面从严治党方面", "组织建设方面"])),
        finding=draw(_CELL_TEXT),
        measure=draw(_CELL_TEXT),
        leader=draw(_NAMES),
        lead_org=draw(_NAMES),
        co_orgs=draw(_NAMES),
        deadline=deadline,
        category=category,
        status=draw(st.sampled_from([None, "整改中", "已销号"])),
        light=draw(st.sampled_from([None, "green", "yellow", "red"])),
        progress=draw(st.one_of(st.none(), _CELL_TEXT)),
        note=None,
    )


def expected(row: ExportRow) -> dict[str, Any]:
    return {
        "aspect": row.aspect,
        "finding": row.finding,
        "measure": row.measure,
        "leader": row.leader,
        "lead_org": row.lead_org,
        "co_orgs": [org for org in row.co_orgs if org not in row.lead_org],
        "deadline": row.deadline.isoformat() if row.deadline else None,
        "category": row.category,
        "progress": row.progress,
    }


def test_round_trip_of_a_typical_ledger() -> None:
    rows = [
        ExportRow(
            "政治建设方面",
            "学习不深入",
            "修订学习制度",
            ["张三"],
            ["办公室"],
            ["机关党委", "组织部"],
            date(2021, 6, 30),
            "限期整改",
            "整改中",
            "green",
            "已修订。\n正在执行。",
            "备注",
        ),
        ExportRow("政治建设方面", "学习不深入", "每季度研讨", ["张三"], ["机关党委"], [], None, "长期整改"),
        ExportRow(
            "作风建设方面", "文山会海", "精简文件", ["王五"], ["办公室"], [], date(2021, 5, 31), "立行立改"
        ),
    ]
    for per_aspect in (False, True):
        data = write_ledger(
            rows, title="整改台账", unit="XX局", date_label="2021年8月", per_aspect=per_aspect
        )
        parsed = read_ledger(data, "台账.xlsx")
        assert parsed.errors == []
        assert parsed.to_json()["tasks"] == [expected(row) for row in rows]


@settings(max_examples=40, deadline=None)
@given(st.lists(export_rows(), min_size=1, max_size=12))
def test_round_trip_keeps_every_task(rows: list[ExportRow]) -> None:
    data = write_ledger(rows, title="整改台账", unit="XX局", date_label="2021年8月")
    parsed = read_ledger(data, "台账.xlsx")
    assert parsed.errors == []
    assert parsed.to_json()["tasks"] == [expected(row) for row in rows]


def test_round_trip_keeps_sub_problems_and_numbering() -> None:
    rows = [
        ExportRow("政治建设方面", "学习不深入", "制定学习计划", category="立行立改",
                  aspect_label="一、", finding_label="（一）"),
        ExportRow("政治建设方面", "学习不深入", "修订学习制度", deadline=date(2021, 6, 30), sub_problem="学习流于形式",
                  aspect_label="一、", finding_label="（一）", sub_problem_label="1."),
        ExportRow("政治建设方面", "学习不深入", "每季度研讨", category="长期整改", sub_problem="学用脱节",
                  aspect_label="一、", finding_label="（一）", sub_problem_label="2."),
        # No 问题 level: the problem cell names the aspect, the sub-problem hangs on it.
        ExportRow("作风建设方面", "作风建设方面", "精简文件", category="立行立改", sub_problem="文山会海",
                  aspect_label="二、", finding_label="二、", sub_problem_label="1."),
    ]
    for per_aspect in (False, True):
        data = write_ledger(rows, title="整改台账", unit="XX局", date_label="2021年8月", per_aspect=per_aspect)
        parsed = read_ledger(data, "台账.xlsx")
        assert parsed.errors == []
        assert [(t.aspect_label, t.aspect, t.finding_label, t.finding, t.sub_problem_label, t.sub_problem, t.measure)
                for t in parsed.tasks] == EXPECTED_SUB_PROBLEMS


EXPECTED_SUB_PROBLEMS = [
    ("一、", "政治建设方面", "（一）", "学习不深入", "", None, "制定学习计划"),
    ("一、", "政治建设方面", "（一）", "学习不深入", "1.", "学习流于形式", "修订学习制度"),
    ("一、", "政治建设方面", "（一）", "学习不深入", "2.", "学用脱节", "每季度研讨"),
    ("二、", "作风建设方面", "二、", "作风建设方面", "1.", "文山会海", "精简文件"),
]


def test_round_trip_keeps_findings_without_tasks_and_findings_without_an_aspect() -> None:
    rows = [
        ExportRow("政治建设方面", "学习不深入", "修订学习制度", deadline=date(2021, 6, 30), number="1",
                  aspect_label="一、", finding_label="（一）"),
        ExportRow("政治建设方面", "学习不深入", "", category="", sub_problem="学用脱节",
                  aspect_label="一、", finding_label="（一）", sub_problem_label="1."),
        ExportRow("政治建设方面", "意识形态工作薄弱", "", category="", aspect_label="一、", finding_label="（二）"),
        # A notice that lists problems without aspects: "—" stands in the cells of the missing levels.
        ExportRow(None, "主体责任落实不到位", "压实主体责任", category="长期整改", number="2", finding_label="（三）"),
        ExportRow(None, "", "规范会议纪要", category="立行立改", number="3", sub_problem="会议纪要不规范",
                  sub_problem_label="2."),
    ]
    for per_aspect in (False, True):
        data = write_ledger(rows, title="整改台账", unit="XX局", date_label="2021年8月", per_aspect=per_aspect)
        parsed = read_ledger(data, "台账.xlsx")
        assert parsed.errors == []
        assert [(r.without_aspect, r.aspect, r.finding_label, r.finding, r.sub_problem, r.measure, r.number)
                for r in parsed.in_order()] == [
            (False, "政治建设方面", "（一）", "学习不深入", None, "修订学习制度", "1"),
            (False, "政治建设方面", "（一）", "学习不深入", "学用脱节", "", None),
            (False, "政治建设方面", "（二）", "意识形态工作薄弱", None, "", None),
            (True, None, "（三）", "主体责任落实不到位", None, "压实主体责任", "2"),
            (True, None, "", "", "会议纪要不规范", "规范会议纪要", "3"),
        ]
