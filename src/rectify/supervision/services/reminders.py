"""`rectify remind`: the warnings due on a date, each delivered once (DESIGN.md "Warnings escalate").

- 20 days before the deadline → the lead department's handler(s) (到期提醒);
- 10 days before → the handler(s) and the responsible leader (分管领导) (临期预警);
- overdue → the lead department's members and the unit's principal leader (主要负责人), at most weekly;
- 7 days without progress → the handler(s) (长期未报送), again every further 7 days of silence;
- a lead past its reply clock → the unit's rectification office, at most weekly;
- the 整改情况报告 past its due date → the rectification office and the principal leader, at most weekly.

A warning's key is kind + object + threshold or date bucket, so running again on the same date (or
on a later date inside the same bucket) sends nothing new, and a changed deadline re-arms it. A run
holds the "remind" lock from start to end: a second run started meanwhile, on any server, stops at
once (RemindBusy) instead of sending alongside it.

Each unit's warnings are one job (REMIND_JOB, one queued per unit and date): the run queues them all,
then works through them itself while any `rectify worker` takes some of them too. A unit whose job is
slow or fails holds no other unit back (a failed one is retried with back-off), and the jobs of a run
that was killed stay queued for the worker, or for the next run, to finish.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from rectify import clock
from rectify.audit import services as audit
from rectify.deadlines import deadline_clock
from rectify.inspections.models import Inspection
from rectify.jobs import locks, queue
from rectify.jobs.models import Job
from rectify.ledger.lights import light_rules, silent_q
from rectify.ledger.models import Lead, Task
from rectify.ledger.services import tallies
from rectify.organizations.models import Membership, Role
from rectify.rules.lights import days_overdue, is_past_due, is_silent, silent_days
from rectify.rules.permissions import AWAITING_CLOSURE
from rectify.supervision.models import Notification, Order, PlanReview
from rectify.supervision.notify import WebhookRun, process_webhooks
from rectify.supervision.services import problems
from rectify.supervision.services.notifications import EMAIL_JOB, Warning, notify
from rectify.supervision.services.orders import late_reply_warnings

REMIND_JOB = "supervision.remind_unit"
FAR_DAYS = 20
NEAR_DAYS = 10


@dataclass
class People:
    """Who holds which position, looked up once per run for every organization involved."""

    handlers: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    members: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    principals: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    offices: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def load(cls, org_ids: set[int]) -> People:
        people = cls()
        rows = Membership.objects.filter(organization_id__in=org_ids, user__is_active=True).values_list(
            "organization_id", "user_id", "role", "is_handler", "is_principal"
        ).order_by("organization_id", "user_id")
        for org, user, role, is_handler, is_principal in rows:
            if role == Role.DEPARTMENT:
                people.members[org].append(user)
                if is_handler:
                    people.handlers[org].append(user)
            if is_principal:
                people.principals[org].append(user)
            if role == Role.RECTIFICATION_OFFICE:
                people.offices[org].append(user)
        return people


def _day(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _task_handlers(task: Task, people: People) -> list[int]:
    found = [task.handler_id] if task.handler_id else []
    found += people.handlers.get(task.lead_org_id or 0, [])
    return list(dict.fromkeys(found))


def _task_warning(task: Task, kind: str, key: str, title: str, body: str, recipients: list[int]) -> Warning:
    return Warning(kind=kind, key=key, title=title, body=body, recipients=recipients, unit_id=task.unit_id,
                   task_id=task.pk, inspection_id=task.inspection_id, due_on=task.deadline)


def deadline_warnings(today: dt.date, tasks: list[Task], people: People) -> list[Warning]:
    """到期提醒 (20 days), 临期预警 (10 days) and 逾期警示 (weekly) for open tasks with a deadline."""
    found: list[Warning] = []
    for task in tasks:
        if task.deadline is None:
            continue
        left = (task.deadline - today).days
        name = _short(task.title)
        handlers = _task_handlers(task, people)
        due = f"{_day(task.deadline)}"
        if NEAR_DAYS < left <= FAR_DAYS and task.status not in AWAITING_CLOSURE:
            found.append(_task_warning(
                task, Notification.Kind.DUE_20, f"due_20:task:{task.pk}:{task.deadline}",
                f"【到期提醒】整改任务「{name}」将于{due}到期",
                f"距完成时限还有{left}天，请抓紧推进，按时报送整改进展和佐证材料。", handlers))
        elif 0 <= left <= NEAR_DAYS and task.status not in AWAITING_CLOSURE:
            leader = [task.leader_id] if task.leader_id else []
            found.append(_task_warning(
                task, Notification.Kind.DUE_10, f"due_10:task:{task.pk}:{task.deadline}",
                f"【临期预警】整改任务「{name}」还有{left}天到期",
                f"完成时限为{due}，请分管领导督促牵头单位按期完成。", handlers + leader))
        elif task.is_overdue(today):
            over = task.days_overdue(today)
            unit_principals = people.principals.get(task.unit_id, [])
            members = people.members.get(task.lead_org_id or 0, []) + ([task.handler_id] if task.handler_id else [])
            found.append(_task_warning(
                task, Notification.Kind.OVERDUE, f"overdue:task:{task.pk}:{task.deadline}:w{(over - 1) // 7}",
                f"【逾期警示】整改任务「{name}」已逾期{over}天",
                f"完成时限为{due}，至今未销号。请牵头单位说明原因、明确完成时间，主要负责人督促落实。",
                list(dict.fromkeys(members + unit_principals))))
    return found


def silence_warnings(today: dt.date, tasks: list[Task], people: People) -> list[Warning]:
    """长期未报送: no progress for `silent_days` (7) days, again every further 7 days."""
    days = settings.RECTIFY_RULES["silent_days"]
    found: list[Warning] = []
    for task in tasks:
        if task.status in AWAITING_CLOSURE:
            continue
        last = task.last_activity_day()
        if last is None or not is_silent(last, today, light_rules()):
            continue
        quiet = silent_days(last, today)
        found.append(_task_warning(
            task, Notification.Kind.SILENT, f"silent:task:{task.pk}:{last}:n{quiet // days}",
            f"【进展提醒】整改任务「{_short(task.title)}」已{quiet}天未报送进展",
            f"最近一次报送为{_day(last)}，请及时报送整改进展（一周一报）。", _task_handlers(task, people)))
    return found


def lead_warnings(today: dt.date, *, unit_id: int | None = None) -> list[Warning]:
    """问题线索超期: not concluded past the reply clock (3 months), to the rectification office, weekly."""
    clock_ = deadline_clock()
    months = clock_.rules.lead_reply_months
    horizon = today - dt.timedelta(days=28 * months)  # no month is shorter: a cheap index range first
    late = []
    leads = Lead.objects.exclude(status=Lead.Status.CONCLUDED).filter(received_on__lt=horizon)
    if unit_id is not None:
        leads = leads.filter(unit_id=unit_id)
    for lead in leads.order_by("pk"):
        due = clock_.lead_reply_due(lead.received_on).date
        if is_past_due(due, done=False, today=today):
            late.append((lead, due, days_overdue(due, done=False, today=today)))
    people = People.load({lead.unit_id for lead, _d, _o in late})
    found: list[Warning] = []
    for lead, due, over in late:
        found.append(Warning(
            kind=Notification.Kind.LEAD_OVERDUE, key=f"lead_overdue:lead:{lead.pk}:{due}:w{(over - 1) // 7}",
            title=f"【超期提醒】{lead.get_kind_display()}「{_short(lead.summary)}」已超过办理时限{over}天",
            body=f"办理时限为{_day(due)}（移交后{months}个月），请整改办督促办结并报告结果。",
            recipients=list(people.offices.get(lead.unit_id, [])), unit_id=lead.unit_id, lead_id=lead.pk,
            inspection_id=lead.inspection_id, due_on=due))
    return found


def report_warnings(today: dt.date, *, unit_id: int | None = None) -> list[Warning]:
    """整改情况报告超期: past the report clock (2 months) and not yet handed in, weekly."""
    from rectify.reports.models import Report

    clock_ = deadline_clock()
    months = clock_.rules.report_due_months
    handed_in = Q(reports__kind=Report.Kind.INTERNAL, reports__status=Report.Status.PUBLISHED)
    reviewed = Q(plan_reviews__subject=PlanReview.Subject.REPORT)
    inspections = (
        Inspection.objects.filter(feedback_date__lt=today - dt.timedelta(days=28 * months))
        .exclude(handed_in).exclude(reviewed).order_by("pk")
    )
    if unit_id is not None:
        inspections = inspections.filter(target_id=unit_id)
    late = []
    for inspection in inspections:
        due = clock_.report_due(inspection.feedback_date).date  # type: ignore[arg-type]
        if is_past_due(due, done=False, today=today):
            late.append((inspection, due, days_overdue(due, done=False, today=today)))
    people = People.load({inspection.target_id for inspection, _d, _o in late})
    found: list[Warning] = []
    for inspection, due, over in late:
        unit = inspection.target_id
        found.append(Warning(
            kind=Notification.Kind.REPORT_OVERDUE,
            key=f"report_overdue:inspection:{inspection.pk}:{due}:w{(over - 1) // 7}",
            title=f"【超期提醒】「{_short(inspection.title)}」整改情况报告已超过报送时限{over}天",
            body=f"报送时限为{_day(due)}（反馈后{months}个月），请整改办抓紧起草报送，主要负责人审定签字。",
            recipients=list(dict.fromkeys(people.offices.get(unit, []) + people.principals.get(unit, []))),
            unit_id=unit, inspection_id=inspection.pk, due_on=due))
    return found


def collect_warnings(today: dt.date, *, unit_id: int | None = None) -> list[Warning]:
    """Every warning due on `today`, of every unit or of one (already-sent ones included: `notify` drops them)."""
    near = today + dt.timedelta(days=FAR_DAYS)
    open_tasks = Task.objects.exclude(status=Task.Status.CLOSED).only(
        "pk", "title", "deadline", "status", "unit_id", "inspection_id", "lead_org_id", "handler_id", "leader_id",
        "last_progress_at", "created_at",
    )
    if unit_id is not None:
        open_tasks = open_tasks.filter(unit_id=unit_id)
    dated = list(open_tasks.filter(deadline__isnull=False, deadline__lte=near).order_by("pk"))
    silent = list(open_tasks.filter(silent_q(today)).order_by("pk"))
    people = People.load({t.lead_org_id for t in dated + silent if t.lead_org_id} | {t.unit_id for t in dated})
    return [
        *deadline_warnings(today, dated, people),
        *silence_warnings(today, silent, people),
        *lead_warnings(today, unit_id=unit_id),
        *report_warnings(today, unit_id=unit_id),
        *late_reply_warnings(today, unit_id=unit_id),
    ]


def units_to_remind() -> list[int]:
    """The units that may have a warning due: with open tasks or leads, inspected, or sent orders."""
    units = set(Task.objects.exclude(status=Task.Status.CLOSED).order_by().values_list("unit_id", flat=True).distinct())
    units |= set(Lead.objects.exclude(status=Lead.Status.CONCLUDED).order_by().values_list("unit_id", flat=True)
                 .distinct())
    units |= set(Inspection.objects.order_by().values_list("target_id", flat=True).distinct())
    units |= set(Order.objects.filter(status=Order.Status.ISSUED).order_by().values_list("unit_id", flat=True)
                 .distinct())
    return sorted(units)


@transaction.atomic
def remind_unit(day: dt.date, unit_id: int, *, email: bool = True) -> list[Notification]:
    """Deliver one unit's warnings due on `day` (每日提醒, one job of the morning run), once each."""
    sent = notify(collect_warnings(day, unit_id=unit_id), email=email)
    if sent:
        counts: dict[str, int] = defaultdict(int)
        for n in sent:
            counts[n.kind] += 1
        audit.record(None, "supervision.remind", object_type="supervision.remind", object_id=day.isoformat(),
                     unit_id=unit_id, after={"date": day.isoformat(), "counts": dict(counts)})
    return sent


