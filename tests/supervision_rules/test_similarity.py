"""Copied and repeated measures: shingle similarity and the index that finds them."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rectify.supervision.rules.formalism import TextItem, check_duplicate_measures
from rectify.supervision.rules.similarity import SimilarityIndex, normalize, similarity

ORIGINAL = (
    "二是印发《关于做好省级人防建设资金补助项目审计整改工作的通知》,要求相关的市认真抓好有关项目的整改落实。"
)
# Another unit's plan: same measure with the level, punctuation and a few words changed.
COPY = "印发了《关于做好市级人防建设资金补助项目审计整改工作的通知》，要求各区（市）认真抓好有关项目整改落实"


def test_normalize_ignores_punctuation_width_and_ordinals() -> None:
    assert normalize("一是加强督导，（二）") == normalize("加强督导,(二)")
    assert normalize("ＯＡ系统") == normalize("oa系统")


def test_copied_measure_with_changed_punctuation_and_words_is_similar() -> None:
    assert similarity(ORIGINAL, COPY) >= 0.6


def test_copied_measure_from_another_unit_is_flagged() -> None:
    plan = [TextItem("t1", COPY, "市人防办"), TextItem("t2", "9月29日重新签订劳务服务合同", "市人防办")]
    others = [TextItem("s7", ORIGINAL, "省人防办")]
    [flag] = check_duplicate_measures(plan, others)
    assert flag.code == "copied_measure"
    assert flag.subjects == ("t1", "s7")
    assert "省人防办" in flag.message_zh
    assert flag.evidence == (COPY, ORIGINAL)


def test_repeated_measure_within_one_plan_is_flagged_once() -> None:
    plan = [
        TextItem("a", "三是加强同派驻纪检监察组沟通协调,主动征求意见建议,加强评选工作监督把关。", "u"),
        TextItem("b", "加强与派驻纪检监察组的沟通协调，主动征求意见和建议，加强评选工作的监督把关", "u"),
        TextItem("c", "一是印发《关于收回省级人民防空建设资金的通知》", "u"),
    ]
    flags = check_duplicate_measures(plan)
    assert [(f.code, f.subjects) for f in flags] == [("duplicate_measure", ("a", "b"))]


def test_unrelated_seed_measures_are_not_flagged(seed_measures) -> None:
    plan = [TextItem(f"{name}:{i}", text, name) for i, (name, text) in enumerate(seed_measures)]
    assert check_duplicate_measures(plan) == []


def test_threshold_is_configurable() -> None:
    plan = [TextItem("a", "进一步提高思想认识"), TextItem("b", "进一步提高政治站位")]
    assert check_duplicate_measures(plan) == []
    assert len(check_duplicate_measures(plan, threshold=0.3)) == 1


def test_index_search_by_containment_finds_a_pasted_paragraph() -> None:
    index = SimilarityIndex()
    long_text = "第一章 总则。" + ORIGINAL + "第二章 附则。本办法自印发之日起施行，由办公室负责解释。"
    index.add("doc", long_text)
    assert index.search(ORIGINAL, 0.9) == []
    [(key, score)] = index.search(ORIGINAL, 0.9, measure="containment")
    assert key == "doc" and score == pytest.approx(1.0)


def test_index_pairs_scope_within_and_across_units() -> None:
    index = SimilarityIndex()
    index.add("a1", ORIGINAL, group="A")
    index.add("a2", ORIGINAL + "。", group="A")
    index.add("b1", COPY, group="B")
    assert {(p.a, p.b) for p in index.pairs(0.6, scope="within")} == {("a1", "a2")}
    assert {(p.a, p.b) for p in index.pairs(0.6, scope="across")} == {("a1", "b1"), ("a2", "b1")}


def test_index_rejects_duplicate_keys_and_bad_thresholds() -> None:
    index = SimilarityIndex()
    index.add(1, "甲")
    with pytest.raises(ValueError):
        index.add(1, "乙")
    with pytest.raises(ValueError):
        index.pairs(0)


_text = st.text(alphabet="加强督导整改台账会议制度，。一是的", max_size=30)


@given(_text, _text)
def test_similarity_is_symmetric_and_bounded(a: str, b: str) -> None:
    assert similarity(a, b) == similarity(b, a)
    assert 0.0 <= similarity(a, b) <= 1.0


@given(_text)
def test_similarity_of_identical_text_is_one(a: str) -> None:
    assert similarity(a, a) == 1.0


@settings(max_examples=60)
@given(
    st.lists(st.text(alphabet="甲乙丙丁戊己庚", min_size=1, max_size=12), min_size=2, max_size=25),
    st.sampled_from([0.3, 0.5, 0.6, 0.8, 1.0]),
)
def test_index_pairs_equal_brute_force(texts: list[str], threshold: float) -> None:
    index = SimilarityIndex()
    for i, text in enumerate(texts):
        index.add(i, text)
    expected = {
        (i, j)
        for i, j in itertools.combinations(range(len(texts)), 2)
        if normalize(texts[i]) and normalize(texts[j]) and similarity(texts[i], texts[j]) >= threshold - 1e-9
    }
    assert {(p.a, p.b) for p in index.pairs(threshold)} == expected
    for i, text in enumerate(texts):
        found = {key for key, _ in index.search(text, threshold)}
        assert found == {j for j in range(len(texts)) if (min(i, j), max(i, j)) in expected} | {i}


_MEASURES = st.lists(
    st.text(alphabet="加强党建制度学习监督整改落实责任，。1一", min_size=0, max_size=30), min_size=1, max_size=12
)


@given(plan=_MEASURES, others=_MEASURES, pick=st.integers(min_value=0, max_value=11))
def test_one_task_compared_directly_flags_what_the_whole_plan_index_flags(plan, others, pick):
    plan_items = [TextItem(f"p{i}", text, "本单位") for i, text in enumerate(plan)]
    other_items = [TextItem(f"o{i}", text, "他单位") for i, text in enumerate(others)]
    key = f"p{pick % len(plan)}"
    # Nine keys ask for the index; one key compares directly. Keep only the flags that name `key`.
    many = {key, *(f"none{i}" for i in range(8))}
    direct = check_duplicate_measures(plan_items, other_items, only={key})
    indexed = [f for f in check_duplicate_measures(plan_items, other_items, only=many) if key in f.subjects]
    assert [(f.code, f.subjects, f.evidence) for f in direct] == [(f.code, f.subjects, f.evidence) for f in indexed]


@given(plan=_MEASURES, others=_MEASURES, pick=st.integers(min_value=0, max_value=11),
       limit=st.integers(min_value=0, max_value=3))
def test_a_per_item_limit_keeps_the_closest_flags_of_each_kind(plan, others, pick, limit):
    plan_items = [TextItem(f"p{i}", text, "本单位") for i, text in enumerate(plan)]
    other_items = [TextItem(f"o{i}", text, "他单位") for i, text in enumerate(others)]
    key = f"p{pick % len(plan)}"
    every = check_duplicate_measures(plan_items, other_items, only={key})
    limited = check_duplicate_measures(plan_items, other_items, only={key}, per_item=limit)
    expected = []
    for code in ("duplicate_measure", "copied_measure"):
        expected += [f for f in every if f.code == code][:limit]
    assert sorted(limited, key=every.index) == sorted(expected, key=every.index)
