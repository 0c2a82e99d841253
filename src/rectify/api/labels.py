"""Chinese labels of the API's input fields, for validation messages that name the field."""

from __future__ import annotations

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from rectify.api.models import ApiToken
from rectify.inspections.models import Finding, Inspection
from rectify.ledger.models import Comment, Lead, Outcome, Progress, RuleChange, Task

EXTRA: dict[str, Promise] = {
    "version": _("版本"),
    "page": _("页码"),
    "page_size": _("每页条数"),
    "reason": _("理由"),
    "note": _("说明"),
    "files": _("佐证材料"),
    "days": _("有效天数"),
    "light": _("红黄绿灯"),
    "overdue": _("逾期"),
    "q": _("关键词"),
    "inspection": _("巡视巡察"),
    "status": _("状态"),
    "kind": _("类别"),
    "action": _("类别"),
    "text": _("内容"),
}


def _from_models(*model_classes: type[models.Model]) -> dict[str, Promise]:
    labels: dict[str, Promise] = {}
    for model in model_classes:
        for field in model._meta.get_fields():
            verbose = getattr(field, "verbose_name", None)
            if verbose and field.name not in labels:
                labels[field.name] = verbose
    return labels


LABELS: dict[str, Promise | str] = {
    **_from_models(Task, Inspection, Finding, Progress, Comment, Lead, RuleChange, Outcome, ApiToken),
    **EXTRA,
}
