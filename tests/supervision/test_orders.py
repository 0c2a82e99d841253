"""The five orders (五书): issued, replied, closed, generated as .docx, and suggested in sequence."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from rectify import clock
from rectify.errors import Forbidden, InvalidTransition, NotVisible, ValidationFailed
from rectify.supervision import services
from rectify.supervision.documents import order_docx
from rectify.supervision.models import Notification, Order
from tests.factories import make_task

from .conftest import START

LADDER_BELOW = {
    "supervise": [], "guidance": [], "reminder": [], "warning": ["reminder"], "accountability": ["reminder", "warning"],
}


def _day(n: int) -> dt.date:
    return START + dt.timedelta(days=n)


def _docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("kind", [k for k, _ in Order.Kind.choices])
def test_each_order_is_issued_replied_and_closed(sw, on_start, kind: str) -> None:
    unit = sw.units[0]
    task = make_task(unit, title="规范公务用车管理，年底前完成车辆清查", deadline=_day(30))
    for rung in LADDER_BELOW[kind]:  # the rungs the ladder needs first
        services.issue_order(unit.office_staff, kind=rung, task=task, reply_due=_day(7))
    order = services.issue_order(unit.office_staff, kind=kind, task=task, reply_due=_day(7), number="整改办〔2025〕3号")
    assert order.addressee == unit.departments[0].name
    assert order.status == Order.Status.ISSUED
    # The department is told, in its inbox.
    assert Notification.objects.filter(kind="order", recipient=unit.dept_handler, task=task,
                                       title__contains=str(Order.Kind(kind).label)).exists()

    text = _docx_text(order_docx(order))
    assert str(Order.Kind(kind).label) in text
    assert f"{unit.departments[0].name}：" in text
    assert "规范公务用车管理" in text and "2025年3月10日" in text
    assert f"{unit.org.name}整改工作领导小组办公室" in text

    services.reply_order(unit.dept_handler, order, text="已完成车辆清查，形成台账")
    assert order.status == Order.Status.REPLIED and order.replied_on == START
    with pytest.raises(InvalidTransition):
        services.reply_order(unit.dept_handler, order, text="再次回复")
    services.close_order(unit.office_staff, order)
    assert order.status == Order.Status.CLOSED


def test_order_about_a_department_names_all_its_open_tasks(sw, on_start) -> None:
    unit = sw.units[0]
    first = make_task(unit, title="清理违规配备的办公用房", deadline=_day(20))
    second = make_task(unit, title="修订差旅费管理办法", deadline=_day(40))
    order = services.issue_order(unit.office_staff, kind=Order.Kind.SUPERVISE, department=unit.departments[0],
                                 reply_due=_day(5))
    assert first.title in order.body and second.title in order.body
    text = _docx_text(order_docx(order))
    assert "清理违规配备的办公用房" in text and "修订差旅费管理办法" in text


def test_orders_are_refused_to_the_wrong_people(sw, on_start) -> None:
    unit, other = sw.units[0], sw.units[1]
    task = make_task(unit, deadline=_day(20))
    with pytest.raises(Forbidden):
        services.issue_order(unit.dept_handler, kind="supervise", task=task, reply_due=_day(5))
    with pytest.raises(NotVisible):
        services.issue_order(other.office_staff, kind="supervise", task=task, reply_due=_day(5))
    with pytest.raises(ValidationFailed):
        services.issue_order(unit.office_staff, kind="supervise", task=task, reply_due=_day(-1))
    order = services.issue_order(unit.supervisor, kind="reminder", task=task, reply_due=_day(5))
    with pytest.raises(Forbidden):
        services.reply_order(unit.co_handler, order, text="不是我们牵头")  # another department
    with pytest.raises(NotVisible):
        services.reply_order(other.dept_handler, order, text="越权回复")
    with pytest.raises(InvalidTransition):
        services.close_order(unit.office_staff, order)  # nothing replied yet


def test_next_order_follows_the_sequence_as_overdue_warnings_repeat(sw, on_start) -> None:
    unit = sw.units[0]
    task = make_task(unit, deadline=_day(3))
    assert services.suggest_next_order(task) is None  # no warning yet
    services.run_reminders(_day(4))  # first overdue warning
    assert services.suggest_next_order(task, _day(4)) == Order.Kind.SUPERVISE
    with clock.frozen(_day(4)):
        order = services.issue_order(unit.office_staff, kind=Order.Kind.SUPERVISE, task=task, reply_due=_day(20))
    services.run_reminders(_day(11))  # one warning since the order: not yet
    assert services.suggest_next_order(task, _day(11)) is None
    services.run_reminders(_day(18))  # two warnings since, no reply: next level
    assert services.suggest_next_order(task, _day(18)) == Order.Kind.GUIDANCE
    with clock.frozen(_day(18)):
        services.reply_order(unit.dept_handler, order, text="正在推进")
    # Replied, but the task is still overdue after repeated warnings: still the next level.
    assert services.suggest_next_order(task, _day(18)) == Order.Kind.GUIDANCE


def test_an_unanswered_order_past_its_reply_date_escalates(sw, on_start) -> None:
    unit = sw.units[0]
    task = make_task(unit, deadline=_day(30))
    services.issue_order(unit.office_staff, kind=Order.Kind.REMINDER, task=task, reply_due=_day(1))
    services.issue_order(unit.office_staff, kind=Order.Kind.WARNING, task=task, reply_due=_day(5))
    assert services.suggest_next_order(task, _day(5)) is None
    assert services.suggest_next_order(task, _day(6)) == Order.Kind.ACCOUNTABILITY


def test_orders_follow_the_ladder(sw, on_start) -> None:
    unit = sw.units[0]
    task = make_task(unit, deadline=_day(30))
    with pytest.raises(ValidationFailed, match="告诫书"):
        services.issue_order(unit.office_staff, kind=Order.Kind.WARNING, task=task, reply_due=_day(5))
    services.issue_order(unit.office_staff, kind=Order.Kind.SUPERVISE, task=task, reply_due=_day(5))
    with pytest.raises(ValidationFailed, match="问责书"):
        services.issue_order(unit.office_staff, kind=Order.Kind.ACCOUNTABILITY, task=task, reply_due=_day(5))
    services.issue_order(unit.office_staff, kind=Order.Kind.WARNING, task=task, reply_due=_day(5))
    assert services.issue_order(unit.office_staff, kind=Order.Kind.ACCOUNTABILITY, task=task, reply_due=_day(9)).pk


def test_late_replies_are_chased_weekly(sw, on_start) -> None:
    unit = sw.units[0]
    task = make_task(unit, deadline=_day(60))
    order = services.issue_order(unit.office_staff, kind=Order.Kind.SUPERVISE, task=task, reply_due=_day(3))

    def chased() -> list[str]:
        return list(Notification.objects.filter(recipient=unit.dept_handler, warning_key__startswith="order_late:")
                    .values_list("title", flat=True))

    services.run_reminders(_day(3))
    assert chased() == []
    services.run_reminders(_day(4))
    services.run_reminders(_day(5))  # the same week: not again
    assert chased() == ["【催办】督办通知书逾期1天未回复：办公室"]
    assert Notification.objects.filter(recipient=unit.office_staff, warning_key__startswith="order_late:").exists()
    services.run_reminders(_day(11))
    assert len(chased()) == 2
    services.reply_order(unit.dept_handler, order, text="已落实")
    services.run_reminders(_day(18))
    assert len(chased()) == 2


def test_orders_page_suggests_the_next_order(sw, on_start, client) -> None:
    from django.urls import reverse

    unit = sw.units[0]
    task = make_task(unit, title="压减会议文件数量", deadline=_day(30))
    services.issue_order(unit.office_staff, kind=Order.Kind.REMINDER, task=task,
                         reply_due=_day(1))
    client.force_login(unit.office_staff)
    with clock.frozen(_day(3)):
        page = client.get(reverse("supervision:orders", args=[unit.org.pk]) + f"?task={task.pk}").content.decode()
    assert "建议印发告诫书" in page
    assert f'<option value="{task.pk}" selected>' in page and '<option value="warning" selected>' in page


def test_an_order_is_seen_by_its_unit_and_the_department_it_is_addressed_to(sw, on_start) -> None:
    from rectify.supervision.selectors import orders_visible_to

    unit, other = sw.units[0], sw.units[1]
    task = make_task(unit, title="规范公务用车管理", deadline=_day(30))
    order = services.issue_order(unit.office_staff, kind="supervise", task=task, reply_due=_day(7))
    for reader in (unit.office_staff, unit.leader, unit.supervisor, unit.dept_handler):
        assert list(orders_visible_to(reader)) == [order]
    for outsider in (unit.co_handler, other.office_staff, other.dept_handler):
        assert not orders_visible_to(outsider).exists()


def test_only_the_addressed_department_or_the_office_replies(sw, on_start) -> None:
    from rectify.supervision.services.orders import can_reply

    unit = sw.units[0]
    task = make_task(unit, deadline=_day(20))
    order = services.issue_order(unit.supervisor, kind="reminder", task=task, reply_due=_day(5))
    for somebody in (unit.leader, unit.supervisor):
        with pytest.raises(Forbidden, match="只有被督办的责任单位或整改办可以回复"):
            services.reply_order(somebody, order, text="代为回复")
    assert not can_reply(unit.leader, order) and can_reply(unit.dept_handler, order)
    services.reply_order(unit.office_staff, order, text="整改办汇总回复")
    assert order.status == Order.Status.REPLIED
