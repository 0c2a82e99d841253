"""render_text() writes a notice that parse() reads back to the same notice."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectify.notice import Contact, Figure, Node, Notice, Number, parse, render_text
from rectify.notice.headings import AR_DOT, AR_PAREN, CN_PAREN, make_label
from rectify.notice.numerals import int_to_chinese
from tests.notice.cases import OWN_CASES, SEED_CASES, Case

HEADER_FIELDS = (
    "title", "unit", "inspector", "kind", "term", "round", "group", "type",
    "onsite_start", "onsite_end", "feedback_date", "published",
)


def assert_same_notice(got: Notice, want: Notice, *, title: bool = True) -> None:
    got_d, want_d = got.to_dict(), want.to_dict()
    for field in HEADER_FIELDS:
        if field != "title" or title:
            assert got_d[field] == want_d[field], field
    assert got_d["findings"] == want_d["findings"]
    assert got.levels() == want.levels()
    assert got_d["figures"] == want_d["figures"]
    assert got_d["contact"] == want_d["contact"]


@pytest.mark.parametrize("case", SEED_CASES + OWN_CASES, ids=str)
def test_seed_survives_parse_render_parse(case: Case) -> None:
    first = parse(case.text)
    assert_same_notice(parse(render_text(first)), first)


def test_render_writes_the_heading_ladder_for_nodes_without_labels() -> None:
    notice = Notice(
        unit="中共某某县委宣传部",
        inspector="县委",
        kind="巡察",
        round=3,
        findings=[Node(label="", title="关于政治建设方面问题", children=[Node(label="", title="学习不深入", measures=["一是建立制度。"])])],
    )
    text = render_text(notice)
    assert "（一）关于政治建设方面问题" in text
    assert "1.学习不深入" in text
    again = parse(text)
    assert again.findings[0].children[0].measures == ["一是建立制度。"]
    assert again.round == 3 and again.kind == "巡察" and again.unit == "中共某某县委宣传部"


# Generated notices: words from a vocabulary that holds no labels, numbers or 一是 markers, the
# shape the parser produces (measures as sentences; an introduction precedes a 一是 run).
_WORDS = st.sampled_from(
    ["加强", "组织", "领导", "压实", "责任", "完善", "制度", "机制", "深化", "学习", "教育", "监督",
     "检查", "落实", "整改", "干部", "队伍", "建设", "作风", "纪律", "规范", "管理", "廉政", "风险"]
)
_PHRASE = st.lists(_WORDS, min_size=2, max_size=8).map("".join)
_SENTENCE = st.lists(_PHRASE, min_size=1, max_size=3).map(lambda p: "，".join(p) + "。")
_ORG = st.lists(st.sampled_from(["统战", "宣传", "财政", "教育", "农业", "水利", "民政", "机关"]), min_size=1, max_size=2).map("".join)
_DAY = st.dates(min_value=date(2016, 1, 1), max_value=date(2026, 12, 31))


@st.composite
def _node(draw: st.DrawFn, depth: int, position: int) -> Node:
    style = (CN_PAREN, AR_DOT, AR_PAREN)[depth]
    measures = draw(st.lists(_SENTENCE, max_size=3))
    text = ""
    if draw(st.booleans()):
        measures = [f"{int_to_chinese(i)}是{m}" for i, m in enumerate(measures, start=1)]
        if measures and draw(st.booleans()):
            text = draw(_SENTENCE)
    elif draw(st.booleans()):
        text = draw(_PHRASE) + "："
    children = []
    if depth < 2:
        count = draw(st.integers(min_value=0, max_value=3))
        children = [draw(_node(depth + 1, i)) for i in range(1, count + 1)]
    return Node(label=make_label(style, position), title=draw(_PHRASE), text=text, measures=measures, children=children)


@st.composite
def notices(draw: st.DrawFn) -> Notice:
    kind = draw(st.sampled_from(["巡视", "巡察"]))
    inspector = draw(st.sampled_from([None, "中央", "省委", "市委", "县委", "盟委", "自治区党委"]))
    round_ = draw(st.none() | st.integers(min_value=1, max_value=15))
    term = draw(st.none() | st.sampled_from(["十一届", "十九届", "二十届"])) if (inspector or round_) else None
    onsite_start = draw(st.none() | _DAY)
    onsite_end = draw(st.none() | _DAY) if onsite_start else None
    group = draw(st.none() | st.integers(min_value=1, max_value=20).map(lambda n: f"第{int_to_chinese(n)}{kind}组"))
    type_ = draw(st.sampled_from([None, f"常规{kind}", f"专项{kind}", f"机动{kind}", f"提级{kind}", f"{kind}回头看"]))
    count = draw(st.integers(min_value=0, max_value=4))
    figures = [
        Figure(text=f"{what}{n}{unit}", numbers=[Number(value=n, unit=unit, what=what)])
        for what, n, unit in draw(
            st.lists(
                st.tuples(st.sampled_from(["明确整改任务", "新建制度", "问责干部", "追缴资金"]),
                          st.integers(min_value=2, max_value=999),
                          st.sampled_from(["项", "条", "人", "万元"])),
                max_size=4,
            )
        )
    ]
    phones = draw(st.lists(st.from_regex(r"0[1-9][0-9]{2}-[2-8][0-9]{7}", fullmatch=True), max_size=2, unique=True))
    emails = draw(st.lists(st.from_regex(r"[a-z]{3,8}@[a-z]{2,6}\.(?:com|cn)", fullmatch=True), max_size=2, unique=True))
    return Notice(
        unit="中共某某市" + draw(_ORG) + "局党组",
        inspector=inspector,
        kind=kind,
        term=term,
        round=round_,
        group=group,
        type=type_,
        onsite_start=onsite_start,
        onsite_end=onsite_end,
        feedback_date=draw(st.none() | _DAY),
        published=draw(st.none() | _DAY),
        figures=figures,
        findings=[draw(_node(0, i)) for i in range(1, count + 1)],
        contact=Contact(
            phone=phones,
            email=emails,
            address=draw(st.none() | st.just("某某市人民路1号整改办公室")),
            postcode=draw(st.none() | st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)),
        ),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(notices())
def test_generated_notice_survives_render_parse(notice: Notice) -> None:
    assert_same_notice(parse(render_text(notice)), notice, title=False)
