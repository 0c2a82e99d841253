"""共性问题 analysis, run as a background job: similar finding titles linked into components, read
incrementally (only findings added since the last run), with memory bounded by the number of distinct
titles (never by findings or by pairs), and a summary per component that the page reads as it is."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from rectify.inspections.models import Finding
from rectify.jobs import locks, queue
from rectify.supervision.models import ProblemAnalysis, ProblemCluster, ProblemMember, ProblemTitle
from rectify.supervision.rules.similarity import SimilarityIndex, normalize

JOB = "supervision.common_problems"
DEFAULT_THRESHOLD = Decimal("0.50")
CHUNK = 5000
SAMPLES_PER_UNIT = 3
# Examples kept for the page (it shows 20 of the actor's units' findings).
EXAMPLES = 60


def job_key(threshold: Decimal) -> str:
    return f"{JOB}:{threshold}"


def as_threshold(value: float | Decimal) -> Decimal:
    """Thresholds are kept to two decimals: 0.5 and 0.50 are one analysis."""
    return Decimal(str(value)).quantize(Decimal("0.01"))


def request_analysis(threshold: float | Decimal, *, full: bool = False) -> ProblemAnalysis:
    """Ask the worker to bring the analysis at `threshold` up to date (once, however often asked)."""
    value = as_threshold(threshold)
    analysis, _created = ProblemAnalysis.objects.get_or_create(threshold=value)
    ProblemAnalysis.objects.filter(pk=analysis.pk).update(requested_at=timezone.now())
    queue.enqueue(JOB, {"threshold": str(value), "full": full}, key=job_key(value))
    return analysis


def is_stale(analysis: ProblemAnalysis) -> bool:
    """Findings were added after the last run (deleted ones leave the analysis on their own)."""
    return analysis.computed_at is None or Finding.objects.filter(pk__gt=analysis.last_finding_id).exists()


def _digest(text: str) -> str:
    return hashlib.sha256(normalize(text).encode()).hexdigest()


class _Components:
    def __init__(self, parent: dict[int, int]) -> None:
        self.parent = parent

    def find(self, key: int) -> int:
        root = self.parent.setdefault(key, key)
        while root != self.parent[root]:
            root = self.parent[root]
        while key != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def analyse_common_problems(threshold: float | Decimal, *, full: bool = False,
                            progress: Callable[[int, str], None] | None = None) -> ProblemAnalysis:
    """Bring the 共性问题 analysis at `threshold` up to date: new findings are matched against the
    distinct titles already seen (Jaccard of character bigrams ≥ threshold, as on the task page), their
    components merged, and the per-component summary rewritten."""
    value = as_threshold(threshold)
    report = progress or (lambda percent, note: None)
    with locks.exclusive(job_key(value)):
        analysis, _created = ProblemAnalysis.objects.get_or_create(threshold=value)
        if full:
            ProblemTitle.objects.filter(analysis=analysis).delete()  # members go with them
            analysis.last_finding_id, analysis.findings = 0, 0
        # The titles seen so far: the only state held in memory.
        index = SimilarityIndex()
        ids: dict[str, int] = {}
        parent: dict[int, int] = {}
        for pk, digest, title, root in ProblemTitle.objects.filter(analysis=analysis).values_list(
                "pk", "digest", "title", "root").order_by("pk").iterator(chunk_size=CHUNK):
            index.add(pk, title)
            ids[digest] = pk
            parent[pk] = root or pk
        components = _Components(parent)
        known_roots = dict(parent)
        problems = (
            Finding.objects.filter(pk__gt=analysis.last_finding_id, level__gte=Finding.Level.PROBLEM)
            .exclude(kind=Finding.Kind.RECOMMENDATION)
        )
        total = problems.count()
        done, last = 0, analysis.last_finding_id
        while True:
            rows = list(problems.filter(pk__gt=last).order_by("pk").values_list(
                "pk", "title", "inspection__target_id")[:CHUNK])
            if not rows:
                break
            members = []
            with transaction.atomic():
                for pk, title, unit_id in rows:
                    digest = _digest(title)
                    title_id = ids.get(digest)
                    if title_id is None:
                        row = ProblemTitle.objects.create(analysis=analysis, digest=digest, title=title[:500])
                        title_id = ids[digest] = row.pk
                        components.find(title_id)
                        for other, _score in index.search(title, float(value)):
                            components.union(title_id, int(other))  # type: ignore[call-overload]
                        index.add(title_id, title)
                    members.append(ProblemMember(analysis=analysis, finding_id=pk, title_id=title_id, unit_id=unit_id))
                ProblemMember.objects.bulk_create(members, batch_size=CHUNK, ignore_conflicts=True)
            last = rows[-1][0]
            done += len(rows)
            report(int(90 * done / max(total, 1)), f"{done}/{total}")
        members_now = ProblemMember.objects.filter(analysis=analysis).count()
        if done == 0 and not full and analysis.computed_at and members_now == analysis.findings:
            return analysis  # nothing added, nothing deleted: the summary stands
        with transaction.atomic():
            moved = [ProblemTitle(pk=pk, root=components.find(pk)) for pk in parent
                     if components.find(pk) != known_roots.get(pk)]
            ProblemTitle.objects.bulk_update(moved, ["root"], batch_size=CHUNK)
            report(95, "summary")
            _summarise(analysis)
            analysis.last_finding_id = max(last, analysis.last_finding_id)
            analysis.findings = members_now
            analysis.computed_at = timezone.now()
            analysis.save(update_fields=["last_finding_id", "findings", "computed_at"])
    return analysis


def _summarise(analysis: ProblemAnalysis) -> None:
    """Rewrite the per-component rows from the members, counted by the database (one pass, no rows
    held per finding)."""
    counts: dict[int, Counter[int]] = defaultdict(Counter)
    per_title: dict[int, Counter[int]] = defaultdict(Counter)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.root, t.id, m.unit_id, count(*) FROM supervision_problemmember m "
            "JOIN supervision_problemtitle t ON t.id = m.title_id WHERE m.analysis_id = %s "
            "GROUP BY t.root, t.id, m.unit_id", [analysis.pk])
        for root, title_id, unit_id, n in cursor.fetchall():
            counts[root][unit_id] += n
            per_title[root][title_id] += n
    shared = {root: units for root, units in counts.items() if len(units) >= 2}
    titles = dict(ProblemTitle.objects.filter(analysis=analysis, root__in=list(shared)).values_list("pk", "title"))
    clusters = []
    for root, units in shared.items():
        # The title most findings share, else the shortest: a readable name for the component.
        (top_id, top_n), = per_title[root].most_common(1)
        name = titles[top_id] if top_n > 1 else min((titles[t] for t in per_title[root]), key=len)
        clusters.append(ProblemCluster(
            analysis=analysis, root=root, title=name, finding_count=sum(units.values()), unit_count=len(units),
            unit_counts={str(u): n for u, n in units.items()}, samples=[]))
    ProblemCluster.objects.filter(analysis=analysis).delete()
    ProblemCluster.objects.bulk_create(clusters, batch_size=1000)
    _samples(analysis)


def _samples(analysis: ProblemAnalysis) -> None:
    """A few findings of each unit in each component, for the page to list without reading members."""
    picked: dict[int, list[list[Any]]] = defaultdict(list)
    turns: dict[int, list[tuple[int, int, list[Any]]]] = defaultdict(list)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT root, finding_id, title, unit_id, n FROM ("
            " SELECT t.root, m.finding_id, t.title, m.unit_id, row_number() OVER ("
            "  PARTITION BY t.root, m.unit_id ORDER BY m.finding_id) AS n"
            " FROM supervision_problemmember m JOIN supervision_problemtitle t ON t.id = m.title_id"
            " WHERE m.analysis_id = %s AND t.root IN (SELECT root FROM supervision_problemcluster WHERE analysis_id = %s)"
            ") ranked WHERE n <= %s ORDER BY root, finding_id", [analysis.pk, analysis.pk, SAMPLES_PER_UNIT])
        for root, finding_id, title, unit_id, n in cursor.fetchall():
            picked[root].append([finding_id, title, unit_id])
            turns[root].append((n, finding_id, [finding_id, title, unit_id]))
    clusters = list(ProblemCluster.objects.filter(analysis=analysis))
    for cluster in clusters:
        cluster.samples = picked.get(cluster.root, [])
        cluster.examples = [item for _n, _f, item in sorted(turns.get(cluster.root, []), key=lambda t: t[:2])][:EXAMPLES]
    ProblemCluster.objects.bulk_update(clusters, ["samples", "examples"], batch_size=500)
