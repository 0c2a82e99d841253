"""Whether an inspection's 整改情况报告 has been published, for the ledger's dashboards.

The dashboards are the ledger's; the reports and their published versions are the reports app's. The
reports app registers its answer when it is ready (ReportsConfig.ready), so the ledger never imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

PublishedReports = Callable[[list[int]], set[int]]
_published: list[PublishedReports] = []


def register_published_reports(provider: PublishedReports) -> None:
    """Called once by the reports app: of these inspection ids, those whose 整改情况报告 is published."""
    _published[:] = [provider]


def published_reports(inspection_ids: Iterable[int]) -> set[int]:
    """The inspections among `inspection_ids` whose 整改情况报告 has been published (已报送).

    Without the reports app nothing can be published, so nothing is.
    """
    ids = list(inspection_ids)
    if not _published or not ids:
        return set()
    return _published[0](ids)
