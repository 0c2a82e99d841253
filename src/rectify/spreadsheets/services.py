"""Import an Excel ledger (整改台账) into an inspection's plan, and export the plan as a ledger.

The reading itself is pure (`read_ledger`, `write_ledger`); here each ledger row is matched to the
unit's departments and leaders and checked as `create_task` checks a task, and the plan is written in
batches by `ledger.PlanWriter`, all in one transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from rectify import bulk, clock, language
from rectify.audit import services as audit
from rectify.errors import Forbidden, NotVisible, RectifyError
from rectify.inspections.models import Finding, Inspection
from rectify.ledger import services as ledger
from rectify.ledger.models import Progress, Task
from rectify.ledger.selectors import inspections_visible_to
from rectify.ledger.services.batch import unit_members
from rectify.organizations.models import Membership, Organization, Role, User
from rectify.organizations.scoping import ALLOWED, UNIT_ROLES, Action, require_unit, roles_over_unit
from rectify.spreadsheets.model import (
    CATEGORY_DEADLINE,
    CATEGORY_IMMEDIATE,
    CATEGORY_LONG_TERM,
    FIELD_LABELS,
    ExportRow,
    LedgerParse,
    LedgerRow,
    RowError,
)
from rectify.spreadsheets.progress import progress_entries
from rectify.spreadsheets.reader import read_ledger
from rectify.spreadsheets.writer import write_ledger

__all__ = ["LedgerImportResult", "describe_error", "export_ledger", "import_ledger", "localize"]

CATEGORY_OF_LABEL = {
    CATEGORY_IMMEDIATE: Task.Category.IMMEDIATE,
    CATEGORY_DEADLINE: Task.Category.DEADLINE,
    CATEGORY_LONG_TERM: Task.Category.LONG_TERM,
}
LABEL_OF_CATEGORY: dict[str, str] = {value: label for label, value in CATEGORY_OF_LABEL.items()}
# Which ledger column a service's `ValidationFailed.field` points at.
COLUMN_OF_FIELD = {
    "title": "measure",
    "deadline": "deadline",
    "category": "category",
    "lead_org": "lead_org",
    "co_orgs": "co_orgs",
    "leader": "leader",
    "leader_name": "leader",
    "finding": "finding",
    "parent": "finding",
    "text": "progress",
    "reported_on": "progress",
}
# An import's progress report: (rows checked, rows), every PROGRESS_EVERY rows (a background import's page).
ProgressCallback = Callable[[int, int], None]
PROGRESS_EVERY = 500
# Rows checked and written together: what a large import holds of tasks, progress and audit events at once.
WRITE_BATCH = 2000
LEADER_NAME_MAX = Task._meta.get_field("leader_name").max_length or 128

_SPACES = re.compile(r"\s+")
_ROLE_MARK = re.compile(r"[(\[【]\s*(?:牵头|牵头单位|主责|负责|配合|配合单位|协办|协同|参与)\s*[)\]】]")
_BRACKETED = re.compile(r"[(\[【][^)\]】]*[)\]】]")


@dataclass
class LedgerImportResult:
    """What an import read, what it wrote (or would write, in a dry run), and every row it refused."""

    parse: LedgerParse
    errors: list[RowError] = field(default_factory=list)  # the reader's and the import's, in sheet order
    created: dict[str, int] = field(default_factory=dict)
    reused_findings: int = 0
    dry_run: bool = False
    committed: bool = False  # True when the rows were written to the database
    warnings: list[str] = field(default_factory=list)

    @property
    def imported_rows(self) -> int:
        return self.created.get("tasks", 0)

    def to_json(self) -> dict[str, Any]:
        """The reader's contract ({"tasks", "errors"}) plus what was created."""
        return {
            **self.parse.to_json(),
            "errors": [error.to_json() for error in self.errors],
            "created": dict(self.created),
            "reused_findings": self.reused_findings,
            "dry_run": self.dry_run,
            "committed": self.committed,
            "warnings": list(self.warnings),
        }


