"""Findings (反馈问题): the tree of one inspection, and adding a node to it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Router, Schema, Status

from rectify.api.auth import actor
from rectify.api.inspections import visible_inspection
from rectify.api.schemas import MAX_ID, Id, Text, errors, short_text
from rectify.errors import ValidationFailed
from rectify.inspections import services as inspections
from rectify.inspections.models import Finding

router = Router(tags=["反馈问题"])


class FindingOut(Schema):
    id: int
    parent_id: int | None
    level: int = Field(description="1 方面，2 问题，3 具体问题")
    kind: str
    label: str
    title: str
    text: str
    position: int
    exempt: bool


class FindingNode(FindingOut):
    children: list[FindingNode] = []


class FindingIn(Schema):
    title: Text
    parent: Id | None = Field(None, description="上级问题的编号；为空时是“方面”")
    label: short_text(16) = ""  # type: ignore[valid-type]
    text: Text = ""
    kind: Finding.Kind = Finding.Kind.PROBLEM
    position: int | None = Field(None, ge=0, le=2_000_000_000)
    exempt: bool = False
    exempt_reason: short_text(200) = ""  # type: ignore[valid-type]


def tree(findings: list[Finding]) -> list[dict[str, Any]]:
    """Nest a flat, ordered list of findings under their parents (one query for the whole tree)."""
    nodes = {f.pk: {**FindingOut.model_validate(f).model_dump(), "children": []} for f in findings}
    roots: list[dict[str, Any]] = []
    for finding in findings:
        parent = nodes.get(finding.parent_id) if finding.parent_id else None
        (parent["children"] if parent is not None else roots).append(nodes[finding.pk])
    return roots


@router.get("/inspections/{inspection_id}/findings", response={200: list[FindingNode], **errors(404)},
            summary="反馈问题树")
def finding_tree(request: HttpRequest, inspection_id: int = Path(..., ge=1, le=MAX_ID)) -> list[dict[str, Any]]:
    inspection = visible_inspection(request, inspection_id)
    return tree(list(inspection.findings.order_by("level", "position", "id")))


@router.post("/inspections/{inspection_id}/findings", response={201: FindingOut, **errors(403, 404)},
             summary="添加反馈问题")
def add_finding(
    request: HttpRequest, payload: FindingIn, inspection_id: int = Path(..., ge=1, le=MAX_ID)
) -> Status[Finding]:
    # Visible first (404), then the service decides whether the caller may edit the plan (403).
    inspection = visible_inspection(request, inspection_id)
    parent = None
    if payload.parent is not None:
        parent = Finding.objects.filter(pk=payload.parent).first()
        if parent is None:
            raise ValidationFailed(_("「上级问题」不存在"), field="parent")
    fields = payload.model_dump(exclude={"parent"})
    return Status(201, inspections.add_finding(actor(request), inspection, parent=parent, **fields))
