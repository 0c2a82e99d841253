from rectify.ledger.models.extensions import Extension
from rectify.ledger.models.records import Lead, Outcome, RuleChange
from rectify.ledger.models.summary import UnitTally, UnitWeekTally
from rectify.ledger.models.tasks import (
    ClosureReview,
    Comment,
    Evidence,
    Handover,
    LookBack,
    LookBackSample,
    Progress,
    Task,
)

__all__ = [
    "ClosureReview",
    "Comment",
    "Evidence",
    "Extension",
    "Handover",
    "Lead",
    "LookBack",
    "LookBackSample",
    "Outcome",
    "Progress",
    "RuleChange",
    "Task",
    "UnitTally",
    "UnitWeekTally",
]
