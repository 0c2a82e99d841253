"""Internal reports, written from the whole ledger (exempt items included and marked):

- 整改情况报告 (`internal_draft`): to the inspecting body; every task with its status, leader,
  department, deadline and latest progress; rules made, leads, outcomes — as tables.
- 主要负责人组织落实情况报告 (`leader_draft`): the principal's own account of organizing the
  rectification: the tasks they lead, the closures they approved, each leader's share.

Both are due `Inspection.report_due` (2 months after feedback by default); see
`selectors.reports_due`.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from rectify import clock
from rectify.inspections.models import Finding, Inspection
from rectify.ledger.models import ClosureReview, Lead, Task
from rectify.notice.render import short_unit
from rectify.organizations.models import Membership, Role, User
from rectify.reports.compose import (
    LedgerFacts,
    ReportDraft,
    SectionDraft,
    inspection_phrase,
    notice_title,
    number_text,
    numbered,
    progress_sentence,
    sentence,
)
from rectify.reports.gbt9704 import chinese_date, chinese_date_range
from rectify.rules import wording

_EXEMPT_MARK = "（不予公开）"


def table(headers: list[str], rows: list[list[Any]], widths: list[float]) -> dict[str, Any]:
    """A table as a section stores it: strings only, so it freezes into a version's JSON."""
    def cell(value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return chinese_date(value)
        return str(value)

    return {"headers": headers, "rows": [[cell(v) for v in row] for row in rows], "widths": widths}


def addressee(inspection: Inspection) -> str:
    """省委巡视工作领导小组: the body the internal reports go to."""
    return f"{inspection.inspector}{inspection.kind}工作领导小组" if inspection.inspector else ""


def _inspection_sentence(inspection: Inspection, unit: str) -> str:
    kind = inspection.kind
    parts = [f"根据{inspection.inspector}统一部署，" if inspection.inspector else "根据统一部署，"]
    if inspection.onsite_start and inspection.onsite_end:
        parts.append(f"{chinese_date_range(inspection.onsite_start, inspection.onsite_end)}，")
    group = inspection.group or f"{kind}组"
    parts.append(f"{inspection.inspector}{group}对{unit}开展了{inspection.type}{kind}。")
    if inspection.feedback_date:
        parts.append(f"{chinese_date(inspection.feedback_date)}，{inspection.inspector}{kind}组反馈了{kind}意见。")
    return "".join(parts)


def _status(task: Task, today: dt.date) -> str:
    label = task.get_status_display()
    if task.is_overdue(today):
        label += "（逾期）"
    return label


def _task_rows(facts: LedgerFacts, today: dt.date) -> list[list[Any]]:
    findings = {f.pk: f for f in facts.findings}
    rows = []
    for number, task in enumerate(facts.tasks, start=1):
        finding = findings.get(task.finding_id)
        progress = facts.latest.get(task.pk)
        rows.append([
            number,
            f"{finding.label}{finding.title}" if finding else "",
            task.title + (_EXEMPT_MARK if task.exempt else ""),
            task.leader_name or (task.leader.display_name if task.leader else ""),
            task.lead_org.name if task.lead_org else "",
            task.deadline if task.deadline else task.get_category_display(),
            _status(task, today),
            f"{chinese_date(progress.reported_on)}：{progress.text}" if progress else "",
        ])
    return rows


def _findings_text(facts: LedgerFacts) -> str:
    """The findings tree in its order, with its own labels: each 方面 heading, then its problems, each
    with how many of its tasks are done."""
    lines: list[str] = []

    def walk(parent_id: int | None) -> None:
        for finding in facts.children.get(parent_id, []):
            if finding.kind != Finding.Kind.PROBLEM:
                continue
            tasks = facts.tasks_of.get(finding.pk, [])
            mark = _EXEMPT_MARK if finding.exempt else ""
            line = f"{wording.full_width_label(finding.label)}{finding.title.strip().rstrip('。；;，,')}{mark}"
            if tasks:
                # After a 。 the count runs on in body type after the heading, as 公文 write it.
                line += f"。{facts.progress(tasks, rest=False)}。"
            lines.append(line)
            walk(finding.pk)

    walk(None)
    return "\n".join(lines)


def internal_draft(inspection: Inspection, *, day: dt.date | None = None) -> ReportDraft:
    """整改情况报告: every task, rule, lead and outcome of the inspection (internal, exempt included)."""
    day = day or clock.today()
    facts = LedgerFacts.read(inspection)
    unit = short_unit(inspection.target.name, inspection.inspector)
    kind = inspection.kind
    overdue = sum(1 for t in facts.tasks if t.is_overdue(day))
    sections = [
        SectionDraft("opening", "", _inspection_sentence(inspection, unit) + f"现将{kind}整改情况报告如下："),
        SectionDraft("organisation", "整改工作组织开展情况",
                     "\n".join(line for line in (sentence(facts.as_stated()), progress_sentence(facts, day)) if line)),
        SectionDraft("tasks", "反馈问题整改落实情况", _findings_text(facts)),
    ]
    # The full ledger goes after the signature as an attachment, on landscape pages.
    ledger_table = table(["序号", "反馈问题", "整改任务", "责任领导", "牵头单位", "完成时限", "状态", "最新进展"],
                         _task_rows(facts, day), [1, 3.5, 8, 1.5, 2, 2, 1.5, 4.5])
    ledger_table["appendix"] = "整改任务台账"
    if facts.rules:
        sections.append(SectionDraft(
            "rules", "建章立制情况", f"因{kind}整改制定、修订或废止制度{len(facts.rules)}项。",
            table(["序号", "制度名称", "类别", "文号", "印发日期"],
                  [[i, r.title, r.get_action_display(), r.document_no, r.issued_on] for i, r in enumerate(facts.rules, 1)],
                  [1, 5, 1.5, 2.5, 2.5]),
        ))
    concluded = sum(1 for lead in facts.leads if lead.status == Lead.Status.CONCLUDED)
    sections.append(SectionDraft(
        "leads", "问题线索和信访件办理情况",
        f"{kind}组移交问题线索和信访件{len(facts.leads)}件，已办结{concluded}件。" if facts.leads else "无移交的问题线索和信访件。",
        table(["序号", "类别", "编号", "内容摘要", "承办单位", "状态", "办结日期"],
              [[i, lead.get_kind_display(), lead.reference, lead.summary, lead.handler_org.name if lead.handler_org else "",
                lead.get_status_display(), lead.concluded_on] for i, lead in enumerate(facts.leads, 1)],
              [1, 1.5, 1.5, 5, 2, 1.5, 2]) if facts.leads else None,
    ))
    if facts.outcomes:
        sections.append(SectionDraft(
            "outcomes", "整改成效", "；".join(wording.quantity(w, v, u) for w, v, u in facts.outcome_totals()) + "。",
            table(["序号", "类别", "事项", "数值", "单位", "记录日期", "是否公开"],
                  [[i, o.get_kind_display(), o.what, number_text(o.value), o.value_unit, o.recorded_on,
                    "否" if o.exempt else "是"] for i, o in enumerate(facts.outcomes, 1)],
                  [1, 2, 4, 1.5, 1, 2.5, 1.5]),
        ))
    open_tasks = len(facts.tasks) - facts.closed()
    sections.append(SectionDraft(
        "next_steps", "存在的问题和下一步工作打算",
        "\n".join([
            f"目前尚有{open_tasks}项整改任务未完成，其中逾期{overdue}项。" if open_tasks else "整改任务已全部完成。",
            f"下一步，将坚持目标不变、标准不降、力度不减，持续抓好{kind}整改，对逾期任务督促责任单位限期完成，"
            "对已销号任务适时开展回头看，坚决防止问题反弹。",
        ]),
    ))
    sections.append(SectionDraft("ledger", "", "", ledger_table))
    return ReportDraft(
        title=notice_title(inspection, what="整改情况的报告"),
        signer=inspection.target.name,
        sections=numbered(sections),
        addressee=addressee(inspection),
    )


def principal(inspection: Inspection) -> User | None:
    """The unit's principal leader (主要负责人): a leader membership marked principal."""
    membership = (
        Membership.objects.filter(organization=inspection.target, role=Role.LEADER, is_principal=True)
        .select_related("user").order_by("id").first()
    )
    return membership.user if membership else None


def leader_draft(inspection: Inspection, *, day: dt.date | None = None) -> ReportDraft:
    """主要负责人组织落实情况报告: the principal's tasks and approvals, and each leader's share."""
    day = day or clock.today()
    facts = LedgerFacts.read(inspection)
    kind = inspection.kind
    unit = short_unit(inspection.target.name, inspection.inspector)
    person = principal(inspection)
    name = person.display_name if person else "主要负责人"
    own = [t for t in facts.tasks if person is not None and t.leader_id == person.pk]
    approvals = (
        ClosureReview.objects.filter(task__inspection=inspection, stage=ClosureReview.Stage.LEADER, reviewer=person)
        .values_list("decision", flat=True) if person else []
    )
    approved = sum(1 for d in approvals if d == ClosureReview.Decision.APPROVE)
    returned = sum(1 for d in approvals if d == ClosureReview.Decision.RETURN)

    shares: dict[str, list[Task]] = defaultdict(list)
    unassigned: list[Task] = []
    for task in facts.tasks:
        leader = task.leader_name.strip() or (task.leader.display_name if task.leader else "")
        (shares[leader] if leader else unassigned).append(task)

    def share_row(i: int | str, leader: str, tasks: list[Task]) -> list[Any]:
        done = facts.closed(tasks)
        return [i, leader, len(tasks), done, len(tasks) - done, sum(1 for t in tasks if t.is_overdue(day))]

    rows = [share_row(i, leader, tasks) for i, (leader, tasks) in enumerate(shares.items(), start=1)]
    if unassigned:  # a row of its own, never counted as a leader
        rows.append(share_row("", "未明确责任领导", unassigned))
    leaders_text = (f"{len(shares)}名责任领导分别牵头推进" if shares else "")
    if unassigned:
        leaders_text += (f"，另有{len(unassigned)}" if leaders_text else f"{len(unassigned)}") + "项整改任务尚未明确责任领导"
    sections = [
        SectionDraft("opening", "", _inspection_sentence(inspection, unit)
                     + f"作为{unit}主要负责人，现将本人组织落实{kind}整改情况报告如下："),
        SectionDraft("duty", "履行整改第一责任人职责情况", "\n".join([
            f"本人切实履行{kind}整改第一责任人职责，主持研究制定整改方案，对重点问题亲自部署、亲自协调、亲自督办。",
            sentence(f"本人作为责任领导牵头的{facts.progress(own, rest=False)}")
            if own else "本人统筹协调全部整改任务，督促各责任领导落实分管领域整改责任。",
            sentence(f"审批同意销号{approved}项，退回重新整改{returned}项") if approved or returned else "",
        ]).strip()),
        SectionDraft("leaders", "班子成员落实整改责任情况",
                     sentence(f"班子成员按照分工认领整改任务，{leaders_text}") if leaders_text else "",
                     table(["序号", "责任领导", "整改任务", "已完成", "未完成", "逾期"], rows, [1, 3, 2, 2, 2, 2])),
        SectionDraft("progress", "整改任务完成情况", progress_sentence(facts, day)),
        SectionDraft("next_steps", "下一步工作打算",
                     f"本人将继续履行第一责任人职责，坚持目标不变、标准不降、力度不减，定期听取整改进展汇报，"
                     f"持续巩固深化{kind}整改成果。"),
    ]
    return ReportDraft(
        title=f"{inspection.target.name}主要负责人关于组织落实{inspection_phrase(inspection)}整改情况的报告",
        signer=name,
        sections=numbered(sections),
        addressee=addressee(inspection),
    )
