from django.urls import path

from rectify.ledger.views import dashboards, ledger, notice_import, pages, registers, task

app_name = "ledger"

urlpatterns = [
    path("", pages.home, name="home"),
    path("my/tasks/", pages.my_tasks, name="my_tasks"),
    path("approvals/", pages.approvals, name="approvals"),
    path("search/", pages.search, name="search"),
    path("overview/", dashboards.overview, name="overview"),
    path("units/<int:pk>/dashboard/", dashboards.unit_dashboard, name="unit_dashboard"),
    path("inspections/<int:pk>/ledger/", ledger.ledger, name="ledger"),
    path("inspections/<int:pk>/findings/", ledger.findings, name="findings"),
    path("inspections/<int:pk>/findings/add/", ledger.add_finding, name="add_finding"),
    path("inspections/<int:pk>/findings/edit/", ledger.edit_finding, name="edit_finding"),
    path("inspections/<int:pk>/findings/delete/", ledger.delete_finding, name="delete_finding"),
    path("inspections/<int:pk>/tasks/add/", ledger.add_task, name="add_task"),
    path("inspections/<int:pk>/responsibility/", ledger.responsibility, name="responsibility"),
    path("inspections/<int:pk>/bulk/", ledger.bulk_assign, name="bulk_assign"),
    path("tasks/<int:pk>/", task.task_detail, name="task"),
    path("tasks/<int:pk>/row/", ledger.task_row, name="task_row"),
    path("tasks/<int:pk>/row/edit/", ledger.task_row_edit, name="task_row_edit"),
    path("tasks/<int:pk>/<slug:action>/", task.task_action, name="task_action"),
    path("evidence/<int:pk>/", task.evidence_download, name="evidence"),
    path("registers/rules/", registers.rules, name="all_rules"),
    path("registers/leads/", registers.leads, name="all_leads"),
    path("registers/outcomes/", registers.outcomes, name="all_outcomes"),
    path("inspections/<int:pk>/rules/", registers.rules, name="rules"),
    path("inspections/<int:pk>/rules/new/", registers.rule_create, name="rule_create"),
    path("rules/<int:pk>/edit/", registers.rule_edit, name="rule_edit"),
    path("inspections/<int:pk>/leads/", registers.leads, name="leads"),
    path("inspections/<int:pk>/leads/new/", registers.lead_create, name="lead_create"),
    path("leads/<int:pk>/edit/", registers.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/conclude/", registers.lead_conclude, name="lead_conclude"),
    path("inspections/<int:pk>/outcomes/", registers.outcomes, name="outcomes"),
    path("inspections/<int:pk>/outcomes/new/", registers.outcome_create, name="outcome_create"),
    path("outcomes/<int:pk>/edit/", registers.outcome_edit, name="outcome_edit"),
    path("handovers/", registers.handover_units, name="handover_units"),
    path("handovers/<int:pk>/", registers.handovers, name="handovers"),
]

# Pages named under the inspections (`inspections:…`) that write ledger rows, so the ledger serves them:
# the project's URLconf adds them to the inspections' own patterns.
inspection_urlpatterns = [
    path("inspections/import-notice/", notice_import.import_notice_view, name="import_notice"),
]
