"""PATCH /tasks/{id} after the plan is submitted: the edit carries its reason (修改原因) or is refused."""

from __future__ import annotations

import datetime as dt

from rectify.audit.models import AuditEvent
from rectify.supervision import services as supervision
from tests.factories import make_task


def test_api_edit_after_submission_needs_and_records_the_reason(as_user, unit):
    task = make_task(unit)
    supervision.submit_plan(unit.office_staff, unit.inspection)
    api = as_user(unit.office_staff)
    later = (task.deadline + dt.timedelta(days=10)).isoformat()
    refused = api.patch(f"/tasks/{task.pk}", {"version": task.version, "deadline": later})
    assert refused.status_code == 422 and refused.json()["field"] == "reason" and "修改原因" in refused.json()["message"]
    done = api.patch(f"/tasks/{task.pk}", {"version": task.version, "deadline": later, "reason": "上级部署调整"})
    assert done.status_code == 200 and done.json()["deadline"] == later
    assert AuditEvent.objects.get(action="task.update").note == "上级部署调整"
