"""Vague (措施空泛) and slogan (口号式) measures, calibrated on the seed reports' 一是/二是 items."""

from __future__ import annotations

from datetime import date

import pytest

from rectify.supervision.rules.formalism import check_measure

# Checked by reading: each names a document, an act or a result a reviewer could ask to see.
SPECIFIC = [
    "一是印发《关于收回省级人民防空建设资金的通知》",
    "三是9月29日与具备提供劳务服务的企业重新签订了购买劳务服务合同",
    "三是对移交的有关问题线索,进行认真核实,目前已全部办结",
    "一是撤销数字专班,将其承担的职能划转综合处",
    "二是对近期干部选拔任用工作全程纪实材料进行了归档整理",
    "二是组织召开三次数据工程整改推进专题会议",
    "一是进一步核实问题数量,准确摸清问题底数,健全完善问题台账",
]

# Checked by reading: attitude and direction only, nothing to deliver, nobody named, no date.
VAGUE = [
    "一是坚持党管干部原则,加强党组领导和把关作用",
    "三是加强同派驻纪检监察组沟通协调,主动征求意见建议",
    "二是强化培养锻炼。加强党外高层次人才的日常培养",
    "三是着力加强统战团体组织建设",
    "三是提高精细化管理的程度",
]


def _seed(seed_measures: list[tuple[str, str]], prefix: str) -> str:
    matches = [m for _, m in seed_measures if m.startswith(prefix)]
    assert len(matches) == 1, f"{prefix!r} should be one seed measure, found {len(matches)}"
    return matches[0]


def _codes(text: str, **kwargs: object) -> set[str]:
    return {flag.code for flag in check_measure(text, **kwargs)}  # type: ignore[arg-type]


@pytest.mark.parametrize("prefix", SPECIFIC)
def test_specific_seed_measure_is_not_flagged(seed_measures, prefix: str) -> None:
    assert check_measure(_seed(seed_measures, prefix)) == []


@pytest.mark.parametrize("prefix", VAGUE)
def test_vague_seed_measure_is_flagged(seed_measures, prefix: str) -> None:
    flags = check_measure(_seed(seed_measures, prefix))
    assert "vague_measure" in {f.code for f in flags}
    assert all(f.message_zh for f in flags)


def test_measures_naming_a_document_are_never_flagged(seed_measures) -> None:
    named = [m for _, m in seed_measures if "《" in m]
    assert len(named) >= 20
    assert [m for m in named if check_measure(m)] == []


def test_most_seed_measures_pass(seed_measures) -> None:
    # Published measures are mostly concrete; a checker that flags many of them is noise.
    flagged = [m for _, m in seed_measures if check_measure(m)]
    assert len(seed_measures) >= 150
    assert 0 < len(flagged) <= 0.2 * len(seed_measures)


def test_slogan_measure_is_flagged_even_with_owner_and_deadline() -> None:
    codes = _codes("进一步提高思想认识，切实增强政治自觉", owner="办公室", deadline=date(2021, 6, 30))
    assert codes == {"slogan_measure"}


def test_slogan_flag_quotes_the_slogan_clauses() -> None:
    [flag] = [
        f for f in check_measure("一是进一步提高思想认识，不断强化责任担当。") if f.code == "slogan_measure"
    ]
    assert flag.evidence == ("进一步提高思想认识", "不断强化责任担当")


def test_owner_or_date_in_the_text_makes_a_plain_measure_acceptable() -> None:
    assert "vague_measure" in _codes("做好干部队伍建设工作")
    assert "vague_measure" not in _codes("由组织人事处牵头做好干部队伍建设工作")
    assert "vague_measure" not in _codes("2021年6月底前做好干部队伍建设工作")
    assert "vague_measure" not in _codes("做好干部队伍建设工作", owner="组织人事处")


def test_long_term_measure_needs_an_owner_or_a_deliverable_not_a_date() -> None:
    assert "vague_measure" in _codes("做好干部队伍建设工作", category="long_term", deadline="长期坚持")
    assert "vague_measure" not in _codes("每季度开展一次干部档案抽查", category="long_term")


def test_strict_review_of_a_plan_row_needs_owner_and_deadline() -> None:
    text = "制定《干部轮岗交流实施办法》"
    assert _codes(text, strict=True) == {"missing_owner", "missing_deadline"}
    assert _codes(text, owner="组织人事处", deadline=date(2021, 6, 30), strict=True) == set()
    assert _codes(text, owner="组织人事处", category="立行立改", strict=True) == set()


def test_numbers_in_political_formulas_are_not_quantities() -> None:
    assert "vague_measure" in _codes("坚决做到“两个维护”，严格执行中央八项规定精神，树牢“四个意识”")
    assert "vague_measure" not in _codes("开展两轮廉政风险排查，约谈12人")


def test_deadline_text_must_name_a_date() -> None:
    text = "制定《干部轮岗交流实施办法》"
    assert "missing_deadline" in _codes(text, owner="组织人事处", deadline="尽快", strict=True)
    assert "missing_deadline" not in _codes(text, owner="组织人事处", deadline="2021年6月底前", strict=True)


def test_full_width_digits_count_as_numbers_and_dates() -> None:
    assert "vague_measure" not in _codes("开展廉政谈话１２人次")
    assert "vague_measure" not in _codes("２０２１年底前做好干部队伍建设工作")
