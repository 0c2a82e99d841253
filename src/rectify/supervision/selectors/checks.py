"""Formalism flags (反形式主义) for a task and for a whole plan, from rules.formalism.

Vague or slogan measures, measures repeated within the plan or copied from other units' plans,
rules (RuleChange.text) copied from other units, closures resting on meeting notices only, and
数字整改 progress. Other units' texts are compared but never shown: a flag names the other unit only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from rectify.inspections.models import Inspection
from rectify.language import localize
from rectify.ledger.models import Evidence, Progress, RuleChange, Task
from rectify.supervision.rules.formalism import (
    EvidenceFile,
    Flag,
    TextItem,
    check_closure_evidence,
    check_copied_rules,
    check_duplicate_measures,
    check_measure,
    check_progress,
)

# How many measures and rules of other units a plan is compared with (the newest ones).
OTHER_PLANS_LIMIT = 5000
FLAGS_PER_KIND = 5  # on a task page
CLOSING = (Task.Status.SUBMITTED, Task.Status.REVIEWED, Task.Status.CLOSED)


LABELS = {
    "vague_measure": gettext_lazy("措施空泛"),
    "slogan_measure": gettext_lazy("口号式措施"),
    "missing_owner": gettext_lazy("责任不明"),
    "missing_deadline": gettext_lazy("时限不明"),
    "duplicate_measure": gettext_lazy("措施雷同"),
    "copied_measure": gettext_lazy("照抄照搬"),
    "copied_rule": gettext_lazy("照抄制度"),
    "no_evidence": gettext_lazy("缺少佐证"),
    "meeting_notice_only": gettext_lazy("以会代改"),
    "minutes_without_outcome": gettext_lazy("纪要无结果"),
    "numbers_without_result": gettext_lazy("数字整改"),
}


@dataclass(frozen=True)
class FlagView:
    """A flag as pages show it: code, message (in the page's language), and evidence from the task's
    own unit only."""

    code: str
    message: str
    evidence: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return str(LABELS.get(self.code, self.code))


@dataclass
class PlanFlags:
    tasks: list[tuple[Task, list[FlagView]]]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def flagged(self) -> int:
        return sum(1 for _t, flags in self.tasks if flags)


def _owner(task: Task) -> str:
    return task.leader_name or (task.lead_org.name if task.lead_org_id and task.lead_org else "")


def _others(inspection: Inspection) -> tuple[list[TextItem], list[TextItem]]:
    """The newest measures and rules of other units' plans."""
    measures = [
        TextItem(f"o{pk}", title, name)
        for pk, title, name in Task.objects.exclude(unit_id=inspection.target_id)
        .order_by("-pk").values_list("pk", "title", "unit__name")[:OTHER_PLANS_LIMIT]
    ]
    rules = [
        TextItem(f"s{pk}", text, name)
        for pk, text, name in RuleChange.objects.exclude(unit_id=inspection.target_id).exclude(text="")
        .order_by("-pk").values_list("pk", "text", "unit__name")[:OTHER_PLANS_LIMIT]
    ]
    return measures, rules


def _view(flag: Flag) -> FlagView:
    # Evidence of other units stays hidden: copied_* flags carry (own text, other text).
    evidence = flag.evidence
    if flag.code in ("copied_measure", "copied_rule"):
        evidence = evidence[:1]
    return FlagView(flag.code, _message(flag), tuple(evidence))


def _message(flag: Flag) -> str:
    """The flag's message in the page's language."""
    return localize(flag.message_zh)


def _flags_for(tasks: list[Task], inspection: Inspection, only: Iterable[int] | None = None,
               per_kind: int | None = None) -> dict[int, list[FlagView]]:
    """Flags of the `only` tasks (all by default) against the plan `tasks`; at most `per_kind` of a kind each."""
    wanted = set(only) if only is not None else {t.pk for t in tasks}
    unit_name = inspection.target.name
    found: dict[int, list[FlagView]] = defaultdict(list)
    by_pk = {t.pk: t for t in tasks}
    other_measures, other_rules = _others(inspection)

    for task in tasks:
        if task.pk in wanted:
            flags = check_measure(task.title, owner=_owner(task), deadline=task.deadline, category=task.category,
                                  strict=True)
            found[task.pk].extend(_view(f) for f in flags)

    plan = [TextItem(str(t.pk), t.title, unit_name) for t in tasks]
    kept: dict[tuple[int, str], int] = defaultdict(int)
    for flag in check_duplicate_measures(plan, other_measures, only={str(pk) for pk in wanted}, per_item=per_kind):
        for key in flag.subjects:
            if key.isdigit() and int(key) in wanted:
                kept[int(key), flag.code] += 1
                if per_kind is None or kept[int(key), flag.code] <= per_kind:
                    found[int(key)].append(_view(flag))

    rules = list(RuleChange.objects.filter(inspection=inspection, task_id__in=wanted).exclude(text=""))
    rule_task = {f"r{r.pk}": r.task_id for r in rules}
    for flag in check_copied_rules([TextItem(f"r{r.pk}", r.text, unit_name) for r in rules], other_rules):
        task_id = rule_task.get(flag.subjects[0]) if flag.subjects else None
        if task_id in wanted:
            found[task_id].append(_view(flag))  # type: ignore[index]

    evidence: dict[int, list[EvidenceFile]] = defaultdict(list)
    closing = [pk for pk in wanted if by_pk[pk].status in CLOSING]
    for task_id, name, meeting in Evidence.objects.filter(task_id__in=closing).order_by("pk").values_list(
        "task_id", "original_name", "is_meeting_notice"
    ):
        # The ledger already judged the upload a meeting notice: say so in the name the rule reads.
        evidence[task_id].append(EvidenceFile(f"会议通知 {name}" if meeting else name))
    latest: dict[int, str] = {}
    for task_id, text in Progress.objects.filter(task_id__in=wanted).order_by("task_id", "-reported_on", "-pk") \
            .values_list("task_id", "text"):
        latest.setdefault(task_id, text)
    for pk in closing:
        found[pk].extend(_view(f) for f in check_closure_evidence(evidence[pk], summary=latest.get(pk, "")))
    for pk, text in latest.items():
        found[pk].extend(_view(f) for f in check_progress(text))
    return found


def formalism_flags(task: Task) -> list[FlagView]:
    """反形式主义 flags of one task: vague measure, duplicates, copied rules, meeting-only closure, 数字整改."""
    inspection = task.inspection
    # The rest of the plan is only compared by title.
    plan = [task, *Task.objects.filter(inspection=inspection).exclude(pk=task.pk).only("pk", "title")
            .order_by("position", "pk")]
    flags = _flags_for(plan, inspection, only=[task.pk], per_kind=FLAGS_PER_KIND).get(task.pk, [])
    # The closest few of each kind (they come best first): a measure copied a thousand times is
    # one finding for the reader, not a thousand lines.
    shown: dict[str, int] = defaultdict(int)
    kept = []
    for flag in flags:
        shown[flag.code] += 1
        if shown[flag.code] <= FLAGS_PER_KIND:
            kept.append(flag)
    return kept


def plan_flags(inspection: Inspection) -> PlanFlags:
    """反形式主义 flags of every task of a plan, for the plan review page."""
    tasks = list(
        Task.objects.filter(inspection=inspection).select_related("lead_org", "finding").order_by("position", "pk")
    )
    found = _flags_for(tasks, inspection)
    counts: dict[str, int] = defaultdict(int)
    for flags in found.values():
        for flag in flags:
            counts[flag.code] += 1
    return PlanFlags([(t, found.get(t.pk, [])) for t in tasks], dict(counts))
