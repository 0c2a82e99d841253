"""The evaluation score sheet after the concentrated period: weights, deductions, grades, 二次整改."""

from __future__ import annotations

from decimal import Decimal

import pytest

from rectify.supervision.rules.scoring import (
    COMPLETION,
    LEADERSHIP,
    RESPONSIBILITY,
    SATISFACTION,
    CompletionCounts,
    Deduction,
    Grade,
    GradeScale,
    completion_points,
    evaluate,
    sections_with_weights,
)


def _sheet_with_loss(points: str):
    return evaluate(deductions=[Deduction(COMPLETION, Decimal(points), "部分任务未按期完成")])


@pytest.mark.parametrize(
    ("loss", "total", "grade", "second_round"),
    [
        ("0", "100.00", Grade.GOOD, False),
        ("10", "90.00", Grade.GOOD, False),
        ("10.01", "89.99", Grade.FAIRLY_GOOD, False),
        ("20", "80.00", Grade.FAIRLY_GOOD, False),
        ("20.01", "79.99", Grade.FAIR, True),
        ("40", "60.00", Grade.FAIR, True),
        ("40.01", "59.99", Grade.POOR, True),
    ],
)
def test_grade_boundaries(loss: str, total: str, grade: Grade, second_round: bool) -> None:
    sheet = _sheet_with_loss(loss)
    assert sheet.total == Decimal(total)
    assert sheet.grade is grade
    assert sheet.needs_second_round is second_round


def test_grade_labels_are_chinese() -> None:
    assert [g.label for g in Grade] == ["好", "较好", "一般", "差"]


def test_default_weights() -> None:
    sheet = evaluate()
    assert [(s.section.label, s.section.weight) for s in sheet.sections] == [
        ("组织领导", 15),
        ("责任落实", 15),
        ("整改任务完成", 60),
        ("群众满意度", 10),
    ]
    assert sheet.total == 100


def test_deductions_are_capped_per_section() -> None:
    sheet = evaluate(
        deductions=[
            Deduction(LEADERSHIP, Decimal(10), "未召开整改专题民主生活会"),
            Deduction(LEADERSHIP, Decimal(8), "主要负责人未签字背书"),
            Deduction(RESPONSIBILITY, Decimal("2.5"), "责任分工不明确"),
        ]
    )
    leadership = sheet.section(LEADERSHIP)
    assert leadership.points == 0 and leadership.capped
    assert sheet.section(RESPONSIBILITY).points == Decimal("12.50")
    assert sheet.total == Decimal("82.50")


def test_custom_cap_limits_a_section_below_its_weight() -> None:
    sections = sections_with_weights({})
    capped = tuple(
        s if s.code != SATISFACTION else type(s)(s.code, s.label, s.weight, cap=Decimal(3)) for s in sections
    )
    sheet = evaluate(deductions=[Deduction(SATISFACTION, Decimal(9), "群众反映强烈")], sections=capped)
    assert sheet.section(SATISFACTION).points == 7


def test_task_completion_from_counts_with_overdue_penalty() -> None:
    # 30 of 40 closed is three quarters of 60 points; two overdue tasks cost 2 points each.
    counts = CompletionCounts(due=40, closed=30, overdue=2)
    assert completion_points(counts) == Decimal("41.00")
    sheet = evaluate(completion=counts)
    assert sheet.section(COMPLETION).points == Decimal("41.00")
    assert sheet.total == Decimal("81.00")
    assert sheet.grade is Grade.FAIRLY_GOOD


def test_task_completion_never_goes_negative_and_is_full_when_nothing_is_due() -> None:
    assert completion_points(CompletionCounts(due=10, closed=0, overdue=10)) == 0
    assert completion_points(CompletionCounts(due=0, closed=0)) == 60


def test_completion_counts_must_be_consistent() -> None:
    with pytest.raises(ValueError):
        CompletionCounts(due=5, closed=6)
    with pytest.raises(ValueError):
        CompletionCounts(due=5, closed=4, overdue=2)


def test_configured_weights_and_satisfaction_rate() -> None:
    sections = sections_with_weights({COMPLETION: 50, SATISFACTION: 20})
    sheet = evaluate(sections=sections, satisfaction=Decimal("0.5"))
    assert sheet.section(SATISFACTION).points == 10
    assert sheet.total == 90
    assert sheet.grade is Grade.GOOD


def test_weights_must_add_up_to_100() -> None:
    with pytest.raises(ValueError, match="100"):
        evaluate(sections=sections_with_weights({COMPLETION: 70}))


def test_configured_grade_thresholds() -> None:
    sheet = evaluate(
        deductions=[Deduction(COMPLETION, Decimal(8), "整改不到位")], scale=GradeScale(good=Decimal(95))
    )
    assert sheet.total == 92
    assert sheet.grade is Grade.FAIRLY_GOOD


def test_floats_are_refused() -> None:
    with pytest.raises(TypeError):
        Deduction(COMPLETION, 0.1, "浮点数")  # type: ignore[arg-type]


def test_deduction_needs_a_reason_and_a_known_section() -> None:
    with pytest.raises(ValueError):
        Deduction(COMPLETION, Decimal(1), " ")
    with pytest.raises(ValueError, match="unknown"):
        evaluate(deductions=[Deduction("style", Decimal(1), "作风问题")])


def test_rows_name_each_deduction_with_its_points() -> None:
    sheet = evaluate(deductions=[Deduction(RESPONSIBILITY, Decimal(3), "责任清单未细化到人")])
    row = sheet.as_rows()[1]
    assert row["项目"] == "责任落实"
    assert row["得分"] == "12.00"
    assert row["扣分说明"] == "责任清单未细化到人（扣3分）"