def localize(text: Any) -> Any:
    """A reader's `Message` in the active language (Chinese when none is active); anything else unchanged."""
    return language.localize(text)


def describe_error(error: RowError) -> str:
    """One line naming the sheet, the row and the column: 第 5 行「牵头单位」未找到部门：宣传处（工作表…，F 列）."""
    place = _("工作表「%(sheet)s」") % {"sheet": error.sheet}
    if error.column:
        place += _("，%(column)s 列") % {"column": error.column}
    return _("第 %(row)d 行%(why)s（%(place)s）") % {"row": error.row, "why": localize(error.why), "place": place}


def import_ledger(
    actor: User,
    inspection: Inspection,
    *,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    skip_bad_rows: bool = False,
    progress: ProgressCallback | None = None,
) -> LedgerImportResult:
    """Import an Excel ledger (导入整改台账) into the plan, all or nothing unless `skip_bad_rows`.

    Raises `LedgerFileError` when the file cannot be read at all, `NotVisible`/`Forbidden` when
    the actor may not edit this inspection's plan. `progress(rows_checked, rows)` is told how far the
    checks are (every PROGRESS_EVERY rows, and once all are checked, before the writing).
    """
    require_unit(actor, Action.EDIT_PLAN, inspection.target)
    with bulk.paused_gc():
        return _import(actor, inspection, data=data, filename=filename, dry_run=dry_run, skip_bad_rows=skip_bad_rows,
                       progress=progress)


def _import(
    actor: User, inspection: Inspection, *, data: bytes, filename: str, dry_run: bool, skip_bad_rows: bool,
    progress: ProgressCallback | None = None,
) -> LedgerImportResult:
    parsed = read_ledger(data, filename, year=inspection.year)
    result = LedgerImportResult(parse=parsed, dry_run=dry_run)
    rows = parsed.in_order()  # a finding's own row (one with no task yet) in its place among the tasks
    total = len(rows)
    if progress:
        progress(0, total)
    with transaction.atomic():
        importer = _Importer(actor, inspection, parsed)
        # Rows are written batch by batch as they pass their checks, so the import never holds more than
        # one batch of tasks, progress and audit events. All or nothing: the first refused row stops the
        # writing (the checks go on, to name every bad row) and what was written rolls back with this block.
        writer = ledger.PlanWriter(actor, inspection) if not dry_run and (skip_bad_rows or not parsed.errors) else None
        row_errors: list[RowError] = []
        for index, row in enumerate(rows, 1):
            if (error := importer.plan_row(row)) is not None:
                row_errors.append(error)
                if not skip_bad_rows:
                    writer = None
            if len(importer.rows) >= WRITE_BATCH:
                importer.write(writer)
            if progress and (index % PROGRESS_EVERY == 0 or index == total):
                progress(index, total)
        result.errors = _in_sheet_order(parsed, [*parsed.errors, *row_errors])
        result.created = importer.created
        result.reused_findings = importer.reused
        result.warnings = importer.warnings()
        if writer is not None and (importer.rows or importer.written or importer.new_findings()):
            importer.write(writer)
            writer.finish()
            audit.record(
                actor, "ledger.import", inspection, unit_id=inspection.target_id,
                after={"filename": filename, **importer.created, "errors": len(result.errors)},
            )
            result.committed = True
        elif importer.written:
            transaction.set_rollback(True)  # batches written before a refused row: nothing stays
    return result


def _in_sheet_order(parsed: LedgerParse, errors: list[RowError]) -> list[RowError]:
    order = {sheet.name: index for index, sheet in enumerate(parsed.sheets)}
    return sorted(errors, key=lambda e: (order.get(e.sheet, len(order)), e.row, e.column or ""))


