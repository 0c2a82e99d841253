"""Every URL is accounted for: public on purpose, or behind login and scoping."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from rectify.ledger import services
from tests.factories import PASSWORD, evidence, make_task

# Pages anyone may open: the login page, the language switch, the public portal of published notices,
# the API's description.
PUBLIC = {"login", "logout", "admin:login", "admin:logout", "admin:jsi18n", "set_language"}
PUBLIC_PREFIXES = ("portal:", "api:openapi", "api:api-root")
# Django admin has its own login (staff only); static assets are public files.
ADMIN_PREFIX = "admin:"


def walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, list[str]]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern) and p.name:
            route = prefix + str(p.pattern)
            yield f"{namespace}{p.name}", route, re.findall(r"<((?:\w+:)?\w+)>", route)


ALL = sorted({(name, tuple(args)) for name, _route, args in walk(get_resolver().url_patterns)})


def dummy(arg: str) -> object:
    """A placeholder value for a route argument written `converter:name`."""
    converter, _sep, name = arg.rpartition(":")
    if name == "action":
        return "progress"
    return 999999 if converter == "int" else "x"


def is_public(name: str) -> bool:
    return name in PUBLIC or name.startswith(PUBLIC_PREFIXES)


@pytest.mark.parametrize(("name", "args"), ALL, ids=[n for n, _a in ALL])
def test_url_is_public_or_needs_login(client, db, name, args):
    if is_public(name):
        return
    try:
        url = reverse(name, kwargs={a.rpartition(":")[2]: dummy(a) for a in args})
    except Exception:  # a route whose converters refuse the dummies (e.g. regex admin routes)
        pytest.skip("route cannot be reversed with placeholder values")
    response = client.get(url)
    assert response.status_code in {301, 302, 401, 403, 404, 405}, f"{name} answers {response.status_code} to an anonymous user"
    if response.status_code == 200:
        raise AssertionError(name)
    if response.status_code == 302:
        assert "login" in response["Location"], f"{name} redirects an anonymous user to {response['Location']}"


# Object pages of the web app, and how to find another unit's object for each.
OBJECTS = {
    "ledger:task": "task", "ledger:task_row": "task", "ledger:task_row_edit": "task", "ledger:task_action": "task",
    "ledger:evidence": "evidence", "ledger:ledger": "inspection", "ledger:findings": "inspection",
    "ledger:add_finding": "inspection", "ledger:edit_finding": "inspection", "ledger:delete_finding": "inspection", "ledger:add_task": "inspection", "ledger:responsibility": "inspection",
    "ledger:bulk_assign": "inspection", "ledger:unit_dashboard": "unit", "spreadsheets:import_ledger": "inspection",
    "spreadsheets:export_ledger": "inspection",
    "ledger:rules": "inspection", "ledger:rule_create": "inspection", "ledger:rule_edit": "rule",
    "ledger:leads": "inspection", "ledger:lead_create": "inspection", "ledger:lead_edit": "lead",
    "ledger:lead_conclude": "lead", "ledger:outcomes": "inspection", "ledger:outcome_create": "inspection",
    "ledger:outcome_edit": "outcome", "ledger:handovers": "unit",
}
PERSONAS = ["office_staff", "leader", "supervisor", "dept_handler"]


def test_every_ledger_object_url_is_mapped():
    ledger_object_urls = {name for name, args in ALL if name.startswith("ledger:") and "int:pk" in args}
    assert ledger_object_urls <= set(OBJECTS), ledger_object_urls - set(OBJECTS)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(OBJECTS))
def test_other_units_objects_are_out_of_reach(client, shared_world, db, name, persona):
    world = shared_world
    own, other = world.units
    task = make_task(other)
    progress = services.report_progress(other.dept_handler, task, text="进展", files=[evidence()])
    objects = {"task": task.pk, "evidence": progress.evidence.get().pk, "inspection": other.inspection.pk,
               "unit": other.org.pk}
    if OBJECTS[name] in ("rule", "lead", "outcome"):
        records = {
            "rule": lambda: services.create_rule_change(other.office_staff, other.inspection, title="制度"),
            "lead": lambda: services.create_lead(other.office_staff, other.inspection, summary="线索",
                                                 received_on=task.created_at.date(), handler_org=other.departments[0]),
            "outcome": lambda: services.record_outcome(other.office_staff, other.inspection, kind="other", what="成效",
                                                       value=1, value_unit="项"),
        }
        objects[OBJECTS[name]] = records[OBJECTS[name]]().pk
    kwargs = {"pk": objects[OBJECTS[name]]}
    if name == "ledger:task_action":
        kwargs["action"] = "progress"
    url = reverse(name, kwargs=kwargs)
    assert client.login(username=getattr(own, persona).username, password=PASSWORD)
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code in {403, 404, 405}, f"{persona} reaches {name} of another unit ({response.status_code})"
    task.refresh_from_db()
    assert task.progress.count() == 1
