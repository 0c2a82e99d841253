"""Demo data: an inspection office, two inspected units, the seeds' real findings and measures.

Built through the same services as the web app, with the clock moved back so that progress, reviews
and look-backs carry realistic dates. Deterministic: the same day gives the same data.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources

from django.db import transaction

from rectify import clock
from rectify.audit import services as audit
from rectify.inspections import services as inspections
from rectify.inspections.models import Finding, Inspection
from rectify.ledger import services as ledger
from rectify.ledger.models import LookBack, Outcome, RuleChange, Task
from rectify.ledger.services.evidence import Upload
from rectify.notice import Node, Notice
from rectify.notice.numerals import int_to_chinese
from rectify.organizations import services as orgs
from rectify.organizations.models import Organization, Role, User

OFFICE_NAME = "中共山东省委巡视工作领导小组办公室"
DEMO_PASSWORD = "Rectify-Demo-2026"


@dataclass
class UnitPlan:
    slug: str
    unit: str
    short: str
    prefix: str
    departments: list[str]
    leaders: list[tuple[str, str]]  # (name, title)


UNITS = [
    UnitPlan(
        "shandong-tongzhanbu-2021", "中共山东省委统战部", "省委统战部", "tzb",
        ["办公室", "干部处", "研究室", "党派工作处", "经济处", "民族宗教工作处", "机关党委"],
        [("张建国", "部长"), ("李明华", "常务副部长"), ("王志强", "副部长")],
    ),
    UnitPlan(
        "shandong-renfangban-2021", "山东省人民防空办公室", "省人防办", "rfb",
        ["办公室", "指挥通信处", "工程管理处", "政策法规处", "财务审计处", "机关党委"],
        [("赵立新", "党组书记、主任"), ("孙伟", "副主任"), ("周海燕", "副主任")],
    ),
]

# The life each task lives, cycled over the plan so every status appears in every unit.
SCENARIOS = [
    "closed", "in_progress", "submitted", "overdue", "returned", "long_term", "closed_checked",
    "in_progress", "reviewed", "silent", "phased", "not_started", "reopened", "returned_twice",
    "flagged", "in_progress", "long_term", "submitted",
]


@dataclass
class DemoSummary:
    created: bool
    logins: list[tuple[str, str, str]] = field(default_factory=list)  # (role, username, organization)


def load_notice(slug: str) -> Notice:
    data = resources.files("rectify.demo").joinpath("data", f"{slug}.json").read_text(encoding="utf-8")
    return Notice.from_dict(json.loads(data))


def tiny_pdf(title: str) -> bytes:
    """A small, valid one-page PDF standing in for a scanned supporting document."""
    body = f"BT /F1 12 Tf 72 720 Td ({title.encode('ascii', 'ignore').decode() or 'evidence'}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(body) + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def demo_exists() -> bool:
    return Organization.objects.filter(name=OFFICE_NAME, parent=None).exists()


def build_demo(today: dt.date | None = None, progress: Callable[[str], None] | None = None) -> DemoSummary:
    """Create the demo data once; a second call changes nothing. `progress` hears each unit as it starts."""
    if demo_exists():
        return DemoSummary(created=False, logins=list_logins())
    today = today or clock.today()
    with transaction.atomic():
        # The accounts go on the system chain between the units' chains: name it first (chains lock in order).
        audit.lock_chains([None])
        _build(today, progress or (lambda _step: None))
    return DemoSummary(created=True, logins=list_logins())


def list_logins() -> list[tuple[str, str, str]]:
    rows = []
    for user in User.objects.filter(memberships__isnull=False).distinct().order_by("pk"):
        m = user.memberships.select_related("organization").first()
        if m is not None:
            rows.append((m.get_role_display(), user.username, m.organization.name))
    return rows


def _user(system: User, username: str, full_name: str, org: Organization, role: str, **flags: object) -> User:
    user = orgs.create_user(system, username=username, full_name=full_name, password=DEMO_PASSWORD)
    orgs.grant_role(system, user=user, organization=org, role=role, **flags)  # type: ignore[arg-type]
    return user


def _build(today: dt.date, progress: Callable[[str], None]) -> None:
    progress(f"巡视办和账号（1/{len(UNITS) + 1}）")
    system = orgs.system_actor()
    rng = random.Random(20211)
    feedback = today - dt.timedelta(days=80)
    with clock.frozen(feedback - dt.timedelta(days=120)):
        office = orgs.create_organization(system, name=OFFICE_NAME, short_name="省委巡视办", kind=Organization.Kind.OFFICE,
                                          level=Organization.Level.PROVINCIAL, address="济南市历下区省府前街1号",
                                          postcode="250011")
        admin = _user(system, "admin", "系统管理员", office, Role.ADMIN)
        admin.is_staff = True
        admin.save(update_fields=["is_staff"])
        _user(system, "xunshiban", "刘晓东", office, Role.INSPECTION_OFFICE)
    for index, plan in enumerate(UNITS, start=2):
        progress(f"{plan.short}的问题、任务、进展和佐证材料（{index}/{len(UNITS) + 1}）")
        _build_unit(system, office, plan, feedback, today, rng)


def _build_unit(system: User, office: Organization, plan: UnitPlan, feedback: dt.date, today: dt.date,
                rng: random.Random) -> None:
    notice = load_notice(plan.slug)
    with clock.frozen(feedback - dt.timedelta(days=100)):
        unit = orgs.create_organization(system, name=plan.unit, short_name=plan.short, kind=Organization.Kind.UNIT,
                                        level=Organization.Level.PROVINCIAL, parent=office, phone=(notice.contact.phone or [""])[0],
                                        email=(notice.contact.email or [""])[0], postcode=notice.contact.postcode or "")
        departments = [
            orgs.create_organization(system, name=name, kind=Organization.Kind.DEPARTMENT, parent=unit)
            for name in plan.departments
        ]
        office_staff = _user(system, f"{plan.prefix}-zgb", "陈静", unit, Role.RECTIFICATION_OFFICE, title="整改办主任")
        leaders = []
        for index, (name, title) in enumerate(plan.leaders):
            leaders.append(_user(system, f"{plan.prefix}-leader{index + 1}", name, unit, Role.LEADER, title=title,
                                 is_principal=index == 0))
        supervisor = _user(system, f"{plan.prefix}-jjz", "马红梅", unit, Role.SUPERVISOR, title="纪检监察组组长")
        handlers = [
            _user(system, f"{plan.prefix}-dept{i + 1}", f"{dept.name}经办人", dept, Role.DEPARTMENT, is_handler=True)
            for i, dept in enumerate(departments)
        ]
    onsite_start = feedback - dt.timedelta(days=100)
    with clock.frozen(feedback):
        inspection = inspections.create_inspection(
            office_staff, target=unit,
            title=f"{notice.term or ''}{notice.inspector or '省委'}第{int_to_chinese(notice.round or 1)}轮巡视",
            kind=notice.kind, inspector=notice.inspector or "", term=notice.term or "", round=notice.round,
            group=notice.group or "", type=Inspection.Type.REGULAR, office=office,
            onsite_start=onsite_start, onsite_end=onsite_start + dt.timedelta(days=68), feedback_date=feedback,
        )
    tasks: list[tuple[Task, str]] = []
    with clock.frozen(feedback + dt.timedelta(days=10)):
        counter = 0

        def add(node: Node, parent: Finding | None) -> None:
            nonlocal counter
            finding = inspections.add_finding(office_staff, inspection, title=node.title, text=node.text,
                                              label=node.label, parent=parent)
            for measure in node.measures:
                scenario = SCENARIOS[counter % len(SCENARIOS)]
                counter += 1
                category, deadline = _category(scenario, feedback, today, rng)
                dept = departments[counter % len(departments)]
                co = [departments[(counter + 2) % len(departments)]] if counter % 3 == 0 else []
                leader = leaders[counter % len(leaders)]
                task = ledger.create_task(
                    office_staff, finding, title=measure, category=category, deadline=deadline, leader=leader,
                    lead_org=dept, co_orgs=co, handler=handlers[departments.index(dept)], number=str(counter),
                )
                tasks.append((task, scenario))
            for child in node.children:
                add(child, finding)

        for aspect in notice.findings:
            add(aspect, None)
    for task, scenario in tasks:
        handler = task.handler
        assert handler is not None
        _live(task, scenario, handler, office_staff, leaders[0], supervisor, feedback, today, rng)
    _records(office_staff, inspection, departments, [t for t, _s in tasks], feedback, today)


def _category(scenario: str, feedback: dt.date, today: dt.date, rng: random.Random) -> tuple[str, dt.date | None]:
    if scenario in {"long_term", "phased"}:
        return Task.Category.LONG_TERM, None
    if scenario == "overdue":
        return Task.Category.DEADLINE, today - dt.timedelta(days=rng.randint(3, 25))
    if scenario in {"closed", "closed_checked", "reopened", "flagged"}:
        return Task.Category.IMMEDIATE, feedback + dt.timedelta(days=30)
    if scenario == "silent":
        return Task.Category.DEADLINE, today + dt.timedelta(days=rng.randint(25, 60))
    return Task.Category.DEADLINE, today + dt.timedelta(days=rng.randint(5, 150))


def _progress(task: Task, actor: User, day: dt.date, text: str, *, meeting: bool = False) -> None:
    name = "整改工作会议通知.pdf" if meeting else f"佐证材料-{task.number}.pdf"
    with clock.frozen(day):
        ledger.report_progress(actor, task, text=text, reported_on=day,
                               files=[Upload(name=name, data=tiny_pdf(f"Evidence {task.number}"))])


def _live(task: Task, scenario: str, handler: User, office: User, leader: User, supervisor: User,
          feedback: dt.date, today: dt.date, rng: random.Random) -> None:
    """Walk a task through its scenario with the services, on past dates."""
    if scenario == "not_started":
        return
    step = feedback + dt.timedelta(days=15 + rng.randint(0, 10))
    silent = scenario == "silent"
    if silent:
        last = today - dt.timedelta(days=12)
    elif scenario in {"in_progress", "long_term"}:
        last = today - dt.timedelta(days=rng.randint(1, 6))
    else:
        last = min(today, step + dt.timedelta(days=rng.randint(5, 40)))
    _progress(task, handler, step, "已制定具体整改措施，明确责任人和时间节点，正在推进落实。",
              meeting=task.number.endswith("7"))
    if scenario in {"in_progress", "overdue", "silent", "long_term"}:
        if last > step:
            _progress(task, handler, last, "按照时间节点推进，已完成阶段工作，形成相关材料。")
        return
    if scenario == "phased":
        with clock.frozen(last):
            ledger.record_phased_result(handler, task, text="建立长效机制，相关制度已印发执行，取得阶段性成效。",
                                        files=[Upload(name="阶段性成效.pdf", data=tiny_pdf("phased"))])
        return
    submit_day = step + dt.timedelta(days=rng.randint(5, 20))
    with clock.frozen(submit_day):
        ledger.submit_task(handler, task, note="整改任务已完成，申请销号。")
    if scenario == "submitted":
        return
    review_day = submit_day + dt.timedelta(days=2)
    if scenario in {"returned", "returned_twice"}:
        with clock.frozen(review_day):
            ledger.return_task(office, task, reason="佐证材料不充分，缺少制度文件正式印发版本，请补充后重新申请。")
        if scenario == "returned_twice":
            _progress(task, handler, review_day + dt.timedelta(days=3), "已补充制度文件正式印发版本。")
            with clock.frozen(review_day + dt.timedelta(days=4)):
                ledger.submit_task(handler, task)
            with clock.frozen(review_day + dt.timedelta(days=6)):
                ledger.return_task(office, task, reason="整改成效未体现，仅有会议记录，请提供落实情况。")
        return
    with clock.frozen(review_day):
        ledger.review_task(office, task, note="材料齐全，同意提交领导审批。")
    if scenario == "reviewed":
        return
    with clock.frozen(review_day + dt.timedelta(days=2)):
        ledger.approve_task(leader, task, note="同意销号。")
    if scenario == "closed_checked":
        check_day = review_day + dt.timedelta(days=20)
        with clock.frozen(check_day):
            look_back = ledger.schedule_look_back(office, task, scheduled_on=check_day)
            ledger.record_look_back(supervisor, look_back, passed=True, asked="相关处室干部3人",
                                    answer="整改措施已落实，制度执行良好。")
    if scenario == "flagged":
        with clock.frozen(review_day + dt.timedelta(days=15)):
            ledger.flag_task(supervisor, task, text="抽查发现整改措施未落实到基层，佐证材料与实际不符。")
    if scenario == "reopened":
        check_day = review_day + dt.timedelta(days=25)
        with clock.frozen(check_day):
            look_back = ledger.schedule_look_back(office, task, scheduled_on=check_day,
                                                  method=LookBack.Method.REVERSE_CHECK)
            ledger.record_look_back(supervisor, look_back, passed=False, asked="基层单位负责同志2人",
                                    answer="反映相关制度未落实到基层。", reason="问题反弹：制度未执行到位，需重新整改。")


def _records(office: User, inspection: Inspection, departments: list[Organization], tasks: list[Task],
             feedback: dt.date, today: dt.date) -> None:
    rules = [
        ("关于落实“第一议题”制度的实施办法", RuleChange.Action.CREATE),
        ("党组理论学习中心组学习制度", RuleChange.Action.REVISE),
        ("领导干部个人有关事项报告抽查核实办法", RuleChange.Action.CREATE),
        ("机关公务用车管理办法", RuleChange.Action.REVISE),
        ("关于进一步规范因公出国（境）管理的规定", RuleChange.Action.CREATE),
        ("机关会议费管理暂行办法（2015年版）", RuleChange.Action.ABOLISH),
    ]
    with clock.frozen(feedback + dt.timedelta(days=40)):
        for index, (title, action) in enumerate(rules):
            ledger.create_rule_change(office, inspection, title=title, action=action, task=tasks[index * 3],
                                      document_no=f"〔{feedback.year}〕{index + 3}号",
                                      issued_on=feedback + dt.timedelta(days=30 + index))
        ledger.record_outcome(office, inspection, kind=Outcome.Kind.ACCOUNTABILITY, what="问责", value=5, value_unit="人")
        ledger.record_outcome(office, inspection, kind=Outcome.Kind.FUNDS_RECOVERED, what="追缴违规资金",
                              value="120.5", value_unit="万元")
        ledger.record_outcome(office, inspection, kind=Outcome.Kind.COST_CUT, what="压减一般性支出", value=10,
                              value_unit="%")
    leads = [
        ("反映某处室负责人违规报销差旅费问题", "clue", feedback + dt.timedelta(days=1)),
        ("反映下属单位工程项目招投标不规范问题", "clue", feedback - dt.timedelta(days=20)),
        ("群众来信反映办事效率低、推诿扯皮问题", "petition", feedback + dt.timedelta(days=2)),
        ("反映干部选拔任用程序不规范问题", "petition", feedback - dt.timedelta(days=30)),
    ]
    with clock.frozen(feedback + dt.timedelta(days=3)):
        created = [
            ledger.create_lead(office, inspection, summary=summary, kind=kind, received_on=received,
                               reference=f"XS-{feedback.year}-{i + 1:03d}", handler_org=departments[i % len(departments)])
            for i, (summary, kind, received) in enumerate(leads)
        ]
    with clock.frozen(feedback + dt.timedelta(days=45)):
        ledger.conclude_lead(office, created[0], result="经核查，问题基本属实，已责令退回违规报销费用，对相关责任人批评教育。")
        ledger.conclude_lead(office, created[2], result="已约谈相关处室负责同志，完善办事流程并向来信人反馈。")