@lru_cache(maxsize=16384)
def _norm(text: str) -> str:
    """Compare names and titles ignoring width, spaces and role marks such as "（牵头）"."""
    text = unicodedata.normalize("NFKC", text or "")
    return _SPACES.sub("", _ROLE_MARK.sub("", text))


class _RowFailed(Exception):
    def __init__(self, column_field: str | None, why: str) -> None:
        super().__init__(why)
        self.column_field = column_field
        self.why = why


class _Importer:
    """Turns ledger rows into findings and tasks; caches what it found so each name is looked up once."""

    def __init__(self, actor: User, inspection: Inspection, parsed: LedgerParse) -> None:
        self.actor = actor
        self.inspection = inspection
        self.unit = inspection.target
        self.created = {"aspects": 0, "findings": 0, "tasks": 0, "progress": 0}
        self.reused = 0
        self.progress_skipped = 0
        self.columns = {
            sheet.name: {
                col.field: (col.letter, (col.header.split("/")[-1].strip() or FIELD_LABELS[col.field]))
                for col in reversed(sheet.columns)
                if col.field
            }
            for sheet in parsed.sheets
        }
        existing = list(Finding.objects.filter(inspection=inspection).order_by("level", "position", "id"))
        by_pk = {finding.pk: finding for finding in existing}
        for finding in existing:
            finding.inspection = inspection  # the checks read finding.inspection and parent: no query per row
            finding.parent = by_pk.get(finding.parent_id) if finding.parent_id is not None else None
        self.rows: list[ledger.PlanRow] = []  # planned since the last batch was written
        self.written = 0
        self.made: list[Finding] = []  # findings this import has written so far
        self.answered: set[int] = set()  # findings (by id()) a task of an earlier batch answers
        self.parents: set[int] = set()  # findings (by id()) with a finding below them
        self.members = unit_members(inspection)
        self.findings: list[Finding] = []
        self.by_title: dict[str, list[Finding]] = {}
        self.aspects: dict[str, Finding] = {}
        for finding in existing:
            self.remember(finding)
        self.position = max((f.position for f in existing), default=-1) + 1
        self.task_position = inspection.tasks.count()
        self.matched: dict[str, Organization | None] = {}
        self.departments = list(
            Organization.objects.filter(kind=Organization.Kind.DEPARTMENT, path__startswith=self.unit.path)
        )
        self.leaders: dict[str, User] = {}
        for membership in Membership.objects.filter(
            role=Role.LEADER, organization__path__startswith=self.unit.path
        ).select_related("user"):
            name = _norm(membership.user.full_name)
            if name:
                self.leaders.setdefault(name, membership.user)
        roles = roles_over_unit(actor, self.unit)
        self.may_report = bool(roles & ALLOWED[Action.REPORT_PROGRESS])
        # Tasks already in the plan: importing the same ledger again (or an export of it) adds nothing.
        self.existing_tasks = {
            (id(by_pk[finding_id]), _norm(title))
            for finding_id, title in inspection.tasks.values_list("finding_id", "title")
        }
        self.already_there = 0

    # ------------------------------------------------------------------ rows

    def plan_row(self, row: LedgerRow) -> RowError | None:
        """Match and check one row; a refused row leaves nothing behind (not even its new problems)."""
        known = len(self.findings)
        counts = dict(self.created)
        reused = self.reused
        try:
            self._plan(row)
        except (_RowFailed, RectifyError) as error:
            for finding in self.findings[known:]:
                self.forget(finding)
            self.created, self.reused = counts, reused
            if isinstance(error, _RowFailed):
                return self.row_error(row, error.column_field, error.why)
            return self.row_error(row, COLUMN_OF_FIELD.get(error.field or ""), error.message)
        return None

    def new_findings(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.pk is None]

    def write(self, writer: ledger.PlanWriter | None) -> None:
        """Write the rows planned since the last batch (with the findings they added), or, when nothing is
        to be written (a dry run, or a refused row in an all-or-nothing import), only let them go."""
        self.answered.update(id(row.task.finding) for row in self.rows)  # before writing replaces the objects
        if writer is not None and (self.rows or self.new_findings()):
            self.made += self.new_findings()
            writer.add(findings=self.new_findings(), rows=self.rows)
            self.written += len(self.rows)
        self.rows = []

    def row_error(self, row: LedgerRow, column_field: str | None, why: str) -> RowError:
        letter = self.columns.get(row.sheet, {}).get(column_field or "", (None, ""))[0]
        return RowError(row.sheet, row.row, letter, why)

    def remember(self, finding: Finding) -> None:
        self.findings.append(finding)
        if finding.parent is not None:
            self.parents.add(id(finding.parent))
        self.by_title.setdefault(_norm(finding.title), []).append(finding)
        if finding.level == Finding.Level.ASPECT:
            self.aspects.setdefault(_norm(finding.title), finding)

    def forget(self, finding: Finding) -> None:
        self.findings.remove(finding)
        key = _norm(finding.title)
        self.by_title[key].remove(finding)
        if self.aspects.get(key) is finding:
            del self.aspects[key]

    def label(self, row: LedgerRow, column_field: str) -> str:
        return localize(self.columns.get(row.sheet, {}).get(column_field, (None, FIELD_LABELS[column_field]))[1])

    def _plan(self, row: LedgerRow) -> None:
        lead_orgs = self.match_orgs(row, "lead_org", row.lead_org)
        co_orgs = [org for org in self.match_orgs(row, "co_orgs", row.co_orgs) if org not in lead_orgs]
        leader, leader_name = self.match_leader(row)
        finding = self.finding_for(row)
        if not row.measure:
            return  # a finding with no task yet
        if self.existing_tasks and (id(finding), _norm(row.measure)) in self.existing_tasks:
            self.already_there += 1
            return
        task = bulk.new(
            Task, inspection=self.inspection, finding=finding, unit=self.unit, title=row.measure,
            category=CATEGORY_OF_LABEL.get(row.category, Task.Category.DEADLINE), deadline=row.deadline,
            leader=leader, leader_name=leader_name.strip(), lead_org=lead_orgs[0] if lead_orgs else None,
            position=self.task_position, number=(row.number or "")[:32],  # the plan's own 序号, shown on its pages
        )
        # Joint leads: the first leads, the others co-operate.
        planned = ledger.PlanRow(task, co_orgs=[*lead_orgs[1:], *co_orgs], progress=row.progress or "")
        if planned.progress and not self.may_report:
            planned.progress = ""
            self.progress_skipped += 1
        ledger.check_plan_row(planned, members=self.members)
        if planned.progress:
            # The history the office kept: each dated entry, reported for the department it names.
            planned.history = [
                (entry.reported_on, entry.text, self.named_department(entry.text))
                for entry in progress_entries(planned.progress, year=self.inspection.feedback_date.year
                                              if self.inspection.feedback_date else None)
            ]
            self.created["progress"] += len(planned.history)
        self.rows.append(planned)
        self.task_position += 1
        self.created["tasks"] += 1

    def named_department(self, text: str) -> Organization | None:
        """The unit's department a progress entry names ("办公室：…", "（财务处）"), the longest name first."""
        found: tuple[int, Organization] | None = None
        for org in self.departments:
            for name in (org.name, org.short_name):
                if name and len(name) >= 2 and name in text and (found is None or len(name) > found[0]):
                    found = (len(name), org)
        return found[1] if found else None

    def warnings(self) -> list[str]:
        found: list[str] = []
        answered = self.answered | {id(row.task.finding) for row in self.rows}
        bare = sum(1 for f in [*self.made, *self.new_findings()] if id(f) not in answered and id(f) not in self.parents)
        if bare:
            found.append(ngettext(
                "%(count)d 个反馈问题尚无整改措施，已只导入问题",
                "%(count)d 个反馈问题尚无整改措施，已只导入问题",
                bare,
            ) % {"count": bare})
        if self.already_there:
            found.append(ngettext(
                "%(count)d 行与台账中已有的任务相同（同一问题下的同一措施），已跳过",
                "%(count)d 行与台账中已有的任务相同（同一问题下的同一措施），已跳过",
                self.already_there,
            ) % {"count": self.already_there})
        if self.progress_skipped:
            found.append(ngettext(
                "%(count)d 条「整改进展」未导入：当前用户无权报送整改进展（请由整改办账号导入）",
                "%(count)d 条「整改进展」未导入：当前用户无权报送整改进展（请由整改办账号导入）",
                self.progress_skipped,
            ) % {"count": self.progress_skipped})
        return found

    # ------------------------------------------------------------------ matching

    def match_orgs(self, row: LedgerRow, column_field: str, names: Iterable[str]) -> list[Organization]:
        found: list[Organization] = []
        for name in names:
            org = self.department(name)
            if org is None:
                raise _RowFailed(
                    column_field,
                    _("「%(label)s」未找到部门：%(name)s") % {"label": self.label(row, column_field), "name": name},
                )
            if org not in found:
                found.append(org)
        return found

    def department(self, name: str) -> Organization | None:
        """The department a ledger cell names (names repeat down a sheet: each is matched once)."""
        if name not in self.matched:
            self.matched[name] = self._department(name)
        return self.matched[name]

    def _department(self, name: str) -> Organization | None:
        """Exact name, then normalized name or 简称, then a unique containment match."""
        for org in self.departments:
            if org.name == name:
                return org
        wanted = _norm(name)
        if not wanted:
            return None
        same = [org for org in self.departments if wanted in {_norm(org.name), _norm(org.short_name)}]
        if len(same) == 1:
            return same[0]
        if same:
            return None
        close = [
            org
            for org in self.departments
            if any(n and (wanted in n or n in wanted) for n in (_norm(org.name), _norm(org.short_name)))
        ]
        return close[0] if len(close) == 1 else None

    def match_leader(self, row: LedgerRow) -> tuple[User | None, str]:
        names = [name.strip() for name in row.leader if name.strip()]
        leader_name = "、".join(names)
        if len(leader_name) > LEADER_NAME_MAX:
            raise _RowFailed("leader", _("「%(label)s」过长") % {"label": self.label(row, "leader")})
        for name in names:
            user = self.leaders.get(_norm(name)) or self.leaders.get(_norm(_BRACKETED.sub("", _norm(name))))
            if user is not None:
                return user, leader_name
        return None, leader_name

    def finding_for(self, row: LedgerRow) -> Finding:
        """The finding a row's measure answers: its 子问题 if it names one, else its problem."""
        problem = self.problem_for(row)
        if not row.sub_problem:
            assert problem is not None  # problem_for refuses a row with no level above its measure
            return problem
        same = [f for f in self.by_title.get(_norm(row.sub_problem), []) if f.parent is problem]
        if same:
            self.reused += 1
            return same[0]
        finding = self.new_finding(row.sub_problem, parent=problem, label=row.sub_problem_label,
                                   level=Finding.Level.SUB_PROBLEM)
        self.remember(finding)
        self.created["findings"] += 1
        return finding

    def problem_for(self, row: LedgerRow) -> Finding | None:
        """The row's 问题; its 方面 where the plan has no 问题 level; None for a 子问题 with neither above it."""
        aspect = self.aspect_for(row.aspect, label=row.aspect_label) if row.aspect and not row.without_aspect else None
        if not row.finding:
            if aspect is None and not (row.without_aspect and row.sub_problem):
                raise _RowFailed("finding", _("「问题标题」不能为空"))
            return aspect  # no 问题 level: the row answers the aspect (or a root 子问题)
        if aspect is not None and _norm(row.finding) == _norm(row.aspect):
            return aspect  # a measure answering the aspect itself (an aspect with no 问题 level)
        same = self.by_title.get(_norm(row.finding), [])
        if aspect is not None:
            under = [f for f in same if f.parent is aspect]
            same = under or [f for f in same if f.level > 1]
        elif row.without_aspect:
            same = [f for f in same if f.parent is None and f.level == Finding.Level.PROBLEM]
        if same:
            self.reused += 1
            return same[0]
        # Marked with no 方面 above it ("—"), the problem stays a 问题 at the root, as the plan has it.
        level = Finding.Level.PROBLEM if row.without_aspect else None
        finding = self.new_finding(row.finding, parent=aspect, label=row.finding_label, level=level,
                                   column="finding")
        self.remember(finding)
        self.created["findings"] += 1
        return finding

    def aspect_for(self, title: str, *, label: str = "") -> Finding:
        aspect = self.aspects.get(_norm(title))
        if aspect is None:
            aspect = self.new_finding(title, parent=None, label=label)
            self.remember(aspect)
            self.created["aspects"] += 1
        return aspect

    def new_finding(self, title: str, *, parent: Finding | None, label: str = "", level: int | None = None,
                    column: str | None = None) -> Finding:
        """A problem (or an aspect, or a sub-problem) written with the tasks by `add_to_plan`."""
        column = column or ("finding" if level is None else "sub_problem")
        title = (title or "").strip()
        if not title:
            raise _RowFailed(column, _("「问题标题」不能为空"))
        if level is None:
            level = Finding.Level.ASPECT if parent is None else parent.level + 1
        if level > Finding.Level.SUB_PROBLEM or (parent is not None and level <= parent.level):
            raise _RowFailed(column, _("问题层级最多三级（方面、问题、具体问题）"))
        return bulk.new(Finding, inspection=self.inspection, parent=parent, level=level, title=title,
                       label=label[:16], position=self.next_position())

    def next_position(self) -> int:
        self.position += 1
        return self.position - 1


