"""Supervision records: notifications and their delivery, dispatch meetings, orders (五书), plan
versions and reviews, evaluations."""

from rectify.supervision.models.meetings import Dispatch, DispatchDecision, Order
from rectify.supervision.models.notifications import Notification, WebhookDelivery, WebhookEndpoint
from rectify.supervision.models.problems import ProblemAnalysis, ProblemCluster, ProblemMember, ProblemTitle
from rectify.supervision.models.reviews import Evaluation, PlanReview, PlanVersion, ReviewParty, SecondRound

__all__ = [
    "Dispatch",
    "DispatchDecision",
    "Evaluation",
    "Notification",
    "Order",
    "PlanReview",
    "PlanVersion",
    "ProblemAnalysis",
    "ProblemCluster",
    "ProblemMember",
    "ProblemTitle",
    "ReviewParty",
    "SecondRound",
    "WebhookDelivery",
    "WebhookEndpoint",
]