def queue_reminders(day: dt.date, *, email: bool, frozen: bool) -> int:
    """Queue one REMIND_JOB per unit for `day` (a unit's job still waiting is not queued twice)."""
    queued = 0
    for unit_id in units_to_remind():
        payload = {"date": day.isoformat(), "unit": unit_id, "email": email, "frozen": frozen}
        queued += queue.enqueue(REMIND_JOB, payload, key=f"remind:{day.isoformat()}:{unit_id}") is not None
    return queued


def _remind_here() -> list[int]:
    """Run the due reminder jobs in this process (a worker elsewhere may take some of them meanwhile):
    the notifications they sent. A unit that fails is left to its retry, the others go on."""
    queue.load_handlers()
    sent: list[int] = []
    while (job := queue.claim(names=[REMIND_JOB])) is not None:
        job = queue.run(job)
        if job.status == Job.Status.DONE and job.result:
            sent += job.result.get("sent", [])
    return sent


@dataclass
class RemindResult:
    day: dt.date
    sent: list[Notification]
    webhooks: WebhookRun

    def counts(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for n in self.sent:
            found[n.kind] = found.get(n.kind, 0) + 1
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "counts": self.counts(),
            "sent": [
                {"kind": n.kind, "warning": n.warning_key, "recipient": n.recipient.username,
                 "title": n.title, "due_on": n.due_on.isoformat() if n.due_on else None,
                 "task": n.task_id, "lead": n.lead_id, "inspection": n.inspection_id,
                 "email": bool(n.recipient.email)}
                for n in self.sent
            ],
            "webhooks": self.webhooks.as_dict(),
        }


