from django.urls import path

from rectify.inspections import views

app_name = "inspections"

urlpatterns = [
    path("inspections/", views.inspection_list, name="list"),
    path("inspections/new/", views.inspection_create, name="create"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="edit"),
    path("inspections/<int:pk>/delete/", views.inspection_delete, name="delete"),
]
