"""Evaluation after the concentrated rectification period (集中整改期满评估).

A score sheet of sections with weights (default 组织领导 15, 责任落实 15, 整改任务完成 60, 群众满意度 10),
deductions (扣分项, each with points and a reason, capped per section), the task-completion section
computed from counts, and a grade: 好 ≥ 90, 较好 ≥ 80, 一般 ≥ 60, 差 below. 一般 and 差 mean a second
round of rectification (二次整改). All arithmetic is Decimal, rounded half-up to two places.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from rectify.rules.messages import gettext_noop

__all__ = [
    "COMPLETION",
    "DEFAULT_SCALE",
    "DEFAULT_SECTIONS",
    "LEADERSHIP",
    "RESPONSIBILITY",
    "SATISFACTION",
    "CompletionCounts",
    "Deduction",
    "Grade",
    "GradeScale",
    "ScoreSheet",
    "Section",
    "SectionScore",
    "completion_points",
    "evaluate",
    "grade_for",
    "sections_with_weights",
]

LEADERSHIP = "leadership"
RESPONSIBILITY = "responsibility"
COMPLETION = "completion"
SATISFACTION = "satisfaction"

_ZERO = Decimal(0)
_CENT = Decimal("0.01")
_HUNDRED = Decimal(100)


def _dec(value: Decimal | int | str) -> Decimal:
    """Decimal from Decimal, int or str; floats are refused so that 0.1 never becomes 0.1000000000000000055."""
    if isinstance(value, float):
        raise TypeError("use Decimal or str, not float, for scores")
    result = Decimal(value)
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def _round(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Section:
    """One part of the score sheet. `cap` limits the deductions it can take (default: its weight)."""

    code: str
    label: str
    weight: Decimal
    cap: Decimal | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "weight", _dec(self.weight))
        if self.weight < 0:
            raise ValueError(f"section {self.code}: weight must not be negative")
        if self.cap is not None:
            object.__setattr__(self, "cap", _dec(self.cap))
            if self.cap < 0:
                raise ValueError(f"section {self.code}: cap must not be negative")

    @property
    def deduction_cap(self) -> Decimal:
        return self.weight if self.cap is None else min(self.cap, self.weight)


DEFAULT_SECTIONS: tuple[Section, ...] = (
    Section(LEADERSHIP, gettext_noop("组织领导"), Decimal(15)),
    Section(RESPONSIBILITY, gettext_noop("责任落实"), Decimal(15)),
    Section(COMPLETION, gettext_noop("整改任务完成"), Decimal(60)),
    Section(SATISFACTION, gettext_noop("群众满意度"), Decimal(10)),
)


class Grade(StrEnum):
    GOOD = "good"
    FAIRLY_GOOD = "fairly_good"
    FAIR = "fair"
    POOR = "poor"

    @property
    def label(self) -> str:
        return {"good": "好", "fairly_good": "较好", "fair": "一般", "poor": "差"}[self.value]

    @property
    def needs_second_round(self) -> bool:
        """一般 and 差 send the unit into a second round of rectification (二次整改)."""
        return self in (Grade.FAIR, Grade.POOR)


@dataclass(frozen=True)
class GradeScale:
    """Lowest total for each grade, on the 100-point scale."""

    good: Decimal = Decimal(90)
    fairly_good: Decimal = Decimal(80)
    fair: Decimal = Decimal(60)

    def __post_init__(self) -> None:
        for name in ("good", "fairly_good", "fair"):
            object.__setattr__(self, name, _dec(getattr(self, name)))
        if not (_HUNDRED >= self.good >= self.fairly_good >= self.fair >= _ZERO):
            raise ValueError("grade thresholds must satisfy 100 ≥ good ≥ fairly_good ≥ fair ≥ 0")


DEFAULT_SCALE = GradeScale()


def grade_for(total: Decimal, scale: GradeScale = DEFAULT_SCALE) -> Grade:
    """好 / 较好 / 一般 / 差 for a total; a total equal to a threshold earns that grade."""
    if total >= scale.good:
        return Grade.GOOD
    if total >= scale.fairly_good:
        return Grade.FAIRLY_GOOD
    if total >= scale.fair:
        return Grade.FAIR
    return Grade.POOR


@dataclass(frozen=True)
class Deduction:
    """One 扣分项: the section it belongs to, the points, and the reason shown on the sheet."""

    section: str
    points: Decimal
    reason: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "points", _dec(self.points))
        if self.points < 0:
            raise ValueError("deduction points must not be negative")
        if not self.reason.strip():
            raise ValueError("a deduction needs a reason")


@dataclass(frozen=True)
class CompletionCounts:
    """Tasks for the completion section: those due by the evaluation date, how many of them are
    closed (销号), and how many are overdue (past their deadline and still open)."""

    due: int
    closed: int
    overdue: int = 0

    def __post_init__(self) -> None:
        if min(self.due, self.closed, self.overdue) < 0:
            raise ValueError("task counts must not be negative")
        if self.closed > self.due:
            raise ValueError("closed tasks cannot outnumber tasks due")
        if self.overdue > self.due - self.closed:
            raise ValueError("overdue tasks must be among the open tasks")


def completion_points(
    counts: CompletionCounts,
    *,
    weight: Decimal = Decimal(60),
    overdue_penalty: Decimal = Decimal(2),
) -> Decimal:
    """The completion section: weight × closed / due, minus `overdue_penalty` per overdue task, ≥ 0.

    With nothing due yet the section is full.
    """
    weight = _dec(weight)
    penalty = _dec(overdue_penalty)
    if counts.due == 0:
        return _round(weight)
    base = weight * Decimal(counts.closed) / Decimal(counts.due)
    return _round(max(_ZERO, base - penalty * counts.overdue))


@dataclass(frozen=True)
class SectionScore:
    section: Section
    base: Decimal
    deductions: tuple[Deduction, ...]
    deducted: Decimal  # after the cap
    points: Decimal

    @property
    def capped(self) -> bool:
        return self.deducted < sum((d.points for d in self.deductions), _ZERO)


@dataclass(frozen=True)
class ScoreSheet:
    sections: tuple[SectionScore, ...]
    total: Decimal
    grade: Grade
    notes: tuple[str, ...] = field(default=())

    @property
    def needs_second_round(self) -> bool:
        return self.grade.needs_second_round

    def section(self, code: str) -> SectionScore:
        for score in self.sections:
            if score.section.code == code:
                return score
        raise KeyError(code)

    def as_rows(self) -> list[dict[str, str]]:
        """One row per section for a table or an export: 项目, 分值, 得分, 扣分说明."""
        return [
            {
                "项目": s.section.label,
                "分值": str(s.section.weight),
                "得分": str(s.points),
                "扣分说明": "；".join(f"{d.reason}（扣{d.points}分）" for d in s.deductions),
            }
            for s in self.sections
        ]


def sections_with_weights(
    weights: Mapping[str, Decimal | int | str], sections: Sequence[Section] = DEFAULT_SECTIONS
) -> tuple[Section, ...]:
    """The default sections with a deployment's weights, e.g. {"completion": 50, "satisfaction": 20}."""
    unknown = set(weights) - {s.code for s in sections}
    if unknown:
        raise ValueError(f"unknown sections: {', '.join(sorted(unknown))}")
    return tuple(
        Section(s.code, s.label, _dec(weights[s.code]), s.cap) if s.code in weights else s for s in sections
    )