RemindBusy = locks.Busy


def run_reminders(day: dt.date | None = None, *, email: bool = True, webhooks: bool = True) -> RemindResult:
    """Find and deliver the warnings due on `day` (today by default), unit by unit through the job queue,
    then due webhook (re)tries and the e-mails waiting in the queue; raises RemindBusy while another run
    holds the lock. `sent` is what this process delivered (a worker's share shows in the inbox).

    With a date the run happens on a frozen clock ("today" is that date, 10:00 Beijing time), for
    catching up or simulating; without one it runs on the real clock, so webhook back-off works when
    the command is started every few minutes.
    """
    frozen_day = day is not None
    frozen = clock.frozen(day) if day is not None else contextlib.nullcontext()
    day = day or clock.today()
    with locks.exclusive("remind"), frozen:
        # Tasks whose deadline passed overnight become overdue in the all-units overview's counts.
        with transaction.atomic():
            tallies.refresh_stale(today=day)
            # The 巡视办's common problems are brought up to date by the worker, not on their page.
            problems.request_analysis(problems.DEFAULT_THRESHOLD)
        queue_reminders(day, email=email, frozen=frozen_day)
        ids = _remind_here()
        sent = list(Notification.objects.filter(pk__in=ids).select_related("recipient").order_by("pk"))
        run = process_webhooks() if webhooks else WebhookRun()
    if email:
        # Deployments without `rectify worker` still get their mail; with one, the claims keep each once.
        queue.run_due(names=[EMAIL_JOB], stop_on_failure=True)
    return RemindResult(day, sent, run)
