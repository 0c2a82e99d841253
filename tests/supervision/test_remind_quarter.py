"""`rectify remind` run every day of one quarter on a frozen clock: each warning on the day the rules
give, to the people the rules name, exactly once."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter, defaultdict

from django.core.management import call_command

from rectify import clock
from rectify.inspections import services as inspections
from rectify.ledger import services as ledger
from rectify.ledger.models import Task
from rectify.supervision import services
from rectify.supervision.models import Notification
from tests.factories import build_world, evidence, make_task

from .conftest import START

DAYS = 90


def on(day: int) -> dt.date:
    return START + dt.timedelta(days=day)


# Worked out by hand from DESIGN.md's rules (see each task's comment in `test_a_quarter_of_reminders`):
# the day numbers (0 = START) on which each warning must appear.
EXPECTED_DAYS: dict[str, dict[str, list[int]]] = {
    "due_20": {"T1": [20], "T2": [0], "T3": [40], "T5": [80], "T6": [5, 30]},
    "due_10": {"T1": [30], "T2": [5], "T6": [40]},
    "overdue": {"T1": list(range(41, 90, 7)), "T2": list(range(16, 90, 7)), "T6": list(range(51, 90, 7))},
    "silent": {"T4": list(range(7, 90, 7)), "T5": [7, *range(17, 90, 7)]},
    "lead_overdue": {"L1": [31, 38, 45, 52, 59]},
    "report_overdue": {"A": list(range(30, 90, 7)), "B": [62], "far": [62, 69, 76, 83]},
}
# How many people each warning goes to: the handler; the handler and the leader; the department
# and the principal leader; the handler; the rectification office; the office and the principal.
RECIPIENTS = {"due_20": 1, "due_10": 2, "overdue": 2, "silent": 1, "lead_overdue": 1, "report_overdue": 2}


def test_a_quarter_of_reminders(db, django_capture_on_commit_callbacks, mailoutbox) -> None:
    with clock.frozen(START):
        world = build_world()
        a, b, far = world.units[0], world.units[1], world.far
        a.dept_handler.email = "handler@example.org"
        a.dept_handler.save(update_fields=["email"])
        # Report clocks: A's report is due on day 29, B's and far's on day 61.
        inspections.update_inspection(a.office_staff, a.inspection, feedback_date=dt.date(2025, 2, 1))
        inspections.update_inspection(b.office_staff, b.inspection, feedback_date=START)
        inspections.update_inspection(far.office_staff, far.inspection, feedback_date=START)
        tasks = {
            "T1": make_task(a, deadline=on(40)),  # reports every 5 days; overdue from day 41
            "T2": make_task(a, deadline=on(15)),  # inside 20 days at once; overdue from day 16
            "T3": make_task(a, deadline=on(60)),  # closed on day 46, before its 10-day warning
            "T4": make_task(a, category=Task.Category.LONG_TERM, deadline=None),  # never reports
            "T5": make_task(a, deadline=on(100)),  # reports once, on day 10
            "T6": make_task(a, deadline=on(25)),  # deadline moved to day 50 on day 8: re-armed
        }
        lead = ledger.create_lead(a.office_staff, a.inspection, summary="反映某处室违规发放津贴问题",
                                  received_on=dt.date(2025, 1, 2))  # reply due 2025-04-02 = day 30
    keep_reporting = {"T1", "T2", "T3", "T6"}

    seen: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    labels = {f"task:{t.pk}:": name for name, t in tasks.items()}
    labels |= {f"lead:{lead.pk}:": "L1", f"inspection:{a.inspection.pk}:": "A",
               f"inspection:{b.inspection.pk}:": "B", f"inspection:{far.inspection.pk}:": "far"}
    per_kind: Counter[str] = Counter()
    for day in range(DAYS):
        with clock.frozen(on(day)):
            for name in keep_reporting:
                task = Task.objects.get(pk=tasks[name].pk)
                if day % 5 == 0 and task.status in Task.OPEN_STATUSES and task.status not in ("submitted", "reviewed"):
                    files = [evidence()] if name == "T3" and day == 45 else []
                    ledger.report_progress(a.dept_handler, task, text=f"第{day}天进展", files=files)
            if day == 10:
                ledger.report_progress(a.dept_handler, tasks["T5"], text="已制定工作方案")
            if day == 8:
                ledger.update_task(a.office_staff, Task.objects.get(pk=tasks["T6"].pk), deadline=on(50))
            if day == 45:
                ledger.submit_task(a.dept_handler, Task.objects.get(pk=tasks["T3"].pk))
            if day == 46:
                t3 = ledger.review_task(a.office_staff, Task.objects.get(pk=tasks["T3"].pk))
                ledger.approve_task(a.leader, t3)
            if day == 60:
                ledger.conclude_lead(a.office_staff, lead, result="经核实，已责令退回")
            if day == 68:
                services.review_report(world.inspection_office, b.inspection, party="office", grade="good")
        with django_capture_on_commit_callbacks(execute=True):
            out = io.StringIO()
            call_command("remind", "--date", on(day).isoformat(), "--json", stdout=out)
        report = json.loads(out.getvalue())
        for item in report["sent"]:
            label = next(v for k, v in labels.items() if k in item["warning"])
            days = seen[item["kind"]][label]
            if not days or days[-1] != day:
                days.append(day)
            per_kind[item["kind"]] += 1
        # Running again on the same date sends nothing new.
        assert services.run_reminders(on(day)).sent == []

    assert {kind: dict(found) for kind, found in seen.items()} == EXPECTED_DAYS
    expected_counts = {
        kind: sum(len(days) for days in found.values()) * RECIPIENTS[kind] for kind, found in EXPECTED_DAYS.items()
    }
    assert dict(per_kind) == expected_counts
    assert Notification.objects.filter(kind__in=list(RECIPIENTS)).count() == sum(expected_counts.values())
    # The handler has an e-mail address: every notification addressed to them (the warnings, and the
    # closure steps the queued e-mail sends with them) was mailed once.
    to_handler = Notification.objects.filter(recipient=a.dept_handler).count()
    assert len(mailoutbox) == to_handler > 0
    assert all(m.to == ["handler@example.org"] for m in mailoutbox)
