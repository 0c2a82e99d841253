"""Common problems across units (共性问题): similar findings clustered over the visible inspections."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from rectify.errors import Forbidden
from rectify.inspections.models import Finding
from rectify.ledger.selectors import inspections_visible_to
from rectify.organizations.models import User
from rectify.organizations.scoping import grants
from rectify.rules.permissions import ALLOWED, Action
from rectify.supervision.rules.similarity import SimilarityIndex

DEFAULT_THRESHOLD = 0.5


@dataclass(frozen=True)
class ClusterItem:
    finding_id: int
    title: str
    inspection_id: int
    unit: str


@dataclass(frozen=True)
class Cluster:
    """A connected component of similar findings: how many, in which units."""

    title: str
    items: tuple[ClusterItem, ...]
    units: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.items)


class _Components:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, key: int) -> int:
        root = self.parent.setdefault(key, key)
        while root != self.parent[root]:
            root = self.parent[root]
        while key != root:  # path compression
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def common_problems(actor: User, *, threshold: float = DEFAULT_THRESHOLD, min_units: int = 2) -> list[Cluster]:
    """共性问题: findings (below the aspect level) of the visible inspections whose titles are similar
    (Jaccard of character bigrams ≥ threshold), linked into connected components that span at least
    `min_units` units; largest first."""
    if not {g.role for g in grants(actor)} & ALLOWED[Action.ANALYSE]:
        raise Forbidden(_("只有巡视巡察办可以分析共性问题"))
    rows = list(
        Finding.objects.filter(inspection__in=inspections_visible_to(actor), level__gte=Finding.Level.PROBLEM)
        .exclude(kind=Finding.Kind.RECOMMENDATION)
        .values_list("pk", "title", "inspection_id", "inspection__target_id", "inspection__target__name")
        .order_by("pk")
    )
    index = SimilarityIndex()
    info: dict[int, tuple[ClusterItem, int]] = {}
    for pk, title, inspection_id, unit_id, unit_name in rows:
        index.add(pk, title, group=unit_id)
        info[pk] = (ClusterItem(pk, title, inspection_id, unit_name), unit_id)
    components = _Components()
    for pair in index.pairs(threshold):
        components.union(int(pair.a), int(pair.b))  # type: ignore[call-overload]
    groups: dict[int, list[int]] = {}
    for key in components.parent:
        groups.setdefault(components.find(key), []).append(key)
    clusters: list[Cluster] = []
    for members in groups.values():
        unit_ids = {info[m][1] for m in members}
        if len(members) < 2 or len(unit_ids) < min_units:
            continue
        items = tuple(info[m][0] for m in sorted(members))
        # The title most findings share, else the shortest: a readable name for the cluster.
        common = Counter(i.title for i in items).most_common(1)[0]
        title = common[0] if common[1] > 1 else min((i.title for i in items), key=len)
        units = tuple(sorted({i.unit for i in items}))
        clusters.append(Cluster(title, items, units))
    clusters.sort(key=lambda c: (-len(c.units), -c.count, c.title))
    return clusters
