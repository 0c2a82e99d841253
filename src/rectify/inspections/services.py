"""Writes to inspections and their findings tree."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from rectify import clock
from rectify.audit import services as audit
from rectify.errors import ValidationFailed
from rectify.inspections.models import Finding, Inspection
from rectify.organizations.models import Organization, User
from rectify.organizations.scoping import Action, require_unit

INSPECTION_FIELDS = (
    "title", "kind", "inspector", "term", "round", "group", "type", "office",
    "onsite_start", "onsite_end", "feedback_date", "published", "source_hash",
)


def _check_dates(onsite_start: dt.date | None, onsite_end: dt.date | None, feedback: dt.date | None) -> None:
    if onsite_start and onsite_end and onsite_end < onsite_start:
        raise ValidationFailed(_("「进驻结束」不能早于「进驻开始」"), field="onsite_end")
    if onsite_start and feedback and feedback < onsite_start:
        raise ValidationFailed(_("「反馈日期」不能早于「进驻开始」"), field="feedback_date")


MAX_ROUND = 99


def check_lengths(model: type[models.Model], values: dict[str, Any]) -> None:
    """Each text no longer than its column holds, named with its length (PostgreSQL would refuse the write)."""
    for name, value in values.items():
        field = model._meta.get_field(name)
        limit = getattr(field, "max_length", None)
        if isinstance(value, str) and limit and len(value) > limit:
            raise ValidationFailed(_("「%(label)s」不能超过 %(max)d 个字（现有 %(n)d 个字）") % {
                "label": str(getattr(field, "verbose_name", name)), "max": limit, "n": len(value)}, field=name)


def _check_header(target: Organization, title: str, fields: dict[str, Any], *, exclude_pk: int | None = None) -> None:
    """Field by field, with the value: lengths, dates not in the future, a sensible round, no duplicate name."""
    def label(name: str) -> str:
        return str(getattr(Inspection._meta.get_field(name), "verbose_name", name))

    check_lengths(Inspection, {"title": title, **fields})
    today = clock.today()
    for name in ("onsite_start", "onsite_end", "feedback_date"):
        value = fields.get(name)
        if value is not None and value > today:
            raise ValidationFailed(_("「%(label)s」不能晚于今天：%(value)s") % {
                "label": label(name), "value": value.isoformat()}, field=name)
    number = fields.get("round")
    if number is not None and not 1 <= number <= MAX_ROUND:
        raise ValidationFailed(_("「轮次」应为 1 到 %(max)d 之间的整数：%(value)s") % {"max": MAX_ROUND, "value": number},
                               field="round")
    same = Inspection.objects.filter(target=target, title=title)
    if (same.exclude(pk=exclude_pk) if exclude_pk is not None else same).exists():
        raise ValidationFailed(_("「名称」与本单位已登记的巡视巡察重复：%(value)s") % {"value": title}, field="title")


@transaction.atomic
def create_inspection(actor: User, *, target: Organization, title: str, **fields: Any) -> Inspection:
    """Register an inspection (登记巡视巡察) of a unit."""
    require_unit(actor, Action.REGISTER_INSPECTION, target)
    if target.kind != Organization.Kind.UNIT:
        raise ValidationFailed(_("「被巡视巡察单位」必须是单位，不能是内设部门"), field="target")
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("「名称」不能为空"), field="title")
    unknown = set(fields) - set(INSPECTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown inspection fields: {sorted(unknown)}")
    _check_header(target, title, fields)
    _check_dates(fields.get("onsite_start"), fields.get("onsite_end"), fields.get("feedback_date"))
    inspection = Inspection(target=target, title=title, **fields)
    inspection.full_clean(exclude=["office"])
    inspection.save()
    audit.record(actor, "inspection.create", inspection, unit_id=target.pk)
    return inspection


@transaction.atomic
def update_inspection(actor: User, inspection: Inspection, *, reason: str = "", **changes: Any) -> Inspection:
    """Edit an inspection's header fields; once the plan is submitted, with a recorded reason (修改原因)."""
    require_unit(actor, Action.EDIT_PLAN, inspection.target)
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if not changes["title"]:
            raise ValidationFailed(_("「名称」不能为空"), field="title")
    if any(name in INSPECTION_FIELDS and getattr(inspection, name) != value for name, value in changes.items()):
        reason = reason_after_draft(inspection, reason, edit=True)
    before = audit.snapshot(inspection)
    for name, value in changes.items():
        if name not in INSPECTION_FIELDS:
            raise TypeError(f"unknown inspection field {name}")
        setattr(inspection, name, value)
    _check_header(inspection.target, inspection.title, {k: v for k, v in changes.items() if k != "title"},
                  exclude_pk=inspection.pk)
    _check_dates(inspection.onsite_start, inspection.onsite_end, inspection.feedback_date)
    inspection.version += 1
    inspection.save()
    audit.record(actor, "inspection.update", inspection, unit_id=inspection.target_id, before=before,
                 note=reason.strip())
    return inspection


