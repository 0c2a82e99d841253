from django.urls import path

from rectify.spreadsheets import views

app_name = "spreadsheets"

urlpatterns = [
    path("inspections/<int:pk>/import-ledger/", views.import_ledger_view, name="import_ledger"),
    path("inspections/<int:pk>/import-ledger/jobs/<int:job>/", views.import_job_view, name="import_job"),
    path("inspections/<int:pk>/export.xlsx", views.export_ledger_view, name="export_ledger"),
    path("ledger-template.xlsx", views.ledger_template, name="ledger_template"),
]
