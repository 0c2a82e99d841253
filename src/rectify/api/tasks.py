"""Tasks (整改任务): the ledger list with its filters, one task, adding and editing tasks of the plan."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, Literal

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status

from rectify.api.auth import actor
from rectify.api.schemas import (
    MAX_ID,
    Day,
    Id,
    OrgRef,
    Page,
    PageQuery,
    Text,
    UserRef,
    errors,
    paginate,
    short_text,
)
from rectify.errors import NotVisible, ValidationFailed
from rectify.inspections.models import Finding
from rectify.ledger import services as ledger
from rectify.ledger.models import Evidence, Progress, Task
from rectify.ledger.selectors import TaskFilter, filter_tasks, inspections_visible_to, tasks_visible_to
from rectify.organizations.models import Organization, User
from rectify.organizations.scoping import actions_on_task

router = Router(tags=["整改任务"])


class FindingRef(Schema):
    id: int
    label: str
    title: str


class TaskOut(Schema):
    id: int
    number: str
    title: str
    category: str
    category_label: str
    status: str
    status_label: str
    deadline: dt.date | None
    overdue: bool = Field(description="已过完成时限且未销号（派生，不存储）")
    overdue_days: int = Field(description="逾期天数，未逾期为 0")
    light: str = Field(description="红黄绿灯：red 红灯（逾期或多次退回）、yellow 黄灯（预警）、green 绿灯")
    inspection_id: int
    finding: FindingRef
    unit: OrgRef
    lead_org: OrgRef | None
    co_orgs: list[OrgRef]
    leader: UserRef | None
    leader_name: str
    handler_id: int | None
    returned_count: int
    last_progress_at: dt.datetime | None
    submitted_at: dt.datetime | None
    closed_at: dt.datetime | None
    exempt: bool
    position: int
    version: int = Field(description="修改时原样带回；他人已修改时返回 409 stale_version")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_category_label(obj: Task) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_status_label(obj: Task) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_overdue(obj: Task) -> bool:
        return obj.is_overdue()

    @staticmethod
    def resolve_overdue_days(obj: Task) -> int:
        return obj.days_overdue()

    @staticmethod
    def resolve_light(obj: Task) -> str:
        return str(obj.light())


class EvidenceOut(Schema):
    id: int
    progress_id: int | None
    original_name: str
    sha256: str
    size: int
    content_type: str
    is_meeting_notice: bool = Field(description="只有会议通知，不足以证明整改到位")
    uploaded_at: dt.datetime
    download_url: str

    @staticmethod
    def resolve_download_url(obj: Evidence) -> str:
        return reverse("api:download_evidence", args=[obj.pk])


class ProgressOut(Schema):
    id: int
    kind: str
    text: str
    reported_on: dt.date
    organization: OrgRef | None
    author: UserRef | None
    created_at: dt.datetime
    evidence: list[EvidenceOut]


class CommentOut(Schema):
    id: int
    kind: str
    text: str
    author: UserRef | None
    created_at: dt.datetime


class ReviewOut(Schema):
    id: int
    stage: str
    decision: str
    reason: str
    reviewer: UserRef | None
    created_at: dt.datetime


class TaskDetailOut(TaskOut):
    progress: list[ProgressOut]
    comments: list[CommentOut]
    reviews: list[ReviewOut]
    allowed_actions: list[str] = Field(
        description="调用者现在可以办理的步骤（与任务页面的按钮一致）：start、progress、phased、submit、review、"
                    "return、approve、comment、flag、lookback、reopen、edit_plan")


class TaskQuery(Schema):
    inspection: Id | None = None
    status: Task.Status | None = None
    lead_org: Id | None = Field(None, description="牵头或配合单位")
    leader: Id | None = Field(None, description="责任领导（用户编号）")
    category: Task.Category | None = None
    overdue: bool | None = Field(None, description="只看已过完成时限且未销号的任务")
    light: Task.Light | None = Field(None, description="red 红灯（逾期）、yellow 黄灯（预警）、green 绿灯")
    q: short_text(100) | None = Field(None, description="在措施、问题、责任领导、牵头单位中查找")  # type: ignore[valid-type]
    order: Literal["newest", "ledger"] = Field(
        "newest",
        description="排序：newest 最新添加的在前（按编号倒序，任何范围都快）；ledger 台账顺序"
        "（按巡视反馈日期从新到旧，同一轮按措施顺序；宜与 inspection 一起用）",
    )


# Counting stops here: the whole province's red tasks can number in the hundreds of thousands.
TASK_COUNT_CAP = 10_000


class TaskIn(Schema):
    finding: Id = Field(description="所回应的反馈问题")
    title: Text
    category: Task.Category = Task.Category.DEADLINE
    deadline: Day | None = None
    leader: Id | None = None
    leader_name: short_text(128) = ""  # type: ignore[valid-type]
    lead_org: Id | None = None
    co_orgs: list[Id] = Field([], max_length=50)
    handler: Id | None = None
    number: short_text(32) = ""  # type: ignore[valid-type]
    exempt: bool = False
    exempt_reason: short_text(200) = ""  # type: ignore[valid-type]
    position: int | None = Field(None, ge=0, le=2_000_000_000)


class TaskPatch(Schema):
    """Only the fields sent are changed; `version` is the one the client last read."""

    version: int = Field(ge=1, le=2_000_000_000)
    finding: Id = None  # type: ignore[assignment]
    title: Text = ""
    category: Task.Category = Task.Category.DEADLINE
    deadline: Day | None = None
    leader: Id | None = None
    leader_name: short_text(128) = ""  # type: ignore[valid-type]
    lead_org: Id | None = None
    co_orgs: list[Id] = Field(None, max_length=50)  # type: ignore[arg-type]
    handler: Id | None = None
    number: short_text(32) = ""  # type: ignore[valid-type]
    exempt: bool = False
    exempt_reason: short_text(200) = ""  # type: ignore[valid-type]
    reason: short_text(200) = ""  # type: ignore[valid-type]  # 修改原因: required once the plan is submitted


def task_rows(qs: QuerySet[Task]) -> QuerySet[Task]:
    """What a ledger row shows beyond the selector's joins: the co-operating departments, in one query."""
    return qs.prefetch_related("co_orgs")