@transaction.atomic
def add_finding(
    actor: User, inspection: Inspection, *, title: str, parent: Finding | None = None, label: str = "",
    text: str = "", kind: str = Finding.Kind.PROBLEM, position: int | None = None,
    exempt: bool = False, exempt_reason: str = "", level: int | None = None,
) -> Finding:
    """Add a node to the feedback tree (方面 → 问题 → 具体问题).

    `level` defaults to one below the parent; a sub-problem placed directly under an aspect passes 3.
    """
    require_unit(actor, Action.EDIT_PLAN, inspection.target)
    title = (title or "").strip()
    if not title:
        raise ValidationFailed(_("「问题标题」不能为空"), field="title")
    label = (label or "").strip()
    check_lengths(Finding, {"label": label, "exempt_reason": exempt_reason})
    if parent is not None and parent.inspection_id != inspection.pk:
        raise ValidationFailed(_("「上级问题」不属于本次巡视巡察"), field="parent")
    lowest = 1 if parent is None else parent.level + 1
    level = lowest if level is None else level
    if level < lowest:
        raise ValidationFailed(_("问题层级必须低于上级问题"), field="parent")
    if level > 3:
        raise ValidationFailed(_("问题层级最多三级（方面、问题、具体问题）"), field="parent")
    if exempt and not exempt_reason.strip():
        raise ValidationFailed(_("「不予公开理由」不能为空"), field="exempt_reason")
    if position is None:
        position = inspection.findings.count()
    finding = Finding.objects.create(
        inspection=inspection, parent=parent, level=level, kind=kind, label=label, title=title, text=text,
        position=position, exempt=exempt, exempt_reason=exempt_reason,
    )
    audit.record(actor, "finding.create", finding, unit_id=inspection.target_id)
    return finding


@transaction.atomic
def update_finding(actor: User, finding: Finding, *, reason: str = "", **changes: Any) -> Finding:
    """Edit a finding's text or disclosure flag; once the plan is submitted, with a recorded reason (修改原因)."""
    require_unit(actor, Action.EDIT_PLAN, finding.inspection.target)
    if any(getattr(finding, name, value) != value for name, value in changes.items()):
        reason = reason_after_draft(finding.inspection, reason, edit=True)
    before = audit.snapshot(finding)
    for name in ("title", "label", "text", "kind", "exempt", "exempt_reason"):
        if name in changes:
            setattr(finding, name, changes.pop(name))
    if changes:
        raise TypeError(f"unknown finding fields: {sorted(changes)}")
    if not finding.title.strip():
        raise ValidationFailed(_("「问题标题」不能为空"), field="title")
    check_lengths(Finding, {"label": finding.label, "exempt_reason": finding.exempt_reason})
    if finding.exempt and not finding.exempt_reason.strip():
        raise ValidationFailed(_("「不予公开理由」不能为空"), field="exempt_reason")
    finding.save()
    audit.record(actor, "finding.update", finding, unit_id=finding.inspection.target_id, before=before,
                 note=reason.strip())
    return finding


def plan_submitted(inspection: Inspection) -> bool:
    """Whether the plan (整改方案) has left draft: a version was submitted for review. The versions belong to
    the supervision app, read here through their reverse relation."""
    return inspection.plan_versions.exists()


def reason_after_draft(inspection: Inspection, reason: str, *, edit: bool = False) -> str:
    """While the plan is a draft a deletion or an edit needs no reason; once submitted it is recorded with one
    (删除理由, 修改原因)."""
    reason = (reason or "").strip()
    if not reason and plan_submitted(inspection):
        if edit:
            raise ValidationFailed(_("整改方案已报送，修改须填写「修改原因」"), field="reason")
        raise ValidationFailed(_("整改方案已报送，删除须写明理由"), field="reason")
    return reason


@transaction.atomic
def delete_finding(actor: User, finding: Finding, *, reason: str = "") -> None:
    """Delete a finding without tasks or sub-problems; the audit chain keeps what it said."""
    inspection = finding.inspection
    require_unit(actor, Action.EDIT_PLAN, inspection.target)
    reason = reason_after_draft(inspection, reason)
    if finding.children.exists() or finding.tasks.exists():
        raise ValidationFailed(_("「%(title)s」下还有下级问题或整改任务，不能删除") % {"title": finding.title[:30]},
                               field="finding")
    audit.record(actor, "finding.delete", object_type="inspections.finding", object_id=finding.pk,
                 unit_id=inspection.target_id, before=audit.snapshot(finding), note=reason)
    finding.delete()


@transaction.atomic
def delete_inspection(actor: User, inspection: Inspection, *, reason: str = "") -> None:
    """Delete an inspection registered by mistake: only before it has tasks; its findings go with it, recorded."""
    require_unit(actor, Action.REGISTER_INSPECTION, inspection.target)
    reason = reason_after_draft(inspection, reason)
    # Nothing recorded against the inspection may go with it: only its findings (kept in the audit chain).
    for relation in inspection._meta.related_objects:
        if relation.related_name in ("findings", "+") or not relation.related_name:
            continue
        if relation.related_model._default_manager.filter(**{relation.field.name: inspection}).exists():
            raise ValidationFailed(_("该巡视巡察已有「%(what)s」记录，不能删除") % {
                "what": relation.related_model._meta.verbose_name}, field="inspection")
    findings = [audit.snapshot(f) for f in inspection.findings.all()]
    audit.record(actor, "inspection.delete", object_type="inspections.inspection", object_id=inspection.pk,
                 unit_id=inspection.target_id, before={**audit.snapshot(inspection), "findings": findings}, note=reason)
    inspection.findings.all().delete()
    inspection.delete()
