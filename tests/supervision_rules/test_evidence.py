"""Closure evidence, 数字整改 progress and copied rules (建章立制照抄照搬)."""

from __future__ import annotations

from rectify.supervision.rules.formalism import (
    EvidenceFile,
    TextItem,
    check_closure_evidence,
    check_copied_rules,
    check_progress,
)


def _codes(flags) -> list[str]:
    return [f.code for f in flags]


def test_closure_with_only_meeting_notices_is_flagged() -> None:
    files = ["关于召开巡察整改推进会的通知.pdf", "参会人员签到表.jpg", "会议议程.docx"]
    [flag] = check_closure_evidence(files)
    assert flag.code == "meeting_notice_only"
    assert flag.evidence == tuple(files)


def test_closure_with_a_rule_issued_passes_even_beside_a_sign_in_sheet() -> None:
    files = ["关于印发《机关公务用车管理办法》的通知.pdf", "签到表.jpg"]
    assert check_closure_evidence(files) == []


def test_minutes_without_outcome_are_flagged() -> None:
    files = [
        EvidenceFile(
            "巡察整改专题会议纪要.docx", "会议传达学习了巡察反馈意见，要求各科室高度重视、认真整改。"
        )
    ]
    assert _codes(check_closure_evidence(files)) == ["minutes_without_outcome"]


def test_minutes_stating_an_outcome_pass() -> None:
    files = [EvidenceFile("党组会议纪要.docx", "会议确定收回超标准办公用房2间，已于3月10日腾退到位。")]
    assert check_closure_evidence(files) == []


def test_closure_summary_can_state_the_outcome() -> None:
    flags = check_closure_evidence(["会议纪要.pdf"], summary="已追缴违规发放津贴3.2万元")
    assert flags == []


def test_closure_without_evidence_is_flagged() -> None:
    assert _codes(check_closure_evidence([])) == ["no_evidence"]


def test_progress_counting_meetings_and_documents_is_numbers_only() -> None:
    [flag] = check_progress("召开会议5次，印发文件3个，开展专题学习2次。")
    assert flag.code == "numbers_without_result"
    assert "召开会议5次" in flag.evidence


def test_progress_with_a_result_is_not_flagged() -> None:
    assert check_progress("召开专题会议3次，收回超标准办公用房2间，清退违规资金12.5万元。") == []
    assert check_progress("先后召开7次党组会，问题已整改到位。") == []


def test_progress_without_counts_is_not_this_flag() -> None:
    assert check_progress("正在推进中。") == []


SUPERIOR_RULE = (
    "关于进一步加强公务接待管理的规定\n"
    "第一条 为规范公务接待行为，厉行勤俭节约，制定本规定。\n"
    "第二条 公务接待应当坚持有利公务、务实节俭、严格标准、简化礼仪、高效透明、尊重少数民族风俗习惯的原则。\n"
    "第三条 接待单位应当严格控制陪餐人数。接待对象在10人以内的，陪餐人数不得超过3人；超过10人的，不得超过接待对象人数的三分之一。\n"
    "第四条 接待单位不得超标准接待，不得组织旅游和与公务活动无关的参观，不得组织到营业性娱乐、健身场所活动。\n"
)
# A unit's "new rule": the superior's text with its own name put in.
COPIED_RULE = (
    "市政协机关公务接待管理规定\n"
    "第一条 为规范机关公务接待行为，厉行勤俭节约，制定本规定。\n"
    "第二条 公务接待应当坚持有利公务、务实节俭、严格标准、简化礼仪、高效透明、尊重少数民族风俗习惯的原则。\n"
    "第三条 机关接待应当严格控制陪餐人数。接待对象在10人以内的，陪餐人数不得超过3人；超过10人的，不得超过接待对象人数的三分之一。\n"
    "第四条 机关不得超标准接待，不得组织旅游和与公务活动无关的参观，不得组织到营业性娱乐、健身场所活动。\n"
)
OWN_RULE = (
    "市政协机关公务用车使用登记办法\n"
    "第一条 机关公务用车由办公室统一调度，实行“一车一档”，每次出车填写派车单，写明事由、起止地点和里程。\n"
    "第二条 每月5日前办公室将上月用车台账报分管秘书长审核，并在机关内网公示。\n"
)


def test_rule_copied_from_a_superior_is_flagged() -> None:
    rules = [TextItem("r1", COPIED_RULE, "市政协"), TextItem("r2", OWN_RULE, "市政协")]
    sources = [TextItem("s1", SUPERIOR_RULE, "市委办公室")]
    [flag] = check_copied_rules(rules, sources)
    assert flag.code == "copied_rule"
    assert flag.subjects == ("r1", "s1")
    assert "市委办公室" in flag.message_zh


def test_rule_pasted_inside_a_longer_source_is_found_by_containment() -> None:
    article = "第三条 接待单位应当严格控制陪餐人数。接待对象在10人以内的，陪餐人数不得超过3人；超过10人的，不得超过接待对象人数的三分之一。"
    rules = [TextItem("r1", "机关陪餐规定\n" + article, "市政协")]
    flags = check_copied_rules(rules, [TextItem("s1", SUPERIOR_RULE, "市委办公室")])
    assert _codes(flags) == ["copied_rule"]


def test_rules_copied_between_units_are_flagged_once() -> None:
    rules = [
        TextItem("a", COPIED_RULE, "市政协"),
        TextItem("b", COPIED_RULE.replace("市政协", "区政协"), "区政协"),
    ]
    assert [f.subjects for f in check_copied_rules(rules)] == [("a", "b")]


def test_a_unit_revising_its_own_rule_is_not_copying() -> None:
    old = TextItem("old", OWN_RULE, "市政协")
    new = TextItem("new", OWN_RULE.replace("每月5日前", "每月10日前"), "市政协")
    assert check_copied_rules([new], [old]) == []