def visible_task(request: HttpRequest, task_id: int, *, detail: bool = False) -> Task:
    """A task the caller may see, or NotVisible (404); the services then decide what the caller may do."""
    qs = task_rows(tasks_visible_to(actor(request)))
    if detail:
        qs = qs.prefetch_related(
            Prefetch("progress", queryset=Progress.objects.select_related("author", "organization")
                     .prefetch_related("evidence")),
            "comments__author", "reviews__reviewer",
        )
    task = qs.filter(pk=task_id).first()
    if task is None:
        raise NotVisible(_("未找到该记录"))
    return task


def _one(model: type[Any], pk: int | None, field: str, label: str) -> Any:
    if pk is None:
        return None
    obj = model.objects.filter(pk=pk).first()
    if obj is None:
        raise ValidationFailed(_("「%(label)s」不存在：%(value)s") % {"label": label, "value": pk}, field=field)
    return obj


def _orgs(ids: Iterable[int]) -> list[Organization]:
    wanted = list(dict.fromkeys(ids))
    found = {org.pk: org for org in Organization.objects.filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        raise ValidationFailed(_("「配合单位」不存在：%(value)s") % {"value": missing[0]}, field="co_orgs")
    return [found[pk] for pk in wanted]


def resolve_refs(values: dict[str, Any]) -> dict[str, Any]:
    """Turn the ids of a task payload into the objects the services take."""
    refs = {"leader": (User, _("责任领导")), "handler": (User, _("经办人")),
            "lead_org": (Organization, _("牵头单位")), "finding": (Finding, _("反馈问题"))}
    for name, (model, label) in refs.items():
        if name in values:
            values[name] = _one(model, values[name], name, label)
    return values


@router.get("/tasks", response={200: Page[TaskOut], **errors()}, summary="整改台账（任务列表）")
def list_tasks(request: HttpRequest, filters: Query[TaskQuery], paging: Query[PageQuery]) -> dict[str, Any]:
    wanted = filters.model_dump()
    order = wanted.pop("order")
    qs = filter_tasks(tasks_visible_to(actor(request)), TaskFilter(**wanted))
    if order == "newest":
        qs = qs.order_by("-pk")
    return paginate(task_rows(qs), paging, count_cap=TASK_COUNT_CAP)


@router.get("/tasks/{task_id}", response={200: TaskDetailOut, **errors(404)}, summary="整改任务详情")
def get_task(request: HttpRequest, task_id: int = Path(..., ge=1, le=MAX_ID)) -> Task:
    task = visible_task(request, task_id, detail=True)
    task.allowed_actions = sorted(actions_on_task(actor(request), task))  # type: ignore[attr-defined]
    return task


@router.post("/tasks", response={201: TaskOut, **errors(403, 404)}, summary="添加整改任务")
def create_task(request: HttpRequest, payload: TaskIn) -> Status[Task]:
    user = actor(request)
    finding = Finding.objects.select_related("inspection__target").filter(pk=payload.finding).first()
    if finding is None or not inspections_visible_to(user).filter(pk=finding.inspection_id).exists():
        raise NotVisible(_("未找到该记录"))
    values = resolve_refs(payload.model_dump(exclude={"finding", "co_orgs"}))
    task = ledger.create_task(user, finding, co_orgs=_orgs(payload.co_orgs), **values)
    return Status(201, task)


@router.patch("/tasks/{task_id}", response={200: TaskOut, **errors(403, 404, 409)}, summary="修改整改任务")
def update_task(request: HttpRequest, payload: TaskPatch, task_id: int = Path(..., ge=1, le=MAX_ID)) -> Task:
    task = visible_task(request, task_id)
    sent = payload.model_dump(exclude_unset=True)
    version = sent.pop("version")
    reason = sent.pop("reason", "")
    co_ids = sent.pop("co_orgs", None)
    co_orgs = _orgs(co_ids) if co_ids is not None else None
    return ledger.update_task(actor(request), task, expected_version=version, co_orgs=co_orgs, reason=reason,
                              **resolve_refs(sent))