def evaluate(
    *,
    deductions: Iterable[Deduction] = (),
    completion: CompletionCounts | None = None,
    satisfaction: Decimal | None = None,
    sections: Sequence[Section] = DEFAULT_SECTIONS,
    scale: GradeScale = DEFAULT_SCALE,
    overdue_penalty: Decimal = Decimal(2),
) -> ScoreSheet:
    """Score one unit's rectification and grade it (好/较好/一般/差).

    Each section starts from its weight, except the completion section when `completion` counts are
    given and the satisfaction section when `satisfaction` (a rate between 0 and 1 from a survey,
    e.g. Decimal("0.93")) is given. Deductions then come off, at most the section's cap, never below 0.
    The weights must add up to 100, because the grade thresholds are on a 100-point scale.
    """
    codes = [s.code for s in sections]
    if len(set(codes)) != len(codes):
        raise ValueError("section codes must be unique")
    total_weight = sum((s.weight for s in sections), _ZERO)
    if total_weight != _HUNDRED:
        raise ValueError(f"section weights add up to {total_weight}, not 100")
    items = list(deductions)
    unknown = {d.section for d in items} - set(codes)
    if unknown:
        raise ValueError(f"deductions for unknown sections: {', '.join(sorted(unknown))}")
    if satisfaction is not None:
        satisfaction = _dec(satisfaction)
        if not _ZERO <= satisfaction <= 1:
            raise ValueError("satisfaction is a rate between 0 and 1")

    notes: list[str] = []
    scores: list[SectionScore] = []
    for section in sections:
        base = section.weight
        if section.code == COMPLETION and completion is not None:
            base = completion_points(completion, weight=section.weight, overdue_penalty=overdue_penalty)
            notes.append(
                f"整改任务完成：应完成{completion.due}项，已销号{completion.closed}项，"
                f"逾期未完成{completion.overdue}项"
            )
        elif section.code == SATISFACTION and satisfaction is not None:
            base = _round(section.weight * satisfaction)
            notes.append(f"群众满意度：满意率{_round(satisfaction * _HUNDRED)}%")
        own = tuple(d for d in items if d.section == section.code)
        requested = sum((d.points for d in own), _ZERO)
        deducted = min(requested, section.deduction_cap, base)
        scores.append(SectionScore(section, base, own, deducted, _round(base - deducted)))

    total = _round(sum((s.points for s in scores), _ZERO))
    return ScoreSheet(tuple(scores), total, grade_for(total, scale), tuple(notes))
