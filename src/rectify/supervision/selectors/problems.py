"""Common problems across units (共性问题): similar findings clustered over the visible inspections.

The clustering itself runs in the background (services/problems.py, `rectify worker`); this reads
its summary, restricted to the units the actor sees, in a few queries whatever the province's size.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.translation import gettext as _

from rectify.errors import Forbidden
from rectify.jobs.models import Job
from rectify.ledger.selectors import inspections_visible_to
from rectify.organizations.models import Organization, User
from rectify.organizations.scoping import grants
from rectify.rules.permissions import Action, has_role
from rectify.supervision.models import ProblemAnalysis, ProblemCluster
from rectify.supervision.services import problems as analysis_service

DEFAULT_THRESHOLD = 0.5
# The page lists this many components, each with this many of its findings (the counts are complete).
PAGE_CLUSTERS = 100
ITEMS_SHOWN = 20
VISIBLE_UNITS_SECONDS = 300


@dataclass(frozen=True)
class ClusterItem:
    finding_id: int
    title: str
    unit: str


@dataclass(frozen=True)
class Cluster:
    """A connected component of similar findings: how many, in which units (items: some of them)."""

    title: str
    items: tuple[ClusterItem, ...]
    units: tuple[str, ...]
    count: int


@dataclass(frozen=True)
class Analysis:
    """What the page shows: the clusters as last computed, and whether a newer run is under way."""

    clusters: list[Cluster]
    computed_at: object
    # Findings were added since (or there is no analysis yet): the view asks the worker for a run.
    stale: bool
    pending: bool
    job: Job | None

    @property
    def progress(self) -> int:
        return self.job.progress if self.job else 0


def _require_analyst(actor: User) -> None:
    if not has_role(Action.ANALYSE, {g.role for g in grants(actor)}):
        raise Forbidden(_("只有巡视巡察办可以分析共性问题"))


def _visible_units(actor: User) -> dict[int, str]:
    """The units whose inspections the actor sees (inspections_visible_to) with their names, kept in the
    shared cache under the actor's grants themselves: a changed membership is another key, never a stale
    answer (a renamed unit shows its new name within VISIBLE_UNITS_SECONDS)."""
    held = sorted((g.role, g.path) for g in grants(actor))
    key = "rectify:visible-unit-names:" + hashlib.sha256(repr(held).encode()).hexdigest()
    units = cache.get(key)
    if units is None:
        ids = inspections_visible_to(actor).order_by().values("target_id").distinct()
        units = dict(Organization.objects.filter(pk__in=ids).values_list("pk", "name"))
        cache.set(key, units, VISIBLE_UNITS_SECONDS)
    return units


def _clusters(actor: User, analysis: ProblemAnalysis, *, min_units: int, limit: int | None,
              items: int | None) -> list[Cluster]:
    names = _visible_units(actor)
    rows = list(ProblemCluster.objects.filter(analysis=analysis, unit_count__gte=min_units).only(
        "pk", "title", "finding_count", "unit_count", "unit_counts"))
    kept: list[tuple[ProblemCluster, dict[int, int]]] = []
    for row in rows:
        units = {int(u): n for u, n in row.unit_counts.items() if int(u) in names}
        if len(units) >= min_units:
            kept.append((row, units))
    kept.sort(key=lambda pair: (-len(pair[1]), -sum(pair[1].values()), pair[0].title))
    if limit:
        kept = kept[:limit]
    # Examples only for the clusters shown; the page's few examples unless they are not enough.
    ids = [row.pk for row, _units in kept]
    field = "examples" if items else "samples"
    examples = dict(ProblemCluster.objects.filter(pk__in=ids).values_list("pk", field))
    found: list[Cluster] = []
    for row, units in kept:
        listed = examples[row.pk]
        if items and sum(1 for _f, _t, unit in listed if unit in units) < min(items, sum(units.values())):
            listed = ProblemCluster.objects.filter(pk=row.pk).values_list("samples", flat=True)[0]
        shown = [ClusterItem(fid, title, names[unit]) for fid, title, unit in listed if unit in units]
        found.append(Cluster(row.title, tuple(shown[:items] if items else shown),
                             tuple(sorted(names[u] for u in units)), sum(units.values())))
    return found


def common_problems_page(actor: User, *, threshold: float = DEFAULT_THRESHOLD, min_units: int = 2) -> Analysis:
    """共性问题 for the page: the last analysis at `threshold` over the actor's units (the first
    PAGE_CLUSTERS components, ITEMS_SHOWN findings each), whether it is stale, and the run under way."""
    _require_analyst(actor)
    value = analysis_service.as_threshold(threshold)
    analysis = ProblemAnalysis.objects.filter(threshold=value).first()
    job = (Job.objects.filter(key=analysis_service.job_key(value), status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
           .order_by("-pk").first())
    if analysis is None or analysis.computed_at is None:
        return Analysis([], None, True, job is not None, job)
    clusters = _clusters(actor, analysis, min_units=min_units, limit=PAGE_CLUSTERS, items=ITEMS_SHOWN)
    return Analysis(clusters, analysis.computed_at, analysis_service.is_stale(analysis), job is not None, job)


def common_problems(actor: User, *, threshold: float = DEFAULT_THRESHOLD, min_units: int = 2) -> list[Cluster]:
    """共性问题: findings (below the aspect level) of the visible inspections whose titles are similar
    (Jaccard of character bigrams ≥ threshold), linked into connected components that span at least
    `min_units` of the actor's units; largest first, as of the last analysis."""
    _require_analyst(actor)
    analysis = ProblemAnalysis.objects.filter(threshold=analysis_service.as_threshold(threshold)).first()
    if analysis is None or analysis.computed_at is None:
        return []
    return _clusters(actor, analysis, min_units=min_units, limit=None, items=None)
