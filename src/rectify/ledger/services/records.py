"""Rules made (建章立制), transferred leads (问题线索/信访件) and quantified outcomes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import InvalidTransition, ValidationFailed
from rectify.inspections.models import Inspection
from rectify.ledger.models import Lead, Outcome, RuleChange, Task
from rectify.organizations.models import Organization, User
from rectify.organizations.scoping import Action, require_unit


def _required(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("「%(label)s」不能为空") % {"label": label}, field=field)
    return value


def _check_rule_change(inspection: Inspection, *, action: str, task: Task | None) -> None:
    if action not in RuleChange.Action.values:
        raise ValidationFailed(_("「类别」无法识别：%(value)s") % {"value": action}, field="action")
    if task is not None and task.inspection_id != inspection.pk:
        raise ValidationFailed(_("「整改任务」不属于本次巡视巡察"), field="task")


def _check_lead(inspection: Inspection, *, kind: str, handler_org: Organization | None) -> None:
    if kind not in Lead.Kind.values:
        raise ValidationFailed(_("「类别」无法识别：%(value)s") % {"value": kind}, field="kind")
    if handler_org is not None and not handler_org.path.startswith(inspection.target.path):
        raise ValidationFailed(_("「承办单位」%(name)s 不属于本单位") % {"name": handler_org.name}, field="handler_org")


def _check_outcome(inspection: Inspection, *, kind: str, value: Decimal | int | str, task: Task | None) -> Decimal:
    if kind not in Outcome.Kind.values:
        raise ValidationFailed(_("「类别」无法识别：%(value)s") % {"value": kind}, field="kind")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise ValidationFailed(_("「数值」无法识别：%(value)s") % {"value": value}, field="value") from exc
    if amount < 0 or not amount.is_finite():
        raise ValidationFailed(_("「数值」不能为负数"), field="value")
    if task is not None and task.inspection_id != inspection.pk:
        raise ValidationFailed(_("「整改任务」不属于本次巡视巡察"), field="task")
    return amount


@transaction.atomic
def create_rule_change(
    actor: User, inspection: Inspection, *, title: str, action: str = RuleChange.Action.CREATE,
    task: Task | None = None, document_no: str = "", issued_on: dt.date | None = None, text: str = "",
) -> RuleChange:
    """Record a rule created, revised or abolished (制度立改废)."""
    require_unit(actor, Action.MANAGE_RECORDS, inspection.target)
    _check_rule_change(inspection, action=action, task=task)
    rule = RuleChange.objects.create(
        inspection=inspection, unit=inspection.target, task=task, action=action,
        title=_required(title, "title", _("制度名称")), document_no=document_no.strip(), issued_on=issued_on, text=text,
    )
    audit.record(actor, "rulechange.create", rule, unit_id=inspection.target_id)
    return rule


@transaction.atomic
def create_lead(
    actor: User, inspection: Inspection, *, summary: str, received_on: dt.date, kind: str = Lead.Kind.CLUE,
    reference: str = "", handler_org: Organization | None = None, exempt: bool = True,
) -> Lead:
    """Register a transferred lead (问题线索) or petition (信访件); its reply clock starts at `received_on`."""
    require_unit(actor, Action.MANAGE_RECORDS, inspection.target)
    _check_lead(inspection, kind=kind, handler_org=handler_org)
    lead = Lead.objects.create(
        inspection=inspection, unit=inspection.target, kind=kind, reference=reference.strip(),
        summary=_required(summary, "summary", _("内容摘要")), received_on=received_on, handler_org=handler_org,
        exempt=exempt,
    )
    audit.record(actor, "lead.create", lead, unit_id=inspection.target_id)
    return lead


@transaction.atomic
def conclude_lead(actor: User, lead: Lead, *, result: str, concluded_on: dt.date | None = None) -> Lead:
    """Conclude a lead (办结) with its result."""
    require_unit(actor, Action.MANAGE_RECORDS, lead.unit)
    if lead.status == Lead.Status.CONCLUDED:
        raise InvalidTransition(_("该线索已办结"))
    concluded_on = concluded_on or clock.today()
    if concluded_on < lead.received_on:
        raise ValidationFailed(_("「办结日期」不能早于「移交日期」"), field="concluded_on")
    before = audit.snapshot(lead)
    lead.status = Lead.Status.CONCLUDED
    lead.result = _required(result, "result", _("办理结果"))
    lead.concluded_on = concluded_on
    lead.save()
    audit.record(actor, "lead.conclude", lead, unit_id=lead.unit_id, before=before)
    return lead


@transaction.atomic
def record_outcome(
    actor: User, inspection: Inspection, *, kind: str, what: str, value: Decimal | int | str, value_unit: str,
    task: Task | None = None, recorded_on: dt.date | None = None, exempt: bool = False,
) -> Outcome:
    """Record a quantified outcome (问责 N 人, 追缴资金 N 万元 …)."""
    require_unit(actor, Action.MANAGE_RECORDS, inspection.target)
    amount = _check_outcome(inspection, kind=kind, value=value, task=task)
    outcome = Outcome.objects.create(
        inspection=inspection, unit=inspection.target, task=task, kind=kind,
        what=_required(what, "what", _("事项")), value=amount, value_unit=_required(value_unit, "value_unit", _("单位")),
        recorded_on=recorded_on or clock.today(), exempt=exempt,
    )
    audit.record(actor, "outcome.create", outcome, unit_id=inspection.target_id)
    return outcome


@transaction.atomic
def update_rule_change(
    actor: User, rule: RuleChange, *, title: str, action: str, task: Task | None = None, document_no: str = "",
    issued_on: dt.date | None = None, text: str = "",
) -> RuleChange:
    """Correct a recorded rule (修改建章立制记录); the audit chain keeps what it said before."""
    require_unit(actor, Action.MANAGE_RECORDS, rule.unit)
    _check_rule_change(rule.inspection, action=action, task=task)
    before = audit.snapshot(rule)
    rule.title = _required(title, "title", _("制度名称"))
    rule.action, rule.task, rule.document_no, rule.issued_on, rule.text = action, task, document_no.strip(), issued_on, text
    rule.save()
    audit.record(actor, "rulechange.update", rule, unit_id=rule.unit_id, before=before, after=audit.snapshot(rule))
    return rule


@transaction.atomic
def update_lead(
    actor: User, lead: Lead, *, summary: str, received_on: dt.date, kind: str, reference: str = "",
    handler_org: Organization | None = None, status: str | None = None, exempt: bool | None = None,
) -> Lead:
    """Correct a lead (修改问题线索) or mark it 办理中; concluding goes through `conclude_lead`."""
    require_unit(actor, Action.MANAGE_RECORDS, lead.unit)
    _check_lead(lead.inspection, kind=kind, handler_org=handler_org)
    if status is not None and status not in (Lead.Status.OPEN, Lead.Status.IN_PROGRESS, lead.status):
        raise ValidationFailed(_("「状态」无法识别：%(value)s") % {"value": status}, field="status")
    if lead.concluded_on is not None and received_on > lead.concluded_on:
        raise ValidationFailed(_("「办结日期」不能早于「移交日期」"), field="received_on")
    before = audit.snapshot(lead)
    lead.summary = _required(summary, "summary", _("内容摘要"))
    lead.received_on, lead.kind, lead.reference, lead.handler_org = received_on, kind, reference.strip(), handler_org
    if status is not None:
        lead.status = status
    if exempt is not None:
        lead.exempt = exempt
    lead.save()
    audit.record(actor, "lead.update", lead, unit_id=lead.unit_id, before=before, after=audit.snapshot(lead))
    return lead


@transaction.atomic
def update_outcome(
    actor: User, outcome: Outcome, *, kind: str, what: str, value: Decimal | int | str, value_unit: str,
    task: Task | None = None, recorded_on: dt.date | None = None, exempt: bool = False,
) -> Outcome:
    """Correct a recorded outcome (修改整改成效)."""
    require_unit(actor, Action.MANAGE_RECORDS, outcome.unit)
    amount = _check_outcome(outcome.inspection, kind=kind, value=value, task=task)
    before = audit.snapshot(outcome)
    outcome.kind, outcome.value, outcome.task, outcome.exempt = kind, amount, task, exempt
    outcome.what = _required(what, "what", _("事项"))
    outcome.value_unit = _required(value_unit, "value_unit", _("单位"))
    outcome.recorded_on = recorded_on or outcome.recorded_on
    outcome.save()
    audit.record(actor, "outcome.update", outcome, unit_id=outcome.unit_id, before=before, after=audit.snapshot(outcome))
    return outcome
