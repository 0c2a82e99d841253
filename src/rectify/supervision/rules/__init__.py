"""Supervision rules that need no database: deadlines, formalism checks, similarity, evaluation.

Pure Python (no Django), so the same rules serve the pages, the API, the CLI and batch analysis:

- `calendar`: the Chinese working-day calendar and the deadlines of DESIGN.md (整改方案, 整改情况报告,
  问题线索).
- `formalism`: checks against paper-only rectification (措施空泛, 雷同措施, 照抄制度, 会议通知式销号,
  数字整改).
- `similarity`: near-duplicate detection for measures and rules.
- `scoring`: the evaluation score sheet and grade (好/较好/一般/差, 二次整改).
"""

from rectify.supervision.rules.calendar import (
    DeadlineClock,
    DeadlineRules,
    Due,
    WorkCalendar,
    add_months,
    add_working_days,
    is_working_day,
    lead_reply_due,
    plan_due,
    report_due,
)
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
from rectify.supervision.rules.scoring import (
    CompletionCounts,
    Deduction,
    Grade,
    GradeScale,
    ScoreSheet,
    Section,
    evaluate,
)
from rectify.supervision.rules.similarity import SimilarityIndex, similarity

__all__ = [
    "CompletionCounts",
    "DeadlineClock",
    "DeadlineRules",
    "Deduction",
    "Due",
    "EvidenceFile",
    "Flag",
    "Grade",
    "GradeScale",
    "ScoreSheet",
    "Section",
    "SimilarityIndex",
    "TextItem",
    "WorkCalendar",
    "add_months",
    "add_working_days",
    "check_closure_evidence",
    "check_copied_rules",
    "check_duplicate_measures",
    "check_measure",
    "check_progress",
    "evaluate",
    "is_working_day",
    "lead_reply_due",
    "plan_due",
    "report_due",
    "similarity",
]
