"""Trigram indexes for the search page on PostgreSQL (pg_trgm): `icontains` over a province's tasks.

Django's `icontains` on PostgreSQL is `UPPER(col::text) LIKE UPPER('%…%')`; a GIN index with
`gin_trgm_ops` on the same expression serves it for words of three characters or more
(bench/notes/proposal-search-trigram.txt: 1,916 ms → 0.27 ms at 1,000,000 tasks). SQLite has no such
index; its databases are small enough for a scan.
"""

from django.db import migrations

INDEXES = [
    ("ledger_task_title_trgm", "ledger_task", "title"),
    ("ledger_task_leader_name_trgm", "ledger_task", "leader_name"),
    ("ledger_progress_text_trgm", "ledger_progress", "text"),
    ("inspections_finding_title_trgm", "inspections_finding", "title"),
    ("inspections_finding_text_trgm", "inspections_finding", "text"),
    ("organizations_org_name_trgm", "organizations_organization", "name"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{table}" USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_unit_tallies"),
        ("inspections", "0002_initial"),
        ("organizations", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
