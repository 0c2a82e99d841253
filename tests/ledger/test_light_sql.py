"""The traffic light of a task page (Task.light) and of the ledger filters (SQL) are one rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rectify import clock
from rectify.ledger.lights import light_case, light_q, overdue_q
from rectify.ledger.models import Task
from rectify.ledger.selectors import TaskFilter, filter_tasks
from rectify.rules.lights import ZONE
from tests.factories import PASSWORD, make_task

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 1, 8, 10, 0, tzinfo=ZONE)
TODAY = NOW.date()


def silent_since(unit, moment: dt.datetime) -> Task:
    task = make_task(unit)
    Task.objects.filter(pk=task.pk).update(deadline=TODAY + dt.timedelta(days=60), last_progress_at=moment)
    return Task.objects.get(pk=task.pk)


def lights_in_sql(today: dt.date) -> dict[int, str]:
    return dict(Task.objects.annotate(light=light_case(today)).values_list("pk", "light"))


def test_silent_since_1_january_23_00_is_yellow_on_its_page_and_in_the_yellow_filter(unit):
    task = silent_since(unit, dt.datetime(2025, 1, 1, 23, 0, tzinfo=ZONE))
    with clock.frozen(NOW):
        assert task.light() == Task.Light.YELLOW
        yellow = filter_tasks(Task.objects.all(), TaskFilter(light=Task.Light.YELLOW))
        assert task in yellow
    assert lights_in_sql(TODAY)[task.pk] == Task.Light.YELLOW


def test_silent_since_2_january_00_00_is_green_on_its_page_and_in_the_filter(unit):
    task = silent_since(unit, dt.datetime(2025, 1, 2, 0, 0, tzinfo=ZONE))
    with clock.frozen(NOW):
        assert task.light() == Task.Light.GREEN
        assert task in filter_tasks(Task.objects.all(), TaskFilter(light=Task.Light.GREEN))
        assert task not in filter_tasks(Task.objects.all(), TaskFilter(light=Task.Light.YELLOW))


def test_yellow_filter_uses_the_given_day_not_the_current_instant(unit):
    # 1 January 23:00 UTC is 2 January 07:00 in Beijing: silent for 6 days on 8 January, green.
    task = silent_since(unit, dt.datetime(2025, 1, 1, 23, 0, tzinfo=dt.UTC))
    assert task.light(TODAY) == Task.Light.GREEN
    assert lights_in_sql(TODAY)[task.pk] == Task.Light.GREEN


def test_ledger_red_filter_and_overdue_box_return_the_same_tasks(client, unit):
    late = make_task(unit, title="逾期的整改措施", deadline=clock.today() + dt.timedelta(days=1))
    Task.objects.filter(pk=late.pk).update(deadline=clock.today() - dt.timedelta(days=3))
    twice = make_task(unit, title="两次退回的措施")
    Task.objects.filter(pk=twice.pk).update(returned_count=2)
    make_task(unit, title="按期推进的措施")
    assert client.login(username=unit.office_staff.username, password=PASSWORD)
    url = reverse("ledger:ledger", args=[unit.inspection.pk])
    by_menu = client.get(url, {"light": "red"})
    by_box = client.get(url, {"overdue": "1"})
    assert [r["task"].pk for r in by_menu.context["rows"] if "task" in r] == \
        [r["task"].pk for r in by_box.context["rows"] if "task" in r]
    page = by_box.content.decode()
    assert "逾期的整改措施" in page and "两次退回的措施" in page and "按期推进的措施" not in page


def test_overdue_box_beside_another_light_finds_nothing(client, unit):
    late = make_task(unit, title="逾期的整改措施", deadline=clock.today() + dt.timedelta(days=1))
    Task.objects.filter(pk=late.pk).update(deadline=clock.today() - dt.timedelta(days=3))
    assert TaskFilter.from_params({"overdue": "1", "light": "yellow"}).overdue
    assert not filter_tasks(Task.objects.all(), TaskFilter.from_params({"overdue": "1", "light": "yellow"})).exists()


def test_overdue_condition_matches_is_overdue(unit):
    late = make_task(unit, deadline=clock.today() + dt.timedelta(days=1))
    Task.objects.filter(pk=late.pk).update(deadline=clock.today() - dt.timedelta(days=1))
    due_today = make_task(unit, deadline=clock.today())
    found = set(Task.objects.filter(overdue_q(clock.today())).values_list("pk", flat=True))
    assert found == {late.pk}
    assert Task.objects.get(pk=late.pk).is_overdue() and not due_today.is_overdue()


# ---------------------------------------------------------------------------------------------
# Property: on generated tasks and days, the light computed in Python equals the light from SQL.

BASE = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
moments = st.integers(min_value=-40 * 24 * 60, max_value=40 * 24 * 60).map(lambda m: BASE + dt.timedelta(minutes=m))
days = st.integers(min_value=-40, max_value=40).map(lambda d: BASE.date() + dt.timedelta(days=d))


@st.composite
def task_specs(draw):
    category = draw(st.sampled_from(["deadline", "immediate", "long_term"]))
    statuses = ["not_started", "in_progress", "returned", "reopened", "phased_result"]
    if category != "long_term":
        statuses += ["submitted", "reviewed", "closed"]
    status = draw(st.sampled_from(statuses))
    deadline = draw(days) if category == "deadline" else draw(st.none() | days)
    created = draw(moments)
    last = draw(st.none() | moments)
    return {
        "category": category, "status": status, "deadline": deadline, "created_at": created,
        "last_progress_at": last, "returned_count": draw(st.integers(0, 3)),
        "closed_at": created if status == "closed" else None,
    }


rules = st.fixed_dictionaries({
    "yellow_days": st.integers(0, 15), "silent_days": st.integers(0, 10), "red_returns": st.integers(1, 3),
})


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=st.lists(task_specs(), min_size=1, max_size=12), today=days, thresholds=rules)
def test_python_light_equals_sql_light(unit, specs, today, thresholds):
    base = {"inspection": unit.inspection, "finding": unit.finding, "unit": unit.org, "title": "措施"}
    made = Task.objects.bulk_create([Task(**base, **spec) for spec in specs])
    ids = [t.pk for t in made]
    try:
        with override_settings(RECTIFY_RULES={**_settings_rules(), **thresholds}):
            tasks = Task.objects.filter(pk__in=ids)
            python = {t.pk: t.light(today) for t in tasks}
            sql = dict(tasks.annotate(light=light_case(today)).values_list("pk", "light"))
            assert sql == python
            for light in Task.Light.values:
                filtered = set(tasks.filter(light_q(light, today)).values_list("pk", flat=True))
                assert filtered == {pk for pk, value in python.items() if value == light}
            overdue = set(tasks.filter(overdue_q(today)).values_list("pk", flat=True))
            assert overdue == {t.pk for t in tasks if t.is_overdue(today)}
    finally:
        Task.objects.filter(pk__in=ids).delete()


def _settings_rules() -> dict[str, object]:
    from django.conf import settings as django_settings

    return dict(django_settings.RECTIFY_RULES)


def test_the_model_choices_are_the_rules_lights():
    from rectify.rules.lights import Light

    assert sorted(Task.Light.values) == sorted(light.value for light in Light)
