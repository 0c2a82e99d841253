"""Time Excel ledger export and import of 10,000 tasks (target: each ≤ 3 s).

Run: PYTHONPATH=src python bench/ledger_bench.py [--rows 10000]
Prints each figure next to its bound, and openpyxl's bare read-only load of the same file as a floor.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import sys
import time
from datetime import date, timedelta

from openpyxl import load_workbook

from rectify.spreadsheets import ExportRow, read_ledger, write_ledger

BOUND_SECONDS = 3.0
ASPECTS = (
    "贯彻落实党的理论和路线方针政策方面",
    "落实全面从严治党战略部署方面",
    "落实新时代党的组织路线方面",
    "巡视整改和审计整改方面",
)
ORGS = ("办公室", "组织人事处", "机关党委", "财务处", "政策法规处", "信息中心", "纪检监察组", "宣传处")
LEADERS = ("张建国", "李红", "王卫东", "赵敏", "刘洋")
STATUSES = ("未开始", "整改中", "已提交", "已销号", "阶段性成效")
LIGHTS = ("green", "yellow", "red", None)
WORDS = "加强党的建设落实主体责任完善制度机制健全监督体系推进问题整改提高政治站位深化理论学习压实管理职责规范权力运行"


def sentence(rng: random.Random, length: int) -> str:
    start = rng.randrange(len(WORDS) - 8)
    text = (WORDS[start:] + WORDS) * (length // len(WORDS) + 2)
    return text[:length] + "。"


def make_rows(count: int, seed: int = 7) -> list[ExportRow]:
    rng = random.Random(seed)
    rows: list[ExportRow] = []
    finding = ""
    for index in range(count):
        aspect = ASPECTS[index * len(ASPECTS) // count]
        if index % 4 == 0:
            finding = f"问题{index // 4 + 1}：" + sentence(rng, rng.randint(40, 120))
        category = rng.choice(("限期整改", "限期整改", "立行立改", "长期整改"))
        deadline = date(2021, 3, 31) + timedelta(days=rng.randrange(300)) if category == "限期整改" else None
        rows.append(
            ExportRow(
                aspect=aspect,
                finding=finding,
                measure=sentence(rng, rng.randint(30, 90)),
                leader=rng.sample(LEADERS, rng.randint(1, 2)),
                lead_org=[rng.choice(ORGS)],
                co_orgs=rng.sample(ORGS, rng.randint(0, 3)),
                deadline=deadline,
                category=category,
                status=rng.choice(STATUSES),
                light=rng.choice(LIGHTS),
                progress=sentence(rng, rng.randint(0, 60)) if rng.random() < 0.7 else None,
                note=None,
                number=str(index + 1),  # each task's own 序号, as `export_rows` gives it
            )
        )
    return rows


def timed(label: str, func, bound: float | None) -> object:  # type: ignore[no-untyped-def]
    """Run once; print wall-clock and CPU seconds (CPU is the fairer figure on a busy machine)."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = func()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    verdict = f"bound {bound:.1f} s  {'OK' if wall <= bound else 'OVER'}" if bound else "(reference)"
    print(f"{label:<40} {wall:6.2f} s wall  {cpu:6.2f} s cpu   {verdict}")
    return value


def bare_load(data: bytes) -> int:
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = sum(1 for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True) for _ in row)
    workbook.close()
    return cells


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()
    rows = make_rows(args.rows)
    print(f"command: PYTHONPATH=src python bench/ledger_bench.py --rows {args.rows}")
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    data = timed(
        f"write_ledger({args.rows} rows)",
        lambda: write_ledger(rows, title="巡视整改台账", unit="某单位", date_label="截至2021年8月26日"),
        BOUND_SECONDS,
    )
    assert isinstance(data, bytes)
    print(f"{'file size':<40} {len(data) / 1048576:6.2f} MB")
    timed("openpyxl read-only load, all values", lambda: bare_load(data), None)
    parsed = timed(
        f"read_ledger({args.rows} rows)", lambda: read_ledger(data, "bench.xlsx", year=2021), BOUND_SECONDS
    )
    tasks = len(parsed.tasks)  # type: ignore[attr-defined]
    errors = len(parsed.errors)  # type: ignore[attr-defined]
    print(f"{'tasks read back / errors':<40} {tasks} / {errors}")
    return 0 if tasks == args.rows and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
