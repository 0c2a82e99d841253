"""read_ledger on messy .xlsx ledgers, built here the way units really keep them."""

from __future__ import annotations

from datetime import date, datetime

import xlsxwriter
from openpyxl import Workbook

from rectify.spreadsheets import read_ledger
from tests.spreadsheets.conftest import save


def messy_workbook() -> Workbook:
    """Title and unit rows, a two-row header with a merged group heading, merged-down cells,
    synonyms, a blank row, and footer notes."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws["A1"] = "XX局关于省委第三巡视组反馈意见整改落实台账"
    ws.merge_cells("A1:I1")
    ws["A2"] = "填报单位（盖章）：XX局            填报时间：2021年5月20日"
    ws.merge_cells("A2:I2")
    headers = {
        "A3": "序号",
        "B3": "问题类别",
        "C3": "存在问题",
        "D3": "整改举措",
        "E3": "责任主体",
        "H3": "整改时限",
        "I3": "进展情况",
    }
    for ref, text in headers.items():
        ws[ref] = text
    ws["E4"], ws["F4"], ws["G4"] = "牵头领导", "责任部门", "协办单位"
    for col in "ABCDHI":
        ws.merge_cells(f"{col}3:{col}4")
    ws.merge_cells("E3:G3")
    rows = [
        [
            "1",
            "政治建设方面",
            "1.理论学习不深入，\n学用结合不紧",
            "（1）修订党组理论学习中心组学习制度",
            "张  三",
            "办公室",
            "组织人事处、机关党委",
            "2021年6月底前",
            "已修订",
        ],
        [None, None, None, "（2）每季度开展一次专题研讨", "张  三", "机关党委", None, "长期坚持", None],
        [
            "2",
            None,
            "落实意识形态责任制不到位",
            "开展意识形态专项检查",
            "李四，王五",
            "宣传处",
            "",
            "２０２１年９月底前",
            None,
        ],
        [None] * 9,
        [
            "3",
            "全面从严治党方面",
            "监督执纪宽松软",
            "立行立改，约谈相关负责人",
            "赵六",
            "纪检组",
            None,
            "立行立改",
            "已完成",
        ],
    ]
    for offset, values in enumerate(rows):
        for col, value in enumerate(values, start=1):
            ws.cell(row=5 + offset, column=col, value=value)
    ws.merge_cells("B5:B7")  # the aspect over its problems
    ws.merge_cells("C5:C6")  # the problem over its measures
    ws.merge_cells("A5:A6")
    ws["A11"] = "填表人：钱七        审核人：孙八"
    ws["A12"] = "注：本表一式两份。"
    ws.merge_cells("A12:I12")
    return wb


def test_messy_ledger_gives_the_tasks_a_person_reads() -> None:
    parsed = read_ledger(save(messy_workbook()), "台账.xlsx", year=2021)
    assert parsed.to_json() == {
        "tasks": [
            {
                "aspect": "政治建设方面",
                "finding": "理论学习不深入，学用结合不紧",
                "measure": "修订党组理论学习中心组学习制度",
                "leader": ["张三"],
                "lead_org": ["办公室"],
                "co_orgs": ["组织人事处", "机关党委"],
                "deadline": "2021-06-30",
                "category": "限期整改",
                "progress": "已修订",
            },
            {
                "aspect": "政治建设方面",
                "finding": "理论学习不深入，学用结合不紧",
                "measure": "每季度开展一次专题研讨",
                "leader": ["张三"],
                "lead_org": ["机关党委"],
                "co_orgs": [],
                "deadline": None,
                "category": "长期整改",
                "progress": None,
            },
            {
                "aspect": "政治建设方面",
                "finding": "落实意识形态责任制不到位",
                "measure": "开展意识形态专项检查",
                "leader": ["李四", "王五"],
                "lead_org": ["宣传处"],
                "co_orgs": [],
                "deadline": "2021-09-30",
                "category": "限期整改",
                "progress": None,
            },
            {
                "aspect": "全面从严治党方面",
                "finding": "监督执纪宽松软",
                "measure": "立行立改，约谈相关负责人",
                "leader": ["赵六"],
                "lead_org": ["纪检组"],
                "co_orgs": [],
                "deadline": None,
                "category": "立行立改",
                "progress": "已完成",
            },
        ],
        "errors": [],
    }


def test_messy_ledger_keeps_excel_row_numbers_and_header_preview() -> None:
    parsed = read_ledger(save(messy_workbook()), "台账.xlsx", year=2021)
    assert [(task.sheet, task.row) for task in parsed.tasks] == [
        ("台账", 5),
        ("台账", 6),
        ("台账", 7),
        ("台账", 9),
    ]
    sheet = parsed.sheets[0]
    assert sheet.header_rows == [3, 4]
    fields = {column.letter: column.field for column in sheet.columns}
    assert fields == {
        "A": "seq",
        "B": "aspect",
        "C": "finding",
        "D": "measure",
        "E": "leader",
        "F": "lead_org",
        "G": "co_orgs",
        "H": "deadline",
        "I": "progress",
    }
    assert next(c.header for c in sheet.columns if c.letter == "F") == "责任主体/责任部门"


def test_blank_cells_below_carry_the_aspect_and_the_problem_forward() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["方面", "反馈问题", "整改措施", "责任单位", "完成时限"])
    ws.append(["一、党的建设方面", "问题甲", "措施1", "办公室", "2021.8"])
    ws.append([None, None, "措施2", "财务处", "2021.9"])
    ws.append([None, "问题乙", "措施3", "人事处", "2021.10"])
    tasks = read_ledger(save(wb), "x.xlsx", year=2021).tasks
    assert [(t.aspect, t.finding, t.measure) for t in tasks] == [
        ("党的建设方面", "问题甲", "措施1"),
        ("党的建设方面", "问题甲", "措施2"),
        ("党的建设方面", "问题乙", "措施3"),
    ]
    assert tasks[2].deadline == date(2021, 10, 31)


def test_one_sheet_per_aspect_with_cover_and_explanation_sheets_ignored() -> None:
    wb = Workbook()
    cover = wb.active
    cover.title = "封面"
    cover["B3"] = "巡视整改工作台账"
    cover["B5"] = "XX局整改办  2021年5月"
    notes = wb.create_sheet("填表说明")
    notes["A1"] = "完成时限请填写具体日期；责任单位填写全称。"
    for aspect, finding in (("政治建设", "学习不深入"), ("作风建设", "文山会海")):
        ws = wb.create_sheet(aspect)
        ws.append([f"{aspect}方面问题整改清单"])
        ws.append(["序号", "问题表现", "具体措施", "责任领导", "牵头单位", "完成时间"])
        ws.append([1, finding, f"{finding}的整改措施", "张三", "办公室", datetime(2021, 6, 30)])
    parsed = read_ledger(save(wb), "x.xlsx", year=2021)
    assert [(t.aspect, t.finding, t.deadline) for t in parsed.tasks] == [
        ("政治建设", "学习不深入", date(2021, 6, 30)),
        ("作风建设", "文山会海", date(2021, 6, 30)),
    ]
    assert [(s.name, s.ignored) for s in parsed.sheets] == [
        ("封面", True),
        ("填表说明", True),
        ("政治建设", False),
        ("作风建设", False),
    ]
    assert parsed.errors == []


def test_hidden_columns_are_read_only_when_their_header_is_recognised() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["反馈问题", "辅助列", "整改措施", "配合单位", "完成时限"])
    ws.append(["问题甲", "一、总体要求", "措施1", "财务处", "2021-06-30"])
    ws.column_dimensions["B"].hidden = True
    ws.column_dimensions["D"].hidden = True
    parsed = read_ledger(save(wb), "x.xlsx", year=2021)
    assert [(t.measure, t.co_orgs) for t in parsed.tasks] == [("措施1", ["财务处"])]
    letters = {c.letter: (c.field, c.hidden) for c in parsed.sheets[0].columns}
    assert "B" not in letters
    assert letters["D"] == ("co_orgs", True)


def test_one_column_mixing_lead_and_co_units_is_split_by_the_lead_mark() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["反馈问题", "整改措施", "责任单位", "完成时限"])
    ws.append(["问题甲", "措施1", "财政局、教育局（牵头）；人社局", "年底前"])
    ws.append(["问题乙", "措施2", "发改委 统计局", "年底前"])
    tasks = read_ledger(save(wb), "x.xlsx", year=2021).tasks
    assert (tasks[0].lead_org, tasks[0].co_orgs) == (["教育局"], ["财政局", "人社局"])
    assert (tasks[1].lead_org, tasks[1].co_orgs) == (["发改委", "统计局"], [])


def test_section_heading_rows_across_the_table_set_the_aspect() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "反馈问题", "整改措施", "牵头单位", "完成时限"])
    ws.append(["一、贯彻落实党的路线方针政策方面"])
    ws.merge_cells("A2:E2")
    ws.append([1, "问题甲", "措施1", "办公室", "6月底前"])
    ws.append(["二、组织建设方面", None, None, None, None])
    ws.append([2, "问题乙", "措施2", "人事处", "6月底前"])
    tasks = read_ledger(save(wb), "x.xlsx", year=2021).tasks
    assert [(t.aspect, t.finding) for t in tasks] == [
        ("贯彻落实党的路线方针政策方面", "问题甲"),
        ("组织建设方面", "问题乙"),
    ]


def test_bad_rows_are_reported_with_sheet_row_and_column() -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(["反馈问题", "整改措施", "牵头单位", "完成时限"])
    ws.append(["问题甲", "措施1", "办公室", "2021年2月30日"])
    ws.append(["问题乙", None, "办公室", "2021年6月"])
    ws.append(["问题丙", "措施3", "办公室", "=DATE(2021,6,30)"])
    ws.append(["问题丁", "措施4", "办公室", "6月底前"])
    parsed = read_ledger(save(wb), "x.xlsx", year=None)
    errors = [(e.sheet, e.row, e.column) for e in parsed.errors]
    assert errors == [("台账", 2, "D"), ("台账", 3, "B"), ("台账", 4, "D"), ("台账", 5, "D")]
    whys = [e.why for e in parsed.errors]
    assert "2021年2月30日" in whys[0]
    assert "D4" in whys[2] and "公式" in whys[2]
    assert "年份" in whys[3]
    assert parsed.tasks == []


def test_formula_cells_are_read_from_their_cached_value_only(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "cached.xlsx"
    workbook = xlsxwriter.Workbook(str(path))
    ws = workbook.add_worksheet("台账")
    for col, text in enumerate(["反馈问题", "整改措施", "牵头单位", "完成时限"]):
        ws.write_string(0, col, text)
    ws.write_string(1, 0, "问题甲")
    ws.write_formula(1, 1, '="措施"&"一"', None, "措施一")
    ws.write_string(1, 2, "办公室")
    ws.write_formula(1, 3, '=TEXT(TODAY(),"yyyy年m月")', None, "2021年7月")
    workbook.close()
    tasks = read_ledger(path.read_bytes(), "x.xlsx", year=2021).tasks
    assert [(t.measure, t.deadline) for t in tasks] == [("措施一", date(2021, 7, 31))]


def test_repeated_header_rows_are_skipped_and_a_total_row_is_named() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["反馈问题", "整改措施", "牵头单位", "完成时限"])
    ws.append(["问题甲", "措施1", "办公室", "2021-06-30"])
    ws.append(["反馈问题", "整改措施", "牵头单位", "完成时限"])
    ws.append(["问题乙", "措施2", "办公室", "2021-06-30"])
    ws.append(["合计", "2项", None, None])
    parsed = read_ledger(save(wb), "x.xlsx", year=2021)
    assert [t.finding for t in parsed.tasks] == ["问题甲", "问题乙"]
    assert [(e.row, e.why) for e in parsed.errors] == [(5, "这一行是合计行，不是整改任务：「合计」")]


def test_rows_that_cannot_be_tasks_are_named_with_their_row_number() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["序号", "反馈问题", "整改措施", "牵头单位", "完成时限"])
    ws.append([1, "问题甲", "措施1", "办公室", "2021-06-30"])
    ws.append(["注：以下为第二批问题"])
    ws.append([2, "问题乙", "措施2", "办公室", "2021-06-30"])
    ws.append([3])
    ws.append([None, None, None, None, None, None, "请各单位于每月5日前报送"])
    ws.append([4, "问题丙", "措施3", "办公室", "2021-06-30"])
    ws.append(["注：完成时限以方案为准"])  # a note below the table is no bad row
    ws.append(["填表人：张三"])
    parsed = read_ledger(save(wb), "x.xlsx", year=2021)
    assert [t.finding for t in parsed.tasks] == ["问题甲", "问题乙", "问题丙"]
    assert [(e.row, e.why) for e in parsed.errors] == [
        (3, "表格中间的说明文字，不是整改任务：「注：以下为第二批问题」"),
        (5, "这一行只有序号「3」，没有反馈问题和整改措施"),
        (6, "这一行不在台账的任何一列中，不是整改任务：「请各单位于每月5日前报送」"),
    ]


def test_a_problem_without_any_measure_is_read_as_a_finding_with_no_task_yet() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["反馈问题", "整改措施", "牵头单位", "完成时限"])
    ws.append(["问题甲", None, None, None])
    ws.append(["问题乙", "措施2", "办公室", "2021-06-30"])
    parsed = read_ledger(save(wb), "x.xlsx", year=2021)
    assert [t.finding for t in parsed.tasks] == ["问题乙"]
    assert [(f.row, f.finding, f.measure) for f in parsed.findings] == [(2, "问题甲", "")]
    assert parsed.errors == []
    assert [row.finding for row in parsed.in_order()] == ["问题甲", "问题乙"]


def test_a_row_with_a_department_and_a_deadline_but_no_measure_is_an_error() -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["反馈问题", "整改措施", "牵头单位", "完成时限"])
    ws.append(["问题甲", None, "办公室", "2021-06-30"])
    parsed = read_ledger(save(wb), "x.xlsx", year=2021)
    assert parsed.findings == []
    assert [(e.row, e.column, e.why) for e in parsed.errors] == [(2, "B", "「整改措施」为空")]
