"""Supervision rules that need no database: formalism checks, similarity, evaluation.

The working-day calendar and the deadlines live in `rectify.rules.calendar`.

Pure Python (no Django), so the same rules serve the pages, the API, the CLI and batch analysis:

- `formalism`: checks against paper-only rectification (措施空泛, 雷同措施, 照抄制度, 会议通知式销号,
  数字整改).
- `similarity`: near-duplicate detection for measures and rules.
- `scoring`: the evaluation score sheet and grade (好/较好/一般/差, 二次整改).
"""

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
    "Deduction",
    "EvidenceFile",
    "Flag",
    "Grade",
    "GradeScale",
    "ScoreSheet",
    "Section",
    "SimilarityIndex",
    "TextItem",
    "check_closure_evidence",
    "check_copied_rules",
    "check_duplicate_measures",
    "check_measure",
    "check_progress",
    "evaluate",
    "similarity",
]
