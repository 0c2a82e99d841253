"""The ledger row, rendered in Python: one markup for the full page and the htmx swap, and fast at 500 rows."""

from __future__ import annotations

import functools
from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from rectify.ledger.models import Task

register = template.Library()

LIGHTS = frozenset({"red", "yellow", "green"})


@functools.lru_cache(maxsize=8)
def _words(language: str) -> dict[str, str]:
    """The row's fixed words in one language, translated once (not ~15 lookups on each of 50 rows)."""
    with translation.override(language):
        return {
            **{light.value: str(light.label) for light in Task.Light},
            "why_red": _("逾期或多次退回"), "why_yellow": _("临近时限或多日未报送"), "why_green": _("正常推进"),
            "overdue_days": _("逾期 %(days)s 天"),
            "co": _("配合：%(name)s"), "silent": _("未报送"), "select": _("选择任务 %(number)s"),
            "edit_task": _("编辑任务 %(number)s"), "edit": _("编辑"),
            # Column names repeated on each cell: the narrow-screen layout shows them beside the value.
            "h_number": _("编号"), "h_title": _("整改措施"), "h_lead": _("牵头单位"), "h_leader": _("责任领导"),
            "h_deadline": _("完成时限"), "h_status": _("状态"), "h_light": _("红黄绿灯"), "h_last": _("最近报送"),
        }


@register.simple_tag
def task_row(row: dict[str, Any], can_edit: bool) -> SafeString:
    task = row["task"]
    number = task.display_number
    url = reverse("ledger:task", args=[task.pk])
    words = _words(translation.get_language() or settings.LANGUAGE_CODE)
    css = row["light"] if row["light"] in LIGHTS else "green"
    late = row.get("overdue_days") or 0
    co = format_html_join(
        "", '<div class="muted small">{}</div>', ((words["co"] % {"name": o.name},) for o in task.co_orgs.all())
    )
    deadline = (
        format_html("{}", task.deadline.strftime("%Y-%m-%d")) if task.deadline
        else format_html('<span class="muted">{}</span>', task.get_category_display())
    )
    if late:
        deadline = format_html('{} <span class="light red">{}</span>', deadline, words["overdue_days"] % {"days": late})
    last = timezone.localtime(task.last_progress_at).strftime("%m-%d") if task.last_progress_at else words["silent"]
    select = edit = ""
    if can_edit:
        select = format_html(
            '<td><input type="checkbox" name="task" value="{}" form="bulk-form" aria-label="{}"></td>',
            task.pk, words["select"] % {"number": number},
        )
        edit = format_html(
            '<td class="nowrap no-print"><button class="btn small" type="button" hx-get="{}" '
            'hx-target="#task-row-{}" hx-swap="outerHTML" aria-label="{}">{}</button></td>',
            reverse("ledger:task_row_edit", args=[task.pk]), task.pk, words["edit_task"] % {"number": number},
            words["edit"],
        )
    return format_html(
        '<tr id="task-row-{pk}">{select}'
        '<td class="nowrap muted" data-label="{h_number}">{number}</td>'
        '<td class="measure" data-label="{h_title}"><a href="{url}">{title}</a></td>'
        '<td data-label="{h_lead}">{lead}{co}</td>'
        '<td class="nowrap" data-label="{h_leader}">{leader}</td>'
        '<td class="nowrap" data-label="{h_deadline}">{deadline}</td>'
        '<td class="nowrap" data-label="{h_status}"><span class="badge s-{status}">{status_label}</span></td>'
        '<td class="nowrap" data-label="{h_light}"><span class="light {css}" title="{why}">{light}</span></td>'
        '<td class="nowrap muted small" data-label="{h_last}">{last}</td>{edit}</tr>',
        pk=task.pk, select=select, number=number, url=url, title=Truncator(task.title).chars(90),
        lead=task.lead_org.name if task.lead_org_id else "—", co=co, leader=task.leader_name or "—",
        deadline=deadline, status=task.status, status_label=task.get_status_display(), css=css, light=words[css], why=words[f"why_{css}"],
        last=last, edit=edit,
        **{key: value for key, value in words.items() if key.startswith("h_")},
    )


@register.filter
def light_name(light: str) -> str:
    """The light's one name on every page: 红灯（逾期）, 黄灯（预警）, 绿灯."""
    return str(Task.Light(light).label) if light in Task.Light.values else str(Task.Light.GREEN.label)
