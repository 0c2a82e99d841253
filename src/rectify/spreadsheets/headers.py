"""Find the header of a ledger sheet and map its columns to fields.

Every unit names its columns its own way (反馈问题 / 存在问题 / 问题表现 …), puts a title and a
unit/date line above the header, and often groups columns under a merged heading in a two-row
header (责任主体 over 责任领导 · 牵头单位 · 配合单位).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from rectify.spreadsheets.text import cell_text, half_width

__all__ = ["FIELD_SYNONYMS", "HeaderMatch", "exact_field", "find_header", "match_header"]

FIELD_SYNONYMS: dict[str, tuple[str, ...]] = {
    "seq": ("序号", "编号", "序", "问题序号", "问题编号", "任务编号", "任务序号", "项目编号"),
    "aspect": (
        "方面",
        "问题类别",
        "问题类型",
        "问题分类",
        "问题方面",
        "所属方面",
        "反馈意见方面",
        "类别",
        "问题领域",
        "板块",
        "专项",
        "巡视反馈方面",
        "巡察反馈方面",
    ),
    "finding": (
        "反馈问题",
        "存在问题",
        "问题表现",
        "问题描述",
        "具体问题",
        "问题",
        "主要问题",
        "问题清单",
        "巡视反馈问题",
        "巡察反馈问题",
        "反馈意见",
        "问题内容",
        "突出问题",
        "问题事项",
        "具体表现",
        "主要表现",
    ),
    # The level below 反馈问题 (方面 → 问题 → 子问题), as an exported ledger writes it.
    "sub_problem": ("子问题", "具体子问题", "子问题清单"),
    "measure": (
        "整改措施",
        "整改举措",
        "具体措施",
        "整改任务",
        "措施",
        "整改内容",
        "任务清单",
        "具体整改措施",
        "整改要求",
        "整改目标及措施",
        "整改措施及目标",
        "整改事项",
        "主要措施",
    ),
    "leader": (
        "责任领导",
        "牵头领导",
        "分管领导",
        "责任人",
        "领导",
        "牵头责任领导",
        "包保领导",
        "责任领导人",
        "整改责任人",
        "牵头负责人",
        "负责领导",
    ),
    "lead_org": (
        "牵头单位",
        "责任单位",
        "责任部门",
        "牵头部门",
        "责任科室",
        "牵头科室",
        "主责单位",
        "承办单位",
        "牵头",
        "责任处室",
        "牵头处室",
        "主办单位",
        "整改责任单位",
        "牵头责任单位",
    ),
    "co_orgs": (
        "配合单位",
        "协同单位",
        "协办单位",
        "配合部门",
        "协办部门",
        "参与单位",
        "配合",
        "协办",
        "协同",
        "配合处室",
        "配合科室",
        "协助单位",
    ),
    "deadline": (
        "完成时限",
        "整改时限",
        "完成时间",
        "整改期限",
        "时限",
        "完成期限",
        "时间节点",
        "整改时间",
        "时限要求",
        "计划完成时间",
        "办结时限",
    ),
    "category": ("整改类型", "整改类别", "整改方式", "整改分类", "类型", "整改性质"),
    "status": ("整改状态", "状态", "是否完成", "完成状态", "办理状态", "是否整改到位", "是否销号"),
    "light": ("预警", "红黄绿灯", "亮灯", "信号灯", "预警灯", "亮灯情况"),
    "progress": (
        "整改进展",
        "进展情况",
        "目前进展",
        "整改情况",
        "完成情况",
        "整改进度",
        "进度",
        "进展",
        "整改落实情况",
        "落实情况",
        "整改成效",
        "整改完成情况",
        "整改进展情况",
        "工作进展",
    ),
    "note": ("备注", "说明", "其他"),
}

_EXACT = {synonym: name for name, synonyms in FIELD_SYNONYMS.items() for synonym in synonyms}
_BY_LENGTH = sorted(_EXACT.items(), key=lambda item: -len(item[0]))
_BRACKETS = re.compile(r"[(（\[【][^)）\]】]*[)）\]】]")
_DECORATION = re.compile(r"[\s*※★:：、.。]")
# A header cell holds a label and perhaps a remark, never a sentence.
MAX_EXTRA_CHARS = 6
# Fields whose presence tells a ledger header from an ordinary row.
CORE_FIELDS = {"aspect", "finding", "measure", "leader", "lead_org", "co_orgs", "deadline", "progress"}


def normalize_header(value: object) -> str:
    return _DECORATION.sub("", half_width(cell_text(value)))


def match_header(value: object) -> str | None:
    """The field a header cell names, or None ("存在问题" → "finding")."""
    text = normalize_header(value)
    if not text or len(text) > 24:
        return None
    bare = _BRACKETS.sub("", text)
    for candidate in (bare, text):
        if not candidate:
            continue
        if candidate in _EXACT:
            return _EXACT[candidate]
        for synonym, name in _BY_LENGTH:
            if synonym in candidate and len(candidate) <= len(synonym) + MAX_EXTRA_CHARS:
                return name
    return None


@lru_cache(maxsize=8192)
def exact_field(value: str) -> str | None:
    """The field a cell names word for word ("牵头单位"), for spotting a repeated header row."""
    text = normalize_header(value)
    return _EXACT.get(_BRACKETS.sub("", text)) or _EXACT.get(text)


@dataclass
class HeaderMatch:
    """The header row(s) of a sheet and the field of each used column (1-based)."""

    rows: list[int]
    fields: dict[int, str] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)


def find_header(
    rows: Sequence[Sequence[Any]],
    *,
    scan_rows: int,
    merged_across: Callable[[int, int], bool],
    merged_down: Callable[[int, int], bool],
) -> HeaderMatch | None:
    """Find the first row that names at least two ledger fields, one of them 反馈问题 or 整改措施.

    ``rows`` has merged cells already filled with their value. ``merged_across(row, col)`` tells
    whether a cell belongs to a merge spanning several columns (a group heading) and
    ``merged_down(row, col)`` whether it continues a merge from the row above (1-based).
    """
    for index in range(min(scan_rows, len(rows))):
        fields = _row_fields(rows[index])
        core = {name for name in fields.values() if name in CORE_FIELDS}
        if len(core) < 2 or not core & {"finding", "measure"}:
            continue
        texts = {col: normalize_header(rows[index][col - 1]) for col in fields}
        header = HeaderMatch(rows=[index + 1], fields=dict(fields), texts=texts)
        if index + 1 < len(rows):
            _merge_sub_header(header, rows[index], rows[index + 1], index + 2, merged_across, merged_down)
        _settle_duplicates(header)
        return header
    return None


def _row_fields(row: Sequence[Any]) -> dict[int, str]:
    fields: dict[int, str] = {}
    for col, value in enumerate(row, start=1):
        name = match_header(value)
        if name:
            fields[col] = name
    return fields


def _merge_sub_header(
    header: HeaderMatch,
    upper: Sequence[Any],
    lower: Sequence[Any],
    lower_row: int,
    merged_across: Callable[[int, int], bool],
    merged_down: Callable[[int, int], bool],
) -> None:
    """Take the second row of a two-row header, if the row below the header is one."""
    labels: dict[int, str] = {}
    for col, value in enumerate(lower, start=1):
        text = normalize_header(value)
        if not text:
            continue
        above = normalize_header(upper[col - 1]) if col - 1 < len(upper) else ""
        if merged_down(lower_row, col) or text == above:
            continue  # a heading merged over both header rows
        # Under a group heading (merged across, or not a field itself) a loose label will do;
        # elsewhere only an exact synonym, so that a short problem like "问题甲" is not a header.
        grouped = not above or merged_across(lower_row - 1, col) or col not in header.fields
        name = exact_field(text)
        if name is None and grouped:
            name = match_header(text) or match_header(above + text)
        if name is None:
            return  # ordinary data: this is no header row
        labels[col] = name
    if not labels:
        return
    header.rows.append(lower_row)
    for col, name in labels.items():
        above = normalize_header(upper[col - 1]) if col - 1 < len(upper) else ""
        header.fields[col] = name
        text = normalize_header(lower[col - 1])
        header.texts[col] = f"{above}/{text}" if above and above != text else text


def _settle_duplicates(header: HeaderMatch) -> None:
    """牵头单位 next to 责任单位 with no 配合单位 column: 责任单位 lists the co-operating units."""
    lead = [col for col, name in header.fields.items() if name == "lead_org"]
    has_co = any(name == "co_orgs" for name in header.fields.values())
    if len(lead) > 1 and not has_co:
        marked = [col for col in lead if "牵头" in header.texts.get(col, "")]
        if marked:
            for col in lead:
                if col not in marked:
                    header.fields[col] = "co_orgs"
