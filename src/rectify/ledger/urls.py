from django.urls import path

from rectify.ledger.views import dashboards, ledger, pages, task

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
    path("inspections/<int:pk>/findings/delete/", ledger.delete_finding, name="delete_finding"),
    path("inspections/<int:pk>/tasks/add/", ledger.add_task, name="add_task"),
    path("inspections/<int:pk>/responsibility/", ledger.responsibility, name="responsibility"),
    path("inspections/<int:pk>/bulk/", ledger.bulk_assign, name="bulk_assign"),
    path("tasks/<int:pk>/", task.task_detail, name="task"),
    path("tasks/<int:pk>/row/", ledger.task_row, name="task_row"),
    path("tasks/<int:pk>/row/edit/", ledger.task_row_edit, name="task_row_edit"),
    path("tasks/<int:pk>/<slug:action>/", task.task_action, name="task_action"),
    path("evidence/<int:pk>/", task.evidence_download, name="evidence"),
]
