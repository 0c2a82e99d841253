"""Scoped reads of reports, versions and feedback. Every selector starts from the scoping function.

Who may do what with a report (the rule `require_report` enforces, from rules.permissions):
- view: the office, leaders and supervisors over the inspected unit (整改办, 领导, 纪检, 巡视巡察办, 管理员);
  not a department (责任单位): a report covers every task and lead of the unit, and a department sees
  only its own (it is in scope, so 403);
- generate, regenerate and edit sections: the rectification office (EDIT_PLAN: 整改办, 管理员);
- publish: the rectification office or the leader for the notice and the internal report, since
  the office issues them once the leader has signed off; only the leader (or an administrator) for
  主要负责人组织落实情况报告, because it is the leader's own signed account.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils.translation import gettext as _

from rectify import clock
from rectify.errors import Forbidden, NotVisible
from rectify.inspections.models import Inspection
from rectify.organizations.models import User
from rectify.organizations.scoping import ALLOWED, Action, grants, require, roles_over_unit, roles_q
from rectify.reports.models import Feedback, Report, ReportVersion
from rectify.rules.lights import is_past_due

EDITORS = ALLOWED[Action.EDIT_PLAN]
INBOX_ROLES = ALLOWED[Action.MANAGE_RECORDS]


def publishers(kind: str) -> frozenset[str]:
    return ALLOWED[Action.PUBLISH_LEADER_REPORT if kind == Report.Kind.LEADER else Action.PUBLISH_REPORT]


def require_report(actor: User, report: Report, what: str = "view") -> set[str]:
    """Check `what` (view | edit | publish) on a report: NotVisible out of scope, Forbidden without the role."""
    roles = roles_over_unit(actor, report.inspection.target)
    require(actor, Action.VIEW_REPORTS, roles)
    if what == "edit" and not roles & EDITORS:
        raise Forbidden(_("只有整改办可以生成和编辑报告"))
    if what == "publish" and not roles & publishers(report.kind):
        if report.kind == Report.Kind.LEADER:
            raise Forbidden(_("主要负责人组织落实情况报告只能由领导发布"))
        raise Forbidden(_("只有整改办或领导可以发布报告"))
    return roles


def report_flags(actor: User, inspection: Inspection, kind: str | None = None) -> dict[str, bool]:
    """What the pages may offer: can_edit (generate, edit) and can_publish."""
    roles = roles_over_unit(actor, inspection.target)
    return {
        "can_edit": bool(roles & EDITORS),
        "can_publish": bool(roles & publishers(kind or Report.Kind.NOTICE)),
    }


def reports_visible_to(actor: User) -> QuerySet[Report]:
    """Reports (报告) of the inspections the actor may see."""
    return Report.objects.filter(roles_q(actor, ALLOWED[Action.VIEW_REPORTS], "inspection__target")).select_related(
        "inspection__target")


def inspection_for(actor: User, pk: int) -> Inspection:
    """One inspection whose reports the actor may read: NotVisible (404) out of scope, Forbidden (403) for a
    department."""
    inspection = Inspection.objects.select_related("target").filter(pk=pk).first()
    if inspection is None:
        raise NotVisible(_("未找到该记录"))
    require(actor, Action.VIEW_REPORTS, roles_over_unit(actor, inspection.target))
    return inspection


def report_for(actor: User, pk: int, what: str = "view") -> Report:
    """One report the actor may `what` (view | edit | publish)."""
    report = Report.objects.select_related("inspection__target").filter(pk=pk).first()
    if report is None:
        raise NotVisible(_("未找到该记录"))
    require_report(actor, report, what)
    return report


def reports_of(inspection: Inspection) -> QuerySet[Report]:
    """An inspection's reports with their latest published version number."""
    return (
        Report.objects.filter(inspection=inspection)
        .annotate(latest_number=Max("versions__number"), latest_on=Max("versions__published_on"))
        .order_by("kind")
    )


def versions_of(report: Report) -> QuerySet[ReportVersion]:
    """Published versions, newest first (the content stays unloaded for lists)."""
    return report.versions.defer("content", "text").select_related("published_by").order_by("-number")


def version_of(report: Report, number: int) -> ReportVersion:
    version = report.versions.filter(number=number).first()
    if version is None:
        raise NotVisible(_("未找到该版本"))
    return version


