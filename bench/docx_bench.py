"""Benchmark: the .docx users download, through the product's one path (`notice_content` /
report content → `rectify.reports.rendering.render`): a 整改进展情况通报 of 200 measures (target
≤ 0.5 s) and the internal 整改情况报告 of 500 tasks with its full ledger table (target ≤ 1 s).

PYTHONPATH=src .venv/bin/python bench/docx_bench.py [--measures 200] [--tasks 500] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rectify.notice import Notice  # noqa: E402
from rectify.notice.numerals import int_to_chinese  # noqa: E402
from rectify.reports.notice_sections import notice_content  # noqa: E402
from rectify.reports.rendering import render  # noqa: E402

BOUND_SECONDS = 0.5
INTERNAL_BOUND_SECONDS = 1.0

_ASPECTS = [
    "关于贯彻落实党的路线方针政策和党中央重大决策部署方面",
    "关于落实全面从严治党战略部署方面",
    "关于落实新时代党的组织路线方面",
    "关于巡视、审计、督查反馈问题和主题教育检视问题整改方面",
]
_PROBLEMS = [
    "学习贯彻习近平新时代中国特色社会主义思想不够深入",
    "落实意识形态工作责任制有差距",
    "主体责任压得不实",
    "违反中央八项规定精神问题依然存在",
    "领导班子发挥表率作用不充分",
    "执行干部人事制度不严格",
    "基层党组织建设存在薄弱环节",
    "上轮巡视整改不彻底",
]
_ORDINALS = "一二三四五六七八九十"
_MEASURE = (
    "{o}是{verb}。制定《关于进一步加强{topic}的实施办法》，明确{n}项具体措施，建立工作台账，"
    "逐项明确责任领导、牵头单位和完成时限；{month}月份以来召开专题会议{k}次，开展督导检查{k2}轮，"
    "发现并整改问题{n2}个，相关经验做法在全系统推广。"
)
_VERBS = ["强化理论武装", "健全制度机制", "压实工作责任", "加强监督检查", "规范权力运行", "深化以案促改"]
_TOPICS = ["理论学习中心组学习", "意识形态工作", "机关作风建设", "干部选拔任用", "财务资产管理", "基层党建"]


def sample_notice(measures: int = 200) -> tuple[Notice, list[str], list[str]]:
    """A notice shaped like the seeds (4 aspects, 2 problems each, sub-problems under the first)."""
    texts = [
        _MEASURE.format(
            o="{o}",
            verb=_VERBS[i % 6],
            topic=_TOPICS[(i // 6) % 6],
            n=3 + i % 7,
            month=1 + i % 12,
            k=2 + i % 5,
            k2=1 + i % 3,
            n2=5 + i % 20,
        )
        for i in range(measures)
    ]
    problems: list[dict[str, object]] = []
    for p in range(len(_ASPECTS) * 2):
        problems.append(
            {"label": f"{p % 2 + 1}.", "title": f"关于“{_PROBLEMS[p]}”的问题", "measures": [], "children": []}
        )
    # Sub-problems under the first problem of each aspect, like the 枣庄 notice.
    nodes: list[dict[str, object]] = []
    for p, problem in enumerate(problems):
        if p % 2 == 0:
            problem["children"] = [
                {"label": f"（{s + 1}）", "title": f"针对“{_PROBLEMS[(p + s) % 8][:8]}”问题", "measures": []}
                for s in range(2)
            ]
            nodes.extend(problem["children"])  # type: ignore[arg-type]
        else:
            nodes.append(problem)
    for i, text in enumerate(texts):
        measures_of_node: list[str] = nodes[i % len(nodes)]["measures"]  # type: ignore[assignment]
        measures_of_node.append(text.format(o=int_to_chinese(len(measures_of_node) + 1)))
    findings = [
        {"label": f"（{_ORDINALS[a]}）", "title": title, "children": problems[2 * a : 2 * a + 2]}
        for a, title in enumerate(_ASPECTS)
    ]
    notice = Notice.from_dict(
        {
            "title": "中共山东省委统战部关于十一届省委第八轮巡视整改进展情况的通报",
            "unit": "中共山东省委统战部",
            "inspector": "省委",
            "kind": "巡视",
            "term": "十一届",
            "round": 8,
            "group": "第十四巡视组",
            "type": "常规巡视",
            "onsite_start": "2020-10-18",
            "onsite_end": "2020-12-25",
            "feedback_date": "2021-01-30",
            "published": "2021-08-26",
            "figures": [
                {"text": "38项整改任务中有7项已整改完成", "numbers": []},
                {"text": "31项长期整改任务均取得阶段性成效", "numbers": []},
            ],
            "findings": findings,
            "contact": {
                "phone": ["0531-51775418"],
                "email": ["sdtzxx0531@126.com"],
                "address": "济南市市中区纬一路482号省委统战部",
                "postcode": "250001",
            },
        }
    )
    body_before = [
        "省委统战部领导班子高度重视巡视整改工作，强调要把巡视整改作为重要政治任务，以最坚决的态度、"
        "最严格的标准、最扎实的作风、最有力的举措，不折不扣抓好整改落实。",
        "一是统一思想认识，增强巡视整改的思想自觉行动自觉。二是加强组织领导，扎实履行整改主体责任。",
    ]
    next_steps = [
        "下一步，将继续把巡视整改落实作为重大政治任务，坚持目标不变、标准不降、力度不减，以钉钉子精神持续抓好整改落实。",
        "一是坚决做到“两个维护”，始终保持政治上的清醒坚定。",
        "二是扛牢管党治党主体责任，把全面从严治党各项要求落到实处。",
    ]
    return notice, body_before, next_steps


def sample_content(measures: int = 200) -> dict:
    """The sample notice as the content a report draft holds, the input of every download."""
    notice, body_before, next_steps = sample_notice(measures)
    return notice_content(notice, basics=body_before, steps=next_steps)


def internal_content(tasks: int = 500) -> dict:
    """An internal report (整改情况报告) with every task in its ledger table, as `internal_draft` writes it."""
    headers = ["序号", "反馈问题", "整改任务", "责任领导", "牵头单位", "完成时限", "状态", "最新进展"]
    rows = [
        [str(i), f"{1 + i // 25}.关于“{_PROBLEMS[i % 8]}”的问题", f"{_VERBS[i % 6]}，完善{_TOPICS[i % 6]}制度，建立台账逐项销号",
         f"领导{i % 9}", f"{_TOPICS[i % 6]}处", f"2021年{1 + i % 12}月30日", "推进中" if i % 3 else "已销号",
         f"2021年6月{1 + i % 28}日：召开专题会议{i % 5 + 1}次，印发实施方案，完成阶段任务。"]
        for i in range(1, tasks + 1)
    ]
    body = "\n".join(f"（{_ORDINALS[a]}）{title}" for a, title in enumerate(_ASPECTS))
    return {
        "kind": "internal", "title": "中共山东省委统战部关于十一届省委第八轮巡视整改情况的报告",
        "addressee": "省委巡视工作领导小组", "signer": "中共山东省委统战部", "date": "2021-08-26",
        "sections": [
            {"key": "organisation", "heading": "一、整改工作组织开展情况", "body": "截至2021年8月26日，整改任务按计划推进。",
             "table": None},
            {"key": "tasks", "heading": "二、反馈问题整改落实情况", "body": body,
             "table": {"headers": headers, "rows": rows, "widths": [1, 3, 4, 1.5, 2, 2, 1.5, 4]}},
        ],
    }


def _time(content: dict, repeat: int) -> tuple[float, float, float, int]:
    """Best and median wall time, median CPU time (steadier on a shared machine), size."""
    render(content, "docx")  # warm imports and caches
    timings, cpu, size = [], [], 0
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        size = len(render(content, "docx"))
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return min(timings), sorted(timings)[len(timings) // 2], sorted(cpu)[len(cpu) // 2], size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measures", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ok = True
    for what, content, bound in (
        (f"notice .docx, {args.measures} measures", sample_content(args.measures), BOUND_SECONDS),
        (f"internal report .docx, {args.tasks} tasks", internal_content(args.tasks), INTERNAL_BOUND_SECONDS),
    ):
        best, median, cpu, size = _time(content, args.repeat)
        verdict = "OK" if median <= bound else "TOO SLOW"
        ok = ok and median <= bound
        print(f"{what} ({size:,} bytes): median {median:.3f} s, best {best:.3f} s, CPU {cpu:.3f} s "
              f"over {args.repeat} runs; bound ≤ {bound} s: {verdict}")
    print(f"command: PYTHONPATH=src python bench/docx_bench.py --measures {args.measures} --tasks {args.tasks} "
          f"--repeat {args.repeat}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
