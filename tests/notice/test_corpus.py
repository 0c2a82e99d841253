"""parse() against real published notices with hand-checked answers.

The five seeds must be right on every field. The extra corpus (tests/notice/corpus) measures how
well the grammar generalizes: header fields exact on ≥ 95 % of fields, findings level counts exact
on ≥ 90 % of reports.
"""

from __future__ import annotations

from functools import cache

import pytest

from rectify.notice import Notice, parse
from tests import corpus
from tests.notice.cases import ALL_CASES, EXTRA_CASES, OWN_CASES, SEED_CASES, Case

HEADER_FIELDS = (
    "unit", "inspector", "kind", "term", "round", "group", "type",
    "onsite_start", "onsite_end", "feedback_date", "published",
)


@cache
def parsed(name: str) -> Notice:
    case = next((c for c in ALL_CASES if c.name == name), None)
    if case is None:
        corpus.require(corpus.SEEDS)
        raise LookupError(name)
    return parse(case.text)


def header_misses(case: Case) -> list[tuple[str, object, object]]:
    got = parsed(case.name).to_dict()
    return [(f, got[f], case.expected[f]) for f in HEADER_FIELDS if f in case.expected and got[f] != case.expected[f]]


def figure_misses(case: Case) -> list[str]:
    texts = [f.text for f in parsed(case.name).figures]
    return [want for want in case.expected.get("figures_contain", []) if not any(want in t for t in texts)]


def contact_misses(case: Case) -> list[tuple[str, object, object]]:
    got = parsed(case.name).contact.to_dict()
    want = case.expected.get("contact", {})
    return [(key, got[key], want[key]) for key in ("phone", "email", "postcode") if key in want and got[key] != want[key]]


@pytest.mark.parametrize("case", OWN_CASES, ids=str)
def test_own_notice_header_tree_figures_and_contact(case: Case) -> None:
    assert header_misses(case) == []
    assert parsed(case.name).levels() == case.expected["findings_levels"]
    assert figure_misses(case) == []
    assert contact_misses(case) == []


def test_seed_corpus_is_present() -> None:
    corpus.require(corpus.SEEDS)
    assert len(SEED_CASES) == 5


@pytest.mark.parametrize("case", corpus.params(SEED_CASES))
@pytest.mark.parametrize("field", HEADER_FIELDS)
def test_seed_header_field(case: Case, field: str) -> None:
    assert parsed(case.name).to_dict()[field] == case.expected[field]


@pytest.mark.parametrize("case", corpus.params(SEED_CASES))
def test_seed_findings_levels(case: Case) -> None:
    assert parsed(case.name).levels() == case.expected["findings_levels"]


@pytest.mark.parametrize("case", corpus.params(SEED_CASES))
def test_seed_figures_contain_every_checked_clause(case: Case) -> None:
    assert figure_misses(case) == []


@pytest.mark.parametrize("case", corpus.params(SEED_CASES))
def test_seed_contact(case: Case) -> None:
    assert contact_misses(case) == []


def test_seed_web_page_junk_stays_out_of_contact_and_figures() -> None:
    notice = parsed("zaozhuang-zhengxie-2026")
    assert "0632-8269086" not in notice.contact.phone
    assert not any("举报电话" in f.text or "ICP" in f.text for f in notice.figures)


def test_seed_published_is_the_documents_own_date_not_the_posting_date() -> None:
    assert parsed("quanguo-zhengxie-2021").to_dict()["published"] == "2021-10-23"


def test_seed_measures_split_one_shi_two_shi_runs() -> None:
    node = parsed("quanguo-zhengxie-2021").findings[0].children[0]
    assert node.title == "强化党的政治建设"
    assert [m[:2] for m in node.measures] == ["一是", "二是", "三是"]


def test_seed_sub_problem_text_keeps_its_introduction() -> None:
    node = parsed("zaozhuang-zhengxie-2026").findings[0].children[0].children[0]
    assert node.text.startswith("整改进展情况")
    assert node.measures[0].startswith("一是")


@pytest.mark.skipif(len(EXTRA_CASES) < 10, reason="extra corpus not collected")
def test_extra_corpus_header_fields_are_exact_on_95_percent() -> None:
    total = sum(sum(1 for f in HEADER_FIELDS if f in c.expected) for c in EXTRA_CASES)
    misses = {c.name: m for c in EXTRA_CASES if (m := header_misses(c))}
    wrong = sum(len(m) for m in misses.values())
    assert wrong <= 0.05 * total, misses


@pytest.mark.skipif(len(EXTRA_CASES) < 10, reason="extra corpus not collected")
def test_extra_corpus_findings_levels_are_exact_on_90_percent() -> None:
    misses = {
        c.name: (parsed(c.name).levels(), c.expected["findings_levels"])
        for c in EXTRA_CASES
        if parsed(c.name).levels() != c.expected["findings_levels"]
    }
    assert len(misses) <= 0.1 * len(EXTRA_CASES), misses


@pytest.mark.skipif(len(EXTRA_CASES) < 10, reason="extra corpus not collected")
def test_extra_corpus_figures_and_contact() -> None:
    misses = {c.name: (figure_misses(c), contact_misses(c)) for c in EXTRA_CASES}
    misses = {name: m for name, m in misses.items() if m[0] or m[1]}
    assert len(misses) <= 0.1 * len(EXTRA_CASES), misses
