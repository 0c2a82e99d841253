"""Load a provincial-scale synthetic data set into PostgreSQL with COPY (a whole term of one inspection office).

At --scale 1: 3,000 organizations (1 office, 300 units, ~2,700 departments), 20,000 inspections,
~480,000 findings, 1,000,000 tasks, ~5,000,000 progress entries, closure reviews, leads and rules,
~4,200 users with memberships. Rows go straight into the Django tables with psycopg 3 `cursor.copy`;
secondary indexes and foreign keys are dropped first and rebuilt (and so validated) afterwards.

Run against a migrated, empty database (`rectify migrate` first):

    DATABASE_URL=postgres://… PYTHONPATH=src python bench/generate.py --scale 0.1 [--reset]

Personas (all with the password printed at the end): `bench-office` (巡视巡察办, whole province),
`u1-zgb` (整改办 of unit 1), `u1-leader1` (领导), `u1-jjz` (纪检), `u1-d1` (a department of unit 1).
Unit 1's latest inspection has 500 tasks (the ledger-page case). Deterministic for a given --seed
and day. The audit log gets one event recording the load, so `rectify audit verify` passes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rectify.settings")

PASSWORD = "Bench-Rectify-2026"
TZ = ZoneInfo("Asia/Shanghai")
CHUNK_ROWS = 50_000

# Tables this script fills, in load order.
TABLES = [
    "organizations_organization", "organizations_user", "organizations_membership",
    "inspections_inspection", "inspections_finding", "ledger_task", "ledger_task_co_orgs",
    "ledger_progress", "ledger_closurereview", "ledger_lead", "ledger_rulechange",
]
# Everything a previous run (or the demo) may have left; TRUNCATE … CASCADE reaches the rest.
RESET_TABLES = TABLES + ["audit_auditevent", "audit_audithead", "django_session", "django_admin_log"]

CITIES = ["省", "济南市", "青岛市", "淄博市", "枣庄市", "东营市", "烟台市", "潍坊市", "济宁市", "泰安市",
          "威海市", "日照市", "临沂市", "德州市", "聊城市", "滨州市", "菏泽市"]
BUREAUS = ["发展和改革委员会", "教育厅", "科学技术厅", "工业和信息化厅", "民族宗教事务委员会", "公安厅", "民政厅",
           "司法厅", "财政厅", "人力资源和社会保障厅", "自然资源厅", "生态环境厅", "住房和城乡建设厅", "交通运输厅",
           "水利厅", "农业农村厅", "商务厅", "文化和旅游厅", "卫生健康委员会", "退役军人事务厅", "应急管理厅",
           "审计厅", "市场监督管理局", "广播电视局", "体育局", "统计局", "医疗保障局", "机关事务管理局",
           "人民防空办公室", "地方金融监督管理局"]
DEPARTMENTS = ["办公室", "组织人事处", "机关党委", "财务审计处", "政策法规处", "综合规划处", "信息中心",
               "宣传教育处", "监督检查处", "行政审批处", "科技外事处", "安全生产处", "离退休干部处", "机关服务中心",
               "研究室", "督查室", "法制处", "统计处", "基建处", "档案室"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
GIVEN = "建国明华志强立新伟海燕红梅晓东静敏洋军平刚勇杰涛磊超鹏辉亮斌波宁"
ASPECTS = ["贯彻落实党的理论和路线方针政策方面", "落实全面从严治党战略部署方面", "落实新时代党的组织路线方面",
           "巡视整改和审计整改方面", "履行主体责任和监督责任方面"]
WORDS = ("加强党的建设落实主体责任完善制度机制健全监督体系推进问题整改提高政治站位深化理论学习压实管理职责"
         "规范权力运行严格公务用车管理加强干部队伍建设落实中央八项规定精神强化财务管理防范廉政风险健全议事规则")
PROGRESS_TEXTS = [
    "已制定具体整改措施，明确责任人和时间节点，正在推进落实。",
    "按照时间节点推进，已完成阶段工作，形成相关材料。",
    "召开专题会议研究部署，逐项梳理问题清单，压实整改责任。",
    "已修订完善相关制度，印发执行，建立长效机制。",
    "开展专项检查，对发现的问题立行立改，举一反三。",
    "组织集中学习，开展警示教育，提高思想认识。",
    "清理规范公务用车，完成车辆台账核对，收回超标配备车辆。",
    "对相关责任人进行提醒谈话和批评教育，督促整改到位。",
    "完成资金清理核查，追缴违规资金，完善财务审批流程。",
    "建立整改台账，实行销号管理，定期调度整改进度。",
]
RETURN_REASONS = ["佐证材料不充分，缺少制度文件正式印发版本，请补充后重新申请。",
                  "整改成效未体现，仅有会议记录，请提供落实情况。"]


@dataclass
class Plan:
    """How many rows of each kind a scale asks for."""

    units: int
    inspections: int
    tasks: int
    progress_mean: float = 5.0
    ledger_tasks: int = 500  # tasks of unit 1's latest inspection (the ledger-page case)

    @classmethod
    def at(cls, scale: float) -> Plan:
        units = max(2, round(300 * scale))
        inspections = max(units, round(20_000 * scale))
        return cls(units=units, inspections=inspections, tasks=max(inspections * 5, round(1_000_000 * scale)))


@dataclass
class Timings:
    rows: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, seconds: float, rows: int | None = None) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds
        if rows is not None:
            self.rows[name] = rows
        shown = f"{rows:>10,} rows" if rows is not None else " " * 15
        print(f"  {name:<32}{shown} {seconds:8.1f} s", flush=True)


class Clock:
    """Timestamps as minutes on a day grid, printed in Beijing time without datetime objects (fast)."""

    def __init__(self, now: dt.datetime, *, utc: bool = False) -> None:
        self.today = now.date().toordinal()
        self.now = self.today * 1440 + now.hour * 60 + now.minute
        self.base = self.today - 7 * 366
        self.days = [dt.date.fromordinal(d).isoformat() for d in range(self.base, self.today + 3 * 366)]
        # PostgreSQL reads "+08"; SQLite stores naive UTC text, so shift by 8 hours there instead.
        self.shift = 480 if utc else 0
        self.minutes = [f" {m // 60:02d}:{m % 60:02d}:00" + ("" if utc else "+08") for m in range(1440)]

    def day(self, ordinal: int) -> str:
        return self.days[ordinal - self.base]

    def ts(self, minute: int) -> str:
        minute -= self.shift
        return self.days[minute // 1440 - self.base] + self.minutes[minute % 1440]


def sentence(rng: random.Random, low: int, high: int) -> str:
    start = rng.randrange(len(WORDS))
    length = rng.randint(low, high)
    return ((WORDS + WORDS)[start:start + length] + "。") if length < len(WORDS) else WORDS + "。"


def person(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)] + GIVEN[(index * 13 + 5) % len(GIVEN)]


class Generator:
    """Produces the rows of every table as COPY text, keeping only compact per-task arrays between tables."""

    def __init__(self, plan: Plan, seed: int, clock: Clock, password_hash: str) -> None:
        self.plan, self.clock, self.password_hash = plan, clock, password_hash
        self.rng = random.Random(seed)
        # Filled by organizations()/users():
        self.unit_ids: list[int] = []
        self.unit_path: dict[int, str] = {}
        self.depts: dict[int, list[int]] = {}
        self.dept_handler: dict[int, int] = {}
        self.unit_staff: dict[int, int] = {}
        self.unit_leaders: dict[int, list[tuple[int, str]]] = {}
        self.office_id = 1
        # Filled by inspections(): (id, unit, feedback ordinal, task count)
        self.inspection_rows: list[tuple[int, int, int, int]] = []
        # Filled by tasks(): per task (index = id - 1)
        self.t_created = array("q")
        self.t_last = array("q")
        self.t_closed = array("q")
        self.t_submitted = array("q")
        self.t_nprog = array("b")
        self.t_org = array("q")
        self.t_long = array("b")
        self.t_status = array("b")
        self.t_returned = array("b")
        self.finding_count = 0
        self.co_rows: list[tuple[int, int]] = []

    # -- organizations and people -------------------------------------------------------------

    def organizations(self) -> Iterator[str]:
        rng = self.rng
        yield "1\t省委巡视工作领导小组办公室\t省委巡视办\toffice\t/1/\t济南市历下区省府前街1号\t250011\t\t\t\\N\tprovincial\n"
        next_id = 2
        unit_ids = []
        for u in range(self.plan.units):
            uid = next_id
            next_id += 1
            name = CITIES[u % len(CITIES)] + BUREAUS[(u // len(CITIES)) % len(BUREAUS)]
            if u >= len(CITIES) * len(BUREAUS):
                name += f"（{u}）"
            path = f"/1/{uid}/"
            unit_ids.append(uid)
            self.unit_path[uid] = path
            level = ("provincial", "municipal", "county")[u % 3]
            yield f"{uid}\t{name}\t{name[:20]}\tunit\t{path}\t\t\t\t\t1\t{level}\n"
            # 5–15 departments per unit, mean ~9 (so ~2,700 for 300 units).
            count = min(len(DEPARTMENTS), max(5, round(rng.triangular(5, 15, 7))))
            names = DEPARTMENTS[:]
            rng.shuffle(names)
            self.depts[uid] = []
            for dname in names[:count]:
                did = next_id
                next_id += 1
                self.depts[uid].append(did)
                yield f"{did}\t{dname}\t\tdepartment\t{path}{did}/\t\t\t\t\t{uid}\t\n"
        self.unit_ids = unit_ids

    def users(self) -> Iterator[str]:
        """Users (one row each); memberships follow from the same numbering."""
        joined = self.clock.ts(self.clock.now - 800 * 1440)
        self.memberships_rows: list[str] = []
        uid_seq = 0
        mid = 0

        def user(username: str, full_name: str, org: int, role: str, title: str = "", principal: bool = False,
                 handler: bool = False) -> str:
            nonlocal uid_seq, mid
            uid_seq += 1
            mid += 1
            self.memberships_rows.append(
                f"{mid}\t{role}\t{title}\t{'t' if principal else 'f'}\t{'t' if handler else 'f'}\t{uid_seq}\t{org}\n")
            return (f"{uid_seq}\t{self.password_hash}\t\\N\tf\t{username}\t\t\t\tf\tt\t{joined}\t{full_name}\t\tf\n")

        yield user("bench-office", "刘晓东", 1, "inspection_office", "巡视办主任")
        for n, unit in enumerate(self.unit_ids, start=1):
            yield user(f"u{n}-zgb", person(n * 11), unit, "rectification_office", "整改办主任")
            self.unit_staff[unit] = uid_seq
            leaders = []
            for k in range(3):
                name = person(n * 11 + k + 1)
                yield user(f"u{n}-leader{k + 1}", name, unit, "leader", "副主任" if k else "主任", principal=k == 0)
                leaders.append((uid_seq, name))
            self.unit_leaders[unit] = leaders
            yield user(f"u{n}-jjz", person(n * 11 + 5), unit, "supervisor", "纪检监察组组长")
            for k, dept in enumerate(self.depts[unit], start=1):
                yield user(f"u{n}-d{k}", f"经办人{n}-{k}", dept, "department", "经办人", handler=True)
                self.dept_handler[dept] = uid_seq

    def memberships(self) -> Iterator[str]:
        yield from self.memberships_rows

    # -- inspections and findings ---------------------------------------------------------------

    def inspections(self) -> Iterator[str]:
        plan, rng, clock = self.plan, self.rng, self.clock
        # Tasks per inspection: 20–80 (mean 50 at full scale), unit 1's latest has `ledger_tasks`.
        per_unit = [plan.inspections // plan.units + (1 if i < plan.inspections % plan.units else 0)
                    for i in range(plan.units)]
        counts = [rng.randint(20, 80) for _ in range(plan.inspections)]
        counts[per_unit[0] - 1] = plan.ledger_tasks
        rest = plan.tasks - plan.ledger_tasks
        others = sum(counts) - plan.ledger_tasks
        scaled = [max(1, round(c * rest / others)) for c in counts]
        scaled[per_unit[0] - 1] = plan.ledger_tasks
        drift = plan.tasks - sum(scaled)
        i = 0
        while drift:  # spread the rounding error over the inspections
            if i != per_unit[0] - 1 and (drift > 0 or scaled[i] > 1):
                scaled[i] += 1 if drift > 0 else -1
                drift += -1 if drift > 0 else 1
            i = (i + 1) % len(scaled)
        iid = 0
        for unit, n in zip(self.unit_ids, per_unit, strict=True):
            # A term of five years; the last inspection of each unit is the newest.
            feedbacks = sorted(clock.today - rng.randint(40, 5 * 365) for _ in range(n))
            if unit == self.unit_ids[0]:
                feedbacks[-1] = clock.today - 60
            for k, feedback in enumerate(feedbacks):
                iid += 1
                tasks = scaled[iid - 1]
                self.inspection_rows.append((iid, unit, feedback, tasks))
                kind = "巡视" if k % 3 else "巡察"
                itype = ("常规", "常规", "常规", "专项", "机动", "回头看")[k % 6]
                round_no = k % 12 + 1
                created = clock.ts(feedback * 1440 + 600)
                yield (f"{iid}\t第十二届省委第{round_no}轮{kind}（{k + 1}）\t{kind}\t省委\t第十二届\t{round_no}\t"
                       f"第{k % 15 + 1}{kind}组\t{itype}\t{clock.day(feedback - 100)}\t{clock.day(feedback - 32)}\t"
                       f"{clock.day(feedback)}\t\\N\t\t{created}\t1\t1\t{unit}\n")

    def findings_and_layout(self) -> Iterator[str]:
        """Findings: 3–5 aspects, problems under them (≈ tasks / 2.5); remembers each task's finding."""
        rng = self.rng
        self.task_findings: list[array] = []
        fid = 0
        for iid, _unit, _feedback, tasks in self.inspection_rows:
            aspects = rng.randint(3, 5)
            problems = max(aspects, round(tasks / 2.5))
            position = 0
            problem_ids = array("q")
            per_aspect = [problems // aspects + (1 if a < problems % aspects else 0) for a in range(aspects)]
            for a in range(aspects):
                fid += 1
                aspect_id = fid
                position += 1
                label = "一二三四五"[a] + "、"
                yield f"{fid}\t1\tproblem\t{label}\t{ASPECTS[a]}\t\t{position}\tf\t\t\\N\t{iid}\n"
                for p in range(per_aspect[a]):
                    fid += 1
                    position += 1
                    title = sentence(rng, 20, 60)
                    yield f"{fid}\t2\tproblem\t{p + 1}.\t{title}\t{title}{title}\t{position}\tf\t\t{aspect_id}\t{iid}\n"
                    problem_ids.append(fid)
            # Each problem gets tasks in turn, in plan order.
            self.task_findings.append(array("q", (problem_ids[t * len(problem_ids) // tasks] for t in range(tasks))))
        self.finding_count = fid

    # -- tasks --------------------------------------------------------------------------------------

    def tasks(self) -> Iterator[str]:
        rng, clock = self.rng, self.clock
        now = clock.now
        tid = 0
        open_weights = (("not_started", 12), ("in_progress", 55), ("submitted", 10), ("reviewed", 5),
                        ("returned", 12), ("reopened", 3))
        open_names = [s for s, _w in open_weights]
        open_cum = []
        acc = 0
        for _s, w in open_weights:
            acc += w
            open_cum.append(acc)
        status_code = {s: i for i, s in enumerate(
            ["not_started", "in_progress", "submitted", "reviewed", "returned", "closed", "reopened", "phased_result"])}
        for (iid, unit, feedback, tasks), findings in zip(self.inspection_rows, self.task_findings, strict=True):
            depts = self.depts[unit]
            leaders = self.unit_leaders[unit]
            age = (clock.today - feedback) / (5 * 365)  # 0 = new … 1 = five years old
            created = feedback * 1440 + 10 * 1440 + 540
            for position in range(tasks):
                tid += 1
                r = rng.random()
                category = "deadline" if r < 0.65 else ("immediate" if r < 0.80 else "long_term")
                if category == "long_term":
                    r = rng.random()
                    status = "not_started" if r < 0.10 else ("in_progress" if r < 0.60 else "phased_result")
                else:
                    # Older inspections have closed more: ~20% closed over the whole term.
                    p_closed = (0.05 + 0.36 * age) if category == "deadline" else (0.20 + 0.40 * age)
                    if rng.random() < p_closed:
                        status = "closed"
                    else:
                        status = rng.choices(open_names, cum_weights=open_cum)[0]
                returned = 0
                if status == "returned":
                    returned = 1 if rng.random() < 0.7 else 2
                elif status in ("closed", "submitted", "reviewed") and rng.random() < 0.1:
                    returned = 1
                # Deadlines: closed ones fell in the past; open ones spread around today (≈12% overdue).
                if category == "long_term":
                    deadline = None
                elif category == "immediate":
                    deadline = feedback + 30
                elif status == "closed":
                    deadline = feedback + rng.randint(30, 240)
                else:
                    deadline = clock.today + rng.randint(-40, 300)
                closed_at = submitted_at = 0
                if status == "not_started":
                    nprog, last = 0, 0
                else:
                    nprog = rng.randint(4, 10) if status == "closed" else rng.randint(2, 8)
                    if status == "closed":
                        end = min(now - 1440, created + rng.randint(20, 400) * 1440)
                        closed_at = end + 3 * 1440 if end + 3 * 1440 < now else now - 60
                        submitted_at = end + 600
                        last = end
                    else:
                        # Most report within the week; a tail falls silent (yellow light).
                        silent = rng.randint(0, 6) if rng.random() < 0.75 else rng.randint(7, 60)
                        last = max(created + 1440, now - silent * 1440 - rng.randint(0, 600))
                        if status in ("submitted", "reviewed", "returned"):
                            submitted_at = min(now - 30, last + 240)
                lead = depts[rng.randrange(len(depts))]
                if rng.random() < 0.3 and len(depts) > 1:
                    co = rng.sample(depts, min(len(depts), rng.randint(1, 3)))
                    for org in co:
                        if org != lead:
                            self.co_rows.append((tid, org))
                leader_id, leader_name = leaders[position % 3]
                updated = max(created, last, closed_at, submitted_at)
                self.t_created.append(created)
                self.t_last.append(last)
                self.t_closed.append(closed_at)
                self.t_submitted.append(submitted_at)
                self.t_nprog.append(nprog)
                self.t_org.append(lead)
                self.t_long.append(category == "long_term")
                self.t_status.append(status_code[status])
                self.t_returned.append(returned)
                title = sentence(rng, 25, 70)
                yield (f"{tid}\t{position + 1}\t{title}\t{category}\t"
                       f"{clock.day(deadline) if deadline else chr(92) + 'N'}\t{leader_name}\t{status}\t{returned}\t"
                       f"{clock.ts(last) if last else chr(92) + 'N'}\t"
                       f"{clock.ts(submitted_at) if submitted_at else chr(92) + 'N'}\t"
                       f"{clock.ts(closed_at) if closed_at else chr(92) + 'N'}\t{position}\tf\t\t"
                       f"{clock.ts(created)}\t{clock.ts(updated)}\t{1 + nprog + returned}\t{findings[position]}\t"
                       f"{self.dept_handler[lead]}\t{iid}\t{lead}\t{leader_id}\t{unit}\n")
        self.task_findings = []

    def co_orgs(self) -> Iterator[str]:
        for i, (task, org) in enumerate(self.co_rows, start=1):
            yield f"{i}\t{task}\t{org}\n"

    def progress(self) -> Iterator[str]:
        """Progress entries spread from the task's creation to its `last_progress_at` (which they define)."""
        rng, clock = self.rng, self.clock
        pid = 0
        texts = PROGRESS_TEXTS
        for i in range(len(self.t_nprog)):
            n = self.t_nprog[i]
            if not n:
                continue
            created, last = self.t_created[i], self.t_last[i]
            org = self.t_org[i]
            author = self.dept_handler[org]
            long_term = self.t_long[i]
            span = max(0, last - created)
            tid = i + 1
            for k in range(n):
                pid += 1
                moment = last if k == n - 1 else created + span * (k + 1) // n
                kind = "phased_result" if long_term and k == n - 1 and self.t_status[i] == 7 else "progress"
                text = texts[rng.randrange(len(texts))]
                yield (f"{pid}\t{kind}\t{text}（任务{tid}第{k + 1}次报送）\t{clock.day(moment // 1440)}\t"
                       f"{clock.ts(moment)}\t{author}\t{org}\t{tid}\n")

    def reviews(self) -> Iterator[str]:
        """Closure reviews (销号审核): returns for returned tasks, approvals for reviewed and closed ones."""
        rid = 0
        for i in range(len(self.t_status)):
            status, returned = self.t_status[i], self.t_returned[i]
            if not returned and status not in (3, 5):
                continue
            tid = i + 1
            unit_staff = self.unit_staff[self._unit_of_org(self.t_org[i])]
            at = self.t_submitted[i] or self.t_last[i]
            for k in range(returned):
                rid += 1
                yield (f"{rid}\toffice\treturn\t{RETURN_REASONS[k % 2]}\t{self.clock.ts(max(self.t_created[i], at - (returned - k) * 2880))}"
                       f"\t{unit_staff}\t{tid}\n")
            if status in (3, 5):
                rid += 1
                yield f"{rid}\toffice\tapprove\t材料齐全，同意提交领导审批。\t{self.clock.ts(at + 1440 if status == 5 else at)}\t{unit_staff}\t{tid}\n"
            if status == 5:
                rid += 1
                leader = self.unit_leaders[self._unit_of_org(self.t_org[i])][0][0]
                yield f"{rid}\tleader\tapprove\t同意销号。\t{self.clock.ts(self.t_closed[i])}\t{leader}\t{tid}\n"

    def _unit_of_org(self, org: int) -> int:
        unit = getattr(self, "_org_unit", None)
        if unit is None:
            unit = self._org_unit = {d: u for u, ds in self.depts.items() for d in ds}
        return unit[org]

    def leads(self) -> Iterator[str]:
        """Two leads per inspection (问题线索/信访件), the older ones concluded."""
        clock = self.clock
        lid = 0
        for iid, unit, feedback, _tasks in self.inspection_rows:
            for k in range(2):
                lid += 1
                received = feedback + k
                concluded = received + 60 < clock.today - 30
                kind = "clue" if k == 0 else "petition"
                yield (f"{lid}\t{kind}\tXS-{iid}-{k + 1}\t反映有关问题线索（{iid}-{k + 1}）\t{clock.day(received)}\t"
                       f"{'concluded' if concluded else 'open'}\t{clock.day(received + 60) if concluded else chr(92) + 'N'}\t"
                       f"{'经核查，已依规依纪处理。' if concluded else ''}\tt\t{clock.ts(received * 1440 + 600)}\t"
                       f"{self.depts[unit][0]}\t{iid}\t{unit}\n")

    def rule_changes(self) -> Iterator[str]:
        clock = self.clock
        rid = 0
        for iid, unit, feedback, _tasks in self.inspection_rows:
            for k, action in enumerate(("create", "revise")):
                rid += 1
                yield (f"{rid}\t{action}\t关于加强制度建设的规定（{iid}-{k + 1}）\t〔{dt.date.fromordinal(feedback).year}〕{k + 1}号\t"
                       f"{clock.day(feedback + 40)}\t\t{clock.ts((feedback + 40) * 1440 + 600)}\t{iid}\t\\N\t{unit}\n")


COLUMNS = {
    "organizations_organization": "id, name, short_name, kind, path, address, postcode, phone, email, parent_id, level",
    "organizations_user": ("id, password, last_login, is_superuser, username, first_name, last_name, email, is_staff, "
                           "is_active, date_joined, full_name, phone, must_change_password"),
    "organizations_membership": "id, role, title, is_principal, is_handler, user_id, organization_id",
    "inspections_inspection": ("id, title, kind, inspector, term, round, \"group\", type, onsite_start, onsite_end, "
                               "feedback_date, published, source_hash, created_at, version, office_id, target_id"),
    "inspections_finding": "id, level, kind, label, title, text, position, exempt, exempt_reason, parent_id, inspection_id",
    "ledger_task": ("id, number, title, category, deadline, leader_name, status, returned_count, last_progress_at, "
                    "submitted_at, closed_at, position, exempt, exempt_reason, created_at, updated_at, version, "
                    "finding_id, handler_id, inspection_id, lead_org_id, leader_id, unit_id"),
    "ledger_task_co_orgs": "id, task_id, organization_id",
    "ledger_progress": "id, kind, text, reported_on, created_at, author_id, organization_id, task_id",
    "ledger_closurereview": "id, stage, decision, reason, created_at, reviewer_id, task_id",
    "ledger_lead": ("id, kind, reference, summary, received_on, status, concluded_on, result, exempt, created_at, "
                    "handler_org_id, inspection_id, unit_id"),
    "ledger_rulechange": "id, action, title, document_no, issued_on, text, created_at, inspection_id, task_id, unit_id",
}


def copy_rows(conn, table: str, rows: Iterator[str]) -> int:  # type: ignore[no-untyped-def]
    """Stream rows into `table` with COPY, in chunks; returns the row count."""
    count = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
        buffer: list[str] = []
        for row in rows:
            buffer.append(row)
            if len(buffer) >= CHUNK_ROWS:
                copy.write("".join(buffer))
                count += len(buffer)
                buffer.clear()
        if buffer:
            copy.write("".join(buffer))
            count += len(buffer)
    return count


def detach(conn, tables: list[str]) -> tuple[list[str], list[tuple[str, str, str]]]:  # type: ignore[no-untyped-def]
    """Drop secondary indexes and foreign keys of `tables`; return what it takes to put them back."""
    indexes: list[str] = []
    fks: list[tuple[str, str, str]] = []
    with conn.cursor() as cur:
        for table in tables:
            cur.execute(
                """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
                   JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
                   WHERE t.relname = %s AND NOT x.indisprimary AND NOT EXISTS (
                     SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid AND c.conrelid = t.oid)""",
                [table],
            )
            for name, definition in cur.fetchall():
                indexes.append(definition)
                cur.execute(f'DROP INDEX "{name}"')
            cur.execute(
                """SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                   WHERE t.relname = %s AND c.contype = 'f'""", [table])
            for name, definition in cur.fetchall():
                fks.append((table, name, definition))
                cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return indexes, fks


def timed(timings: Timings, name: str, action: Callable[[], int | None]) -> None:
    start = time.perf_counter()
    rows = action()
    timings.add(name, time.perf_counter() - start, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.01, help="1 = 1,000,000 tasks (default 0.01)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reset", action="store_true", help="empty the rectify tables first (destroys data)")
    parser.add_argument("--no-vacuum", action="store_true", help="skip VACUUM ANALYZE at the end")
    args = parser.parse_args(argv)

    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    if connection.vendor != "postgresql":
        print("需要 PostgreSQL：请设置 DATABASE_URL（例如 scripts/with-postgres.sh 或自建服务器）", file=sys.stderr)
        return 2
    plan = Plan.at(args.scale)
    connection.ensure_connection()
    conn = connection.connection
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM organizations_organization")
        existing = cur.fetchone()[0]
        if existing and not args.reset:
            print("数据库中已有组织数据；如需清空后重新生成，请加 --reset", file=sys.stderr)
            return 2
        if args.reset:
            cur.execute(f"TRUNCATE {', '.join(RESET_TABLES)} RESTART IDENTITY CASCADE")
    print(f"scale {args.scale}: {plan.units} units, {plan.inspections:,} inspections, {plan.tasks:,} tasks "
          f"(~{int(plan.tasks * plan.progress_mean):,} progress entries) into {settings.DATABASES['default']['NAME']}")
    clock = Clock(dt.datetime.now(TZ))
    gen = Generator(plan, args.seed, clock, make_password(PASSWORD))
    timings = Timings()
    total_start = time.perf_counter()

    start = time.perf_counter()
    indexes, fks = detach(conn, TABLES)
    timings.add("drop indexes and foreign keys", time.perf_counter() - start)

    conn.autocommit = False
    steps: list[tuple[str, Callable[[], Iterator[str]]]] = [
        ("organizations_organization", gen.organizations),
        ("organizations_user", gen.users),
        ("organizations_membership", gen.memberships),
        ("inspections_inspection", gen.inspections),
        ("inspections_finding", gen.findings_and_layout),
        ("ledger_task", gen.tasks),
        ("ledger_task_co_orgs", gen.co_orgs),
        ("ledger_progress", gen.progress),
        ("ledger_closurereview", gen.reviews),
        ("ledger_lead", gen.leads),
        ("ledger_rulechange", gen.rule_changes),
    ]
    for table, rows in steps:
        timed(timings, table, lambda table=table, rows=rows: copy_rows(conn, table, rows()))
        conn.commit()
    conn.autocommit = True

    with conn.cursor() as cur:
        start = time.perf_counter()
        for definition in indexes:
            cur.execute(definition)
        timings.add(f"rebuild {len(indexes)} indexes", time.perf_counter() - start)
        start = time.perf_counter()
        for table, name, definition in fks:
            cur.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        timings.add(f"re-add {len(fks)} foreign keys (validated)", time.perf_counter() - start)
        for table in TABLES:
            cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)")

    # One audit event records the load, so the chain stays valid (`rectify audit verify`).
    from rectify.audit import services as audit
    from rectify.ledger.services import tallies
    from rectify.organizations.services import system_actor

    # The overview's per-unit counts, which the services keep as tasks change, built once for the load.
    start = time.perf_counter()
    tallies.refresh_all()
    timings.add("unit tallies", time.perf_counter() - start)

    counts = {table: timings.rows.get(table, 0) for table in TABLES}
    audit.record(system_actor(), "bench.generate", object_type="bench", object_id="generate",
                 after={"scale": args.scale, "seed": args.seed, "rows": counts}, note="合成压测数据（bench/generate.py）")

    if not args.no_vacuum:
        start = time.perf_counter()
        with conn.cursor() as cur:
            cur.execute("VACUUM (ANALYZE)")
        timings.add("VACUUM ANALYZE", time.perf_counter() - start)

    start = time.perf_counter()
    with conn.cursor() as cur:
        cur.execute("""SELECT count(*) FROM ledger_task t JOIN inspections_inspection i ON i.id = t.inspection_id
                       WHERE t.unit_id <> i.target_id""")
        wrong_unit = cur.fetchone()[0]
        cur.execute("""SELECT count(*) FROM ledger_task t LEFT JOIN (
                         SELECT task_id, max(created_at) AS last FROM ledger_progress GROUP BY task_id) p
                       ON p.task_id = t.id WHERE t.last_progress_at IS DISTINCT FROM p.last""")
        wrong_last = cur.fetchone()[0]
        cur.execute("""SELECT count(*) FROM organizations_organization o JOIN organizations_organization p
                       ON p.id = o.parent_id WHERE o.path <> p.path || o.id || '/'""")
        wrong_path = cur.fetchone()[0]
        cur.execute("SELECT status, count(*) FROM ledger_task GROUP BY status ORDER BY 2 DESC")
        by_status = cur.fetchall()
        cur.execute("SELECT count(*) FROM ledger_task WHERE status <> 'closed' AND deadline < %s",
                    [dt.date.fromordinal(clock.today)])
        overdue = cur.fetchone()[0]
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        size = cur.fetchone()[0]
    timings.add("consistency checks", time.perf_counter() - start)
    total = time.perf_counter() - total_start
    tasks = timings.rows["ledger_task"]
    print(f"total {total:.1f} s; database size {size}")
    print("tasks by status: " + ", ".join(f"{s} {n / tasks:.1%}" for s, n in by_status)
          + f"; overdue {overdue / tasks:.1%}")
    print(f"denormalized fields: Task.unit wrong {wrong_unit}, last_progress_at wrong {wrong_last}, "
          f"Organization.path wrong {wrong_path}")
    print(f"personas (password {PASSWORD}): bench-office, u1-zgb, u1-leader1, u1-jjz, u1-d1")
    summary = {"scale": args.scale, "rows": timings.rows, "seconds": {k: round(v, 2) for k, v in timings.seconds.items()},
               "total_seconds": round(total, 1), "database_size": size}
    print("JSON " + json.dumps(summary, ensure_ascii=False))
    return 0 if not (wrong_unit or wrong_last or wrong_path) else 1


if __name__ == "__main__":
    sys.exit(main())