# ---------------------------------------------------------------------- export


def export_ledger(actor: User, inspection: Inspection, *, per_aspect: bool = False) -> bytes:
    """Export an inspection's plan as the standard ledger workbook (导出整改台账, .xlsx bytes)."""
    visible = inspections_visible_to(actor).filter(pk=inspection.pk).first()
    if visible is None:
        raise NotVisible(_("未找到该记录"))
    if not roles_over_unit(actor, visible.target) & UNIT_ROLES:
        raise Forbidden(_("只有整改办、领导、纪检监督或巡视巡察办可以导出整改台账"))
    today = clock.today()
    # The workbook is the unit's ledger in Chinese whatever language the page is shown in
    # (status labels come from the models' choices, which follow the active language).
    with bulk.paused_gc():
        with translation.override(settings.LANGUAGE_CODE):
            rows = export_rows(visible)
        return write_ledger(
            rows,
            title=f"{visible.title}整改台账",
            unit=visible.target.name,
            date_label=f"填报日期：{today.year}年{today.month}月{today.day}日",
            per_aspect=per_aspect,
        )


def export_rows(inspection: Inspection) -> list[ExportRow]:
    """The ledger rows of an inspection, problem by problem in plan order (six plain queries in all).

    Every finding of the tree is there: one with no task (and no finding below it) gets a row of its
    own with the task cells empty.
    """
    findings = {
        f.pk: f
        for f in Finding.objects.filter(inspection=inspection).only("parent_id", "level", "label", "title", "position")
    }
    tasks = list(
        Task.objects.filter(inspection=inspection).only(
            "finding_id", "title", "leader_name", "leader_id", "lead_org_id", "deadline", "category", "status",
            "returned_count", "last_progress_at", "created_at", "position", "number",
        )
    )
    # In tree order, as the task page lists co-operating departments.
    orgs = dict(
        Organization.objects.filter(path__startswith=inspection.target.path).order_by("path").values_list("pk", "name")
    )
    rank = {pk: index for index, pk in enumerate(orgs)}
    leaders = {
        user.pk: user.display_name
        for user in User.objects.filter(pk__in={t.leader_id for t in tasks if t.leader_id and not t.leader_name})
        .only("username", "full_name")
    }
    co_orgs: dict[int, list[int]] = {}
    for task_id, org_id in Task.co_orgs.through.objects.filter(task__inspection=inspection).values_list(
        "task_id", "organization_id"
    ):
        co_orgs.setdefault(task_id, []).append(org_id)
    latest: dict[int, str] = {}
    # In date order, so the last one seen for a task is its latest progress.
    for task_id, text in Progress.objects.filter(task__inspection=inspection).order_by("reported_on", "id").values_list(
        "task_id", "text"
    ):
        latest[task_id] = text
    today = clock.today()
    status_labels = {value: str(label) for value, label in Task.Status.choices}  # translated once, not per row

    def chain(finding: Finding) -> list[Finding]:
        nodes = [finding]
        while nodes[0].parent_id is not None and nodes[0].parent_id in findings:
            nodes.insert(0, findings[nodes[0].parent_id])
        return nodes

    paths = {pk: tuple((node.position, node.pk) for node in chain(f)) for pk, f in findings.items()}
    answered = {task.finding_id for task in tasks}
    parents = {finding.parent_id for finding in findings.values()}
    bare = [pk for pk in findings if pk not in answered and pk not in parents]
    rows = []
    entries: list[tuple[Any, int, int, Task | None, int]] = [
        *((paths[t.finding_id], t.position, t.pk, t, t.finding_id) for t in tasks),
        *((paths[pk], -1, 0, None, pk) for pk in bare),
    ]
    for *_key, task, finding_id in sorted(entries, key=lambda entry: entry[:3]):
        aspect, problem, sub_problem = _levels(chain(findings[finding_id]))
        place: dict[str, Any] = {
            # Where the plan has no 问题 level (a task or a 子问题 on the aspect itself) the problem
            # cell names the aspect, so the row reads back under its own aspect; with no 方面 above
            # the finding either, the cells say so ("—") and the finding keeps its level.
            "aspect": aspect.title if aspect else None,
            "aspect_label": aspect.label if aspect else "",
            "finding": problem.title if problem else aspect.title if aspect else "",
            "finding_label": problem.label if problem else aspect.label if aspect else "",
            "sub_problem": sub_problem.title if sub_problem else None,
            "sub_problem_label": sub_problem.label if sub_problem else "",
        }
        if task is None:
            rows.append(ExportRow(**place, measure="", category=""))
            continue
        leader = [name for name in re.split(r"[、，,]", task.leader_name) if name.strip()]
        if not leader and task.leader_id in leaders:
            leader = [leaders[task.leader_id]]
        rows.append(
            ExportRow(
                **place,
                number=task.display_number,
                measure=task.title,
                leader=leader,
                lead_org=[orgs[task.lead_org_id]] if task.lead_org_id in orgs else [],
                co_orgs=[orgs[pk] for pk in sorted(co_orgs.get(task.pk, []), key=rank.__getitem__)],
                deadline=task.deadline,
                category=LABEL_OF_CATEGORY.get(task.category, CATEGORY_DEADLINE),
                status=status_labels.get(task.status, task.status),
                light=task.light(today),
                progress=latest.get(task.pk),
            )
        )
    return rows


def _levels(nodes: list[Finding]) -> tuple[Finding | None, Finding | None, Finding | None]:
    """(aspect, problem, sub-problem) of a finding's chain from the root, None for a level the plan skips."""
    by_level = {node.level: node for node in nodes}
    return (by_level.get(Finding.Level.ASPECT), by_level.get(Finding.Level.PROBLEM),
            by_level.get(Finding.Level.SUB_PROBLEM))