def draft_content(report: Report, *, day: dt.date | None = None) -> dict[str, Any]:
    """The content of the current draft, as a version would freeze it on `day` (default today)."""
    day = day or clock.today()
    return {
        "kind": report.kind,
        "title": report.title,
        "addressee": report.addressee,
        "signer": report.signer,
        "date": day.isoformat(),
        "sections": [
            {"key": s.key, "heading": s.heading, "body": s.body, "table": s.table}
            for s in report.sections.order_by("position")
        ],
    }


# --- portal ---------------------------------------------------------------------------------------


def published_notices() -> QuerySet[Report]:
    """Published notices of the whole deployment, newest first (public, no login)."""
    return (
        Report.objects.filter(kind=Report.Kind.NOTICE, status=Report.Status.PUBLISHED)
        .select_related("inspection__target")
        .annotate(latest_number=Max("versions__number"), latest_on=Max("versions__published_on"))
        .filter(latest_number__isnull=False)
        .order_by("-latest_on", "-pk")
    )


def published_notice(pk: int) -> tuple[Report, ReportVersion]:
    """A published notice and its latest version; drafts, internal reports and unknown ids are NotVisible."""
    report = (
        Report.objects.select_related("inspection__target")
        .filter(pk=pk, kind=Report.Kind.NOTICE, status=Report.Status.PUBLISHED)
        .first()
    )
    version = report.versions.order_by("-number").first() if report else None
    if report is None or version is None:
        raise NotVisible(_("未找到该通报"))
    return report, version


# --- feedback inbox -------------------------------------------------------------------------------


def inbox_q(actor: User) -> Q:
    """The feedback of the units where the actor may manage records (the unit's 整改办)."""
    return roles_q(actor, INBOX_ROLES, field="unit")


def inbox_for(actor: User) -> QuerySet[Feedback]:
    """Feedback from the public (群众意见) to the units whose 整改办 the actor belongs to; Forbidden otherwise."""
    if not any(g.role in INBOX_ROLES for g in grants(actor)):
        raise Forbidden(_("只有整改办可以查看群众意见"))
    return (
        Feedback.objects.filter(inbox_q(actor))
        .select_related("report", "unit", "handled_by")
        .order_by("status", "-created_at", "-id")
    )


def feedback_for(actor: User, pk: int) -> Feedback:
    feedback = Feedback.objects.select_related("unit").filter(pk=pk).first()
    if feedback is None:
        raise NotVisible(_("未找到该记录"))
    require(actor, Action.MANAGE_RECORDS, roles_over_unit(actor, feedback.unit))
    return feedback


# --- due dates --------------------------------------------------------------------------------------


@dataclass
class ReportDue:
    """A report an inspection owes (整改情况报告, 主要负责人组织落实情况报告) and whether it is done."""

    inspection: Inspection
    kind: str
    kind_label: str
    due: dt.date
    report: Report | None
    published_on: dt.date | None

    @property
    def done(self) -> bool:
        return self.published_on is not None

    def days_left(self, today: dt.date | None = None) -> int:
        return (self.due - (today or clock.today())).days

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return is_past_due(self.due, done=self.done, today=today or clock.today())


DUE_KINDS = (Report.Kind.INTERNAL, Report.Kind.LEADER)


def reports_due(inspections: Iterable[Inspection]) -> list[ReportDue]:
    """The internal and leader's reports each inspection owes, due `Inspection.report_due`, soonest first.

    One query whatever the number of inspections; inspections without a feedback date owe nothing yet.
    """
    inspections = [i for i in inspections if i.report_due is not None]
    reports = {
        (r.inspection_id, r.kind): r
        for r in Report.objects.filter(inspection__in=inspections, kind__in=DUE_KINDS).annotate(
            last_on=Max("versions__published_on")
        )
    }
    labels = dict(Report.Kind.choices)
    rows = []
    for inspection in inspections:
        for kind in DUE_KINDS:
            report = reports.get((inspection.pk, kind))
            rows.append(ReportDue(
                inspection=inspection, kind=kind, kind_label=str(labels[kind]), due=inspection.report_due,
                report=report, published_on=report.last_on if report else None,
            ))
    rows.sort(key=lambda r: (r.done, r.due, r.inspection.pk, r.kind))
    return rows


def internal_reports_published(inspection_ids: list[int]) -> set[int]:
    """Of these inspections, those whose 整改情况报告 has a published version (done, as in `ReportDue`)."""
    return set(Report.objects.filter(inspection_id__in=inspection_ids, kind=Report.Kind.INTERNAL,
                                     versions__isnull=False).values_list("inspection_id", flat=True).distinct())
