"""The five seed notices: import each, generate the public notice back, and every figure it states is
the ledger's; where the source states a figure the ledger can hold, the ledger holds that figure; no
number or unit is written twice; the text, .docx and .html read back to the same tree and figures."""

from __future__ import annotations

import json
import re

import pytest

from rectify.ledger.models import Task
from rectify.ledger.notice_import import import_notice
from rectify.notice import parse, read_file
from rectify.reports.compose import LedgerFacts, compose_notice
from rectify.reports.rendering import render
from rectify.reports.services import build_draft, draft_as_content
from tests.corpus import SEEDS, files
from tests.reports_app.test_roundtrip import assert_same_reading

_DOUBLED = re.compile(r"(\d+(?:\.\d+)?)\s*(%|项|个|人|名|件|万元|元|次)\s*\1\s*\2")


@pytest.fixture
def imported(world, request):
    path = request.param
    unit = world.units[0]
    inspection = import_notice(unit.office_staff, unit.org, data=path.read_bytes(), filename=path.name).inspection
    content = draft_as_content(build_draft(inspection, "notice"), "notice")
    return path, inspection, content


def _text(content: dict) -> str:
    return render(content, "txt").decode()


@pytest.mark.parametrize("imported", files(SEEDS), indirect=True)
def test_counts_the_generated_notice_states_are_the_ledgers(imported) -> None:
    _path, inspection, content = imported
    text = _text(content)
    facts = LedgerFacts.read(inspection).public()
    # The source's own figures, when the ledger cannot back them, are quoted as the source's: the
    # counts left are the ledger's.
    source = facts.as_stated()
    if source:
        assert source in text
        text = text.replace(source, "")
    aspects, problems, subs = facts.levels()
    tasks, closed = len(facts.tasks), facts.closed()
    scope = re.search(r"(?:反馈的|整改台账现录入)(\d+)个方面(?:(\d+)个问题)?(?:(\d+)个具体问题)?", text)
    assert scope, text[:400]
    assert [int(g or 0) for g in scope.groups()] == [aspects, problems, subs]
    assert re.search(rf"(?:细化为|的){tasks}项整改任务", text)
    progress = re.search(r"截至\d+年\d+月\d+日，(?:整改台账所列)?(\d+)项整改任务(?:中已完成(\d+)项)?", text)
    assert progress and (int(progress.group(1)), int(progress.group(2) or 0)) == (tasks, closed)
    assert tasks == 0 or "已完成0项" not in text
    for total, done in re.findall(r"(\d+)项整改任务中已完成(\d+)项", text)[1:]:
        assert int(done) <= int(total)


@pytest.mark.parametrize("imported", files(SEEDS), indirect=True)
def test_the_generated_notice_never_contradicts_the_figures_its_source_states(imported) -> None:
    path, inspection, content = imported
    text = _text(content)
    from rectify.ledger.notice_import import stated_figures
    from rectify.rules import wording

    stated = stated_figures(parse(read_file(path)).figures)
    facts = LedgerFacts.read(inspection).public()
    if facts.source_backed():
        return  # the ledger's counts are the source's: nothing to attribute
    # Every figure the source states of itself is said, as the source's; the ledger's are the ledger's.
    quoted = facts.as_stated()
    assert quoted.startswith("据") and quoted in text
    for key in ("tasks", "long_term", "aspects", "problems"):
        if key in stated:
            assert str(stated[key]) in quoted
    if wording.stated_closed(stated):
        assert f"已完成{wording.stated_closed(stated)}项" in quoted
    assert "细化为" not in text.split("二、")[0]  # the ledger's task count is not passed off as the plan's


@pytest.mark.parametrize("imported", files(SEEDS), indirect=True)
def test_the_ledger_holds_what_the_source_states(imported) -> None:
    path, inspection, _content = imported
    want = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    facts = LedgerFacts.read(inspection)
    aspects, problems, subs = facts.levels()
    from rectify.ledger.notice_import import stated_figures

    stated = stated_figures(parse(read_file(path)).figures)
    if "aspects" in stated:
        assert aspects == stated["aspects"]
    if "problems" in stated:  # named at the level the source counts: 问题 or 整改问题 (sub-problems)
        assert stated["problems"] in (problems, subs) or problems + subs < stated["problems"]
    # Nothing the source reports done (everything, or everything but the long-term tasks) is open.
    if stated.get("all_done") or stated.get("closed", 0) + stated.get("long_term", 0) >= stated.get("tasks", 1):
        assert all(t.status in (Task.Status.CLOSED, Task.Status.PHASED_RESULT) for t in facts.tasks)
    # The feedback channel the source names is the generated notice's.
    contact = compose_notice(inspection).contact
    assert contact.phone[:1] == want["contact"]["phone"][:1] or not want["contact"]["phone"]
    assert contact.email == want["contact"]["email"]
    assert contact.postcode == want["contact"]["postcode"]


@pytest.mark.parametrize("imported", files(SEEDS), indirect=True)
def test_no_number_or_unit_is_written_twice(imported) -> None:
    _path, _inspection, content = imported
    text = _text(content)
    assert not _DOUBLED.search(text), _DOUBLED.search(text)


@pytest.mark.parametrize("imported", files(SEEDS), indirect=True)
@pytest.mark.parametrize("fmt", ["txt", "docx", "html"])
def test_generated_notice_reads_back_in_every_format(imported, fmt) -> None:
    _path, inspection, content = imported
    again = parse(read_file(render(content, fmt), f"notice.{fmt}"))
    assert_same_reading(again, compose_notice(inspection))


_POSTAL = re.compile(r"(?:邮政信箱|通信地址|来信地址)[:：]([^;；,，。\s]+)")


@pytest.mark.parametrize("imported", files(SEEDS), indirect=True)
def test_the_postal_address_the_source_names_is_on_the_generated_contact_line(imported) -> None:
    path, _inspection, content = imported
    named = _POSTAL.search(read_file(path))
    if named is None:
        pytest.skip("the source names no postal address")
    # Written in the document's full-width punctuation.
    assert named.group(1).replace("(", "（").replace(")", "）") in _text(content)
